// The merchant rating's rule: reviews, less what complaints, disputes, upheld complaints and
// suspensions and warnings cost; the worked examples a merchant admin would check by hand, and properties over
// random merchants (a score stays within 1-5, a complaint found not upheld costs nothing, another
// complaint never raises a score).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MERCHANT_RATING_RULE, merchantRating, type RatedComplaint } from './platform-merchants';

const open: RatedComplaint = {};
const disputed: RatedComplaint = { joinedAt: '2026-12-05T10:00:00Z' };
const closed = (outcome: 'upheld' | 'not_upheld' | 'settled', joined = true): RatedComplaint => ({
  ...(joined ? disputed : {}),
  closed: { outcome },
});

describe('the merchant rating', () => {
  it('is the same from the reviews’ scores one by one and from their tally (sum and count)', () => {
    const score = fc.integer({ min: 10, max: 50 }).map((n) => n / 10);
    fc.assert(
      fc.property(
        fc.array(score, { maxLength: 40 }),
        fc.nat(3),
        fc.nat(2),
        (scores, suspensions, warnings) => {
          const tally = { sum: scores.reduce((a, b) => a + b, 0), count: scores.length };
          expect(merchantRating(tally, [closed('upheld')], suspensions, warnings)).toEqual(
            merchantRating(scores, [closed('upheld')], suspensions, warnings),
          );
        },
      ),
    );
    expect(merchantRating({ sum: 9, count: 2 }, [], 0)).toMatchObject({
      reviews: 2,
      reviewAverage: 4.5,
    });
    expect(merchantRating({ sum: 0, count: 0 }, [], 0)).toMatchObject({
      reviews: 0,
      reviewAverage: null,
      score: null,
    });
  });

  it('takes what the rule says off the average of the reviews', () => {
    expect(MERCHANT_RATING_RULE).toEqual({
      complaint: 0.1,
      dispute: 0.2,
      upheld: 0.2,
      suspension: 0.5,
      warning: 0.2,
    });
    // 4.5 on average; one complaint settled between the two sides (0.1), one dispute the
    // platform settled (0.1 + 0.2), one it upheld (0.1 + 0.2 + 0.2), one it did not uphold (0).
    const r = merchantRating(
      [5, 4],
      [closed('settled', false), closed('settled'), closed('upheld'), closed('not_upheld')],
      0,
    );
    expect(r).toEqual({
      reviews: 2,
      reviewAverage: 4.5,
      complaints: 3,
      disputes: 2,
      upheld: 1,
      suspensions: 0,
      warnings: 0,
      score: 3.6,
    });
    // A warning costs 0.2, as much as a dispute; two cost 0.4.
    expect(merchantRating([4], [], 0, 1).score).toBe(3.8);
    expect(merchantRating([4], [], 0, 2)).toMatchObject({ warnings: 2, score: 3.6 });
    // An upheld dispute costs as much as a suspension.
    expect(merchantRating([4], [closed('upheld')], 0).score).toBe(3.5);
    expect(merchantRating([4], [], 1).score).toBe(3.5);
    // An open complaint counts at once; no review, no score; never below one star.
    expect(merchantRating([4], [open], 0).score).toBe(3.9);
    expect(merchantRating([], [open], 0).score).toBeNull();
    expect(merchantRating([2], [], 4).score).toBe(1);
  });

  it('stays within 1-5, ignores complaints not upheld, and never rises with another complaint', () => {
    const complaint = fc.oneof(
      fc.constant(open),
      fc.constant(disputed),
      fc
        .constantFrom('upheld', 'not_upheld', 'settled')
        .chain((o) => fc.boolean().map((j) => closed(o as 'upheld' | 'not_upheld' | 'settled', j))),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 10, max: 50 }).map((n) => n / 10),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(complaint, { maxLength: 20 }),
        fc.nat({ max: 6 }),
        complaint,
        (reviews, complaints, suspensions, another) => {
          const before = merchantRating(reviews, complaints, suspensions);
          expect(before.score).not.toBeNull();
          expect(before.score!).toBeGreaterThanOrEqual(1);
          expect(before.score!).toBeLessThanOrEqual(5);
          const after = merchantRating(reviews, [...complaints, another], suspensions);
          expect(after.score!).toBeLessThanOrEqual(before.score!);
          if (another.closed?.outcome === 'not_upheld') expect(after).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
