// 接收到店提醒 after paying, in a real browser (Debian's Chromium through playwright-core, a phone's
// screen) against a store's hub, an embedded CouchDB and the cloud service: in a plain browser the
// order page just paid says the reminders come by SMS; inside the mini-program's web-view (WeChat
// tells the page by `window.__wxjs_environment`, and its JS-SDK gives `wx.miniProgram`, stood in
// for here since it is WeChat's own) the button hands over to the mini-program's subscribe page
// with the kinds to ask for. Each step is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/subscribe-browser');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800005679';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'subscribe-browser-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('subscribe-browser');
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('subscribe-browser');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('接收到店提醒 after paying', () => {
  it('explains SMS in a plain browser and hands over to the mini-program inside it', async () => {
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

    // Booked and paid online, as the booking page does; it then opens the order with ?paid=1.
    const booked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId, start: at('15:00'), end: at('16:00'), partySize: 2 },
      token,
    );
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.bookingId as string;

    await page.goto(`${cloud.url}/h5/orders/${bookingId}?paid=1`);
    const prompt = page.getByTestId('subscribe-prompt');
    await prompt.waitFor({ timeout: 60_000 });
    await expect(prompt.getByText('接收到店提醒').isVisible()).resolves.toBe(true);
    await expect(
      prompt.getByText('这里不是微信小程序，提醒会以短信发到你登录的手机号。').isVisible(),
    ).resolves.toBe(true);
    await expect(prompt.getByRole('button', { name: '接收提醒' }).count()).resolves.toBe(0);
    await shot('1-plain-browser-sms');
    await prompt.getByRole('button', { name: '知道了' }).click();
    await expect(prompt.count()).resolves.toBe(0);
    // Opened again later, not just paid: no prompt.
    await page.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await page.getByText('离线开门码').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('subscribe-prompt').count()).resolves.toBe(0);

    // Inside the mini-program's web-view.
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      w.__wxjs_environment = 'miniprogram';
      w.wx = {
        miniProgram: {
          navigateTo: (o: { url: string }) => {
            w.handedTo = o.url;
          },
        },
      };
    });
    await page.goto(`${cloud.url}/h5/orders/${bookingId}?paid=1`);
    await page.getByTestId('subscribe-prompt').waitFor({ timeout: 60_000 });
    await shot('2-mini-program-ask');
    await page.getByRole('button', { name: '接收提醒' }).click();
    await page.getByText('请在微信弹出的窗口里选择“允许”。').waitFor();
    const url = (await page.evaluate('window.handedTo')) as string;
    expect(url.startsWith('/pages/subscribe/subscribe?')).toBe(true);
    const q = new URLSearchParams(url.split('?')[1]);
    expect(q.get('kinds')).toBe('reminder_15,reminder_5,maintenance_notice');
    expect(q.get('bookingId')).toBe(bookingId);
    await shot('3-mini-program-handed');
  }, 240_000);
});
