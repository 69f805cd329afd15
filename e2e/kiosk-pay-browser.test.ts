// The kiosk in a real browser (Debian's Chromium through playwright-core), part two: what the
// customer shows its scanner pays a walk-in (a voucher typed in by a USB scanner in keyboard
// mode, a WeChat payment code read by a serial scanner wired to this kiosk through the hub, a
// member's wallet by the member code on their phone, refused for someone not a member), a
// customer shows a booking by its door code and sees its time left, its reminders, extends it and
// pays, opens its door, sees the overtime; and with the cloud link cut the kiosk keeps booking
// and opening doors, the bookings reaching the cloud once the link is healed. Every new screen is
// saved as a screenshot (the folder is printed).
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { socatAvailable, startPtyPair, type PtyPair } from '@roomhub/firmware-bridge/simulator';
import { IntentKeys } from '@roomhub/cloud-sync';
import {
  bookingDocId,
  customerIdForPhone,
  MEMBER_CODE_TTL_SECONDS,
  memberCodeText,
  storeDbName,
  type MemberCode,
} from '@roomhub/shared-types';
import {
  as,
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  signedByCloud,
  startTestHub,
  until,
  type TestHub,
} from '@roomhub/hub-app/testing';
import { startStoreAndCloud } from './fixtures';
import {
  builtScreens,
  openTouchscreen,
  screenshots,
  tapDigits as tap,
} from './kiosk-browser-setup';

const KIOSK = '大堂自助机';

let h: TestHub;
let pty: PtyPair;
let browser: BrowserContext;
let page: Page;
let shot: (name: string) => Promise<unknown>;
const scratch = mkdtempSync(join(tmpdir(), 'kiosk-pay-browser-'));

beforeAll(async () => {
  process.env.HUB_SCREENS_DIR = await builtScreens();
  // A serial scanner under the kiosk's screen, wired to it by the store's scanners file.
  pty = await startPtyPair();
  const scanners = join(scratch, 'scanners.json');
  writeFileSync(
    scanners,
    JSON.stringify({ serial: [{ path: pty.b }], kiosks: { [pty.b]: KIOSK } }),
  );
  h = await startTestHub({ scannersFile: scanners });
  // As the hub does with a cloud link: the cloud's keys check the member codes it signs.
  h.hub.memberCodes.trustCloud(new IntentKeys([CLOUD_KEYS.publicKey]), CUSTOMER_ID_KEY);
  ({ browser, page } = await openTouchscreen(scratch));
  shot = screenshots(() => page, 'kiosk-pay');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await pty?.close();
  delete process.env.HUB_SCREENS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

// A failed step leaves what the customer saw then.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await shot(`failed-${ctx.task.name.slice(0, 40)}`);
});

const tapDigits = (keypad: string, digits: string) => tap(page, keypad, digits);

/** A USB scanner in keyboard mode reads `text`: a burst of keys far faster than a hand, then Enter. */
async function scanByKeyboard(text: string): Promise<void> {
  await page.evaluate(`{
    for (const key of [...${JSON.stringify(text)}, 'Enter'])
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }`);
}

/** The member code the cloud would show on the phone of the customer signed in with `phone`. */
function memberCodeOf(hub: TestHub, phone: string): string {
  const body = {
    type: 'member_code' as const,
    id: `e2e${Math.random().toString(36).slice(2, 12)}`,
    customer: customerIdForPhone(phone, CUSTOMER_ID_KEY),
    store: hub.hub.store.getStore().id,
    exp: Math.floor(hub.clock.now() / 1000) + MEMBER_CODE_TTL_SECONDS,
  };
  return memberCodeText(signedByCloud(body) as MemberCode);
}

/** Opens the kiosk page on `hub` as a kiosk the owner paired under `name`. */
async function openKiosk(hub: TestHub, name: string): Promise<void> {
  const made = await hub.api(
    'POST',
    '/api/screens/pairing-codes',
    { name, kind: 'kiosk' },
    as('owner'),
  );
  const paired = await hub.api('POST', '/api/screens/pair', { code: made.body.code });
  expect(paired.status).toBe(201);
  await page.goto(`${hub.url}/kiosk/#screenToken=${paired.body.token as string}`);
  await page.getByText('今日房态').waitFor();
}

