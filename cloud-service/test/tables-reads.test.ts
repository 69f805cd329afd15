// Finding players at a chain's size: a store's open tables and "my tables" read the stores' lookup
// view (tables still open by deadline, each player's tables), not every table a store ever had.
// Whatever tables the hubs publish (open, filled, released, past their deadline, full, with the
// customer under their current id, their id from before ids were keyed, or not at all), the
// store's page lists exactly the open ones with a seat left before their deadline, soonest game
// first, and "my tables" exactly the ones the customer sits at, newest game first, with their own
// seat and share. Against the embedded CouchDB-compatible server over HTTP, with the cloud
// service as it runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS, storeDbName, tableDocId, type TableDoc } from '@roomhub/shared-types';
import { Tokens } from '../src/auth/tokens';
import { IntentRecordSchema, intentRecordId } from '../src/intents/intents';
import { startSeededCloud, type SeededCloud } from './seeded-cloud';
import type { TestCouch } from './test-couch';
import { bearer, callApi } from './cloud-fixtures';

const JWT_SECRET = 'tables-reads-secret-tables-reads-secret-0001';
const STORES = ['tra', 'trb'];
const HOUR = 3_600_000;

let cloud: SeededCloud;
let couch: TestCouch;
let service: SeededCloud['service'];
const tokens = new Tokens({ secret: JWT_SECRET, clock: { now: () => Date.now() } });

beforeAll(async () => {
  cloud = await startSeededCloud({
    name: 'tables-reads',
    jwtSecret: JWT_SECRET,
    stores: STORES.map((storeId) => ({
      storeId,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: `${storeId}-r1`, style: 'mahjong', capacity: 4, workday: 6000 }],
    })),
    seededAt: Date.now() - 86_400_000,
  });
  ({ couch, service } = cloud);
});

afterAll(async () => {
  await cloud?.close();
});

type Sitter = 'me' | 'me before' | 'other' | 'another';

interface Shape {
  store: 0 | 1;
  status: TableDoc['status'];
  seats: number;
  sitters: Sitter[];
  /** Hours from now to the deadline (negative: already past). */
  deadlineIn: number;
  /** Hours from the deadline to the game. */
  gameAfter: number;
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  store: fc.constantFrom(0 as const, 1 as const),
  status: fc.constantFrom('open' as const, 'filled' as const, 'released' as const),
  seats: fc.integer({ min: 2, max: 4 }),
  sitters: fc.uniqueArray(fc.constantFrom<Sitter>('me', 'me before', 'other', 'another'), {
    minLength: 1,
    maxLength: 4,
  }),
  deadlineIn: fc.integer({ min: -6, max: 6 }).filter((h) => h !== 0),
  gameAfter: fc.integer({ min: 1, max: 24 }),
});

let runs = 0;

