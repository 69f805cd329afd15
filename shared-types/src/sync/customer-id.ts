// The customer id the cloud gives a signed-in customer, derived from a phone or a WeChat openid
// with a key the cloud and every hub share (`CUSTOMER_ID_KEY`): an HMAC-SHA-256, so an intent or a
// booking document does not spell the number, and nobody without the key can find the number by
// trying every one. The hub computes the same id for a booking made at the kiosk with that phone
// (the customer then finds it under "my orders"). Pure (@noble/hashes runs the same in Node and in
// a browser); the key is the caller's to keep.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A shorter key is refused: it would be found by trying keys instead of numbers. */
export const CUSTOMER_ID_KEY_MIN_LENGTH = 32;

function keyed(key: string, prefix: string, value: string): string {
  if (key.length < CUSTOMER_ID_KEY_MIN_LENGTH) {
    throw new Error(
      `the customer id key must be at least ${CUSTOMER_ID_KEY_MIN_LENGTH} characters`,
    );
  }
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(`${prefix}:${value}`))).slice(0, 24);
}

export function customerIdForPhone(phone: string, key: string): string {
  return `c${keyed(key, 'phone', phone)}`;
}

export function customerIdForOpenid(openid: string, key: string): string {
  return `w${keyed(key, 'wechat', openid)}`;
}

// Ids given before the key: a plain SHA-256, undone by trying every number. Only to recognise
// them on bookings and intents made before; never given to anyone again.
const unkeyed = (prefix: string, value: string) =>
  bytesToHex(sha256(utf8ToBytes(`${prefix}:${value}`))).slice(0, 24);

/** The id a customer signed in with this phone had before the key. */
export function formerCustomerIdForPhone(phone: string): string {
  return `c${unkeyed('phone', phone)}`;
}

/** The id a customer signed in with this WeChat openid had before the key. */
export function formerCustomerIdForOpenid(openid: string): string {
  return `w${unkeyed('wechat', openid)}`;
}
