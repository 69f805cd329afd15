// The deals and vouchers API (C12, O7, S2): the owner's deals (our own, and Meituan / Douyin deals
// mapped to what they buy in the store), a voucher sold at the counter, and redemption: prepare
// shows what a scanned or typed voucher buys, redeem turns it into a booking or pays one, undo
// gives it back. The screens and the cloud read these shapes.
import { z } from 'zod';
import type { ActorKind } from '../booking/booking-status';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import {
  DealSourceSchema,
  EntitlementSchema,
  type DealSource,
  type Entitlement,
} from '../vouchers/deal-rules';
import { VoucherPassSchema } from '../vouchers/voucher-pass';
import { CustomerSchema } from './bookings';

const text = (max: number) => z.string().trim().min(1).max(max);
const fen = z.number().int().nonnegative();
const id = z.string().trim().min(1).max(64);

export const DealStatusSchema = z.enum(['draft', 'on_sale', 'off_sale']);
export type DealStatus = z.infer<typeof DealStatusSchema>;

/** A deal's fields as a change names them: no defaults, so a change sets only what it names. */
const dealFields = {
  source: DealSourceSchema,
  /** Meituan's deal group id or Douyin's sku id; our own deals have none. */
  platformDealId: z.string().trim().min(1).max(64).nullable(),
  title: text(60),
  description: z.string().trim().max(2000),
  photos: z.array(text(500)).max(12),
  entitlement: EntitlementSchema,
  /** What a customer pays, fen (our own deals; a platform deal's value comes from the platform). */
  price: fen,
  /** The crossed-out price beside it. */
  originalPrice: fen.nullable(),
  /** A group deal issues vouchers only once this many have bought it, by the deadline. */
  groupSize: z.number().int().min(1).max(50),
  /** Hours after the first purchase a group has to fill; unfilled, every buyer is refunded. */
  groupHours: z.number().int().min(1).max(720),
  /** Days a voucher is good for after it is issued. */
  validDays: z.number().int().min(1).max(730),
  /** How many one customer may buy; null: no limit. */
  perCustomerLimit: z.number().int().min(1).max(100).nullable(),
  /** How many may be sold in all; null: no limit. */
  stock: z.number().int().min(0).max(1_000_000).nullable(),
  /** 随时退: a voucher not yet used may be refunded at any time. */
  refundAnyTime: z.boolean(),
  /** 过期退: a voucher that expires unused is refunded by itself. */
  refundOnExpiry: z.boolean(),
  status: DealStatusSchema,
};

const DealFields = z.object({
  ...dealFields,
  platformDealId: dealFields.platformDealId.default(null),
  description: dealFields.description.default(''),
  photos: dealFields.photos.default([]),
  price: dealFields.price.default(0),
  originalPrice: dealFields.originalPrice.default(null),
  groupSize: dealFields.groupSize.default(1),
  groupHours: dealFields.groupHours.default(24),
  validDays: dealFields.validDays.default(90),
  perCustomerLimit: dealFields.perCustomerLimit.default(null),
  stock: dealFields.stock.default(null),
  refundAnyTime: dealFields.refundAnyTime.default(true),
  refundOnExpiry: dealFields.refundOnExpiry.default(true),
  status: dealFields.status.default('draft'),
});

function dealConsistent(
  d: { source?: DealSource; platformDealId?: string | null; price?: number },
  ctx: z.RefinementCtx,
) {
  if (d.source && d.source !== 'own' && !d.platformDealId) {
    ctx.addIssue({
      code: 'custom',
      path: ['platformDealId'],
      message: 'a platform deal needs the platform deal id (Meituan deal group id, Douyin sku id)',
    });
  }
  if (d.source === 'own' && d.platformDealId) {
    ctx.addIssue({
      code: 'custom',
      path: ['platformDealId'],
      message: 'our own deals have no platform deal id',
    });
  }
  if (d.source === 'own' && d.price === 0) {
    ctx.addIssue({ code: 'custom', path: ['price'], message: 'our own deal needs a price' });
  }
}

export const DealInputSchema = DealFields.superRefine(dealConsistent);
export type DealInput = z.input<typeof DealInputSchema>;

/** A change to a deal: only the fields given change; the source never does. */
export const DealPatchSchema = z.object(dealFields).omit({ source: true }).partial().strict();
export type DealPatch = z.infer<typeof DealPatchSchema>;
/** What the owner does to a deal from afar: put it on sale or take it off (not back to a draft). */
export const RemoteDealStatusSchema = z.enum(['on_sale', 'off_sale'], {
  error: 'a deal is put on sale (on_sale) or taken off it (off_sale)',
});
export const RemoteDealStatusBodySchema = z.object({ status: RemoteDealStatusSchema }).strict();
/**
 * A deal's terms changed from afar: what the store's form changes, but its status, which is put
 * on sale or taken off by itself (RemoteDealStatusSchema). Vouchers sold keep what they bought.
 */
