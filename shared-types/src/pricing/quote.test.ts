import { describe, expect, it } from 'vitest';
import { makeDayTypeResolver } from '../calendar/day-type';
import { priceBill } from './discounts';
import { PricePlanSchema } from './price-plan';
import { PricingError, quotePackage, quoteSpan } from './quote';

const SH = 'Asia/Shanghai';
const ctx = { timeZone: SH, dayType: makeDayTypeResolver({}) };
/** Shanghai wall-clock time, e.g. `2026-11-24T17:00`. */
const at = (local: string): number => Date.parse(`${local}:00+08:00`);

const plan = PricePlanSchema.parse({
  rates: { workday: 6000, weekend: 8000, holiday: 10000 },
  bands: [
    {
      name: 'Evening peak',
      from: '18:00',
      to: '22:00',
      rates: { workday: 9000, weekend: 12000, holiday: 15000 },
    },
    {
      name: 'Night',
      from: '00:00',
      to: '08:00',
      rates: { workday: 4000, weekend: 5000, holiday: 6000 },
    },
  ],
  packages: [
    {
      id: 'afternoon',
      name: 'Afternoon 4h',
      start: '13:00',
      minutes: 240,
      prices: { workday: 19800, weekend: 26800 },
    },
  ],
});

function pricingError(run: () => unknown): PricingError {
  try {
    run();
  } catch (e) {
    if (e instanceof PricingError) return e;
    throw e;
  }
  throw new Error('expected a PricingError');
}

describe('quoteSpan', () => {
  it('charges the evening peak band on a weekday evening', () => {
    // 2026-11-24 is an ordinary Tuesday.
    const q = quoteSpan(plan, { start: at('2026-11-24T17:00'), end: at('2026-11-24T20:00') }, ctx);
    expect(q.lines).toMatchObject([
      { kind: 'time', date: '2026-11-24', dayType: 'workday', band: null, minutes: 60, rate: 6000 },
      { band: 'Evening peak', minutes: 120, rate: 9000, amount: 18000 },
    ]);
    expect(q.lines[1]!.label).toBe('workday · Evening peak · 120 min');
    expect(q.lines[1]!.start).toBe(at('2026-11-24T18:00'));
    expect(q).toMatchObject({ minutes: 180, total: 24000 });
  });

  it('switches from the Friday rate to the Saturday rate at midnight', () => {
    const q = quoteSpan(plan, { start: at('2026-11-20T22:00'), end: at('2026-11-21T01:00') }, ctx);
    expect(q.lines).toMatchObject([
      { date: '2026-11-20', dayType: 'workday', band: null, minutes: 120, amount: 12000 },
      { date: '2026-11-21', dayType: 'weekend', band: 'Night', minutes: 60, amount: 5000 },
    ]);
    expect(q.lines[1]!.start).toBe(at('2026-11-21T00:00'));
    expect(q.total).toBe(17000);
  });

  it('splits a band that crosses midnight between the two dates', () => {
    const overnight = PricePlanSchema.parse({
      rates: plan.rates,
      bands: [
        {
          name: 'Overnight',
          from: '22:00',
          to: '08:00',
          rates: { workday: 3000, weekend: 4000, holiday: 5000 },
        },
      ],
    });
    const q = quoteSpan(
      overnight,
      { start: at('2026-11-20T21:00'), end: at('2026-11-21T09:00') },
      ctx,
    );
    expect(q.lines.map((l) => [l.date, l.band, l.minutes, l.rate, l.amount])).toEqual([
      ['2026-11-20', null, 60, 6000, 6000],
      ['2026-11-20', 'Overnight', 120, 3000, 6000],
      ['2026-11-21', 'Overnight', 480, 4000, 32000],
      ['2026-11-21', null, 60, 8000, 8000],
    ]);
    expect(q.total).toBe(52000);
  });

  it('prices a span inside the night band as one line', () => {
    const q = quoteSpan(plan, { start: at('2026-11-24T01:00'), end: at('2026-11-24T05:30') }, ctx);
    expect(q.lines).toHaveLength(1);
    expect(q.lines[0]).toMatchObject({ band: 'Night', minutes: 270, rate: 4000, amount: 18000 });
  });

  it('uses the holiday rate on National Day', () => {
    const q = quoteSpan(plan, { start: at('2026-10-01T14:00'), end: at('2026-10-01T16:00') }, ctx);
    expect(q.lines).toMatchObject([{ dayType: 'holiday', rate: 10000 }]);
    expect(q.total).toBe(20000);
  });

  it('prices a make-up working Saturday as a workday', () => {
    const makeUp = quoteSpan(
      plan,
      { start: at('2026-10-10T14:00'), end: at('2026-10-10T16:00') },
      ctx,
    );
    const ordinary = quoteSpan(
      plan,
      { start: at('2026-11-21T14:00'), end: at('2026-11-21T16:00') },
      ctx,
    );
    expect(makeUp.lines[0]!.dayType).toBe('workday');
    expect(makeUp.total).toBe(12000);
    expect(ordinary.total).toBe(16000);
  });

  it('follows owner overrides of the day type', () => {
    const dayType = makeDayTypeResolver({ '2026-11-24': 'holiday' });
    const q = quoteSpan(
      plan,
      { start: at('2026-11-24T14:00'), end: at('2026-11-24T15:00') },
      { timeZone: SH, dayType },
    );
    expect(q.total).toBe(10000);
  });

  it('rounds the duration up to the billing step, on the last line', () => {
    const tue = (hhmm: string) => at(`2026-11-24T${hhmm}`);
    expect(quoteSpan(plan, { start: tue('14:00'), end: tue('14:07') }, ctx)).toMatchObject({
      minutes: 15,
      total: 1500,
    });
    expect(quoteSpan(plan, { start: tue('14:00'), end: tue('16:07') }, ctx).minutes).toBe(135);
    const perMinute = { ...plan, stepMinutes: 1 as const };
    expect(quoteSpan(perMinute, { start: tue('14:00'), end: tue('16:07') }, ctx).total).toBe(12700);

    const q = quoteSpan(plan, { start: tue('17:00'), end: tue('18:07') }, ctx);
    expect(q.lines.map((l) => [l.band, l.minutes, l.amount])).toEqual([
      [null, 60, 6000],
      ['Evening peak', 15, 2250],
    ]);
    expect(q.lines[1]!.end).toBe(tue('18:07'));
  });

  it('rounds each line to whole fen', () => {
    const odd = { ...plan, rates: { ...plan.rates, workday: 6500 }, stepMinutes: 1 as const };
    const q = quoteSpan(odd, { start: at('2026-11-24T14:00'), end: at('2026-11-24T14:07') }, ctx);
    expect(q.total).toBe(758); // 6500 * 7 / 60 = 758.33
  });

  it('folds a few seconds before a band edge into the next line', () => {
    const start = at('2026-11-24T21:59') + 40_000;
    const q = quoteSpan(plan, { start, end: at('2026-11-24T22:30') }, { ...ctx });
    expect(q.lines).toHaveLength(1);
    expect(q.lines[0]).toMatchObject({ start, band: null, minutes: 45 });
  });

  it('bills elapsed time across a daylight-saving change', () => {
    const q = quoteSpan(
      plan,
      {
        start: Date.parse('2026-03-29T00:00:00+01:00'),
        end: Date.parse('2026-03-29T06:00:00+02:00'),
      },
      { timeZone: 'Europe/Berlin', dayType: () => 'weekend' },
    );
    expect(q.lines).toMatchObject([{ band: 'Night', minutes: 300, amount: 25000 }]);
  });

  it('refuses a span that does not move forward', () => {
    const e = pricingError(() =>
      quoteSpan(plan, { start: at('2026-11-24T14:00'), end: at('2026-11-24T14:00') }, ctx),
    );
    expect(e).toMatchObject({ code: 'invalid_span', field: 'end' });
  });
});

