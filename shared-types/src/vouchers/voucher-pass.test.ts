import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entitlementRev,
  luhnDigit,
  maskVoucherCode,
  readVoucherQr,
  voucherCodeChecks,
  voucherQrText,
  type VoucherPass,
} from './voucher-pass';

const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const pass: fc.Arbitrary<VoucherPass> = fc.record({
  type: fc.constant('voucher' as const),
  id: token,
  code: fc.stringMatching(/^\d{12}$/),
  store: token,
  dealId: token,
  rev: fc.stringMatching(/^[0-9a-f]{12}$/),
  price: fc.integer({ min: 0, max: 10_000_000 }),
  validFrom: fc.integer({ min: 0, max: 4_000_000_000 }),
  validUntil: fc.integer({ min: 0, max: 4_000_000_000 }),
  issuer: fc.constantFrom('cloud' as const, 'hub' as const),
  signature: fc.record({
    keyId: fc.stringMatching(/^[0-9a-f]{16}$/),
    sig: fc.stringMatching(/^[A-Za-z0-9_-]{86}$/),
  }),
});

describe("a voucher's QR", () => {
  it('reads back as exactly the pass it was made from', () => {
    fc.assert(
      fc.property(pass, (p) => {
        expect(readVoucherQr(voucherQrText(p))).toEqual(p);
      }),
    );
  });

  it('is not read when cut short, lengthened or not ours', () => {
    fc.assert(
      fc.property(pass, fc.integer({ min: 1, max: 40 }), (p, n) => {
        const text = voucherQrText(p);
        expect(readVoucherQr(text.slice(0, text.lastIndexOf('.')))).toBeUndefined();
        expect(readVoucherQr(`${text}.x`)).toBeUndefined();
        expect(readVoucherQr(text.slice(n))).toBeUndefined();
      }),
    );
  });
});

describe('a voucher code', () => {
  it('catches every single mistyped digit and every swap of two different neighbours but 0/9', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), fc.nat(11), fc.nat(9), (body, at, digit) => {
        const code = body + String(luhnDigit(body));
        expect(voucherCodeChecks(code)).toBe(true);
        if (code[at] !== String(digit)) {
          const typo = code.slice(0, at) + String(digit) + code.slice(at + 1);
          expect(voucherCodeChecks(typo)).toBe(false);
        }
        if (at < 11 && code[at] !== code[at + 1]) {
          const pair = code[at]! + code[at + 1]!;
          const swapped = code.slice(0, at) + code[at + 1] + code[at] + code.slice(at + 2);
          if (pair !== '09' && pair !== '90') expect(voucherCodeChecks(swapped)).toBe(false);
        }
      }),
    );
  });

  it('is shown with its middle hidden', () => {
    expect(maskVoucherCode('123456789012')).toBe('123******012');
  });
});

describe('the version of a deal’s rules', () => {
  it('is the same for the same rules however they are written, and differs when they differ', () => {
    const a = entitlementRev({ kind: 'hours', minutes: 180, dayTypes: ['workday'] });
    const b = entitlementRev({ dayTypes: ['workday'], minutes: 180, kind: 'hours', bands: [] });
    expect(a).toBe(b);
    expect(entitlementRev({ kind: 'hours', minutes: 120, dayTypes: ['workday'] })).not.toBe(a);
  });
});
