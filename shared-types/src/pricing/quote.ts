// Price quotes for room time and packages under a price plan, shared by hub and cloud so both
// charge the same fen. Pure and deterministic: never reads the clock, never rounds a total apart
// from its lines.
import { z } from 'zod';
import type { DayType } from '../calendar/day-type';
import {
  instantAt,
  localDateOf,
  MINUTE,
  minutesOfTimeOfDay,
  nextLocalDate,
  type LocalDate,
} from '../time/instant';
import { bandIntervals, seasonOf, type PriceBand, type PricePlan, type Season } from './price-plan';

/**
 * What a line of a bill is for. A quote makes `time` and `package` lines; the hub adds `extension`,
 * `overtime` and the fee for a change (`change_fee`); items, discounts and vouchers come with their
 * domains. The bill's own lines (discounts.ts): `season` (what a season's rates add or take off the
 * base rates), then each discount, negative: `deal`, `promotion`, `member`, `coupon`, `points`.
 */
export const FeeLineKindSchema = z.enum([
  'time',
  'package',
  'extension',
  'overtime',
  'change_fee',
  'item',
  'discount',
  'voucher',
  'season',
  'promotion',
  'member',
  'coupon',
  'deal',
  'points',
]);
export type FeeLineKind = z.infer<typeof FeeLineKindSchema>;

/** One priced stretch of a quote. */
export interface FeeLine {
  kind: Exclude<FeeLineKind, 'discount' | 'voucher'>;
  /** Short human summary, e.g. `workday · Night · 120 min`. */
  label: string;
  /** The store-local date whose day type priced this line. */
  date: LocalDate;
  dayType: DayType;
  /** The band's name, or null for the base rate. */
  band: string | null;
  /** Instants (epoch ms) covered; lines of a quote are contiguous from its start to its end. */
  start: number;
  end: number;
  /** Billed minutes; the last line also carries the round-up to the billing step. */
  minutes: number;
  /** Fen per hour for a time line, the package price for a package line. */
  rate: number;
  /** Integer fen; negative for a discount. */
  amount: number;
  /** A time line on a season's day: the season's name, and what the line costs at base rates. */
  season?: string;
  base?: number;
  /** A discount line: what gave it (a promotion, coupon or deal id, the member's level). */
  ref?: string;
  /** An item line: the menu item it gives (a bundle's tea set). */
  itemId?: string;
}

export interface Quote {
  start: number;
  end: number;
  /** Billed minutes: the sum of the lines' minutes. */
  minutes: number;
  lines: FeeLine[];
  /** Exactly the sum of the lines' amounts. */
  total: number;
}

export interface QuoteContext {
  /** The store's IANA time zone, e.g. Asia/Shanghai. */
  timeZone: string;
  dayType: (date: LocalDate) => DayType;
}

export type PricingErrorCode =
  'invalid_span' | 'unknown_package' | 'package_unavailable' | 'package_start_mismatch';

/** A request that cannot be priced; `field` names the offending input for the API error shape. */
export class PricingError extends Error {
  override readonly name = 'PricingError';
  readonly code: PricingErrorCode;
  readonly field: string;

