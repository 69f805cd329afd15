import { describe, expect, it } from 'vitest';
import { dayBefore, dealTotals } from './deal-totals';

describe('deal totals', () => {
  it('sums redemptions per deal and per source, face value and settled apart', () => {
    const t = dealTotals([
      {
        date: '2026-12-01',
        source: 'own',
        dealId: 'd1',
        dealTitle: '两小时',
        count: 2,
        faceValue: 17600,
        settleAmount: 17600,
      },
      {
        date: '2026-12-02',
        source: 'own',
        dealId: 'd1',
        dealTitle: '两小时',
        count: 1,
        faceValue: 8800,
        settleAmount: 8800,
      },
      {
        date: '2026-12-02',
        source: 'meituan',
        dealId: 'm1',
        dealTitle: '美团 3 小时',
        count: 1,
        faceValue: 9900,
        settleAmount: 9306,
      },
      {
        date: '2026-12-02',
        source: 'douyin',
        dealId: null,
        dealTitle: '抖音',
        count: 1,
        faceValue: 5000,
        settleAmount: 4700,
      },
    ]);
    expect(t.byDeal.get('d1')).toEqual({ count: 3, faceValue: 26400, settleAmount: 26400 });
    expect(t.bySource.meituan).toEqual({ count: 1, faceValue: 9900, settleAmount: 9306 });
    expect(t.bySource.douyin).toEqual({ count: 1, faceValue: 5000, settleAmount: 4700 });
    expect(t.byDeal.size).toBe(2);
  });

  it('counts days back across a month and a year', () => {
    expect(dayBefore('2026-12-03', 29)).toBe('2026-11-04');
    expect(dayBefore('2027-01-01', 1)).toBe('2026-12-31');
  });
});
