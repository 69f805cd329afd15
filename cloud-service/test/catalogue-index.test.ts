// "Stores near" from memory answers exactly what a plain scan of the catalogue database answers:
// random stores published by their hubs, added, moved, closed, their rooms retired or deleted and
// the stores taken off the map, derived into the catalogue as the change follower derives them,
// then random searches (a point anywhere near, across the antimeridian too, a radius or none, the
// filters, open now at any hour), compared with a brute-force filter over every catalogue document.
// Both the index of the process that wrote the catalogue (told at once) and another process's
// (which learns only from the change feed, deletions included) are checked, against the embedded
// CouchDB-compatible server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BookingRulesSchema,
  CLOUD_DBS,
  CatalogueRoomDocSchema,
  DEFAULT_BOOKING_RULES,
  RoomProfileDocSchema,
  STORE_PROFILE_ID,
  STORE_SEARCH_LIMIT,
  StoreProfileDocSchema,
  roomProfileDocId,
  storeDbName,
  type CatalogueRoomDoc,
  type StoreListItem,
  type StoreSearch,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../src/couch';
import { DesignDocs } from '../src/design-docs';
import { Catalogue } from '../src/stores/catalogue';
import { CatalogueIndex } from '../src/stores/catalogue-index';
import {
  CatalogueStoreEntrySchema,
  haversineKm,
  isOpenAt,
  type CatalogueStoreEntry,
} from '../src/stores/store-list';
import { byRoomOrder } from '../src/stores/store-profiles';
import { plan, SH } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const STORES = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];
const ROOMS_PER_STORE = 4;
/** Shanghai, Hangzhou and a spot on the antimeridian, where east and west meet. */
const CENTRES = [
  { lat: 31.23, lng: 121.47 },
  { lat: 30.27, lng: 120.15 },
  { lat: 0.5, lng: 179.98 },
];

let root: string;
let couch: TestCouch;
let cloud: CouchClient;
let now = Date.parse('2026-11-23T10:00:00+08:00');
let catalogue: Catalogue;
/** Another cloud instance's index: it hears of the writes only through the change feed. */
let elsewhere: CatalogueIndex;
const hubs = new Map<string, CouchClient>();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'catalogue-index-'));
  couch = await startTestCouch(root);
  cloud = couch.cloud;
  for (const storeId of STORES) hubs.set(storeId, await couch.hub(storeId));
  catalogue = new Catalogue({
    couch: cloud,
    views: new DesignDocs({ couch: cloud }),
    clock: { now: () => now },
  });
  elsewhere = new CatalogueIndex({ couch: cloud, longPollMs: 2_000 });
});

afterAll(async () => {
  await catalogue?.close();
  await elsewhere?.stop();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

interface RoomSeed {
  k: number;
  name: string;
  style: string;
  capacity: number;
  workday: number;
  sort: number;
  status: 'active' | 'retired';
}

interface Publish {
  storeId: string;
  /** null: the store takes itself off the map (no location). */
  location: { lat: number; lng: number } | null;
  name: string;
  hours: { open: string; close: string };
  /** Rooms not named are deleted from the store's database. */
  rooms: RoomSeed[];
}

/** What the store's hub publishes, then the catalogue derived from it as the follower does. */
async function publish(p: Publish): Promise<void> {
  const hub = hubs.get(p.storeId)!;
  const db = storeDbName(p.storeId);
  const put = async (doc: CouchDoc) => {
    const existing = await hub.get(db, doc._id);
    await hub.put(db, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) });
  };
  const at = new Date(now).toISOString();
  await put(
    StoreProfileDocSchema.parse({
      _id: STORE_PROFILE_ID,
      type: 'store_profile',
      storeId: p.storeId,
      name: p.name,
      address: `${p.storeId} Road 1`,
      phone: '021-12345678',
      timeZone: SH,
      hours: p.hours,
      location: p.location,
      photos: [],
      rules: BookingRulesSchema.parse(DEFAULT_BOOKING_RULES),
      calendar: {},
      updatedAt: at,
    }) as CouchDoc,
  );
  for (let k = 0; k < ROOMS_PER_STORE; k++) {
    const roomId = `${p.storeId}-r${k}`;
    const room = p.rooms.find((r) => r.k === k);
    if (room) {
      await put(
        RoomProfileDocSchema.parse({
          _id: roomProfileDocId(roomId),
          type: 'room_profile',
          storeId: p.storeId,
          roomId,
          name: room.name,
          capacity: room.capacity,
          areaSqm: 20,
          style: room.style,
          facilities: [],
          photos: [],
          pricePlan: { ...plan, rates: { ...plan.rates, workday: room.workday } },
          rules: null,
          status: room.status,
          sort: room.sort,
          updatedAt: at,
        }) as CouchDoc,
      );
    } else {
      const existing = await hub.get(db, roomProfileDocId(roomId));
      if (existing) await hub.put(db, { ...existing, _deleted: true });
    }
  }
  await catalogue.refreshStore(p.storeId);
}

