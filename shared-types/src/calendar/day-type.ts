// The day type (workday, weekend, holiday) of a store-local date, from the official Chinese
// calendar with the owner's overrides on top. Pure: never reads the clock or the network.
import chineseDays from 'chinese-days';
import { z } from 'zod';
import { LocalDateSchema, type LocalDate } from '../time/instant';

export const DayTypeSchema = z.enum(['workday', 'weekend', 'holiday']);
export type DayType = z.infer<typeof DayTypeSchema>;

/** Owner-set day types by date; they win over the official calendar. */
export const DayTypeOverridesSchema = z.record(LocalDateSchema, DayTypeSchema);
export type DayTypeOverrides = Readonly<Record<LocalDate, DayType>>;

// chinese-days names an ordinary day by its English weekday; official days carry the holiday's
// name, including the make-up working days (调休), which are told apart by `work`.
const WEEKEND_NAMES = new Set(['Saturday', 'Sunday']);

/**
 * The official day type of a date. The package's data ends with the last published year (now
 * 2026); later dates fall back to plain Monday-Friday / Saturday-Sunday until it is updated,
 * which is why owners can override.
 */
export function officialDayType(date: LocalDate): DayType {
  const detail = chineseDays.getDayDetail(date);
  // The package builds its tables in the host's local time, which shifts every date by a day on
  // hosts west of UTC. A wrong day type would misprice silently, so refuse instead.
  if (detail.date !== date) {
    throw new Error(
      `official calendar answered for ${detail.date} when asked for ${date}; ` +
        'run with a time zone at or east of UTC (e.g. TZ=Asia/Shanghai)',
    );
  }
  if (detail.work) return 'workday';
  return WEEKEND_NAMES.has(detail.name) ? 'weekend' : 'holiday';
}

/** A day-type lookup for one store: its overrides first, then the official calendar. */
export function makeDayTypeResolver(overrides: DayTypeOverrides): (date: LocalDate) => DayType {
  const byDate = new Map<LocalDate, DayType>(Object.entries(overrides));
  return (date) => byDate.get(date) ?? officialDayType(date);
}
