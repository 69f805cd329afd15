// What moving a customer's paid booking to another time (or another room of the store) costs, as
// the cloud can tell before it asks the store: the new time priced as a new booking would be, the
// store's change rules (allowed, how often, how late) and change fee by notice on what was paid,
// and what comes back or, for a dearer time, what is still to pay (held online with the intent).
// The fee and the difference are `changeTerms`, the computation the hub applies when it moves the
// booking. The hub still decides every change. No I/O.
import {
  changeTerms,
  DomainError,
  MINUTE,
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
 * The change fee and what comes back (or is still to pay) for a booking moved to a time priced
 * `quote`: the fee is of what paid for the time (the hub's tiers by notice), change fees kept from
 * an earlier change staying on the bill.
 */
export function changeView(
  b: BookingDoc,
  rules: BookingRules,
  quote: QuoteView,
  nowMs: number,
): ChangeQuoteView {
  const paid = Math.max(0, b.totals.paid - b.totals.refunded);
  const kept = b.lines.filter((l) => l.kind === 'change_fee').reduce((s, l) => s + l.amount, 0);
  const { fee, feePercent, refund, due } = changeTerms({
    fees: rules.change.fees,
    paid,
    kept,
    newPrice: quote.total,
    now: nowMs,
    start: Date.parse(b.start),
  });
  return { quote, fee, feePercent, paid, refund, due };
}
