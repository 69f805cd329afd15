// The owner's remote view catches up once the store's link to the cloud is healed, in a real
// browser (Debian's Chromium through playwright-core) against a store's hub, an embedded CouchDB
// behind a proxy the test cuts, and the cloud service: the owner, linked with `npm run owner`,
// signs in on the cloud's /owner/ and opens the store's rooms and orders; the link is cut; a
// booking is sold at the counter and a customer asks for another through the cloud, which waits
// for the store; the owner's board, read again, still shows the store as it was before the cut;
// healed, the customer's request is confirmed and the owner's board shows both bookings. Every
// page the owner sees is saved as a screenshot (the folder is printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { SimulatedWechatLogin } from '@roomhub/cloud-service';
import { at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud, addOwner } from './fixtures';
import { builtScreens, openBrowser, screenshotFolder } from './browser';

const OWNER = '13600000011';
const CUSTOMER = '13800005511';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
let shots = '';
const scratch = mkdtempSync(join(tmpdir(), 'remote-catch-up-browser-'));

/** `npm run owner -- add <phone> --store <id>` as the CouchDB admin. */
const linkOwner = (phone: string, storeId: string) =>
  addOwner(running.couch.adminUrl, phone, storeId);

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('remote-catch-up', {
    wechat: new SimulatedWechatLogin(),
    confirmTimeoutMs: 10 * 60_000,
    answerWaitMs: 300,
  });
  await linkOwner(OWNER, running.hub.hub.store.getStore().id);
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  shots = screenshotFolder('remote-catch-up');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe("the owner's remote view and a cut link", () => {
  it('shows the store as it was while cut, and catches up once healed', async () => {
    const { hub, cloud, api, sms, proxy } = running;
    const storeId = hub.hub.store.getStore().id;
    const [room] = await hub.roomIds();
    const board = page.getByTestId(`board-${storeId}`);
    const openBoard = async () => {
      await page.reload();
      await page.getByRole('menuitem', { name: '房态与订单' }).click();
      await board.getByText('门店数据更新于').waitFor({ timeout: 60_000 });
    };

    // The store has published itself: the cloud lists it.
    await until(
      'the store in the catalogue',
      async () => {
        await cloud.refreshCatalogue();
        const r = await api('GET', `/api/stores/${storeId}`);
        return r.status === 200 ? true : undefined;
      },
      60_000,
    );
    await page.goto(`${cloud.url}/owner/`);
    await page.getByLabel('手机号').fill(OWNER);
    await page.getByTestId('send-code').click();
    await page.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await page.getByLabel('验证码').fill(sms.lastCode(OWNER)!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('menuitem', { name: '房态与订单' }).click();
    await board.getByText('门店数据更新于').waitFor({ timeout: 60_000 });
    await shot('01-board-before');

    // The link cut: a booking sold at the counter, and a customer's request that waits.
    proxy.cut();
    const counter = await hub.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13900139011' },
    });
    expect(counter.status, JSON.stringify(counter.body)).toBe(201);
    const paid = await hub.api(
      'POST',
      `/api/bookings/${counter.body.id}/payments`,
      { method: 'cash' },
      { 'x-test-as': 'cashier' },
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const token = await running.signIn(CUSTOMER);
    const asked = await api(
      'POST',
      '/api/bookings',
      { storeId, roomId: room, start: at('18:00'), end: at('19:00'), partySize: 2 },
      token,
    );
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toMatchObject({ state: 'waiting' });

    // Read again while cut: the owner sees the store as it last published, neither booking yet.
    await openBoard();
    expect(await board.getByText(/14:00–16:00/).count()).toBe(0);
    expect(await board.getByText(/18:00–19:00/).count()).toBe(0);
    await shot('02-board-while-cut');

    // Healed: the request is answered, and the owner's board catches up with both bookings.
    proxy.heal();
    const answered = await until(
      'the request answered',
      async () => {
        const r = await api('GET', `/api/intents/${asked.body.intentId}`, undefined, token);
        return r.body.state !== 'waiting' ? r.body : undefined;
      },
      60_000,
    );
    expect(answered.state).toBe('confirmed');
    await until(
      "both bookings on the owner's board",
      async () => {
        await openBoard();
        const text = (await board.textContent()) ?? '';
        return text.includes('14:00–16:00') && text.includes('18:00–19:00') ? true : undefined;
      },
      90_000,
    );
    await shot('03-board-caught-up');
  }, 300_000);
});
