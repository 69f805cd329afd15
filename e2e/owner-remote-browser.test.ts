// The owner's remote dashboard (/owner/ served by the cloud) in a real browser (Debian's Chromium
// through playwright-core) against two real store hubs of one owner, each replicating to an
// embedded CouchDB on its own user, and the cloud service: each hub publishes its statistics per
// store day; the owner signs in on the cloud with a code texted to their phone, sees both stores'
// revenue and the total, switches to one store and sees its figures alone, and opens that store's
// rooms and orders, devices and sync status; with all stores again, each store's prices and
// calendar in a card of its own. A third store, another owner's, is written as its hub's
// replication writes (its store profile and a day of statistics): its name and figures never
// show. Every page the owner sees is saved as a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestHub, until, type TestHub } from '@roomhub/hub-app/testing';
import { hubLink, startStoreAndCloud, storeIdOf, tempDir, addOwner } from './fixtures';
import {
  builtScreens,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-remote');
shotOnFailure(() => page, SHOTS);
const OWNER = '13600000001';
const OTHER_OWNER = '13600000002';
const OTHER_STORE = 'zz-other-owner';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let second: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-remote-browser-'));
/** Each store's own figure for today, as its hub counts it. */
const net: Record<string, number> = {};
const ids: string[] = [];

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `npm run owner -- add <phone> --store <id>` as the CouchDB admin. */
const linkOwner = (phone: string, storeId: string) =>
  addOwner(running.couch.adminUrl, phone, storeId);

/** A booking of two hours today paid in cash at the counter. */
async function cashBooking(hub: TestHub, start: string, end: string) {
  const [room] = await hub.roomIds();
  const made = await hub.api('POST', '/api/bookings', {
    roomId: room,
    start,
    end,
    partySize: 2,
    customer: { phone: '13900139001' },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const paid = await hub.api(
    'POST',
    `/api/bookings/${made.body.id}/payments`,
    { method: 'cash' },
    { 'x-test-as': 'cashier' },
  );
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
}

/** Writes a document into a store's database as that store's hub (its own CouchDB user). */
async function putAsHub(user: { user: string; password?: string }, db: string, doc: object) {
  const auth = Buffer.from(`${user.user}:${user.password}`).toString('base64');
  const r = await fetch(
    `${running.couch.url}/${db}/${encodeURIComponent((doc as { _id: string })._id)}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${auth}` },
      body: JSON.stringify(doc),
    },
  );
  expect(r.status, await r.text()).toBeLessThan(300);
}

beforeAll(async () => {
  process.env.CLOUD_PAGES_DIR = await builtScreens();
  running = await startStoreAndCloud('owner-remote');
  // The owner's second store: its own hub, data folder, store id and CouchDB user, on one clock.
  const dataDir = tempDir('owner-remote-hub2-');
  const storeId2 = await storeIdOf(dataDir);
  const hubUser2 = await running.provisioner.store(storeId2);
  second = await startTestHub({
    dataDir,
    clock: running.hub.clock,
    cloud: hubLink(running.couch.url, hubUser2),
  });
  const first = running.hub;
  ids.push(first.hub.store.getStore().id, storeId2);
  expect(ids[0]).not.toBe(ids[1]);
  for (const [hub, name] of [
    [first, '静安店'],
    [second, '徐汇店'],
  ] as const) {
    const renamed = await hub.api('PATCH', '/api/store', { name }, { 'x-test-as': 'owner' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
  }
  await cashBooking(first, '2026-11-23T14:00:00+08:00', '2026-11-23T16:00:00+08:00');
  await cashBooking(first, '2026-11-23T18:00:00+08:00', '2026-11-23T20:00:00+08:00');
  await cashBooking(second, '2026-11-23T15:00:00+08:00', '2026-11-23T17:00:00+08:00');
  for (const [i, hub] of [first, second].entries()) {
    net[ids[i]!] = (
      await hub.api('GET', '/api/stats?range=today', undefined, { 'x-test-as': 'owner' })
    ).body.revenue.total.net as number;
    expect(net[ids[i]!]).toBeGreaterThan(0);
  }

  // Another owner's store, as its hub's replication writes it.
  const otherUser = await running.provisioner.store(OTHER_STORE);
  const db = `store-${OTHER_STORE}`;
  await putAsHub(otherUser, db, {
    _id: 'profile:store',
    type: 'store_profile',
    storeId: OTHER_STORE,
    name: '别人的门店',
    address: '某路 9 号',
    phone: '021-99999999',
    timeZone: 'Asia/Shanghai',
    hours: { open: '09:00', close: '23:00' },
    location: null,
    photos: [],
    rules: first.hub.store.getStore().rules,
    calendar: {},
    updatedAt: '2026-11-23T10:00:00.000+08:00',
  });
  const today = await running.hub.api('GET', '/api/stats?range=today', undefined, {
    'x-test-as': 'owner',
  });
  await putAsHub(otherUser, db, {
    _id: 'stats:day:2026-11-23',
    type: 'stats_day',
    storeId: OTHER_STORE,
    date: '2026-11-23',
    timeZone: 'Asia/Shanghai',
    revenue: [
      {
        channel: 'cash',
        bookings: 987600,
        orders: 0,
        refunded: 0,
        net: 987600,
        faceValue: null,
        settled: null,
      },
    ],
    received: 987600,
    refunded: 0,
    net: 987600,
    bookings: [],
    roomCount: 1,
    rooms: [],
    hourMinutes: new Array(24).fill(0),
    slots: [],
    products: [],
    deals: [],
    topUps: [],
    members: { joined: 0, total: 0 },
    campaigns: [],
    refunds: [],
    cancellations: { customer: 0, staff: 0, system: 0 },
    energy: [],
    updatedAt: '2026-11-23T10:00:00.000+08:00',
  });
  expect(today.body.range.from).toBe('2026-11-23');
  await linkOwner(OWNER, ids[0]!);
  await linkOwner(OWNER, ids[1]!);
  await linkOwner(OTHER_OWNER, OTHER_STORE);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.clock.setSystemTime(running.hub.clock.now());
  screenshotFolder('owner-remote');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await second?.close();
  await running?.close();
  delete process.env.CLOUD_PAGES_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe("the owner's remote dashboard on the cloud", () => {
  it('signs in by phone, sees both stores and the total, and one store alone', async () => {
    const { api, cloud, sms } = running;
    const total = net[ids[0]!]! + net[ids[1]!]!;
    // Both hubs publish today's statistics; the cloud reads them.
    await until(
      "both stores' statistics on the cloud",
      async () => {
        running.hub.clock.advance(61_000);
        await api('POST', '/api/auth/sms/send', { phone: OWNER });
        const login = await api('POST', '/api/owner/login', {
          phone: OWNER,
          code: sms.lastCode(OWNER),
        });
        const r = await api(
          'GET',
          '/api/owner/stats?storeId=all&range=today',
          undefined,
          login.body.token,
        );
        return r.status === 200 && r.body.revenue.total.net === total ? true : undefined;
      },
      60_000,
    );

    running.hub.clock.advance(61_000);
    await page.goto(`${cloud.url}/owner/`);
    await page.getByLabel('手机号').fill(OWNER);
    await page.getByTestId('send-code').click();
    await page.getByText(`验证码已发送到 ${OWNER}`).waitFor();
    await shot('01-sign-in');
    await page.getByLabel('验证码').fill(sms.lastCode(OWNER)!);
    await page.getByRole('button', { name: '登录' }).click();

    // All stores: the total, and a line for each store.
    await page.getByTestId('net-total').waitFor();
    await expect.poll(() => page.getByTestId('net-total').textContent()).toBe(yuan(total));
    const stores = page.getByTestId('section-stores');
    await stores.getByText('静安店').waitFor();
    await stores.getByText('徐汇店').waitFor();
    expect(await stores.textContent()).toContain(yuan(net[ids[0]!]!));
    expect(await stores.textContent()).toContain(yuan(net[ids[1]!]!));
    await page.getByTestId('chart-revenue').waitFor();
    await page.waitForTimeout(500); // the charts' animation
    await shot('02-all-stores');
    expect(await page.content()).not.toContain('别人的门店');
    expect(await page.content()).not.toContain(yuan(987600));

    // One store: its figures alone.
    await pickOption(page, page.getByTestId('store-switcher'), '徐汇店');
    await expect.poll(() => page.getByTestId('net-total').textContent()).toBe(yuan(net[ids[1]!]!));
    await page.waitForTimeout(500);
    await shot('03-one-store');

    // That store's rooms and orders, devices and sync status.
    await page.getByRole('menuitem', { name: '房态与订单' }).click();
    const board = page.getByTestId(`board-${ids[1]}`);
    await board.getByText('门店数据更新于').waitFor();
    // The store's booking at the store's hours, in its room's card and among the day's orders.
    await board.getByText('15:00–17:00 · 已付款').waitFor();
    expect(await board.getByRole('row').filter({ hasText: '15:00–17:00' }).textContent()).toMatch(
      new RegExp(`已付款${escape(yuan(net[ids[1]!]!))}`),
    );
    await shot('04-board');
    await page.getByRole('menuitem', { name: '设备' }).click();
    const devices = page.getByTestId(`devices-${ids[1]}`);
    await devices.getByText('门店主机报告于').waitFor();
    await devices.getByRole('button', { name: '交还自动' }).first().waitFor();
    await shot('05-devices');
    await page.getByRole('menuitem', { name: '同步状态' }).click();
    await page.getByTestId(`sync-${ids[1]}`).getByTestId('waiting').waitFor();
    await shot('06-sync');
    // Messages: the owner's inbox, the store's conversations and its message settings.
    await page.getByRole('menuitem', { name: '消息与客服' }).click();
    await page.getByText('徐汇店 · 消息设置').waitFor();
    await page.getByText('徐汇店 · 顾客对话').waitFor();
    await page.getByPlaceholder('22:00').fill('25:00');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('请按“时:分”填写，例如 22:00').waitFor();
    await page.getByPlaceholder('22:00').fill('23:00');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('已保存').waitFor();
    await shot('07-messages');
    // All stores again: each store's prices and calendar, its own card, as its hub published them.
    await pickOption(page, page.getByTestId('store-switcher'), '全部门店');
    await page.getByRole('menuitem', { name: '房间与价格' }).click();
    for (const [i, name] of ['静安店', '徐汇店'].entries()) {
      const prices = page.getByTestId(`prices-${ids[i]}`);
      await prices.getByText(`${name} · 价格方案`).waitFor();
      await expect.poll(() => prices.getByLabel('工作日').first().inputValue()).toMatch(/^\d/);
    }
    await shot('08-prices-all-stores');
    await page.getByRole('menuitem', { name: '日历' }).click();
    for (const [i, name] of ['静安店', '徐汇店'].entries()) {
      const calendar = page.getByTestId(`calendar-${ids[i]}`);
      await calendar.getByText(`${name} · 日历`).waitFor();
      await calendar.getByTestId('day-2026-11-23').getByText('工作日').waitFor();
    }
    await shot('09-calendar-all-stores');
    // Pages that need the store's own machine are not offered (pairing a screen, backups); the
    // staff are, to disable or enable someone (PINs are set at the store).
    expect(await page.getByRole('menuitem', { name: '屏幕配对' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '备份', exact: true }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '员工', exact: true }).count()).toBe(1);
    expect(await page.content()).not.toContain('别人的门店');
  }, 180_000);
});
