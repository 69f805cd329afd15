// The member pay code (会员码): what a signed-in customer's phone shows a store's scanner so the
// store can spend their wallet without anyone typing a phone number. The cloud issues it for the
// customer it signed in, for the one store the customer chose: their customer id (customer-id.ts,
// the id a store derives from a member's phone), that store's id, a one-time id and an expiry a
// minute away, signed with the key the cloud signs intents with (intent-signature.ts), so a store's
// hub checks it with no network and takes each code once; another store refuses it, so a code seen
// at one counter cannot be spent again at the owner's other store in the same minute.
// The QR carries the same fields in a short dotted form. Pure: signing and checking are each
// side's own.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { IntentSignatureSchema } from '../sync/intent-signature';

/** The text every member code's QR starts with. */
export const MEMBER_CODE_PREFIX = 'RHM1.';
/** How long a member code is good for after it is issued, seconds. */
export const MEMBER_CODE_TTL_SECONDS = 60;
/** How often the customer's page shows a fresh code, seconds. */
export const MEMBER_CODE_REFRESH_SECONDS = 30;

/** What the cloud signs: exactly these fields. */
export const MemberCodeBodySchema = z.object({
  type: z.literal('member_code'),
  /** The code's one-time id: a store takes a code with this id once. */
  id: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'must be a code id'),
  /** The customer's id, as a store derives it from its member's phone. */
  customer: z.string().regex(/^[cw][0-9a-f]{24}$/, 'must be a customer id'),
  /** The store whose scanner may take the code: the store the customer chose on their phone. */
  store: StoreIdSchema,
  /** Epoch seconds after which the code is refused. */
  exp: z.number().int().nonnegative(),
});
export type MemberCodeBody = z.output<typeof MemberCodeBodySchema>;

export const MemberCodeSchema = MemberCodeBodySchema.extend({ signature: IntentSignatureSchema });
export type MemberCode = z.output<typeof MemberCodeSchema>;

/** A customer asking for a member code: for the store whose scanner they stand at. */
export const MemberCodeRequestSchema = z.object({
  storeId: StoreIdSchema,
});
export type MemberCodeRequest = z.output<typeof MemberCodeRequestSchema>;

/** The QR text of a signed member code. */
export function memberCodeText(c: MemberCode): string {
  return (
    MEMBER_CODE_PREFIX +
    [c.customer, c.store, c.id, c.exp, c.signature.keyId, c.signature.sig].join('.')
  );
}

/** Whether a scanned text is meant as a member code (checked or not). */
export function isMemberCodeText(text: string): boolean {
  return text.trim().startsWith(MEMBER_CODE_PREFIX);
}

/** The member code a QR text carries, or null when the text is not one (its signature unchecked). */
export function parseMemberCodeText(text: string): MemberCode | null {
  const t = text.trim();
  if (!t.startsWith(MEMBER_CODE_PREFIX)) return null;
  const parts = t.slice(MEMBER_CODE_PREFIX.length).split('.');
  if (parts.length !== 6) return null;
  const [customer, store, id, exp, keyId, sig] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{1,12}$/.test(exp)) return null;
  const parsed = MemberCodeSchema.safeParse({
    type: 'member_code',
    id,
    customer,
    store,
    exp: Number(exp),
    signature: { keyId, sig },
  });
  return parsed.success ? parsed.data : null;
}

/** The cloud's answer to a customer asking for their member code. */
export interface MemberCodeView {
  /** What the QR shows. */
  text: string;
  /** The store whose scanner takes it. */
  storeId: string;
  /** When the code stops being taken (ISO 8601). */
  expiresAt: string;
  /** When the page should ask for a fresh one, seconds from now. */
  refreshInSeconds: number;
}

/** A booking paid from the wallet of the member who showed their code: what the kiosk may show. */
export interface MemberCodePaidView {
  /** The member's phone, masked (138****8000). */
  phone: string;
  /** Fen taken from the wallet. */
  paid: number;
  /** What the wallet holds here afterwards, fen. */
  balance: { principal: number; bonus: number; total: number };
}
