import { describe, expect, it } from 'vitest';
import { describeDelay, retryDelay } from './retry-delay';

describe('retryDelay', () => {
  it('doubles per failure from the first wait and stops at the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      retryDelay(n, { initialMs: 500, maxMs: 30_000 }),
    );
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(retryDelay(1000)).toBe(30_000);
  });

  it('reads well in a status line', () => {
    expect([250, 1000, 1500, 30_000].map(describeDelay)).toEqual([
      '250 ms',
      '1 s',
      '1.5 s',
      '30 s',
    ]);
  });
});
