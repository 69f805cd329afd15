// A room under maintenance for a period (C13): the owner marks it, the room is not bookable in it,
// and the bookings already in it are listed for the owner to move or refund; their customers hear
// of it. The owner may lift a mark early.
import { z } from 'zod';
import { IsoInstantSchema, parseInstant } from '../time/instant';
import type { BookingStatus } from '../booking/booking-status';

export const MaintenanceCreateSchema = z
  .object({
    start: IsoInstantSchema,
    end: IsoInstantSchema,
    reason: z.string().trim().min(1, 'say why the room is under maintenance').max(200),
  })
  .refine((m) => parseInstant(m.end) > parseInstant(m.start), {
    message: 'must be after the start',
    path: ['end'],
  });
export type MaintenanceCreate = z.infer<typeof MaintenanceCreateSchema>;

export interface MaintenanceView {
  id: string;
  roomId: string;
  roomName: string;
  start: string;
  end: string;
  reason: string;
  lifted: boolean;
  /** Bookings in the period that still hold the room: to move or refund. */
  bookings: {
    id: string;
    number: string;
    start: string;
    end: string;
    status: BookingStatus;
  }[];
}
