// The campaign form sends what the owner changed and nothing else: a term changed elsewhere
// meanwhile is not put back, and from afar an empty total keeps the store's.
import { describe, expect, it } from 'vitest';
import { changedTerms } from './EditCampaign';

const atStore = {
  name: '冬日领券',
  couponName: '立减10元',
  claimFrom: '2026-12-01',
  claimTo: '2026-12-31',
  totalLimit: 100,
};
const fromAfar = { couponName: '立减10元', claimFrom: '2026-12-01', claimTo: '2026-12-31' };

describe('a campaign form’s change', () => {
  it('is nothing when nothing was changed', () => {
    expect(
      changedTerms(atStore, { name: '冬日领券 ', claimTo: '2026-12-31', totalLimit: 100 }),
    ).toBe(null);
    expect(changedTerms(fromAfar, { claimTo: '2026-12-31', totalLimit: null })).toBe(null);
  });

  it('names only the terms changed; an emptied total is no limit at the store', () => {
    expect(
      changedTerms(atStore, { name: '冬日领券', claimTo: '2027-01-15', totalLimit: 100 }),
    ).toEqual({ claimTo: '2027-01-15' });
    expect(
      changedTerms(atStore, { name: '加量', claimTo: '2026-12-31', totalLimit: null }),
    ).toEqual({
      name: '加量',
      totalLimit: null,
    });
  });

  it('from afar, sends a total only when one is typed', () => {
    expect(changedTerms(fromAfar, { claimTo: '2026-12-31', totalLimit: 50 })).toEqual({
      totalLimit: 50,
    });
    expect(changedTerms(fromAfar, { claimTo: '2027-01-02' })).toEqual({ claimTo: '2027-01-02' });
    // No limit is asked for by its own box, whatever the number field holds.
    expect(
      changedTerms(fromAfar, { claimTo: '2026-12-31', totalLimit: 50, noLimit: true }),
    ).toEqual({ totalLimit: null });
  });
});
