// The bill of a quote with every discount as its own line, shared by hub and cloud so a customer
// is shown what the hub will charge. Pure and deterministic: no clock, no I/O; every amount is
// integer fen and no line is ever taken below zero.
//
// The order is fixed, each step working on what the earlier ones left of each line:
//   1. season    the season's rates are priced into the time lines; the bill shows those lines at
//                base rates and one `season` line with the difference (positive or negative);
//   2. deal      a group-buy voucher pays the room time it buys (its first minutes, or all of it);
//   3. promotion the owner's automatic offers in force that day: the one that takes off most
//                applies (one promotion a bill), if it may be combined with the voucher;
//   4. member    the member's level: a percentage off room time and off items, unless the
//                promotion applied says it does not combine with member prices;
//   5. coupon    each coupon named, in the order given, if its stacking rules allow it beside the
//                member line, the voucher, the promotion and the coupons already applied;
//   6. points    last, like money: never more points than the rest of the bill needs.
// An offer that cannot apply is left out and named in `refused` with why.
import { z } from 'zod';
import { DayTypeSchema } from '../calendar/day-type';
import { memberItemOff, type MemberDiscount, type PointsUse } from '../members/member-perks';
import {
  localDateOf,
  localMinuteOfDay,
  LocalDateSchema,
  minutesOfTimeOfDay,
} from '../time/instant';
import { UseBandSchema, type UseBand } from '../vouchers/deal-rules';
import type { FeeLine, FeeLineKind, Quote } from './quote';

const fen = z.number().int().nonnegative();
const positiveFen = z.number().int().positive();
const percent = z.number().int().min(1).max(99);

/** Where an offer applies: empty lists mean everywhere. */
export const OfferScopeSchema = z.object({
  roomIds: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  /** Room styles (a room's `style`, e.g. 棋牌室). */
  roomStyles: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
  /** Only room time on these day types is discounted. */
  dayTypes: z.array(DayTypeSchema).max(3).default([]),
  /** The booking must start inside one of these time bands. */
  bands: z.array(UseBandSchema).max(6).default([]),
});
export type OfferScope = z.output<typeof OfferScopeSchema>;

/** Whether an offer goes with other offers on one bill. */
export const StackingSchema = z.object({
  withMember: z.boolean().default(true),
  withVoucher: z.boolean().default(false),
  withCoupon: z.boolean().default(false),
});
export type Stacking = z.output<typeof StackingSchema>;

/** What a coupon takes off. */
export const CouponRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount'), amountOff: positiveFen, minSpend: fen.default(0) }),
  z.object({
    kind: z.literal('percent'),
    percentOff: percent,
    /** The most it takes off, fen; null: no cap. */
    capFen: positiveFen.nullable().default(null),
    minSpend: fen.default(0),
  }),
  z.object({ kind: z.literal('spend'), spend: positiveFen, off: positiveFen }),
  z.object({ kind: z.literal('hours'), hours: z.number().int().min(1).max(24) }),
]);
export type CouponRule = z.output<typeof CouponRuleSchema>;

export const CouponTermsSchema = z.object({
  rule: CouponRuleSchema,
  scope: OfferScopeSchema.default({ roomIds: [], roomStyles: [], dayTypes: [], bands: [] }),
  stacking: StackingSchema.default({ withMember: true, withVoucher: false, withCoupon: false }),
});
export type CouponTerms = z.output<typeof CouponTermsSchema>;
export type CouponTermsInput = z.input<typeof CouponTermsSchema>;

/** What an automatic promotion gives. A bundle: its first `minutes` of room time and the item. */
export const PromotionRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('percent'),
    percentOff: percent,
    capFen: positiveFen.nullable().default(null),
  }),
  z.object({ kind: z.literal('amount'), amountOff: positiveFen }),
  z.object({ kind: z.literal('spend'), spend: positiveFen, off: positiveFen }),
  z.object({
    kind: z.literal('bundle'),
    minutes: z.number().int().min(30).max(1440),
    /** The bundle's price: room time and item together. */
    price: fen,
    item: z.object({
      name: z.string().trim().min(1).max(40),
      price: fen,
      /** The menu item given: the tea order placed for the booking once it is paid. */
      itemId: z.string().trim().min(1).max(64).optional(),
    }),
  }),
]);
export type PromotionRule = z.output<typeof PromotionRuleSchema>;

/** A promotion as the owner writes it. */
export const PromotionInputSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    enabled: z.boolean().default(true),
    /** Store-local dates, both included. */
    from: LocalDateSchema,
    to: LocalDateSchema,
    rule: PromotionRuleSchema,
    scope: OfferScopeSchema.default({ roomIds: [], roomStyles: [], dayTypes: [], bands: [] }),
    stacking: StackingSchema.default({ withMember: true, withVoucher: false, withCoupon: false }),
  })
  .refine((p) => p.from <= p.to, { message: 'must not be before from', path: ['to'] });
