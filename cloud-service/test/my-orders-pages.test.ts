// "My orders" a page at a time: across several stores, the bookings that carry the customer's id,
// newest start first; following `next` lists each of the customer's bookings once, in order, and
// nobody else's. A booking request names its store before the store answers, and the first page
// shows the requests still waiting. Against the embedded CouchDB-compatible server over HTTP,
// with the cloud service as it runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS, storeDbName } from '@roomhub/shared-types';
import { Tokens } from '../src/auth/tokens';
import { IntentRecordSchema, intentRecordId } from '../src/intents/intents';
import { CustomerIndex } from '../src/orders/customers';
import { startSeededCloud, type SeededCloud } from './seeded-cloud';
import type { TestCouch } from './test-couch';
import { bearer, bookingFact, callApi } from './cloud-fixtures';

const JWT_SECRET = 'my-orders-pages-secret-my-orders-pages-secret';
const STORES = ['pga', 'pgb', 'pgc'];
const T0 = Date.parse('2026-11-01T10:00:00+08:00');

let cloud: SeededCloud;
let couch: TestCouch;
let service: SeededCloud['service'];
const tokens = new Tokens({ secret: JWT_SECRET, clock: { now: () => Date.now() } });

beforeAll(async () => {
  cloud = await startSeededCloud({
    name: 'my-orders-pages',
    jwtSecret: JWT_SECRET,
    stores: STORES.map((storeId) => ({
      storeId,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 5000 }],
    })),
    seededAt: T0 - 86_400_000,
    // A booking request no hub answers comes back waiting soon.
    answerWaitMs: 300,
  });
  ({ couch, service } = cloud);
});

afterAll(async () => {
  await cloud?.close();
});

type Tie = 'own id' | "someone else's";

interface Placed {
  bookingId: string;
  storeId: string;
  start: string;
  tie: Tie;
}

/** Writes the bookings as their hubs publish them. */
async function publish(run: string, customerId: string, placed: Placed[]): Promise<void> {
  const at = new Date(T0 - 3_600_000).toISOString();
  for (const storeId of STORES) {
    const docs = placed
      .filter((p) => p.storeId === storeId)
      .map((p) =>
        bookingFact({
          storeId,
          bookingId: p.bookingId,
          roomId: `${storeId}-r1`,
          start: p.start,
          end: new Date(Date.parse(p.start) + 3_600_000).toISOString(),
          amount: 5000,
          ...(p.tie === 'own id' ? { customerId } : {}),
          ...(p.tie === "someone else's" ? { customerId: `other-${run}` } : {}),
          at,
        }),
      );
    if (docs.length > 0) await (await couch.hub(storeId)).bulkDocs(storeDbName(storeId), docs);
  }
  // As the change follower records them: the stores that hold a booking with the customer's id.
  await new CustomerIndex({ couch: couch.cloud }).addMany(
    placed.filter((p) => p.tie === 'own id').map((p) => ({ customerId, storeId: p.storeId })),
    T0,
  );
}

/** Every page from the first, following `next`. */
async function walk(token: string, limit: number) {
  const pages: { bookingId: string; storeId: string }[][] = [];
  let before: string | null = null;
  do {
    const query = `?limit=${limit}${before === null ? '' : `&before=${before}`}`;
    const res = await callApi(service.url, 'GET', `/api/orders${query}`, undefined, bearer(token));
    expect(res.status).toBe(200);
    pages.push(res.json.orders);
    before = res.json.next;
    expect(pages.length).toBeLessThanOrEqual(40);
  } while (before !== null);
  return pages;
}

