// Availability (C3, S1): a room's day as free / held / booked / in use / cleaning segments, closed
// where the room is under maintenance, and the board of every active room. A session that ended early or late shows the time it really took.
// Reads only.
import {
  formatInstant,
  instantAt,
  nextLocalDate,
  SEGMENT_OF_STATUS,
  type Board,
  type BookingStatus,
  type Clock,
  type LocalDate,
  type RoomTimeline,
  type SegmentState,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Room, StoreService } from '../store/store.service';
import { holdsRoom } from './booking-records';
import { maintenanceIn } from './maintenance-clash';

interface Taken {
  id: string;
  number: string;
  status: BookingStatus;
  start_at: number;
  end_at: number;
  block_end: number;
}

export interface AvailabilityDeps {
  db: Db;
  clock: Clock;
  store: StoreService;
}

export class Availability {
  constructor(private readonly d: AvailabilityDeps) {}

  /** `forAnyone`: who holds the time is left out (no booking ids or numbers). */
  room(roomId: string, date: LocalDate, forAnyone = false): RoomTimeline {
    return this.timeline(this.d.store.getRoom(roomId, 'id'), date, forAnyone);
  }

  board(date: LocalDate, forAnyone = false): Board {
    return {
      date,
      now: formatInstant(this.d.clock.now(), this.d.store.getStore().timeZone),
      rooms: this.d.store.listRooms().map((room) => this.timeline(room, date, forAnyone)),
    };
  }

  private timeline(room: Room, date: LocalDate, forAnyone: boolean): RoomTimeline {
    const tz = this.d.store.getStore().timeZone;
    const dayStart = instantAt(date, 0, tz);
    const dayEnd = instantAt(nextLocalDate(date), 0, tz);
    const now = this.d.clock.now();
    const rows = this.d.db
      .prepare(
        // A session that ended early or late occupied the room until it actually ended.
        `SELECT b.id, b.number, b.status, b.start_at, COALESCE(s.ended_at, b.end_at) AS end_at, b.block_end
         FROM bookings b LEFT JOIN sessions s ON s.booking_id = b.id
         WHERE b.room_id = ? AND ${holdsRoom('b')} AND b.block_end > ? AND b.block_start < ? ORDER BY b.start_at`,
      )
      .all(room.id, dayStart, dayEnd) as Taken[];
    const raw: {
      state: SegmentState;
      start: number;
      end: number;
      bookingId?: string;
      number?: string;
    }[] = [];
    let cursor = dayStart;
    let nowState: SegmentState = 'free';
    const push = (state: SegmentState, start: number, end: number, b?: Taken) => {
      const s = Math.max(start, dayStart);
      const e = Math.min(end, dayEnd);
      if (now >= start && now < end) nowState = state;
      if (e <= s) return;
      const whose = b && !forAnyone ? { bookingId: b.id, number: b.number } : {};
      raw.push({ state, start: s, end: e, ...whose });
    };
    for (const b of rows) {
      if (b.start_at > cursor) push('free', cursor, b.start_at);
      push(SEGMENT_OF_STATUS[b.status], b.start_at, b.end_at, b);
      if (b.block_end > b.end_at) push('cleaning', b.end_at, b.block_end, b);
      cursor = Math.max(cursor, b.block_end);
    }
    if (cursor < dayEnd) push('free', cursor, dayEnd);
    // Free time under maintenance is closed; the bookings in it stay as they are, to be moved.
    const marks = maintenanceIn(this.d.db, room.id, dayStart, dayEnd);
    const segments = marks.length === 0 ? raw : raw.flatMap((s) => closeMarked(s, marks));
    if (nowState === 'free' && marks.some((m) => now >= m.start_at && now < m.end_at)) {
      nowState = 'closed';
    }
    return {
      room: {
        id: room.id,
        name: room.name,
        capacity: room.capacity,
        style: room.style,
        status: room.status,
      },
      date,
      now: nowState,
      segments: segments.map((s) => ({
        ...s,
        start: formatInstant(s.start, tz),
        end: formatInstant(s.end, tz),
      })),
    };
  }
}

/** A free segment with the marked spans cut out as closed; any other segment as it is. */
function closeMarked<S extends { state: SegmentState; start: number; end: number }>(
  s: S,
  marks: { start_at: number; end_at: number }[],
): S[] {
  if (s.state !== 'free') return [s];
  const out: S[] = [];
  let cursor = s.start;
  for (const m of marks) {
    const from = Math.max(m.start_at, cursor);
    const to = Math.min(m.end_at, s.end);
    if (to <= from) continue;
    if (from > cursor) out.push({ ...s, start: cursor, end: from });
    out.push({ ...s, state: 'closed', start: from, end: to });
    cursor = to;
  }
  if (cursor < s.end) out.push({ ...s, start: cursor });
  return out;
}