/** A walk-in from the board: a room, from now, `hours` long, a phone; waits on the paying screen. */
async function walkIn(room: string, hours: number, phone: string): Promise<void> {
  await page.locator('.kiosk-store').click();
  await page.getByRole('button', { name: '立即预订' }).click();
  await page.getByRole('button', { name: new RegExp(room) }).click();
  await page.getByRole('button', { name: '现在' }).click();
  await page.getByRole('button', { name: `${hours} 小时` }).click();
  await tapDigits('phone-keypad', phone);
  await expect
    .poll(() => page.getByRole('button', { name: '确认预订' }).isEnabled(), { timeout: 10_000 })
    .toBe(true);
  await page.getByRole('button', { name: '确认预订' }).click();
  await page.getByRole('button', { name: '到前台付款' }).waitFor();
}

/** The day's booking of a room, as the counter sees it. */
async function bookingIn(
  hub: TestHub,
  room: string,
): Promise<{ id: string; status: string; total: number; due: number } | undefined> {
  const list = await hub.api('GET', '/api/bookings?date=2026-11-23', undefined, as('cashier'));
  return list.body.find((b: { room: { name: string } }) => b.room.name === room);
}

/** The pulses a hub sent to the first room's lock (relay board 1, relay 0). */
const lockPulses = (hub: TestHub) =>
  hub.devices.simulator!.writes().filter((w) => w.slaveId === 1 && w.address === 0x0200);

/** The door code on screen, typed on the door keypad: the door opens. */
async function openWithDoorCode(name: string): Promise<void> {
  const code = page.getByTestId('door-code');
  await code.waitFor({ timeout: 15_000 });
  const digits = (await code.textContent())!.trim();
  await page.getByRole('button', { name: '现在去开门' }).click();
  await tapDigits('door-keypad', digits);
  await page.getByTestId('door-open').click();
  await page.getByText('门已打开，请进').waitFor();
  await shot(name);
}

