import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { intentKeyId, intentSigningText } from '@roomhub/shared-types';
import { IntentKeys } from './intent-keys';

const doc = {
  _id: 'intent:i1',
  _rev: '1-abc',
  type: 'intent',
  intentId: 'i1',
  storeId: 's1',
  customerId: 'c1',
  createdAt: '2026-11-22T05:00:00.000Z',
  kind: 'door_open',
  body: { bookingId: 'k1' },
};

function signedWith(key: KeyObject, d: Record<string, unknown> = doc) {
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  const sig = sign(null, new Uint8Array(Buffer.from(intentSigningText(d))), key).toString(
    'base64url',
  );
  return { ...d, signature: { keyId: intentKeyId(spki), sig } };
}

describe('the cloud keys an intent is checked with', () => {
  const old = generateKeyPairSync('ed25519');
  const next = generateKeyPairSync('ed25519');
  const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

  it('accept what either of the keys held signed, whatever its revision', () => {
    const keys = IntentKeys.read(`${pem(old.publicKey)}\n${pem(next.publicKey)}`);
    expect(keys.keyIds).toHaveLength(2);
    expect(keys.check(signedWith(old.privateKey))).toEqual({ ok: true });
    expect(keys.check({ ...signedWith(next.privateKey), _rev: '7-def' })).toEqual({ ok: true });
  });

  it('refuse an unsigned, altered, or foreign-signed intent, saying why only to the log', () => {
    const keys = new IntentKeys([old.publicKey]);
    expect(keys.check(doc)).toEqual({ ok: false, reason: 'no signature' });
    expect(keys.check({ ...signedWith(old.privateKey), body: { bookingId: 'k2' } })).toEqual({
      ok: false,
      reason: 'the signature does not verify',
    });
    const { signature } = signedWith(old.privateKey);
    expect(keys.check({ ...doc, intentId: 'i2', _id: 'intent:i2', signature })).toMatchObject({
      ok: false,
    });
    expect(keys.check(signedWith(next.privateKey))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^no key /),
    });
    expect(keys.check({ ...doc, signature: { keyId: '!', sig: 'x' } })).toMatchObject({
      ok: false,
    });
  });

  it('refuse a setting with no Ed25519 public key in it', () => {
    expect(() =>
      IntentKeys.read('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
    ).toThrow();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => new IntentKeys([rsa.publicKey])).toThrow(/Ed25519/);
  });
});
