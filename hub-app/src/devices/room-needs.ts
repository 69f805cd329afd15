// What a room's devices should be doing at an instant, from its bookings alone (pure). The hub
// recomputes it at every boundary and at boot, so nothing about devices is decided from memory.
import type { AcSetting, RoomNeeds } from '@roomhub/firmware-bridge';
import type { BookingStatus, SessionRules } from '@roomhub/shared-types';
import { MINUTE } from '@roomhub/shared-types';

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

export function roomNeedsAt(bookings: NeedsBooking[], now: number, s: SessionRules): RoomNeeds {
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
): number | null {
  let next: number | null = null;
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
