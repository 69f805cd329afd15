// Booking rules (how far ahead, length, step, cleaning buffer, hold, cancellation and change
// fees), set per store with per-room overrides. Pure: the hub enforces, the cloud previews.
import { z } from 'zod';
import { MINUTE } from '../time/instant';

const minutes = (max: number) => z.number().int().min(0).max(max);

export const FeeTierSchema = z.object({
  /** The tier applies when at least this many minutes remain before the start. */
  minNoticeMinutes: minutes(60 * 24 * 30),
  /** Percentage of the paid amount kept as a fee. */
  feePercent: z.number().int().min(0).max(100),
});
export type FeeTier = z.infer<typeof FeeTierSchema>;

export const AcModeSchema = z.enum(['cool', 'heat', 'fan', 'dry', 'auto']);
export const AcFanSchema = z.enum(['auto', 'low', 'mid', 'high']);

/** How a session drives the room (O8): pre-cooling, switching off, reminders, door-code lockout. */
export const SessionRulesSchema = z.object({
  /** The AC comes on this long before the start, so the room is comfortable on arrival. */
  preconditionMinutes: minutes(120),
  /** Lights, sockets, fresh air and AC go off this long after the end. */
  offDelayMinutes: minutes(120),
  /** Reminders this many minutes before the end. */
  reminderMinutes: z.array(z.number().int().min(1).max(120)).max(5),
  ac: z.object({ mode: AcModeSchema, setpoint: z.number().min(16).max(30), fan: AcFanSchema }),
  /** Wrong door codes in a row before that keypad or scanner is locked out. */
  maxWrongCodes: z.number().int().min(1).max(20),
  lockoutMinutes: minutes(240).min(1),
});
export type SessionRules = z.infer<typeof SessionRulesSchema>;

export const DEFAULT_SESSION_RULES: SessionRules = {
  preconditionMinutes: 15,
  offDelayMinutes: 10,
  reminderMinutes: [15, 5],
  ac: { mode: 'auto', setpoint: 26, fan: 'auto' },
  maxWrongCodes: 5,
  lockoutMinutes: 10,
};

export const BookingRulesSchema = z
  .object({
    advanceDays: z.number().int().min(0).max(180),
    minMinutes: minutes(24 * 60).min(1),
    maxMinutes: minutes(7 * 24 * 60).min(1),
    /** Starts and ends fall on this grid of local time, e.g. every 30 minutes. */
    stepMinutes: z
      .number()
      .int()
      .refine((n) => [5, 10, 15, 20, 30, 60].includes(n), {
        message: 'must be one of 5, 10, 15, 20, 30, 60',
      }),
    bufferMinutes: minutes(240),
    holdMinutes: minutes(24 * 60).min(1),
    earlyEntryMinutes: minutes(120),
    overtimeGraceMinutes: minutes(120),
    /** Tiers by notice; the tier with the largest notice not exceeding the actual notice applies. */
    cancellation: z.array(FeeTierSchema).min(1),
    change: z.object({
      allowed: z.boolean(),
      minNoticeMinutes: minutes(60 * 24 * 30),
      maxChanges: z.number().int().min(0).max(10),
    }),
    session: SessionRulesSchema.default(DEFAULT_SESSION_RULES),
    /**
     * Unpaid holds at once: per phone number, and per kiosk. A hold keeps a room from everyone
     * else until it is paid or expires, so nobody may take a day's rooms by booking and not paying.
     */
    holds: z
      .object({
        perPhone: z.number().int().min(1).max(20),
        perKiosk: z.number().int().min(1).max(50),
      })
      .default({ perPhone: 2, perKiosk: 3 }),
  })
  .refine((r) => r.maxMinutes >= r.minMinutes, {
    message: 'maxMinutes must not be below minMinutes',
    path: ['maxMinutes'],
  });
export type BookingRules = z.infer<typeof BookingRulesSchema>;

/** What a room may override; anything absent comes from the store. */
export const BookingRulesOverrideSchema = z
  .object({
    advanceDays: z.number().int().min(0).max(180),
    minMinutes: minutes(24 * 60).min(1),
    maxMinutes: minutes(7 * 24 * 60).min(1),
    bufferMinutes: minutes(240),
  })
  .partial();
export type BookingRulesOverride = z.infer<typeof BookingRulesOverrideSchema>;

export const DEFAULT_BOOKING_RULES: BookingRules = {
  advanceDays: 7,
  minMinutes: 60,
  maxMinutes: 12 * 60,
  stepMinutes: 30,
  bufferMinutes: 15,
  holdMinutes: 15,
  earlyEntryMinutes: 10,
  overtimeGraceMinutes: 10,
  cancellation: [
    { minNoticeMinutes: 120, feePercent: 0 },
    { minNoticeMinutes: 0, feePercent: 20 },
  ],
  change: { allowed: true, minNoticeMinutes: 60, maxChanges: 2 },
  session: DEFAULT_SESSION_RULES,
  holds: { perPhone: 2, perKiosk: 3 },
};

export function effectiveRules(
  store: BookingRules,
  room: BookingRulesOverride | null,
): BookingRules {
  return { ...store, ...(room ?? {}) };
}

/**
 * The cancellation fee for a paid amount, given the time left before the start. Returns null when
 * the booking has started: it can no longer be cancelled, only refunded after review.
 */
export function cancellationFee(
  rules: BookingRules,
  paid: number,
  now: number,
  start: number,
): number | null {
  if (now >= start) return null;
  const notice = (start - now) / MINUTE;
  const tier = [...rules.cancellation]
    .sort((a, b) => b.minNoticeMinutes - a.minNoticeMinutes)
    .find((t) => notice >= t.minNoticeMinutes);
  const percent = tier?.feePercent ?? 100;
  // Round the fee down: the customer gets the odd fen.
  return Math.floor((paid * percent) / 100);
}
