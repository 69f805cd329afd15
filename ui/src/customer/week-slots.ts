// A room's week as a calendar: for each day, two-hour slots from midnight, each free or as taken
// as the most of it is (in use over booked over cleaning over closed). Pure: the days come in as
// the cloud answers them.
import type { RoomDay } from '@roomhub/shared-types';

export type SlotState = 'free' | 'booked' | 'in_use' | 'cleaning' | 'closed' | 'unknown';

export const SLOT_HOURS = 2;
const HOUR = 3_600_000;
const RANK: Record<SlotState, number> = {
  in_use: 5,
  booked: 4,
  cleaning: 3,
  closed: 2,
  free: 1,
  unknown: 0,
};

/** The day's slots; `unknown` throughout when the store never published the day's state. */
export function slotsOf(day: RoomDay): SlotState[] {
  const count = 24 / SLOT_HOURS;
  if (day.segments.length === 0) return Array<SlotState>(count).fill('unknown');
  const from = Date.parse(day.segments[0]!.start);
  return Array.from({ length: count }, (_, i) => {
    const start = from + i * SLOT_HOURS * HOUR;
    const end = start + SLOT_HOURS * HOUR;
    let state: SlotState = 'free';
    for (const s of day.segments) {
      if (Date.parse(s.end) <= start || Date.parse(s.start) >= end) continue;
      const st = s.state as SlotState;
      if (RANK[st] > RANK[state]) state = st;
    }
    return state;
  });
}

/** The `count` store-local dates from `first` (YYYY-MM-DD), one a day. */
export function datesFrom(first: string, count: number): string[] {
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10),
  );
}
