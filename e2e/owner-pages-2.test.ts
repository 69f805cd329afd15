// The owner's deals and payment settings in a real browser (Debian's Chromium through
// playwright-core) against a real hub with its payment stand-ins: the owner makes a deal of the
// store's own, sells one at the counter and sees it redeemed with its face value, changes its price
// and stops it; switches Alipay off at the kiosk and the kiosk no longer offers it, while the hub
// refuses it there; a manager reads both pages but may not switch. Every page is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-pages-2');
shotOnFailure(() => page, SHOTS);
const MANAGER_PIN = '222222';
const BUYER = '13900139002';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
let rooms: string[];
const scratch = mkdtempSync(join(tmpdir(), 'owner-pages-2-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  rooms = await h.roomIds();
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-pages-2');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

const open = (menu: string) => page.getByRole('menuitem', { name: menu, exact: true }).click();

describe('the owner’s deals and payment settings', () => {
  it('makes a deal, sees it sold and redeemed with its face value, changes and stops it', async () => {
    await page.goto(`${h.url}/owner/`);
    await signIn(OWNER_PIN);
    await open('团购与核销');
    await page.getByText('还没有团购').waitFor();
    await page.getByTestId('new-deal').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('工作日两小时畅玩');
    await dialog.getByLabel('售价（元）').fill('88');
    await dialog.getByLabel('原价（元）').fill('128');
    await dialog.getByLabel('库存').fill('50');
    await dialog.getByText('工作日', { exact: true }).click();
    await shot('01-deal-new');
    await dialog.getByTestId('save-deal').click();
    await page.getByText('「工作日两小时畅玩」已保存').waitFor();
    const row = page.getByRole('row', { name: /工作日两小时畅玩/ });
    await row.getByText('在售').waitFor();
    await row.getByText('0 / 50').waitFor();

    const deals = await h.api('GET', '/api/deals', undefined, as('owner'));
    const deal = deals.body[0];
    expect(deal).toMatchObject({
      source: 'own',
      title: '工作日两小时畅玩',
      price: 8800,
      originalPrice: 12800,
      stock: 50,
      status: 'on_sale',
      entitlement: { kind: 'hours', minutes: 120, dayTypes: ['workday'] },
    });

    // Sold at the counter for cash and redeemed for a booking today.
    const sold = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: deal.id, customer: { phone: BUYER } },
      as('cashier'),
    );
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    const redeemed = await h.api(
      'POST',
      '/api/vouchers/redeem',
      {
        text: sold.body.code,
        use: {
          kind: 'book',
          roomId: rooms[0],
          start: '2026-11-23T14:00:00+08:00',
          partySize: 2,
        },
        requestId: 'owner-pages-2-redeem-1',
      },
      as('cashier'),
    );
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);

    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    await row.getByText('1 / 50').waitFor();
    await page.getByTestId('redemption-day').fill('2026-11-23');
    const redemption = page
      .getByTestId('redemptions')
      .getByRole('row', { name: /工作日两小时畅玩/ });
    await redemption.getByText('已核销').waitFor();
    await redemption.getByText('¥88.00').first().waitFor();
    await page.getByTestId('voucher-totals').getByText('面值 ¥88.00 / 结算 ¥88.00').waitFor();
    await shot('02-deals-sold-redeemed');

    // A new price; the voucher already sold keeps what it bought.
    await row.getByRole('button', { name: '修改' }).click();
    await dialog.getByLabel('售价（元）').fill('78');
    await dialog.getByTestId('save-deal').click();
    await row.getByText('¥78.00').waitFor();
    await row.getByRole('button', { name: '停售' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '停售' }).click();
    await page.getByText('「工作日两小时畅玩」已停售').waitFor();
    await row.getByText('已停售').waitFor();
    await shot('03-deal-stopped');
    const after = await h.api('GET', `/api/deals/${deal.id}`, undefined, as('owner'));
    expect(after.body).toMatchObject({ price: 7800, status: 'off_sale', sold: 1 });
    // Stopped, it is no longer sold at the counter.
    const refused = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: deal.id, customer: { phone: BUYER } },
      as('cashier'),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('deal_not_on_sale');

    // Platform vouchers taken while offline: the owner's choice, kept by the hub.
    await page.getByTestId('provisional-offline').click();
    await page.getByText('已保存', { exact: true }).waitFor();
    const settings = await h.api('GET', '/api/vouchers/settings', undefined, as('owner'));
    expect(settings.body.provisionalOffline).toBe(true);
  }, 180_000);

  it('switches Alipay off at the kiosk: the kiosk no longer offers it and the hub refuses it', async () => {
    await open('支付与消息');
    const table = page.getByTestId('payment-channels');
    await table
      .getByRole('row', { name: /微信支付/ })
      .getByText('模拟器（不收真钱）')
      .waitFor();
    await table
      .getByRole('row', { name: /支付宝/ })
      .getByText('正常')
      .waitFor();
    await page.getByTestId('messages-note').getByText('消息与客服').waitFor();
    await shot('04-payments');
    // No credential of any gateway reaches the page.
    const text = (await page.textContent('body')) ?? '';
    for (const secret of ['PRIVATE KEY', 'mchid', 'apiV3']) expect(text).not.toContain(secret);

    await page.getByTestId('switch-kiosk-alipay').click();
    await page.getByText('自助机已关闭支付宝').waitFor();
    await shot('05-payments-alipay-off');
    const kiosk = await h.api('GET', '/api/payment-methods', undefined, as('kiosk'));
    expect(kiosk.body.methods).toEqual(['wechat', 'unionpay', 'payment_code', 'wallet']);

    const booked = await h.api('POST', '/api/bookings', {
      roomId: rooms[1],
      start: '2026-11-23T16:00:00+08:00',
      end: '2026-11-23T18:00:00+08:00',
      partySize: 2,
      customer: { phone: BUYER },
    });
    expect(booked.status).toBe(201);
    const pay = await h.api('POST', `/api/bookings/${booked.body.id}/payments`, {
      method: 'alipay',
    });
    expect(pay.status).toBe(422);
    expect(pay.body.error).toMatchObject({ code: 'method_switched_off', field: 'method' });

    // In English too.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Ways to pay').first().waitFor();
    await shot('06-payments-en');
    await page.getByRole('button', { name: '中文' }).click();
  }, 120_000);

  it('a manager reads both pages but may not switch or change the offline rule', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('店主后台登录').waitFor();
    await signIn(MANAGER_PIN);
    await open('支付与消息');
    await page.getByText('只有店主可以开关付款方式。').waitFor();
    expect(await page.getByTestId('switch-kiosk-wechat').isDisabled()).toBe(true);
    await shot('07-payments-manager');
    await open('团购与核销');
    await page.getByRole('row', { name: /工作日两小时畅玩/ }).waitFor();
    expect(await page.getByTestId('provisional-offline').isDisabled()).toBe(true);
    const refused = await h.api(
      'PUT',
      '/api/payment-channels/kiosk/wechat',
      { on: false },
      as('manager'),
    );
    expect(refused.status).toBe(403);
  }, 120_000);
});
