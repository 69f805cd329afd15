// Merchant onboarding and a frozen customer's appeal on the customer's phone (/h5/ in Debian's
// Chromium through playwright-core, 375 x 812), against the customers' cloud instance and the
// platform console's own instance (holding the platform's credential) on an embedded
// CouchDB-compatible server, provisioned as a deployment is. A would-be owner signed in by SMS
// opens 我的 → 商家入驻, fills in the merchant and two stores, takes the business licence with
// the camera (a real PNG) and picks the two permits (real PDFs), is refused a file that only
// calls itself a PDF, and submits; a merchant admin sends it back with a reason, which the phone
// shows; the applicant fixes a store's address, takes the licence again (a photo of several MB,
// drawn smaller before it goes) and submits again; the admin approves, and the phone says so. A
// customer the platform froze is told so on "me" and on signing in, writes and sends an appeal
// proved by a texted code, the platform reads it and answers, and the phone shows the answer.
// Every step is saved as a screenshot (the folder is printed).
import { deflateSync, crc32 } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  customerIdForPhone,
  startCloudService,
  type CloudService,
} from '@roomhub/cloud-service';
import { CLOUD_KEYS, until } from '@roomhub/hub-app/testing';
import {
  JWT_SECRET,
  addPlatformStaff,
  cloudApi,
  provisionerOn,
  signInBySms,
  signInToConsoleApi,
  startCouch,
  urlFor,
  type CloudApi,
} from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/merchant-application');
shotOnFailure(() => page, SHOTS);
const APPLICANT = '13800009101';
const FROZEN = '13800009102';
const MERCHANT_ADMIN = '13900009101';
const USER_ADMIN = '13900009102';
const CUSTOMER_ID_KEY = 'e2e-merchant-application-customer-id-key';
const clock = { now: () => Date.now() };

