// Properties of the bill with stacked discounts: it adds up, it is never negative, each discount
// stays within its own rule, and no coupon applies where its stacking rules forbid it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DayType } from '../calendar/day-type';
import type { LocalDate } from '../time/instant';
import {
  CouponTermsSchema,
  priceBill,
  PromotionSchema,
  type BillOffers,
  type CouponOffer,
  type Promotion,
} from './discounts';
import { PricePlanSchema } from './price-plan';
import { quoteSpan } from './quote';

const SH = 'Asia/Shanghai';
const DAY_TYPES: DayType[] = ['workday', 'weekend', 'holiday'];
const T0 = Date.parse('2026-07-06T08:00:00+08:00');
const ctx = { roomId: 'r1', roomStyle: '茶室', timeZone: SH };

const rates = fc.record({
  workday: fc.nat(20_000),
  weekend: fc.nat(20_000),
  holiday: fc.nat(20_000),
});
const planArb = fc
  .record({ rates, summer: fc.option(rates, { nil: undefined }), night: rates })
  .map(({ rates: r, summer, night }) =>
    PricePlanSchema.parse({
      rates: r,
      bands: [{ name: 'Night', from: '22:00', to: '08:00', rates: night }],
      seasons: summer ? [{ name: 'summer', from: '07-01', to: '08-31', rates: summer }] : [],
    }),
  );
const quoteArb = fc
  .record({
    plan: planArb,
    startSteps: fc.integer({ min: 0, max: 24 * 60 }),
    lengthSteps: fc.integer({ min: 2, max: 48 }),
    byWeekday: fc.array(fc.constantFrom(...DAY_TYPES), { minLength: 7, maxLength: 7 }),
  })
  .map(({ plan, startSteps, lengthSteps, byWeekday }) => {
    const start = T0 + startSteps * 15 * 60_000;
    return quoteSpan(
      plan,
      { start, end: start + lengthSteps * 15 * 60_000 },
      {
        timeZone: SH,
        dayType: (date: LocalDate) => byWeekday[new Date(`${date}T00:00:00Z`).getUTCDay()]!,
      },
    );
  });

const stackingArb = fc.record({
  withMember: fc.boolean(),
  withVoucher: fc.boolean(),
  withCoupon: fc.boolean(),
});
const scopeArb = fc.record({
  roomIds: fc.constantFrom([], ['r1'], ['r2']),
  roomStyles: fc.constantFrom([], ['茶室'], ['棋牌室']),
  dayTypes: fc.subarray(DAY_TYPES),
  bands: fc.constantFrom([], [{ from: '08:00', to: '18:00' }], [{ from: '20:00', to: '02:00' }]),
});
const couponRuleArb = fc.oneof(
  fc.record({
    kind: fc.constant('amount' as const),
    amountOff: fc.integer({ min: 1, max: 30_000 }),
    minSpend: fc.nat(20_000),
  }),
  fc.record({
    kind: fc.constant('percent' as const),
    percentOff: fc.integer({ min: 1, max: 99 }),
    capFen: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }),
    minSpend: fc.nat(20_000),
  }),
  fc.record({
    kind: fc.constant('spend' as const),
    spend: fc.integer({ min: 1, max: 40_000 }),
    off: fc.integer({ min: 1, max: 20_000 }),
  }),
  fc.record({ kind: fc.constant('hours' as const), hours: fc.integer({ min: 1, max: 6 }) }),
);
const couponArb: fc.Arbitrary<CouponOffer> = fc
  .record({ id: fc.uuid(), rule: couponRuleArb, scope: scopeArb, stacking: stackingArb })
  .map(({ id, ...terms }) => ({
    id,
    name: `c-${id.slice(0, 4)}`,
    terms: CouponTermsSchema.parse(terms),
  }));
const promotionArb: fc.Arbitrary<Promotion> = fc
  .record({
    id: fc.uuid(),
    enabled: fc.boolean(),
    rule: fc.oneof(
      fc.record({
        kind: fc.constant('percent' as const),
        percentOff: fc.integer({ min: 1, max: 99 }),
        capFen: fc.constant(null),
      }),
      fc.record({
        kind: fc.constant('amount' as const),
        amountOff: fc.integer({ min: 1, max: 30_000 }),
      }),
      fc.record({
        kind: fc.constant('spend' as const),
        spend: fc.integer({ min: 1, max: 40_000 }),
        off: fc.integer({ min: 1, max: 20_000 }),
      }),
      fc.record({
        kind: fc.constant('bundle' as const),
        minutes: fc.constantFrom(60, 120, 180),
        price: fc.nat(30_000),
        item: fc.record({ name: fc.constant('tea set'), price: fc.nat(10_000) }),
      }),
    ),
    scope: scopeArb,
    stacking: stackingArb,
  })
  .map((p) => PromotionSchema.parse({ ...p, name: 'promo', from: '2026-01-01', to: '2026-12-31' }));

