// Every order across the stores (P4), as the platform's staff read them: one row per booking, by
// the day it was placed (the platform's day, Asia/Shanghai), newest first, a page at a time, with
// the store's name, the room, the slot, the status, the money paid and given back, whether it was
// booked online or at the store, and the customer's phone masked (full lookups are the user
// admins'). Pure.
import { z } from 'zod';
import { CustomerSchema } from '../api/bookings';
import { BookingStatusSchema, type BookingStatus } from '../booking/booking-status';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/id-part';
import { LocalDateSchema } from '../time/instant';

/** The longest range of days one list covers. */
export const PLATFORM_ORDERS_MAX_DAYS = 31;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

export const PlatformOrderQuerySchema = z
  .object({
    storeId: StoreIdSchema.optional(),
    /** The first and last day the orders were placed on; today unless said. */
    from: LocalDateSchema.optional(),
    to: LocalDateSchema.optional(),
    status: BookingStatusSchema.optional(),
    /** Only the orders of the customer with this phone, exactly. */
    phone: CustomerSchema.shape.phone.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Where the page before ended (its `next`). */
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to) {
      if (q.to < q.from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
      } else if (dayNumber(q.to) - dayNumber(q.from) + 1 > PLATFORM_ORDERS_MAX_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `a range is at most ${PLATFORM_ORDERS_MAX_DAYS} days`,
        });
      }
    }
  });
export type PlatformOrderQuery = z.output<typeof PlatformOrderQuerySchema>;

export interface PlatformOrderRow {
  storeId: string;
  storeName: string | null;
  bookingId: string;
  roomId: string;
  roomName: string | null;
  /** When it was placed, and the slot booked. */
  placedAt: string;
  start: string;
  end: string;
  status: BookingStatus;
  /** Fen: the booking's price, what was paid, and what was given back. */
  amount: number;
  paid: number;
  refunded: number;
  /** Booked online (through the cloud) or at the store (kiosk or counter). */
  source: 'online' | 'store';
  /** The customer's phone as 138****1234, when the platform knows it; null otherwise. */
  phone: string | null;
}

export interface PlatformOrderPage {
  from: string;
  to: string;
  orders: PlatformOrderRow[];
  /** The cursor of the next page; null when this was the last. */
  next: string | null;
}

export const PlatformOrderParamsSchema = z.object({
  storeId: StoreIdSchema,
  bookingId: IdPartSchema,
});

/** One money movement of an order, as its store's ledger holds it. */
export interface PlatformOrderLedgerLine {
  entryId: string;
  kind: 'payment' | 'refund' | 'adjustment';
  method: string;
  /** Fen; positive money in, negative money out. */
  amount: number;
  at: string;
  note: string | null;
}
