// The table state machine under random starts, joins (right and wrong shares, the same player
// twice) and the clock moving on with every job that falls due, on a real SQLite file: a room is
// never booked twice over, a table never seats more than its seats, and every share is either kept
// on a filled table or refunded in full on a released one, never both and never in part.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentDocId, OCCUPYING_STATUSES, splitShares } from '@roomhub/shared-types';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import { answerIntent } from '../sync/intents';

const DAY = 24 * 3_600_000;
/** Each run plays on a day of its own, 10:00 when it begins, on the one store. */
const dayOf = (run: number) => new Date(Date.parse('2026-11-23T00:00:00Z') + run * DAY);
const at = (run: number, hhmm: string) =>
  `${dayOf(run).toISOString().slice(0, 10)}T${hhmm}:00+08:00`;
const SLOTS = [
  ['14:00', '16:00'],
  ['15:00', '17:00'],
  ['18:00', '20:00'],
] as const;

type Step =
  | { kind: 'start'; slot: number; seats: number; deadlineMin: number; customer: number }
  | { kind: 'join'; table: number; customer: number; off: number }
  | { kind: 'tick'; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('start' as const),
    slot: fc.nat(SLOTS.length - 1),
    seats: fc.integer({ min: 2, max: 4 }),
    deadlineMin: fc.integer({ min: 10, max: 240 }),
    customer: fc.nat(5),
  }),
  fc.record({
    kind: fc.constant('join' as const),
    table: fc.nat(5),
    customer: fc.nat(7),
    // Mostly the right share; now and then one fen off.
    off: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.constant(1)),
  }),
  fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 90 }) }),
);

let seq = 0;
function intent(hub: Hub, kind: string, customer: number, body: Record<string, unknown>) {
  const intentId = `i${++seq}`;
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: hub.store.getStore().id,
    customerId: `c${customer}`,
    createdAt: new Date(hub.clock.now()).toISOString(),
    kind,
    body,
  } as never;
}
const pay = (amount: number) => ({ paymentId: `pay-${++seq}`, method: 'wechat', amount });
const phoneOf = (customer: number) => `1380000${String(customer).padStart(4, '0')}`;

function check(hub: Hub, mine: readonly string[]): void {
  // Never overbooked: no two bookings that hold the room overlap (with their cleaning blocks).
  const held = OCCUPYING_STATUSES.map((s) => `'${s}'`).join(',');
  const clash = hub.db
    .prepare(
      `SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
         ON a.room_id = b.room_id AND a.id < b.id
        AND a.block_start < b.block_end AND b.block_start < a.block_end
      WHERE a.status IN (${held}) AND b.status IN (${held})`,
    )
    .get() as { n: number };
  expect(clash.n).toBe(0);
  for (const id of mine) {
    const t = hub.tables.find(id)!;
    expect(t.players.length).toBeLessThanOrEqual(t.seats);
    const refunds = hub.db
      .prepare(
        `SELECT p.share, COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.payment_id), 0) AS back
           FROM table_players p WHERE p.table_id = ?`,
      )
      .all(id) as { share: number; back: number }[];
    const paid = hub.ledger.balanceOf({ id: t.bookingId, total: t.total });
    if (t.status === 'filled') {
      expect(t.players).toHaveLength(t.seats);
      expect(refunds.every((r) => r.back === 0)).toBe(true);
      expect(paid.refundable).toBe(t.total);
      expect(t.players.reduce((s, p) => s + p.share, 0)).toBe(t.total);
    } else if (t.status === 'released') {
      expect(refunds.every((r) => r.back === r.share)).toBe(true);
      expect(paid.refundable).toBe(0);
    } else {
      expect(t.players.length).toBeLessThan(t.seats);
      expect(refunds.every((r) => r.back === 0)).toBe(true);
    }
  }
}

let hub: Hub;
let clock: ManualClock;
let room: string;
let run = 0;
/** How the tables ended, over all runs: the property must have seen both ends. */
const ends = { filled: 0, released: 0 };
beforeAll(async () => {
  clock = new ManualClock(Date.parse(at(0, '10:00')));
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'tables-prop-')), clock });
  await seedDemoStore(hub);
  room = hub.store.listRooms().find((r) => r.capacity >= 4)!.id;
});
afterAll(() => hub.close());

describe('tables of players, at random', () => {
  it('never overbook, never seat too many, keep or refund every share, never both', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
        run += 1;
        const t0 = Date.parse(at(run, '10:00'));
        clock.set(t0);
        await hub.scheduler.runDue();
        const started: string[] = [];
        for (const s of steps) {
          if (s.kind === 'tick') {
            clock.advance(s.minutes * 60_000);
            await hub.scheduler.runDue();
          } else if (s.kind === 'start') {
            const [from, to] = SLOTS[s.slot]!;
            const span = { start: at(run, from), end: at(run, to) };
            let total = 400;
            try {
              total = hub.bookings.quote({ roomId: room, ...span }).total;
            } catch {
              // A time the store no longer takes: the start is refused all the same.
            }
            const i = intent(hub, 'table_start', s.customer, {
              booking: {
                roomId: room,
                ...span,
                partySize: s.seats,
                customer: { phone: phoneOf(s.customer) },
              },
              seats: s.seats,
              deadline: new Date(t0 + s.deadlineMin * 60_000).toISOString(),
              title: '麻将',
              name: `p${s.customer}`,
              payment: pay(splitShares(total, s.seats).starterShare),
            });
            const a = await answerIntent(hub, i);
            if (a.outcome === 'confirmed') started.push((i as { intentId: string }).intentId);
          } else if (started.length > 0) {
            const tableId = started[s.table % started.length]!;
            const t = hub.tables.find(tableId)!;
            await answerIntent(
              hub,
              intent(hub, 'table_join', s.customer, {
                tableId,
                phone: phoneOf(s.customer),
                name: `p${s.customer}`,
                payment: pay(t.share + s.off),
              }),
            );
          }
          check(hub, started);
        }
        // Past every deadline: no table is left open, each kept or gave back every share.
        clock.set(t0 + 12 * 3_600_000);
        await hub.scheduler.runDue();
        check(hub, started);
        for (const id of started) {
          const status = hub.tables.find(id)!.status;
          expect(status).not.toBe('open');
          ends[status as 'filled' | 'released'] += 1;
        }
      }),
      { numRuns: 60 },
    );
    expect(ends.filled).toBeGreaterThan(0);
    expect(ends.released).toBeGreaterThan(0);
  }, 120_000);
});