/** An instant in UTC, or in Shanghai's offset (+08:00) for odd `i`: the same instant either way. */
function timeOf(ms: number, i: number): string {
  if (i % 2 === 0) return new Date(ms).toISOString();
  return `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
}

describe('tables read from the stores lookup view', () => {
  it("lists a store's open tables and a customer's own tables, whatever the hubs published", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shapeArb, { minLength: 1, maxLength: 8 }), async (shapes) => {
        runs += 1;
        const run = `t${runs}-${Date.now().toString(36)}`;
        const me = `cust-${run}`;
        const before = `${me}-former`;
        const idOf: Record<Sitter, string> = {
          me,
          'me before': before,
          other: `other-${run}`,
          another: `another-${run}`,
        };
        const now = Date.now();
        const tables = shapes.map((s, i) => {
          const storeId = STORES[s.store]!;
          const deadline = now + s.deadlineIn * HOUR;
          const start = deadline + s.gameAfter * HOUR;
          const players = s.sitters.slice(0, s.seats).map((who, seat) => ({
            seat: seat + 1,
            customerId: idOf[who],
            name: `牌友${seat + 1}`,
            share: 1500,
            refunded: s.status === 'released',
          }));
          const doc: TableDoc = {
            _id: tableDocId(`${run}-${i}`),
            type: 'table',
            storeId,
            tableId: `${run}-${i}`,
            bookingId: `${run}-b${i}`,
            roomId: `${storeId}-r1`,
            title: '四缺一',
            // Every other table in the store's offset, as hubs write times.
            start: timeOf(start, i),
            end: timeOf(start + 3 * HOUR, i),
            deadline: timeOf(deadline, i),
            seats: s.seats,
            total: 1500 * s.seats,
            share: 1500,
            starterShare: 1500,
            status: s.status,
            players,
            updatedAt: new Date(now).toISOString(),
          };
          return doc;
        });
        for (const storeId of STORES) {
          const docs = tables.filter((t) => t.storeId === storeId);
          if (docs.length > 0)
            await (await couch.hub(storeId)).bulkDocs(storeDbName(storeId), docs);
        }
        // The customer's intents that seated them: the stores "my tables" looks in.
        const at = new Date(now).toISOString();
        const seated = tables.flatMap((t) =>
          t.players
            .filter((p) => p.customerId === me || p.customerId === before)
            .map((p, n) =>
              IntentRecordSchema.parse({
                _id: intentRecordId({ customerId: p.customerId }, `${t.tableId}-i${n}`),
                type: 'intent_record',
                intentId: `${t.tableId}-i${n}`,
                storeId: t.storeId,
                customerId: p.customerId,
                kind: p.seat === 1 ? 'table_start' : 'table_join',
                state: 'answered',
                createdAt: at,
                updatedAt: at,
              }),
            ),
        );
        if (seated.length > 0) await couch.cloud.bulkDocs(CLOUD_DBS.intents, seated);

        // Each store's page: the open tables with a seat left, before their deadline.
        for (const storeId of STORES) {
          const res = await callApi(service.url, 'GET', `/api/stores/${storeId}/tables`);
          expect(res.status).toBe(200);
          const listed = (res.json.tables as { tableId: string }[])
            .map((t) => t.tableId)
            .filter((id) => id.startsWith(`${run}-`));
          const open = tables.filter(
            (t) =>
              t.storeId === storeId &&
              t.status === 'open' &&
              t.players.length < t.seats &&
              Date.parse(t.deadline) > Date.now(),
          );
          expect(new Set(listed)).toEqual(new Set(open.map((t) => t.tableId)));
          const starts = listed.map((id) =>
            Date.parse(tables.find((t) => t.tableId === id)!.start),
          );
          expect([...starts].sort((a, b) => a - b)).toEqual(starts);
        }

        // My tables: under my id now and my id from before, each once, newest game first.
        const token = await tokens.customer({
          customerId: me,
          phone: '13900008001',
          formerId: before,
        });
        const res = await callApi(service.url, 'GET', '/api/me/tables', undefined, bearer(token));
        expect(res.status).toBe(200);
        const mine = res.json as { tableId: string; mySeat: number; start: string }[];
        const expected = tables.filter((t) =>
          t.players.some((p) => p.customerId === me || p.customerId === before),
        );
        expect(mine.map((t) => t.tableId).sort()).toEqual(expected.map((t) => t.tableId).sort());
        for (const t of mine) {
          const doc = tables.find((x) => x.tableId === t.tableId)!;
          const seat = doc.players.find((p) => p.customerId === me || p.customerId === before)!;
          expect(t.mySeat).toBe(seat.seat);
        }
        const times = mine.map((t) => Date.parse(t.start));
        expect([...times].sort((a, b) => b - a)).toEqual(times);
      }),
      { numRuns: 15 },
    );
  });

  it('tells a customer with no table so, and a store with none open an empty list', async () => {
    const token = await tokens.customer({ customerId: 'nobody-at-a-table', phone: '13900008002' });
    const mine = await callApi(service.url, 'GET', '/api/me/tables', undefined, bearer(token));
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual([]);
    const unknown = await callApi(service.url, 'GET', '/api/stores/no-such-store/tables');
    expect(unknown.status).toBe(404);
  });
});
