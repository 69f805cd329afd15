// A schedule's runs and the store's calendar: one that names kinds of day runs on exactly the
// runs the same schedule has on every day, less those starting on a date of another kind (a run
// over midnight belongs to the day it starts on); naming none changes nothing. Checked over
// random schedules, weeks and calendars, and on the official calendar around National Day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DayTypeSchema, type DayType } from '../calendar/day-type';
import { localDateOf, type LocalDate } from '../time/instant';
import { DeviceScheduleInputSchema, scheduleWindows } from './device-schedules';

const TZ = 'Asia/Shanghai';
const DAY = 24 * 3_600_000;
/** Monday 2026-11-23 00:00 in Shanghai. */
const MONDAY = Date.parse('2026-11-23T00:00:00+08:00');

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

describe('a schedule’s runs by kind of day', () => {
  it('are its every-day runs less those starting on a day of another kind', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
        hhmm,
        hhmm,
        fc.uniqueArray(fc.constantFrom(...DayTypeSchema.options)),
        // A calendar: the kind of each of the next three weeks' days.
        fc.array(fc.constantFrom(...DayTypeSchema.options), { minLength: 22, maxLength: 22 }),
        fc.integer({ min: 0, max: 7 * 24 }),
        (weekdays, start, end, dayTypes, kinds, fromHour) => {
          fc.pre(start !== end);
          const dates: LocalDate[] = kinds.map((_, i) => localDateOf(MONDAY - DAY + i * DAY, TZ));
          const kindOf = (d: LocalDate): DayType => kinds[dates.indexOf(d)] ?? 'workday';
          const from = MONDAY + fromHour * 3_600_000;
          const to = from + 7 * DAY;
          const all = scheduleWindows({ weekdays, start, end }, from, to, TZ, kindOf);
          const some = scheduleWindows({ weekdays, start, end, dayTypes }, from, to, TZ, kindOf);
          const expected =
            dayTypes.length === 0
              ? all
              : all.filter((w) => dayTypes.includes(kindOf(localDateOf(w.start, TZ))));
          expect(some).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('follow the official calendar when no store calendar is given: no workday run on National Day', () => {
    const s = { weekdays: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '02:00' };
    const from = Date.parse('2026-09-30T00:00:00+08:00');
    const to = Date.parse('2026-10-11T00:00:00+08:00');
    const startsOn = (dayTypes: DayType[]) =>
      scheduleWindows({ ...s, dayTypes }, from, to, TZ).map((w) => localDateOf(w.start, TZ));
    // 1-7 October are the holiday; Saturday 10 October is a make-up workday. The run of the 29th
    // is still going at midnight, where the range starts.
    expect(startsOn(['workday'])).toEqual([
      '2026-09-29',
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
    ]);
    expect(startsOn(['holiday'])).toHaveLength(7);
  });

  it('are left out of a schedule that names none, so a hub from before them still takes it', () => {
    const base = {
      roomId: null,
      devices: ['lights'],
      weekdays: [1],
      start: '03:00',
      end: '04:00',
      on: false,
    };
    expect(Object.keys(DeviceScheduleInputSchema.parse(base))).not.toContain('dayTypes');
    expect(DeviceScheduleInputSchema.parse({ ...base, dayTypes: ['holiday'] }).dayTypes).toEqual([
      'holiday',
    ]);
  });
});