/** The plain scan: every catalogue document, filtered and ordered as the search has always done. */
async function scan(q: StoreSearch, nowMs: number): Promise<StoreListItem[]> {
  const docs = (await cloud.byPrefix(CLOUD_DBS.catalogue, '')).filter(
    (d) => !d._id.startsWith('_design/'),
  );
  const stores: CatalogueStoreEntry[] = [];
  const roomsByStore = new Map<string, CatalogueRoomDoc[]>();
  for (const doc of docs) {
    const store = CatalogueStoreEntrySchema.safeParse(doc);
    if (doc._id.startsWith('store:') && store.success) stores.push(store.data);
    const room = CatalogueRoomDocSchema.safeParse(doc);
    if (doc._id.startsWith('room:') && room.success) {
      roomsByStore.set(room.data.storeId, [
        ...(roomsByStore.get(room.data.storeId) ?? []),
        room.data,
      ]);
    }
  }
  const point = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
  const hits: StoreListItem[] = [];
  for (const store of stores) {
    const distanceKm = point ? haversineKm(point, store.location) : null;
    if (distanceKm !== null && q.maxKm !== undefined && distanceKm > q.maxKm) continue;
    const openNow = isOpenAt(store.hours, store.timeZone, nowMs);
    if (q.openNow && !openNow) continue;
    const rooms = (roomsByStore.get(store.storeId) ?? []).filter(
      (r) =>
        (q.priceMin === undefined || r.fromPricePerHour >= q.priceMin) &&
        (q.priceMax === undefined || r.fromPricePerHour <= q.priceMax) &&
        (q.style === undefined || r.style === q.style) &&
        (q.capacity === undefined || r.capacity >= q.capacity),
    );
    if (rooms.length === 0) continue;
    rooms.sort(byRoomOrder);
    hits.push({
      storeId: store.storeId,
      name: store.name,
      address: store.address,
      location: store.location,
      distanceKm: distanceKm === null ? null : Math.round(distanceKm * 1000) / 1000,
      openNow,
      hours: store.hours,
      fromPricePerHour: Math.min(...rooms.map((r) => r.fromPricePerHour)),
      rooms: rooms.map((r) => ({
        roomId: r.roomId,
        name: r.name,
        style: r.style,
        capacity: r.capacity,
        fromPricePerHour: r.fromPricePerHour,
      })),
    });
  }
  return hits
    .sort((a, b) =>
      a.distanceKm !== null && b.distanceKm !== null
        ? a.distanceKm - b.distanceKm
        : a.name.localeCompare(b.name),
    )
    .slice(0, q.limit ?? STORE_SEARCH_LIMIT);
}

/** A point within about 15 km of one of the centres (wrapped across the antimeridian). */
const nearCentre = fc
  .tuple(
    fc.constantFrom(...CENTRES),
    fc.double({ min: -0.12, max: 0.12, noNaN: true }),
    fc.double({ min: -0.12, max: 0.12, noNaN: true }),
  )
  .map(([c, dLat, dLng]) => {
    const lng = c.lng + dLng;
    return { lat: c.lat + dLat, lng: lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng };
  });

const roomSeed = (k: number) =>
  fc.record({
    k: fc.constant(k),
    name: fc.constantFrom('大包', '小包', 'Room'),
    style: fc.constantFrom('tea', 'mahjong', 'chess'),
    capacity: fc.integer({ min: 1, max: 8 }),
    workday: fc.constantFrom(3000, 5000, 6000, 8000),
    sort: fc.integer({ min: 0, max: 2 }),
    status: fc.constantFrom('active', 'active', 'active', 'retired') as fc.Arbitrary<
      'active' | 'retired'
    >,
  });

