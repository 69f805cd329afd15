// A store's price plan: base hourly rates per day type, time-of-day bands and fixed-price
// packages. Owns only the shape and its consistency rules; quoting lives in quote.ts.
import { z } from 'zod';
import { minutesOfTimeOfDay, TimeOfDaySchema, type TimeOfDay } from '../time/instant';

/** Money in integer fen; for a rate, fen per hour. */
const fen = z.number().int().nonnegative();

export const DayTypeRatesSchema = z.object({ workday: fen, weekend: fen, holiday: fen });
export type DayTypeRates = z.infer<typeof DayTypeRatesSchema>;

/** A time-of-day band overriding the base rate; `from` > `to` crosses midnight (22:00-08:00). */
export const PriceBandSchema = z
  .object({
    name: z.string().min(1).max(40),
    from: TimeOfDaySchema,
    to: TimeOfDaySchema,
    rates: DayTypeRatesSchema,
  })
  .refine((b) => b.from !== b.to, {
    message: 'a band must start and end at different times',
    path: ['to'],
  })
  // 24:00 as a start would make a band that covers nothing, or an alias of 00:00.
  .refine((b) => b.from !== '24:00', {
    message: 'a band starts at 00:00, not 24:00',
    path: ['from'],
  });
export type PriceBand = z.infer<typeof PriceBandSchema>;

const SlugSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 lowercase letters, digits or dashes');

/** A fixed price for a fixed span from a set local start time; no price = not sold that day type. */
export const SessionPackageSchema = z.object({
  id: SlugSchema,
  name: z.string().min(1).max(40),
  start: TimeOfDaySchema.refine((t) => t !== '24:00', 'a package starts at 00:00, not 24:00'),
  minutes: z.number().int().min(30).max(1440),
  prices: z
    .object({ workday: fen.optional(), weekend: fen.optional(), holiday: fen.optional() })
    .refine(
      (p) => p.workday !== undefined || p.weekend !== undefined || p.holiday !== undefined,
      'a package needs a price for at least one day type',
    ),
});
export type SessionPackage = z.infer<typeof SessionPackageSchema>;

export const BILLING_STEPS = [1, 5, 10, 15, 20, 30, 60] as const;

export const PricePlanSchema = z
  .object({
    rates: DayTypeRatesSchema,
    bands: z.array(PriceBandSchema).default([]),
    packages: z.array(SessionPackageSchema).default([]),
    stepMinutes: z.literal(BILLING_STEPS).default(15),
  })
  .superRefine((plan, ctx) => {
    plan.bands.forEach((band, i) => {
      const other = plan.bands.slice(0, i).find((earlier) => bandsOverlap(earlier, band));
      if (other) {
        ctx.addIssue({
          code: 'custom',
          message: `band "${band.name}" (${band.from}-${band.to}) overlaps band "${other.name}" (${other.from}-${other.to})`,
          path: ['bands', i],
        });
      }
    });
    plan.packages.forEach((pkg, i) => {
      if (plan.packages.slice(0, i).some((earlier) => earlier.id === pkg.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `package id "${pkg.id}" is used twice`,
          path: ['packages', i, 'id'],
        });
      }
    });
  });
/** A validated plan, defaults applied. */
export type PricePlan = z.infer<typeof PricePlanSchema>;
/** A plan as an owner writes it, before defaults. */
export type PricePlanInput = z.input<typeof PricePlanSchema>;

/** The minutes-of-day a band covers, as half-open intervals inside [0, 1440). */
export function bandIntervals(band: { from: TimeOfDay; to: TimeOfDay }): [number, number][] {
  const from = minutesOfTimeOfDay(band.from);
  const to = minutesOfTimeOfDay(band.to);
  if (from < to) return [[from, to]];
  const parts: [number, number][] = [];
  if (from < 1440) parts.push([from, 1440]);
  if (to > 0) parts.push([0, to]);
  return parts;
}

function bandsOverlap(a: PriceBand, b: PriceBand): boolean {
  return bandIntervals(a).some(([a0, a1]) =>
    bandIntervals(b).some(([b0, b1]) => a0 < b1 && b0 < a1),
  );
}
