// The seam between the cloud and a voucher platform (Meituan / Dianping group-buy, Douyin life
// services): one interface that each platform's adapter speaks its own protocol behind, with its
// signing scheme, its error codes and its undo window as configuration. An adapter turns the
// platform's answers into these plain values and its refusals into the product's DomainErrors.
// It keeps nothing between calls but an app-level token of its own; it never decides whether a
// hub may ask (the service does) and never stores a thing (the service and the grants do).
import {
  DomainError,
  PLATFORM_VOUCHER_ERRORS,
  VOUCHER_PLATFORM_NAMES,
  type PlatformVoucherErrorCode,
  type VoucherPlatform,
} from '@roomhub/shared-types';

/** The shop a store authorised our app for, with what the platform's calls need. */
export interface PlatformShop {
  shopId: string;
  /** Douyin's merchant root account (account_id); Meituan's shop is its token's. */
  accountId?: string;
  /** The shop's own token (Meituan's appAuthToken); Douyin's calls use the app's client token. */
  accessToken: string;
}

/** What a shop granted us on the platform: its token and how to refresh it. */
export interface PlatformGrant {
  shopId: string;
  shopName: string;
  accountId?: string;
  accessToken: string;
  refreshToken: string | null;
  /** When the access token runs out (ms); null when the platform says it never does. */
  expiresAt: number | null;
  /** When the refresh token runs out (ms); after that the owner authorises again. */
  refreshExpiresAt: number | null;
}

/** What a voucher buys, as the platform describes it. */
export interface VoucherAtPlatform {
  maskedCode: string;
  platformDealId: string;
  title: string;
  /** Fen. */
  faceValue: number;
  /** Fen: what the platform settles for one use. */
  settleAmount: number;
}

/**
 * What consume needs from prepare (Meituan's receipt code, Douyin's verify_token and encrypted
 * codes): plain strings only; the service seals it into the opaque prepare token.
 */
export type ConsumeAttempt = Record<string, string>;

export interface PreparedAtPlatform extends VoucherAtPlatform {
  /**
   * The platform's own code of this voucher, the same whether it was scanned or typed (Meituan's
   * receipt code); null where the platform names none. Never leaves the cloud: the hub gets its hash.
   */
  voucherCode: string | null;
  /** Uses that can be consumed now. */
  available: number;
  validUntil: number | null;
  attempt: ConsumeAttempt;
}

/** One consumption at the platform, with what undoing it needs. */
export interface ConsumedAtPlatform extends VoucherAtPlatform {
  consumptionId: string;
  count: number;
  /** Ms. */
  consumedAt: number;
  /** Plain strings the platform's undo call names it by. */
  undo: Record<string, string>;
}

export interface ListedAtPlatform extends ConsumedAtPlatform {
  undone: boolean;
}

export interface ConsumeRequest {
  /** The platform's idempotency key for this consume (Meituan's requestid). */
  key: string;
  count: number;
  /** When this is the same consume asked again: when the first try started (ms). */
  retryOf?: number;
}

export interface VoucherPlatformAdapter {
  readonly platform: VoucherPlatform;
  /** How long after a consumption the platform still undoes it. */
  readonly undoWindowMs: number;
  /** The platform's page where an owner picks the shop and grants our app. */
  authoriseUrl(state: string, callbackUrl: string): string;
  /** Trades the code the platform sent the owner back with for the shop's grant. */
  grant(code: string, callbackUrl: string): Promise<PlatformGrant>;
  refresh(grant: PlatformGrant): Promise<PlatformGrant>;
  /** What the code (digits, or the text of its QR) buys, and what consume needs. */
  prepare(shop: PlatformShop, code: string): Promise<PreparedAtPlatform>;
  /**
   * Consumes `count` uses. The platform's own idempotency (`key`, or the attempt's token) makes the
   * same call again answer the same consumption, never a second one: after an answer was lost the
   * service calls this again with the same key and attempt.
   */
  consume(
    shop: PlatformShop,
    attempt: ConsumeAttempt,
    request: ConsumeRequest,
  ): Promise<ConsumedAtPlatform>;
  /** Undoes a consumption; one already undone at the platform counts as done. */
  undo(shop: PlatformShop, consumption: ConsumedAtPlatform): Promise<void>;
  /** The shop's consumptions made in [fromMs, toMs), undone ones included. */
  consumptions(shop: PlatformShop, fromMs: number, toMs: number): Promise<ListedAtPlatform[]>;
}

const ENGLISH: Record<PlatformVoucherErrorCode, (name: string) => string> = {
  voucher_not_found: (n) => `${n} knows no such voucher: check the code and scan it again`,
  voucher_used: () => 'this voucher has already been used',
  voucher_expired: () => 'this voucher has expired',
  voucher_other_shop: () => 'this voucher is for another shop',
  voucher_not_prepared: () =>
    'prepare the voucher first (or again): the platform no longer takes this one',
  platform_not_authorised: (n) =>
    `this store has not authorised us on ${n}: the owner links the shop first`,
  platform_unavailable: (n) => `${n} did not answer: try again`,
  undo_window_passed: (n) => `too late to undo: the customer asks ${n} for a refund`,
  platform_refused: (n) => `${n} refused`,
};

/** A platform voucher error with its sentence's values; `platform_refused` says what the platform said. */
export function platformError(
  platform: VoucherPlatform,
  code: PlatformVoucherErrorCode,
  said?: { platformCode: string | number; platformMessage: string },
): DomainError {
  const name = VOUCHER_PLATFORM_NAMES[platform].en;
  let message = ENGLISH[code](name);
  if (said) message += ` (${said.platformCode}: ${said.platformMessage})`;
  const e = new DomainError(
    PLATFORM_VOUCHER_ERRORS[code],
    code,
    message,
    undefined,
    code === 'platform_unavailable' ? 5 : undefined,
  ).with({ platform, platformName: VOUCHER_PLATFORM_NAMES[platform]['zh-CN'] });
  if (said) {
    e.with({ platformCode: String(said.platformCode), platformMessage: said.platformMessage });
  } else if (code === 'platform_refused') {
    e.with({ platformCode: '-', platformMessage: '-' });
  }
  return e;
}

/** The code as it may be shown and kept: the last four characters, the rest starred. */
export function maskCode(code: string): string {
  if (code.length <= 4) return code;
  return `${'*'.repeat(Math.min(code.length - 4, 8))}${code.slice(-4)}`;
}

/** Yuan as some platforms answer them (12.5, "12.50") into fen. */
export function fenOfYuan(yuan: unknown): number {
  const n = typeof yuan === 'number' ? yuan : Number(yuan);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
}
