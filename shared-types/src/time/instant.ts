// Instants and store-local dates. Instants are epoch milliseconds (UTC); a store shows them in its
// own time zone. This module owns the conversions and must never read the system clock.
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A calendar date in the store's time zone, `YYYY-MM-DD`. */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => isRealDate(s), 'must be a real calendar date');
export type LocalDate = z.infer<typeof LocalDateSchema>;

/** A wall-clock time of day, `HH:MM`, 00:00 to 24:00 inclusive. */
export const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time of day as HH:MM (00:00 to 24:00)');
export type TimeOfDay = z.infer<typeof TimeOfDaySchema>;

/** An ISO-8601 instant with an explicit offset or Z, e.g. 2026-11-22T14:00:00+08:00. */
export const IsoInstantSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 time with offset, e.g. 2026-11-22T14:00:00+08:00',
});

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Minutes after local midnight for `HH:MM`. */
export function minutesOfTimeOfDay(t: TimeOfDay): number {
  const [h, m] = t.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** The store-local date of an instant. */
export function localDateOf(ms: number, timeZone: string): LocalDate {
  const d = new TZDate(ms, timeZone);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Minutes since local midnight of an instant, in the store's time zone. */
export function localMinuteOfDay(ms: number, timeZone: string): number {
  const d = new TZDate(ms, timeZone);
  return d.getHours() * 60 + d.getMinutes();
}

/** The instant of a wall-clock time on a local date; `minutes` may be 1440 (next midnight). */
export function instantAt(date: LocalDate, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 0, minutes, 0, 0, timeZone).getTime();
}

/** The local date after `date`. */
export function nextLocalDate(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** ISO-8601 with the store's offset, second precision: 2026-11-22T14:00:00+08:00. */
export function formatInstant(ms: number, timeZone: string): string {
  const d = new TZDate(ms, timeZone);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function parseInstant(iso: string): number {
  return Date.parse(iso);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