const publishing: fc.Arbitrary<Publish> = fc.record({
  storeId: fc.constantFrom(...STORES),
  location: fc.oneof(
    { weight: 6, arbitrary: nearCentre },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  // Names alike on purpose: stores that tie keep their id order.
  name: fc.constantFrom('茶室', '棋牌室', 'Tea House'),
  hours: fc.constantFrom(
    { open: '00:00', close: '24:00' },
    { open: '10:00', close: '22:00' },
    { open: '22:00', close: '06:00' },
    { open: '09:00', close: '09:00' },
    { open: 'late', close: 'never' },
  ),
  rooms: fc
    .tuple(...Array.from({ length: ROOMS_PER_STORE }, (_, k) => fc.option(roomSeed(k))))
    .map((rooms) => rooms.flatMap((r) => (r ? [r] : []))),
});

const searching: fc.Arbitrary<{ q: StoreSearch; at: number }> = fc.record({
  q: fc
    .record(
      {
        point: nearCentre,
        maxKm: fc.constantFrom(0, 0.5, 1, 3, 5, 10, 30, 20_000),
        priceMin: fc.constantFrom(3000, 5000, 7000),
        priceMax: fc.constantFrom(3000, 5000, 7000),
        style: fc.constantFrom('tea', 'mahjong', 'chess', 'billiards'),
        capacity: fc.integer({ min: 1, max: 9 }),
        openNow: fc.boolean(),
        limit: fc.constantFrom(1, 2, 3),
      },
      { requiredKeys: [] },
    )
    .map(({ point, maxKm, ...filters }): StoreSearch => ({
      ...(point ? { lat: point.lat, lng: point.lng } : {}),
      ...(point && maxKm !== undefined ? { maxKm } : {}),
      ...filters,
    })),
  at: fc
    .integer({ min: 0, max: 24 * 60 - 1 })
    .map((m) => Date.parse('2026-11-23T00:00:00+08:00') + m * 60_000),
});

describe('stores near, from the index', () => {
  it('answers what a plain scan of the catalogue answers, as stores come, move, close and go', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(publishing, fc.array(searching, { minLength: 1, maxLength: 3 })), {
          minLength: 1,
          maxLength: 5,
        }),
        async (steps) => {
          for (const [change, searches] of steps) {
            await publish(change);
            await elsewhere.catchUp();
            for (const { q, at } of searches) {
              now = at;
              const expected = await scan(q, at);
              expect(await catalogue.search(q)).toEqual(expected);
              expect(await elsewhere.search(q, at)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
    // The runs did reach the cases that matter: stores listed, near and far, on both sides.
    const everything = await scan({}, now);
    expect(everything.length).toBeGreaterThan(0);
  }, 240_000);

  it('finds a store across the antimeridian within the radius, and not one just beyond it', async () => {
    now = Date.parse('2026-11-23T10:00:00+08:00');
    const open = { open: '00:00', close: '24:00' };
    const room = { k: 0, name: 'Room', style: 'tea', capacity: 4, workday: 5000, sort: 0 };
    await publish({
      storeId: 's0',
      location: { lat: 0, lng: 179.99 },
      name: 'East',
      hours: open,
      rooms: [{ ...room, status: 'active' }],
    });
    await publish({
      storeId: 's1',
      location: { lat: 0, lng: -179.99 },
      name: 'West',
      hours: open,
      rooms: [{ ...room, k: 0, status: 'active' }],
    });
    // 0.02 degrees of longitude at the equator: 2.224 km apart across the line.
    const q = { lat: 0, lng: 179.99, maxKm: 2.3 };
    await elsewhere.catchUp();
    const ids = (list: StoreListItem[]) => list.map((s) => s.storeId);
    expect(ids(await catalogue.search(q))).toEqual(['s0', 's1']);
    expect(ids(await elsewhere.search(q, now))).toEqual(['s0', 's1']);
    expect(ids(await catalogue.search({ ...q, maxKm: 2.2 }))).toEqual(['s0']);
    expect(await catalogue.search(q)).toEqual(await scan(q, now));
  });

  it("hears another instance's writes from the feed it follows, and stops following at once", async () => {
    now = Date.parse('2026-11-23T10:00:00+08:00');
    const room = { k: 0, name: 'Room', style: 'tea', capacity: 4, workday: 5000, sort: 0 };
    const q = { lat: 31.23, lng: 121.47, maxKm: 1 };
    const other = new CatalogueIndex({ couch: cloud, longPollMs: 20_000 });
    try {
      // Following now: warming loads the catalogue and starts the long-poll, before any search.
      other.warm();
      await other.ready();
      await publish({
        storeId: 's2',
        location: { lat: 31.231, lng: 121.471 },
        name: 'Followed',
        hours: { open: '00:00', close: '24:00' },
        rooms: [{ ...room, status: 'active' }],
      });
      // The catalogue as written now; the other index gets there from the feed alone.
      const expected = await scan(q, now);
      expect(expected.some((s) => s.storeId === 's2' && s.name === 'Followed')).toBe(true);
      const same = async () =>
        JSON.stringify(await other.search(q, now)) === JSON.stringify(expected);
      const until = Date.now() + 5_000;
      while (!(await same()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(await other.search(q, now)).toEqual(expected);
    } finally {
      // The long-poll waits 20 s for a change; stopping does not wait for it.
      const started = Date.now();
      await other.stop();
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });
});
