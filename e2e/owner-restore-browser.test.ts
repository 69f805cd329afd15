// The owner restores a backup from the backup page, in a real browser (Debian's Chromium through
// playwright-core) against the hub: a backup made on the page is listed, a manager sees it but
// may not restore, the owner picks it, is warned what goes back, sees the restore waiting for the
// hub's restart and takes it back, picks it again; the hub starts again on that backup's records
// (a booking cancelled after it is waiting for payment again) and the page says so, with where
// the database before it was kept. Each step is a screenshot.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, STAFF, at, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-restore');
shotOnFailure(() => page, SHOTS);
const MANAGER_PIN = '222222';

let h: TestHub;
let browser: BrowserContext;
let page: Page;
let booking: string;
const scratch = mkdtempSync(join(tmpdir(), 'owner-restore-browser-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  const [room] = (await h.roomIds()) as [string];
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00', 1),
    end: at('16:00', 1),
    partySize: 2,
    customer: { phone: '13800138021' },
  });
  expect(b.status).toBe(201);
  booking = b.body.id;
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-restore');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = async (name: string) => {
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

const bookingStatus = async () =>
  (await h.api('GET', `/api/bookings/${booking}`, undefined, STAFF)).body.status;

describe('restoring a backup from the owner’s page', () => {
  let name: string;

  it('lists a backup made on the page; a manager may not restore it', async () => {
    await page.goto(`${h.url}/owner/backup`);
    await signIn(MANAGER_PIN);
    await page.getByText('还没有备份').waitFor();
    await page.getByRole('button', { name: '立即备份' }).click();
    await page.getByTestId('backup-file').waitFor();
    const list = page.getByTestId('backup-list');
    await list.locator('tr.ant-table-row').first().waitFor();
    name = (await list.locator('tr.ant-table-row td').nth(2).textContent()) ?? '';
    expect(name).toMatch(/^hub-\d{8}T\d{6}Z\.db$/);
    expect(await list.getByRole('button', { name: '恢复到这份' }).count()).toBe(0);
    await shot('1-manager-listed');
    await page.getByRole('button', { name: '退出登录' }).click();
  });

  it('lets the owner arrange the restore, take it back and arrange it again', async () => {
    // After the backup the booking is cancelled: the restore is to bring it back.
    expect((await h.api('POST', `/api/bookings/${booking}/cancel`, {})).status).toBe(200);
    expect(await bookingStatus()).toBe('cancelled');
    await signIn(OWNER_PIN);
    const pick = page.getByTestId(`restore-${name}`);
    await pick.click();
    await page.getByText('之后的新预订、收款和会员变动都会被替换').waitFor();
    await shot('2-warned');
    await page.getByRole('button', { name: '确定恢复' }).click();
    const pending = page.getByTestId('restore-pending');
    await pending.getByText(/已安排恢复到 .* 的备份/).waitFor();
    await page.getByTestId('backup-list').getByText('等待重启后恢复').waitFor();
    await shot('3-arranged');
    // Nothing changes until the hub starts again.
    expect(await bookingStatus()).toBe('cancelled');

    await pending.getByRole('button', { name: '取消恢复' }).click();
    await pending.waitFor({ state: 'detached' });
    expect((await h.api('GET', '/api/backups', undefined, STAFF)).body.pending).toBeNull();

    await pick.click();
    await page.getByRole('button', { name: '确定恢复' }).click();
    await pending.waitFor();
  });

  it('starts the hub again on the backup, and the page says how it went', async () => {
    h = await h.restart();
    expect(await bookingStatus()).toBe('pending_payment');
    await page.goto(`${h.url}/owner/backup`);
    await signIn(OWNER_PIN);
    const last = page.getByTestId('restore-last');
    await last.getByText(/已在 .* 恢复到 .* 的备份/).waitFor();
    await last.getByText(/恢复前的数据库另存为 .*hub\.db\.before-restore-/).waitFor();
    expect(await page.getByTestId('restore-pending').count()).toBe(0);
    const kept = (await h.api('GET', '/api/backups', undefined, STAFF)).body.last.keptAs;
    expect(existsSync(kept)).toBe(true);
    await shot('4-restored');
  });
});
