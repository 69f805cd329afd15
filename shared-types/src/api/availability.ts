// Availability (C3, S1): a room's day as segments, and the board of every room, as the kiosk, the
// room page and the owner see them.
import type { SegmentState } from '../booking/segments';
import type { LocalDate } from '../time/instant';
import type { Room } from './store';

export interface Segment {
  state: SegmentState;
  start: string;
  end: string;
  /** The booking behind a held, booked, in-use or cleaning segment. */
  bookingId?: string;
  number?: string;
}

export interface RoomTimeline {
  room: Pick<Room, 'id' | 'name' | 'capacity' | 'style' | 'status'>;
  date: LocalDate;
  /** The room's state at this moment. */
  now: SegmentState;
  segments: Segment[];
}

export interface Board {
  date: LocalDate;
  now: string;
  rooms: RoomTimeline[];
}
