// What moving a customer's paid booking to another time (or another room of the store) costs, as
// the cloud can tell before it asks the store: the new time priced as a new booking would be, the
// store's change rules (allowed, how often, how late) and change fee by notice on what was paid,
// and what comes back. Only a change that costs no more than was paid is taken online; a dearer
// one is refused here, naming the way that remains. The hub still decides every change. No I/O.
import {
  DomainError,
  MINUTE,
  tierFee,
  type BookingDoc,
  type BookingRules,
  type ChangeQuoteView,
  type QuoteView,
} from '@roomhub/shared-types';

export interface ChangeAsked {
  roomId?: string | undefined;
  start: string;
  end: string;
}

/** The store's change rules, as the hub checks them, applied to the booking now. */
export function assertChangeable(b: BookingDoc, rules: BookingRules, nowMs: number): void {
  const change = rules.change;
  if (!change.allowed)
    throw new DomainError('conflict', 'changes_not_allowed', 'this store does not allow changes');
  const made = b.history.filter((h) => h.action === 'change').length;
  if (made >= change.maxChanges) {
    throw new DomainError(
      'conflict',
      'too_many_changes',
      `a booking may be changed at most ${change.maxChanges} times`,
    ).with({ n: change.maxChanges });
  }
  if (nowMs > Date.parse(b.start) - change.minNoticeMinutes * MINUTE) {
    throw new DomainError(
      'conflict',
      'change_too_late',
      `changes close ${change.minNoticeMinutes} minutes before the start`,
    ).with({ minutes: change.minNoticeMinutes });
  }
}

/**
 * The change fee and what comes back for a booking moved to a time priced `quote`: the fee is of
 * what was paid (the hub's tiers by notice), the refund the rest above the new price. A new total
 * plus fee above what was paid is refused (`change_costs_more`).
 */
export function changeView(
  b: BookingDoc,
  rules: BookingRules,
  quote: QuoteView,
  nowMs: number,
): ChangeQuoteView {
  const paid = Math.max(0, b.totals.paid - b.totals.refunded);
  const { fee, feePercent } = tierFee(rules.change.fees, paid, nowMs, Date.parse(b.start));
  const refund = paid - quote.total - fee;
  if (refund < 0) {
    throw new DomainError(
      'conflict',
      'change_costs_more',
      `the new time costs ${-refund} fen more than was paid; online only a change that costs the same or less is taken: cancel and book again, or ask the store`,
      'end',
    ).with({ amount: -refund });
  }
  return { quote, fee, feePercent, paid, refund };
}
