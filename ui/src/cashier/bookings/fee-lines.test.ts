import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { FeeLineView } from '@roomhub/shared-types';
import zhCashier from '../../locales/zh-CN/cashier.json';
import zhCommon from '../../locales/zh-CN/common.json';
import { feeLineText } from './fee-lines';

const line = (over: Partial<FeeLineView>): FeeLineView => ({
  kind: 'time',
  label: 'workday · base rate · 60 min',
  date: '2026-11-23',
  dayType: 'workday',
  band: null,
  start: '2026-11-23T10:00:00+08:00',
  end: '2026-11-23T11:00:00+08:00',
  minutes: 60,
  rate: 5800,
  amount: 5800,
  ...over,
});

describe('a fee line at the counter', () => {
  const t = i18next.createInstance();
  void t.init({
    lng: 'zh-CN',
    resources: { 'zh-CN': { cashier: zhCashier, common: zhCommon } },
    initAsync: false,
  });

  it('words time, extension and overtime by day type, band and minutes, never the hub’s English', () => {
    expect(feeLineText(t.t, line({}))).toBe('工作日 · 标准时段 · 60 分钟');
    expect(feeLineText(t.t, line({ kind: 'extension', minutes: 30 }))).toBe(
      '续时 · 工作日 · 标准时段 · 30 分钟',
    );
    expect(feeLineText(t.t, line({ kind: 'overtime', band: '夜间', minutes: 15 }))).toBe(
      '超时 · 工作日 · 夜间 · 15 分钟',
    );
  });

  it('names any other line by its kind, with what the hub calls it', () => {
    expect(feeLineText(t.t, line({ kind: 'promotion', label: '双十二八折', amount: -1160 }))).toBe(
      '促销 · 双十二八折',
    );
  });
});
