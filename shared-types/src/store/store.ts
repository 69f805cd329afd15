// The store's record (O1) and the status of a room (O2), as the hub keeps them and the cloud's
// catalogue sees them. What the API takes and answers about them is in api/store.ts.
import { z } from 'zod';
import { BookingRulesSchema } from '../booking/booking-rules';
import { TimeOfDaySchema } from '../time/instant';

const text = (max: number) => z.string().trim().min(1).max(max);
const url = z.string().trim().min(1).max(500);

/** The owner's colour for the store's customer pages: `#rrggbb`. */
export const ThemeColourSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #8a4b2a')
  .transform((c) => c.toLowerCase());

/**
 * A room's video (O2, C2): one https address of an .mp4, which every phone plays in the page
 * itself (the customer pages are served over https, so an http one would be blocked). The file
 * is hosted by the owner, as photos are; the hub keeps only the address.
 */
export const RoomVideoSchema = z
  .string()
  .trim()
  .max(500)
  .regex(
    /^https:\/\/[^\s/?#]+\/\S*\.mp4(?:[?#]\S*)?$/i,
    'must be an https address of an .mp4 video',
  );

/** The picture a room's video shows before it plays: an https address of an image. */
export const RoomVideoPosterSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^https:\/\/[^\s/?#]+\S*$/i, 'must be an https address of a picture');

export const RoomStatusSchema = z.enum(['active', 'retired']);
export type RoomStatus = z.infer<typeof RoomStatusSchema>;

/**
 * A room's short number as people in the store say it and the door plate shows it (101, A2):
 * letters, digits and "-", up to 8, unique in the store, stable while the room's name changes.
 * Letters are kept in capitals, so "a2" and "A2" are one number. The device file names rooms by it.
 */
export const RoomNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,7}$/, 'must be 1 to 8 letters, digits or "-", like 101 or A2')
  .transform((n) => n.toUpperCase());
export type RoomNumber = z.output<typeof RoomNumberSchema>;

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
  /** The colour the customer pages show this store in; null: the platform's own. */
  theme: ThemeColourSchema.nullable().optional(),
  photos: z.array(url).max(20),
  rules: BookingRulesSchema,
});
export type StoreInfo = z.infer<typeof StoreInfoSchema>;

/** An absolute folder: `/mnt/backup`, `D:\backup`, `\\nas\share\store`. */
const FolderSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(p), 'must be an absolute folder path');

/**
 * The hub's backups (H4): how many of the newest are kept, and a folder on another drive or a
 * network share where each is also copied, so a dead disk does not take them all. Older backups
 * beyond the count are deleted from both places. A setting of this machine: never published.
 */
export const BackupSettingsSchema = z.object({
  keep: z.number().int().min(1).max(1000).default(14),
  copyTo: FolderSchema.nullable().default(null),
});
export type BackupSettings = z.infer<typeof BackupSettingsSchema>;
