// The keys that make our vouchers unforgeable offline: the hub signs the vouchers it sells itself
// with an Ed25519 key derived from its secret key (so it needs no other file, and a restored hub
// still knows its own vouchers), and checks the cloud's vouchers with the cloud's public keys it
// already holds for intents. Owns the signing; never writes anything.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  intentKeyId,
  intentSigningText,
  VoucherPassBodySchema,
  VoucherPassSchema,
  type VoucherPass,
  type VoucherPassBody,
} from '@roomhub/shared-types';
import type { SecretKey } from '../security/secret-key';

/** The cloud's check of a signed document (the hub's `IntentKeys`). */
export interface CloudSignatureCheck {
  check(doc: Readonly<Record<string, unknown>>): { ok: true } | { ok: false; reason: string };
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): a fixed prefix, then the 32 bytes.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class VoucherKeys {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId: string;
  private cloud: CloudSignatureCheck | undefined;

  constructor(secret: SecretKey, cloud?: CloudSignatureCheck) {
    const seed = Buffer.from(secret.tag('voucher-signing', 'ed25519-v1'), 'base64url');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = intentKeyId(
      new Uint8Array(this.publicKey.export({ type: 'spki', format: 'der' })),
    );
    this.cloud = cloud;
  }

  /** The cloud's keys, once the hub has them (they come with the cloud link's settings). */
  trustCloud(cloud: CloudSignatureCheck | undefined): void {
    this.cloud = cloud;
  }

  sign(body: VoucherPassBody): VoucherPass {
    const pass = VoucherPassBodySchema.parse(body);
    const text = intentSigningText(pass);
    const sig = sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64url');
    return VoucherPassSchema.parse({ ...pass, signature: { keyId: this.keyId, sig } });
  }

  /** Whether the pass is signed by whoever it says sold it: this hub, or the cloud. */
  check(pass: VoucherPass): boolean {
    if (pass.issuer === 'cloud') return this.cloud?.check(pass).ok ?? false;
    if (pass.signature.keyId !== this.keyId) return false;
    try {
      return verify(
        null,
        Buffer.from(intentSigningText(pass), 'utf8'),
        this.publicKey,
        Buffer.from(pass.signature.sig, 'base64url'),
      );
    } catch {
      return false;
    }
  }
}
