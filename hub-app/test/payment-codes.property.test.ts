// Property: whatever payment codes do (paid at once, declined, confirmed late, never confirmed, an
// answer lost), scanned one after another or twice at the same moment for one booking (the second
// refused while the first is charged, or finding nothing due), and whenever the clock moves, the
// money the ledger holds is exactly what the gateways kept, each charge is credited at most once,
// and every charge ends paid, declined or reversed within the limit.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCode as WechatCode } from '@roomhub/payment-gateways/simulator';
import { as, at, startTestHub, type TestHub } from './harness';

let h: TestHub;
let rooms: string[];

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
});
afterAll(async () => {
  await h.close();
});

const behaviour: fc.Arbitrary<WechatCode> = fc.oneof(
  fc.constant<WechatCode>({ outcome: 'paid' }),
  fc.constant<WechatCode>({ outcome: 'declined' }),
  fc
    .integer({ min: 1, max: 8 })
    .map<WechatCode>((n) => ({ outcome: 'paying', paidAfterQueries: n })),
  fc.constant<WechatCode>({ outcome: 'paying' }),
  fc.constant<WechatCode>({ outcome: 'paid', dropConnection: true }),
);

const scan = fc.record({
  channel: fc.constantFrom('wechat' as const, 'alipay' as const),
  code: behaviour,
  /** Scanned again at the same moment (a second scan while the first is under way). */
  twice: fc.boolean(),
});

let run = 0;
/** A slot no earlier run took (with room for cleaning between): rooms, then hours, then days. */
function nextSlot() {
  const n = run++;
  const slot = Math.floor(n / rooms.length);
  const hour = 10 + 3 * (slot % 4);
  const day = 1 + (Math.floor(slot / 4) % 6);
  const hh = (x: number) => `${String(x).padStart(2, '0')}:00`;
  return {
    roomId: rooms[n % rooms.length]!,
    start: at(hh(hour), day),
    end: at(hh(hour + 2), day),
    // One customer each: a customer may hold only so many unpaid bookings.
    customer: { phone: `139${String(n).padStart(8, '0')}` },
  };
}

describe('payment codes, whatever the gateways answer', () => {
  it('leave the ledger holding exactly what the gateways kept, each charge credited once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scan, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        async (scans, steps) => {
          // Booked at the counter: a kiosk may hold only a few unpaid bookings at once.
          const booked = await h.api(
            'POST',
            '/api/bookings',
            { ...nextSlot(), partySize: 2 },
            as('cashier'),
          );
          expect(booked.body, JSON.stringify(booked.body)).toMatchObject({
            status: 'pending_payment',
          });
          const b = booked.body as { id: string; total: number };
          for (const s of scans) {
            const code = () =>
              s.channel === 'wechat' ? h.gateway!.payerCode(s.code) : h.alipay!.payerCode(s.code);
            const pay = (c: string) =>
              h.api(
                'POST',
                `/api/bookings/${b.id}/payments`,
                { method: 'payment_code', code: c },
                as('cashier'),
              );
            const answers = await Promise.all(s.twice ? [pay(code()), pay(code())] : [pay(code())]);
            for (const a of answers) expect([201, 402, 409]).toContain(a.status);
          }
          // Past the limit: every charge not known to be paid is queried and then reversed.
          for (const seconds of [...steps, 40]) {
            h.clock.advance(seconds * 1_000);
            await h.runJobs();
          }

          const open = h.hub.db
            .prepare(
              `SELECT COUNT(*) AS n FROM payment_codes WHERE booking_id = ? AND status NOT IN ('paid','declined','reversed')`,
            )
            .get(b.id) as { n: number };
          expect(open.n).toBe(0);
          // What each gateway kept of this booking's charges: paid and neither reversed nor refunded.
          const ids = new Set(
            (
              h.hub.db.prepare('SELECT id FROM payments WHERE booking_id = ?').all(b.id) as {
                id: string;
              }[]
            ).map((p) => p.id),
          );
          const kept =
            h
              .gateway!.charges()
              .filter((c) => ids.has(c.outTradeNo) && c.state === 'SUCCESS')
              .reduce((sum, c) => sum + c.total - c.refunded, 0) +
            h
              .alipay!.trades()
              .filter((t) => ids.has(t.outTradeNo) && t.state === 'TRADE_SUCCESS')
              .reduce((sum, t) => sum + t.total - t.refunded, 0);
          const ledger = h.hub.db
            .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE booking_id = ?')
            .get(b.id) as { s: number };
          expect(ledger.s).toBe(kept);
          // Never more than the booking costs stays paid (an overpayment goes back).
          expect(ledger.s).toBeLessThanOrEqual(b.total);
          const credited = h.hub.db
            .prepare(
              `SELECT payment_id, COUNT(*) AS n FROM ledger WHERE booking_id = ? AND kind = 'payment' GROUP BY payment_id HAVING n > 1`,
            )
            .all(b.id);
          expect(credited).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
