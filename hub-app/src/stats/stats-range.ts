// The store days a statistics range covers and the instants that bound them, in the store's time
// zone: today, yesterday, the last 7 or 30 days (today included) or the owner's own first and last
// day. Pure: the caller gives the instant it calls "now".
import {
  daysBetween,
  instantAt,
  localDateOf,
  nextLocalDate,
  type LocalDate,
  type StatsQuery,
  type StatsRangeView,
} from '@roomhub/shared-types';

export interface StatsSpan extends StatsRangeView {
  /** The first instant of the first day. */
  start: number;
  /** The first instant after the last day (the next day's local midnight). */
  end: number;
  /** Every store day of the range, in order. */
  dates: LocalDate[];
}

/** The local date `n` days before `date` (calendar arithmetic, no zone). */
export function daysBefore(date: LocalDate, n: number): LocalDate {
  const t = new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000);
  return t.toISOString().slice(0, 10);
}

export function statsSpan(q: StatsQuery, now: number, timeZone: string): StatsSpan {
  const today = localDateOf(now, timeZone);
  let from: LocalDate;
  let to: LocalDate;
  switch (q.range) {
    case 'today':
      from = to = today;
      break;
    case 'yesterday':
      from = to = daysBefore(today, 1);
      break;
    case '7d':
      from = daysBefore(today, 6);
      to = today;
      break;
    case '30d':
      from = daysBefore(today, 29);
      to = today;
      break;
    case 'custom':
      // The schema has checked both are there and in order.
      from = q.from!;
      to = q.to!;
      break;
  }
  const dates: LocalDate[] = [];
  for (let d = from; d <= to; d = nextLocalDate(d)) dates.push(d);
  return {
    range: q.range,
    from,
    to,
    days: daysBetween(from, to) + 1,
    timeZone,
    start: instantAt(from, 0, timeZone),
    end: instantAt(nextLocalDate(to), 0, timeZone),
    dates,
  };
}
