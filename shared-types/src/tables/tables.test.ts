// The rules of shared tables both the hub and the cloud apply: the split into shares and the
// owner's game hours, overnight ones too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTableTimes, DEFAULT_TABLE_SETTINGS, splitShares, withinTableHours } from './tables';

const at = (s: string) => Date.parse(s);
const TZ = 'Asia/Shanghai';

describe('splitShares', () => {
  it('adds up to the price exactly, the odd fen to the starter', () => {
    expect(splitShares(7600, 4)).toEqual({ share: 1900, starterShare: 1900 });
    expect(splitShares(10001, 4)).toEqual({ share: 2500, starterShare: 2501 });
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 10_000_000 }),
        fc.integer({ min: 2, max: 8 }),
        (t, n) => {
          const { share, starterShare } = splitShares(t, n);
          expect(starterShare + share * (n - 1)).toBe(t);
          expect(starterShare - share).toBeGreaterThanOrEqual(0);
          expect(starterShare - share).toBeLessThan(n);
        },
      ),
    );
  });

  it('refuses a price too small to split', () => {
    expect(() => splitShares(3, 4)).toThrow(/cannot be split/);
  });
});

describe('the game hours', () => {
  it('take a game inside them, overnight hours too, and refuse one that runs past', () => {
    const night = { from: '20:00', to: '02:00' };
    expect(
      withinTableHours(night, at('2026-11-23T22:00:00+08:00'), at('2026-11-24T01:00:00+08:00'), TZ),
    ).toBe(true);
    expect(
      withinTableHours(night, at('2026-11-23T23:00:00+08:00'), at('2026-11-24T03:00:00+08:00'), TZ),
    ).toBe(false);
    expect(
      withinTableHours(night, at('2026-11-23T14:00:00+08:00'), at('2026-11-23T16:00:00+08:00'), TZ),
    ).toBe(false);
    expect(
      withinTableHours(
        { from: '10:00', to: '24:00' },
        at('2026-11-23T22:00:00+08:00'),
        at('2026-11-24T00:00:00+08:00'),
        TZ,
      ),
    ).toBe(true);
    expect(withinTableHours(null, 0, 1, TZ)).toBe(true);
  });

  it('say which rule a new table breaks', () => {
    const base = {
      settings: DEFAULT_TABLE_SETTINGS,
      start: at('2026-11-23T14:00:00+08:00'),
      end: at('2026-11-23T16:00:00+08:00'),
      now: at('2026-11-23T10:00:00+08:00'),
      timeZone: TZ,
    };
    expect(() =>
      checkTableTimes({ ...base, deadline: at('2026-11-23T13:00:00+08:00') }),
    ).not.toThrow();
    expect(() => checkTableTimes({ ...base, deadline: base.now })).toThrow(/in the future/);
    expect(() => checkTableTimes({ ...base, deadline: at('2026-11-23T15:00:00+08:00') })).toThrow(
      /no later than the start/,
    );
    expect(() =>
      checkTableTimes({
        ...base,
        settings: { ...DEFAULT_TABLE_SETTINGS, enabled: false },
        deadline: base.start,
      }),
    ).toThrow(/does not take tables/);
  });
});
