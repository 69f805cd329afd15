// A phone's cart priced as the store prices the order: the member level's percentage off items a
// line of its own, in whole fen rounded down, the total never below zero nor above the menu's
// price, for any prices and percentage; no line when the level takes nothing off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderDiscounts, priceTeaCart } from './tea-cart';

const item = (itemId: string, price: number) => ({
  itemId,
  name: `茶${itemId}`,
  description: '',
  photos: [],
  price,
  specs: [],
  available: true,
});
const menu = (prices: number[]) => ({
  categories: [{ categoryId: 'c', name: '茶饮', items: prices.map((p, i) => item(`i${i}`, p)) }],
});
const gold = (itemPercentOff: number) => ({ level: '金卡', roomPercentOff: 0, itemPercentOff });

describe('a tea cart for a member', () => {
  it('takes the level’s percentage off the items as its own line, rounded down to fen', () => {
    const cart = priceTeaCart(
      menu([3800, 999]),
      [
        { itemId: 'i0', quantity: 2, specs: {} },
        { itemId: 'i1', quantity: 1, specs: {} },
      ],
      gold(15),
    );
    // 15% of 85.99 is 12.8985
    expect(cart.discounts).toEqual([
      { kind: 'member', name: '金卡', percentOff: 15, amount: -1289 },
    ]);
    expect(cart.total).toBe(8599 - 1289);
  });

  it('is the menu’s price for a customer with no level, and for a level giving nothing off', () => {
    const lines = [{ itemId: 'i0', quantity: 1, specs: {} }];
    expect(priceTeaCart(menu([3800]), lines)).toMatchObject({ total: 3800, discounts: [] });
    expect(priceTeaCart(menu([3800]), lines, gold(0))).toMatchObject({
      total: 3800,
      discounts: [],
    });
  });

  it('is never below zero nor above the menu’s price (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 100 }),
        (prices, quantity, percent) => {
          const lines = prices.map((_, i) => ({ itemId: `i${i}`, quantity, specs: {} }));
          const full = priceTeaCart(menu(prices), lines).total;
          const cart = priceTeaCart(menu(prices), lines, gold(percent));
          expect(cart.total).toBeGreaterThanOrEqual(0);
          expect(cart.total).toBeLessThanOrEqual(full);
          expect(Number.isInteger(cart.total)).toBe(true);
          expect(cart.discounts).toEqual(orderDiscounts(full, gold(percent)));
          expect(full + cart.discounts.reduce((s, d) => s + d.amount, 0)).toBe(cart.total);
        },
      ),
      { numRuns: 500 },
    );
  });
});