describe.runIf(socatAvailable())('the kiosk takes what the customer shows its scanner', () => {
  it('a voucher typed in by the USB scanner pays a walk-in, and the door opens', async () => {
    await openKiosk(h, KIOSK);
    const deal = await h.api(
      'POST',
      '/api/deals',
      {
        source: 'own',
        title: '任意时段 2 小时',
        entitlement: { kind: 'hours', minutes: 120 },
        price: 6800,
        status: 'on_sale',
      },
      as('owner'),
    );
    expect(deal.status).toBe(201);
    const voucher = await h.api(
      'POST',
      '/api/vouchers',
      { dealId: deal.body.id, customer: { phone: '13800138000' } },
      as('cashier'),
    );
    expect(voucher.status).toBe(201);

    await walkIn('听雨', 2, '13800138000');
    await page.getByRole('button', { name: '扫付款码或团购券' }).click();
    await page.getByText('请出示付款码或团购券').waitFor();
    await shot('01-scan-to-pay');
    // A scanner in keyboard mode: the voucher's QR as a burst of keys far faster than a hand,
    // ended by Enter.
    await page.evaluate(`{
      for (const key of [...${JSON.stringify(voucher.body.qr)}, 'Enter'])
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }`);
    await openWithDoorCode('02-voucher-paid-door-opened');
    expect(lockPulses(h)).toHaveLength(1);
    const b = await bookingIn(h, '听雨');
    expect(b).toMatchObject({ status: 'in_use', due: 0 });
    const redeemed = await h.api('GET', '/api/vouchers/redemptions', undefined, as('cashier'));
    expect(redeemed.body).toEqual([
      expect.objectContaining({ bookingId: b!.id, covered: b!.total, status: 'done' }),
    ]);
  }, 90_000);

  it('a WeChat payment code read by the kiosk’s own serial scanner pays a walk-in', async () => {
    await walkIn('竹影', 1, '13600136000');
    // Held to the scanner while the ways to pay are on screen: the kiosk takes it as paying.
    const fd = openSync(pty.a, 'w');
    writeSync(fd, `${h.gateway!.payerCode()}\r\n`);
    closeSync(fd);
    await page.getByTestId('door-code').waitFor({ timeout: 15_000 });
    await shot('03-payment-code-paid');
    const b = await bookingIn(h, '竹影');
    expect(b).toMatchObject({ status: 'paid', due: 0 });
    const detail = await h.api('GET', `/api/bookings/${b!.id}`, undefined, as('cashier'));
    expect(detail.body.payments).toEqual([
      expect.objectContaining({ method: 'wechat', status: 'succeeded' }),
    ]);
  }, 60_000);

  it('a member’s code pays a walk-in from their wallet; a code of someone not a member is refused', async () => {
    const member = '13700137000';
    const topUp = await h.api(
      'POST',
      '/api/wallet/top-ups',
      { phone: member, amount: 20000 },
      as('cashier'),
    );
    expect(topUp.status).toBe(201);
    // The phone typed is a friend's: the wallet that pays is the code's member's, never the number's.
    await walkIn('松风', 1, '13400134000');
    await page.getByRole('button', { name: '会员储值支付' }).click();
    await page.getByText('请出示会员码').waitFor();
    await shot('03a-member-code-asked');

    await scanByKeyboard(memberCodeOf(h, '13100131000'));
    const refused = page.getByTestId('member-refused');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.textContent()).toContain('您还不是本店会员');
    await shot('03b-member-code-not-a-member');

    await scanByKeyboard(memberCodeOf(h, member));
    const paid = page.getByTestId('member-paid');
    await paid.waitFor({ timeout: 15_000 });
    const b = await bookingIn(h, '松风');
    expect(b).toMatchObject({ status: 'paid', due: 0 });
    expect(await paid.textContent()).toContain('会员 137****7000');
    expect(await page.getByTestId('member-balance').textContent()).toBe(
      `储值余额 ¥${((20000 - b!.total) / 100).toFixed(2)}`,
    );
    await shot('03c-member-code-paid');
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByTestId('door-code').waitFor({ timeout: 15_000 });
    const wallet = await h.api('GET', `/api/wallets/${member}`, undefined, as('cashier'));
    expect(wallet.body.total).toBe(20000 - b!.total);
  }, 60_000);

  it('a customer shows a booking by its door code: time left, the door, reminders, more time paid, overtime', async () => {
    const rooms = await h.api('GET', '/api/rooms');
    const room = rooms.body.find((r: { name: string }) => r.name === '观山');
    const made = await h.api('POST', '/api/bookings', {
      roomId: room.id,
      start: '2026-11-23T10:00:00+08:00',
      end: '2026-11-23T11:00:00+08:00',
      partySize: 2,
      customer: { phone: '13500135000' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await h.api(
      'POST',
      `/api/bookings/${made.body.id}/payments`,
      { method: 'cash' },
      as('cashier'),
    );
    const code = (await h.api('GET', `/api/bookings/${made.body.id}/door-code`)).body
      .code as string;

    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '我的预订' }).click();
    await tapDigits('prove-keypad', made.body.number as string);
    await tapDigits('prove-keypad', code);
    await shot('04-prove');
    await page.getByTestId('prove-submit').click();
    await page.getByTestId('session').waitFor();
    await expect.poll(() => page.getByTestId('time-left').textContent()).toBe('还剩 60 分钟');
    await page.getByTestId('session-open-door').click();
    await page.getByTestId('door-opened').waitFor();
    await shot('05-session-door-opened');
    expect(
      (await h.api('GET', `/api/bookings/${made.body.id}`, undefined, as('cashier'))).body,
    ).toMatchObject({ status: 'in_use' });

    // A quarter of an hour before the end the hub reminds the room; the kiosk shows it live.
    h.clock.advance(45 * 60_000);
    await h.runJobs();
    await page.getByTestId('reminder').waitFor();
    expect(await page.getByTestId('reminder').textContent()).toContain('15 分钟');
    await expect.poll(() => page.getByTestId('time-left').textContent()).toBe('还剩 15 分钟');
    await shot('06-session-reminder');

    // The kiosk's pass ran out while the guest was in the room: asked to add time, the kiosk
    // asks for the booking again, and shows the reminder the hub sent.
    await page.getByRole('button', { name: '续 30 分钟' }).click();
    await page.getByRole('button', { name: '重新出示开门码' }).click();
    // The code the customer has now (codes change with time, as their SMS says).
    const codeNow = (await h.api('GET', `/api/bookings/${made.body.id}/door-code`)).body
      .code as string;
    await tapDigits('prove-keypad', made.body.number as string);
    await tapDigits('prove-keypad', codeNow);
    await page.getByTestId('prove-submit').click();
    await page.getByTestId('reminder').waitFor();

    // Half an hour more, priced by the hub and paid by the WeChat QR like a walk-in.
    await page.getByRole('button', { name: '续 30 分钟' }).click();
    await page.getByText('续时付款').waitFor();
    const due = (await page.getByTestId('due').textContent())!;
    expect(due).toMatch(/^¥\d+\.\d\d$/);
    expect(due).not.toBe('¥0.00');
    await page.getByRole('button', { name: '微信支付' }).click();
    const qr = page.getByTestId('pay-qr');
    await qr.waitFor();
    await shot('07-extension-pay');
    await h.gateway!.pay((await qr.getAttribute('data-payment-id'))!);
    await page.getByTestId('session').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('session-end').textContent()).toBe('11:30');
    await expect.poll(() => page.getByTestId('time-left').textContent()).toBe('还剩 45 分钟');
    await shot('08-session-extended');

    // Past the new end the guest is still in, and comes out to the kiosk: the overtime counts up.
    h.clock.advance(55 * 60_000);
    await h.runJobs();
    await page.locator('.kiosk-store').click();
    await page.getByRole('button', { name: '我的预订' }).click();
    const codeLater = (await h.api('GET', `/api/bookings/${made.body.id}/door-code`)).body
      .code as string;
    await tapDigits('prove-keypad', made.body.number as string);
    await tapDigits('prove-keypad', codeLater);
    await page.getByTestId('prove-submit').click();
    await expect
      .poll(() => page.getByTestId('overtime').textContent(), { timeout: 10_000 })
      .toBe('已超时 10 分钟');
    await shot('09-session-overtime');
  }, 90_000);
});

