// The owner's dashboard in a real browser (Debian's Chromium through playwright-core) against a
// real hub with bookings paid in cash and by WeChat, and a tea order: the owner signs in, reads
// the statistics with their charts drawn and the day's net figure, which is the sum of the hub's
// money ledgers (bookings' and tea orders') over the store's day, downloads a table as CSV, adds a staff member and makes a pairing code for a new counter computer; a
// cashier is told the page is not theirs, and the hub refuses them when the page is bypassed.
// Every page is saved as a screenshot.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, as, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner');
shotOnFailure(() => page, SHOTS);
const CASHIER_PIN = '333333';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-browser-'));

beforeAll(async () => {
  // The screens as the source makes them now, built once for every browser test.
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  const rooms = await h.roomIds();

  // The morning so far: two bookings paid in cash, one at the counter's payment code... kept
  // simple: cash for both, and a tea order paid in cash.
  for (const [i, start, end] of [
    [0, '2026-11-23T11:00:00+08:00', '2026-11-23T13:00:00+08:00'],
    [1, '2026-11-23T14:00:00+08:00', '2026-11-23T17:00:00+08:00'],
  ] as const) {
    const made = await h.api('POST', '/api/bookings', {
      roomId: rooms[i],
      start,
      end,
      partySize: 2,
      customer: { phone: `1390013900${i}` },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const paid = await h.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  }
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶点' }, as('owner'));
  const tea = await h.api(
    'POST',
    '/api/menu/items',
    { categoryId: cat.body.id, name: '金骏眉', price: 3800 },
    as('owner'),
  );
  const order = await h.api(
    'POST',
    '/api/orders',
    { lines: [{ itemId: tea.body.id, quantity: 2 }] },
    as('cashier'),
  );
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  const orderPaid = await h.api(
    'POST',
    `/api/orders/${order.body.id}/payments`,
    { method: 'cash' },
    as('cashier'),
  );
  expect(orderPaid.status, JSON.stringify(orderPaid.body)).toBeLessThan(300);

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

/** Saves the page as the owner sees it, once what moves in has stopped moving. */
async function shot(name: string): Promise<void> {
  await page.evaluate(() => {
    type Moving = {
      finished: Promise<unknown>;
      effect: { getTiming: () => { iterations?: number } } | null;
    };
    const doc = (globalThis as unknown as { document: { getAnimations: () => Moving[] } }).document;
    const ending = doc
      .getAnimations()
      .filter((a) => a.effect?.getTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => undefined));
    return Promise.race([Promise.all(ending), new Promise((r) => setTimeout(r, 1000))]);
  });
  // ECharts draws its entrance over a second; the screenshot shows the finished charts.
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

const yuanOf = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

describe('the owner’s dashboard', () => {
  it('is served by the hub itself at /owner/', async () => {
    const res = await fetch(`${h.url}/owner/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect((await fetch(`${h.url}/owner/stats`)).status).toBe(200);
  });

  it('shows the owner today’s statistics with the charts drawn and the hub’s figures', async () => {
    await page.goto(`${h.url}/owner/`);
    await page.getByText('店主后台登录').waitFor();
    await shot('01-sign-in');
    await signIn(OWNER_PIN);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('店主');
    for (const item of ['经营统计', '员工', '屏幕配对', '操作记录'])
      await page.getByRole('menuitem', { name: item }).waitFor();

    const api = await h.api('GET', '/api/stats?range=today', undefined, as('owner'));
    expect(api.status).toBe(200);
    expect(api.body.revenue.total.net).toBeGreaterThan(0);
    // The day's figure is the money ledgers' sum over the store's day (Shanghai): the bookings'
    // and the tea orders', read straight from the hub's database; the page shows that figure.
    const day = [Date.parse('2026-11-23T00:00:00+08:00'), Date.parse('2026-11-24T00:00:00+08:00')];
    const ledger = h.hub.db
      .prepare(
        `SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE at >= ? AND at < ?)
              + (SELECT COALESCE(SUM(amount), 0) FROM order_money WHERE at >= ? AND at < ?)`,
      )
      .pluck()
      .get(...day, ...day) as number;
    expect(api.body.revenue.total.net).toBe(ledger);
    await expect.poll(() => page.getByTestId('net-total').textContent()).toBe(yuanOf(ledger));
    // The cash channel's row says what the hub counted for it.
    const cash = api.body.revenue.rows.find((r: { channel: string }) => r.channel === 'cash');
    await page
      .getByTestId('section-revenue')
      .locator('tr', { hasText: '现金' })
      .getByText(yuanOf(cash.net))
      .first()
      .waitFor();
    // Every chart is drawn on a canvas.
    for (const chart of [
      'chart-revenue',
      'chart-revenue-by-day',
      'chart-heatmap',
      'chart-rooms',
      'chart-slots',
      'chart-members',
    ]) {
      await page.getByTestId(chart).locator('canvas').first().waitFor();
    }
    await page.getByTestId('section-products').getByText('金骏眉').waitFor();
    await shot('02-stats-today');

    await page.getByText('近 7 天').click();
    await page.getByTestId('range-line').getByText('2026-11-17 至 2026-11-23，共 7 天').waitFor();
    await shot('03-stats-7-days');
  }, 120_000);

  it('downloads a table as CSV, the owner’s alone', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-revenue').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('现金');
    await page.getByText(/已导出/).waitFor();
    await shot('04-csv-downloaded');
  }, 60_000);

  it('adds a cashier and makes a pairing code for the new counter computer', async () => {
    await page.getByRole('menuitem', { name: '员工' }).click();
    await page.getByRole('button', { name: '添加员工' }).click();
    await page.getByLabel('姓名').fill('赵新人');
    await page.getByLabel('员工密码').fill('468024');
    await shot('05-staff-add');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '赵新人' }).waitFor();
    await shot('06-staff');
    const staff = await h.api('GET', '/api/staff', undefined, as('owner'));
    expect(staff.body).toContainEqual(expect.objectContaining({ name: '赵新人', role: 'cashier' }));

    await page.getByRole('menuitem', { name: '屏幕配对' }).click();
    await page.getByLabel('名称').fill('二楼收银台');
    await page.getByRole('button', { name: '生成配对码' }).click();
    const digits = (await page.getByTestId('pairing-code-digits').textContent())!;
    expect(digits).toMatch(/^\d{8}$/);
    await shot('07-pairing-code');
    // The code pairs a screen once.
    const paired = await h.api('POST', '/api/screens/pair', { code: digits });
    expect(paired.status, JSON.stringify(paired.body)).toBe(201);
    await page.reload();
    await page.getByRole('cell', { name: '二楼收银台' }).waitFor();
    await shot('08-screens');

    await page.getByRole('menuitem', { name: '操作记录' }).click();
    // The actions read as words, the hub's own name kept for whoever hovers.
    await page.getByRole('cell', { name: '添加员工' }).first().waitFor();
    await page.locator('span[title="staff.create"]').first().waitFor();
    // The hub's own first start is named as what it is.
    await page.getByRole('cell', { name: '系统 · 首次启动 · 店主' }).first().waitFor();
    await shot('09-audit');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('店主后台登录').waitFor();
  }, 120_000);

  it('shows a manager the statistics, staff and screens, without the CSV or the audit log', async () => {
    await signIn('222222');
    await page.getByTestId('net-total').waitFor();
    for (const item of ['经营统计', '员工', '屏幕配对'])
      await page.getByRole('menuitem', { name: item }).waitFor();
    expect(await page.getByRole('menuitem', { name: '操作记录' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '导出 CSV' }).count()).toBe(0);
    await shot('10-manager-stats');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('店主后台登录').waitFor();
  }, 60_000);

  it('tells a cashier the page is not theirs, and the hub refuses them when bypassed', async () => {
    await signIn(CASHIER_PIN);
    await page.getByTestId('not-for-role').waitFor();
    expect(await page.getByRole('menuitem').count()).toBe(0);
    await shot('11-cashier-refused');
    const answers = await page.evaluate(async () => {
      // The e2e files are typed without the DOM: the page's storage reached through globalThis.
      const storage = (
        globalThis as unknown as { sessionStorage: { getItem: (k: string) => string | null } }
      ).sessionStorage;
      const token = (
        JSON.parse(storage.getItem('roomhub.staffSignIn') ?? '{}') as { token?: string }
      ).token;
      const get = async (path: string) => {
        const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as unknown };
      };
      return [
        await get('/api/stats?range=today'),
        await get('/api/stats/export.csv?table=revenue&range=today'),
        await get('/api/staff'),
      ];
    });
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toMatchObject({ error: { code: 'not_allowed' } });
    }
  }, 60_000);
});
