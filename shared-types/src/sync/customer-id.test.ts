import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerIdForOpenid, customerIdForPhone } from './customer-id';

describe('customer ids', () => {
  it('are the ids the cloud has always given (existing bookings keep their customer)', () => {
    const phone = '13800001234';
    const before = `c${createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 24)}`;
    expect(customerIdForPhone(phone)).toBe(before);
    const openid = 'o-abc';
    const wechat = `w${createHash('sha256').update(`wechat:${openid}`).digest('hex').slice(0, 24)}`;
    expect(customerIdForOpenid(openid)).toBe(wechat);
  });

  it('differ between phones and between a phone and an openid', () => {
    expect(customerIdForPhone('13800001234')).not.toBe(customerIdForPhone('13800001235'));
    expect(customerIdForPhone('x').slice(1)).not.toBe(customerIdForOpenid('x').slice(1));
  });
});