export const RemoteDealPatchSchema = DealPatchSchema.omit({ status: true })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'change at least one term of the deal' });
export type RemoteDealPatch = z.infer<typeof RemoteDealPatchSchema>;

export interface DealView {
  id: string;
  source: DealSource;
  platformDealId: string | null;
  title: string;
  description: string;
  photos: string[];
  entitlement: Entitlement;
  /** The version of its rules a voucher sold now names. */
  rev: string;
  price: number;
  originalPrice: number | null;
  groupSize: number;
  groupHours: number;
  validDays: number;
  perCustomerLimit: number | null;
  stock: number | null;
  /** Vouchers sold (our own deals) or redeemed here (a platform's). */
  sold: number;
  refundAnyTime: boolean;
  refundOnExpiry: boolean;
  status: DealStatus;
  createdAt: string;
  updatedAt: string;
}

/** A voucher of our own deal sold at the counter, paid in cash. */
export const VoucherSaleSchema = z.object({
  dealId: id,
  customer: CustomerSchema,
});

/** `moved`: given to another store of the owner (online), never redeemable here again. */
export const VoucherStatusSchema = z.enum(['valid', 'used', 'refunded', 'expired', 'moved']);
export type VoucherStatus = z.infer<typeof VoucherStatusSchema>;

/**
 * A store's hub asks the cloud for a voucher of another store of the same owner (its QR's pass),
 * to redeem it here: `POST /api/hub/vouchers/move`, signed in as the hub.
 */
export const VoucherMoveRequestSchema = z.object({ pass: VoucherPassSchema });
export type VoucherMoveRequest = z.output<typeof VoucherMoveRequestSchema>;

/**
 * The voucher moved: its pass signed anew by the cloud for the asking store (same id, code,
 * validity and rules version), and what it bought, since the asking store has not got the other
 * store's deals.
 */
export const VoucherMovedSchema = z.object({
  pass: VoucherPassSchema,
  title: text(60),
  entitlement: EntitlementSchema,
  /** The buyer's phone where the cloud sold it, for the booking it makes; else null. */
  phone: CustomerSchema.shape.phone.nullable(),
});
export type VoucherMoved = z.output<typeof VoucherMovedSchema>;

/**
 * A sale in the store of a deal with a stock: its place in the one stock the cloud keeps for the
 * deal's online and in-store sales alike (`POST /api/hub/deals/stock/claim`, signed in as the
 * hub), so the store and the customers online can never sell the last one twice. `stock` is the
 * deal's as the store, its only writer, has it now.
 */
export const DealStockClaimSchema = z.object({
  dealId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a deal id'),
  saleId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a sale id'),
  stock: z.number().int().min(1, 'must be at least 1'),
});
export type DealStockClaim = z.output<typeof DealStockClaimSchema>;
/** Gives a sale's place back when it sold nothing (unpaid, refused): `.../stock/release`. */
export const DealStockReleaseSchema = DealStockClaimSchema.omit({ stock: true });
export type DealStockRelease = z.output<typeof DealStockReleaseSchema>;

export interface VoucherView {
  id: string;
  code: string;
  /** The QR the customer shows; the hub checks it with no network. */
  qr: string;
  dealId: string;
  title: string;
  entitlement: Entitlement;
  price: number;
  status: VoucherStatus;
  issuer: 'cloud' | 'hub';
  customerPhone: string | null;
  validFrom: string;
  validUntil: string;
}

/** A scanned or typed voucher: our QR, our 12-digit code, or a platform's code. */
const VoucherTextSchema = z
  .string()
  .trim()
  .min(4, 'must be the voucher code or its QR')
  .max(2000, 'is too long for a voucher code');

export const VoucherPrepareSchema = z.object({
  text: VoucherTextSchema,
  /** Which platform a typed code is from; left out: our own, or found by its shape. */
  source: DealSourceSchema.optional(),
  /**
   * For a platform voucher taken while the store is offline (where the owner allows it): the
   * store's deal the customer shows it is for; checked with the platform once the line is back.
   */
  dealId: id.optional(),
});
export type VoucherPrepare = z.infer<typeof VoucherPrepareSchema>;

