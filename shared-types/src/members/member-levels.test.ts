// The level rules: the highest level a figure reaches, and a level earned by the rule only ever
// going up, whatever the levels and figures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelReached, levelUp, ranked } from './member-levels';

const levels = [
  { id: 'gold', threshold: 50_000 },
  { id: 'bronze', threshold: 0 },
  { id: 'silver', threshold: 10_000 },
];

describe('member levels', () => {
  it('reach the highest level a figure passes, lowest first by threshold', () => {
    expect(ranked(levels).map((l) => l.id)).toEqual(['bronze', 'silver', 'gold']);
    expect(levelReached(levels, 9_999)?.id).toBe('bronze');
    expect(levelReached(levels, 10_000)?.id).toBe('silver');
    expect(levelReached([{ id: 'a', threshold: 1 }], 0)).toBeNull();
  });

  it('move a member only up by the rule', () => {
    expect(levelUp(levels, null, 0)?.id).toBe('bronze');
    expect(levelUp(levels, 'bronze', 60_000)?.id).toBe('gold');
    // Given gold by hand, a figure that reaches silver changes nothing.
    expect(levelUp(levels, 'gold', 20_000)).toBeNull();
    expect(levelUp(levels, 'silver', 10_000)).toBeNull();
  });

  it('never give a lower level than the one held, whatever the figures', () => {
    const order = ranked(levels).map((l) => l.id);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 30 }), (figures) => {
        let held: string | null = null;
        for (const f of figures) {
          const up: { id: string } | null = levelUp(levels, held, f);
          if (up) {
            expect(order.indexOf(up.id)).toBeGreaterThan(held === null ? -1 : order.indexOf(held));
            held = up.id;
          }
          // Held is at least what this figure reaches.
          const reached = levelReached(levels, f);
          if (reached)
            expect(order.indexOf(held!)).toBeGreaterThanOrEqual(order.indexOf(reached.id));
        }
      }),
    );
  });
});
