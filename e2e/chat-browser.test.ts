// Customer-service chat in real browsers (Debian's Chromium through playwright-core), both sides
// live at once (C13): on a phone, a signed-in customer opens the store's page, taps 联系门店 and
// asks; at the counter, the store's customer-service staff member signs in with their PIN, sees the
// conversation marked unread, opens it and answers; the answer appears on the phone under their
// name without a reload, and the customer's next line appears at the counter the same way. The
// customer's messages page is opened too. Screenshots of both screens are saved (folder printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CloudChats } from '@roomhub/cloud-sync';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/chat');
const PHONE = '13800005678';

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
});
