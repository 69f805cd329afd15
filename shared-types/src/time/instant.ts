// Instants and store-local dates. Instants are epoch milliseconds (UTC); a store shows them in its
// own time zone. This module owns the conversions and must never read the system clock.
import { tzOffset } from '@date-fns/tz';
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

// Offsets change at most every quarter hour, so one Intl look-up serves a whole bucket: every
// quote, view and timeline converts many instants, and Intl is slow.
const BUCKET = 15 * MINUTE;
const offsets = new Map<string, Map<number, number>>();

/** Minutes east of UTC of `timeZone` at instant `ms` (480 for Asia/Shanghai). */
export function offsetMinutes(ms: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const bucket = Math.floor(ms / BUCKET);
  let off = zone.get(bucket);
  if (off === undefined) {
    if (zone.size > 50_000) zone.clear();
    off = tzOffset(timeZone, new Date(bucket * BUCKET));
    if (Number.isNaN(off)) throw new RangeError(`unknown time zone ${timeZone}`);
    zone.set(bucket, off);
  }
  return off;
}

/** The wall clock of an instant, read through UTC getters of a shifted Date. */
function wall(ms: number, timeZone: string): { d: Date; offset: number } {
  const offset = offsetMinutes(ms, timeZone);
  return { d: new Date(ms + offset * MINUTE), offset };
}

/** The store-local date of an instant. */
export function localDateOf(ms: number, timeZone: string): LocalDate {
  const { d } = wall(ms, timeZone);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Minutes since local midnight of an instant, in the store's time zone. */
export function localMinuteOfDay(ms: number, timeZone: string): number {
  const { d } = wall(ms, timeZone);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** The instant of a wall-clock time on a local date; `minutes` may be 1440 (next midnight). */
export function instantAt(date: LocalDate, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, 0, minutes);
  // Two passes settle the offset on either side of a daylight-saving change.
  const first = asUtc - offsetMinutes(asUtc, timeZone) * MINUTE;
  return asUtc - offsetMinutes(first, timeZone) * MINUTE;
}

/** The local date after `date`. */
export function nextLocalDate(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** ISO-8601 with the store's offset, second precision: 2026-11-22T14:00:00+08:00. */
export function formatInstant(ms: number, timeZone: string): string {
  const { d, offset } = wall(ms, timeZone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function parseInstant(iso: string): number {
  return Date.parse(iso);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