const offersArb: fc.Arbitrary<BillOffers> = fc.record({
  promotions: fc.array(promotionArb, { maxLength: 3 }),
  member: fc.option(
    fc.record({
      level: fc.constant('gold'),
      roomPercentOff: fc.integer({ min: 0, max: 100 }),
      itemPercentOff: fc.integer({ min: 0, max: 100 }),
    }),
    { nil: null },
  ),
  coupons: fc.array(couponArb, { maxLength: 3 }),
  deal: fc.option(
    fc.record({
      id: fc.constant('d1'),
      name: fc.constant('2h'),
      minutes: fc.option(fc.constantFrom(60, 120), { nil: null }),
    }),
    { nil: null },
  ),
  points: fc.option(
    fc.record({ points: fc.nat(50_000), fenPerPoint: fc.integer({ min: 1, max: 10 }) }),
    { nil: null },
  ),
});

describe('the bill with stacked discounts', () => {
  it('adds up to its lines, is never negative, and every amount is integer fen', () => {
    fc.assert(
      fc.property(quoteArb, offersArb, (q, offers) => {
        const bill = priceBill(q, offers, ctx);
        expect(bill.total).toBe(bill.lines.reduce((s, l) => s + l.amount, 0));
        expect(bill.total).toBeGreaterThanOrEqual(0);
        for (const l of bill.lines) expect(Number.isInteger(l.amount)).toBe(true);
        const discounts = bill.lines.filter((l) =>
          ['deal', 'promotion', 'member', 'coupon', 'points'].includes(l.kind),
        );
        for (const l of discounts) expect(l.amount).toBeLessThan(0);
        // Without discounts the bill is the quote's price (the season only shown apart).
        const plain = priceBill(q, {}, ctx);
        expect(plain.total).toBe(q.total);
        expect(bill.subtotal).toBeGreaterThanOrEqual(q.total);
        expect(bill.total).toBeLessThanOrEqual(bill.subtotal);
      }),
      { numRuns: 400 },
    );
  });

  it('applies no coupon its stacking rules forbid, and each within its own rule', () => {
    fc.assert(
      fc.property(quoteArb, offersArb, (q, offers) => {
        const bill = priceBill(q, offers, ctx);
        const member = bill.lines.some((l) => l.kind === 'member');
        const deal = bill.lines.some((l) => l.kind === 'deal');
        const promotion = (offers.promotions ?? []).find((p) => p.id === bill.promotionId);
        const used = bill.coupons.map((a) => offers.coupons!.find((c) => c.id === a.id)!);
        for (const c of used) {
          if (member) expect(c.terms.stacking.withMember).toBe(true);
          if (deal) expect(c.terms.stacking.withVoucher).toBe(true);
          if (promotion) expect(promotion.stacking.withCoupon).toBe(true);
          if (used.length > 1) expect(c.terms.stacking.withCoupon).toBe(true);
        }
        if (member && promotion) expect(promotion.stacking.withMember).toBe(true);
        if (deal && promotion) expect(promotion.stacking.withVoucher).toBe(true);
        // Each coupon: at most what its rule gives, of what it applied to (at most the bill).
        for (const a of bill.coupons) {
          const rule = offers.coupons!.find((c) => c.id === a.id)!.terms.rule;
          const line = bill.lines.find((l) => l.kind === 'coupon' && l.ref === a.id);
          expect(-(line?.amount ?? 0)).toBe(a.amount);
          if (rule.kind === 'amount') expect(a.amount).toBeLessThanOrEqual(rule.amountOff);
          if (rule.kind === 'spend') expect(a.amount).toBeLessThanOrEqual(rule.off);
          if (rule.kind === 'percent') {
            expect(a.amount).toBeLessThanOrEqual(
              Math.floor((bill.subtotal * rule.percentOff) / 100),
            );
            if (rule.capFen !== null) expect(a.amount).toBeLessThanOrEqual(rule.capFen);
          }
        }
        // Each refused coupon is not on the bill.
        for (const r of bill.refused.filter((x) => x.kind === 'coupon'))
          expect(bill.coupons.some((a) => a.id === r.id) && r.code !== 'coupon_named_twice').toBe(
            false,
          );
      }),
      { numRuns: 400 },
    );
  });

  it('a percentage coupon takes exactly its share of what it applies to, capped', () => {
    fc.assert(
      fc.property(quoteArb, fc.integer({ min: 1, max: 99 }), (q, pct) => {
        const coupon: CouponOffer = {
          id: 'c',
          name: 'pct',
          terms: CouponTermsSchema.parse({ rule: { kind: 'percent', percentOff: pct } }),
        };
        const bill = priceBill(q, { coupons: [coupon] }, ctx);
        expect(bill.coupons[0]?.amount ?? 0).toBe(Math.floor((q.total * pct) / 100));
      }),
    );
  });

  it('points take no more than the rest of the bill and are whole points', () => {
    fc.assert(
      fc.property(quoteArb, fc.nat(100_000), fc.integer({ min: 1, max: 10 }), (q, points, per) => {
        const bill = priceBill(q, { points: { points, fenPerPoint: per } }, ctx);
        expect(bill.pointsUsed).toBeLessThanOrEqual(points);
        expect(bill.total).toBeGreaterThanOrEqual(0);
        expect(bill.total).toBe(q.total - bill.pointsUsed * per);
        if (bill.pointsUsed < points) expect(bill.total).toBeLessThan(per);
      }),
    );
  });
});