describe('the kiosk with the cloud link cut', () => {
  it('keeps booking and opening doors; the bookings reach the cloud once the link is back', async () => {
    const running = await startStoreAndCloud('kiosk-offline');
    try {
      const { hub, proxy, couch } = running;
      await openKiosk(hub, '门口自助机');
      proxy.cut();
      await page.getByText(/云端/).waitFor({ timeout: 15_000 });

      await walkIn('听雨', 1, '13300133000');
      await page.getByRole('button', { name: '微信支付' }).click();
      const qr = page.getByTestId('pay-qr');
      await qr.waitFor();
      await hub.gateway!.pay((await qr.getAttribute('data-payment-id'))!);
      await openWithDoorCode('10-offline-door-opened');
      expect(lockPulses(hub)).toHaveLength(1);
      const booked = await bookingIn(hub, '听雨');
      expect(booked?.status).toBe('in_use');

      proxy.heal();
      const db = storeDbName(hub.hub.store.getStore().id);
      const doc = await until('the booking in the cloud', async () => {
        const r = await fetch(
          `${couch.url}/${db}/${encodeURIComponent(bookingDocId(booked!.id))}`,
          {
            headers: { authorization: authOf(couch.adminUrl) },
          },
        );
        return r.ok ? ((await r.json()) as Record<string, unknown>) : undefined;
      });
      expect(doc).toMatchObject({ status: 'in_use' });
      await page.getByText(/云端/).waitFor({ state: 'detached', timeout: 15_000 });
      await shot('11-online-again');
    } finally {
      await running.close();
    }
  }, 120_000);
});

/** The Basic authorisation header of a URL's credentials. */
function authOf(url: string): string {
  const u = new URL(url);
  return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
}
