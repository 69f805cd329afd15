// Signs every intent the cloud writes into a store's inbox with the cloud's Ed25519 key
// (`CLOUD_SIGNING_KEY`), so a hub acts only on what the cloud wrote: anyone else who reaches an
// inbox can write a document there, but not one that verifies. What is signed and how the signature
// travels is shared-types' (intent-signature.ts); the hubs hold the public key. The same key signs
// the vouchers the cloud sells, and tells a pass it signed from a forged one. Owns the private
// key; never writes anything and never hands the key out.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { intentKeyId, intentSigningText, type IntentSignature } from '@roomhub/shared-types';

export class IntentSigner {
  /** The key id hubs find the matching public key by. */
  readonly keyId: string;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(privateKey: KeyObject | string) {
    this.key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
    if (this.key.type !== 'private' || this.key.asymmetricKeyType !== 'ed25519') {
      throw new Error('the intent signing key must be an Ed25519 private key (PEM)');
    }
    this.publicKey = createPublicKey(this.key);
    const spki = this.publicKey.export({ type: 'spki', format: 'der' });
    this.keyId = intentKeyId(new Uint8Array(spki));
  }

  /** The document with its signature; the document itself is not changed. */
  sign<T extends Record<string, unknown>>(doc: T): T & { signature: IntentSignature } {
    const text = intentSigningText(doc);
    const sig = sign(null, Buffer.from(text, 'utf8'), this.key).toString('base64url');
    return { ...doc, signature: { keyId: this.keyId, sig } };
  }

  /** Whether a document carries this key's signature over it (a voucher pass the cloud sold). */
  check(doc: Readonly<Record<string, unknown>> & { signature: IntentSignature }): boolean {
    if (doc.signature.keyId !== this.keyId) return false;
    try {
      return verify(
        null,
        Buffer.from(intentSigningText(doc), 'utf8'),
        this.publicKey,
        Buffer.from(doc.signature.sig, 'base64url'),
      );
    } catch {
      return false;
    }
  }
}

/** The signing key from a setting: the PEM itself, or the path of a file holding it. */
export function readSigningKey(setting: string): KeyObject {
  const pem = setting.includes('-----BEGIN') ? setting : readFileSync(setting, 'utf8');
  return createPrivateKey(pem);
}
