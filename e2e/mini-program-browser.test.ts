// The customer's pages inside the mini-program's web-view, in a real browser (Debian's Chromium
// through playwright-core, a phone's screen) against a store's hub, an embedded CouchDB and the
// cloud service. WeChat tells the page where it runs by `window.__wxjs_environment`, and its JS-SDK
// gives `wx.miniProgram`, stood in for here since it is WeChat's own; the cloud trades login codes
// through its WeChat simulator.
// - 接收到店提醒 after paying: in a plain browser the order page just paid says the reminders come
//   by SMS; inside the mini-program the button hands over to its subscribe page with the kinds.
// - WeChat sign-in: the page hands over to the mini-program's login page with a state; opened again
//   with a code and that state, the customer is signed in (a code without it is not taken); having
//   no phone, they give one when they book, or link one once by a texted code (then the
//   booking page stops asking and what they booked before stays theirs); 我的数据 lists the
//   linked WeChat account, and unlinking it ends its session as the phone.
// Each step is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { at, STAFF, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/mini-program-browser');
shotOnFailure(() => page, SHOTS);
const PHONE = '13800005679';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'mini-program-browser-'));

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('mini-program-browser');
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('mini-program-browser');
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

describe('WeChat sign-in inside the mini-program', () => {
  it('hands over for a code, signs in with it, and asks for a phone to book with', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    // Signed out; still inside the mini-program (the stand-in set up above stays).
    await page.evaluate("localStorage.removeItem('roomhub.customer.token')");
    await page.evaluate('window.handedTo = undefined');

    // Consent first, then the mini-program's login page is asked for a code.
    await page.goto(`${cloud.url}/h5/sign-in?next=/stores/${storeId}`);
    const wechat = page.getByRole('button', { name: '微信一键登录' });
    await wechat.click();
    await page.getByText('请先勾选同意隐私说明，再登录。').waitFor();
    expect(await page.evaluate('window.handedTo')).toBeUndefined();
    await page.getByText('我已阅读并同意《隐私说明》').click();
    await shot('4-wechat-sign-in');
    await wechat.click();
    await page.getByText('正在打开微信登录').waitFor();
    const handed = (await page.evaluate('window.handedTo')) as string;
    expect(handed.startsWith('/pages/login/login?')).toBe(true);
    const ask = new URLSearchParams(handed.split('?')[1]);
    const next = new URL(ask.get('next')!);
    expect(`${next.origin}${next.pathname}`).toBe(`${cloud.url}/h5/sign-in`);
    expect(next.searchParams.get('next')).toBe(`/stores/${storeId}`);
    const state = ask.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    await shot('5-wechat-handed');

    // A link carrying someone else's code (no state of this page's) is not taken.
    await page.goto(`${cloud.url}/h5/sign-in?next=/stores/${storeId}&wxcode=wx-other&wxstate=x`);
    await wechat.waitFor();
    expect(new URL(page.url()).searchParams.get('wxcode')).toBeNull();
    await page.waitForTimeout(500);
    expect(await page.evaluate("localStorage.getItem('roomhub.customer.token')")).toBeNull();

    // The login page opens `next` with the code wx.login() gave and the state: signed in at once,
    // and on to the store's page.
    next.searchParams.set('wxcode', 'wx-browser-1');
    next.searchParams.set('wxstate', state);
    await page.goto(next.toString());
    await page.waitForURL(new RegExp(`/h5/stores/${storeId}$`), { timeout: 60_000 });
    const token = (await page.evaluate("localStorage.getItem('roomhub.customer.token')")) as string;
    expect(token).toBeTruthy();
    const profile = await api('GET', '/api/me/profile', undefined, token);
    expect(profile.status).toBe(200);
    expect(profile.body.phone).toBeUndefined();

    // Booking: no phone on the account, so the page asks for one before it pays.
    await page.goto(`${cloud.url}/h5/stores/${storeId}/book/${roomId}`);
    await page.getByText('合计').waitFor({ timeout: 60_000 });
    const phone = page.getByRole('textbox', { name: '联系手机号' });
    await phone.waitFor();
    const pay = page.getByRole('button', { name: /^微信支付 ¥/ });
    await pay.click();
    await page.getByText('请填写 11 位手机号：门店用它联系你，开门码也会发到这个号码。').waitFor();
    await phone.fill('13800005680');
    await shot('6-wechat-book-phone');
    await pay.click();
    await page.getByText('门店已确认，到时间可以开门进房。').waitFor({ timeout: 60_000 });
    await shot('7-wechat-booked');
    const orders = (await api('GET', '/api/orders', undefined, token)).body;
    expect(orders.orders).toHaveLength(1);
    expect(orders.orders[0]).toMatchObject({ storeId, roomId, status: 'paid' });
    // The store holds the booking under the phone given (masked to its staff).
    const atHub = await hub.api(
      'GET',
      `/api/bookings/${orders.orders[0].bookingId}`,
      undefined,
      STAFF,
    );
    expect(atHub.status, JSON.stringify(atHub.body)).toBe(200);
    expect(JSON.stringify(atHub.body)).toContain('5680');
  }, 240_000);

  it('links a phone: the booking page stops asking, the orders stay, 我的 shows the phone', async () => {
    const { hub, cloud, api } = running;
    const storeId = hub.hub.store.getStore().id;
    const [roomId] = await hub.roomIds();
    const LINKED = '13800005681';
    // Still signed in with WeChat from the test before; 我的 offers to link a phone.
    await page.goto(`${cloud.url}/h5/me`);
    await page.getByText('领券、积分、储值和会员码要用手机号').waitFor({ timeout: 60_000 });
    await page.goto(`${cloud.url}/h5/stores/${storeId}/book/${roomId}`);
    await page.getByText('合计').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: '绑定手机号后，下次预订不用再填。' }).click();
    await page.getByText('你是用微信登录的。').waitFor();
    await shot('8-link-phone');

    await page.getByRole('textbox', { name: '手机号' }).fill(LINKED);
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await until(
      'the code texted',
      async () => running.sms.lastCode(LINKED) ?? undefined,
    );
    // A wrong code links nothing, and says so.
    await page
      .getByRole('textbox', { name: '验证码' })
      .fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '绑定', exact: true }).click();
    await page.getByText('验证码错误或已过期，请重新获取。').waitFor();
    await page.getByRole('textbox', { name: '验证码' }).fill(code);
    await page.getByRole('button', { name: '绑定', exact: true }).click();

    // Back to the booking page, which no longer asks for a phone.
    await page.waitForURL(new RegExp(`/h5/stores/${storeId}/book/${roomId}$`), { timeout: 60_000 });
    await page.getByText('合计').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('textbox', { name: '联系手机号' }).count()).toBe(0);
    await shot('9-linked-book');
    const token = (await page.evaluate("localStorage.getItem('roomhub.customer.token')")) as string;
    const profile = (await api('GET', '/api/me/profile', undefined, token)).body;
    expect(profile.phone).toBe('138****5681');
    // The booking made under WeChat before is still the customer's.
    const orders = (await api('GET', '/api/orders', undefined, token)).body;
    expect(orders.orders).toHaveLength(1);
    expect(orders.orders[0]).toMatchObject({ storeId, roomId });
    // What the store keeps by phone now works: a member code for this store.
    expect((await api('POST', '/api/me/member-code', { storeId }, token)).status).toBe(201);

    await page.goto(`${cloud.url}/h5/me`);
    await page.getByText('138****5681').waitFor({ timeout: 60_000 });
    expect(await page.getByText('领券、积分、储值和会员码要用手机号').count()).toBe(0);
    await shot('10-linked-me');

    // 我的数据 lists the WeChat account linked to the phone, this one; unlinked (after a
    // confirmation saying what it means), its session as the phone ends and it signs in again.
    await page.goto(`${cloud.url}/h5/me/data`);
    const links = page.getByTestId('wechat-links');
    await links.getByText('（当前登录）').waitFor({ timeout: 60_000 });
    await links.getByText(/^微信账号（尾号 /).waitFor();
    await shot('11-wechat-links');
    await links.getByRole('button', { name: '解绑' }).click();
    await page.getByText('这是你正在登录的微信，解绑后需要重新登录。', { exact: false }).waitFor();
    await shot('12-unlink-confirm');
    await page.getByRole('button', { name: '解绑' }).last().click();
    await page.getByText('已解绑').waitFor();
    const ended = await api('GET', '/api/orders', undefined, token);
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('phone_unlinked');
    await page.goto(`${cloud.url}/h5/me/data`);
    await page.waitForURL(/\/h5\/sign-in/, { timeout: 60_000 });
  }, 240_000);
});
