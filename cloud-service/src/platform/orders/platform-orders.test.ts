// Every order across the stores (P4) over real HTTP against the embedded CouchDB-compatible server,
// the stores' bookings and ledgers written as their hubs write them and read by the follower: two
// stores' bookings appear with their store and room, a refund shows what was given back, the
// filters (store, days, status, the customer's phone) and the pages hold, one order's ledger
// lines are read, and only the roles with orders.read may look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STORE_PROFILE_ID,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type PlatformOrderPage,
} from '@roomhub/shared-types';
import type { CouchDoc } from '../../couch';
import { bookingFact, ledgerFact, phoneId, seedStoreDocs } from '../../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from '../platform-test-cloud';

/** Thursday 2026-12-03, 10:00 in Shanghai. */
const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let p: PlatformCloud;
let orderAdmin: string;
let analyst: string;
let userAdmin: string;

async function put(storeId: string, doc: CouchDoc): Promise<void> {
  const db = storeDbName(storeId);
  const old = await p.couch.writers.get(db, doc._id);
  await p.couch.writers.put(db, { ...doc, ...(old?._rev ? { _rev: old._rev } : {}) });
}

async function orders(query = '', token = orderAdmin): Promise<PlatformOrderPage> {
  const res = await p.api('GET', `/api/platform/orders${query}`, undefined, token);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as PlatformOrderPage;
}

const booking = (
  storeId: string,
  bookingId: string,
  placedMs: number,
  more: { customerId?: string; intentId?: string } = {},
) =>
  bookingFact({
    storeId,
    bookingId,
    roomId: `${storeId}-r1`,
    start: iso(placedMs + 2 * 60 * MIN),
    end: iso(placedMs + 4 * 60 * MIN),
    amount: 12000,
    at: iso(placedMs),
    ...more,
  });

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-orders');
  orderAdmin = await p.staff('13900000002', ['order_admin']);
  analyst = await p.staff('13900000003', ['analyst']);
  userAdmin = await p.staff('13900000004', ['user_admin']);
  for (const [storeId, name] of [
    ['oa', '茶隐'],
    ['ob', '棋语'],
  ] as const) {
    await seedStoreDocs(
      await p.couch.hub(storeId),
      {
        storeId,
        name,
        lat: 31.2,
        lng: 121.4,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
      },
      T0,
    );
    const profile = (await p.couch.writers.get(storeDbName(storeId), STORE_PROFILE_ID))!;
    await put(storeId, { ...profile, updatedAt: iso(T0) });
  }
  // At the counter of 茶隐 with the customer's phone; online at 棋语, its intent naming the phone;
  // and one at 茶隐 placed the day before.
  await put('oa', booking('oa', 'b1', T0 - 60 * MIN, { customerId: phoneId('13800001111') }));
  await put('oa', ledgerFact({ ...pay('oa', 'b1', '1', 12000), at: iso(T0 - 60 * MIN) }));
  // The intent is the cloud's to write.
  await p.couch.cloud.put(storeInboxDbName('ob'), {
    _id: intentDocId('i-b2'),
    type: 'intent',
    kind: 'booking_request',
    body: { booking: { customer: { phone: '13800002222' } } },
  });
  await put(
    'ob',
    booking('ob', 'b2', T0 - 30 * MIN, { customerId: phoneId('13800002222'), intentId: 'i-b2' }),
  );
  await put('oa', booking('oa', 'b0', T0 - 24 * 60 * MIN));
  // b1 is refunded in full: its ledger and its booking say so.
  await put('oa', ledgerFact({ ...pay('oa', 'b1', '2', -12000), kind: 'refund', at: iso(T0) }));
  const b1 = booking('oa', 'b1', T0 - 60 * MIN, { customerId: phoneId('13800001111') });
  await put('oa', {
    ...b1,
    status: 'refunded',
    totals: { amount: 12000, paid: 12000, refunded: 12000 },
    updatedAt: iso(T0),
  });
  await p.service.sweepNow();
  await p.service.sweepNow();
}, 90_000);
afterAll(async () => {
  await p?.close();
});

