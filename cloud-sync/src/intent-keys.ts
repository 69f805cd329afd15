// The cloud's public keys, with which the hub checks that an intent in its inbox is the cloud's
// (`HUB_CLOUD_PUBLIC_KEY`): the cloud signs every intent it writes with its Ed25519 key, over the
// canonical form shared-types defines (intent-signature.ts). Several keys may be held at once, each
// found by its key id, so the cloud's key can rotate: hubs get the new public key beside the old,
// then the cloud signs with the new one. Owns the check only; never signs and never writes.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  IntentSignatureSchema,
  SIGNATURE_FIELD,
  intentKeyId,
  intentSigningText,
} from '@roomhub/shared-types';
import type { IntentCheck } from './replicator-options';

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

export class IntentKeys {
  private readonly byId = new Map<string, KeyObject>();

  constructor(publicKeys: readonly (KeyObject | string)[]) {
    for (const k of publicKeys) {
      const key = typeof k === 'string' ? createPublicKey(k) : k;
      if (key.asymmetricKeyType !== 'ed25519') {
        throw new Error('the cloud intent keys must be Ed25519 public keys (PEM)');
      }
      const spki = key.export({ type: 'spki', format: 'der' });
      this.byId.set(intentKeyId(new Uint8Array(spki)), key);
    }
  }

  /** The keys from a setting: PEM text with one or more public keys, or a file holding them. */
  static read(setting: string): IntentKeys {
    const text = setting.includes('-----BEGIN') ? setting : readFileSync(setting, 'utf8');
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new Error('no PEM public key found in the cloud key setting');
    return new IntentKeys(blocks);
  }

  /** The ids of the keys held, for the hub's start-up lines. */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Whether `doc` carries a signature one of these keys made over exactly its content. */
  check(doc: Readonly<Record<string, unknown>>): IntentCheck {
    const signature = IntentSignatureSchema.safeParse(doc[SIGNATURE_FIELD]);
    if (!signature.success) return { ok: false, reason: 'no signature' };
    const key = this.byId.get(signature.data.keyId);
    if (!key) return { ok: false, reason: `no key ${signature.data.keyId}` };
    let valid = false;
    try {
      valid = verify(
        null,
        new Uint8Array(Buffer.from(intentSigningText(doc), 'utf8')),
        key,
        new Uint8Array(Buffer.from(signature.data.sig, 'base64url')),
      );
    } catch {
      valid = false;
    }
    return valid ? { ok: true } : { ok: false, reason: 'the signature does not verify' };
  }
}
