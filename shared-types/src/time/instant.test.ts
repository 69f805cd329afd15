import { describe, expect, it } from 'vitest';
import {
  formatInstant,
  instantAt,
  localDateOf,
  localMinuteOfDay,
  LocalDateSchema,
  nextLocalDate,
} from './instant';

const SH = 'Asia/Shanghai';

describe('store-local time', () => {
  it('formats an instant with the store offset', () => {
    expect(formatInstant(Date.parse('2026-11-22T06:00:00Z'), SH)).toBe('2026-11-22T14:00:00+08:00');
  });
  it('finds the local date across UTC midnight', () => {
    expect(localDateOf(Date.parse('2026-11-22T17:30:00Z'), SH)).toBe('2026-11-23');
    expect(localMinuteOfDay(Date.parse('2026-11-22T17:30:00Z'), SH)).toBe(90);
  });
  it('builds the instant of a wall-clock time, including the next midnight', () => {
    expect(instantAt('2026-11-22', 8 * 60, SH)).toBe(Date.parse('2026-11-22T08:00:00+08:00'));
    expect(instantAt('2026-11-22', 1440, SH)).toBe(Date.parse('2026-11-23T00:00:00+08:00'));
  });
  it('steps dates across month and year ends', () => {
    expect(nextLocalDate('2026-12-31')).toBe('2027-01-01');
    expect(nextLocalDate('2028-02-28')).toBe('2028-02-29');
  });
  it('rejects dates that do not exist', () => {
    expect(LocalDateSchema.safeParse('2026-02-30').success).toBe(false);
    expect(LocalDateSchema.safeParse('2026-02-28').success).toBe(true);
  });
});

describe('the cached offsets agree with the time-zone database', () => {
  it('for random instants in zones with and without daylight saving', async () => {
    const fc = (await import('fast-check')).default;
    const { TZDate } = await import('@date-fns/tz');
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('2020-01-01T00:00:00Z'),
          max: Date.parse('2030-01-01T00:00:00Z'),
        }),
        fc.constantFrom(
          'Asia/Shanghai',
          'Europe/Berlin',
          'America/New_York',
          'Asia/Kolkata',
          'UTC',
        ),
        (ms, tz) => {
          const t = new TZDate(ms, tz);
          const minute = t.getHours() * 60 + t.getMinutes();
          expect(localMinuteOfDay(ms, tz)).toBe(minute);
          expect(Date.parse(formatInstant(ms, tz))).toBe(Math.floor(ms / 1000) * 1000);
          const date = localDateOf(ms, tz);
          expect(date).toBe(
            `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}`,
          );
          expect(instantAt(date, 12 * 60, tz)).toBe(
            new TZDate(t.getFullYear(), t.getMonth(), t.getDate(), 12, 0, 0, 0, tz).getTime(),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
