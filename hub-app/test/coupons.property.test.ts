// A property over concurrent bookings, payments and cancellations naming the same few coupons:
// whatever interleaving the hub sees, a coupon is held by at most one standing booking, every
// coupon line on a standing booking is a use the ledger holds, and a cancelled booking holds none.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];
const CASHIER = as('cashier');
let run = 0;
let made = 0;

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
  const r = await h.api(
    'PATCH',
    '/api/store',
    { rules: { holds: { perPhone: 20, perKiosk: 50 } } },
    STAFF,
  );
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await h.close();
});

type Op =
  | { kind: 'book'; coupon: number; room: number; day: number; hour: number }
  | { kind: 'pay'; booking: number }
  | { kind: 'cancel'; booking: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('book' as const),
    coupon: fc.nat(2),
    room: fc.nat(5),
    day: fc.integer({ min: 1, max: 6 }),
    hour: fc.constantFrom(10, 13, 16),
  }),
  fc.record({ kind: fc.constant('pay' as const), booking: fc.nat(20) }),
  fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat(20) }),
);

describe('coupons under concurrent bookings and cancellations', () => {
  it('are never held by two standing bookings, and lines match the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          run++;
          const phone = `1370000${String(run).padStart(4, '0')}`;
          const campaign = await h.api(
            'POST',
            '/api/campaigns',
            {
              name: `run ${run}`,
              kind: 'manual',
              couponName: '立减',
              coupon: { rule: { kind: 'amount', amountOff: 1000 } },
              claimFrom: '2026-11-01',
              claimTo: '2026-11-30',
              useDays: 30,
              perPerson: 3,
            },
            STAFF,
          );
          const issued = await h.api(
            'POST',
            `/api/campaigns/${campaign.body.id}/coupons`,
            { phones: [phone, phone, phone] },
            STAFF,
          );
          const coupons = (issued.body as { id: string }[]).map((c) => c.id);
          const bookings: string[] = [];
          for (const batch of batches) {
            await Promise.all(
              batch.map(async (op) => {
                if (op.kind === 'book') {
                  const hh = String(op.hour).padStart(2, '0');
                  const r = await h.api(
                    'POST',
                    '/api/bookings',
                    {
                      roomId: rooms[op.room],
                      start: at(`${hh}:00`, op.day),
                      end: at(`${String(op.hour + 2).padStart(2, '0')}:00`, op.day),
                      partySize: 2,
                      customer: { phone },
                      couponIds: [coupons[op.coupon]],
                    },
                    CASHIER,
                  );
                  expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
                  if (r.status === 201) bookings.push(r.body.id);
                  else expect(['coupon_used', 'slot_taken']).toContain(r.body.error.code);
                  return;
                }
                const id = bookings[op.booking % Math.max(1, bookings.length)];
                if (!id) return;
                const r =
                  op.kind === 'pay'
                    ? await h.api(
                        'POST',
                        `/api/bookings/${id}/payments`,
                        { method: 'cash' },
                        CASHIER,
                      )
                    : await h.api('POST', `/api/bookings/${id}/cancel`, {}, CASHIER);
                expect(r.status).toBeLessThan(500);
              }),
            );
            // The invariants, read from the database after every batch.
            const open = h.hub.db
              .prepare(
                `SELECT u.coupon_id, u.booking_id, b.status FROM coupon_uses u JOIN bookings b ON b.id = u.booking_id
                 WHERE u.kind = 'use' AND u.coupon_id IN (?, ?, ?) AND NOT EXISTS (SELECT 1 FROM coupon_uses r
                   WHERE r.coupon_id = u.coupon_id AND r.round = u.round AND r.kind = 'return')`,
              )
              .all(...coupons) as { coupon_id: string; booking_id: string; status: string }[];
            expect(new Set(open.map((o) => o.coupon_id)).size).toBe(open.length);
            for (const o of open) expect(['pending_payment', 'paid']).toContain(o.status);
            for (const id of bookings) {
              const b = h.hub.views.detail(id);
              const line = b.lines.find((l) => l.kind === 'coupon');
              const held = open.find((o) => o.booking_id === id);
              if (b.status === 'pending_payment' || b.status === 'paid') {
                expect(held?.coupon_id).toBe(line?.ref);
              } else {
                expect(held).toBeUndefined();
              }
            }
          }
          made += bookings.length;
          for (const id of bookings) await h.api('POST', `/api/bookings/${id}/cancel`, {}, CASHIER);
        },
      ),
      { numRuns: 15 },
    );
    expect(made).toBeGreaterThan(10);
  });
});
