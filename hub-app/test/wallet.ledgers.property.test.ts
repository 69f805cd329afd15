// The wallet and the money ledger agree, whatever the counter does at once: concurrent top-ups,
// bookings paid from the wallet, staff refunds in part and cancellations, each a real request to
// a real hub. After every batch, for each wallet payment what the booking's ledger holds of it is
// exactly what left the wallet for it (a payment and its spend, a refund and its money back, each
// in one write), no wallet is below zero, and each wallet is its top-ups less what bookings kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { as, at, startTestHub } from './harness';

const CASHIER = as('cashier');
const PHONES = ['13800000011', '13800000012'];

type Op =
  | { kind: 'topup'; phone: number; amount: number }
  | { kind: 'book'; phone: number; room: number; day: number }
  | { kind: 'refund'; booking: number; amount: number }
  | { kind: 'cancel'; booking: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('topup' as const),
    phone: fc.nat(1),
    amount: fc.integer({ min: 1000, max: 40000 }),
  }),
  fc.record({
    kind: fc.constant('book' as const),
    phone: fc.nat(1),
    room: fc.nat(5),
    day: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    booking: fc.nat(10),
    amount: fc.integer({ min: 1, max: 20000 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat(10) }),
);

describe('the wallet and the money ledger', () => {
  it('agree on every wallet payment under concurrent requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          const h = await startTestHub();
          try {
            const rooms = await h.roomIds();
            const bookings: string[] = [];
            let slot = 0;
            for (const batch of batches) {
              await Promise.all(
                batch.map(async (o) => {
                  switch (o.kind) {
                    case 'topup':
                      await h.api(
                        'POST',
                        '/api/wallet/top-ups',
                        { phone: PHONES[o.phone], amount: o.amount },
                        CASHIER,
                      );
                      return;
                    case 'book': {
                      const hour = 10 + 2 * (slot++ % 6);
                      const b = await h.api('POST', '/api/bookings', {
                        roomId: rooms[o.room],
                        start: at(`${hour}:00`, o.day),
                        end: at(`${hour + 1}:00`, o.day),
                        partySize: 2,
                        customer: { phone: PHONES[o.phone] },
                      });
                      if (b.status !== 201) return;
                      bookings.push(b.body.id);
                      const paid = await h.api(
                        'POST',
                        `/api/bookings/${b.body.id}/wallet-payments`,
                        {},
                        CASHIER,
                      );
                      expect([201, 409]).toContain(paid.status);
                      return;
                    }
                    case 'refund': {
                      const id = bookings[o.booking];
                      if (!id) return;
                      const r = await h.api(
                        'POST',
                        `/api/bookings/${id}/refunds`,
                        { amount: o.amount, reason: 'by hand' },
                        CASHIER,
                      );
                      expect(r.status).toBeLessThan(500);
                      return;
                    }
                    case 'cancel': {
                      const id = bookings[o.booking];
                      if (!id) return;
                      const r = await h.api(
                        'POST',
                        `/api/bookings/${id}/cancel`,
                        { reason: 'plans changed' },
                        CASHIER,
                      );
                      expect(r.status).toBeLessThan(500);
                      return;
                    }
                  }
                }),
              );
              const db = h.hub.db;
              const payments = db
                .prepare(
                  `SELECT payment_id AS id, SUM(amount) AS kept FROM ledger WHERE method = 'wallet' GROUP BY payment_id`,
                )
                .all() as { id: string; kept: number }[];
              for (const p of payments) {
                const left = db
                  .prepare(
                    `SELECT COALESCE(SUM(amount), 0) AS s FROM wallet_moves WHERE ref = ? AND kind IN ('spend','refund_in')`,
                  )
                  .get(p.id) as { s: number };
                // 0 - x, not -x: what went back in full is 0, not -0
                expect(0 - left.s, `payment ${p.id}`).toBe(p.kept);
              }
              for (const phone of PHONES) {
                const w = h.hub.wallet.balanceOf(phone);
                expect(w.principal).toBeGreaterThanOrEqual(0);
                expect(w.bonus).toBeGreaterThanOrEqual(0);
                const topUps = db
                  .prepare(
                    `SELECT COALESCE(SUM(principal + bonus), 0) AS s FROM wallet_topups WHERE phone = ?`,
                  )
                  .get(phone) as { s: number };
                const kept = db
                  .prepare(
                    `SELECT COALESCE(SUM(l.amount), 0) AS s FROM ledger l
                      WHERE l.method = 'wallet' AND l.payment_id IN
                        (SELECT ref FROM wallet_moves WHERE phone = ? AND kind = 'spend')`,
                  )
                  .get(phone) as { s: number };
                expect(w.total).toBe(topUps.s - kept.s);
              }
            }
          } finally {
            await h.close();
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 300_000);
});
