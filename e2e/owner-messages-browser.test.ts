// The store's notices on the hub's dashboard in a real browser (Debian's Chromium through
// playwright-core), against a real hub, an embedded CouchDB and the cloud service (C13): two
// bookings paid at the counter become 新预订 notices in the store's inbox; a manager signs in at
// /owner/, sees 消息 in the menu with the unread count, opens it and reads each notice with its
// order's number and its time in the store's zone; a tap marks one read and opens its order in the
// counter's bookings screen; back on 消息, 全部已读 reads the rest and the count goes. A cashier gets
// no dashboard at all. Screenshots of the screens are saved (folder printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { CloudStoreInbox } from '@roomhub/cloud-sync';
import type { InboxView } from '@roomhub/shared-types';
import { STAFF, at, until } from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import { builtScreens, openBrowser, ROOT, screenshotFolder, shotOnFailure } from './browser';

const SHOTS = resolve(ROOT, '.tmp/screenshots/owner-messages');
shotOnFailure(() => page, SHOTS);
const MANAGER_PIN = '222222';
const CASHIER_PIN = '333333';

let running: Awaited<ReturnType<typeof startStoreAndCloud>>;
let browser: BrowserContext;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'owner-messages-browser-'));
const booked: { id: string; number: string }[] = [];

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  running = await startStoreAndCloud('owner-messages-browser');
  const { hub, cloud } = running;
  hub.hub.setInbox(
    new CloudStoreInbox({
      cloudUrl: cloud.url,
      username: running.hubUser.user,
      password: running.hubUser.password!,
    }),
  );
  const rooms = await hub.roomIds();
  for (const [i, start, end] of [
    [0, at('14:00', 1), at('16:00', 1)],
    [1, at('18:00', 1), at('20:00', 1)],
  ] as const) {
    const made = await hub.api(
      'POST',
      '/api/bookings',
      { roomId: rooms[i], start, end, partySize: 2, customer: { phone: `1380007000${i}` } },
      STAFF,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const paid = await hub.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      {
        method: 'cash',
      },
      STAFF,
    );
    expect(paid.status, JSON.stringify(paid.body)).toBeLessThan(300);
    booked.push({ id: made.body.id as string, number: made.body.number as string });
    // The second paid a minute after the first.
    hub.clock.advance(60_000);
  }
  await until(
    'both notices in the store’s inbox',
    async () => {
      await cloud.sweepNow();
      const r = await hub.api('GET', '/api/messages', undefined, { 'x-test-as': 'manager' });
      const ids = (r.body as InboxView).messages?.map((m) => m.bookingId) ?? [];
      return booked.every((b) => ids.includes(b.id)) ? true : undefined;
    },
    60_000,
  );
  browser = await openBrowser(join(scratch, 'profile'), {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  screenshotFolder('owner-messages');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

const shot = (name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(pin: string): Promise<void> {
  await page.getByPlaceholder('员工密码').fill(pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** An instant as the store's wall clock reads it (Shanghai), `YYYY-MM-DD HH:mm`. */
const inStore = (iso: string) => {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${date} ${time}`;
};

describe('the store’s notices on the hub’s dashboard', () => {
  it('a manager reads them under 消息, opens one’s order, and marks the rest read', async () => {
    const { hub } = running;
    const inbox = (await hub.api('GET', '/api/messages', undefined, STAFF)).body as InboxView;
    const notices = booked.map((b) => inbox.messages.find((m) => m.bookingId === b.id)!);

    await page.goto(`${hub.url}/owner/`);
    await signIn(MANAGER_PIN);
    const menu = page.getByRole('menuitem', { name: /^消息/ });
    await menu.getByTestId('menu-unread').getByText('2').waitFor();
    await menu.click();
    await page.waitForURL(/\/owner\/messages$/);
    const items = page.getByTestId('owner-message');
    await expect.poll(() => items.count()).toBe(2);
    // Newest first, each with its order's number and its time at the store.
    for (const [i, b] of [...booked].reverse().entries()) {
      const item = items.nth(i);
      await item.getByText('新预订').waitFor();
      await item.getByTestId('message-order').getByText(`订单 ${b.number}`).waitFor();
      const notice = notices.find((n) => n.bookingId === b.id)!;
      await item.getByText(inStore(notice.at)).waitFor();
    }
    await page.getByTestId('inbox-unread').getByText('2 条未读').waitFor();
    await shot('01-manager-inbox');

    // A tap reads the first booking's notice and opens that order at the counter's bookings.
    await items.filter({ hasText: `订单 ${booked[0]!.number}` }).click();
    await page.waitForURL(/\/cashier\/bookings\?open=/);
    await page.getByTestId('booking-title').getByText(booked[0]!.number).waitFor();
    await shot('02-order-opened');
    const afterTap = (await hub.api('GET', '/api/messages', undefined, STAFF)).body as InboxView;
    expect(afterTap.unread).toBe(1);
    expect(afterTap.messages.find((m) => m.id === notices[0]!.id)?.read).toBe(true);

    // Back on 消息: one left unread; 全部已读 reads it, and the menu's count goes.
    await page.goto(`${hub.url}/owner/messages`);
    await page.getByTestId('inbox-unread').getByText('1 条未读').waitFor();
    await page.getByRole('button', { name: '全部已读' }).click();
    await page.getByTestId('inbox-unread').waitFor({ state: 'detached' });
    await expect.poll(() => menu.locator('.ant-badge-count').count()).toBe(0);
    await shot('03-all-read');
    const audit = await hub.api('GET', '/api/audit?limit=20', undefined, STAFF);
    expect(JSON.stringify(audit.body)).toContain('POST /api/messages/read');

    // A cashier has no dashboard, so no 消息 either.
    await page.getByRole('button', { name: '退出登录' }).click();
    await signIn(CASHIER_PIN);
    await page.getByTestId('not-for-role').waitFor();
    expect(await page.getByRole('menuitem').count()).toBe(0);
  }, 300_000);
});
