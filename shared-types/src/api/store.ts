// The store and room API (O1, O2): what the owner sends to create and edit, and what the hub
// answers.
import { z } from 'zod';
import {
  BookingRulesOverrideSchema,
  BookingRulesSchema,
  type BookingRulesOverride,
} from '../booking/booking-rules';
import { PricePlanSchema, type PricePlan } from '../pricing/price-plan';
import {
  BackupSettingsSchema,
  RoomNumberSchema,
  RoomStatusSchema,
  RoomVideoPosterSchema,
  RoomVideoSchema,
  StoreInfoSchema,
  type BackupSettings,
  type RoomStatus,
  type StoreInfo,
} from '../store/store';
import { deepPatchOf, patchOf } from './patch';

export { applyPatch, deepPatchOf, mergePatch, patchOf, type DeepPartial } from './patch';

const text = (max: number) => z.string().trim().min(1).max(max);
const url = z.string().trim().min(1).max(500);

const RoomFields = z.object({
  number: RoomNumberSchema,
  name: text(40),
  capacity: z.number().int().min(1).max(50),
  areaSqm: z.number().positive().max(1000),
  style: text(30),
  facilities: z.array(text(40)).max(40),
  photos: z.array(url).max(20),
  /** Shown under the photos on the customer's room; null: none. */
  video: RoomVideoSchema.nullable(),
  videoPoster: RoomVideoPosterSchema.nullable(),
  pricePlan: PricePlanSchema,
  rules: BookingRulesOverrideSchema.nullable(),
});

export const RoomInputSchema = RoomFields.extend({
  /** Left out: the next free number (the highest all-digit number + 1, or 101). */
  number: RoomNumberSchema.optional(),
  facilities: RoomFields.shape.facilities.default([]),
  photos: RoomFields.shape.photos.default([]),
  video: RoomFields.shape.video.default(null),
  videoPoster: RoomFields.shape.videoPoster.default(null),
  rules: RoomFields.shape.rules.default(null),
});
export type RoomInput = z.input<typeof RoomInputSchema>;

const changesSomething = (p: object) => Object.keys(p).length > 0;
const SEND_ONE = { message: 'send at least one field to change' };

// Built from the fields without defaults: a patch that leaves a field out must leave it alone.
// A price plan's fields it names (rates, bands, packages, stepMinutes) replace the room's, and the
// plan they make is checked whole.
export const RoomPatchSchema = RoomFields.partial()
  .extend({ pricePlan: patchOf(PricePlanSchema).optional(), status: RoomStatusSchema.optional() })
  .refine(changesSomething, SEND_ONE);
export type RoomPatch = z.input<typeof RoomPatchSchema>;

// The booking rules merge: an object in them (session, holds) merges field by field, at every
// depth, a list or a value replaces the store's; the rules they make are checked whole.
/** Where the store is on the map (WGS-84), for "stores near me" in the customer's pages. */
export const StoreLocationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

const StorePatchFields = StoreInfoSchema.omit({ timeZone: true })
  .extend({ rules: deepPatchOf(BookingRulesSchema), location: StoreLocationSchema })
  .partial();

export const StorePatchSchema = StorePatchFields.refine(changesSomething, SEND_ONE);

/**
 * What the hub's own PATCH /api/store takes: a store patch, and this machine's backup settings,
 * which are set at the store and never carried by an owner intent through the cloud.
 */
export const HubStorePatchSchema = StorePatchFields.extend({
  backups: deepPatchOf(BackupSettingsSchema).optional(),
}).refine(changesSomething, SEND_ONE);

export const RoomListQuerySchema = z.object({
  includeRetired: z.enum(['true', 'false']).optional(),
});

export interface Room {
  id: string;
  /** Short and stable (101, A2), unique in the store; the device file may name the room by it. */
  number: string;
  name: string;
  capacity: number;
  areaSqm: number;
  style: string;
  facilities: string[];
  photos: string[];
  /** An https address of an .mp4, shown under the photos; null: none. */
  video: string | null;
  /** The picture the video shows before it plays; null: its first frame. */
  videoPoster: string | null;
  pricePlan: PricePlan;
  rules: BookingRulesOverride | null;
  status: RoomStatus;
  sort: number;
}

export interface Store extends StoreInfo {
  id: string;
}

/** The store as the hub answers those who may change it: with this machine's backup settings. */
/** The store as GET /api/store answers it: with where it is on the map, if set. */
export interface StoreView extends Store {
  location: z.infer<typeof StoreLocationSchema> | null;
}

export interface StoreWithBackups extends StoreView {
  backups: BackupSettings;
}
