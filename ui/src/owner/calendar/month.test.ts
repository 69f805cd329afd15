import { describe, expect, it } from 'vitest';
import { labelOf, monthRange, shiftMonth, weeksOf } from './month';

describe('the owner’s month', () => {
  it('lays a month out in weeks from Monday', () => {
    // 2026-02-01 is a Sunday: six empty days before it.
    const weeks = weeksOf('2026-02');
    expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(weeks.flat().filter(Boolean)).toHaveLength(28);
    expect(monthRange('2028-02').to).toBe('2028-02-29');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });

  it('names holidays, make-up working days and the owner’s own days', () => {
    expect(labelOf({ date: '2026-10-01', type: 'holiday', source: 'official', note: null })).toBe(
      'holiday',
    );
    // Sunday 2026-09-27 was worked in exchange for the National Day week.
    expect(labelOf({ date: '2026-09-27', type: 'workday', source: 'official', note: null })).toBe(
      'makeUp',
    );
    expect(labelOf({ date: '2026-11-28', type: 'weekend', source: 'official', note: null })).toBe(
      'weekend',
    );
    expect(labelOf({ date: '2026-11-24', type: 'holiday', source: 'override', note: '店庆' })).toBe(
      'override',
    );
  });
});
