// Refund review (C9, S3): a customer asks for money back after paying; staff approve it (all or
// part, through the channels the money came by) or refuse it, and the booking returns to where it
// was. While a refund asked during the session is reviewed, the session goes on (shared-types:
// `countsAsInUse`). Records through BookingRecords, pays back through Refunds.
import { DomainError, type Actor, type BookingDetail } from '@roomhub/shared-types';
import type { AfterCommit } from '../db/write-queue';
import type { Ledger } from '../payments/ledger';
import type { Refunds } from '../payments/refunds';
import type { BookingRecords, BookingRow } from './booking-records';
import type { BookingViews } from './booking-views';
import { assertCanAct } from './ownership';

export interface RefundReviewDeps {
  records: BookingRecords;
  ledger: Ledger;
  refunds: Refunds;
  views: BookingViews;
}

export class RefundReview {
  constructor(private readonly d: RefundReviewDeps) {}

  request(
    id: string,
    input: { reason: string; amount?: number | undefined },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    assertCanAct(row, actor);
    const { refundable } = this.d.ledger.balanceOf(row);
    const amount = input.amount ?? refundable;
    if (['paid', 'in_use', 'completed'].includes(row.status)) {
      if (refundable <= 0)
        throw new DomainError(
          'conflict',
          'nothing_to_refund',
          'nothing paid on this booking is left to refund',
        );
      assertWithin(amount, refundable);
    }
    this.d.records.transition(row, 'request_refund', actor, 'refunding', afterCommit, {
      reason: input.reason,
      data: { amount },
      set: { refund_from_status: row.status },
    });
    return this.d.views.detail(id);
  }

  approve(
    id: string,
    input: { amount?: number | undefined; note?: string | undefined },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    this.assertNoRefundOnItsWay(row);
    const requested = this.d.records.lastRefundRequest(id);
    const { refundable } = this.d.ledger.balanceOf(row);
    const amount = input.amount ?? requested?.amount ?? refundable;
    if (row.status === 'refunding') assertWithin(amount, refundable);
    this.d.records.transition(row, 'approve_refund', actor, 'refunding', afterCommit, {
      reason: input.note ?? null,
      data: { amount },
    });
    this.d.refunds.refund(
      row,
      amount,
      'approved',
      requested?.reason ?? input.note ?? 'approved by staff',
      actor,
      afterCommit,
    );
    return this.d.views.detail(id);
  }

  reject(
    id: string,
    input: { reason: string },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    this.assertNoRefundOnItsWay(row);
    if (row.status === 'refunding' && row.refund_from_status === null) {
      throw new DomainError(
        'conflict',
        'nothing_to_reject',
        'this refund comes from a cancellation, not a request',
      );
    }
    this.d.records.transition(
      row,
      'reject_refund',
      actor,
      row.refund_from_status ?? row.status,
      afterCommit,
      { reason: input.reason, set: { refund_from_status: null } },
    );
    return this.d.views.detail(id);
  }

  /** A refund under review can be decided only while no money of an earlier decision is still on its way. */
  private assertNoRefundOnItsWay(row: BookingRow): void {
    if (row.status === 'refunding' && this.d.refunds.hasPending(row.id)) {
      throw new DomainError(
        'conflict',
        'refund_in_progress',
        'a refund for this booking is already on its way',
      );
    }
  }
}

function assertWithin(amount: number, refundable: number): void {
  if (amount > refundable) {
    throw new DomainError(
      'invalid',
      'refund_exceeds_paid',
      `at most ${refundable} fen can be refunded`,
      'amount',
    ).with({ amount: refundable });
  }
}
