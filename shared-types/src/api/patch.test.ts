import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BookingRulesSchema, DEFAULT_BOOKING_RULES } from '../booking/booking-rules';
import { DomainError } from '../errors';
import { applyPatch, deepPatchOf, mergePatch, patchOf } from './patch';
import { RoomPatchSchema, StorePatchSchema } from './store';

describe('a patch', () => {
  it('fills in no default: a field left out is left alone', () => {
    expect(deepPatchOf(BookingRulesSchema).parse({ holds: { perPhone: 1 } })).toEqual({
      holds: { perPhone: 1 },
    });
    expect(RoomPatchSchema.parse({ pricePlan: { stepMinutes: 30 } })).toEqual({
      pricePlan: { stepMinutes: 30 },
    });
    expect(StorePatchSchema.parse({ rules: { session: { maxWrongCodes: 7 } } })).toEqual({
      rules: { session: { maxWrongCodes: 7 } },
    });
  });

  it('merges objects field by field at every depth; lists, values and null replace', () => {
    const current = { a: 1, list: [1, 2], inner: { x: 1, y: { p: 1, q: 2 } }, maybe: 'set' };
    expect(mergePatch(current, { list: [3], inner: { y: { q: 5 } }, maybe: null })).toEqual({
      a: 1,
      list: [3],
      inner: { x: 1, y: { p: 1, q: 5 } },
      maybe: null,
    });
    expect(current.inner.y.q).toBe(2);
  });

  it('works for fields the schema gains later, nested ones included', () => {
    const Later = BookingRulesSchema.extend({
      reviews: z
        .object({ ask: z.boolean(), afterMinutes: z.number().int().min(0) })
        .default({ ask: true, afterMinutes: 30 }),
    });
    const current = Later.parse(DEFAULT_BOOKING_RULES);
    const patch = deepPatchOf(Later).parse({ reviews: { afterMinutes: 60 } });
    expect(applyPatch(Later, current, patch, 'rules')).toEqual({
      ...current,
      reviews: { ask: true, afterMinutes: 60 },
    });
  });

  it('is checked whole once merged, naming the field that breaks a rule', () => {
    const patch = deepPatchOf(BookingRulesSchema).parse({ maxMinutes: 30 });
    let thrown: unknown;
    try {
      applyPatch(BookingRulesSchema, DEFAULT_BOOKING_RULES, patch, 'rules');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'bad_input', field: 'rules.maxMinutes' });
  });

  it('sends a field whole when only the top level merges', () => {
    const Plan = z.object({ rates: z.object({ a: z.number(), b: z.number() }), n: z.number() });
    expect(patchOf(Plan).safeParse({ rates: { a: 1 } }).success).toBe(false);
    expect(patchOf(Plan).parse({ rates: { a: 1, b: 2 } })).toEqual({ rates: { a: 1, b: 2 } });
  });
});
