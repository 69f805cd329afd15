// Customer-service chat in real browsers (Debian's Chromium through playwright-core), both sides
// live at once (C13): on a phone, a signed-in customer opens the store's page, taps 联系门店 and
// asks; at the counter, the store's customer-service staff member signs in with their PIN, sees the
// conversation marked unread, opens it and answers; the answer appears on the phone under their
// name without a reload, and the customer's next line appears at the counter the same way. The
// customer's messages page is opened too. A conversation the customer opens from one of their
// orders shows that order's number at the counter, and opens the order in the bookings screen;
// the owner's remote view names the order too. Screenshots of the screens are saved (folder
// printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CloudChats } from '@roomhub/cloud-sync';
import { STAFF, at, until } from '@roomhub/hub-app/testing';
import { addOwner, startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/chat');
const PHONE = '13800005678';
const OWNER = '13900005678';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let phoneBrowser: BrowserContext;
let deskBrowser: BrowserContext;
let phone: Page;
let desk: Page;
const scratch = mkdtempSync(join(tmpdir(), 'chat-browser-'));

beforeAll(async () => {
  const screens = await builtScreens();
  process.env.CLOUD_PAGES_DIR = screens;
  process.env.HUB_SCREENS_DIR = screens;
  running = await startStoreAndCloud('chat-browser');
  running.hub.hub.setChats(
    new CloudChats({
      cloudUrl: running.cloud.url,
      username: running.hubUser.user,
      password: running.hubUser.password!,
    }),
  );
  phoneBrowser = await openBrowser(join(scratch, 'phone'), {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  deskBrowser = await openBrowser(join(scratch, 'desk'), {
    viewport: { width: 1440, height: 900 },
  });
  phone = phoneBrowser.pages()[0] ?? (await phoneBrowser.newPage());
  desk = deskBrowser.pages()[0] ?? (await deskBrowser.newPage());
  // Generous: the machine may be busy with other suites; a step that works is quick anyway.
  screenshotFolder('chat');
}, 180_000);

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

describe('customer-service chat in the browser', () => {
  it('a customer asks from the phone, the counter answers, both see it live', async () => {
    const { hub, cloud } = running;
    const storeId = hub.hub.store.getStore().id;
    await cloud.refreshCatalogue();
    // Signed in on the phone (the sign-in page has its own test): the token the page keeps.
    const token = await running.signIn(PHONE);
    await phone.goto(`${cloud.url}/h5/`);
    await phone.evaluate(
      `localStorage.setItem('roomhub.customer.token', ${JSON.stringify(token)})`,
    );

    // The customer asks from the store's page.
    await phone.goto(`${cloud.url}/h5/stores/${storeId}`);
    await phone.getByRole('button', { name: '联系门店' }).click();
    await phone.getByRole('textbox', { name: '想问门店什么？' }).fill('包间可以带自己的茶叶吗？');
    await phone.getByRole('button', { name: '发送' }).click();
    await phone.waitForURL(/\/h5\/chats\/[^/]+\/[^/]+$/);
    await phone.locator('.chat-line.mine').getByText('包间可以带自己的茶叶吗？').waitFor();
    await shot(phone, '01-phone-asked');

    // The counter: customer service signs in and sees it unread.
    await desk.goto(`${hub.url}/cashier/`);
    await desk.getByPlaceholder('员工密码').fill('444444');
    await desk.getByRole('button', { name: '登录' }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    await desk.getByRole('link', { name: '客服' }).click();
    await desk.getByText('顾客 138****5678').first().waitFor();
    await expect(desk.locator('.ant-badge-count').first().textContent()).resolves.toBe('1');
    await shot(desk, '02-desk-unread');
    await desk.getByText('包间可以带自己的茶叶吗？').first().click();
    await desk.getByRole('textbox', { name: '回复顾客' }).fill('可以的，另收 10 元洗杯费。');
    await desk.getByRole('button', { name: '发送' }).click();
    await desk.locator('.chat-line.mine').getByText('可以的，另收 10 元洗杯费。').waitFor();

    // The phone shows the answer, under the staff member's name, without a reload.
    await phone.locator('.chat-line.theirs').getByText('可以的，另收 10 元洗杯费。').waitFor();
    await expect(
      phone
        .getByText(/赵客服/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await shot(phone, '03-phone-answered');

    // The customer's next line reaches the counter the same way.
    await phone.getByRole('textbox', { name: '想问门店什么？' }).fill('好的，谢谢！');
    await phone.getByRole('button', { name: '发送' }).click();
    await desk.locator('.chat-line.theirs').getByText('好的，谢谢！').waitFor();
    await shot(desk, '04-desk-live');

    // A cashier does not get the customer-service screen (and the hub refuses them anyway).
    await desk.getByRole('button', { name: '退出登录' }).click();
    await desk.getByPlaceholder('员工密码').fill('333333');
    await desk.getByRole('button', { name: '登录' }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    expect(await desk.locator('.cashier-tab').allTextContents()).not.toContain('客服');

    // The customer's messages page opens (nothing yet, or what the store has sent).
    await phone.goto(`${cloud.url}/h5/me/messages`);
    await phone.getByText('接收门店优惠短信').waitFor();
    await shot(phone, '05-phone-messages');
  }, 300_000);

  it('a conversation about an order shows the order at the counter, which opens it', async () => {
    const { hub, cloud, api } = running;
    // A few minutes on, so the customer's phone may be texted a sign-in code again.
    hub.clock.advance(5 * 60_000);
    // The customer's booking, made at the counter with their phone and paid there.
    const booked = await hub.api(
      'POST',
      '/api/bookings',
      {
        roomId: (await hub.roomIds())[0]!,
        start: at('14:00', 1),
        end: at('16:00', 1),
        partySize: 2,
        customer: { phone: PHONE },
      },
      STAFF,
    );
    expect(booked.status).toBe(201);
    const bookingId = booked.body.id as string;
    const number = booked.body.number as string;
    await hub.api('POST', `/api/bookings/${bookingId}/payments`, { method: 'cash' }, STAFF);
    const token = await running.signIn(PHONE);
    await until(
      'the order on the cloud',
      async () => {
        await cloud.sweepNow();
        const r = await api('GET', `/api/orders/${bookingId}`, undefined, token);
        return r.status === 200 ? r : undefined;
      },
      40_000,
    );

    // The customer asks from the order's page.
    await phone.goto(`${cloud.url}/h5/orders/${bookingId}`);
    await phone.getByRole('button', { name: '联系门店' }).click();
    await phone.getByRole('textbox', { name: '想问门店什么？' }).fill('明天能晚半小时到吗？');
    await phone.getByRole('button', { name: '发送' }).click();
    await phone.waitForURL(/\/h5\/chats\/[^/]+\/[^/]+$/);
    await phone.locator('.chat-line.mine').getByText('明天能晚半小时到吗？').waitFor();
    await shot(phone, '06-phone-asked-about-order');

    // The counter: customer service sees the order's number on the conversation and in it.
    await desk.getByRole('button', { name: '退出登录' }).click();
    await desk.getByPlaceholder('员工密码').fill('444444');
    await desk.getByRole('button', { name: '登录' }).click();
    await desk.getByTestId('signed-in-as').waitFor();
    await desk.getByRole('link', { name: '客服' }).click();
    const item = desk.locator('.ant-list-item', { hasText: '明天能晚半小时到吗？' });
    await item.getByTestId('chat-list-order').getByText(`订单 ${number}`).waitFor();
    // The conversation about no order names none.
    await expect(
      desk
        .locator('.ant-list-item', { hasText: '好的，谢谢！' })
        .getByTestId('chat-list-order')
        .count(),
    ).resolves.toBe(0);
    await shot(desk, '07-desk-order-listed');
    await item.click();
    const about = desk.getByTestId('chat-order');
    await about.getByText(number).waitFor();
    await expect(about.textContent()).resolves.toContain('关于订单');
    await desk.locator('.chat-line.theirs').getByText('明天能晚半小时到吗？').waitFor();
    await shot(desk, '08-desk-order-of-chat');

    // 打开订单: the bookings screen with that order open.
    await about.getByRole('button', { name: '打开订单' }).click();
    await desk.waitForURL(/\/cashier\/bookings\?open=/);
    await desk.getByTestId('booking-title').getByText(number).waitFor();
    await shot(desk, '09-desk-order-opened');

    // The owner's remote view: the cloud knows the order by its id, shown shortened.
    await addOwner(running.couch.adminUrl, OWNER, hub.hub.store.getStore().id);
    hub.clock.advance(61_000);
    const remote = await deskBrowser.newPage();
    await remote.goto(`${cloud.url}/owner/`);
    await remote.getByLabel('手机号').fill(OWNER);
    await remote.getByTestId('send-code').click();
    await remote.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await remote.getByLabel('验证码').fill(running.sms.lastCode(OWNER)!);
    await remote.getByRole('button', { name: '登录' }).click();
    await remote.getByRole('menuitem', { name: '消息与客服' }).click();
    const remoteItem = remote.locator('.ant-list-item', { hasText: '明天能晚半小时到吗？' });
    const short = bookingId.slice(0, 8);
    await remoteItem.getByTestId('chat-list-order').getByText(`订单 ${short}`).waitFor();
    await remoteItem.click();
    await remote.getByTestId('chat-order').getByText(short).waitFor();
    await remote
      .locator('.ant-card')
      .filter({ hasText: '顾客对话' })
      .last()
      .screenshot({ path: join(SHOTS, '10-owner-remote-order.png') });
    await remote.close();
  }, 300_000);
});
