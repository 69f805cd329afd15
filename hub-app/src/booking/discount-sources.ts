// The booking's seams to what takes money off its bill: the members domain (what a member's
// level takes off, how much longer they may book ahead, their points spent on and given back from
// a booking), the coupons a customer names and the owner's promotions. The booking service asks
// only these; it never reads their tables. The defaults here know no member, coupon or promotion.
import type { Actor, CouponOffer, MemberDiscount, Promotion } from '@roomhub/shared-types';

export interface MemberPricing {
  discountFor(phone: string): MemberDiscount | null;
  bookingWindowDays(phone: string): number; // extra booking-window days, 0 if none
  fenPerPoint(): number;
  pointsOf(phone: string): number;
  spendPoints(phone: string, points: number, ref: string, actor: Actor): void; // inside the write
  returnPoints(ref: string, actor: Actor): void; // inside the write; idempotent
}

/** Until members exist: no discount, no longer window, no points to spend. */
export const noMembers: MemberPricing = {
  discountFor: () => null,
  bookingWindowDays: () => 0,
  fenPerPoint: () => 0,
  pointsOf: () => 0,
  spendPoints: () => {
    throw new Error('no points ledger: points cannot be spent');
  },
  returnPoints: () => undefined,
};

/** The coupons a customer names for a booking (the coupons domain). */
export interface CouponBook {
  /** Theirs, unused and inside their use window, or a 4xx saying which is not. */
  offers(phone: string, couponIds: readonly string[]): CouponOffer[];
  /** The coupons a booking holds now, for re-pricing it. */
  heldBy(bookingId: string): CouponOffer[];
  use(bookingId: string, applied: readonly { id: string; amount: number }[], actor: Actor): void; // inside the write
  giveBack(bookingId: string, actor: Actor): void; // inside the write; idempotent
}

/** The owner's automatic promotions switched on (priceBill keeps those in force that day). */
export interface PromotionBook {
  enabled(): Promotion[];
}

export const noCoupons: CouponBook = {
  offers: (_phone, ids) => {
    if (ids.length > 0) throw new Error('no coupons here');
    return [];
  },
  heldBy: () => [],
  use: () => undefined,
  giveBack: () => undefined,
};

export const noPromotions: PromotionBook = { enabled: () => [] };
