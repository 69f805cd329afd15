// What the cloud signs in an intent and how the signature travels, so the hub can tell the cloud's
// intents from anything else that reaches its inbox. The signature (Ed25519) covers the canonical
// JSON of the whole document as written: every field but `signature` itself and CouchDB's own
// metadata (`_rev` and the other `_` fields; `_id` is covered). The key id names the public key
// that checks it, so the cloud's key can rotate while hubs hold the old and the new. Pure: the
// signing and the checking (node:crypto) are each side's own.
import { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export const IntentSignatureSchema = z.object({
  /** Which of the cloud's keys signed it (`intentKeyId` of its public key). */
  keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a key id'),
  /** The Ed25519 signature, base64url. */
  sig: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be base64url'),
});
export type IntentSignature = z.infer<typeof IntentSignatureSchema>;

/** The field of an intent that carries its signature. */
export const SIGNATURE_FIELD = 'signature';

/** JSON with every object's keys in order and undefined left out: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The text an intent's signature is made over. */
export function intentSigningText(doc: Readonly<Record<string, unknown>>): string {
  const signed = Object.fromEntries(
    Object.entries(doc).filter(
      ([k]) => k !== SIGNATURE_FIELD && (k === '_id' || !k.startsWith('_')),
    ),
  );
  return canonicalJson(signed);
}

/** The key id of a public key: the start of the SHA-256 of its SPKI (DER) bytes, in hex. */
export function intentKeyId(spkiDer: Uint8Array): string {
  return bytesToHex(sha256(spkiDer)).slice(0, 16);
}
