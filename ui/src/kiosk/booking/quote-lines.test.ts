import { describe, expect, it } from 'vitest';
import type { FeeLineView } from '@roomhub/shared-types';
import { startI18n } from '../../locales/i18n';
import { lineText } from './quote-lines';

const i18n = startI18n('zh-CN');
const t = i18n.t.bind(i18n);

const line = (over: Partial<FeeLineView>): FeeLineView => ({
  kind: 'time',
  label: 'workday · base rate · 120 min',
  date: '2026-11-23',
  dayType: 'workday',
  band: null,
  start: '2026-11-23T10:00:00+08:00',
  end: '2026-11-23T12:00:00+08:00',
  minutes: 120,
  rate: 3800,
  amount: 7600,
  ...over,
});

describe('the quote lines a customer reads', () => {
  it('words a time line by its day type, band and minutes, in Chinese', () => {
    expect(lineText(t, line({}), null)).toBe('工作日 · 标准时段 · 120 分钟');
    expect(lineText(t, line({ band: '晚间高峰', dayType: 'weekend', minutes: 60 }), null)).toBe(
      '周末 · 晚间高峰 · 60 分钟',
    );
  });

  it('names a package line by its package', () => {
    expect(lineText(t, line({ kind: 'package', label: '下午场 · workday · 300 min' }), null)).toBe(
      '套餐 · 下午场',
    );
  });
});