/** What the voucher is to be used for. */
export const VoucherUseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('book'),
    roomId: id,
    /** Left out: now (hours), or the package's start today (a session). */
    start: IsoInstantSchema.optional(),
    partySize: z.number().int().min(1).max(50),
    /** The customer's phone, for the booking; our own vouchers know it already. */
    customer: CustomerSchema.optional(),
  }),
  z.object({ kind: z.literal('pay'), bookingId: id }),
  /** Adds the voucher's hours to a booking going on (or about to), and pays for them. */
  z.object({ kind: z.literal('extend'), bookingId: id }),
]);
export type VoucherUse = z.infer<typeof VoucherUseSchema>;

export const VoucherRedeemSchema = VoucherPrepareSchema.extend({
  use: VoucherUseSchema,
  /**
   * The screen's key for this redemption: the same key again (a retry after a timeout, a scanner
   * firing twice) answers the first redemption and redeems nothing more.
   */
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _'),
});
export type VoucherRedeem = z.infer<typeof VoucherRedeemSchema>;

export const RedemptionUndoSchema = z.object({
  reason: text(200),
});

export const RedemptionStatusSchema = z.enum([
  /** Consumed and applied. */
  'done',
  /** A platform voucher taken while the store was offline: consumed once the line is back. */
  'queued',
  /** A queued platform voucher the platform refused: staff must settle it with the customer. */
  'failed',
  /** Given back: our voucher is usable again, a platform's reversed inside its window. */
  'undone',
  /** Its booking was refunded after the platform's undo window: the platform refunds it. */
  'refund_via_platform',
]);
export type RedemptionStatus = z.infer<typeof RedemptionStatusSchema>;

/** What a voucher buys, before anything is consumed. */
export interface VoucherPrepared {
  source: DealSource;
  maskedCode: string;
  deal: { id: string; title: string; entitlement: Entitlement } | null;
  faceValue: number;
  settleAmount: number;
  validUntil: string | null;
  /** Whether it would be taken now; the refusal in words when not. */
  usable: { ok: true } | { ok: false; code: string; message: string };
  /** A platform voucher checked provisionally, with the store offline. */
  provisional: boolean;
}

export interface RedemptionView {
  id: string;
  source: DealSource;
  maskedCode: string;
  dealId: string | null;
  dealTitle: string;
  bookingId: string;
  bookingNumber: string;
  faceValue: number;
  settleAmount: number;
  /** What it paid of the booking. */
  covered: number;
  status: RedemptionStatus;
  actor: { kind: ActorKind; id: string };
  screenId: string | null;
  at: string;
  undoneAt: string | null;
  /** Until when staff may undo it (a platform's window); null: while its booking has not started. */
  undoUntil: string | null;
  lastError: string | null;
}

export const RedemptionListQuerySchema = z.object({
  date: LocalDateSchema.optional(),
  status: RedemptionStatusSchema.optional(),
});

export const VoucherSettingsSchema = z.object({
  /** A Meituan / Douyin voucher may be taken while the store is offline, checked later. */
  provisionalOffline: z.boolean(),
});
export type VoucherSettings = z.infer<typeof VoucherSettingsSchema>;

export const ReconciliationQuerySchema = z.object({ date: LocalDateSchema });

/** A store day's redemptions of one platform against the platform's own list (O7). */
export interface ReconciliationView {
  date: string;
  platform: 'meituan' | 'douyin';
  checkedAt: string;
  /** Consumed at the platform and redeemed here, with the same amounts. */
  matched: number;
  /** Consumed at the platform but not redeemed (or given back) here. */
  onlyAtPlatform: {
    consumptionId: string;
    maskedCode: string;
    title: string;
    faceValue: number;
    settleAmount: number;
    consumedAt: string;
  }[];
  /** Redeemed here but not consumed (or reversed) at the platform. */
  onlyHere: {
    redemptionId: string;
    maskedCode: string;
    bookingNumber: string;
    status: RedemptionStatus;
    at: string;
  }[];
  /** In both, with other amounts. */
  amountsDiffer: {
    redemptionId: string;
    consumptionId: string;
    here: { faceValue: number; settleAmount: number };
    platform: { faceValue: number; settleAmount: number };
  }[];
  /** Taken offline and not consumed yet: not a difference until the platform answers. */
  waiting: number;
}

export const RedemptionStatsQuerySchema = z.object({
  from: LocalDateSchema,
  to: LocalDateSchema,
});

export interface RedemptionStatsRow {
  date: string;
  source: DealSource;
  dealId: string | null;
  dealTitle: string;
  count: number;
  faceValue: number;
  settleAmount: number;
}
