// What ending a session before its booked end gives back, by the store's rule (O4): nothing, the
// whole billing steps not used at the room's prices, or the unused share of what was paid. Never
// more than can still be refunded. Pure: the session ends by it, the receipt shows it beforehand.
import { MINUTE, type BookingRules } from '@roomhub/shared-types';

export function earlyEndRefund(c: {
  rule: BookingRules['earlyEnd'];
  start: number;
  end: number;
  /** Where billing started: the start, or the next grid step for a walk-in. */
  billedFrom?: number;
  now: number;
  /** What of the booking can still go back. */
  refundable: number;
  /** The room's billing step, in minutes. */
  billingStepMinutes: number;
  /** The price of the room's time between two instants. */
  priceOf: (from: number, to: number) => number;
}): number {
  const { rule, start, end, refundable } = c;
  if (rule === 'none' || c.now >= end || refundable <= 0) return 0;
  const now = Math.max(c.now, start);
  // Never more than the unused share of what was paid (a package's list price is no measure).
  const share = Math.floor((refundable * (end - now)) / (end - start));
  if (rule === 'pro_rata') return share;
  // The step under way is used; the whole steps after it, on the billing grid, are not.
  const grid = c.billedFrom ?? start;
  const step = c.billingStepMinutes * MINUTE;
  const from = grid + Math.max(0, Math.ceil((now - grid) / step)) * step;
  const back = from < end ? c.priceOf(from, end) : 0;
  return Math.min(back, share);
}
