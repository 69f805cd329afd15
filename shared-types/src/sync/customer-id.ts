// The customer id the cloud gives a signed-in customer, derived from a phone or a WeChat openid. A
// stable hash, so an intent does not spell the number, and the hub computes the same id for a
// booking made at the kiosk with that phone (the customer then finds it under "my orders").
// Pure (@noble/hashes runs the same in Node and in a browser).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const hashed = (prefix: string, value: string) =>
  bytesToHex(sha256(utf8ToBytes(`${prefix}:${value}`))).slice(0, 24);

export function customerIdForPhone(phone: string): string {
  return `c${hashed('phone', phone)}`;
}

export function customerIdForOpenid(openid: string): string {
  return `w${hashed('wechat', openid)}`;
}
