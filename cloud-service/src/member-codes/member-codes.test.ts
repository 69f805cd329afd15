// The member code the cloud issues is one a store's hub takes: its signature checks with the
// cloud's public key as the hub holds it, it names the customer signed in, lives a minute, and no
// two codes share an id; a customer signed in without a phone is asked for it.
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  customerIdForPhone,
  intentSigningText,
  parseMemberCodeText,
  type MemberCode,
} from '@roomhub/shared-types';
import { IntentSigner } from '../intents/intent-signer';
import { MemberCodes } from './member-codes';

const KEYS = generateKeyPairSync('ed25519');

/** The hub's check: the signature over the code's canonical form, with the cloud's public key. */
const verifies = (code: MemberCode, key: KeyObject) =>
  verify(
    null,
    Buffer.from(intentSigningText(code)),
    key,
    Buffer.from(code.signature.sig, 'base64url'),
  );
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const customerId = customerIdForPhone('13900139000', 'member-code-test-key-0123456789abcdef');
const codes = new MemberCodes({
  signer: new IntentSigner(KEYS.privateKey),
  clock: { now: () => NOW },
});

describe('a member code issued by the cloud', () => {
  it('is signed so the hub verifies it, names the customer and the store and lives a minute', () => {
    const view = codes.issue({ customerId, phone: '13900139000' }, 'tea-house-1');
    expect(view).toMatchObject({
      storeId: 'tea-house-1',
      expiresAt: '2026-11-23T02:01:00.000Z',
      refreshInSeconds: 30,
    });
    const code = parseMemberCodeText(view.text);
    expect(code).toMatchObject({
      customer: customerId,
      store: 'tea-house-1',
      exp: NOW / 1000 + 60,
    });
    expect(verifies(code!, KEYS.publicKey)).toBe(true);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifies(code!, other)).toBe(false);
    expect(verifies({ ...code!, exp: code!.exp + 600 }, KEYS.publicKey)).toBe(false);
    // Another store's id in place of the one signed: the signature no longer holds.
    expect(verifies({ ...code!, store: 'tea-house-2' }, KEYS.publicKey)).toBe(false);
    expect(view.text.length).toBeLessThan(200);
  });

  it('has a new id each time', () => {
    const a = parseMemberCodeText(
      codes.issue({ customerId, phone: '13900139000' }, 'tea-house-1').text,
    );
    const b = parseMemberCodeText(
      codes.issue({ customerId, phone: '13900139000' }, 'tea-house-1').text,
    );
    expect(a!.id).not.toBe(b!.id);
  });

  it('asks a customer signed in without a phone to sign in with it', () => {
    expect(() => codes.issue({ customerId: 'w0123456789abcdef01234567' }, 'tea-house-1')).toThrow(
      /phone/,
    );
  });
});
