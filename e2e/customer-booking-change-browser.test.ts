// 改期 on the customer's order page in a real browser (Debian's Chromium through playwright-core,
// a phone's screen) against a store's hub, an embedded CouchDB and the cloud service: a booking
// paid online for 14:00-16:00 is moved to 16:00-17:00, quoted line by line first, and the page
// says it is done with the new time; another is moved to the dearer 14:00-17:00, quoted with what
// is still to pay, the difference paid with the request, and the store has the new time and both
// payments; a third, asked while the store is offline for a time taken meanwhile at its counter,
// is refused once the store is back, and the page says the difference goes back. Screenshots are
// saved (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/customer-booking-change');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800005611';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'customer-booking-change-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('customer-booking-change-browser');
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('customer-booking-change');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Signs the customer in on the phone page once; their token, for booking as the app would. */
let signedInToken: string | undefined;
async function signedIn(): Promise<string> {
  if (signedInToken) return signedInToken;
  const { cloud } = running;
  await page.goto(`${cloud.url}/h5/sign-in?next=/orders`);
  await page.getByRole('textbox', { name: '手机号' }).fill(PHONE);
  await page.getByText('我已阅读并同意《隐私说明》').click();
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await until('the code texted', async () => running.sms.lastCode(PHONE) ?? undefined);
  await page.getByRole('textbox', { name: '验证码' }).fill(code);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('我的订单').first().waitFor();
  signedInToken = (await page.evaluate("localStorage.getItem('roomhub.customer.token')")) as string;
  return signedInToken;
}

describe('改期 on the order page', () => {
  it('moves a paid booking to a cheaper hour and says so', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const token = await signedIn();

    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;

    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page.getByRole('button', { name: '改期' }).click({ timeout: 60_000 });
    const choices = page.locator('.change .choices');
    await choices.nth(0).getByText('16:00', { exact: true }).click();
    await choices.nth(1).getByRole('option').first().click();
    const confirm = page.getByRole('button', { name: /确认改期 · 退回 ¥\d+\.\d\d/ });
    await confirm.waitFor({ timeout: 30_000 });
    await expect(page.getByText('改期手续费（0%）').isVisible()).resolves.toBe(true);
    await shot('01-change-quoted');
    await confirm.click();
    await page.getByText(/已改期，新时间是 .*16:00–17:00/).waitFor({ timeout: 60_000 });
    expect(hub.hub.records.get(bookingId).start_at).toBe(Date.parse(at('16:00')));
    await until('the new time on the page', async () => {
      await cloud.cloud.follower.followNow();
      return (await page.getByText(/16:00–17:00/).count()) > 1 ? true : undefined;
    });
    await shot('02-changed');
  }, 300_000);

  it('moves a paid booking to a dearer time, the difference paid online', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const rooms = await hub.roomIds();
    const roomId = rooms[1] ?? rooms[0]!;
    const token = await signedIn();

    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('14:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const paid = hub.hub.records.get(bookingId).total;

    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page.getByRole('button', { name: '改期' }).click({ timeout: 60_000 });
    const choices = page.locator('.change .choices');
    await choices.nth(0).getByText('14:00', { exact: true }).click();
    await choices.nth(1).getByText('3小时', { exact: true }).click();
    // What the cloud quotes for 14:00-17:00 is what the page asks to pay.
    const span = new URLSearchParams({ start: at('14:00'), end: at('17:00') });
    const quoted = await api(
      'GET',
      `/api/orders/${bookingId}/change/quote?${span}`,
      undefined,
      token,
    );
    expect(quoted.status, JSON.stringify(quoted.body)).toBe(200);
    const due = quoted.body.due as number;
    const price = quoted.body.quote.total as number;
    expect(due).toBe(price - paid);
    expect(due).toBeGreaterThan(0);
    const amount = (due / 100).toFixed(2);
    const confirm = page.getByRole('button', { name: `确认改期 · 支付 ¥${amount}` });
    await confirm.waitFor({ timeout: 30_000 });
    const dueRow = page.locator('.change .quote tr.total');
    await expect(dueRow.innerText()).resolves.toMatch(new RegExp(`还需支付\\s+¥${amount}`));
    await expect(page.getByText(/新时段 .*14:00–17:00/).isVisible()).resolves.toBe(true);
    await shot('03-dearer-quoted');

    await confirm.click();
    await page.getByText(/已改期，新时间是 .*14:00–17:00/).waitFor({ timeout: 60_000 });
    // The store has the new time, at the new total, paid by both payments.
    const row = hub.hub.records.get(bookingId);
    expect([row.start_at, row.end_at]).toEqual([Date.parse(at('14:00')), Date.parse(at('17:00'))]);
    const store = await hub.api('GET', `/api/bookings/${bookingId}`, undefined, STAFF);
    expect(store.body).toMatchObject({ total: price, paid: price });
    const tz = hub.hub.store.getStore().timeZone;
    expect(hub.hub.ledger.entriesOf(bookingId, tz).map((e) => e.amount)).toEqual([paid, due]);
    await until('the new time on the page', async () => {
      await cloud.cloud.follower.followNow();
      return (await page.getByText(/14:00–17:00/).count()) > 1 ? true : undefined;
    });
    await shot('04-dearer-changed');
  }, 300_000);

  it('says a refused dearer change’s difference goes back', async () => {
    const { hub, cloud, api, proxy } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const token = await signedIn();

    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('20:00'), end: at('21:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;
    const paid = hub.hub.records.get(bookingId).total;

    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page.getByRole('button', { name: '改期' }).click({ timeout: 60_000 });
    const choices = page.locator('.change .choices');
    await choices.nth(0).getByText('20:00', { exact: true }).click();
    await choices.nth(1).getByText('2小时', { exact: true }).click();
    const confirm = page.getByRole('button', { name: /确认改期 · 支付 ¥\d+\.\d\d/ });
    await confirm.waitFor({ timeout: 30_000 });
    const amount = (await confirm.innerText()).match(/¥(\d+\.\d\d)/)![1]!;

    let movesBefore = 0;
    // While the store is offline someone takes 21:30 at its counter; the customer pays and waits.
    await proxy.cut();
    try {
      const counter = await hub.api('POST', '/api/bookings', {
        roomId,
        start: at('21:30'),
        end: at('22:30'),
        partySize: 2,
        customer: { phone: '13900005612' },
      });
      expect(counter.status, JSON.stringify(counter.body)).toBe(201);
      movesBefore = running.payments.moves.length;
      await confirm.click();
      await page.getByText('已提交改期，门店确认后生效。').waitFor({ timeout: 60_000 });
      await shot('05-dearer-waiting');
    } finally {
      await proxy.heal();
    }

    // Back online, the store refuses it; the page says the difference went back and why.
    await until('the store’s refusal on the page', async () => {
      await cloud.cloud.follower.followNow();
      return (await page.getByText(`补的差价 ¥${amount} 已原路退回`).count()) > 0
        ? true
        : undefined;
    });
    await expect(page.getByRole('alert').innerText()).resolves.toBe(
      `门店没有同意这次改期，订单保持原样；补的差价 ¥${amount} 已原路退回。这个时段已经有人订了，请换个时间。`,
    );
    const row = hub.hub.records.get(bookingId);
    expect([row.end_at, row.total]).toEqual([Date.parse(at('21:00')), paid]);
    // The difference held with the request was given back, once, and never taken.
    const held = running.payments.moves.slice(movesBefore);
    expect(held.map((m) => m.to)).toEqual(['authorised', 'released']);
    expect(new Set(held.map((m) => m.paymentId)).size).toBe(1);
    await shot('06-dearer-refused');
  }, 300_000);
});
