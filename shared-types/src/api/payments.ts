// The payment API (C5): paying what a booking owes, and the payments, refunds and ledger entries
// a booking's detail shows.
import { z } from 'zod';
import type { ActorKind } from '../booking/booking-status';
import type { PayChoice, PaySurface } from '../payments/channel-offer';
import type { PaymentMethod } from '../payments/payment-method';

export const PaymentCreateSchema = z
  .object({
    /**
     * `cash` (staff), a QR to pay by (`wechat`, `alipay`, `unionpay`), or `payment_code`: the
     * payer's WeChat or Alipay payment code (付款码) the scanner read, charged at once.
     */
    method: z.enum(['cash', 'wechat', 'alipay', 'unionpay', 'payment_code']),
    /** For `payment_code`: its digits, as the scanner or the cashier typed them. */
    code: z
      .string()
      .trim()
      .regex(/^\d{16,24}$/, 'must be the 16 to 24 digits under the payment code')
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.method === 'payment_code' && b.code === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'is required' });
    }
  });
export type PaymentCreateBody = z.infer<typeof PaymentCreateSchema>;

/**
 * The ways to pay a screen may offer now (`GET /api/payment-methods`): offered where the caller
 * is, set up on this hub and not switched off by the owner, in the order a screen lists them.
 */
export interface PaymentMethodsView {
  /** Where the caller is: the counter for staff, the kiosk for a kiosk. */
  surface: PaySurface;
  /** What pays a booking or an order there. */
  methods: PayChoice[];
  /** What the counter takes for what is owed: a kiosk sends a customer there only if any. */
  counter: PayChoice[];
  /** What pays a wallet top-up there (none at the kiosk). */
  topUps: PayChoice[];
}

/**
 * The ways a customer may pay the cloud where they are (`GET /api/payment-methods?surface=`):
 * offered there, taken by the cloud's channels and not switched off by the platform.
 */
export interface CloudPaymentMethodsView {
  surface: Extract<PaySurface, 'mini_program' | 'h5_in_wechat' | 'h5'>;
  methods: PayChoice[];
}

/** What a payment code charge is doing now; `paid` and the closed ends are final. */
export type PaymentCodeStatus =
  'charging' | 'waiting' | 'paid' | 'declined' | 'reversing' | 'reversed';

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
  /**
   * For a payment code: what its charge is doing (the payer may still be confirming on their
   * phone), and why it ended unpaid; absent for other payments.
   */
  code?: { status: PaymentCodeStatus; masked: string; reason: string | null };
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
