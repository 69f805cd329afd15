// Finding players (C14, 拼桌/组局): a customer starts a table for a room, a time and N seats; others
// join, each paying a share of the one booking's price; the room is held until the table fills or
// its fill deadline passes, when everyone is refunded. The rules both the hub and the cloud apply
// (the split into shares, the owner's game hours, the deadline) and the API shapes. Nothing here
// settles scores or money between players. No I/O.
import { z } from 'zod';
import { DomainError } from '../errors';
import { IdPartSchema } from '../sync/id-part';
import { StoreIdSchema } from '../sync/databases';
import {
  IsoInstantSchema,
  localMinuteOfDay,
  minutesOfTimeOfDay,
  TimeOfDaySchema,
} from '../time/instant';

export const MIN_TABLE_SEATS = 2;
export const MAX_TABLE_SEATS = 8;

/** A table as players see it: open while seats are left before the deadline. */
export const TableStatusSchema = z.enum(['open', 'filled', 'released']);
export type TableStatus = z.infer<typeof TableStatusSchema>;

/** The owner's rules for tables: on or off, a notice shown before joining, the game hours. */
export const TableSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Shown before anyone starts or joins a table (e.g. 未满18周岁请勿参与); empty: none. */
  ageNotice: z.string().trim().max(200),
  /** A game's time must lie within these local hours; null: any time the store takes bookings. */
  hours: z
    .object({ from: TimeOfDaySchema, to: TimeOfDaySchema })
    .refine((h) => h.from !== h.to, { message: 'from and to must differ', path: ['to'] })
    .nullable(),
});
export type TableSettings = z.infer<typeof TableSettingsSchema>;

export const DEFAULT_TABLE_SETTINGS: TableSettings = { enabled: true, ageNotice: '', hours: null };

/**
 * The booking's price split into `seats` shares: every player pays `share`, the starter also the
 * remainder, so the shares add up to the price exactly. A price too small to split is refused.
 */
export function splitShares(total: number, seats: number): { share: number; starterShare: number } {
  const share = Math.floor(total / seats);
  if (share < 1) {
    throw new DomainError(
      'conflict',
      'too_cheap_to_split',
      `a price of ${total} fen cannot be split into ${seats} shares`,
    ).with({ total, seats });
  }
  return { share, starterShare: total - share * (seats - 1) };
}

/**
 * True when a game from `start` to `end` lies within the owner's hours (local time). Hours that
 * run past midnight (`from` after `to`, e.g. 20:00-02:00) are honoured.
 */
export function withinTableHours(
  hours: TableSettings['hours'],
  start: number,
  end: number,
  timeZone: string,
): boolean {
  if (!hours) return true;
  const from = minutesOfTimeOfDay(hours.from);
  const to = minutesOfTimeOfDay(hours.to);
  const length = (to - from + 1440) % 1440 || 1440;
  const startMin = localMinuteOfDay(start, timeZone);
  const offset = (startMin - from + 1440) % 1440;
  return offset + (end - start) / 60_000 <= length;
}

/**
 * The checks of a new table's time that need no store state: the game hours, and a deadline that
 * is in the future and no later than the game's start. `field` names the body's field at fault.
 */
export function checkTableTimes(input: {
  settings: TableSettings;
  start: number;
  end: number;
  deadline: number;
  now: number;
  timeZone: string;
}): void {
  const { settings, start, end, deadline, now, timeZone } = input;
  if (!settings.enabled) {
    throw new DomainError('conflict', 'tables_off', 'this store does not take tables now');
  }
  if (!withinTableHours(settings.hours, start, end, timeZone)) {
    const h = settings.hours!;
    throw new DomainError(
      'conflict',
      'outside_table_hours',
      `tables are played from ${h.from} to ${h.to} at this store`,
      'start',
    ).with({ from: h.from, to: h.to });
  }
  if (deadline <= now) {
    throw new DomainError(
      'invalid',
      'deadline_passed',
      'the fill deadline must be in the future',
      'deadline',
    );
  }
  if (deadline > start) {
    throw new DomainError(
      'invalid',
      'deadline_after_start',
      'the fill deadline must be no later than the start of the game',
      'deadline',
    );
  }
}

// ---- the cloud's API ---------------------------------------------------------------------------

const seats = z.number().int().min(MIN_TABLE_SEATS).max(MAX_TABLE_SEATS);

/** A customer starts a table, paying the starter's share now. */
export const TableStartBodySchema = z.object({
  roomId: IdPartSchema,
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  seats,
  /** When the table gives up if it has not filled; no later than `start`. */
  deadline: IsoInstantSchema,
  /** What is played, as the starter names it (四人麻将...). */
  title: z.string().trim().min(1).max(30),
  /** The player's name shown to the others (a nickname); never their phone. */
  name: z.string().trim().min(1).max(20),
  /** The customer read the store's age notice. */
  ageConfirmed: z.literal(true, { error: 'confirm the store’s age notice first' }),
});
export type TableStartBody = z.infer<typeof TableStartBodySchema>;

export const TableJoinBodySchema = z.object({
  name: z.string().trim().min(1).max(20),
  ageConfirmed: z.literal(true, { error: 'confirm the store’s age notice first' }),
});
export type TableJoinBody = z.infer<typeof TableJoinBodySchema>;

export const TableParamsSchema = z.object({ storeId: StoreIdSchema, tableId: IdPartSchema });

/** A table as anyone may see it: no phone, no customer id. */
export interface TableView {
  tableId: string;
  storeId: string;
  roomId: string;
  roomName: string;
  title: string;
  start: string;
  end: string;
  deadline: string;
  seats: number;
  seatsLeft: number;
  /** Fen each joining player pays; the starter paid this plus the remainder. */
  share: number;
  starterShare: number;
  total: number;
  status: TableStatus;
  players: { seat: number; name: string }[];
}

export interface StoreTables {
  settings: TableSettings;
  /** Open tables with seats left, soonest game first. */
  tables: TableView[];
}

/** A table I am at: my seat and share, and the door code once it is filled. */
export interface MyTable extends TableView {
  /** The booking the table holds: the starter's order names it. */
  bookingId: string;
  mySeat: number;
  myShare: number;
  /** Whether my share was given back (the table did not fill). */
  refunded: boolean;
  door: { entryCode: string; qr: string } | null;
}
