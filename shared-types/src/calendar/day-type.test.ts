import { describe, expect, it } from 'vitest';
import { DayTypeOverridesSchema, makeDayTypeResolver, officialDayType } from './day-type';

describe('official day type', () => {
  it('marks National Day as a holiday, also on a weekday', () => {
    expect(officialDayType('2026-10-01')).toBe('holiday'); // Thursday
    expect(officialDayType('2026-10-03')).toBe('holiday'); // Saturday inside the holiday
  });
  it('prices a make-up working weekend day (调休) as a workday', () => {
    expect(officialDayType('2026-10-10')).toBe('workday'); // Saturday after National Day
    expect(officialDayType('2026-02-14')).toBe('workday'); // Saturday before Spring Festival
    expect(officialDayType('2026-09-20')).toBe('workday'); // Sunday before National Day
  });
  it('keeps an ordinary Saturday a weekend and an ordinary Tuesday a workday', () => {
    expect(officialDayType('2026-11-21')).toBe('weekend');
    expect(officialDayType('2026-11-24')).toBe('workday');
  });
  it('falls back to plain weekdays beyond the published years', () => {
    expect(officialDayType('2027-02-06')).toBe('weekend'); // a Saturday
    expect(officialDayType('2027-02-08')).toBe('workday'); // a Monday
  });
});

describe('day type resolver', () => {
  it('lets an override win over the official calendar', () => {
    const dayType = makeDayTypeResolver({ '2026-10-01': 'weekend', '2026-11-24': 'holiday' });
    expect(dayType('2026-10-01')).toBe('weekend');
    expect(dayType('2026-11-24')).toBe('holiday');
    expect(dayType('2026-11-21')).toBe('weekend');
    expect(dayType('2026-10-10')).toBe('workday');
  });
  it('validates overrides at the edge', () => {
    expect(DayTypeOverridesSchema.safeParse({ '2027-10-01': 'holiday' }).success).toBe(true);
    expect(DayTypeOverridesSchema.safeParse({ '2027-02-30': 'holiday' }).success).toBe(false);
    expect(DayTypeOverridesSchema.safeParse({ '2027-10-01': 'festival' }).success).toBe(false);
  });
});
