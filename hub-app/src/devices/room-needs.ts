// What a room's devices should be doing at an instant, from its bookings and the owner's device
// schedules (pure). The hub recomputes it at every boundary and at boot, so nothing about devices
// is decided from memory. A schedule never switches off a room with a session in use.
import type { AcSetting, RoomNeeds } from '@roomhub/firmware-bridge';
import type { BookingStatus, DeviceScheduleFields, SessionRules } from '@roomhub/shared-types';
import { MINUTE, scheduleWindows, type DayType, type LocalDate } from '@roomhub/shared-types';

export interface NeedsBooking {
  status: BookingStatus;
  start: number;
  end: number;
  /** When the session ended, if it has. */
  endedAt: number | null;
}

const IDLE: RoomNeeds = { lights: false, sockets: false, freshAir: false, ac: null };

/** Whether a booking keeps the room powered at `now`, and whether it wants the AC. */
function demand(b: NeedsBooking, now: number, s: SessionRules): { power: boolean; ac: boolean } {
  const off = b.end + s.offDelayMinutes * MINUTE;
  if (b.status === 'in_use' && b.endedAt === null) {
    // A guest being billed overtime is never left in the dark: the room stays on until the
    // session ends (the guest leaves, or the cap ends it). Otherwise it goes off at `off`.
    if (s.atEnd === 'bill_overtime') return { power: true, ac: true };
    return { power: now < off || now < b.end, ac: now < off };
  }
  if (b.status !== 'paid') return { power: false, ac: false };
  return {
    power: now >= b.start && now < off,
    ac: now >= b.start - s.preconditionMinutes * MINUTE && now < off,
  };
}

/** What of a schedule decides a room's needs. */
export type NeedsSchedule = Pick<
  DeviceScheduleFields,
  'devices' | 'weekdays' | 'start' | 'end' | 'on' | 'ac'
> &
  Partial<Pick<DeviceScheduleFields, 'dayTypes'>>;

/** The schedules that apply to a room, read in the store's time zone. */
export interface NeedsPlan {
  schedules: NeedsSchedule[];
  timeZone: string;
  /** The kind of a local date by the store's calendar; the official calendar if left out. */
  dayType?: (date: LocalDate) => DayType;
}

const DAY = 24 * 60 * MINUTE;

export function roomNeedsAt(
  bookings: NeedsBooking[],
  now: number,
  s: SessionRules,
  plan?: NeedsPlan,
): RoomNeeds {
  const needs = sessionNeeds(bookings, now, s);
  if (!plan) return needs;
  const running = plan.schedules.filter(
    (sc) => scheduleWindows(sc, now, now + 1, plan.timeZone, plan.dayType).length > 0,
  );
  if (running.length === 0) return needs;
  const out: RoomNeeds = { ...needs };
  // "On" adds to what the sessions need; the sessions' own AC setting is kept when they want it.
  for (const sc of running.filter((r) => r.on)) {
    for (const d of sc.devices) {
      if (d !== 'ac') out[d] = true;
      else out.ac ??= { power: true, ...(sc.ac ?? s.ac) };
    }
  }
  // "Off" wins over the sessions and "on" schedules, but never over a guest in the room.
  const inUse = bookings.some((b) => b.status === 'in_use' && b.endedAt === null);
  if (!inUse) {
    for (const sc of running.filter((r) => !r.on)) {
      for (const d of sc.devices) {
        if (d !== 'ac') out[d] = false;
        else out.ac = null;
      }
    }
  }
  return out;
}

function sessionNeeds(bookings: NeedsBooking[], now: number, s: SessionRules): RoomNeeds {
  let power = false;
  let ac = false;
  for (const b of bookings) {
    const d = demand(b, now, s);
    power ||= d.power;
    ac ||= d.ac;
  }
  if (!power && !ac) return IDLE;
  const setting: AcSetting = {
    power: true,
    mode: s.ac.mode,
    setpoint: s.ac.setpoint,
    fan: s.ac.fan,
  };
  return { lights: power, sockets: power, freshAir: power || ac, ac: ac ? setting : null };
}

/** The next instant after `now` at which roomNeedsAt may change: when to look again. */
export function nextBoundary(
  bookings: NeedsBooking[],
  now: number,
  s: SessionRules,
  plan?: NeedsPlan,
): number | null {
  let next: number | null = null;
  // Every start and end of a schedule's runs in the coming week (a schedule runs weekly).
  for (const sc of plan?.schedules ?? []) {
    for (const w of scheduleWindows(sc, now, now + 8 * DAY, plan!.timeZone, plan!.dayType)) {
      for (const p of [w.start, w.end]) if (p > now && (next === null || p < next)) next = p;
    }
  }
  for (const b of bookings) {
    if (b.status !== 'paid' && b.status !== 'in_use') continue;
    const points = [
      b.start - s.preconditionMinutes * MINUTE,
      b.start,
      b.end,
      b.end + s.offDelayMinutes * MINUTE,
    ];
    for (const p of points) if (p > now && (next === null || p < next)) next = p;
  }
  return next;
}
