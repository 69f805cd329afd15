// What a stretch of a room's day is, as the board, the room page and the cloud show it.
import { z } from 'zod';
import type { BookingStatus } from './booking-status';

export const SegmentStateSchema = z.enum([
  'free',
  /** A booking waiting for its payment. */
  'held',
  'booked',
  'in_use',
  /** The buffer after a booking. */
  'cleaning',
  /** Outside the store's hours (the cloud's view), or the room under maintenance. */
  'closed',
]);
export type SegmentState = z.infer<typeof SegmentStateSchema>;

/** The state a booking's own time shows on the board. */
export const SEGMENT_OF_STATUS: Readonly<Record<BookingStatus, SegmentState>> = {
  pending_payment: 'held',
  paid: 'booked',
  in_use: 'in_use',
  completed: 'booked',
  refunding: 'booked',
  cancelled: 'free',
  refunded: 'free',
};
