import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DayType } from '../calendar/day-type';
import {
  instantAt,
  MINUTE,
  minutesOfTimeOfDay,
  nextLocalDate,
  type LocalDate,
} from '../time/instant';
import { BILLING_STEPS, PricePlanSchema, type DayTypeRates, type PricePlan } from './price-plan';
import { quoteSpan, type Quote, type QuoteContext } from './quote';

const SH = 'Asia/Shanghai';
const DAY_TYPES: DayType[] = ['workday', 'weekend', 'holiday'];

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const ratesArb = fc.record({
  workday: fc.nat(50_000),
  weekend: fc.nat(50_000),
  holiday: fc.nat(50_000),
});

// Non-overlapping bands: distinct sorted edges paired up, optionally shifted by one so the last
// band wraps past midnight.
const bandsArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 0, max: 1439 }), { maxLength: 8 }),
    fc.boolean(),
    fc.array(ratesArb, { minLength: 4, maxLength: 4 }),
  )
  .map(([edges, wrap, rates]) => {
    const sorted = [...edges].sort((a, b) => a - b);
    if (sorted.length % 2 === 1) sorted.pop();
    const ordered = wrap && sorted.length > 0 ? [...sorted.slice(1), sorted[0]!] : sorted;
    const bands = [];
    for (let i = 0; i + 1 < ordered.length; i += 2) {
      bands.push({
        name: `Band ${i / 2}`,
        from: hhmm(ordered[i]!),
        to: hhmm(ordered[i + 1]!),
        rates: rates[i / 2]!,
      });
    }
    return bands;
  });

const planArb: fc.Arbitrary<PricePlan> = fc
  .record({ rates: ratesArb, bands: bandsArb, stepMinutes: fc.constantFrom(...BILLING_STEPS) })
  .map((input) => PricePlanSchema.parse(input));

const contextArb: fc.Arbitrary<QuoteContext> = fc
  .array(fc.constantFrom(...DAY_TYPES), { minLength: 7, maxLength: 7 })
  .map((byWeekday) => ({
    timeZone: SH,
    // A made-up calendar keeps the properties independent of the official one.
    dayType: (date: LocalDate) => byWeekday[new Date(`${date}T00:00:00Z`).getUTCDay()]!,
  }));

const DAY = 24 * 60 * MINUTE;
const BASE = Date.parse('2026-01-01T00:00:00+08:00');

// An instant on a store day, often within a couple of minutes of midnight or a band edge, where
// pieces get short. Without `seconds` it falls on a whole minute.
const instantArb = (plan: PricePlan, day: number, seconds: boolean) => {
  const edges = [0, ...plan.bands.flatMap((b) => [b.from, b.to].map(minutesOfTimeOfDay))];
  return fc
    .record({
      minute: fc.oneof(
        fc.integer({ min: 0, max: 1439 }),
        fc
          .tuple(fc.constantFrom(...edges), fc.integer({ min: -2, max: 2 }))
          .map(([edge, near]) => edge + near),
      ),
      ms: seconds ? fc.integer({ min: 0, max: MINUTE - 1 }) : fc.constant(0),
    })
    .map(({ minute, ms }) => BASE + day * DAY + minute * MINUTE + ms);
};

interface Scenario {
  plan: PricePlan;
  span: { start: number; end: number };
  ctx: QuoteContext;
}

// Spans of up to about three days.
const scenarioArb = (seconds: boolean): fc.Arbitrary<Scenario> =>
  fc
    .tuple(planArb, fc.integer({ min: 1, max: 360 }), fc.integer({ min: 0, max: 3 }))
    .chain(([plan, day, days]) =>
      fc.record({
        plan: fc.constant(plan),
        span: fc
          .tuple(instantArb(plan, day, seconds), instantArb(plan, day + days, seconds))
          .map(([start, end]) => ({ start, end: end > start ? end : start + MINUTE })),
        ctx: contextArb,
      }),
    );

function billedMinutes(plan: PricePlan, span: { start: number; end: number }): number {
  return Math.ceil((span.end - span.start) / (plan.stepMinutes * MINUTE)) * plan.stepMinutes;
}

function checkShape(plan: PricePlan, span: { start: number; end: number }, q: Quote): void {
  expect(q.total).toBe(q.lines.reduce((sum, l) => sum + l.amount, 0));
  const billed = billedMinutes(plan, span);
  expect(q.minutes).toBe(billed);
  expect(q.lines.reduce((sum, l) => sum + l.minutes, 0)).toBe(billed);
  expect(billed * MINUTE).toBeGreaterThanOrEqual(span.end - span.start);
  expect(billed * MINUTE).toBeLessThan(span.end - span.start + plan.stepMinutes * MINUTE);

  expect(q.lines[0]?.start).toBe(span.start);
  expect(q.lines.at(-1)?.end).toBe(span.end);
  q.lines.forEach((line, i) => {
    expect(line.start).toBeLessThan(line.end);
    expect(line.minutes).toBeGreaterThan(0);
    expect(Number.isInteger(line.amount)).toBe(true);
    if (i > 0) expect(line.start).toBe(q.lines[i - 1]!.end);
    // A line keeps to its own date, but for a piece under a minute folded in from a neighbour.
    expect(line.start).toBeGreaterThan(instantAt(line.date, 0, SH) - MINUTE);
    expect(line.end).toBeLessThan(instantAt(nextLocalDate(line.date), 0, SH) + MINUTE);
  });
}

describe('quoteSpan properties', () => {
  it('lines are contiguous, ordered and add up to the billed minutes and the total', () => {
    fc.assert(
      fc.property(scenarioArb(true), ({ plan, span, ctx }) => {
        checkShape(plan, span, quoteSpan(plan, span, ctx));
      }),
      { numRuns: 300 },
    );
  });

  it('splitting a span at a step boundary changes the total by rounding only', () => {
    fc.assert(
      fc.property(
        scenarioArb(false),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ plan, span, ctx }, at) => {
          const step = plan.stepMinutes * MINUTE;
          const steps = Math.max(2, Math.ceil((span.end - span.start) / step));
          const whole = { start: span.start, end: span.start + steps * step };
          const k = whole.start + (1 + Math.floor(at * (steps - 1) * 0.999999)) * step;
          const q = quoteSpan(plan, whole, ctx);
          const left = quoteSpan(plan, { start: whole.start, end: k }, ctx);
          const right = quoteSpan(plan, { start: k, end: whole.end }, ctx);
          expect(Math.abs(q.total - (left.total + right.total))).toBeLessThanOrEqual(
            q.lines.length,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('raising every rate never lowers the total', () => {
    const bumpArb = fc.record({
      workday: fc.nat(10_000),
      weekend: fc.nat(10_000),
      holiday: fc.nat(10_000),
    });
    const bump = (r: DayTypeRates, b: DayTypeRates): DayTypeRates => ({
      workday: r.workday + b.workday,
      weekend: r.weekend + b.weekend,
      holiday: r.holiday + b.holiday,
    });
    fc.assert(
      fc.property(
        scenarioArb(true),
        fc.array(bumpArb, { minLength: 5, maxLength: 5 }),
        ({ plan, span, ctx }, bumps) => {
          const higher: PricePlan = {
            ...plan,
            rates: bump(plan.rates, bumps[0]!),
            bands: plan.bands.map((b, i) => ({ ...b, rates: bump(b.rates, bumps[i + 1]!) })),
          };
          expect(quoteSpan(higher, span, ctx).total).toBeGreaterThanOrEqual(
            quoteSpan(plan, span, ctx).total,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
