// A room's price plan as the owner's form holds it (yuan, with two decimals) and back as the hub
// takes it (integer fen). Pure, so the round trip is tested without a browser.
import type { DayTypeRates, PricePlan, PricePlanInput } from '@roomhub/shared-types';

export interface RatesForm {
  workday: number;
  weekend: number;
  holiday: number;
}

export interface PlanForm {
  rates: RatesForm;
  stepMinutes: PricePlan['stepMinutes'];
  bands: { name: string; from: string; to: string; rates: RatesForm }[];
  packages: {
    id: string;
    name: string;
    start: string;
    minutes: number;
    prices: { workday?: number | null; weekend?: number | null; holiday?: number | null };
  }[];
  seasons: { name: string; from: string; to: string; rates: RatesForm }[];
}

const toYuan = (fen: number) => fen / 100;
const toFen = (yuan: number) => Math.round(yuan * 100);
const ratesToForm = (r: DayTypeRates): RatesForm => ({
  workday: toYuan(r.workday),
  weekend: toYuan(r.weekend),
  holiday: toYuan(r.holiday),
});
const ratesOfForm = (r: RatesForm): DayTypeRates => ({
  workday: toFen(r.workday),
  weekend: toFen(r.weekend),
  holiday: toFen(r.holiday),
});

export function planToForm(plan: PricePlan): PlanForm {
  return {
    rates: ratesToForm(plan.rates),
    stepMinutes: plan.stepMinutes,
    bands: plan.bands.map((b) => ({ ...b, rates: ratesToForm(b.rates) })),
    packages: plan.packages.map((p) => ({
      ...p,
      prices: {
        workday: p.prices.workday === undefined ? null : toYuan(p.prices.workday),
        weekend: p.prices.weekend === undefined ? null : toYuan(p.prices.weekend),
        holiday: p.prices.holiday === undefined ? null : toYuan(p.prices.holiday),
      },
    })),
    seasons: (plan.seasons ?? []).map((s) => ({
      name: s.name,
      from: s.from,
      to: s.to,
      rates: ratesToForm(s.rates),
    })),
  };
}

/**
 * The plan the form makes, for PATCH /api/rooms/:id. A season keeps the band and package prices
 * it had (the form edits its days and base rates only); a package price left empty is not sold
 * on that day type.
 */
export function planOfForm(form: PlanForm, before: PricePlan): PricePlanInput {
  const seasonsBefore = new Map((before.seasons ?? []).map((s) => [s.name, s]));
  const price = (y: number | null | undefined) =>
    y === null || y === undefined ? undefined : toFen(y);
  return {
    rates: ratesOfForm(form.rates),
    stepMinutes: form.stepMinutes,
    bands: (form.bands ?? []).map((b) => ({ ...b, rates: ratesOfForm(b.rates) })),
    packages: (form.packages ?? []).map((p) => {
      const prices: { workday?: number; weekend?: number; holiday?: number } = {};
      for (const d of ['workday', 'weekend', 'holiday'] as const) {
        const f = price(p.prices[d]);
        if (f !== undefined) prices[d] = f;
      }
      return { id: p.id, name: p.name, start: p.start, minutes: p.minutes, prices };
    }),
    seasons: (form.seasons ?? []).map((s) => {
      const old = seasonsBefore.get(s.name);
      return {
        name: s.name,
        from: s.from,
        to: s.to,
        rates: ratesOfForm(s.rates),
        bands: old?.bands ?? {},
        packages: old?.packages ?? {},
      };
    }),
  };
}
