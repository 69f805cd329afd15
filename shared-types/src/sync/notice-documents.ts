// What a store's hub publishes for the notices the cloud sends (C13): the items whose stock is at
// or below the owner's threshold (`stock:low`, each with the moment it fell there, so a fall is
// one message however often the document is read), and each room maintenance mark
// (`maintenance:<id>`) with the bookings it covers and their customers. The hub is their only
// writer; the cloud turns them into messages to the owner and staff, and to those customers.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, part } from './id-part';
import { IsoInstantSchema } from '../time/instant';

export const STOCK_LOW_ID = 'stock:low';

export const StockLowDocSchema = z.object({
  _id: z.literal(STOCK_LOW_ID),
  type: z.literal('stock_low'),
  storeId: StoreIdSchema,
  items: z.array(
    z.object({
      itemId: IdPartSchema,
      name: z.string().max(60),
      balance: z.number().int().nonnegative(),
      lowStockAt: z.number().int().nonnegative(),
      /** When the stock last fell to the threshold: one low-stock message per fall. */
      since: IsoInstantSchema,
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type StockLowDoc = z.infer<typeof StockLowDocSchema>;

export const MAINTENANCE_PREFIX = 'maintenance:';
export const maintenanceDocId = (id: string) => `${MAINTENANCE_PREFIX}${part(id)}`;

export const RoomMaintenanceDocSchema = z.object({
  _id: z.string().startsWith(MAINTENANCE_PREFIX),
  type: z.literal('room_maintenance'),
  storeId: StoreIdSchema,
  maintenanceId: IdPartSchema,
  roomId: IdPartSchema,
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  reason: z.string().max(200),
  /** Lifted by the owner before its end: the room is bookable again. */
  lifted: z.boolean(),
  /** The bookings in the period when it was marked, for their customers to hear of it. */
  bookings: z.array(
    z.object({
      bookingId: IdPartSchema,
      customerId: IdPartSchema.optional(),
      start: IsoInstantSchema,
      end: IsoInstantSchema,
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type RoomMaintenanceDoc = z.infer<typeof RoomMaintenanceDocSchema>;
