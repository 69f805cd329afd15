// A room's review summary, kept in one document, under racing writers: two cloud instances list
// reviews of the same rooms at once while customers read the room pages. Whatever the order, the
// page counts every listed review once, averages them and lists the newest first.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  answerDoc,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type ReviewRatings,
} from '@roomhub/shared-types';
import { createCouchClient, type CouchClient, type CouchDoc } from '../src/couch';
import { ReviewIndex, SUMMARY_FRESH_MS } from '../src/stores/reviews';
import { StoreZones } from '../src/stores/store-zones';
import { bookingFact, phoneId } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const STORE = 'rs';
const T0 = Date.parse('2026-12-01T02:00:00.000Z');
/** The instances' clock. */
let now = T0;

let root: string;
let couch: TestCouch;
/** Two instances listing reviews, and a third answering the room pages. */
let first: ReviewIndex;
let second: ReviewIndex;
let reader: ReviewIndex;

/** An instance; `hold` makes its reads of a room's reviews answer only once it is let go. */
function instance(hold?: { until: Promise<void>; on: boolean }): ReviewIndex {
  const client = createCouchClient(couch.cloudUrl);
  const reads: CouchClient = {
    ...client,
    byPrefix: async <T extends CouchDoc = CouchDoc>(db: string, prefix: string) => {
      const found = await client.byPrefix<T>(db, prefix);
      if (hold?.on) await hold.until;
      return found;
    },
  };
  const zones = new StoreZones({ couch: client, clock: { now: () => T0 } });
  return new ReviewIndex({ couch: reads, zones, clock: { now: () => now } });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'review-summary-'));
  couch = await startTestCouch(root);
  [first, second, reader] = [instance(), instance(), instance()];
});

/** A completed booking in the room and its review intent; the answer that accepts it. */
async function visitOf(bookingId: string, roomId: string, minute: number, ratings: ReviewRatings) {
  const hub = await couch.hub(STORE);
  await hub.put(
    storeDbName(STORE),
    bookingFact({
      storeId: STORE,
      bookingId,
      roomId,
      start: '2026-11-30T14:00:00+08:00',
      end: '2026-11-30T16:00:00+08:00',
      amount: 5000,
      status: 'completed',
      at: new Date(T0).toISOString(),
    }),
  );
  await couch.cloud.put(storeInboxDbName(STORE), {
    _id: intentDocId(`${bookingId}-r`),
    type: 'intent',
    intentId: `${bookingId}-r`,
    storeId: STORE,
    customerId: phoneId('13600000001'),
    createdAt: new Date(T0 + minute * 60_000).toISOString(),
    kind: 'review',
    body: { bookingId, ratings, text: '' },
  });
  return answerDoc(`${bookingId}-r`, { outcome: 'done', bookingId }, T0);
}

