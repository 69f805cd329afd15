// Platform vouchers (S2, O7): Meituan / Dianping group-buy and Douyin life-service vouchers,
// redeemed through the cloud. The open-platform credentials and each shop's authorisation live in
// the cloud service; a store's hub asks the cloud to prepare (show what a code buys), consume and
// undo, and reads the day's consumptions for reconciliation. Pure: schemas and types only.
//
// Errors are DomainErrors with the codes in `PLATFORM_VOUCHER_ERRORS`; `platform_refused` carries
// the platform's own `platformCode` and `platformMessage` in its params.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { ERROR_KINDS, type ErrorKind } from '../errors';
import { StoreIdSchema } from '../sync/databases';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';

export const VoucherPlatformSchema = z.enum(['meituan', 'douyin']);
export type VoucherPlatform = z.infer<typeof VoucherPlatformSchema>;

/** How people name each platform: the `platformName` of the error sentences. */
export const VOUCHER_PLATFORM_NAMES: Record<VoucherPlatform, { 'zh-CN': string; en: string }> = {
  meituan: { 'zh-CN': '美团/大众点评', en: 'Meituan' },
  douyin: { 'zh-CN': '抖音', en: 'Douyin' },
};

/**
 * A code as the scanner or the cashier gave it: 8 to 32 digits, or the text of the voucher's QR
 * as the platform's scan-prepare takes it.
 */
export const PlatformVoucherCodeSchema = z
  .string()
  .trim()
  .min(8, 'must be at least 8 characters: scan the code again or type all its digits')
  .max(512, 'must be at most 512 characters')
  .refine((c) => !/^\d+$/.test(c) || c.length <= 32, 'must be at most 32 digits')
  .refine((c) => /^[\x21-\x7e]+$/.test(c), 'must be the digits or QR text of the voucher');

/** The caller's key for one attempt: the same key again is the same consumption or undo. */
export const PlatformRequestIdSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, "_", ".", ":" or "-"');

export const PlatformPrepareRequestSchema = z.object({
  platform: VoucherPlatformSchema,
  code: PlatformVoucherCodeSchema,
});
export type PlatformPrepareRequest = z.infer<typeof PlatformPrepareRequestSchema>;

const Fen = z.number().int().min(0);

/** A platform voucher's code as a store may keep it: its SHA-256, hex. */
export const voucherHashOf = (code: string): string => bytesToHex(sha256(utf8ToBytes(code)));

/** What a code buys, before anything is consumed. */
export const PlatformVoucherPreparedSchema = z.object({
  platform: VoucherPlatformSchema,
  /** The code as the platform lets it be shown and kept: its last four digits. */
  maskedCode: z.string(),
  /** Meituan's deal group id, Douyin's sku id: what a store maps to hours and rooms. */
  platformDealId: z.string(),
  title: z.string(),
  /** What the customer's voucher is worth, in fen. */
  faceValue: Fen,
  /** What the platform settles to the store for one use, in fen. */
  settleAmount: Fen,
  /**
   * The SHA-256 (hex) of the platform's own code of the voucher (`voucherHashOf`), the same for
   * its QR and its typed digits, so a store knows it as one voucher however it was shown; null
   * where the platform names no such code.
   */
  voucherHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .default(null),
  /** Uses that can be consumed now. */
  available: z.number().int().min(1),
  validUntil: IsoInstantSchema.nullable(),
  /** Opaque: what consume needs (Meituan's receipt, Douyin's verify_token). */
  prepareToken: z.string(),
});
export type PlatformVoucherPrepared = z.infer<typeof PlatformVoucherPreparedSchema>;

export const PlatformConsumeRequestSchema = z.object({
  platform: VoucherPlatformSchema,
  code: PlatformVoucherCodeSchema,
  prepareToken: z.string().min(1, 'must not be empty: prepare the voucher first').max(2000),
  requestId: PlatformRequestIdSchema,
  count: z.number().int().min(1, 'must be at least 1').max(99, 'must be at most 99').default(1),
});
export type PlatformConsumeRequest = z.input<typeof PlatformConsumeRequestSchema>;

