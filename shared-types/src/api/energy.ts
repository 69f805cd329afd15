// The energy API (issue 15, Energy): kWh and cost per room per day and per session, from the
// rooms' energy meters, and the price per kWh the owner sets. The owner's and manager's pages read
// these shapes; every rule is worded for the owner.
import { z } from 'zod';
import { LocalDateSchema } from '../time/instant';

/** The longest range one answer covers: a quarter. */
export const ENERGY_RANGE_MAX_DAYS = 92;

const DAY_MS = 86_400_000;

export const EnergyQuerySchema = z
  .object({
    from: LocalDateSchema,
    to: LocalDateSchema,
    /** One room only; left out: every room with a meter. */
    roomId: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < ENERGY_RANGE_MAX_DAYS * DAY_MS, {
    message: 'a range is at most 92 days',
    path: ['to'],
  });
export type EnergyQuery = z.infer<typeof EnergyQuerySchema>;

export const EnergyPriceSchema = z
  .object({
    /** What the store pays its power company for one kWh, in fen (1.05 yuan: 105). */
    fenPerKwh: z
      .number()
      .int('a price per kWh is whole fen')
      .min(0, 'a price cannot be below zero')
      .max(10_000, 'a price per kWh is at most 100 yuan'),
  })
  .strict();
export type EnergyPriceInput = z.infer<typeof EnergyPriceSchema>;

/** The price in force, and since when; null until the owner sets one. */
export interface EnergyPrice {
  fenPerKwh: number;
  since: string;
}

/**
 * A meter's counter went backwards (the meter was reset or replaced): the energy between the
 * reading before and the reading after is not known and counts as nothing.
 */
export interface EnergyReset {
  meterId: string;
  roomId: string | null;
  /** The first reading after the step back. */
  at: string;
  fromKwh: number;
  toKwh: number;
}

export interface EnergyDayRow {
  date: string;
  room: { id: string; name: string };
  /** kWh used that store day, to the Wh. */
  kwh: number;
  /** At the price in force when the energy was used; null while no price is set. */
  costFen: number | null;
}

export interface EnergyDays {
  from: string;
  to: string;
  price: EnergyPrice | null;
  rows: EnergyDayRow[];
  total: { kwh: number; costFen: number | null };
  resets: EnergyReset[];
}

export interface EnergySessionRow {
  booking: { id: string; number: string };
  room: { id: string; name: string };
  /** The booking's span, to the session's end when it ran over. */
  start: string;
  end: string;
  kwh: number;
  costFen: number | null;
}

export interface EnergySessions {
  from: string;
  to: string;
  price: EnergyPrice | null;
  rows: EnergySessionRow[];
  resets: EnergyReset[];
}