let couch: EmbeddedCouch;
let cloud: CloudService;
let console_: CloudService;
let api: CloudApi;
let platform: CloudApi;
let sms: MemorySmsProvider;
let merchantAdmin: string;
let userAdmin: string;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'merchant-application-browser-'));

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** A real PNG of a document: a cream page in a red frame with lines of "text"; noisy if asked. */
function documentPng(width: number, height: number, noisy = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const noise = noisy ? randomBytes(width * height * 3) : undefined;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const frame = x < 8 || y < 8 || x >= width - 8 || y >= height - 8;
      const line = y % 24 > 14 && y > 30 && y < height - 30 && x > 30 && x < width * 0.8;
      const rgb = frame ? [160, 40, 30] : line ? [60, 60, 60] : [245, 239, 224];
      for (const [i, v] of rgb.entries()) {
        // A camera's grain: what makes its photos several MB.
        const grain = noise ? (noise[(y * width + x) * 3 + i]! - 128) / 2 : 0;
        row.writeUInt8(Math.round(Math.max(0, Math.min(255, v + grain))), 1 + x * 3 + i);
      }
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const pdf = (title: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj<</Title (${title})>>endobj\ntrailer<<>>\n%%EOF\n`, 'latin1');

/** Puts a token on the phone as signing in does. */
const signInOnPhone = (token: string) =>
  page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);

/** The code texted to `phone` after the `before`-th one. */
const nextCode = (phone: string, before: number) =>
  until('the code texted', async () => {
    const sent = sms.sent.filter((m) => m.phone === phone);
    return sent.length > before ? sent.at(-1)!.code : undefined;
  });
const codesSent = (phone: string) => sms.sent.filter((m) => m.phone === phone).length;

/** Picks `file` for one document through the button a person taps (camera or files). */
async function pick(
  kind: string,
  button: string,
  file: { name: string; mimeType: string; buffer: Buffer },
) {
  const row = page.getByTestId(`document-${kind}`);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    row.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await chooser.setFiles(file);
}

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  couch = await startCouch('merchant-application-couch-');
  const cloudUser = await provisionerOn(couch).cloud();
  const cloudUrl = urlFor(couch.url, cloudUser.user, cloudUser.password!);
  sms = new MemorySmsProvider();
  const common = {
    couchUrl: cloudUrl,
    jwtSecret: JWT_SECRET,
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments: new SimulatedCloudChannel(),
    clock,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    // A phone here asks for several codes within a minute (signing in, appealing, reading the
    // answer); the limits themselves are the SMS tests'.
    smsLimits: { minIntervalMs: 0, perHour: 100, senderPerMinute: 100, senderPerHour: 1000 },
    log: () => {},
  };
  cloud = await startCloudService(common);
  // The platform console's instance: the same cloud user, and the platform's credential.
  console_ = await startCloudService({ ...common, platformCouchUrl: couch.adminUrl });
  api = cloudApi(() => cloud.url);
  platform = cloudApi(() => console_.url);
  await addPlatformStaff(couch.adminUrl, MERCHANT_ADMIN, '周审核', 'merchant_admin');
  await addPlatformStaff(couch.adminUrl, USER_ADMIN, '吴客服', 'user_admin');
  merchantAdmin = await signInToConsoleApi(console_, sms, MERCHANT_ADMIN, clock);
  userAdmin = await signInToConsoleApi(console_, sms, USER_ADMIN, clock);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => console.error(`h5 page error: ${e.message}`));
  screenshotFolder('merchant-application');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await console_?.close();
  await cloud?.close();
  await couch?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe('merchant onboarding on the phone', () => {
  it('applies with documents, is sent back with a reason, fixes it and is approved', async () => {
    const token = await signInBySms(api, sms, APPLICANT);
    await page.goto(`${cloud.url}/h5/`);
    await signInOnPhone(token);
    await page.goto(`${cloud.url}/h5/me`);
    await page.getByText('商家入驻').click();
    await page.getByText('还没有入驻申请').waitFor();
    await shot('01-no-application-yet');

    // The form: a rule broken is named with the store it is about before anything is sent.
    await page.getByRole('button', { name: '开始申请' }).click();
    const field = (label: string, within = page.locator('form')) =>
      within.locator('label').filter({ hasText: label }).locator('input, textarea').first();
    await field('商户名称').fill('静心茶舍');
    await field('联系电话').fill(APPLICANT);
    const store1 = page.getByTestId('store-1');
    await field('门店名称', store1).fill('静心茶舍·徐汇店');
    await field('门店地址', store1).fill('上海市徐汇区漕溪北路 88 号');
    await page.getByRole('button', { name: /再加一家门店/ }).click();
    const store2 = page.getByTestId('store-2');
    await field('门店名称', store2).fill('静心茶舍·静安店');
    await field('门店地址', store2).fill('静安');
    await page.getByRole('button', { name: '保存，下一步上传材料' }).click();
    await page.getByText('第 2 家门店的地址请写完整，4 到 120 个字。').waitFor();
    await shot('02-form-store-address-refused');
    await field('门店地址', store2).fill('上海市静安区南京西路 1266 号');
    await page.getByRole('button', { name: '保存，下一步上传材料' }).click();
    await page.getByTestId('standing').getByText('草稿', { exact: true }).waitFor();
    await shot('03-draft-no-documents');

    // The licence taken with the camera (a real PNG); a "PDF" that is not one is refused in words.
    await pick('business_licence', '拍照', {
      name: 'licence.png',
      mimeType: 'image/png',
      buffer: documentPng(320, 220),
    });
    const licence = page.getByTestId('document-business_licence');
    await licence.getByText(/已上传 · 图片/).waitFor();
    await licence.locator('img.doc-thumb').waitFor();
    await pick('health_permit', '选照片或文件', {
      name: '卫生许可.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('这不是 PDF 文件'),
    });
    await page
      .getByTestId('document-health_permit')
      .getByText(/没有传上去：材料只能是 .*PDF 文件/)
      .waitFor();
    await page.getByText('还缺：卫生许可、消防证明').waitFor();
    expect(await page.getByRole('button', { name: '提交审核' }).isDisabled()).toBe(true);
    await shot('04-licence-taken-permit-refused');
    await pick('health_permit', '选照片或文件', {
      name: '卫生许可.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('health permit'),
    });
    await page
      .getByTestId('document-health_permit')
      .getByText(/已上传 · PDF/)
      .waitFor();
    await pick('fire_permit', '选照片或文件', {
      name: '消防证明.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('fire permit'),
    });
    await page
      .getByTestId('document-fire_permit')
      .getByText(/已上传 · PDF/)
      .waitFor();
    await shot('05-all-three-uploaded');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByTestId('standing').getByText('审核中', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '拍照' }).count()).toBe(0);
    await shot('06-submitted');

    // A merchant admin sends it back with a reason.
    const queue = await platform(
      'GET',
      '/api/platform/merchants/applications?status=submitted',
      undefined,
      merchantAdmin,
    );
    expect(queue.body).toHaveLength(1);
    const id = queue.body[0].applicationId as string;
    expect(queue.body[0]).toMatchObject({
      merchantName: '静心茶舍',
      contactPhone: APPLICANT,
      stores: [
        { name: '静心茶舍·徐汇店', address: '上海市徐汇区漕溪北路 88 号' },
        { name: '静心茶舍·静安店', address: '上海市静安区南京西路 1266 号' },
      ],
    });
    const reason = '营业执照照片不清晰，请重新拍照；徐汇店地址请写到楼层';
    const back = await platform(
      'POST',
      `/api/platform/merchants/applications/${id}/decision`,
      { decision: 'return', reason },
      merchantAdmin,
    );
    expect(back.status).toBe(200);

    // The phone shows the reason in the list and on the application.
    await page.goto(`${cloud.url}/h5/merchant`);
    const card = page.getByTestId('merchant-application');
    await card.getByText('已退回').waitFor();
    await card.getByText(`退回原因：${reason}`).waitFor();
    await shot('07-list-sent-back');
    await card.getByRole('button').click();
    await page.getByTestId('standing').getByText(reason).waitFor();
    await shot('08-sent-back-reason');

    // Fixed: the address, then the licence taken again as a photo of several MB.
    await page.getByRole('button', { name: '修改资料' }).click();
    await field('门店地址', page.getByTestId('store-1')).fill('上海市徐汇区漕溪北路 88 号 2 楼');
    await shot('09-edit-details');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.locator('.merchant-details').getByText('上海市徐汇区漕溪北路 88 号 2 楼').waitFor();
    const photo = documentPng(1200, 800, true);
    expect(photo.length).toBeGreaterThan(1_500_000);
    await pick('business_licence', '重拍', {
      name: 'IMG_2041.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await until('the licence taken again', async () => {
      const mine = await api('GET', '/api/merchant-applications/mine', undefined, token);
      const doc = (mine.body[0].documents as { kind: string; type: string; bytes: number }[]).find(
        (d) => d.kind === 'business_licence',
      );
      return doc?.type === 'image/jpeg' ? doc : undefined;
    }).then((doc) => expect(doc.bytes).toBeLessThan(photo.length));
    await licence.getByText(/已上传 · 图片/).waitFor();
    await shot('10-licence-taken-again');
    await page.getByRole('button', { name: '重新提交审核' }).click();
    await page.getByTestId('standing').getByText('审核中', { exact: true }).waitFor();

    // Approved: each store gets its id, and the phone says so.
    const seen = await platform(
      'GET',
      `/api/platform/merchants/applications/${id}`,
      undefined,
      merchantAdmin,
    );
    expect(seen.body).toMatchObject({
      status: 'submitted',
      reasons: reason,
      stores: [{ address: '上海市徐汇区漕溪北路 88 号 2 楼' }, { name: '静心茶舍·静安店' }],
    });
    const ok = await platform(
      'POST',
      `/api/platform/merchants/applications/${id}/decision`,
      { decision: 'approve', storeIds: ['jx-xuhui', 'jx-jingan'], reason: '证照清晰，资料齐全' },
      merchantAdmin,
    );
    expect(ok.status).toBe(200);
    await page.reload();
    await page.getByTestId('standing').getByText('已通过', { exact: true }).waitFor();
    await page.getByText('门店编号：jx-xuhui、jx-jingan').waitFor();
    expect(await page.getByRole('button', { name: '修改资料' }).count()).toBe(0);
    await shot('11-approved');
  }, 180_000);
});

describe("a frozen customer's appeal on the phone", () => {
  it('is told they are frozen, sends an appeal the platform answers, and reads the answer', async () => {
    const token = await signInBySms(api, sms, FROZEN);
    const customerId = customerIdForPhone(FROZEN, CUSTOMER_ID_KEY);
    const frozen = await platform(
      'PUT',
      `/api/platform/users/${customerId}/freeze`,
      { frozen: true, reason: '多次预订不到店，占用包间', phone: FROZEN },
      userAdmin,
    );
    expect(frozen.status).toBe(200);

    // Still holding a token, "me" says so with the way to appeal.
    await signInOnPhone(token);
    await page.goto(`${cloud.url}/h5/me`);
    const notice = page.getByTestId('frozen');
    await notice
      .getByText('你的账号已被平台冻结（多次预订不到店，占用包间），可以提交申诉。')
      .waitFor();
    await shot('21-me-frozen');

    // Signing in again is refused in the same words, with the same way to appeal.
    await page.evaluate("localStorage.removeItem('roomhub.customer.token')");
    await page.goto(`${cloud.url}/h5/sign-in`);
    await page.getByRole('textbox', { name: '手机号' }).fill(FROZEN);
    await page.getByText('我已阅读并同意《隐私说明》').click();
    let before = codesSent(FROZEN);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('textbox', { name: '验证码' }).fill(await nextCode(FROZEN, before));
    await page.getByRole('button', { name: '登录' }).click();
    await notice.waitFor();
    await shot('22-sign-in-frozen');
    await notice.getByRole('button', { name: '提交申诉' }).click();

    // The appeal: what happened, proved by a new texted code (the phone is filled in).
    await page.getByText('账号申诉').first().waitFor();
    expect(await page.getByRole('textbox', { name: '手机号' }).inputValue()).toBe(FROZEN);
    await page.getByRole('button', { name: '提交申诉' }).last().click();
    await page.getByText('请把申诉内容写清楚，至少 5 个字。').waitFor();
    const text = '那两次是门店系统把我的预订时间记错了，我有当天的付款截图，请核实。';
    await page.locator('textarea').fill(text);
    before = codesSent(FROZEN);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('textbox', { name: '验证码' }).fill(await nextCode(FROZEN, before));
    await shot('23-appeal-written');
    await page.getByRole('button', { name: '提交申诉' }).last().click();
    await page.getByText('申诉已提交，平台核实后会答复你。').waitFor();
    await page.getByTestId('appeal').getByText('待处理').waitFor();
    await shot('24-appeal-sent');

    // The platform sees it and answers.
    const appeals = await platform('GET', '/api/platform/appeals', undefined, userAdmin);
    const mine = (appeals.body as { appealId: string; phone: string; text: string }[]).find(
      (a) => a.phone === FROZEN,
    );
    expect(mine).toMatchObject({ text, status: 'open', customerId });
    const answer = '已调取门店记录，两次均为本人未到店，维持冻结。';
    const answered = await platform(
      'POST',
      `/api/platform/appeals/${encodeURIComponent(mine!.appealId)}/answer`,
      { decision: 'reject', answer },
      userAdmin,
    );
    expect(answered.status).toBe(200);

    // Back later: the answer, read with another texted code.
    await page.goto(`${cloud.url}/h5/appeal?phone=${FROZEN}`);
    await page.getByRole('tab', { name: '查看答复' }).click();
    before = codesSent(FROZEN);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('textbox', { name: '验证码' }).fill(await nextCode(FROZEN, before));
    await page.getByRole('button', { name: '查看答复' }).last().click();
    const read = page.getByTestId('appeal');
    await read.getByText('未通过').waitFor();
    await read.getByText(answer).waitFor();
    await shot('25-appeal-answer');
  }, 120_000);
});