/** One consumption at the platform: the same `requestId` always answers the same one. */
export const PlatformConsumptionSchema = z.object({
  platform: VoucherPlatformSchema,
  /** The platform's id of this consumption; what undo names. */
  consumptionId: z.string(),
  maskedCode: z.string(),
  platformDealId: z.string(),
  title: z.string(),
  faceValue: Fen,
  settleAmount: Fen,
  count: z.number().int().min(1),
  consumedAt: IsoInstantSchema,
  /** Until when undo is accepted by the platform; null when this platform never undoes. */
  undoUntil: IsoInstantSchema.nullable(),
});
export type PlatformConsumption = z.infer<typeof PlatformConsumptionSchema>;

export const PlatformUndoRequestSchema = z.object({
  platform: VoucherPlatformSchema,
  consumptionId: z.string().min(1).max(200),
  requestId: PlatformRequestIdSchema,
});
export type PlatformUndoRequest = z.infer<typeof PlatformUndoRequestSchema>;

export const PlatformUndoneSchema = z.object({
  platform: VoucherPlatformSchema,
  consumptionId: z.string(),
  undoneAt: IsoInstantSchema,
});
export type PlatformUndone = z.infer<typeof PlatformUndoneSchema>;

/** The day's consumptions of a store on one platform, for reconciliation. */
export const PlatformConsumptionsQuerySchema = z.object({
  platform: VoucherPlatformSchema,
  /** The store's local day. */
  date: LocalDateSchema,
});
export type PlatformConsumptionsQuery = z.infer<typeof PlatformConsumptionsQuerySchema>;

export const PlatformConsumptionListItemSchema = PlatformConsumptionSchema.extend({
  undone: z.boolean(),
});
export type PlatformConsumptionListItem = z.infer<typeof PlatformConsumptionListItemSchema>;

/** The error codes of the platform voucher routes and the kind (HTTP status) of each. */
export const PLATFORM_VOUCHER_ERRORS = {
  /** The platform knows no such code (or not in this shop's deals). */
  voucher_not_found: 'not_found',
  /** Already consumed (or refunded) at the platform. */
  voucher_used: 'conflict',
  voucher_expired: 'gone',
  /** A voucher bought for another shop. */
  voucher_other_shop: 'invalid',
  /** Consume without a prepare, or with one the platform no longer accepts: prepare again. */
  voucher_not_prepared: 'invalid',
  /** The store's shop has not authorised us on this platform (or the owner withdrew it). */
  platform_not_authorised: 'forbidden',
  /** The platform did not answer or the cloud could not be reached: try again. */
  platform_unavailable: 'unavailable',
  /** The consumption is past the platform's undo window: the customer refunds on the platform. */
  undo_window_passed: 'conflict',
  /** The platform said no for a reason of its own: `params.platformCode`, `platformMessage`. */
  platform_refused: 'invalid',
} as const satisfies Record<string, ErrorKind>;
export type PlatformVoucherErrorCode = keyof typeof PLATFORM_VOUCHER_ERRORS;

/** The HTTP status each platform voucher error answers with. */
export const platformVoucherErrorStatus = (code: PlatformVoucherErrorCode): number =>
  ERROR_KINDS[PLATFORM_VOUCHER_ERRORS[code]];

// The owner's side (O7): linking a store to its platform shop. The owner asks for the platform's
// authorise page, grants our app there, and the platform sends the browser back to the cloud's
// callback with a code the cloud trades for the shop's token.

export const OwnerPlatformParamsSchema = z.object({
  storeId: StoreIdSchema,
  platform: VoucherPlatformSchema,
});

/** Where to send the owner: the platform's own page, where they pick the shop and grant. */
export interface PlatformAuthoriseStart {
  platform: VoucherPlatform;
  authoriseUrl: string;
  /** The link works until then. */
  expiresAt: string;
}

/** What the platform sends the owner's browser back with. */
export const PlatformAuthCallbackQuerySchema = z.object({
  code: z.string().min(1, 'must not be empty').max(1000),
  state: z.string().min(1, 'must not be empty').max(2000),
});

/** A store's link to its shop on one platform, as the owner sees it (never the token). */
export interface PlatformAuthorisation {
  storeId: string;
  platform: VoucherPlatform;
  /** Meituan's opBizCode (the shop), Douyin's poi_id. */
  shopId: string;
  shopName: string;
  authorisedAt: string;
  /** When the platform's token runs out unless refreshed (the cloud refreshes it before). */
  expiresAt: string | null;
  /**
   * When the grant itself ends and the owner must authorise again (the refresh token's end, or
   * the token's own without one); null when the platform does not say.
   */
  endsAt: string | null;
}
