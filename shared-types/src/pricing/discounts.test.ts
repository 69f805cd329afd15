import { describe, expect, it } from 'vitest';
import {
  CouponTermsSchema,
  priceBill,
  priceExtension,
  PromotionSchema,
  type CouponTermsInput,
} from './discounts';
import { PricePlanSchema, seasonOf } from './price-plan';
import { quoteSpan } from './quote';

const SH = 'Asia/Shanghai';
const ctx = { timeZone: SH, dayType: () => 'workday' as const };
const room = { roomId: 'r1', roomStyle: '茶室', timeZone: SH };
const plan = PricePlanSchema.parse({
  rates: { workday: 6000, weekend: 8000, holiday: 10000 },
  bands: [
    {
      name: 'Night',
      from: '22:00',
      to: '08:00',
      rates: { workday: 3000, weekend: 3000, holiday: 3000 },
    },
  ],
  seasons: [
    {
      name: 'summer',
      from: '07-01',
      to: '08-31',
      rates: { workday: 9000, weekend: 9000, holiday: 9000 },
    },
    {
      name: 'new year',
      from: '12-20',
      to: '01-05',
      rates: { workday: 5000, weekend: 5000, holiday: 5000 },
      bands: { Night: { workday: 1000, weekend: 1000, holiday: 1000 } },
    },
  ],
});
const at = (iso: string) => Date.parse(iso);
const twoHours = (start: string) =>
  quoteSpan(plan, { start: at(start), end: at(start) + 2 * 3_600_000 }, ctx);
const coupon = (rule: CouponTermsInput['rule'], rest: Partial<CouponTermsInput> = {}) => ({
  id: `c-${rule.kind}`,
  name: rule.kind,
  terms: CouponTermsSchema.parse({ rule, ...rest }),
});

describe('seasons', () => {
  it('price room time on their days and show the difference as a season line', () => {
    const q = twoHours('2026-07-06T10:00:00+08:00');
    expect(q.total).toBe(18000);
    const bill = priceBill(q, {}, room);
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['time', 12000],
      ['season', 6000],
    ]);
    expect(bill.total).toBe(18000);
  });

  it('cross the year end, and name the rates of a band', () => {
    expect(seasonOf(plan, '2026-12-31')?.name).toBe('new year');
    expect(seasonOf(plan, '2027-01-05')?.name).toBe('new year');
    expect(seasonOf(plan, '2027-01-06')).toBeNull();
    const night = quoteSpan(
      plan,
      { start: at('2027-01-02T23:00:00+08:00'), end: at('2027-01-03T01:00:00+08:00') },
      ctx,
    );
    expect(night.total).toBe(2000);
    expect(priceBill(night, {}, room).lines.find((l) => l.kind === 'season')?.amount).toBe(-4000);
  });

  it('may not overlap, nor name a band the plan lacks', () => {
    const r = PricePlanSchema.safeParse({
      rates: { workday: 1, weekend: 1, holiday: 1 },
      seasons: [
        { name: 'a', from: '12-01', to: '01-31', rates: { workday: 1, weekend: 1, holiday: 1 } },
        {
          name: 'b',
          from: '01-15',
          to: '02-15',
          rates: { workday: 1, weekend: 1, holiday: 1 },
          bands: { X: { workday: 1, weekend: 1, holiday: 1 } },
        },
      ],
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('season "b" (01-15 to 02-15) overlaps season "a"');
    expect(messages).toContain('names band "X"');
  });
});

