import { describe, expect, it } from 'vitest';
import {
  BookingRulesSchema,
  cancellationFee,
  ConsistentBookingRulesSchema,
  DEFAULT_BOOKING_RULES,
} from './booking-rules';
import { HOUR, MINUTE } from '../time/instant';

const start = Date.parse('2026-11-23T14:00:00+08:00');

describe('cancellation fee', () => {
  it('is free two hours or more before the start', () => {
    expect(cancellationFee(DEFAULT_BOOKING_RULES, 12_800, start - 2 * HOUR, start)).toBe(0);
  });
  it('keeps 20% inside two hours, rounding in the customer’s favour', () => {
    expect(cancellationFee(DEFAULT_BOOKING_RULES, 12_805, start - 119 * MINUTE, start)).toBe(2561);
  });
  it('refuses a cancellation once the booking has started', () => {
    expect(cancellationFee(DEFAULT_BOOKING_RULES, 12_800, start, start)).toBeNull();
  });
});

describe('booking rules schema', () => {
  it('accepts the defaults', () => {
    expect(BookingRulesSchema.parse(DEFAULT_BOOKING_RULES)).toEqual(DEFAULT_BOOKING_RULES);
  });
  it('names the field when the maximum is below the minimum', () => {
    const r = BookingRulesSchema.safeParse({
      ...DEFAULT_BOOKING_RULES,
      minMinutes: 120,
      maxMinutes: 60,
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['maxMinutes']);
  });

  it('read stored rules that an owner could not save today, so an upgraded store still opens', () => {
    const stored = { ...DEFAULT_BOOKING_RULES, overtimeGraceMinutes: 120, minMinutes: 15 };
    expect(BookingRulesSchema.safeParse(stored).success).toBe(true);
    const saved = ConsistentBookingRulesSchema.safeParse(stored);
    expect(saved.success).toBe(false);
    expect(saved.error!.issues[0]!.path).toEqual(['session', 'overtimeCapMinutes']);
  });
});