export type PromotionInput = z.input<typeof PromotionInputSchema>;

export const PromotionSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(40),
  enabled: z.boolean(),
  from: LocalDateSchema,
  to: LocalDateSchema,
  rule: PromotionRuleSchema,
  scope: OfferScopeSchema,
  stacking: StackingSchema,
});
export type Promotion = z.output<typeof PromotionSchema>;

/** A coupon the customer names for this bill. */
export interface CouponOffer {
  id: string;
  name: string;
  terms: CouponTerms;
}

/** A group-buy voucher paying for room time: its first `minutes`, or null for all of it. */
export interface DealOffer {
  id: string;
  name: string;
  minutes: number | null;
}

export interface BillOffers {
  promotions?: readonly Promotion[];
  member?: MemberDiscount | null;
  coupons?: readonly CouponOffer[];
  deal?: DealOffer | null;
  points?: PointsUse | null;
}

export interface BillContext {
  roomId: string;
  roomStyle: string;
  timeZone: string;
}

export type RefusalCode =
  | 'coupon_not_combinable'
  | 'coupon_out_of_scope'
  | 'coupon_min_spend'
  | 'coupon_named_twice'
  | 'coupon_worth_nothing'
  | 'points_not_accepted';

export interface BillRefusal {
  kind: 'coupon' | 'points';
  id: string;
  code: RefusalCode;
  message: string;
}

export interface Bill extends Quote {
  /** The bill before any discount (season included). */
  subtotal: number;
  promotionId: string | null;
  /** Each applied coupon and what it took off. */
  coupons: { id: string; amount: number }[];
  pointsUsed: number;
  refused: BillRefusal[];
}

type DiscountKind = Extract<FeeLineKind, 'deal' | 'promotion' | 'member' | 'coupon' | 'points'>;

const ROOM_KINDS: readonly FeeLineKind[] = ['time', 'package', 'extension'];
const FULL_SCOPE: OfferScope = { roomIds: [], roomStyles: [], dayTypes: [], bands: [] };

