import { describe, expect, it } from 'vitest';
import type { SessionPackage } from '@roomhub/shared-types';
import { bookingDays, packagesOn, startsOn, weekdayOf } from './booking-window';

const ZONE = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const window = (now: string, advanceDays = 7) => ({ now: at(now), timeZone: ZONE, advanceDays });
const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });

describe('the days a customer may book on', () => {
  it('runs from the store’s today to as many days ahead as the rules allow', () => {
    const days = bookingDays(window('2026-11-23T10:00:00'));
    expect(days).toHaveLength(8);
    expect(days[0]).toBe('2026-11-23');
    expect(days.at(-1)).toBe('2026-11-30');
  });

  it('gives a member’s extra days, and today alone when the store books only today', () => {
    expect(bookingDays(window('2026-11-23T10:00:00', 7 + 3)).at(-1)).toBe('2026-12-03');
    expect(bookingDays(window('2026-11-23T10:00:00', 0))).toEqual(['2026-11-23']);
  });

  it('counts days in the store’s zone, not UTC', () => {
    // 01:00 in Shanghai is still the day before in UTC: the store's today comes first.
    expect(bookingDays(window('2026-11-24T01:00:00', 1))).toEqual(['2026-11-24', '2026-11-25']);
  });
});

describe('the starts offered on a day', () => {
  const allDay = { open: '00:00', close: '24:00' };

  it('offers today only what is still to come, on the grid', () => {
    const starts = startsOn(window('2026-11-23T10:20:00'), '2026-11-23', 60, allDay);
    expect(starts.map(clock)).toEqual([
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
      '17:00',
      '18:00',
      '19:00',
      '20:00',
      '21:00',
      '22:00',
      '23:00',
    ]);
  });

  it('offers another day from the store’s opening to its close, by the store’s step', () => {
    const starts = startsOn(window('2026-11-23T10:00:00'), '2026-11-25', 30, {
      open: '09:00',
      close: '12:00',
    });
    expect(starts.map(clock)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    // Open past midnight: the day's starts run to midnight.
    const late = startsOn(window('2026-11-23T10:00:00'), '2026-11-25', 60, {
      open: '20:00',
      close: '02:00',
    });
    expect(late.map(clock)).toEqual(['20:00', '21:00', '22:00', '23:00']);
  });

  it('offers nothing beyond the window on its last day', () => {
    const last = startsOn(window('2026-11-23T10:00:00'), '2026-11-30', 60, allDay);
    expect(last.map(clock).at(-1)).toBe('10:00');
  });
});

describe('the packages offered on a day', () => {
  const pkg = (id: string, start: string): SessionPackage => ({
    id,
    name: id,
    start,
    minutes: 240,
    prices: { workday: 10000 },
  });
  const packages = [pkg('evening', '18:00'), pkg('morning', '08:00')];

  it('offers those still to start, earliest first, each at its own start', () => {
    const today = packagesOn(window('2026-11-23T10:00:00'), '2026-11-23', packages);
    expect(today.map((p) => p.pkg.id)).toEqual(['evening']);
    const later = packagesOn(window('2026-11-23T10:00:00'), '2026-11-25', packages);
    expect(later.map((p) => [p.pkg.id, clock(p.start)])).toEqual([
      ['morning', '08:00'],
      ['evening', '18:00'],
    ]);
    expect(packagesOn(window('2026-11-23T10:00:00'), '2026-11-30', packages)).toHaveLength(1);
  });
});

describe('the day of the week of a date', () => {
  it('reads the date as the store’s calendar day', () => {
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(weekdayOf('2026-11-29')).toBe(0);
  });
});
