// The owner's cleaning page in a real browser (Debian's Chromium through playwright-core) against
// a real hub: two sessions end, the cleaner takes and finishes each room, and the owner reads what
// each cleaner did over the days picked (tasks done, how long they took, how long rooms waited);
// a day without work shows nothing done; a manager sees the page too, a cashier signs in to no dashboard and
// the hub refuses the report when the page is bypassed. Every step is saved as a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, STAFF, as, at, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-cleaning');
shotOnFailure(() => page, SHOTS);
const MANAGER_PIN = '222222';
const CASHIER_PIN = '333333';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-cleaning-'));

const setTime = async (hhmm: string) => {
  h.clock.set(Date.parse(at(hhmm)));
  await h.runJobs();
};

/** A paid booking whose guests came at its start and left at its end: a room to clean. */
async function sessionEnded(room: string, start: string, end: string): Promise<void> {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at(start),
    end: at(end),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  await setTime(start);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
  await setTime(end);
  expect((await h.api('POST', `/api/bookings/${b.body.id}/finish`)).status).toBe(200);
}

async function cleanOne(takeAt: string, doneAt: string): Promise<void> {
  const cleaner = as('cleaner');
  const open = await h.api('GET', '/api/cleaning/tasks', undefined, cleaner);
  const task = (open.body as { id: string; status: string }[]).find((x) => x.status === 'open')!;
  await setTime(takeAt);
  expect(
    (await h.api('POST', `/api/cleaning/tasks/${task.id}/take`, undefined, cleaner)).status,
  ).toBe(200);
  await setTime(doneAt);
  expect((await h.api('POST', `/api/cleaning/tasks/${task.id}/done`, {}, cleaner)).status).toBe(
    200,
  );
}

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  const room = (await h.roomIds())[0]!;
  // Taken 5 min after the session, clean 10 min later; then taken at once, clean after 30 min.
  await sessionEnded(room, '12:00', '13:00');
  await cleanOne('13:05', '13:15');
  await sessionEnded(room, '14:00', '15:00');
  await cleanOne('15:00', '15:30');

  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-cleaning');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(pin: string): Promise<void> {
  await page.goto(`${h.url}/owner/`);
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByText('店主后台登录').waitFor();
}

async function pickDays(from: string, to: string): Promise<void> {
  await page.getByLabel('从', { exact: true }).fill(from);
  await page.getByLabel('到', { exact: true }).fill(to);
}

describe("the owner's cleaning page", () => {
  it('shows what each cleaner did over the days picked, and nothing done on a day without work', async () => {
    await signIn(OWNER_PIN);
    await page.getByRole('menuitem', { name: '保洁', exact: true }).click();
    await page.getByText('保洁工作').waitFor();
    await pickDays('2026-11-23', '2026-11-23');
    const row = page.locator('tr', { hasText: '陈保洁' });
    await row.waitFor();
    // Two rooms cleaned: 10 and 30 minutes from taking each, rooms waiting 15 and 30 minutes.
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toEqual([
      '陈保洁 · 保洁',
      '2',
      '20 分钟',
      '30 分钟',
      '40 分钟',
      '23 分钟',
      '0',
      '0',
    ]);
    await expect
      .poll(() => page.getByTestId('cleaning-tasks').innerText())
      .toMatch(/待接 0\s*进行中 0\s*已完成 2\s*已取消 0/);
    await shot('01-one-day');

    // The day before: the cleaner is listed with nothing done, and no task of that day.
    await pickDays('2026-11-22', '2026-11-22');
    await expect.poll(async () => (await row.locator('td').allInnerTexts())[1]).toBe('0');
    await expect
      .poll(() => page.getByTestId('cleaning-tasks').innerText())
      .toMatch(/待接 0\s*进行中 0\s*已完成 0\s*已取消 0/);
    await shot('02-no-work');
    await signOut();
  });

  it('is a manager’s too; a cashier gets no dashboard and the hub refuses the report', async () => {
    await signIn(MANAGER_PIN);
    await page.getByRole('menuitem', { name: '保洁', exact: true }).click();
    await pickDays('2026-11-23', '2026-11-23');
    await page.locator('tr', { hasText: '陈保洁' }).waitFor();
    await signOut();

    await signIn(CASHIER_PIN);
    await page.getByTestId('not-for-role').waitFor();
    const refused = await h.api(
      'GET',
      '/api/cleaning/report?from=2026-11-23&to=2026-11-23',
      undefined,
      as('cashier'),
    );
    expect(refused.status).toBe(403);
    await shot('03-cashier');
    await signOut();
  });
});
