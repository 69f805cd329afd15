// The store and room API (O1, O2): what the owner sends to create and edit, and what the hub
// answers.
import { z } from 'zod';
import { BookingRulesOverrideSchema, type BookingRulesOverride } from '../booking/booking-rules';
import { PricePlanSchema, type PricePlan } from '../pricing/price-plan';
import { RoomStatusSchema, StoreInfoSchema, type RoomStatus, type StoreInfo } from '../store/store';

const text = (max: number) => z.string().trim().min(1).max(max);
const url = z.string().trim().min(1).max(500);

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

export const StorePatchSchema = StoreInfoSchema.omit({ timeZone: true })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' });

export const RoomListQuerySchema = z.object({
  includeRetired: z.enum(['true', 'false']).optional(),
});

export interface Room {
  id: string;
  name: string;
  capacity: number;
  areaSqm: number;
  style: string;
  facilities: string[];
  photos: string[];
  pricePlan: PricePlan;
  rules: BookingRulesOverride | null;
  status: RoomStatus;
  sort: number;
}

export interface Store extends StoreInfo {
  id: string;
}
