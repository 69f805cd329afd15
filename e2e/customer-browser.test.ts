// The customer's pages (/h5/, served by the cloud) in a real browser (Debian's Chromium through
// playwright-core, a phone's screen) against a store's hub, an embedded CouchDB and the cloud
// service: the customer finds the store near them, opens it and sees today's timeline, is asked
// to sign in, is told to agree to the privacy notice first, signs in with the code texted to their
// phone, books a room by the hour seeing the price line by line, pays with the simulated WeChat
// Pay, and sees the order confirmed by the store; a time the kiosk already sold is refused in one
// Chinese sentence; with the store's link to the cloud cut a request is shown waiting, and
// confirmed once the link is healed; the member code it shows pays at the store. The pages are built from the current source into a folder of the test's own,
// and every page the customer sees is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/customer');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800001234';
/** The regular of the paging test, kept across a retry of it. */
const REGULAR = { phone: '13700007777', booked: 0, token: '' };
/** Who joins the store from its page in the paging test, kept across a retry of it. */
const NEWCOMER = { phone: '13700008888', token: '', joined: false };

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'customer-browser-'));

beforeAll(async () => {
  // The pages as the source makes them now, built once for every browser test.
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('customer-browser');
  // A phone held upright (375 x 812), touch, twice the pixels, standing near People's Square.
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { latitude: 31.232, longitude: 121.47 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  // The phone's clock is the store's (the test moves the store's by hand).
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('customer');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('the customer’s pages', () => {
  it('signs in by SMS, books and pays, and sees the store confirm; a sold time is refused in words', async () => {
    const { hub, cloud, api, sms } = running;
    const storeId = hub.hub.store.getStore().id;
    const storeName = hub.hub.store.getStore().name;
    await until('the store in the catalogue', async () => {
      await cloud.refreshCatalogue();
      const r = await api('GET', '/api/stores?lat=31.23&lng=121.47');
      return r.body.stores?.length ? true : undefined;
    });
    const [room, other] = (await hub.api('GET', '/api/rooms')).body as {
      id: string;
      name: string;
    }[];
    const otherRoom = page.locator('li.room').filter({ hasText: other!.name });
    // The kiosk sells 16:00-17:00 first; the store publishes the room's day.
    const kiosk = await hub.api('POST', '/api/bookings', {
      roomId: room!.id,
      start: at('16:00'),
      end: at('17:00'),
      partySize: 2,
      customer: { phone: '13900000000' },
    });
    expect(kiosk.status).toBe(201);

    // Stores near the customer.
    await page.goto(`${cloud.url}/h5/`);
    await page.getByText(storeName).first().waitFor();
    await expect(page.getByText('地图导航').first().isVisible()).resolves.toBe(true);
    await shot('01-stores-near');

    // The store's page: its rooms, prices and today's timeline with the kiosk's hour taken.
    await page.getByText(storeName).first().click();
    await page.getByText('预订这个包间').first().waitFor();
    // Rooms are listed in the store's own order, the same on every visit.
    await expect(page.locator('li.room').first().textContent()).resolves.toContain(room!.name);
    await until('the kiosk’s hour on the timeline', async () =>
      (await page.getByText('已被预订：16:00–17:15').count()) > 0 ? true : undefined,
    );
    await shot('02-store');

    // Booking another room asks for a sign-in; agreeing to the privacy notice comes first.
    await otherRoom.getByText('预订这个包间').click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.getByRole('textbox', { name: '手机号' }).fill(PHONE);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByText('请先勾选同意隐私说明，再登录。').waitFor();
    await page.getByText('查看隐私说明').click();
    // Signing in from the store's pages makes the customer its member too, and the page says so.
    await page.getByTestId('joins-store').getByText('成为这家店的会员').waitFor();
    await shot('03-sign-in-consent-first');
    await page.getByText('我已阅读并同意《隐私说明》').click();
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await until('the code texted', async () => sms.lastCode(PHONE) ?? undefined);
    await page.getByRole('textbox', { name: '验证码' }).fill(code);
    await page.getByRole('button', { name: '登录' }).click();
    // A member of the store before booking anything: asked of the store as the customer signed in.
    const members = await until('the store made the customer its member', async () => {
      const r = await running.hub.api('GET', `/api/members?phone=${PHONE}`, undefined, as('owner'));
      return r.body.total === 1 ? r.body : undefined;
    });
    expect(members.members[0]).toMatchObject({ visits: 0 });

    // Back on the booking: 14:00 for two hours, priced line by line, paid with WeChat.
    await page.getByText('费用明细').waitFor();
    await page.getByText('14:00', { exact: true }).click();
    await page.getByText('2小时', { exact: true }).click();
    const pay = page.getByRole('button', { name: /微信支付 ¥\d+\.\d\d/ });
    await pay.waitFor();
    await expect(page.getByText('合计').isVisible()).resolves.toBe(true);
    await shot('04-book-quote');
    await pay.click();

    // The store confirms; the order says so.
    await page.getByText('门店已确认，到时间可以开门进房。').waitFor({ timeout: 60_000 });
    await expect(page.getByText('已确认').first().isVisible()).resolves.toBe(true);
    await shot('05-order-confirmed');
    const orders = (await api('GET', '/api/orders', undefined, await tokenOf(page))).body;
    expect(orders.orders).toHaveLength(1);
    expect(orders.orders[0]).toMatchObject({ storeId, status: 'paid' });
    expect(Date.parse(orders.orders[0].start)).toBe(Date.parse(at('14:00')));

    // The hour the kiosk sold is refused in one Chinese sentence.
    await page.goto(`${cloud.url}/h5/stores/${storeId}/book/${room!.id}`);
    await page.getByText('费用明细').waitFor();
    await page.getByText('16:00', { exact: true }).click();
    await page.getByText('1小时', { exact: true }).click();
    await page.getByRole('button', { name: /微信支付/ }).waitFor();
    await page.getByRole('button', { name: /微信支付 ¥/ }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toBe('这个时段已经被别人订了，请换个时间或包间。');
    await shot('06-refused');

    // The store's link to the cloud cut: the request waits, said plainly; healed, it is confirmed.
    running.proxy.cut();
    await page.getByText('19:00', { exact: true }).click();
    await page.getByRole('button', { name: /微信支付 ¥/ }).click();
    await page.getByText(/^门店离线，等待确认/).waitFor({ timeout: 30_000 });
    await shot('07-waiting-for-the-store');
    running.proxy.heal();
    await page.getByText('门店已确认，到时间可以开门进房。').waitFor({ timeout: 60_000 });
    await expect(page.getByText('19:00–20:00').first().isVisible()).resolves.toBe(true);

    await page.goto(`${cloud.url}/h5/orders`);
    await page.getByText('14:00–16:00', { exact: false }).first().waitFor();
    await page.getByText('19:00–20:00', { exact: false }).first().waitFor();
    await shot('08-my-orders');
    await page.getByText('14:00–16:00', { exact: false }).first().click();
    await page.getByRole('button', { name: /取消预订/ }).click();
    await page.getByText(/门店收取取消费 ¥\d+\.\d\d，退回 ¥\d+\.\d\d/).waitFor();
    await shot('09-cancel-fee-first');
    await page.getByText('不取消').click();

    // Signed in from the store's pages, the customer is its member: the store's page says so at
    // once (it looks in the store it was asked to book), and offers no joining again.
    await page.goto(`${cloud.url}/h5/stores/${storeId}`);
    await page.getByText('你是本店会员。').waitFor({ timeout: 60_000 });
    await expect(page.getByRole('button', { name: '成为本店会员（免费）' }).count()).resolves.toBe(
      0,
    );
    await shot('10-member');

    // My coupons.
    await page.goto(`${cloud.url}/h5/me`);
    await page.getByText('我的优惠券').waitFor();
    await shot('11-me');
    await page.getByText('我的优惠券').click();
    await page
      .getByText(/还没有优惠券|可用/)
      .first()
      .waitFor();
    await shot('12-my-coupons');
    // My memberships: the store's card, with points and wallet, once the store has published it.
    await until('the membership published by the store', async () => {
      // The cloud follows what stores publish on its own rhythm; the test asks it now.
      await cloud.cloud.follower.followNow();
      await page.goto(`${cloud.url}/h5/me/memberships`);
      await page
        .getByText(/积分|会员卡/)
        .first()
        .waitFor();
      return (await page.getByText('积分').count()) > 0 ? true : undefined;
    });
    await page.getByText(storeName).first().waitFor();
    await expect(page.getByText('储值余额').isVisible()).resolves.toBe(true);
    await shot('13-my-memberships');

    // The member code, opened from the store's card: the store's hub takes it, offline, to pay a
    // booking from the wallet of the customer signed in.
    await page.getByRole('button', { name: '出示会员码付款' }).first().click();
    const shown = page.getByTestId('member-code');
    await shown.locator('img').waitFor();
    await shot('14-member-code');
    const memberCode = (await shown.getAttribute('data-code'))!;
    const topUp = await hub.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: PHONE, amount: 20000 },
      as('cashier'),
    );
    expect(topUp.status).toBe(201);
    const walkIn = await hub.api('POST', '/api/bookings', {
      roomId: (await hub.roomIds())[0],
      start: at('12:00', 1),
      end: at('13:00', 1),
      partySize: 2,
      customer: { phone: '13500135000' },
    });
    expect(walkIn.status, JSON.stringify(walkIn.body)).toBe(201);
    const paid = await hub.api('POST', `/api/bookings/${walkIn.body.id}/wallet-payments`, {
      memberCode,
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body).toMatchObject({ phone: '138****1234', paid: walkIn.body.total });
  }, 300_000);

  it('shows a regular’s many orders a page at a time: 更多订单 loads the rest', async () => {
    const { hub, api, sms } = running;
    // A regular with 22 bookings made at the counter with their phone over the days ahead, each
    // paid. A retry goes on with the same regular, their bookings and their sign-in.
    const { phone: regular } = REGULAR;
    const [, room] = await hub.roomIds();
    // Bookings open 7 days ahead: six hours a day over days 2 to 6.
    for (let day = 2; day <= 6 && REGULAR.booked < 22; day += 1) {
      for (const hour of ['09:00', '11:00', '13:00', '15:00', '17:00', '19:00']) {
        if (REGULAR.booked === 22) continue;
        const r = await hub.api('POST', '/api/bookings', {
          roomId: room,
          start: at(hour, day),
          end: at(
            hour.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0')),
            day,
          ),
          partySize: 2,
          customer: { phone: regular },
        });
        if (r.status !== 201) continue;
        // Paid in cash at the counter, as a regular does: a phone may hold two unpaid at most.
        const paid = await hub.api(
          'POST',
          `/api/bookings/${r.body.id}/payments`,
          { method: 'cash' },
          as('owner'),
        );
        expect(paid.status, JSON.stringify(paid.body)).toBe(201);
        REGULAR.booked += 1;
      }
    }
    expect(REGULAR.booked).toBe(22);

    if (!REGULAR.token) {
      expect((await api('POST', '/api/auth/sms/send', { phone: regular })).status).toBe(202);
      const verified = await api('POST', '/api/auth/sms/verify', {
        phone: regular,
        code: sms.lastCode(regular),
      });
      expect(verified.status).toBe(200);
      REGULAR.token = verified.body.token as string;
    }
    const token = REGULAR.token;
    // Once the store has published them all, the cloud lists them.
    await until(
      'the regular’s 22 orders in the cloud',
      async () => {
        await running.cloud.cloud.follower.followNow();
        const r = await api('GET', '/api/orders?limit=100', undefined, token);
        return r.body.orders?.length === 22 ? true : undefined;
      },
      60_000,
    );

    await page.goto(`${running.cloud.url}/h5/`);
    await page.evaluate(`localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`);
    await page.goto(`${running.cloud.url}/h5/orders`);
    const more = page.getByRole('button', { name: '更多订单' });
    await more.waitFor();
    const cards = page.locator('ul.cards > li.card');
    await expect(cards.count()).resolves.toBe(20);
    await shot('15-my-orders-first-page');
    await more.click();
    await until('the second page shown', async () =>
      (await cards.count()) === 22 ? true : undefined,
    );
    await expect(more.count()).resolves.toBe(0);
    await shot('16-my-orders-all');
    // Tea is brought to the soonest of them, on the second page of their orders.
    await page.goto(`${running.cloud.url}/h5/stores/${hub.hub.store.getStore().id}/tea`);
    await page
      .getByRole('note')
      .getByText(/^送到 .+（09:00–10:00）$/)
      .waitFor();

    // Booking at the counter made the regular a member: their store page says so.
    await page.goto(`${running.cloud.url}/h5/stores/${hub.hub.store.getStore().id}`);
    await page.getByText('你是本店会员。').waitFor({ timeout: 60_000 });

    // A newcomer who signed in elsewhere joins from the store's page.
    const { phone: newcomer } = NEWCOMER;
    if (!NEWCOMER.token) {
      expect((await api('POST', '/api/auth/sms/send', { phone: newcomer })).status).toBe(202);
      const verified = await api('POST', '/api/auth/sms/verify', {
        phone: newcomer,
        code: sms.lastCode(newcomer),
      });
      NEWCOMER.token = verified.body.token as string;
    }
    await page.evaluate(
      `localStorage.setItem('roomhub.customer.token', ${JSON.stringify(NEWCOMER.token)})`,
    );
    await page.reload();
    if (!NEWCOMER.joined) {
      await page.getByRole('button', { name: '成为本店会员（免费）' }).click();
      NEWCOMER.joined = true;
    }
    await page.getByText(/已加入本店会员|你是本店会员/).waitFor({ timeout: 60_000 });
    await shot('17-joined');
    const members = await until('the store made the newcomer its member', async () => {
      const r = await hub.api('GET', `/api/members?phone=${newcomer}`, undefined, as('owner'));
      return r.body.total === 1 ? r.body : undefined;
    });
    expect(members.members[0]).toMatchObject({ visits: 0 });
  }, 180_000);
});

/** The customer's token the page keeps, to ask the cloud what it holds for them. */
async function tokenOf(p: Page): Promise<string> {
  return (await p.evaluate("localStorage.getItem('roomhub.customer.token')")) as string;
}
