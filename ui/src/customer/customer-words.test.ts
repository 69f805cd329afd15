// The customer's words in both languages: the same keys, none empty, every refusal one plain
// Chinese sentence; a refusal the store sends in English read as the customer's own sentence; a
// price line in the customer's words, never the hub's English label.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { FeeLineView, IntentView } from '@roomhub/shared-types';
import zh from '../locales/zh-CN/customer.json';
import en from '../locales/en-US/customer.json';
import { CloudRefusal } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';
import { lineText } from './fee-lines';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

const tIn = (lng: 'zh-CN' | 'en-US') =>
  i18next.createInstance().init({
    lng,
    resources: { 'zh-CN': { customer: zh }, 'en-US': { customer: en } },
    interpolation: { escapeValue: false },
  });

describe('the customer’s words', () => {
  it('has every key in both languages, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const text of [...keysOf(zh), ...keysOf(en)]) expect(text).not.toBe('');
  });

  it('says every refusal as one plain Chinese sentence', () => {
    for (const [code, text] of Object.entries(zh.errors)) {
      expect(text, code).toMatch(/^[^。]*[\u4e00-\u9fff][^。]*。$/u);
    }
  });

  it('reads the store’s refusal of a taken time, the cloud’s own Chinese, and anything else plainly', async () => {
    const t = await tIn('zh-CN');
    const intent = { intentId: 'i1', state: 'rejected' } as IntentView;
    const taken = new CloudRefusal(409, 'rejected', 'x', undefined, {
      ...intent,
      reason: 'this time is no longer free in this room',
    });
    expect(customerRefusal(t, taken)).toBe('这个时段已经被别人订了，请换个时间或包间。');
    const other = new CloudRefusal(409, 'rejected', 'x', undefined, { ...intent, reason: 'nope' });
    expect(customerRefusal(t, other)).toBe('门店没有接受这个预订，钱已原路退回。');
    expect(customerRefusal(t, new CloudRefusal(409, 'odd_code', '这张券今天不能用'))).toBe(
      '这张券今天不能用。',
    );
    expect(customerRefusal(t, new CloudRefusal(409, 'odd_code', 'in English'))).toBe(
      '没有办成，请稍后再试或联系门店。',
    );
    expect(customerRefusal(t, new TypeError('fetch failed'))).toBe(
      '网络连不上，请检查网络后再试。',
    );
  });

  it('says a price line in the customer’s words', async () => {
    const t = await tIn('zh-CN');
    const time = {
      kind: 'time',
      label: 'workday · base rate · 120 min',
      dayType: 'workday',
      band: null,
      minutes: 120,
    } as FeeLineView;
    expect(lineText(t, time)).toBe('工作日 · 基础价 · 120 分钟');
    const member = { kind: 'member', label: 'member · 金卡会员' } as FeeLineView;
    expect(lineText(t, member)).toBe('会员折扣 · 金卡会员');
    expect(lineText(t, { kind: 'coupon', label: 'coupon c-1' } as FeeLineView)).toBe('优惠券');
  });

  it('names the member’s level and its percentage off items under a tea cart', async () => {
    const words = { level: '金卡', percent: 10 };
    expect((await tIn('zh-CN'))('customer:tea.memberOff', words)).toBe(
      '会员折扣 · 金卡（茶点减 10%）',
    );
    expect((await tIn('en-US'))('customer:tea.memberOff', words)).toBe(
      'Member discount · 金卡 (10% off items)',
    );
  });

  it('says a change of time line by line, zh-CN first and English beside it', async () => {
    const zhT = await tIn('zh-CN');
    const enT = await tIn('en-US');
    expect(zhT('customer:change.open')).toBe('改期');
    expect(zhT('customer:change.fee', { percent: 10 })).toBe('改期手续费（10%）');
    expect(zhT('customer:change.confirm', { refund: '12.00' })).toBe('确认改期 · 退回 ¥12.00');
    expect(enT('customer:change.confirm', { refund: '12.00' })).toBe('Change · ¥12.00 back');
    expect(zhT('customer:change.costsMore')).toMatch(/取消后重新预订，或联系门店/);
    // A dearer time: what is still to pay, paid online, given back if the store says no.
    expect(zhT('customer:change.due')).toBe('还需支付');
    expect(zhT('customer:change.confirmPay', { due: '30.00' })).toBe('确认改期 · 支付 ¥30.00');
    expect(enT('customer:change.confirmPay', { due: '30.00' })).toBe('Change · pay ¥30.00');
    expect(zhT('customer:change.refusedPaidBack', { due: '30.00' })).toMatch(/¥30.00 已原路退回/);
    expect(enT('customer:change.due')).toBe('Still to pay');
  });
});