describe('my orders, a page at a time', () => {
  it('lists each of the customer’s bookings once, newest start first, page after page, and none of anyone else’s', async () => {
    let runs = 0;
    const booking = fc.record({
      store: fc.constantFrom(...STORES),
      // Few distinct hours, so several bookings start at once, in one store or across stores.
      hour: fc.integer({ min: 0, max: 8 }),
      tie: fc.constantFrom<Tie>('own id', 'own id', "someone else's"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(booking, { maxLength: 24 }),
        fc.integer({ min: 1, max: 7 }),
        async (bookings, limit) => {
          const run = `r${(runs += 1)}${Math.random().toString(36).slice(2, 6)}`;
          const customerId = `pager-${run}`;
          const placed: Placed[] = bookings.map((b, i) => ({
            bookingId: `${run}-${String(i).padStart(2, '0')}`,
            storeId: b.store,
            start: new Date(T0 + b.hour * 3_600_000).toISOString(),
            tie: b.tie,
          }));
          await publish(run, customerId, placed);
          const token = await tokens.customer({ customerId });
          const pages = await walk(token, limit);

          const expected = placed
            .filter((p) => p.tie !== "someone else's")
            .sort(
              (a, b) =>
                Date.parse(b.start) - Date.parse(a.start) || b.bookingId.localeCompare(a.bookingId),
            )
            .map((p) => `${p.storeId}/${p.bookingId}`);
          expect(pages.flat().map((o) => `${o.storeId}/${o.bookingId}`)).toEqual(expected);
          for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
          // Every page but the last is full, and the last is not empty unless there is nothing.
          for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
          expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / limit)));
        },
      ),
      {
        numRuns: 40,
        // Always tried: one store read to the full on its last page (no empty page after it).
        examples: [
          [
            [
              { store: 'pga', hour: 1, tie: 'own id' },
              { store: 'pga', hour: 0, tie: 'own id' },
            ],
            1,
          ],
        ],
      },
    );
  });

  it('lets my data and the deletion check see every booking, not the first pages only', async () => {
    const run = `all${Math.random().toString(36).slice(2, 8)}`;
    const customerId = `pager-${run}`;
    const day = 86_400_000;
    const soon = Date.now() + day;
    // 104 bookings given back, starting after the one still ahead, which comes last, past 100.
    const docs = Array.from({ length: 105 }, (_, i) =>
      bookingFact({
        storeId: 'pgb',
        bookingId: `${run}-${String(i).padStart(3, '0')}`,
        roomId: 'pgb-r1',
        start: new Date(soon + i * 3 * 3_600_000).toISOString(),
        end: new Date(soon + i * 3 * 3_600_000 + 3_600_000).toISOString(),
        amount: 5000,
        customerId,
        status: i === 0 ? 'paid' : 'refunded',
        at: new Date().toISOString(),
      }),
    );
    await (await couch.hub('pgb')).bulkDocs(storeDbName('pgb'), docs);
    await new CustomerIndex({ couch: couch.cloud }).addMany([{ customerId, storeId: 'pgb' }], T0);
    const auth = bearer(await tokens.customer({ customerId }));

    const data = await callApi(service.url, 'GET', '/api/me/data', undefined, auth);
    expect(data.status).toBe(200);
    expect(data.json.orders.orders).toHaveLength(105);
    expect(data.json.orders.next).toBeNull();
    const check = await callApi(service.url, 'GET', '/api/me/deletion', undefined, auth);
    expect(check.json).toMatchObject({
      allowed: false,
      blockers: [{ code: 'booking_upcoming', storeId: 'pgb', bookingId: `${run}-000` }],
    });
  });

  it('looks in a store from the moment a booking request goes to it, and shows the requests still waiting on the first page', async () => {
    const run = `rq${Math.random().toString(36).slice(2, 8)}`;
    const customerId = `pager-${run}`;
    const auth = bearer(await tokens.customer({ customerId, phone: '13900007001' }));
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const asked = await callApi(
      service.url,
      'POST',
      '/api/bookings',
      {
        storeId: 'pgc',
        roomId: 'pgc-r1',
        start: start.toISOString(),
        end: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
        partySize: 2,
      },
      auth,
    );
    expect(asked.status).toBe(202);
    expect(asked.json.state).toBe('waiting');
    const { intentId } = asked.json as { intentId: string };
    // Nothing of the customer's has reached the cloud from the store, yet the index names it.
    expect(await couch.cloud.get(CLOUD_DBS.customers, `customer:${customerId}:pgc`)).toMatchObject({
      customerId,
      storeId: 'pgc',
    });

    // Records of requests no longer waiting, and a waiting intent of another kind: not listed.
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const record = (id: string, kind: string, state: string) =>
      IntentRecordSchema.parse({
        _id: intentRecordId({ customerId }, id),
        type: 'intent_record',
        intentId: id,
        storeId: 'pgc',
        customerId,
        kind,
        state,
        createdAt: at,
        updatedAt: at,
      });
    await couch.cloud.bulkDocs(CLOUD_DBS.intents, [
      record(`${run}-answered`, 'booking_request', 'answered'),
      record(`${run}-expired`, 'booking_request', 'expired'),
      record(`${run}-door`, 'door_open', 'waiting'),
    ]);
    const first = await callApi(service.url, 'GET', '/api/orders?limit=1', undefined, auth);
    expect(first.json).toMatchObject({ orders: [], next: null });
    expect(first.json.intents.map((i: { intentId: string }) => i.intentId)).toEqual([intentId]);
    expect(first.json.intents[0]).toMatchObject({ kind: 'booking_request', state: 'waiting' });

    // The store confirms: its booking carries the customer's id, as every hub stamps it. The
    // store was already in the index, so the booking is listed as soon as it has replicated.
    const booked = bookingFact({
      storeId: 'pgc',
      bookingId: `${run}-b1`,
      roomId: 'pgc-r1',
      start: start.toISOString(),
      end: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      amount: 10_000,
      customerId,
      intentId,
      at,
    });
    await (await couch.hub('pgc')).bulkDocs(storeDbName('pgc'), [booked]);
    const second = await callApi(service.url, 'GET', '/api/orders?limit=1', undefined, auth);
    expect(second.json.orders.map((o: { bookingId: string }) => o.bookingId)).toEqual([
      `${run}-b1`,
    ]);
    // The order's page: the intents about it, under each of the customer's ids (here the id from
    // before ids were keyed too), newest first, and not the request it answered.
    const formerId = `${customerId}-former`;
    const both = bearer(await tokens.customer({ customerId, phone: '13900007001', formerId }));
    const about = (id: string, by: string, minutesAgo: number) =>
      IntentRecordSchema.parse({
        _id: intentRecordId({ customerId: by }, id),
        type: 'intent_record',
        intentId: id,
        storeId: 'pgc',
        customerId: by,
        kind: 'door_open',
        bookingId: `${run}-b1`,
        state: 'answered',
        createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        updatedAt: at,
      });
    await couch.cloud.bulkDocs(CLOUD_DBS.intents, [
      about(`${run}-door-old`, formerId, 20),
      about(`${run}-door-new`, customerId, 10),
    ]);
    const detail = await callApi(service.url, 'GET', `/api/orders/${run}-b1`, undefined, both);
    expect(detail.status).toBe(200);
    expect(detail.json.intents.map((i: { intentId: string }) => i.intentId)).toEqual([
      `${run}-door-new`,
      `${run}-door-old`,
    ]);
    // Someone else asking for it is told there is no such booking.
    const stranger = bearer(await tokens.customer({ customerId: `${run}-stranger` }));
    expect(
      (await callApi(service.url, 'GET', `/api/orders/${run}-b1`, undefined, stranger)).status,
    ).toBe(404);

    // My data still holds every request the customer made, answered or not.
    const data = await callApi(service.url, 'GET', '/api/me/data', undefined, auth);
    expect(data.json.orders.intents.map((i: { intentId: string }) => i.intentId).sort()).toEqual(
      [`${run}-answered`, `${run}-expired`, intentId].sort(),
    );
  });

  it('refuses a page cursor it did not give, and a page size out of range, naming the field', async () => {
    const token = await tokens.customer({ customerId: 'pager-refused' });
    const bad = await callApi(
      service.url,
      'GET',
      '/api/orders?before=not-a-cursor',
      undefined,
      bearer(token),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('before');
    const none = await callApi(service.url, 'GET', '/api/orders?limit=0', undefined, bearer(token));
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.json)).toContain('limit');
    const empty = await callApi(service.url, 'GET', '/api/orders', undefined, bearer(token));
    expect(empty.json).toEqual({ orders: [], intents: [], next: null });
  });
});
