// The platform's every-order list holds the bookings written before it existed: a store's
// bookings are written, and the change follower's checkpoint put past them (as a follower that ran
// before the list was added left it), before the cloud service starts; after one sweep the list
// shows them, though the follower read nothing. The store is read from its beginning once per
// version of the rows: again when the version changes, not at every sweep. Real HTTP against the
// embedded CouchDB-compatible server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS, storeDbName, type PlatformOrderPage } from '@roomhub/shared-types';
import type { CouchDoc } from '../../couch';
import { bookingFact, seedStoreDocs } from '../../../test/cloud-fixtures';
import { startPlatformCloud, type PlatformCloud } from '../platform-test-cloud';
import { ANALYTICS_DB } from '../analytics/platform-analytics';
import { ORDER_ROWS_VERSION } from './platform-orders';

/** Thursday 2026-12-03, 10:00 in Shanghai. */
const T0 = Date.parse('2026-12-03T10:00:00+08:00');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const STORE = 'oc';

let p: PlatformCloud;
let orderAdmin: string;

const booking = (bookingId: string, placedMs: number) =>
  bookingFact({
    storeId: STORE,
    bookingId,
    roomId: `${STORE}-r1`,
    start: iso(placedMs + 2 * 60 * MIN),
    end: iso(placedMs + 4 * 60 * MIN),
    amount: 9000,
    at: iso(placedMs),
  });

async function listed(): Promise<string[]> {
  const res = await p.api(
    'GET',
    '/api/platform/orders?from=2026-12-02&to=2026-12-03',
    undefined,
    orderAdmin,
  );
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json as PlatformOrderPage).orders.map((o) => o.bookingId);
}

beforeAll(async () => {
  p = await startPlatformCloud(T0, 'platform-orders-catch-up', async (couch) => {
    const hub = await couch.hub(STORE);
    await seedStoreDocs(
      hub,
      {
        storeId: STORE,
        name: '旧茶馆',
        lat: 31.2,
        lng: 121.4,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${STORE}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
      },
      T0,
    );
    for (const [id, placed] of [
      ['old1', T0 - 24 * 60 * MIN],
      ['old2', T0 - 90 * MIN],
      ['old3', T0 - 30 * MIN],
    ] as const) {
      await hub.put(storeDbName(STORE), booking(id, placed) as CouchDoc);
    }
    // The follower had read the store to its end before the orders list existed.
    const head = await couch.admin.changes(storeDbName(STORE), { since: 'now' });
    await couch.cloud.put(CLOUD_DBS.follower, {
      _id: `checkpoint:${storeDbName(STORE)}`,
      type: 'checkpoint',
      since: head!.lastSeq,
    });
  });
  orderAdmin = await p.staff('13900000012', ['order_admin']);
}, 90_000);
afterAll(async () => {
  await p?.close();
});

describe('the every-order list and bookings older than it', () => {
  it('lists the bookings written before the cloud started, which the follower never read', async () => {
    const sweep = await p.service.sweepNow();
    expect(sweep.changes).toBe(0);
    expect(await listed()).toEqual(['old3', 'old2', 'old1']);
    const mark = await p.couch.admin.get(ANALYTICS_DB, `orders-catch-up:${STORE}`);
    expect(mark).toMatchObject({ version: ORDER_ROWS_VERSION, done: true });
  }, 60_000);

  it('reads the store from its beginning again only when the rows’ version changes', async () => {
    const row = (await p.couch.admin.byPrefix(ANALYTICS_DB, 'order:2026-12-02:oc:'))[0]!;
    expect(row).toMatchObject({ bookingId: 'old1' });
    await p.couch.cloud.put(ANALYTICS_DB, { _id: row._id, _rev: row._rev, _deleted: true });
    // Caught up at this version: a sweep does not read the store again.
    await p.service.sweepNow();
    expect(await listed()).toEqual(['old3', 'old2']);
    // A mark of an older version: the next sweep reads it all again.
    const mark = (await p.couch.admin.get(ANALYTICS_DB, `orders-catch-up:${STORE}`))!;
    await p.couch.cloud.put(ANALYTICS_DB, { ...mark, version: ORDER_ROWS_VERSION - 1 });
    await p.service.sweepNow();
    expect(await listed()).toEqual(['old3', 'old2', 'old1']);
  }, 60_000);
});
