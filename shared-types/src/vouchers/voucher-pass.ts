// What our own voucher's QR carries, so the store's hub can check it with no network (H1): the
// voucher's facts (its code, its home store, what it buys, when it is good) signed with Ed25519 by
// whoever sold it, the cloud (the hub holds its public key) or the store's hub itself (a sale at
// the kiosk). The signature covers the canonical JSON of every field but `signature`, the same
// form the cloud's intents use (intent-signature.ts), so one check serves both. The typed code is
// a short number the hub finds in its own table; only the QR proves itself. Pure: the signing and
// the checking (node:crypto) are each side's own.
import { z } from 'zod';
import { IntentSignatureSchema, canonicalJson } from '../sync/intent-signature';
import { IsoInstantSchema } from '../time/instant';
import { EntitlementSchema } from './deal-rules';

/** The text every own-voucher QR starts with; anything else is a platform's code or not ours. */
export const VOUCHER_QR_PREFIX = 'RHV1.';

/** A voucher's typed code: 12 digits, the last a check digit (a typo is caught at once). */
export const VoucherCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'must be the 12 digits of the voucher code');

export const VoucherIssuerSchema = z.enum(['cloud', 'hub']);
export type VoucherIssuer = z.infer<typeof VoucherIssuerSchema>;

const VoucherPassFields = z.object({
  type: z.literal('voucher'),
  /** The voucher's id, unique across the chain. */
  id: z.string().min(8).max(64),
  code: VoucherCodeSchema,
  /** The store it redeems at offline; elsewhere only online. */
  store: z.string().min(1).max(64),
  dealId: z.string().min(1).max(64),
  title: z.string().min(1).max(60),
  entitlement: EntitlementSchema,
  /** What the customer paid for it, fen. */
  price: z.number().int().nonnegative(),
  validFrom: IsoInstantSchema,
  validUntil: IsoInstantSchema,
  issuer: VoucherIssuerSchema,
});

/** A voucher's facts before signing: a signer signs exactly what this parses to (every default in). */
export const VoucherPassBodySchema = VoucherPassFields;
export type VoucherPassBody = z.output<typeof VoucherPassBodySchema>;

export const VoucherPassSchema = VoucherPassFields.extend({ signature: IntentSignatureSchema });
export type VoucherPass = z.output<typeof VoucherPassSchema>;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/** The QR text of a signed voucher. */
export function voucherQrText(pass: VoucherPass): string {
  return VOUCHER_QR_PREFIX + toBase64Url(canonicalJson(pass));
}

/** Whether a scanned text is meant as one of our vouchers' QR codes (genuine or not). */
export const isVoucherQr = (text: string) => text.trim().startsWith(VOUCHER_QR_PREFIX);

/**
 * The voucher a QR text carries, unchecked: its signature is for the caller to verify. Undefined
 * when the text is not one of our vouchers' QR codes, or not in the exact form signers sign (a
 * pass with a field missing or added would verify against something else than it says).
 */
export function readVoucherQr(text: string): VoucherPass | undefined {
  if (!isVoucherQr(text)) return undefined;
  const json = fromBase64Url(text.trim().slice(VOUCHER_QR_PREFIX.length));
  if (json === undefined) return undefined;
  try {
    const raw: unknown = JSON.parse(json);
    const parsed = VoucherPassSchema.safeParse(raw);
    if (!parsed.success || canonicalJson(parsed.data) !== canonicalJson(raw)) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
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