describe('quotePackage', () => {
  it('charges the package price of the start date day type', () => {
    const weekday = quotePackage(plan, 'afternoon', at('2026-11-24T13:00'), ctx);
    expect(weekday).toMatchObject({ minutes: 240, total: 19800, end: at('2026-11-24T17:00') });
    expect(weekday.lines).toMatchObject([
      { kind: 'package', dayType: 'workday', band: null, rate: 19800, amount: 19800 },
    ]);
    expect(quotePackage(plan, 'afternoon', at('2026-11-21T13:00'), ctx).total).toBe(26800);
  });

  it('refuses a start other than the package start time', () => {
    const e = pricingError(() => quotePackage(plan, 'afternoon', at('2026-11-24T13:30'), ctx));
    expect(e).toMatchObject({ code: 'package_start_mismatch', field: 'start' });
  });

  it('refuses a day type the package is not sold on', () => {
    const e = pricingError(() => quotePackage(plan, 'afternoon', at('2026-10-01T13:00'), ctx));
    expect(e).toMatchObject({ code: 'package_unavailable', field: 'packageId' });
  });

  it('refuses an unknown package', () => {
    const e = pricingError(() => quotePackage(plan, 'all-night', at('2026-11-24T13:00'), ctx));
    expect(e).toMatchObject({ code: 'unknown_package', field: 'packageId' });
  });

  it("costs the season's price for it when it starts on a day of a season that prices it", () => {
    const summer = PricePlanSchema.parse({
      ...plan,
      seasons: [
        {
          name: '暑期',
          from: '11-20',
          to: '11-25',
          rates: { workday: 7000, weekend: 9000, holiday: 11000 },
          packages: { afternoon: { workday: 16800 } },
        },
      ],
    });
    const inSeason = quotePackage(summer, 'afternoon', at('2026-11-24T13:00'), ctx);
    expect(inSeason.total).toBe(16800);
    expect(inSeason.lines[0]).toMatchObject({ season: '暑期', base: 19800, amount: 16800 });
    // The bill shows the package at its own price and the season's difference as its own line.
    const bill = priceBill(inSeason, {}, { roomId: 'r', roomStyle: 'x', timeZone: SH });
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['package', 19800],
      ['season', -3000],
    ]);
    expect(bill.total).toBe(16800);
    // A day type the season leaves unpriced, or a day outside it: the package's own price.
    expect(quotePackage(summer, 'afternoon', at('2026-11-21T13:00'), ctx).total).toBe(26800);
    expect(quotePackage(summer, 'afternoon', at('2026-11-26T13:00'), ctx).total).toBe(19800);
    // Never sold on a day it is not sold on.
    const e = pricingError(() => quotePackage(summer, 'afternoon', at('2026-10-01T13:00'), ctx));
    expect(e.code).toBe('package_unavailable');
  });
});
