// The booking's seam to the members domain: what a member's level takes off, how much longer
// they may book ahead, and their points spent on (and given back from) a booking. The booking
// service asks only this; it never reads members' tables. `noMembers` knows no one.
import type { Actor, MemberDiscount } from '@roomhub/shared-types';

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
