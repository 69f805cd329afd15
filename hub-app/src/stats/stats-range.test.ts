// The store days of each range, read in the store's zone: Shanghai's day starts at 16:00 UTC the
// day before, and a custom range is the owner's own first and last day, both included.
import { describe, expect, it } from 'vitest';
import { statsSpan } from './stats-range';

const SH = 'Asia/Shanghai';
/** 00:30 on Tuesday 2026-11-24 in Shanghai: still Monday in UTC. */
const NOW = Date.parse('2026-11-24T00:30:00+08:00');

describe('a statistics range', () => {
  it("is today and yesterday by the store's clock, not UTC's", () => {
    const today = statsSpan({ range: 'today' }, NOW, SH);
    expect(today).toMatchObject({ from: '2026-11-24', to: '2026-11-24', days: 1 });
    expect(today.start).toBe(Date.parse('2026-11-24T00:00:00+08:00'));
    expect(today.end).toBe(Date.parse('2026-11-25T00:00:00+08:00'));
    const yesterday = statsSpan({ range: 'yesterday' }, NOW, SH);
    expect(yesterday).toMatchObject({
      from: '2026-11-23',
      to: '2026-11-23',
      dates: ['2026-11-23'],
    });
  });

  it('counts 7 and 30 days with today, across a month end', () => {
    const week = statsSpan({ range: '7d' }, Date.parse('2026-12-03T12:00:00+08:00'), SH);
    expect(week).toMatchObject({ from: '2026-11-27', to: '2026-12-03', days: 7 });
    expect(week.dates).toHaveLength(7);
    const month = statsSpan({ range: '30d' }, Date.parse('2026-03-01T12:00:00+08:00'), SH);
    expect(month).toMatchObject({ from: '2026-01-31', to: '2026-03-01', days: 30 });
    expect(month.dates.at(28)).toBe('2026-02-28');
  });

  it('takes a custom range as given, and a day of 23 hours where the clocks go forward', () => {
    const custom = statsSpan({ range: 'custom', from: '2026-11-01', to: '2026-11-30' }, NOW, SH);
    expect(custom).toMatchObject({ days: 30, timeZone: SH });
    const spring = statsSpan(
      { range: 'custom', from: '2026-03-08', to: '2026-03-08' },
      NOW,
      'America/New_York',
    );
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
  });
});
