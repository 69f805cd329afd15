// Which ways to pay appear where, and whose payment code a scan is.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { assertOffered, assertTopUpOffered, offeredChoices, topUpChoices } from './channel-offer';
import { channelOfPaymentCode, maskPaymentCode, paymentCodeChannel } from './payment-code';

describe('the ways to pay offered where the customer is', () => {
  it('offers only WeChat Pay (and the wallet) inside WeChat', () => {
    expect(offeredChoices('mini_program')).toEqual(['wechat', 'wallet']);
    expect(offeredChoices('h5_in_wechat')).toEqual(['wechat', 'wallet']);
  });

  it('adds Alipay and UnionPay on a page outside WeChat, and payment codes at the kiosk', () => {
    expect(offeredChoices('h5')).toEqual(['wechat', 'alipay', 'unionpay', 'wallet']);
    expect(offeredChoices('kiosk')).toContain('payment_code');
    expect(offeredChoices('counter')).toEqual(['cash', 'payment_code', 'wallet']);
  });

  it('refuses a method not offered there, naming method', () => {
    expect(() => assertOffered('kiosk', 'wechat')).not.toThrow();
    let e: unknown;
    try {
      assertOffered('mini_program', 'alipay');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'method_not_offered', field: 'method', status: 422 });
    expect((e as DomainError).message).toBe(
      'alipay is not offered in the mini-program: choose one of wechat, wallet',
    );
    expect(() => assertOffered('kiosk', 'cash')).toThrow('not offered at the kiosk');
  });
});

describe('the ways a wallet top-up is paid', () => {
  it('never by the wallet itself; at the counter in cash or by a QR the customer scans', () => {
    expect(topUpChoices('counter')).toEqual(['cash', 'wechat', 'alipay', 'unionpay']);
    expect(topUpChoices('mini_program')).toEqual(['wechat']);
    expect(topUpChoices('kiosk')).toEqual([]);
    for (const s of ['mini_program', 'h5_in_wechat', 'h5', 'kiosk', 'counter'] as const) {
      expect(topUpChoices(s)).not.toContain('wallet');
    }
  });

  it('refuses a way a top-up is not paid by there, naming method', () => {
    expect(() => assertTopUpOffered('counter', 'alipay')).not.toThrow();
    expect(() => assertTopUpOffered('counter', 'wallet')).toThrow(
      'wallet does not pay a top-up at the counter: choose one of cash, wechat, alipay, unionpay',
    );
    expect(() => assertTopUpOffered('counter', 'payment_code')).toThrow(DomainError);
    expect(() => assertTopUpOffered('kiosk', 'wechat')).toThrow('no top-up is sold at the kiosk');
  });
});

describe('whose payment code a scan is', () => {
  it('tells WeChat (18 digits, 10-15) from Alipay (16-24 digits, 25-30)', () => {
    expect(paymentCodeChannel('134567890123456789')).toBe('wechat');
    expect(paymentCodeChannel('104567890123456789')).toBe('wechat');
    expect(paymentCodeChannel('284567890123456789')).toBe('alipay');
    expect(paymentCodeChannel('2512345678901234')).toBe('alipay');
    expect(paymentCodeChannel('301234567890123456789012')).toBe('alipay');
  });

  it('says a code is neither, naming code', () => {
    for (const c of [
      '164567890123456789',
      '13456789012345678',
      '3112345678901234',
      '6222020200112233',
    ]) {
      expect(paymentCodeChannel(c)).toBeNull();
    }
    expect(() => channelOfPaymentCode('6222020200112233')).toThrow(
      'neither a WeChat nor an Alipay payment code',
    );
    expect(maskPaymentCode('134567890123456789')).toBe('****6789');
  });
});
