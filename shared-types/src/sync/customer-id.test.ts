import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  customerIdForOpenid,
  customerIdForPhone,
  formerCustomerIdForOpenid,
  formerCustomerIdForPhone,
} from './customer-id';

const KEY = 'k'.repeat(32);

describe('customer ids', () => {
  it('are an HMAC-SHA-256 of the phone or openid under the shared key', () => {
    const phone = '13800001234';
    const mac = (v: string) => createHmac('sha256', KEY).update(v).digest('hex').slice(0, 24);
    expect(customerIdForPhone(phone, KEY)).toBe(`c${mac(`phone:${phone}`)}`);
    expect(customerIdForOpenid('o-abc', KEY)).toBe(`w${mac('wechat:o-abc')}`);
  });

  it('cannot be found from the phone without the key', () => {
    const phone = '13800001234';
    const unkeyed = `c${createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 24)}`;
    expect(customerIdForPhone(phone, KEY)).not.toBe(unkeyed);
    expect(customerIdForPhone(phone, KEY)).not.toBe(customerIdForPhone(phone, 'x'.repeat(32)));
    expect(() => customerIdForPhone(phone, 'short')).toThrow(/at least 32/);
  });

  it('differ between phones and between a phone and an openid', () => {
    expect(customerIdForPhone('13800001234', KEY)).not.toBe(customerIdForPhone('13800001235', KEY));
    expect(customerIdForPhone('x', KEY).slice(1)).not.toBe(customerIdForOpenid('x', KEY).slice(1));
  });

  it('still recognise the ids given before the key', () => {
    const phone = '13800001234';
    const before = `c${createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 24)}`;
    expect(formerCustomerIdForPhone(phone)).toBe(before);
    const openid = 'o-abc';
    const wechat = `w${createHash('sha256').update(`wechat:${openid}`).digest('hex').slice(0, 24)}`;
    expect(formerCustomerIdForOpenid(openid)).toBe(wechat);
  });
});
