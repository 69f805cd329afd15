// The wallet's arithmetic: a spend takes the bonus first (the lot that expires first, first), a
// principal refund takes back the same share of the bonus and never more than is left.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bonusTakenBack, potsOf, splitSpend, type WalletLot } from './wallet-rules';

const lot = (
  id: string,
  pot: 'principal' | 'bonus',
  left: number,
  expiresAt: number | null = null,
  at = 0,
): WalletLot => ({ lot: id, pot, left, expiresAt, at });

describe('a spend', () => {
  it('takes the bonus first, the one expiring first, then the oldest principal', () => {
    const lots = [
      lot('a', 'principal', 10000, null, 1),
      lot('a', 'bonus', 3000, 200, 1),
      lot('b', 'principal', 5000, null, 2),
      lot('b', 'bonus', 2000, 100, 2),
    ];
    expect(splitSpend(lots, 6000)).toEqual([
      { lot: 'b', pot: 'bonus', amount: 2000 },
      { lot: 'a', pot: 'bonus', amount: 3000 },
      { lot: 'a', pot: 'principal', amount: 1000 },
    ]);
    expect(splitSpend(lots, 20001)).toBeNull();
  });

  it('never takes more than a lot holds and always the whole amount', () => {
    const lotArb = fc.record({
      lot: fc.constantFrom('a', 'b', 'c'),
      pot: fc.constantFrom('principal' as const, 'bonus' as const),
      left: fc.nat(10000),
      expiresAt: fc.option(fc.nat(1000)),
      at: fc.nat(1000),
    });
    fc.assert(
      fc.property(
        fc.array(lotArb, { maxLength: 6 }),
        fc.integer({ min: 1, max: 30000 }),
        (lots, amount) => {
          const { principal, bonus } = potsOf(lots);
          const shares = splitSpend(lots, amount);
          if (principal + bonus < amount) {
            expect(shares).toBeNull();
            return;
          }
          expect(shares!.reduce((s, x) => s + x.amount, 0)).toBe(amount);
          const fromBonus = shares!
            .filter((x) => x.pot === 'bonus')
            .reduce((s, x) => s + x.amount, 0);
          expect(fromBonus).toBe(Math.min(bonus, amount));
        },
      ),
    );
  });
});

describe('a principal refund', () => {
  it('takes back the same share of the bonus, all of it with all the principal, never below zero', () => {
    expect(bonusTakenBack({ principal: 20000, bonus: 10000 }, 10000)).toBe(5000);
    expect(bonusTakenBack({ principal: 20000, bonus: 10000 }, 20000)).toBe(10000);
    expect(bonusTakenBack({ principal: 3, bonus: 1 }, 1)).toBe(1);
    expect(bonusTakenBack({ principal: 20000, bonus: 0 }, 20000)).toBe(0);
    fc.assert(
      fc.property(fc.nat(50000), fc.nat(50000), fc.nat(60000), (principal, bonus, amount) => {
        const back = bonusTakenBack({ principal, bonus }, Math.min(amount, principal));
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThanOrEqual(bonus);
      }),
    );
  });
});
