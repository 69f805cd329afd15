// The kWh arithmetic over any run of readings: counters that grow, are reset or replaced, with
// gaps, cut into store days in the store's zone (Shanghai, and a zone with daylight saving).
import fc from 'fast-check';
import { instantAt, localDateOf, nextLocalDate } from '@roomhub/shared-types';
import { describe, expect, it } from 'vitest';
import { costBetween, stepsOf, usedBetween, type Reading } from './energy-usage';

const MINUTE = 60_000;
const T0 = Date.parse('2026-10-24T00:00:00Z'); // a week before Europe's clocks go back

/** Readings as a meter gives them: mostly growing, sometimes reset to 0 or swapped for another. */
const readingsArb = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 60, max: 3000 })),
      used: fc.integer({ min: 0, max: 2000 }),
      change: fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 5_000_000 }) },
      ),
    }),
    { minLength: 0, maxLength: 120 },
  )
  .chain((moves) =>
    fc.integer({ min: 0, max: 9_000_000 }).map((start) => {
      const readings: Reading[] = [];
      let at = T0 + 7 * 60 * MINUTE;
      let wh = start;
      readings.push({ at, wh });
      for (const m of moves) {
        at += m.gap * MINUTE;
        wh = m.change ?? wh + m.used;
        readings.push({ at, wh });
      }
      return readings;
    }),
  );

/** The store days from the first reading's day to the last's, as [start, end) in `zone`. */
function daysOf(readings: Reading[], zone: string): { start: number; end: number }[] {
  const days: { start: number; end: number }[] = [];
  let date = localDateOf(readings[0]!.at, zone);
  const last = localDateOf(readings.at(-1)!.at, zone);
  for (;;) {
    const next = nextLocalDate(date);
    days.push({ start: instantAt(date, 0, zone), end: instantAt(next, 0, zone) });
    if (date === last) return days;
    date = next;
  }
}

/** What a reading run really used: the growth between readings, nothing across a step back. */
function grown(readings: Reading[]): number {
  let wh = 0;
  for (let i = 1; i < readings.length; i++) {
    const d = readings[i]!.wh - readings[i - 1]!.wh;
    if (d > 0) wh += d;
  }
  return wh;
}

describe('energy from meter counters', () => {
  it('adds up by store day to what the counters grew, never below zero, resets counted as nothing', () => {
    fc.assert(
      fc.property(
        readingsArb,
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
        (readings, zone) => {
          const { steps, resets } = stepsOf(readings);
          const days = daysOf(readings, zone).map((d) => usedBetween(steps, d.start, d.end));
          for (const d of days) expect(d).toBeGreaterThanOrEqual(0);
          const sum = days.reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(grown(readings), 6);
          // Each step back is reported once, with the two counter values around it.
          const back = readings.filter((r, i) => i > 0 && r.wh < readings[i - 1]!.wh);
          expect(resets.map((r) => [r.at, r.toWh])).toEqual(back.map((r) => [r.at, r.wh]));
          // Without a step back, the energy is simply last minus first.
          if (resets.length === 0)
            expect(sum).toBeCloseTo(readings.at(-1)!.wh - readings[0]!.wh, 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits any window anywhere without losing or making a Wh, and costs it at the prices in force', () => {
    fc.assert(
      fc.property(
        readingsArb.filter((r) => r.length > 1),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        (readings, [x, y], early, late) => {
          const { steps } = stepsOf(readings);
          const first = readings[0]!.at;
          const span = readings.at(-1)!.at - first;
          const a = first + Math.floor(Math.min(x, y) * span);
          const b = first + Math.floor(Math.max(x, y) * span);
          const whole = usedBetween(steps, first - MINUTE, first + span + MINUTE);
          const parts =
            usedBetween(steps, first - MINUTE, a) +
            usedBetween(steps, a, b) +
            usedBetween(steps, b, first + span + MINUTE);
          expect(parts).toBeCloseTo(whole, 6);
          // One price all along costs energy × price; a price change at `a` splits it there.
          expect(
            costBetween(steps, first, first + span, [{ from: 0, fenPerKwh: early }]),
          ).toBeCloseTo((usedBetween(steps, first, first + span) * early) / 1000, 6);
          const cost = costBetween(steps, first, first + span, [
            { from: first, fenPerKwh: early },
            { from: a, fenPerKwh: late },
          ]);
          expect(cost).toBeCloseTo(
            (usedBetween(steps, first, a) * early + usedBetween(steps, a, first + span) * late) /
              1000,
            6,
          );
          expect(costBetween(steps, first, first + span, [])).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a meter swapped for a new one as nothing for that step, and goes on from the new counter', () => {
    const at = (min: number) => T0 + min * MINUTE;
    const { steps, resets } = stepsOf([
      { at: at(0), wh: 1_200_000 },
      { at: at(60), wh: 1_201_000 },
      { at: at(61), wh: 5 }, // the new meter
      { at: at(121), wh: 1_005 },
    ]);
    expect(usedBetween(steps, at(0), at(121))).toBe(2000);
    expect(resets).toEqual([{ at: at(61), fromWh: 1_201_000, toWh: 5 }]);
    // Half of the first hour, evenly drawn.
    expect(usedBetween(steps, at(30), at(60))).toBe(500);
  });
});