function pay(storeId: string, bookingId: string, entryId: string, amount: number) {
  return {
    storeId,
    bookingId,
    entryId,
    kind: 'payment' as const,
    method: 'wechat' as const,
    amount,
    at: iso(T0),
  };
}

describe('every order across the stores', () => {
  it('lists today’s orders of both stores, newest first, with the refund given back', async () => {
    const page = await orders();
    expect(page).toMatchObject({ from: '2026-12-03', to: '2026-12-03', next: null });
    expect(page.orders.map((o) => `${o.storeId}/${o.bookingId}`)).toEqual(['ob/b2', 'oa/b1']);
    expect(page.orders[0]).toMatchObject({
      storeName: '棋语',
      roomId: 'ob-r1',
      roomName: 'Room ob-r1',
      status: 'paid',
      paid: 12000,
      refunded: 0,
      source: 'online',
      phone: '138****2222',
      start: iso(T0 + 90 * MIN),
    });
    expect(page.orders[1]).toMatchObject({
      storeName: '茶隐',
      status: 'refunded',
      paid: 12000,
      refunded: 12000,
      source: 'store',
      phone: null,
    });
  });

  it('filters by store, days, status and the customer’s phone', async () => {
    expect((await orders('?storeId=ob')).orders.map((o) => o.bookingId)).toEqual(['b2']);
    expect((await orders('?status=refunded')).orders.map((o) => o.bookingId)).toEqual(['b1']);
    const byPhone = await orders('?phone=13800001111');
    expect(byPhone.orders.map((o) => o.bookingId)).toEqual(['b1']);
    expect(byPhone.orders[0]!.phone).toBe('138****1111');
    expect((await orders('?phone=13800009999')).orders).toEqual([]);
    const twoDays = await orders('?from=2026-12-02&to=2026-12-03');
    expect(twoDays.orders.map((o) => o.bookingId)).toEqual(['b2', 'b1', 'b0']);
    expect((await orders('?from=2026-12-02&to=2026-12-02')).orders.map((o) => o.bookingId)).toEqual(
      ['b0'],
    );
  });

  it('refuses a range longer than 31 days or backwards, naming the field', async () => {
    for (const q of ['?from=2026-11-01&to=2026-12-03', '?from=2026-12-03&to=2026-12-01']) {
      const res = await p.api('GET', `/api/platform/orders${q}`, undefined, orderAdmin);
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe('to');
    }
    const phone = await p.api('GET', '/api/platform/orders?phone=123', undefined, orderAdmin);
    expect(phone.status).toBe(400);
    expect(phone.json.error.field).toBe('phone');
  });

  it('pages newest first, each order once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const q: string = `?from=2026-12-02&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await orders(q);
      seen.push(...page.orders.map((o) => o.bookingId));
      cursor = page.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(['b2', 'b1', 'b0']);
    const two = await orders('?from=2026-12-02&limit=2');
    expect(two.orders).toHaveLength(2);
    const rest = await orders(`?from=2026-12-02&limit=2&cursor=${encodeURIComponent(two.next!)}`);
    expect(rest.orders.map((o) => o.bookingId)).toEqual(['b0']);
    expect(rest.next).toBeNull();
  });

  it('shows one order’s ledger lines', async () => {
    const res = await p.api('GET', '/api/platform/orders/oa/b1/ledger', undefined, analyst);
    expect(res.status).toBe(200);
    expect(res.json.lines).toMatchObject([
      { entryId: '1', kind: 'payment', method: 'wechat', amount: 12000 },
      { entryId: '2', kind: 'refund', amount: -12000 },
    ]);
  });

  it('lets an analyst read and refuses a role without orders.read', async () => {
    expect((await orders('', analyst)).orders).toHaveLength(2);
    for (const path of ['/api/platform/orders', '/api/platform/orders/oa/b1/ledger']) {
      const res = await p.api('GET', path, undefined, userAdmin);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('not_allowed');
    }
  });
});
