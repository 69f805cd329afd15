// A member's discount under a tea order at the counter, in both languages: the level by name, its
// percentage off items and what it took off, never the hub's own words.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { OrderDiscountView } from '@roomhub/shared-types';
import zhCashier from '../../locales/zh-CN/cashier.json';
import enCashier from '../../locales/en-US/cashier.json';
import { orderDiscountText } from './order-discounts';

const gold: OrderDiscountView = { kind: 'member', name: '金卡', percentOff: 10, amount: -885 };

describe('an order’s discount line at the counter', () => {
  const t = i18next.createInstance();
  void t.init({
    lng: 'zh-CN',
    resources: { 'zh-CN': { cashier: zhCashier }, 'en-US': { cashier: enCashier } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });

  it('names the member’s level, its percentage off items and the amount, in Chinese', () => {
    expect(orderDiscountText(t.t, gold)).toBe('会员价 · 金卡（茶点减 10%） -¥8.85');
  });

  it('says the same in English', () => {
    expect(orderDiscountText(t.getFixedT('en-US'), gold)).toBe(
      'Member price · 金卡 (10% off items) -¥8.85',
    );
  });

  it('has words for every kind of discount in both languages', () => {
    const kinds: OrderDiscountView['kind'][] = ['member'];
    for (const kind of kinds) {
      expect(zhCashier.tea.discount[kind]).toMatch(/[\u4e00-\u9fff]/u);
      expect(enCashier.tea.discount[kind]).not.toBe('');
    }
  });
});
