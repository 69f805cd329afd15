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

/** A day of every year, MM-DD (02-29 included: it counts in leap years only). */
export const MonthDaySchema = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year as MM-DD')
  .refine((s) => {
    const [m, d] = s.split('-').map(Number) as [number, number];
    return d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  }, 'must be a real day of the year');
export type MonthDay = z.infer<typeof MonthDaySchema>;

/**
 * A season of every year (summer, the Spring Festival weeks) from `from` to `to`, both days
 * included in store-local dates; `from` after `to` crosses the year end (12-20 to 01-05). Room
 * time on its days is priced at its rates; a band of the plan at the season's rate for that band
 * if it names one (`bands`, by band name), else at the band's own rates. A session package that
 * starts on one of its days costs the season's price for it on that day type if the season sets
 * one (`packages`, by package id), else its own: a season changes what a package costs, never
 * when it is sold, so it prices only day types the package is sold on.
 */
export const SeasonSchema = z.object({
  name: z.string().trim().min(1).max(40),
  from: MonthDaySchema,
  to: MonthDaySchema,
  rates: DayTypeRatesSchema,
  bands: z.record(z.string().min(1).max(40), DayTypeRatesSchema).default({}),
  packages: z
    .record(
      SlugSchema,
      z.object({ workday: fen.optional(), weekend: fen.optional(), holiday: fen.optional() }),
    )
    .default({}),
});
export type Season = z.infer<typeof SeasonSchema>;

export const BILLING_STEPS = [1, 5, 10, 15, 20, 30, 60] as const;

export const PricePlanSchema = z
  .object({
    rates: DayTypeRatesSchema,
    bands: z.array(PriceBandSchema).default([]),
    packages: z.array(SessionPackageSchema).default([]),
    // Optional, so a plan without seasons reads as it always did.
    seasons: z.array(SeasonSchema).max(24).optional(),
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
    const seasons = plan.seasons ?? [];
    seasons.forEach((season, i) => {
      const other = seasons.slice(0, i).find((earlier) => seasonsOverlap(earlier, season));
      if (other) {
        ctx.addIssue({
          code: 'custom',
          message: `season "${season.name}" (${season.from} to ${season.to}) overlaps season "${other.name}" (${other.from} to ${other.to})`,
          path: ['seasons', i],
        });
      }
      for (const [id, prices] of Object.entries(season.packages)) {
        const pkg = plan.packages.find((p) => p.id === id);
        if (!pkg) {
          ctx.addIssue({
            code: 'custom',
            message: `season "${season.name}" names package "${id}", which the plan does not have`,
            path: ['seasons', i, 'packages', id],
          });
          continue;
        }
        for (const dayType of ['workday', 'weekend', 'holiday'] as const) {
          if (prices[dayType] !== undefined && pkg.prices[dayType] === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: `package "${pkg.name}" is not sold on a ${dayType}: season "${season.name}" cannot price it then`,
              path: ['seasons', i, 'packages', id, dayType],
            });
          }
        }
      }
      for (const name of Object.keys(season.bands)) {
        if (!plan.bands.some((b) => b.name === name)) {
          ctx.addIssue({
            code: 'custom',
            message: `season "${season.name}" names band "${name}", which the plan does not have`,
            path: ['seasons', i, 'bands', name],
          });
        }
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

/** A month-day as its day of a leap year, 0-365, so ranges compare as numbers. */
function dayOfYear(md: string): number {
  const [m, d] = md.split('-').map(Number) as [number, number];
  const before = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335][m - 1]!;
  return before + d - 1;
}

/** The days of the year a season covers, as closed intervals inside [0, 365]. */
function seasonIntervals(s: { from: string; to: string }): [number, number][] {
  const from = dayOfYear(s.from);
  const to = dayOfYear(s.to);
  return from <= to
    ? [[from, to]]
    : [
        [from, 365],
        [0, to],
      ];
}

function seasonsOverlap(a: Season, b: Season): boolean {
  return seasonIntervals(a).some(([a0, a1]) =>
    seasonIntervals(b).some(([b0, b1]) => a0 <= b1 && b0 <= a1),
  );
}

/** The season a store-local date falls in, if any. */
export function seasonOf(plan: { seasons?: Season[] | undefined }, date: string): Season | null {
  const day = dayOfYear(date.slice(5));
  return (
    (plan.seasons ?? []).find((s) =>
      seasonIntervals(s).some(([lo, hi]) => lo <= day && day <= hi),
    ) ?? null
  );
}
