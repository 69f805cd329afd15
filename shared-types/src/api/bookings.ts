// The booking API (C3, C4, C9, S3): request bodies and queries the hub validates with (the cloud
// sends the same), and the shapes it answers with, which the screens read.
import { z } from 'zod';
import type { ActorKind, BookingStatus } from '../booking/booking-status';
import { BookingStatusSchema } from '../booking/booking-status';
import type { FeeLine } from '../pricing/quote';
import type { LedgerEntryView, PaymentView, RefundView } from './payments';
import type { BookingTerms } from '../booking/booking-rules';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { MobileSchema } from './mobile';

const id = z.string().trim().min(1).max(64);
const packageId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a package id');

/** A span is either an explicit end or a session package starting at `start`. */
const spanShape = {
  roomId: id,
  start: IsoInstantSchema,
  end: IsoInstantSchema.optional(),
  packageId: packageId.optional(),
};
function oneOfEndOrPackage(
  v: { end?: string | undefined; packageId?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (v.end === undefined && v.packageId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'give either end or packageId' });
  } else if (v.end !== undefined && v.packageId !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['packageId'],
      message: 'give end or packageId, not both',
    });
  }
}

/** Coupons and points a customer puts on the bill (pricing/discounts.ts stacks them). */
const discountShape = {
  couponIds: z.array(id).max(5).optional(),
  points: z.number().int().min(1).max(10_000_000).optional(),
};

export const QuoteRequestSchema = z
  .object({
    ...spanShape,
    ...discountShape,
    /** Whose quote: their member level, coupons and points. */
    phone: MobileSchema.optional(),
  })
  .superRefine(oneOfEndOrPackage);
export type QuoteRequest = z.infer<typeof QuoteRequestSchema>;

export const CustomerSchema = z.object({
  phone: MobileSchema,
  name: z.string().trim().min(1).max(20).optional(),
});

export const BookingCreateSchema = z
  .object({
    ...spanShape,
    ...discountShape,
    partySize: z.number().int().min(1).max(50),
    customer: CustomerSchema,
  })
  .superRefine(oneOfEndOrPackage);
export type BookingCreate = z.infer<typeof BookingCreateSchema>;

export const CancelSchema = z.object({
  reason: z.string().trim().max(200).optional(),
  /**
   * The fee the customer was shown (the booking's `ifNow.cancel.fee`): if the fee is different by
   * now (a notice tier has passed), nothing is cancelled and the answer says the new fee.
   */
  expectedFee: z.number().int().nonnegative().optional(),
});

export const ChangeSchema = z
  .object({
    roomId: id.optional(),
    start: IsoInstantSchema,
    end: IsoInstantSchema.optional(),
    packageId: packageId.optional(),
    reason: z.string().trim().max(200).optional(),
    /** Staff taking a dearer change's difference over the counter in the same step. */
    collect: z.literal('cash').optional(),
    /** The change fee the customer was shown (`ifNow.change.fee`); a different fee refuses. */
    expectedFee: z.number().int().nonnegative().optional(),
  })
  .superRefine(oneOfEndOrPackage);
export type BookingChange = z.infer<typeof ChangeSchema>;

export const RefundRequestSchema = z.object({
  reason: z.string().trim().min(1, 'say why the refund is asked for').max(200),
  /** Fen; defaults to everything paid and not yet refunded. */
  amount: z.number().int().positive().optional(),
});

export const RefundApproveSchema = z.object({
  amount: z.number().int().positive().optional(),
  note: z.string().trim().max(200).optional(),
});

export const RefundRejectSchema = z.object({
  reason: z.string().trim().min(1, 'say why the refund is refused').max(200),
});

export const BookingListQuerySchema = z.object({
  status: BookingStatusSchema.optional(),
  date: LocalDateSchema.optional(),
  roomId: id.optional(),
  phone: MobileSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A date in the store's calendar, `?date=YYYY-MM-DD`. */
export const DateQuerySchema = z.object({ date: LocalDateSchema });

// ---- what the hub answers ------------------------------------------------------------------

/** A fee line with its instants in the store's time zone. */
export interface FeeLineView extends Omit<FeeLine, 'start' | 'end'> {
  start: string;
  end: string;
}

export interface QuoteView {
  roomId: string;
  packageId: string | null;
  start: string;
  end: string;
  minutes: number;
  lines: FeeLineView[];
  total: number;
  /** The rules the customer agrees to: fees to cancel or change, no-show, early end, overtime. */
  terms: BookingTerms;
  /** Before any discount; with `refused`, the coupons or points that could not go on this bill. */
  subtotal?: number;
  pointsUsed?: number;
  refused?: { kind: 'coupon' | 'points'; id: string; code: string; message: string }[];
}

export interface BookingView {
  id: string;
  /** The day's number, e.g. 202611230007: short enough to read out at the counter. */
  number: string;
  status: BookingStatus;
  room: { id: string; name: string };
  start: string;
  end: string;
  minutes: number;
  partySize: number;
  customer: { phone: string; name: string | null };
  packageId: string | null;
  lines: FeeLineView[];
  total: number;
  /** What came in less what went back: the ledger's sum. */
  paid: number;
  /** What is still owed (overtime included once billed). */
  due: number;
  holdExpiresAt: string | null;
  changes: number;
  createdAt: string;
  updatedAt: string;
}

/** A booking just made; made at a kiosk, with the pass the kiosk pays or cancels it with. */
export interface BookingMade extends BookingView {
  pass?: { pass: string; expiresAt: string };
}

/** One step of a booking's history: who did what, when and why. */
export interface HistoryEntry {
  action: string;
  from: BookingStatus | null;
  to: BookingStatus;
  actor: { kind: ActorKind; id: string };
  reason: string | null;
  data: unknown;
  at: string;
}

export interface BookingDetail extends BookingView {
  terms: BookingTerms;
  /** What each step would cost if taken now, so the customer sees it before confirming. */
  ifNow: {
    /** Cancelling now; null when it cannot be cancelled (started, or not paid or held). */
    cancel: { fee: number; refund: number; feePercent: number } | null;
    /** The fee to change it now, on top of any price difference; null when it cannot be. */
    change: { fee: number; feePercent: number } | null;
    /** What ending the session now gives back; null when no session is going on. */
    endRefund: number | null;
  };
  history: HistoryEntry[];
  payments: PaymentView[];
  refunds: RefundView[];
  ledger: LedgerEntryView[];
}
