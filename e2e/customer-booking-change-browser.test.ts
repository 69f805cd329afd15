// 改期 on the customer's order page in a real browser (Debian's Chromium through playwright-core,
// a phone's screen) against a store's hub, an embedded CouchDB and the cloud service: a booking
// paid online for 14:00-16:00 is moved to 16:00-17:00, quoted line by line first, and the page
// says it is done with the new time. Screenshots are saved (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, until } from '@roomhub/hub-app/testing';
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

describe('改期 on the order page', () => {
  it('moves a paid booking to a cheaper hour and says so', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();

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
});
