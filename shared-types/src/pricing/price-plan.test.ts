import { describe, expect, it } from 'vitest';
import { PriceBandSchema, PricePlanSchema } from './price-plan';

const rates = { workday: 6000, weekend: 8000, holiday: 10000 };
const band = (name: string, from: string, to: string) => ({ name, from, to, rates });
const pkg = (id: string) => ({
  id,
  name: 'Afternoon',
  start: '13:00',
  minutes: 240,
  prices: { weekend: 26800 },
});

describe('price plan schema', () => {
  it('applies the defaults', () => {
    expect(PricePlanSchema.parse({ rates })).toEqual({
      rates,
      bands: [],
      packages: [],
      stepMinutes: 15,
    });
  });

  it('accepts bands that cross midnight or run to 24:00', () => {
    const plan = { rates, bands: [band('Night', '22:00', '08:00'), band('Day', '08:00', '22:00')] };
    expect(PricePlanSchema.safeParse(plan).success).toBe(true);
    expect(PriceBandSchema.safeParse(band('Late', '20:00', '24:00')).success).toBe(true);
  });

  it('rejects a band that starts and ends at the same time', () => {
    const r = PriceBandSchema.safeParse(band('Odd', '10:00', '10:00'));
    expect(r.error?.issues[0]?.message).toMatch(/different times/);
  });

  it('names overlapping bands', () => {
    const r = PricePlanSchema.safeParse({
      rates,
      bands: [band('Night', '22:00', '08:00'), band('Early', '07:00', '09:00')],
    });
    expect(r.error?.issues[0]).toMatchObject({ path: ['bands', 1] });
    expect(r.error?.issues[0]?.message).toMatch(/"Early".*"Night"/);
  });

  it('rejects duplicate package ids, a step not in the list and a package sold on no day', () => {
    expect(PricePlanSchema.safeParse({ rates, packages: [pkg('a'), pkg('a')] }).success).toBe(
      false,
    );
    expect(PricePlanSchema.safeParse({ rates, stepMinutes: 7 }).success).toBe(false);
    const unsold = { ...pkg('a'), prices: {} };
    expect(PricePlanSchema.safeParse({ rates, packages: [unsold] }).success).toBe(false);
  });

  it('rejects fractional or negative fen', () => {
    expect(PricePlanSchema.safeParse({ rates: { ...rates, workday: 60.5 } }).success).toBe(false);
    expect(PricePlanSchema.safeParse({ rates: { ...rates, holiday: -1 } }).success).toBe(false);
  });

  it('lets a season price only packages the plan has, on day types they are sold on', () => {
    const season = (packages: Record<string, Record<string, number>>) => ({
      rates,
      packages: [pkg('afternoon')],
      seasons: [{ name: '暑期', from: '07-01', to: '08-31', rates, packages }],
    });
    expect(PricePlanSchema.safeParse(season({ afternoon: { weekend: 19800 } })).success).toBe(true);
    const unknown = PricePlanSchema.safeParse(season({ evening: { weekend: 19800 } }));
    expect(unknown.error?.issues[0]).toMatchObject({
      path: ['seasons', 0, 'packages', 'evening'],
    });
    const unsold = PricePlanSchema.safeParse(season({ afternoon: { workday: 19800 } }));
    expect(unsold.error?.issues[0]).toMatchObject({
      path: ['seasons', 0, 'packages', 'afternoon', 'workday'],
    });
    expect(unsold.error?.issues[0]?.message).toContain('not sold on a workday');
  });
});
