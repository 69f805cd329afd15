// "My tea orders" with no booking named: the customer's newest tea orders through the intents
// view of a customer's intents by kind, not every intent they ever made. Whatever else the
// customer asked (doors, booking requests) and whoever else ordered, the page lists exactly the
// customer's tea orders, under their id now and their id from before ids were keyed, newest
// first, at most 50. Against the embedded CouchDB-compatible server over HTTP, with the cloud
// service as it runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS } from '@roomhub/shared-types';
import { Tokens } from '../src/auth/tokens';
import { IntentRecordSchema, intentRecordId } from '../src/intents/intents';
import { startSeededCloud, type SeededCloud } from './seeded-cloud';
import type { TestCouch } from './test-couch';
import { bearer, callApi } from './cloud-fixtures';

const JWT_SECRET = 'my-tea-orders-secret-my-tea-orders-secret-01';
const STORE = 'mto';

let cloud: SeededCloud;
let couch: TestCouch;
let service: SeededCloud['service'];
const tokens = new Tokens({ secret: JWT_SECRET, clock: { now: () => Date.now() } });

beforeAll(async () => {
  cloud = await startSeededCloud({
    name: 'my-tea-orders',
    jwtSecret: JWT_SECRET,
    stores: [
      {
        storeId: STORE,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '00:00', close: '24:00' },
        rooms: [{ roomId: `${STORE}-r1`, style: 'tea', capacity: 4, workday: 5000 }],
      },
    ],
    seededAt: Date.now() - 86_400_000,
  });
  ({ couch, service } = cloud);
});

afterAll(async () => {
  await cloud?.close();
});

type Asker = 'me' | 'me before' | 'someone else';
type Kind = 'tea_order' | 'door_open' | 'booking_request';

interface Asked {
  asker: Asker;
  kind: Kind;
  state: 'waiting' | 'answered' | 'expired';
}

let runs = 0;

/** Writes the records as the intent service keeps them; each a minute older than the one before. */
async function record(asked: Asked[]) {
  runs += 1;
  const run = `m${runs}-${Date.now().toString(36)}`;
  const me = `cust-${run}`;
  const idOf: Record<Asker, string> = {
    me,
    'me before': `${me}-former`,
    'someone else': `other-${run}`,
  };
  const now = Date.now();
  const docs = asked.map((a, i) => {
    const at = new Date(now - (i + 1) * 60_000).toISOString();
    return IntentRecordSchema.parse({
      _id: intentRecordId({ customerId: idOf[a.asker] }, `${run}-${i}`),
      type: 'intent_record',
      intentId: `${run}-${i}`,
      storeId: STORE,
      customerId: idOf[a.asker],
      kind: a.kind,
      bookingId: `${run}-b${i % 3}`,
      state: a.state,
      createdAt: at,
      updatedAt: at,
    });
  });
  await couch.cloud.bulkDocs(CLOUD_DBS.intents, docs);
  const token = await tokens.customer({
    customerId: me,
    phone: '13900009001',
    formerId: idOf['me before'],
  });
  const res = await callApi(service.url, 'GET', '/api/me/tea-orders', undefined, bearer(token));
  expect(res.status).toBe(200);
  const listed = (res.json.orders as { intentId: string }[]).map((o) => o.intentId);
  // Newest first: the records were written each a minute older than the one before.
  const expected = docs
    .filter((d, i) => d.kind === 'tea_order' && asked[i]!.asker !== 'someone else')
    .map((d) => d.intentId)
    .slice(0, 50);
  return { listed, expected };
}

const askedArb: fc.Arbitrary<Asked> = fc.record({
  asker: fc.constantFrom<Asker>('me', 'me before', 'someone else'),
  kind: fc.constantFrom<Kind>('tea_order', 'door_open', 'booking_request'),
  state: fc.constantFrom('waiting' as const, 'answered' as const, 'expired' as const),
});

describe('my tea orders, with no booking named', () => {
  it("lists exactly the customer's tea orders, newest first, whatever else was asked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(askedArb, { maxLength: 12 }), async (asked) => {
        const { listed, expected } = await record(asked);
        expect(listed).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('lists the newest 50 of a regular with more, under both of their ids', async () => {
    // More than 50 under the id now alone, so each id's read must take its newest.
    const asked = Array.from({ length: 84 }, (_, i): Asked => ({
      asker: i % 4 === 3 ? 'me before' : 'me',
      kind: i % 10 === 9 ? 'door_open' : 'tea_order',
      state: 'answered',
    }));
    const { listed, expected } = await record(asked);
    expect(listed).toHaveLength(50);
    expect(listed).toEqual(expected);
  });
});
