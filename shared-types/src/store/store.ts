// Store and room records as the API and the cloud catalogue see them (O1, O2).
import { z } from 'zod';
import { BookingRulesOverrideSchema, BookingRulesSchema } from '../booking/booking-rules';
import { PricePlanSchema } from '../pricing/price-plan';
import { TimeOfDaySchema } from '../time/instant';

const text = (max: number) => z.string().trim().min(1).max(max);
const url = z.string().trim().min(1).max(500);

export const RoomStatusSchema = z.enum(['active', 'retired']);
export type RoomStatus = z.infer<typeof RoomStatusSchema>;

const RoomFields = z.object({
  name: text(40),
  capacity: z.number().int().min(1).max(50),
  areaSqm: z.number().positive().max(1000),
  style: text(30),
  facilities: z.array(text(40)).max(40),
  photos: z.array(url).max(20),
  pricePlan: PricePlanSchema,
  rules: BookingRulesOverrideSchema.nullable(),
});

export const RoomInputSchema = RoomFields.extend({
  facilities: RoomFields.shape.facilities.default([]),
  photos: RoomFields.shape.photos.default([]),
  rules: RoomFields.shape.rules.default(null),
});
export type RoomInput = z.input<typeof RoomInputSchema>;

// Built from the fields without defaults: a patch that leaves a field out must leave it alone.
export const RoomPatchSchema = RoomFields.partial()
  .extend({ status: RoomStatusSchema.optional() })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });

export const StoreInfoSchema = z.object({
  name: text(60),
  address: text(200),
  phone: text(30),
  timeZone: text(60),
  hours: z.object({
    open: TimeOfDaySchema.refine((t) => t !== '24:00', 'a day opens at 00:00, not 24:00'),
    close: TimeOfDaySchema,
  }),
  logoUrl: url.nullable(),
  photos: z.array(url).max(20),
  rules: BookingRulesSchema,
});
export type StoreInfo = z.infer<typeof StoreInfoSchema>;

export const StorePatchSchema = StoreInfoSchema.omit({ timeZone: true })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });
