// Electronic invoices in real browsers (Debian's Chromium through playwright-core) against a
// store's hub, an embedded CouchDB and the cloud service: on a phone (375 x 812) the customer asks
// for a company invoice from a paid order, told at once when the taxpayer id's check digit is
// wrong; at the store the owner opens 发票 on the hub's dashboard, uploads the small PDF the tax
// system made with its number and date; back on the phone the order shows the invoice issued and
// the customer downloads the very same bytes. Every step is saved as a screenshot (folder printed).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder } from './browser';
import { invoicePdf } from './invoice-pdf';

const SHOTS = resolve(ROOT, '.tmp/screenshots/invoice');
const PHONE = '13800007101';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let phoneBrowser: BrowserContext;
let deskBrowser: BrowserContext;
let phone: Page;
let desk: Page;
const scratch = mkdtempSync(join(tmpdir(), 'invoice-browser-'));

beforeAll(async () => {
  const screens = await builtScreens();
  process.env.CLOUD_PAGES_DIR = screens;
  process.env.HUB_SCREENS_DIR = screens;
  running = await startStoreAndCloud('invoice-browser');
  phoneBrowser = await openBrowser(join(scratch, 'phone'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  deskBrowser = await openBrowser(join(scratch, 'desk'), {
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  phone = phoneBrowser.pages()[0] ?? (await phoneBrowser.newPage());
  desk = deskBrowser.pages()[0] ?? (await deskBrowser.newPage());
  await phone.clock.setSystemTime(running.hub.clock.now());
  await desk.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('invoice');
}, 240_000);

afterAll(async () => {
  await phoneBrowser?.close();
  await deskBrowser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('an electronic invoice, asked for on the phone and issued at the store', () => {
  it('is asked for, issued with the tax system’s PDF and downloaded byte for byte', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();

    // The customer signs in on the phone and books and pays online.
    await phone.goto(`${cloud.url}/h5/sign-in?next=/orders`);
    await phone.getByRole('textbox', { name: '手机号' }).fill(PHONE);
    await phone.getByText('我已阅读并同意《隐私说明》').click();
    await phone.getByRole('button', { name: '获取验证码' }).click();
    const code = await until(
      'the code texted',
      async () => running.sms.lastCode(PHONE) ?? undefined,
    );
    await phone.getByRole('textbox', { name: '验证码' }).fill(code);
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.getByText('我的订单').first().waitFor();
    const token = (await phone.evaluate(
      "localStorage.getItem('roomhub.customer.token')",
    )) as string;
    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const paid = hub.hub.views.detail(bookingId).paid;
    const yuan = `¥${(paid / 100).toFixed(2)}`;

    // The order page offers an invoice; a company's taxpayer id is checked as it is typed.
    await phone.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await phone.getByRole('button', { name: '申请开发票' }).click({ timeout: 60_000 });
    await phone.getByText('单位', { exact: true }).click();
    await phone.getByRole('textbox', { name: '单位名称' }).fill('杭州青山茶事有限公司');
    await phone.getByRole('textbox', { name: '纳税人识别号' }).fill('91440300708461136A');
    await phone
      .getByText('纳税人识别号的最后一位校验码对不上，可能有输错的字，请再核对一下。')
      .waitFor();
    await phone.getByText(`开票金额 ${yuan}（实付减去已退）`).waitFor();
    await shot(phone, '01-phone-tax-id-typo');
    await phone.getByRole('textbox', { name: '纳税人识别号' }).fill('91440300708461136T');
    await phone.getByRole('textbox', { name: '接收邮箱（选填）' }).fill('finance@qingshan.cn');
    await shot(phone, '02-phone-invoice-form');
    await phone.getByRole('button', { name: '提交申请' }).click();
    await phone.getByText('申请已提交，门店开好发票后会通知你。').waitFor({ timeout: 60_000 });
    await phone.getByText('开票中').waitFor({ timeout: 30_000 });
    await shot(phone, '03-phone-invoice-asked');

    // At the store the owner opens 发票 on the hub's dashboard and sends the PDF.
    await desk.goto(`${hub.url}/owner/`);
    await desk.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await desk.getByRole('button', { name: '登录' }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    await desk.getByRole('menuitem', { name: '发票' }).click();
    await desk.getByText('杭州青山茶事有限公司').waitFor();
    await desk.getByText('91440300708461136T').waitFor();
    await shot(desk, '04-owner-invoices-waiting');
    await desk.getByRole('button', { name: '上传开具' }).click();
    const pdf = invoicePdf('24330000000000012345');
    await desk.locator('input[type=file]').setInputFiles({
      name: 'dzfp_24330000000000012345.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await desk.getByLabel('发票号码').fill('24330000000000012345');
    await desk.getByLabel('开票日期').fill(at('10:00').slice(0, 10));
    await shot(desk, '05-owner-issue-dialog');
    await desk.getByRole('button', { name: '上传并开具' }).click();
    await desk.getByText('已开具，顾客已可下载。').waitFor();
    await desk.locator('.ant-segmented-item').filter({ hasText: '已开具' }).click();
    await desk.getByRole('button', { name: '查看 PDF' }).waitFor();
    await shot(desk, '06-owner-invoice-issued');

    // Back on the phone: issued, and the download is the very same file.
    await until('the issued invoice in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/orders/${bookingId}/invoices`, undefined, token);
      return r.body.invoices?.[0]?.state === 'issued' ? true : undefined;
    });
    await phone.reload();
    await phone.getByText('已开具').waitFor({ timeout: 60_000 });
    await phone
      .getByText(`发票号码 24330000000000012345，开票日期 ${at('10:00').slice(0, 10)}`)
      .waitFor();
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      phone.getByRole('button', { name: '下载发票 PDF' }).click(),
    ]);
    const file = join(scratch, 'downloaded.pdf');
    await download.saveAs(file);
    expect(sha(readFileSync(file))).toBe(sha(pdf));
    await shot(phone, '07-phone-invoice-issued');
  }, 300_000);
});
