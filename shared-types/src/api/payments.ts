// The payment API (C5): paying what a booking owes, and the payments, refunds and ledger entries
// a booking's detail shows.
import { z } from 'zod';
import type { ActorKind } from '../booking/booking-status';
import { PaymentMethodSchema, type PaymentMethod } from '../payments/payment-method';

export const PaymentCreateSchema = z.object({
  method: PaymentMethodSchema.extract(['cash', 'wechat', 'alipay']),
});

export type RefundPurpose =
  | 'cancel'
  | 'approved'
  | 'change'
  | 'late_payment'
  | 'overpaid'
  | 'no_show'
  | 'early_end'
  /** Given back by a member of staff by hand, in full or in part. */
  | 'staff';

/** A member of staff gives money back: all of what is left, or part of it, more than once. */
export const StaffRefundSchema = z.object({
  /** Fen; at most what was paid and not yet given back. */
  amount: z.number().int('a whole number of fen').positive('more than nothing'),
  reason: z.string().trim().min(1, 'say why the money goes back').max(200),
});
export type StaffRefundBody = z.infer<typeof StaffRefundSchema>;

/** A member of staff hands a cash refund over the counter. */
export const RefundPayOutSchema = z.object({
  note: z.string().trim().max(200).optional(),
});

export interface PaymentView {
  id: string;
  bookingId: string;
  method: PaymentMethod;
  amount: number;
  status: 'pending' | 'succeeded' | 'closed';
  payUrl: string | null;
  qrPayload: string | null;
  expiresAt: string | null;
  createdAt: string;
  paidAt: string | null;
}

export interface RefundView {
  id: string;
  paymentId: string;
  method: PaymentMethod;
  amount: number;
  purpose: RefundPurpose;
  reason: string;
  /** `owed`: cash that a member of staff has still to hand over. */
  status: 'pending' | 'owed' | 'succeeded' | 'failed';
  lastError: string | null;
  createdAt: string;
  settledAt: string | null;
}

/** A cash refund waiting at the counter, with the booking it belongs to. */
export interface OwedRefundView extends RefundView {
  bookingId: string;
  bookingNumber: string;
  customerPhone: string | null;
}

/** One money movement: positive in, negative out. Append-only. */
export interface LedgerEntryView {
  id: number;
  kind: 'payment' | 'refund';
  method: PaymentMethod;
  amount: number;
  paymentId: string;
  refundId: string | null;
  actor: { kind: ActorKind; id: string };
  at: string;
}
