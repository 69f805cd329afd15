// What our own voucher's QR carries, so the store's hub can check it with no network (H1): the
// voucher's facts (its code, its home store, the deal and the version of the deal's rules it
// bought, when it is good) signed with Ed25519 by whoever sold it, the cloud (the hub holds its
// public key) or the store's hub itself (a sale at the counter). The signature covers the
// canonical JSON of the pass, the same form the cloud's intents use (intent-signature.ts), so one
// check serves both; the QR carries the same fields in a short dotted form a cheap scanner reads
// in one go. What the voucher buys is the deal's rules at that version: the hub writes every
// version of its deals and keeps them all, so a later edit changes no voucher sold. The typed
// code is a short number the hub finds in its own table; only the QR proves itself. Pure: the
// signing and the checking (node:crypto) are each side's own.
import { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { IntentSignatureSchema, canonicalJson } from '../sync/intent-signature';
import { EntitlementSchema, type EntitlementInput } from './deal-rules';

/** The text every own-voucher QR starts with; anything else is a platform's code or not ours. */
export const VOUCHER_QR_PREFIX = 'RHV1.';

/** A voucher's typed code: 12 digits, the last a check digit (a typo is caught at once). */
export const VoucherCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'must be the 12 digits of the voucher code');

export const VoucherIssuerSchema = z.enum(['cloud', 'hub']);
export type VoucherIssuer = z.infer<typeof VoucherIssuerSchema>;

const token = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, - or _');
const seconds = z.number().int().nonnegative();

/** A voucher's facts before signing: a signer signs exactly these. */
export const VoucherPassBodySchema = z.object({
  type: z.literal('voucher'),
  /** The voucher's id, unique across the chain. */
  id: token,
  code: VoucherCodeSchema,
  /** The store it redeems at offline; elsewhere only online. */
  store: token,
  dealId: token,
  /** Which version of the deal's rules it bought (`entitlementRev` of them). */
  rev: z.string().regex(/^[0-9a-f]{12}$/, 'must be a rules version'),
  /** What the customer paid for it, fen. */
  price: z.number().int().nonnegative(),
  /** Epoch seconds. */
  validFrom: seconds,
  validUntil: seconds,
  issuer: VoucherIssuerSchema,
});
export type VoucherPassBody = z.output<typeof VoucherPassBodySchema>;

export const VoucherPassSchema = VoucherPassBodySchema.extend({ signature: IntentSignatureSchema });
export type VoucherPass = z.output<typeof VoucherPassSchema>;

/** The version of a deal's rules: what a voucher names to say what it bought. */
export function entitlementRev(e: EntitlementInput): string {
  const text = canonicalJson(EntitlementSchema.parse(e));
  return bytesToHex(sha256(new TextEncoder().encode(text))).slice(0, 12);
}

/** The QR text of a signed voucher: its fields in order, dotted. */
export function voucherQrText(p: VoucherPass): string {
  return (
    VOUCHER_QR_PREFIX +
    [
      p.id,
      p.code,
      p.store,
      p.dealId,
      p.rev,
      p.price,
      p.validFrom,
      p.validUntil,
      p.issuer === 'cloud' ? 'c' : 'h',
      p.signature.keyId,
      p.signature.sig,
    ].join('.')
  );
}

/** Whether a scanned text is meant as one of our vouchers' QR codes (genuine or not). */
export const isVoucherQr = (text: string) => text.trim().startsWith(VOUCHER_QR_PREFIX);

const int = (s: string | undefined) => (s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : NaN);

/**
 * The voucher a QR text carries, unchecked: its signature is for the caller to verify. Undefined
 * when the text is not one of our vouchers' QR codes or is damaged.
 */
export function readVoucherQr(text: string): VoucherPass | undefined {
  if (!isVoucherQr(text)) return undefined;
  const parts = text.trim().slice(VOUCHER_QR_PREFIX.length).split('.');
  if (parts.length !== 11) return undefined;
  const [id, code, store, dealId, rev, price, from, until, issuer, keyId, sig] = parts;
  const parsed = VoucherPassSchema.safeParse({
    type: 'voucher',
    id,
    code,
    store,
    dealId,
    rev,
    price: int(price),
    validFrom: int(from),
    validUntil: int(until),
    issuer: issuer === 'c' ? 'cloud' : issuer === 'h' ? 'hub' : undefined,
    signature: { keyId, sig },
  });
  return parsed.success ? parsed.data : undefined;
}

/** The check digit (Luhn) of a run of digits. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A new voucher code from `randomInt(min, max)` (max exclusive; node:crypto's on either side):
 * 11 random digits, the first never 0, and their check digit.
 */
export function newVoucherCode(randomInt: (min: number, max: number) => number): string {
  let digits = String(randomInt(1, 10));
  for (let i = 0; i < 10; i++) digits += String(randomInt(0, 10));
  return digits + String(luhnDigit(digits));
}

/** Whether a 12-digit code's last digit checks: false for most typos. */
export function voucherCodeChecks(code: string): boolean {
  return /^\d{12}$/.test(code) && luhnDigit(code.slice(0, 11)) === Number(code[11]);
}

/** A code as a receipt or a list shows it: the first three and last three digits. */
export function maskVoucherCode(code: string): string {
  const c = code.trim();
  if (c.length <= 6) return '*'.repeat(c.length);
  return `${c.slice(0, 3)}${'*'.repeat(c.length - 6)}${c.slice(-3)}`;
}
