// The days of a month as the owner's calendar lays them out (weeks from Monday), and what each
// day is called: an official holiday, a make-up working day (a weekend day worked by decree), an
// ordinary weekend, or a day the owner set. Pure.
import type { CalendarDay } from '@roomhub/shared-types';

export type DayLabel = 'holiday' | 'makeUp' | 'weekend' | 'workday' | 'override';

/** ISO weekday of a date, 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function monthRange(month: string): { from: string; to: string; days: string[] } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const days = Array.from({ length: last }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  return { from: days[0]!, to: days[last - 1]!, days };
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The weeks of the month, Monday first; null pads the days of the months beside it. */
export function weeksOf(month: string): (string | null)[][] {
  const { days } = monthRange(month);
  const cells: (string | null)[] = [
    ...Array.from({ length: weekdayOf(days[0]!) - 1 }, () => null),
    ...days,
  ];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

export function labelOf(day: CalendarDay): DayLabel {
  if (day.source === 'override') return 'override';
  const weekend = weekdayOf(day.date) >= 6;
  if (day.type === 'holiday') return 'holiday';
  if (day.type === 'workday' && weekend) return 'makeUp';
  return day.type === 'weekend' ? 'weekend' : 'workday';
}