afterAll(async () => {
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

interface Visit {
  room: 0 | 1;
  ratings: ReviewRatings;
  text: string;
  /** Minutes after T0 the review was written. */
  minute: number;
  by: 'first' | 'second';
  /** Milliseconds before its instance lists it, so that the writers overlap differently. */
  after: number;
}

const star = fc.integer({ min: 1, max: 5 });
const visit = fc.record({
  room: fc.constantFrom(0 as const, 1 as const),
  ratings: fc.record({ environment: star, facilities: star, teaSnacks: star, service: star }),
  text: fc.constantFrom('', '茶很好', 'quiet room'),
  by: fc.constantFrom('first' as const, 'second' as const),
  after: fc.integer({ min: 0, max: 60 }),
});

/** What the room page must say of these reviews, in the store's zone (Shanghai). */
function expected(reviews: Visit[]) {
  const avg = (pick: (r: ReviewRatings) => number) =>
    reviews.length === 0
      ? null
      : Math.round((reviews.reduce((s, r) => s + pick(r.ratings), 0) / reviews.length) * 10) / 10;
  return {
    count: reviews.length,
    average: {
      environment: avg((r) => r.environment),
      facilities: avg((r) => r.facilities),
      teaSnacks: avg((r) => r.teaSnacks),
      service: avg((r) => r.service),
    },
    reviews: [...reviews]
      .sort((a, b) => b.minute - a.minute)
      .map((r) => ({
        ratings: r.ratings,
        ...(r.text ? { text: r.text } : {}),
        at: new Date(T0 + r.minute * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00',
      })),
  };
}

describe("a room's review summary", () => {
  it('is not written over by an instance that read the reviews before another listed one', async () => {
    let letGo = () => {};
    const hold = { until: new Promise<void>((r) => (letGo = r)), on: true };
    const slow = instance(hold);
    const good = { environment: 5, facilities: 5, teaSnacks: 5, service: 5 };
    const poor = { environment: 1, facilities: 1, teaSnacks: 1, service: 1 };
    const one = await visitOf('race-1', 'race-room', 1, good);
    const two = await visitOf('race-2', 'race-room', 2, poor);
    // The slow instance lists the first review and reads the room's reviews (one), then waits.
    const listing = slow.accepted(STORE, one);
    await expect.poll(async () => (await reader.forRoom(STORE, 'race-room')).count).toBe(1);
    // Meanwhile the other lists the second and summarises both.
    expect(await second.accepted(STORE, two)).toBe(true);
    expect((await reader.forRoom(STORE, 'race-room')).count).toBe(2);
    // The slow one writes last, from its read of one review: it must find it was overtaken.
    hold.on = false;
    letGo();
    expect(await listing).toBe(true);
    expect(await reader.forRoom(STORE, 'race-room')).toMatchObject({
      count: 2,
      average: { environment: 3, service: 3 },
    });
  });

  it('is made again on a read once older than its freshness, taking in a review it missed', async () => {
    const good = { environment: 5, facilities: 5, teaSnacks: 5, service: 5 };
    expect(await first.accepted(STORE, await visitOf('fresh-1', 'fresh-room', 1, good))).toBe(true);
    expect((await reader.forRoom(STORE, 'fresh-room')).count).toBe(1);
    // A review the summary did not count: restored from a backup after it, or listed from a
    // cluster's copy that had not received it yet.
    await couch.cloud.put(CLOUD_DBS.reviews, {
      _id: `review:${STORE}:fresh-room:missed`,
      type: 'review',
      storeId: STORE,
      roomId: 'fresh-room',
      bookingId: 'missed',
      ratings: { environment: 1, facilities: 1, teaSnacks: 1, service: 1 },
      at: new Date(T0 + 2 * 60_000).toISOString(),
    });
    expect((await reader.forRoom(STORE, 'fresh-room')).count).toBe(1);
    now += SUMMARY_FRESH_MS;
    expect(await reader.forRoom(STORE, 'fresh-room')).toMatchObject({
      count: 2,
      average: { environment: 3 },
    });
  });

  it('counts every review listed by racing instances once, whatever the order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(visit, { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        async (drawn, minutes, readFirst) => {
          run += 1;
          const rooms = [`p${run}-a`, `p${run}-b`];
          const visits: Visit[] = drawn.map((v, n) => ({ ...v, minute: minutes[n]! }));
          const ids = visits.map((_, n) => `p${run}-v${n}`);
          const hub = await couch.hub(STORE);
          const booked = await hub.bulkDocs(
            storeDbName(STORE),
            visits.map((v, n) =>
              bookingFact({
                storeId: STORE,
                bookingId: ids[n]!,
                roomId: rooms[v.room]!,
                start: '2026-11-30T14:00:00+08:00',
                end: '2026-11-30T16:00:00+08:00',
                amount: 5000,
                status: 'completed',
                at: new Date(T0).toISOString(),
              }),
            ),
          );
          const asked = await couch.cloud.bulkDocs(
            storeInboxDbName(STORE),
            visits.map((v, n) => ({
              _id: intentDocId(`${ids[n]}-r`),
              type: 'intent',
              intentId: `${ids[n]}-r`,
              storeId: STORE,
              customerId: phoneId(`1360000${String(n).padStart(4, '0')}`),
              createdAt: new Date(T0 + v.minute * 60_000).toISOString(),
              kind: 'review',
              body: { bookingId: ids[n]!, ratings: v.ratings, text: v.text },
            })),
          );
          expect([...booked, ...asked].filter((r) => 'error' in r)).toEqual([]);
          // A page read before any review is listed, in some runs: it writes nothing down.
          if (readFirst) {
            expect((await reader.forRoom(STORE, rooms[0]!)).count).toBe(0);
            expect(
              await couch.cloud.get(CLOUD_DBS.reviews, `review-summary:${STORE}:${rooms[0]}`),
            ).toBeUndefined();
          }
          const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
          await Promise.all([
            ...visits.map(async (v, n) => {
              await pause(v.after);
              await (v.by === 'first' ? first : second).accepted(
                STORE,
                answerDoc(`${ids[n]}-r`, { outcome: 'done', bookingId: ids[n]! }, T0),
              );
            }),
            // Customers read the pages meanwhile: a page read once some are listed is kept.
            ...[0, 20, 40].map(async (ms) => {
              await pause(ms);
              await reader.forRoom(STORE, rooms[0]!);
              await reader.forRoom(STORE, rooms[1]!);
            }),
          ]);
          for (const room of [0, 1] as const) {
            const page = await reader.forRoom(STORE, rooms[room]!);
            expect(page).toEqual(expected(visits.filter((v) => v.room === room)));
          }
          // Listing one again (a page of changes read twice) changes nothing.
          const again = visits[0]!;
          expect(
            await second.accepted(
              STORE,
              answerDoc(`${ids[0]}-r`, { outcome: 'done', bookingId: ids[0]! }, T0),
            ),
          ).toBe(false);
          expect((await reader.forRoom(STORE, rooms[again.room]!)).count).toBe(
            visits.filter((v) => v.room === again.room).length,
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});
