// The customer's pages after booking (/h5/, served by the cloud) in a real browser (Debian's
// Chromium through playwright-core, a phone's screen) against a store's hub, an embedded CouchDB
// and the cloud service, on one clock the test moves: the customer signs in by SMS and finds the
// booking they made online; its order page shows the door's entry code and QR for the way in with
// no network (the hub's own code for that booking) and when the door takes it; in the slot the
// door opens from the phone; near the end the page says how many minutes are left, the extension
// is quoted and paid in one tap and the end moves; once finished, the booking is reviewed with
// four ratings and a few words, and the review shows on the room's page with its average. On the
// store's page the customer buys a deal with WeChat Pay and finds the voucher with its code and QR
// under "my vouchers", and tops up the wallet with the store's package, its bonus in the balance.
// Every page is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { putDealOnSale, startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/customer-after-booking');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800005678';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'customer-after-booking-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('customer-after-booking');
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('customer-after-booking');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The store's clock and the phone's moved to `hhmm` today. */
async function timeIs(hhmm: string) {
  running.hub.clock.set(Date.parse(at(hhmm)));
  await page.clock.setSystemTime(running.hub.clock.now());
}

describe('the customer’s pages after booking', () => {
  it('shows the door code, extends a booking, reviews it, buys a deal and tops up the wallet', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const roomName = hub.hub.store.getRoom(roomId!).name;

    // The owner puts a deal on sale and a top-up package at the hub; the cloud learns both.
    await putDealOnSale(hub);
    const pkg = await hub.api(
      'POST',
      '/api/wallet/packages',
      { name: '充200送100', pay: 20000, bonus: 10000, bonusValidDays: 90 },
      STAFF,
    );
    expect(pkg.status, JSON.stringify(pkg.body)).toBe(201);
    await until('the deal and the package in the cloud', async () => {
      await cloud.cloud.follower.followNow();
      const deals = await api('GET', `/api/stores/${storeId}/deals`);
      const store = await api('GET', `/api/stores/${storeId}`);
      return deals.body.deals?.length && store.body.store?.walletPackages?.length
        ? true
        : undefined;
    });

    // The customer signs in on the phone as on the booking page: consent, the texted code.
    await page.goto(`${cloud.url}/h5/sign-in?next=/orders`);
    await page.getByRole('textbox', { name: '手机号' }).fill(PHONE);
    await page.getByText('我已阅读并同意《隐私说明》').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await until(
      'the code texted',
      async () => running.sms.lastCode(PHONE) ?? undefined,
    );
    await page.getByRole('textbox', { name: '验证码' }).fill(code);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('我的订单').first().waitFor();
    const token = (await page.evaluate("localStorage.getItem('roomhub.customer.token')")) as string;

    // Booked online (as the booking page does) for 11:00-12:00 today; the store confirms.
    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('11:00'), end: at('12:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const number = hub.hub.records.get(bookingId).number;
    const entry = hub.hub.doorCodes.current(bookingId, number)!.entryCode;

    // The order page: the offline way in, the store's own code for this booking, and its QR.
    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page.getByText('离线开门码').waitFor({ timeout: 60_000 });
    await expect(page.locator('.entry-code').textContent()).resolves.toBe(
      `${entry.slice(0, 3)} ${entry.slice(3)}`,
    );
    await expect(
      page.getByText('开始前 10 分钟（10:50）起可以在这里开门。').isVisible(),
    ).resolves.toBe(true);
    await page.getByRole('button', { name: '显示开门二维码' }).click();
    await expect(page.locator('img.qr').getAttribute('data-qr')).resolves.toBe(
      `RH1:${number}:${entry}`,
    );
    await expect(page.getByText('订单记录').isVisible()).resolves.toBe(true);
    await shot('01-order-door-code');

    // In the slot the door opens from the phone.
    await timeIs('11:02');
    await page.reload();
    await page.getByRole('button', { name: '开门', exact: true }).click();
    await page.getByText('门已打开，请进。').waitFor({ timeout: 60_000 });
    await shot('02-door-opened');

    // Thirteen minutes before the end: reminded, an hour more quoted, paid, and the end moves.
    await timeIs('11:47');
    await page.reload();
    await page.getByText('还剩 13 分钟，12:00 结束；要多待可以在下面续时。').waitFor();
    await page.getByText('续到 13:00').waitFor();
    const extend = page.getByRole('button', { name: /续时 · 微信支付 ¥\d+\.\d\d/ });
    await extend.waitFor();
    await shot('03-reminder-and-extension-quote');
    await extend.click();
    const extended = page.locator('.extend [role=status], .extend [role=alert]');
    await until(
      'the store’s answer to the extension',
      async () =>
        (await extended.count()) > 0 &&
        !(await extended.first().textContent())?.startsWith('门店离线')
          ? true
          : undefined,
      60_000,
    );
    await expect(extended.first().textContent()).resolves.toBe('已续时，结束时间改为 13:00。');
    await page
      .getByText(/11:00–13:00/)
      .first()
      .waitFor({ timeout: 30_000 });
    expect(hub.hub.records.get(bookingId).end_at).toBe(Date.parse(at('13:00')));
    await shot('04-extended');

    // The customer leaves at 12:50 and the session ends; the finished booking is reviewed.
    await timeIs('12:50');
    const finished = await hub.api('POST', `/api/bookings/${bookingId}/finish`, {}, STAFF);
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    await page.reload();
    await page.getByText('评价这次消费').waitFor({ timeout: 60_000 });
    // Stars are tapped, as on a phone: five for the room, four for the rest.
    for (const [what, stars] of [
      ['环境', '5'],
      ['设施', '4'],
      ['茶点', '4'],
      ['服务', '4'],
    ] as const) {
      await page.getByRole('radiogroup', { name: what }).getByRole('radio', { name: stars }).tap();
    }
    await page.getByPlaceholder('说说这次的感受（选填）').fill('包间干净，茶也好喝。');
    await shot('05-review-written');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('谢谢你的评价！').waitFor({ timeout: 60_000 });

    // The review on the room's page, with the average of each rating.
    await until('the review on the room page', async () => {
      await cloud.cloud.follower.followNow();
      const r = await api('GET', `/api/stores/${storeId}/rooms/${roomId}/reviews`);
      return r.body.count === 1 ? r : undefined;
    });
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    const room = page.locator('li.room').filter({ hasText: roomName });
    await room.getByText('1 条评价').waitFor();
    await expect(room.getByText('4.3 分').isVisible()).resolves.toBe(true);
    await expect(
      room.getByText('环境 5.0 · 设施 4.0 · 茶点 4.0 · 服务 4.0').isVisible(),
    ).resolves.toBe(true);
    await room.getByText('1 条评价').click();
    await room.getByText('包间干净，茶也好喝。').waitFor();
    await shot('06-room-reviews');

    // A member of the store since the visit, with a wallet there.
    await page.getByText('你是本店会员。').waitFor({ timeout: 60_000 });

    // A deal bought with WeChat Pay; the voucher with its code and QR under my vouchers.
    await page.getByRole('button', { name: '团购优惠' }).click();
    await page.getByText('任意包间 2 小时').waitFor();
    await expect(page.getByText('包间 2 小时 · 最多 4 人').isVisible()).resolves.toBe(true);
    await shot('07-deals');
    await page.getByRole('button', { name: '微信支付 ¥68.00' }).click();
    await page.getByText('购买成功，券已放进「我的券」。').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: '查看我的券' }).click();
    const mine = (await api('GET', '/api/me/vouchers', undefined, token)).body.vouchers;
    expect(mine).toHaveLength(1);
    await page.getByText('可使用').waitFor();
    await expect(page.locator('.voucher-code').textContent()).resolves.toBe(
      (mine[0].code as string).replace(/(\d{4})(?=\d)/g, '$1 '),
    );
    await page.getByRole('button', { name: '显示券二维码' }).click();
    await expect(page.locator('img.qr').getAttribute('data-qr')).resolves.toBe(mine[0].qr);
    await shot('08-my-voucher');

    // The wallet topped up with the store's package: 200 paid, 100 added, 300 to spend.
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    await page.getByRole('button', { name: '储值充值' }).click();
    await page.getByText('付 ¥200.00，送 ¥100.00（赠送部分 90 天内有效）').waitFor();
    await shot('09-top-up');
    await page.getByRole('button', { name: '微信支付 ¥200.00' }).click();
    await page.getByText('充值成功，已存入你的储值。').waitFor({ timeout: 60_000 });
    await until('the balance after the top-up', async () => {
      await cloud.cloud.follower.followNow();
      return (await page.getByText('¥300.00').count()) > 0 ? true : undefined;
    });
    await expect(page.getByText('（含赠送 ¥100.00）').isVisible()).resolves.toBe(true);
    await shot('10-topped-up');
  }, 300_000);
});