  constructor(code: PricingErrorCode, field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

interface Piece {
  date: LocalDate;
  dayType: DayType;
  band: PriceBand | null;
  season: Season | null;
  rate: number;
  /** The rate without the season. */
  baseRate: number;
  start: number;
  end: number;
  minutes: number;
}

/**
 * Prices [start, end) by the hour: cut at local midnights and band edges, each piece at its
 * date's day-type rate, the whole rounded up to the plan's billing step.
 */
/** The longest span a quote prices. */
export const MAX_SPAN_DAYS = 31;

export function quoteSpan(
  plan: PricePlan,
  span: { start: number; end: number },
  ctx: QuoteContext,
): Quote {
  const { start, end } = span;
  if (!Number.isSafeInteger(start)) {
    throw new PricingError('invalid_span', 'start', 'start must be an instant in epoch ms');
  }
  if (!Number.isSafeInteger(end)) {
    throw new PricingError('invalid_span', 'end', 'end must be an instant in epoch ms');
  }
  if (end <= start) throw new PricingError('invalid_span', 'end', 'end must be after start');
  if (end - start > MAX_SPAN_DAYS * 24 * 60 * MINUTE) {
    // No room is rented for longer; the bound also keeps a quote's work small whatever it is asked.
    throw new PricingError('invalid_span', 'end', `a span lasts at most ${MAX_SPAN_DAYS} days`);
  }

  const billed = Math.ceil((end - start) / (plan.stepMinutes * MINUTE)) * plan.stepMinutes;
  const pieces = cutSpan(plan, start, end, ctx);

  // Minutes come from rounded offsets since the start, not per piece, so they always add up to
  // the billed minutes however the span's seconds fall.
  let mark = 0;
  pieces.forEach((piece, i) => {
    const next = i === pieces.length - 1 ? billed : Math.round((piece.end - start) / MINUTE);
    piece.minutes = next - mark;
    mark = next;
  });

  const lines = mergePieces(foldEmptyPieces(pieces)).map((p): FeeLine => {
    const line: FeeLine = {
      kind: 'time',
      label: `${p.dayType} · ${p.band?.name ?? 'base rate'}${p.season ? ` · ${p.season.name}` : ''} · ${p.minutes} min`,
      date: p.date,
      dayType: p.dayType,
      band: p.band?.name ?? null,
      start: p.start,
      end: p.end,
      minutes: p.minutes,
      rate: p.rate,
      amount: Math.round((p.rate * p.minutes) / 60),
    };
    if (p.season) {
      line.season = p.season.name;
      line.base = Math.round((p.baseRate * p.minutes) / 60);
    }
    return line;
  });
  return {
    start,
    end,
    minutes: billed,
    lines,
    total: lines.reduce((sum, line) => sum + line.amount, 0),
  };
}

/**
 * Prices a package starting at `start`, which must be the package's local start time on some
 * date; that date's day type picks the price.
 */
export function quotePackage(
  plan: PricePlan,
  packageId: string,
  start: number,
  ctx: QuoteContext,
): Quote {
  const pkg = plan.packages.find((p) => p.id === packageId);
  if (!pkg) {
    throw new PricingError('unknown_package', 'packageId', `no package "${packageId}" in the plan`);
  }
  const date = localDateOf(start, ctx.timeZone);
  if (instantAt(date, minutesOfTimeOfDay(pkg.start), ctx.timeZone) !== start) {
    throw new PricingError(
      'package_start_mismatch',
      'start',
      `package "${pkg.name}" starts at ${pkg.start} store time`,
    );
  }
  const dayType = ctx.dayType(date);
  const price = pkg.prices[dayType];
  if (price === undefined) {
    throw new PricingError(
      'package_unavailable',
      'packageId',
      `package "${pkg.name}" is not sold on a ${dayType}`,
    );
  }
  const end = start + pkg.minutes * MINUTE;
  // The day the package starts decides its season, as it decides its day type.
  const season = seasonOf(plan, date);
  const seasonPrice = season?.packages?.[pkg.id]?.[dayType];
  const line: FeeLine = {
    kind: 'package',
    label: `${pkg.name} · ${dayType}${seasonPrice !== undefined ? ` · ${season!.name}` : ''} · ${pkg.minutes} min`,
    date,
    dayType,
    band: null,
    start,
    end,
    minutes: pkg.minutes,
    rate: seasonPrice ?? price,
    amount: seasonPrice ?? price,
  };
  if (seasonPrice !== undefined) {
    line.season = season!.name;
    line.base = price;
  }
  return { start, end, minutes: pkg.minutes, lines: [line], total: line.amount };
}

function cutSpan(plan: PricePlan, start: number, end: number, ctx: QuoteContext): Piece[] {
  const bands = plan.bands.map((band) => ({ band, intervals: bandIntervals(band) }));
  const edges = [...new Set([0, 1440, ...bands.flatMap((b) => b.intervals.flat())])].sort(
    (a, b) => a - b,
  );
  const bandFrom = (minute: number): PriceBand | null =>
    bands.find((b) => b.intervals.some(([lo, hi]) => lo <= minute && minute < hi))?.band ?? null;
  const pieces: Piece[] = [];
  let cursor = start;
  let date = localDateOf(start, ctx.timeZone);
  while (cursor < end) {
    const dayType = ctx.dayType(date);
    const season = seasonOf(plan, date);
    const nextDate = nextLocalDate(date);
    for (let i = 0; i + 1 < edges.length && cursor < end; i++) {
      const from = edges[i]!;
      const to = edges[i + 1]!;
      // The next date's midnight, not 24:00 of this one, so days of 23 or 25 hours still meet.
      const edge =
        to === 1440 ? instantAt(nextDate, 0, ctx.timeZone) : instantAt(date, to, ctx.timeZone);
      const pieceEnd = Math.min(edge, end);
      if (pieceEnd <= cursor) continue;
      const band = bandFrom(from);
      const baseRate = (band?.rates ?? plan.rates)[dayType];
      const own = band ? season?.bands[band.name] : season?.rates;
      // A band the season leaves out keeps its own rates: no season on that line.
      const rates = own ?? null;
      pieces.push({
        date,
        dayType,
        band,
        season: rates ? season : null,
        baseRate,
        rate: rates ? rates[dayType] : baseRate,
        start: cursor,
        end: pieceEnd,
        minutes: 0,
      });
      cursor = pieceEnd;
    }
    date = nextDate;
  }
  return pieces;
}

// A piece under a minute can round to no minutes; it joins its neighbour rather than show as
// an empty line, so lines still cover the span without gaps.
function foldEmptyPieces(pieces: Piece[]): Piece[] {
  const kept: Piece[] = [];
  let carriedStart: number | null = null;
  for (const piece of pieces) {
    const last = kept.at(-1);
    if (piece.minutes > 0) {
      kept.push(carriedStart === null ? piece : { ...piece, start: carriedStart });
      carriedStart = null;
    } else if (last) {
      last.end = piece.end;
    } else {
      carriedStart ??= piece.start;
    }
  }
  return kept;
}

function mergePieces(pieces: Piece[]): Piece[] {
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (
      last &&
      last.date === piece.date &&
      last.band === piece.band &&
      last.rate === piece.rate &&
      last.baseRate === piece.baseRate
    ) {
      last.end = piece.end;
      last.minutes += piece.minutes;
    } else {
      merged.push({ ...piece });
    }
  }
  return merged;
}
