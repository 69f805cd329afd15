import { describe, expect, it } from 'vitest';
import { PricePlanSchema } from '@roomhub/shared-types';
import { planOfForm, planToForm } from './plan-form';

const plan = PricePlanSchema.parse({
  rates: { workday: 6800, weekend: 8800, holiday: 9800 },
  bands: [
    {
      name: '夜场',
      from: '22:00',
      to: '08:00',
      rates: { workday: 3850, weekend: 4800, holiday: 5000 },
    },
  ],
  packages: [
    {
      id: 'night',
      name: '通宵',
      start: '22:00',
      minutes: 600,
      prices: { workday: 19900, weekend: 25900 },
    },
  ],
  seasons: [
    {
      name: '暑期',
      from: '07-01',
      to: '08-31',
      rates: { workday: 7800, weekend: 9800, holiday: 9800 },
      packages: { night: { workday: 21900 } },
    },
  ],
  stepMinutes: 30,
});

describe('a price plan in the owner’s form', () => {
  it('reads in yuan and goes back to the same fen', () => {
    const form = planToForm(plan);
    expect(form.rates.workday).toBe(68);
    expect(form.bands[0]!.rates.workday).toBe(38.5);
    expect(form.packages[0]!.prices.holiday).toBeNull();
    expect(PricePlanSchema.parse(planOfForm(form, plan))).toEqual(plan);
  });

  it('saves a changed rate in fen, the package left unsold where its price is empty', () => {
    const form = planToForm(plan);
    form.rates.workday = 72.5;
    form.packages[0]!.prices.weekend = null;
    const out = PricePlanSchema.parse(planOfForm(form, plan));
    expect(out.rates.workday).toBe(7250);
    expect(out.packages[0]!.prices).toEqual({ workday: 19900 });
    // The season's package price stays as it was: the form edits its days and base rates only.
    expect(out.seasons![0]!.packages).toEqual({ night: { workday: 21900 } });
  });
});