describe('coupons on a 120-yuan bill', () => {
  const q = twoHours('2026-11-23T10:00:00+08:00');
  const one = (c: ReturnType<typeof coupon>) => priceBill(q, { coupons: [c] }, room);
  it('take a fixed amount, a capped percentage, spend-X-get-Y, and free hours', () => {
    expect(one(coupon({ kind: 'amount', amountOff: 2000 })).total).toBe(10000);
    expect(one(coupon({ kind: 'percent', percentOff: 20 })).total).toBe(9600);
    expect(one(coupon({ kind: 'percent', percentOff: 50, capFen: 3000 })).total).toBe(9000);
    expect(one(coupon({ kind: 'spend', spend: 10000, off: 3000 })).total).toBe(9000);
    expect(one(coupon({ kind: 'spend', spend: 20000, off: 3000 })).refused[0]?.code).toBe(
      'coupon_min_spend',
    );
    expect(one(coupon({ kind: 'hours', hours: 1 })).total).toBe(6000);
    expect(one(coupon({ kind: 'amount', amountOff: 99999 })).total).toBe(0);
  });

  it('keep to their rooms and time bands', () => {
    const mahjong = coupon(
      { kind: 'amount', amountOff: 1000 },
      { scope: { roomStyles: ['棋牌室'] } },
    );
    expect(one(mahjong).refused[0]?.code).toBe('coupon_out_of_scope');
    const night = coupon(
      { kind: 'amount', amountOff: 1000 },
      { scope: { bands: [{ from: '20:00', to: '02:00' }] } },
    );
    expect(one(night).refused[0]?.code).toBe('coupon_out_of_scope');
  });

  it('stack by their rules, in the fixed order, each as its own line', () => {
    const promotion = PromotionSchema.parse({
      id: 'p1',
      name: 'autumn',
      enabled: true,
      from: '2026-11-01',
      to: '2026-11-30',
      rule: { kind: 'amount', amountOff: 1000 },
      scope: { roomIds: [], roomStyles: [], dayTypes: [], bands: [] },
      stacking: { withMember: true, withVoucher: false, withCoupon: true },
    });
    const bill = priceBill(
      q,
      {
        promotions: [promotion],
        member: { level: '金卡', roomPercentOff: 10, itemPercentOff: 0 },
        coupons: [
          coupon(
            { kind: 'amount', amountOff: 500 },
            { stacking: { withMember: true, withCoupon: false } },
          ),
          coupon({ kind: 'percent', percentOff: 10 }, { stacking: { withMember: false } }),
        ],
        points: { points: 100, fenPerPoint: 10 },
      },
      room,
    );
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['time', 12000],
      ['promotion', -1000],
      ['member', -1100],
      ['coupon', -500],
      ['points', -1000],
    ]);
    expect(bill.total).toBe(8400);
    expect(bill.refused.map((r) => r.code)).toEqual(['coupon_not_combinable']);
  });

  it('a bundle sells its room time and the tea set at its price', () => {
    const bundle = PromotionSchema.parse({
      id: 'b',
      name: '2h + tea',
      enabled: true,
      from: '2026-11-01',
      to: '2026-11-30',
      rule: { kind: 'bundle', minutes: 120, price: 9900, item: { name: '龙井茶套', price: 3800 } },
      scope: { roomIds: [], roomStyles: [], dayTypes: [], bands: [] },
      stacking: { withMember: false, withVoucher: false, withCoupon: false },
    });
    const bill = priceBill(
      q,
      { promotions: [bundle], member: { level: 'x', roomPercentOff: 10, itemPercentOff: 10 } },
      room,
    );
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['time', 12000],
      ['item', 3800],
      ['promotion', -5900],
    ]);
    expect(bill.total).toBe(9900);
  });

  it('a voucher pays its hours first', () => {
    const bill = priceBill(
      q,
      {
        deal: { id: 'd', name: '1h', minutes: 60 },
        coupons: [coupon({ kind: 'amount', amountOff: 500 }, { stacking: { withVoucher: true } })],
      },
      room,
    );
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['time', 12000],
      ['deal', -6000],
      ['coupon', -500],
    ]);
  });
});

describe('an extension', () => {
  const promotion = (id: string, rule: unknown, scope: Record<string, unknown> = {}) =>
    PromotionSchema.parse({
      id,
      name: id,
      enabled: true,
      from: '2026-11-01',
      to: '2026-11-30',
      rule,
      scope: { roomIds: [], roomStyles: [], dayTypes: [], bands: [], ...scope },
      stacking: { withMember: true, withVoucher: false, withCoupon: false },
    });

  it('gets the percentage promotion in force that takes off most, as its own line', () => {
    const added = twoHours('2026-11-24T10:00:00+08:00');
    const ext = priceExtension(
      added,
      [
        promotion('ten', { kind: 'percent', percentOff: 10 }),
        promotion('twenty', { kind: 'percent', percentOff: 20 }),
        promotion('amount', { kind: 'amount', amountOff: 5000 }),
        promotion('bundle', {
          kind: 'bundle',
          minutes: 120,
          price: 1,
          item: { name: 'tea', price: 100 },
        }),
      ],
      room,
    );
    expect(ext.lines.map((l) => [l.kind, l.amount, l.ref])).toEqual([
      ['extension', 12000, undefined],
      ['promotion', -2400, 'twenty'],
    ]);
    expect(ext.total).toBe(9600);
  });

  it('out of a promotion period or scope, costs what its time costs', () => {
    const november = [promotion('november', { kind: 'percent', percentOff: 20 })];
    const december = priceExtension(twoHours('2026-12-02T10:00:00+08:00'), november, room);
    expect(december.lines.map((l) => l.kind)).toEqual(['extension']);
    expect(december.total).toBe(12000);
    const mahjong = [
      promotion('mahjong', { kind: 'percent', percentOff: 20 }, { roomStyles: ['棋牌室'] }),
    ];
    const tea = priceExtension(twoHours('2026-11-24T10:00:00+08:00'), mahjong, room);
    expect(tea.total).toBe(12000);
  });

  it('gets the member level off room time after the promotion, unless the promotion says not', () => {
    const gold = { level: '金卡', roomPercentOff: 10, itemPercentOff: 0 };
    const added = twoHours('2026-11-24T10:00:00+08:00');
    const both = priceExtension(
      added,
      [promotion('twenty', { kind: 'percent', percentOff: 20 })],
      room,
      gold,
    );
    // 120.00 less 20% is 96.00; 10% of that is 9.60.
    expect(both.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['extension', 12000],
      ['promotion', -2400],
      ['member', -960],
    ]);
    expect(both.total).toBe(8640);
    const alone = promotion('alone', { kind: 'percent', percentOff: 20 });
    alone.stacking = { ...alone.stacking, withMember: false };
    const notWithMember = priceExtension(added, [alone], room, gold);
    expect(notWithMember.lines.map((l) => l.kind)).toEqual(['extension', 'promotion']);
    expect(priceExtension(added, [], room, gold).total).toBe(10800);
  });
});
