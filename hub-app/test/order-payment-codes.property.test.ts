// Property: whatever payment codes do for a tea-and-snacks order (paid at once, declined, confirmed
// late, never confirmed, an answer lost), scanned one after another or twice at the same moment,
// and whenever the clock moves, the money the order's ledger holds is exactly what the gateways
// kept of its charges and never more than its total, each charge is credited at most once, and
// every charge ends paid, declined or reversed within the limit.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayerCode as WechatCode } from '@roomhub/payment-gateways/simulator';
import { as, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let tea: string;

beforeAll(async () => {
  h = await startTestHub();
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
  tea = (
    await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '铁观音', price: 4800 },
      STAFF,
    )
  ).body.id;
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
  twice: fc.boolean(),
});

describe('payment codes for an order, whatever the gateways answer', () => {
  it("leave the order's ledger holding exactly what the gateways kept, each charge credited once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scan, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        async (scans, steps) => {
          const placed = await h.api(
            'POST',
            '/api/orders',
            { lines: [{ itemId: tea, quantity: 1 }] },
            as('cashier'),
          );
          const o = placed.body as { id: string; total: number };
          for (const s of scans) {
            const code = () =>
              s.channel === 'wechat' ? h.gateway!.payerCode(s.code) : h.alipay!.payerCode(s.code);
            const pay = (c: string) =>
              h.api(
                'POST',
                `/api/orders/${o.id}/charges`,
                { method: 'payment_code', code: c },
                as('cashier'),
              );
            const answers = await Promise.all(s.twice ? [pay(code()), pay(code())] : [pay(code())]);
            for (const a of answers) expect([201, 402, 409]).toContain(a.status);
          }
          for (const seconds of [...steps, 40, 5]) {
            h.clock.advance(seconds * 1_000);
            await h.runJobs();
          }

          const open = h.hub.db
            .prepare(
              `SELECT COUNT(*) AS n FROM payment_codes WHERE order_id = ? AND status NOT IN ('paid','declined','reversed')`,
            )
            .get(o.id) as { n: number };
          expect(open.n).toBe(0);
          const ids = new Set(
            (
              h.hub.db.prepare('SELECT id FROM order_charges WHERE order_id = ?').all(o.id) as {
                id: string;
              }[]
            ).map((c) => c.id),
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
            .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM order_money WHERE order_id = ?')
            .get(o.id) as { s: number };
          expect(ledger.s).toBe(kept);
          expect(ledger.s).toBeLessThanOrEqual(o.total);
          const payments = h.hub.db
            .prepare(
              `SELECT COUNT(*) AS n FROM order_money WHERE order_id = ? AND kind = 'payment'`,
            )
            .get(o.id) as { n: number };
          const credited = h.hub.db
            .prepare(
              `SELECT COUNT(*) AS n FROM order_charges WHERE order_id = ? AND status = 'paid'`,
            )
            .get(o.id) as { n: number };
          expect(payments.n).toBe(credited.n);
        },
      ),
      { numRuns: 12 },
    );
  });
});
