// What a customer may pick on the booking page: the days from the store's today to as far ahead
// as its booking rules allow (a member's level may add days), and on a day the starts within the
// store's hours, on a grid, after now and inside the window, and the session packages still to
// start. The cloud checks the same rules (shared-types span-rules.ts); this only keeps a page from
// offering what it would refuse. Pure: now, the zone and the rules come in.
import { instantAt, minutesOfTimeOfDay, type SessionPackage } from '@roomhub/shared-types';
import { localDate } from '../components/store-time';
import { datesFrom } from './week-slots';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface BookingWindow {
  now: number;
  timeZone: string;
  /** The store's (or room's) `advanceDays` plus a member's `extraBookingDays`. */
  advanceDays: number;
}

/** The latest instant a booking may start: `advanceDays` whole days from now. */
export const latestStart = (w: BookingWindow): number => w.now + w.advanceDays * DAY;

/** The store-local dates a booking may start on, today first. */
export function bookingDays(w: BookingWindow): string[] {
  const today = localDate(w.now, w.timeZone);
  const last = localDate(latestStart(w), w.timeZone);
  const count = Math.round((Date.parse(`${last}T00:00Z`) - Date.parse(`${today}T00:00Z`)) / DAY);
  return datesFrom(today, count + 1);
}

/** Minutes since midnight the store opens and closes on a day; a close at or before the open is past midnight. */
function openSpan(hours: { open: string; close: string }): [number, number] {
  const open = minutesOfTimeOfDay(hours.open);
  let close = minutesOfTimeOfDay(hours.close);
  if (close <= open) close += 24 * 60;
  return [open, Math.min(close, 24 * 60)];
}

/**
 * The starts offered on `date`: every `stepMinutes` from the store's opening up to its close (or
 * midnight, when it stays open past it), later than now and no later than the window allows.
 */
export function startsOn(
  w: BookingWindow,
  date: string,
  stepMinutes: number,
  hours: { open: string; close: string },
): number[] {
  const [open, close] = openSpan(hours);
  const first = Math.ceil(open / stepMinutes) * stepMinutes;
  const latest = latestStart(w);
  const out: number[] = [];
  for (let m = first; m < close; m += stepMinutes) {
    const at = instantAt(date, m, w.timeZone);
    if (at > w.now && at <= latest) out.push(at);
  }
  return out;
}

/** The room's packages that can still start on `date`, with the instant each starts. */
export function packagesOn(
  w: BookingWindow,
  date: string,
  packages: readonly SessionPackage[],
): { pkg: SessionPackage; start: number }[] {
  const latest = latestStart(w);
  return packages
    .map((pkg) => ({ pkg, start: instantAt(date, minutesOfTimeOfDay(pkg.start), w.timeZone) }))
    .filter(({ start }) => start > w.now && start <= latest)
    .sort((a, b) => a.start - b.start);
}

/** The day of the week of a store-local date, 0 for Sunday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
