// What each cloud instance keeps in memory of a store's database while its change follower follows
// the store's feed (the profiles, a room's day), and what a customer or an owner reads still
// follows the hub: each time the hub publishes the store under a new name, a room at a new price
// or a room's day with a new booking, the store page, the owner's board and the room's day show it
// within seconds, on this instance and on a second instance over the same CouchDB, and never go
// back to what was published before. Against the embedded
// CouchDB-compatible server over HTTP, with the cloud service as it runs (its feeds followed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availabilityDocId, storeDbName } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import { Tokens } from '../src/auth/tokens';
import { startSeededCloud, type SeededCloud } from './seeded-cloud';
import {
  CLOUD_SECRETS,
  bearer,
  callApi,
  seedStoreDocs,
  type Json,
  type StoreSeed,
} from './cloud-fixtures';

const JWT_SECRET = 'profile-cache-secret-profile-cache-secret-1';
const STORE = 'pca';
const ROOM = `${STORE}-r1`;
const DAY = 86_400_000;

const seedOf = (name: string, workday: number): StoreSeed => ({
  storeId: STORE,
  name,
  lat: 31.23,
  lng: 121.47,
  hours: { open: '09:00', close: '23:00' },
  rooms: [{ roomId: ROOM, style: 'tea', capacity: 4, workday }],
});

let cloud: SeededCloud;
let second: CloudService;
const tokens = new Tokens({ secret: JWT_SECRET, clock: { now: () => Date.now() } });

beforeAll(async () => {
  cloud = await startSeededCloud({
    name: 'profile-cache',
    jwtSecret: JWT_SECRET,
    stores: [seedOf('First name', 6000)],
    seededAt: Date.now() - DAY,
  });
  // A second instance over the same CouchDB, following the same stores itself.
  second = await startCloudService({
    couchUrl: cloud.couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: JWT_SECRET,
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    clock: { now: () => Date.now() },
    sweepMs: 600_000,
    log: () => {},
  });
});

afterAll(async () => {
  await second?.close();
  await cloud?.close();
});

describe("what each instance keeps of the stores' databases", () => {
  it('show what the hub published last, on both instances, within seconds of each change', async () => {
    const owner = bearer(
      await tokens.owner({ username: 'profile-cache-owner', storeIds: [STORE] }),
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const instances = [cloud.service.url, second.url];
    /** What each instance shows now: the store's name, the room's price, its rooms, the day. */
    const shown = async (base: string) => {
      const page = await callApi(base, 'GET', `/api/stores/${STORE}`);
      const day = await callApi(
        base,
        'GET',
        `/api/stores/${STORE}/rooms/${ROOM}/availability?date=${today}`,
      );
      expect(day.status).toBe(200);
      const board = await callApi(
        base,
        'GET',
        `/api/owner/stores/${STORE}/board?date=${today}`,
        undefined,
        owner,
      );
      expect(page.status).toBe(200);
      expect(board.status).toBe(200);
      const room = (page.json.rooms as Json[]).find((r) => r.roomId === ROOM);
      return {
        name: String(page.json.store.name),
        price: Number(room?.fromPricePerHour),
        boardRooms: (board.json.rooms as Json[]).map((r) => String(r.roomId)),
        booked: (day.json.segments as Json[]).filter((g) => g.state === 'booked').length,
      };
    };

    for (const base of instances) {
      expect(await shown(base)).toEqual({
        name: 'First name',
        price: 6000,
        boardRooms: [ROOM],
        booked: 0,
      });
    }
    for (let round = 1; round <= 4; round++) {
      // Read again and again beforehand, so each instance holds the version before in memory.
      for (const base of instances) await shown(base);
      const name = `Name ${round}`;
      const price = 6000 + round * 100;
      await seedStoreDocs(cloud.couch.writers, seedOf(name, price), Date.now());
      // And the room's day with one more hour booked (from 09:00, in the store's zone).
      const db = storeDbName(STORE);
      const dayId = availabilityDocId(ROOM, today);
      const existing = await cloud.couch.writers.get(db, dayId);
      await cloud.couch.writers.put(db, {
        _id: dayId,
        ...(existing?._rev ? { _rev: existing._rev } : {}),
        type: 'availability',
        storeId: STORE,
        roomId: ROOM,
        date: today,
        segments: Array.from({ length: round }, (_, h) => ({
          start: new Date(`${today}T${String(9 + h).padStart(2, '0')}:00:00+08:00`).toISOString(),
          end: new Date(`${today}T${String(10 + h).padStart(2, '0')}:00:00+08:00`).toISOString(),
          state: 'booked',
        })),
        updatedAt: new Date().toISOString(),
      });
      for (const base of instances) {
        const since = Date.now();
        let now = await shown(base);
        while (now.name !== name || now.price !== price || now.booked !== round) {
          // Each still what was published last or already the new one, never older (the
          // profile and the day are two writes: the feed may tell them apart).
          expect([round === 1 ? 'First name' : `Name ${round - 1}`, name]).toContain(now.name);
          expect([price - 100, price]).toContain(now.price);
          expect([round - 1, round]).toContain(now.booked);
          if (Date.now() - since > 10_000) break;
          await new Promise((done) => setTimeout(done, 50));
          now = await shown(base);
        }
        expect({ base: base === second.url ? 'second' : 'first', ...now }).toEqual({
          base: base === second.url ? 'second' : 'first',
          name,
          price,
          boardRooms: [ROOM],
          booked: round,
        });
      }
      // And it stays so.
      for (const base of instances) expect((await shown(base)).name).toBe(name);
    }
  });
});
