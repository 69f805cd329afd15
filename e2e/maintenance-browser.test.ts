// The owner takes a room out for maintenance on the rooms page, in a real browser (Debian's
// Chromium through playwright-core) against the hub: the booking already in the period is listed
// to move or refund, the room is then refused for a new booking in it, and ending the maintenance
// early frees it. Each step is a screenshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER_PIN, STAFF, as, at, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import {
  builtScreens,
  openBrowser,
  pickOption,
  ROOT,
  screenshotFolder,
  shotOnFailure,
} from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/maintenance');
shotOnFailure(() => page, SHOTS);

let h: TestHub;
let browser: BrowserContext;
let page: Page;
let room: string;
let number: string;
const scratch = mkdtempSync(join(tmpdir(), 'maintenance-browser-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  h = await startTestHub();
  [room] = (await h.roomIds()) as [string];
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00', 1),
    end: at('16:00', 1),
    partySize: 2,
    customer: { phone: '13800138009' },
  });
  expect(b.status).toBe(201);
  number = b.body.number;
  expect(
    (await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF)).status,
  ).toBe(201);
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('maintenance');
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

describe('rooms under maintenance', () => {
  it('marks a room, lists the booking to move, refuses new bookings, ends early', async () => {
    await page.goto(`${h.url}/owner/rooms`);
    await page.getByPlaceholder('员工密码').fill(OWNER_PIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByText('没有维护安排。').waitFor();

    const name = h.hub.store.getRoom(room).name;
    // The room is chosen before the form is sent: a pick lost on a busy machine would send nothing.
    await pickOption(page, page.getByLabel('包间', { exact: true }), new RegExp(name));
    const day = at('00:00', 1).slice(0, 10);
    await page.getByLabel('开始', { exact: true }).fill(`${day}T13:00`);
    await page.getByLabel('结束', { exact: true }).fill(`${day}T18:00`);
    await page.getByLabel('原因（如：空调维修）').fill('空调维修');
    await page.getByRole('button', { name: '设为维护' }).click();
    // What stays on the page, not the notice that fades after a few seconds: the mark lists the
    // booking to move (a busy machine may take longer than the notice lasts to draw it).
    const mark = page.getByTestId('maintenance-mark');
    await mark.getByText(`${number} 号`).waitFor();
    await mark.getByText('1 个预订需要改期或退款：').waitFor();
    await shot('1-marked');

    const refused = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('16:30', 1),
      end: at('17:30', 1),
      partySize: 2,
      customer: { phone: '13800138010' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('room_under_maintenance');

    await mark.getByRole('button', { name: '提前结束维护' }).click();
    await mark.getByText('已结束', { exact: true }).waitFor();
    await shot('2-lifted');
    const freed = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('16:30', 1),
      end: at('17:30', 1),
      partySize: 2,
      customer: { phone: '13800138010' },
    });
    expect(freed.status).toBe(201);
    const list = await h.api('GET', '/api/maintenance', undefined, as('owner'));
    expect(list.body[0].lifted).toBe(true);
  }, 120_000);
});
