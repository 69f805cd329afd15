// Points and levels under any mix of what happens to a member, several at once through the hub's
// write queue: spend counted and given back, points spent and given back, adjusted by hand,
// top-ups, and the clock running the daily expiry. Whatever the mix: the balance is the ledger's
// sum and never below zero, each booking's points are what its spend is worth now, points given
// back never exceed those spent, and a level moves only up by the rule, each change with its why.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelReached, ranked, type Actor, type MemberLevel } from '@roomhub/shared-types';
import { as, startTestHub, type TestHub } from './harness';

let h: TestHub;
let levels: MemberLevel[];
const RATE = 3;
const STAFF: Actor = { kind: 'staff', id: 'test', role: 'manager' };
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startTestHub();
  await h.api(
    'PUT',
    '/api/member-rules',
    { levelRule: 'spend', pointsPerYuan: RATE, fenPerPoint: 1, pointsExpireMonths: 1 },
    as('owner'),
  );
  const put = await h.api(
    'PUT',
    '/api/member-levels',
    {
      levels: [
        { name: '铜卡', threshold: 0 },
        { name: '银卡', threshold: 5_000 },
        { name: '金卡', threshold: 20_000 },
      ],
    },
    as('owner'),
  );
  levels = put.body.levels;
});
afterAll(async () => {
  await h.close();
});

type Op =
  | { kind: 'count'; ref: number; spend: number }
  | { kind: 'spend'; ref: number; points: number }
  | { kind: 'giveBack'; ref: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'topUp'; amount: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('count' as const),
    ref: fc.integer({ min: 0, max: 4 }),
    spend: fc.integer({ min: 0, max: 12_000 }),
  }),
  fc.record({
    kind: fc.constant('spend' as const),
    ref: fc.integer({ min: 0, max: 3 }),
    points: fc.integer({ min: 1, max: 400 }),
  }),
  fc.record({ kind: fc.constant('giveBack' as const), ref: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant('adjust' as const),
    points: fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0),
  }),
  fc.record({ kind: fc.constant('topUp' as const), amount: fc.integer({ min: 1, max: 50_000 }) }),
);

/** Batches of operations run at once, each batch followed by some days on the clock. */
const plan = fc.array(
  fc.record({
    ops: fc.array(op, { minLength: 1, maxLength: 6 }),
    days: fc.integer({ min: 0, max: 20 }),
  }),
  { minLength: 1, maxLength: 6 },
);

let run = 0;

describe('points and levels', () => {
  it('keep the balance its ledger’s sum, never below zero, and levels only going up with why', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (batches) => {
        run++;
        const phone = `1370000${String(run).padStart(4, '0')}`;
        const m = h.hub.members;
        const member = await h.hub.writes.run(() => m.join(phone, null, 'staff'));
        const bookingRef = (i: number) => `booking:p${run}-${i}`;
        const spendRef = (i: number) => `spent:p${run}-${i}`;
        const worth = new Map<string, number>();

        for (const batch of batches) {
          const results = await Promise.allSettled(
            batch.ops.map((o) =>
              h.hub.writes.run(() => {
                const row = h.hub.db.prepare('SELECT * FROM members WHERE id = ?').get(member.id);
                switch (o.kind) {
                  case 'count':
                    m.settle(row as never, bookingRef(o.ref), { spend: o.spend, visit: 1 }, STAFF);
                    return () => worth.set(bookingRef(o.ref), o.spend);
                  case 'spend':
                    m.spendPoints(phone, o.points, spendRef(o.ref), STAFF);
                    return null;
                  case 'giveBack':
                    m.returnPoints(spendRef(o.ref), STAFF);
                    return null;
                  case 'adjust':
                    m.adjust(member.id, { points: o.points, reason: 'by hand' }, STAFF);
                    return null;
                  case 'topUp':
                    m.noteTopUp(phone, o.amount, STAFF);
                    return null;
                }
              }),
            ),
          );
          for (const r of results) {
            if (r.status === 'fulfilled') r.value?.();
            // Only the rules' refusals, in words: never a fault.
            else expect(r.reason).toMatchObject({ code: 'points_short' });
          }
          h.clock.advance(batch.days * DAY);
          await h.runJobs();

          // The balance is the ledger's sum, and never below zero.
          const sum = (
            h.hub.db
              .prepare(
                'SELECT COALESCE(SUM(points), 0) AS s FROM member_points WHERE member_id = ?',
              )
              .get(member.id) as { s: number }
          ).s;
          const detail = h.hub.memberViews.detail(member.id);
          expect(detail.points).toBe(sum);
          expect(sum).toBeGreaterThanOrEqual(0);
          expect(detail.pointsHistory[0]?.balance ?? 0).toBe(sum);
          for (const move of detail.pointsHistory) expect(move.balance).toBeGreaterThanOrEqual(0);

          // Each booking's points are what its spend is worth now (less what the member no
          // longer had when it was taken back).
          for (const [ref, spend] of worth) {
            const e = h.hub.db
              .prepare(
                `SELECT COALESCE(SUM(points), 0) - COALESCE(SUM(forgone), 0) AS n FROM member_points
                  WHERE member_id = ? AND ref = ? AND kind IN ('earned','taken_back')`,
              )
              .get(member.id, ref) as { n: number };
            expect(e.n).toBe(Math.floor((spend * RATE) / 100));
          }
          // Points given back never exceed those spent.
          const out = h.hub.db
            .prepare(
              `SELECT ref, SUM(points) AS n FROM member_points
                WHERE member_id = ? AND kind IN ('spent','given_back') GROUP BY ref`,
            )
            .all(member.id) as { n: number }[];
          for (const o of out) expect(o.n).toBeLessThanOrEqual(0);

          // Levels: only up by the rule, each with its why; never below what the rule gives.
          const order = ranked(levels).map((l) => l.id);
          const rank = (l: { id: string } | null) => (l ? order.indexOf(l.id) : -1);
          let last = -1;
          for (const c of detail.levelHistory) {
            expect(c.cause).toBe('rule');
            expect(c.reason).toMatch(/total spend/);
            expect(rank(c.to)).toBeGreaterThan(rank(c.from));
            expect(rank(c.from)).toBe(last);
            last = rank(c.to);
          }
          expect(rank(detail.level)).toBe(last);
          const spend = [...worth.values()].reduce((a, b) => a + b, 0);
          expect(detail.totalSpend).toBe(spend);
          expect(rank(detail.level)).toBeGreaterThanOrEqual(rank(levelReached(levels, spend)));
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
