// The member wallet's API (C5, C11, O6): top-up packages the owner sets (pay 200, get 100 bonus,
// the bonus valid so many days), a top-up at the counter, a member's wallet and its movements, a
// refund of the unused principal, the total the store owes its customers, and the owner's choice
// of a wallet per store or shared across stores. A wallet is named by its member's phone.
import { z } from 'zod';
import type { ActorKind } from '../booking/booking-status';
import { CustomerSchema } from './bookings';

const fen = (what: string) =>
  z
    .number()
    .int(`${what} is in whole fen (1 yuan = 100 fen)`)
    .max(10_000_000, `${what} is at most 100000 yuan`);
const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`);

/** A member's phone, the name of their wallet. */
export const WalletPhoneSchema = CustomerSchema.shape.phone;
export const WalletParamsSchema = z.object({ id: WalletPhoneSchema });

export const WalletPackageInputSchema = z
  .object({
    name: text(30, 'a package name'),
    /** What the customer pays, fen. */
    pay: fen('what the customer pays').min(1, 'what the customer pays must be above zero'),
    /** What the store adds on top, fen. */
    bonus: fen('the bonus').min(0, 'the bonus cannot be below zero').default(0),
    /** Days the bonus stays spendable after the top-up; left out: it never expires. */
    bonusValidDays: z
      .number()
      .int('days are whole')
      .min(1, 'the bonus must last at least a day')
      .max(3660, 'the bonus lasts at most ten years')
      .nullable()
      .default(null),
    active: z.boolean().default(true),
  })
  .strict();
export type WalletPackageInput = z.input<typeof WalletPackageInputSchema>;
export const WalletPackagePatchSchema = z
  .object({
    name: text(30, 'a package name').optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** Ways a top-up is paid at the counter: cash, or a QR of an online channel the hub has. */
export const WalletTopUpMethodSchema = z.enum(['cash', 'wechat', 'alipay', 'unionpay']);

export const WalletTopUpSchema = z
  .object({
    phone: WalletPhoneSchema,
    /** A package the owner set; or an amount with no bonus. */
    packageId: z.string().trim().min(1).max(64).optional(),
    amount: fen('the amount').min(1, 'the amount must be above zero').optional(),
    method: WalletTopUpMethodSchema.default('cash'),
  })
  .strict()
  .refine((b) => (b.packageId === undefined) !== (b.amount === undefined), {
    message: 'name a package or an amount, not both',
    path: ['packageId'],
  });
export type WalletTopUp = z.input<typeof WalletTopUpSchema>;

export const WalletRefundSchema = z
  .object({
    /** Fen of principal to give back; left out: all the unused principal. */
    amount: fen('the amount').min(1, 'the amount must be above zero').optional(),
    reason: text(200, 'the reason'),
    /**
     * How the money goes back: `cash` over the counter, or `original`: each top-up's principal
     * the way it came (a QR top-up through its channel, the rest in cash).
     */
    method: z.enum(['cash', 'original']).default('cash'),
  })
  .strict();

/**
 * Pays what a booking still owes out of its customer's wallet (or the phone named), or out of the
 * wallet of the member whose member code (会员码) was scanned: the kiosk pays only that way.
 */
export const WalletBookingPaySchema = z
  .object({
    phone: WalletPhoneSchema.optional(),
    /** The text of a member code's QR, as the scanner read it. */
    memberCode: z.string().trim().min(1).max(400, 'must be a member code').optional(),
  })
  .strict()
  .refine((b) => b.phone === undefined || b.memberCode === undefined, {
    message: 'name a phone or show a member code, not both',
    path: ['memberCode'],
  });

export const WalletModeSchema = z.enum(['store', 'shared']);
export type WalletMode = z.infer<typeof WalletModeSchema>;

export const WalletSettingsSchema = z
  .object({
    /** `store`: each store keeps its own wallets; `shared`: one wallet across the owner's stores. */
    mode: WalletModeSchema.optional(),
    /**
     * For shared wallets: how much of one wallet this store keeps at hand once it brings money
     * from the owner's other stores, so it can be spent here while the cloud is unreachable.
     */
    offlineAllowance: fen('the offline allowance')
      .min(0, 'the offline allowance cannot be below zero')
      .optional(),
  })
  .strict();

export type WalletMoveKind =
  | 'topup'
  | 'spend'
  | 'refund_in'
  | 'expiry'
  | 'principal_refund'
  | 'bonus_takeback'
  | 'correction'
  | 'move_out';

export interface WalletPackageView {
  id: string;
  name: string;
  pay: number;
  bonus: number;
  bonusValidDays: number | null;
  active: boolean;
}

export interface WalletMoveView {
  id: string;
  kind: WalletMoveKind;
  pot: 'principal' | 'bonus';
  /** Signed fen. */
  amount: number;
  /** The top-up this money came with. */
  lot: string;
  ref: string | null;
  reason: string;
  actor: { kind: ActorKind; id: string };
  at: string;
}

export interface WalletBalanceView {
  phone: string;
  principal: number;
  bonus: number;
  total: number;
}

export interface WalletView extends WalletBalanceView {
  /** Bonus lots still spendable and when each expires. */
  bonusExpiries: { lot: string; left: number; expiresAt: string | null }[];
  moves: WalletMoveView[];
  /** Principal given back through the online channel its top-up came by. */
  refunds: {
    id: string;
    method: 'wechat' | 'alipay' | 'unionpay';
    amount: number;
    status: 'pending' | 'succeeded' | 'failed';
    createdAt: string;
  }[];
}

export interface WalletOwedView {
  storeId: string;
  principal: number;
  bonus: number;
  wallets: number;
}

/** A top-up at the counter paid by a QR: credited once the gateway says it was paid. */
export interface WalletChargeView {
  id: string;
  phone: string;
  principal: number;
  bonus: number;
  method: 'wechat' | 'alipay' | 'unionpay';
  status: 'pending' | 'paid' | 'closed';
  payUrl: string | null;
  qrPayload: string | null;
  expiresAt: string;
}

export interface WalletSettingsView {
  mode: WalletMode;
  offlineAllowance: number;
}

// ---- online, in the cloud --------------------------------------------------------------------

/**
 * A customer tops up their wallet at a store online: a package of the store's (its price, which
 * the store checks) or an amount with no bonus. The cloud holds the money; the store credits it.
 */
export const WalletOnlineTopUpSchema = z
  .object({
    packageId: z.string().trim().min(1).max(64).optional(),
    /** What the customer pays, fen: the package's price when a package is named. */
    amount: fen('the amount').min(1, 'the amount must be above zero'),
  })
  .strict();