function inBand(band: UseBand, minute: number): boolean {
  const from = minutesOfTimeOfDay(band.from);
  const to = minutesOfTimeOfDay(band.to);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Prices `quote` with `offers`: see the header for the order. */
export function priceBill(quote: Quote, offers: BillOffers, ctx: BillContext): Bill {
  const first = quote.lines[0];
  const shown: FeeLine[] = [];
  // What each line still costs; discounts take from these, never below zero.
  const left: number[] = [];
  const bills: FeeLine[] = [];
  let seasonDelta = 0;
  let seasonName = '';
  for (const line of quote.lines) {
    bills.push(line);
    left.push(line.amount);
    if (line.season !== undefined && line.base !== undefined) {
      seasonDelta += line.amount - line.base;
      seasonName ||= line.season;
      shown.push({ ...line, amount: line.base });
    } else shown.push(line);
  }
  const at = {
    date: first?.date ?? localDateOf(quote.start, ctx.timeZone),
    dayType: first?.dayType ?? ('workday' as const),
    band: null,
    start: quote.start,
    end: quote.end,
    minutes: 0,
    rate: 0,
  };
  if (seasonDelta !== 0) {
    shown.push({ ...at, kind: 'season', label: `season · ${seasonName}`, amount: seasonDelta });
  }
  const subtotal = left.reduce((s, a) => s + a, 0);
  const date = localDateOf(quote.start, ctx.timeZone);
  const startMinute = localMinuteOfDay(quote.start, ctx.timeZone);
  const refused: BillRefusal[] = [];
  const discounts: FeeLine[] = [];

  const roomLines = (scope: OfferScope): number[] =>
    bills.flatMap((l, i) =>
      ROOM_KINDS.includes(l.kind) &&
      (scope.dayTypes.length === 0 || scope.dayTypes.includes(l.dayType))
        ? [i]
        : [],
    );
  const inScope = (scope: OfferScope): boolean => {
    const named = scope.roomIds.length > 0 || scope.roomStyles.length > 0;
    if (named && !scope.roomIds.includes(ctx.roomId) && !scope.roomStyles.includes(ctx.roomStyle))
      return false;
    if (scope.bands.length > 0 && !scope.bands.some((b) => inBand(b, startMinute))) return false;
    return roomLines(scope).length > 0;
  };
  const sumOf = (idx: number[]) => idx.reduce((s, i) => s + left[i]!, 0);
  /** The value of the first `minutes` of the lines `idx` as they stand. */
  const firstMinutes = (idx: number[], minutes: number): number => {
    let rest = minutes;
    let value = 0;
    for (const i of idx) {
      if (rest <= 0) break;
      const line = bills[i]!;
      const take = Math.min(line.minutes, rest);
      value += line.minutes > 0 ? Math.floor((left[i]! * take) / line.minutes) : 0;
      rest -= take;
    }
    return value;
  };
  /** Takes up to `amount` off the lines `idx`, first lines first; returns what it took. */
  const take = (idx: number[], amount: number): number => {
    let rest = Math.max(0, Math.floor(amount));
    for (const i of idx) {
      const t = Math.min(left[i]!, rest);
      left[i]! -= t;
      rest -= t;
    }
    return Math.max(0, Math.floor(amount)) - rest;
  };
  const addLine = (kind: DiscountKind, label: string, amount: number, ref: string) => {
    if (amount > 0) discounts.push({ ...at, kind, label, amount: -amount, ref });
  };

  // 2. the voucher
  const deal = offers.deal ?? null;
  if (deal) {
    const idx = roomLines(FULL_SCOPE);
    const value = deal.minutes === null ? sumOf(idx) : firstMinutes(idx, deal.minutes);
    addLine('deal', `voucher · ${deal.name}`, take(idx, value), deal.id);
  }

  // 3. one promotion: the one worth most that day
  let promotion: Promotion | null = null;
  let promotionValue = 0;
  const promotionsInForce = (offers.promotions ?? [])
    .filter((p) => p.enabled && p.from <= date && date <= p.to && inScope(p.scope))
    .filter((p) => !deal || p.stacking.withVoucher)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of promotionsInForce) {
    const minutes = roomLines(p.scope).reduce((m, i) => m + bills[i]!.minutes, 0);
    if (p.rule.kind === 'bundle' && minutes < p.rule.minutes) continue;
    const value = promotionWorth(p.rule, sumOf(roomLines(p.scope)), (m) =>
      firstMinutes(roomLines(p.scope), m),
    );
    if (value !== null && value > promotionValue) {
      promotion = p;
      promotionValue = value;
    }
  }
  if (promotion) {
    if (promotion.rule.kind === 'bundle') {
      const item = promotion.rule.item;
      const line: FeeLine = {
        ...at,
        kind: 'item',
        label: item.name,
        amount: item.price,
        ref: promotion.id,
        ...(item.itemId !== undefined ? { itemId: item.itemId } : {}),
      };
      bills.push(line);
      left.push(item.price);
      shown.push(line);
      // The bundle's price for its room time and the item: what is over it comes off both.
      const idx = [...roomLines(promotion.scope), bills.length - 1];
      addLine(
        'promotion',
        `promotion · ${promotion.name}`,
        take(idx, promotionValue),
        promotion.id,
      );
    } else {
      addLine(
        'promotion',
        `promotion · ${promotion.name}`,
        take(roomLines(promotion.scope), promotionValue),
        promotion.id,
      );
    }
  }

  // 4. the member's level
  const member = offers.member ?? null;
  let memberApplied = false;
  if (member && (!promotion || promotion.stacking.withMember)) {
    const room = roomLines(FULL_SCOPE);
    const items = bills.flatMap((l, i) => (l.kind === 'item' ? [i] : []));
    const off =
      take(room, Math.floor((sumOf(room) * member.roomPercentOff) / 100)) +
      take(items, memberItemOff(sumOf(items), member.itemPercentOff));
    addLine('member', `member · ${member.level}`, off, member.level);
    memberApplied = off > 0;
  }

  // 5. coupons
  const applied: { id: string; amount: number; stacking: Stacking }[] = [];
  for (const c of offers.coupons ?? []) {
    const refuse = (code: RefusalCode, message: string) =>
      refused.push({ kind: 'coupon', id: c.id, code, message });
    const { rule, scope, stacking } = c.terms;
    if (applied.some((a) => a.id === c.id)) {
      refuse('coupon_named_twice', `coupon "${c.name}" is named twice`);
      continue;
    }
    if (memberApplied && !stacking.withMember) {
      refuse('coupon_not_combinable', `coupon "${c.name}" does not combine with member prices`);
      continue;
    }
    if (deal && !stacking.withVoucher) {
      refuse('coupon_not_combinable', `coupon "${c.name}" does not combine with a voucher`);
      continue;
    }
    if (promotion && !promotion.stacking.withCoupon) {
      refuse(
        'coupon_not_combinable',
        `the promotion "${promotion.name}" does not combine with coupons`,
      );
      continue;
    }
    if (
      applied.length > 0 &&
      (!stacking.withCoupon || applied.some((a) => !a.stacking.withCoupon))
    ) {
      refuse('coupon_not_combinable', `coupon "${c.name}" does not combine with another coupon`);
      continue;
    }
    if (!inScope(scope)) {
      refuse('coupon_out_of_scope', `coupon "${c.name}" is not good for this room or time`);
      continue;
    }
    const idx = roomLines(scope);
    const base = sumOf(idx);
    const minSpend = rule.kind === 'spend' ? rule.spend : rule.kind === 'hours' ? 0 : rule.minSpend;
    if (base < minSpend) {
      refuse('coupon_min_spend', `coupon "${c.name}" needs a bill of at least ${minSpend} fen`);
      continue;
    }
    const worth = couponWorth(rule, base, (m) => firstMinutes(idx, m));
    if (worth <= 0) {
      // Kept for a bill it helps: a coupon is used once.
      refuse('coupon_worth_nothing', `coupon "${c.name}" takes nothing off this bill`);
      continue;
    }
    const amount = take(idx, worth);
    addLine('coupon', `coupon · ${c.name}`, amount, c.id);
    applied.push({ id: c.id, amount, stacking });
  }

  // 6. points
  let pointsUsed = 0;
  const points = offers.points ?? null;
  if (points && points.points > 0) {
    if (!(points.fenPerPoint > 0)) {
      refused.push({
        kind: 'points',
        id: 'points',
        code: 'points_not_accepted',
        message: 'points are not accepted here',
      });
    } else {
      const all = left.map((_, i) => i);
      pointsUsed = Math.min(points.points, Math.floor(sumOf(all) / points.fenPerPoint));
      addLine(
        'points',
        `points · ${pointsUsed}`,
        take(all, pointsUsed * points.fenPerPoint),
        'points',
      );
    }
  }

  const lines = [...shown, ...discounts];
  return {
    start: quote.start,
    end: quote.end,
    minutes: quote.minutes,
    lines,
    total: lines.reduce((s, l) => s + l.amount, 0),
    subtotal: subtotal + (bills.length > quote.lines.length ? bills.at(-1)!.amount : 0),
    promotionId: promotion?.id ?? null,
    coupons: applied.map(({ id, amount }) => ({ id, amount })),
    pointsUsed,
    refused,
  };
}

/**
 * An extension's bill: the added room time as `extension` lines (the season shown as its own
 * line, as on a booking's bill) less the percentage-off promotion in force on its date and in its
 * scope that takes off most, and the customer's member level off room time (unless that promotion
 * does not combine with member prices), each as its own line. An amount off, spend X get Y off or
 * a bundle is given once, on the booking's bill, never again for the minutes added to it; coupons
 * and points are the booking's too. Hub and cloud both price an extension with this, and the hub
 * its overtime.
 */
export function priceExtension(
  quote: Quote,
  promotions: readonly Promotion[],
  ctx: BillContext,
  member: MemberDiscount | null = null,
): Quote {
  const added: Quote = { ...quote, lines: quote.lines.map((l) => ({ ...l, kind: 'extension' })) };
  const bill = priceBill(
    added,
    { promotions: promotions.filter((p) => p.rule.kind === 'percent'), member },
    ctx,
  );
  return {
    start: bill.start,
    end: bill.end,
    minutes: bill.minutes,
    lines: bill.lines,
    total: bill.total,
  };
}

/** What a promotion takes off `base` (room time it scopes), or null when it does not apply. */
function promotionWorth(
  rule: PromotionRule,
  base: number,
  firstMinutes: (m: number) => number,
): number | null {
  switch (rule.kind) {
    case 'percent':
      return Math.min(Math.floor((base * rule.percentOff) / 100), rule.capFen ?? Infinity);
    case 'amount':
      return Math.min(rule.amountOff, base);
    case 'spend':
      return base >= rule.spend ? Math.min(rule.off, base) : null;
    case 'bundle': {
      const room = firstMinutes(rule.minutes);
      return Math.max(0, room + rule.item.price - rule.price);
    }
  }
}

/** What a coupon takes off `base`, the room time it scopes as it stands. */
function couponWorth(rule: CouponRule, base: number, firstMinutes: (m: number) => number): number {
  switch (rule.kind) {
    case 'amount':
      return Math.min(rule.amountOff, base);
    case 'percent':
      return Math.min(Math.floor((base * rule.percentOff) / 100), rule.capFen ?? Infinity);
    case 'spend':
      return Math.min(rule.off, base);
    case 'hours':
      return firstMinutes(rule.hours * 60);
  }
}
