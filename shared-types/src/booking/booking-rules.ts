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
  /** Wrong door codes in a row before that keypad or scanner slows down. */
  maxWrongCodes: z.number().int().min(1).max(20),
  /** How long the slow-down lasts after the last wrong code. */
  lockoutMinutes: minutes(240).min(1),
  /**
   * While slowed down, the keypad or scanner takes one try in this many seconds. A right code
   * still opens: a guest is never kept out by somebody else's guessing.
   */
  lockoutTrySeconds: z.number().int().min(1).max(300).default(15),
  /**
   * When the booked time is over and the guest is still in the room: `bill_overtime` keeps the
   * room on and bills overtime (after the grace) until the guest leaves or the cap is reached;
   * `switch_off` switches the room off after `offDelayMinutes` and bills up to then.
   */
  atEnd: z.enum(['bill_overtime', 'switch_off']).default('bill_overtime'),
  /** bill_overtime: the longest overtime, after which the room switches off and the session ends. */
  overtimeCapMinutes: minutes(12 * 60)
    .min(1)
    .default(120),
});
export type SessionRules = z.infer<typeof SessionRulesSchema>;

export const DEFAULT_SESSION_RULES: SessionRules = {
  preconditionMinutes: 15,
  offDelayMinutes: 10,
  reminderMinutes: [15, 5],
  ac: { mode: 'auto', setpoint: 26, fan: 'auto' },
  maxWrongCodes: 5,
  lockoutMinutes: 10,
  lockoutTrySeconds: 15,
  atEnd: 'bill_overtime',
  overtimeCapMinutes: 120,
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
    cancellation: z.array(FeeTierSchema).min(1).max(10),
    change: z.object({
      allowed: z.boolean(),
      minNoticeMinutes: minutes(60 * 24 * 30),
      maxChanges: z.number().int().min(0).max(10),
      /** Fee tiers for moving a booking, as for cancelling; a percentage of what was paid. */
      fees: z
        .array(FeeTierSchema)
        .min(1)
        .max(10)
        .default([{ minNoticeMinutes: 0, feePercent: 0 }]),
    }),
    /**
     * A start already past (a guest at the kiosk who picked the slot under way): `from_now`
     * books from now and bills from the next billing step; `refuse` asks for a start from now.
     */
    pastStart: z.enum(['from_now', 'refuse']).default('from_now'),
    /**
     * A paid booking whose door has not opened this long after its start is a no-show: the room
     * is released and `refundPercent` of what was paid goes back.
     */
    noShow: z
      .object({
        graceMinutes: minutes(24 * 60).min(1),
        refundPercent: z.number().int().min(0).max(100),
      })
      .default({ graceMinutes: 30, refundPercent: 0 }),
    /**
     * A session ended before its booked end: `none` refunds nothing, `unused_steps` the whole
     * billing steps not used (at the room's prices), `pro_rata` the unused share of what was paid.
     */
    earlyEnd: z.enum(['none', 'unused_steps', 'pro_rata']).default('none'),
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

/**
 * The rules as an owner sets them: settings that contradict each other are refused, naming the
 * setting. Rules already stored are read with BookingRulesSchema alone, so a store whose rules
 * were saved before a check existed still opens.
 */
export const ConsistentBookingRulesSchema = BookingRulesSchema.superRefine((r, ctx) => {
  const s = r.session;
  if (s.atEnd === 'bill_overtime' && s.overtimeCapMinutes <= r.overtimeGraceMinutes) {
    ctx.addIssue({
      code: 'custom',
      message: `the overtime cap (${s.overtimeCapMinutes} min) must be longer than the grace before overtime is billed (${r.overtimeGraceMinutes} min), or overtime is never billed`,
      path: ['session', 'overtimeCapMinutes'],
    });
  }
  for (const [name, tiers] of [
    ['cancellation', r.cancellation],
    ['change', r.change.fees],
  ] as const) {
    const notices = tiers.map((t) => t.minNoticeMinutes);
    if (new Set(notices).size !== notices.length) {
      ctx.addIssue({
        code: 'custom',
        message: 'two fee tiers have the same notice',
        path: name === 'change' ? ['change', 'fees'] : ['cancellation'],
      });
    }
  }
});

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
  change: {
    allowed: true,
    minNoticeMinutes: 60,
    maxChanges: 2,
    fees: [{ minNoticeMinutes: 0, feePercent: 0 }],
  },
  pastStart: 'from_now',
  noShow: { graceMinutes: 30, refundPercent: 0 },
  earlyEnd: 'none',
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
  return tierFee(rules.cancellation, paid, now, start).fee;
}

/** The fee of the tier that applies with this much notice; no tier applies: all of it. */
export function tierFee(
  tiers: readonly FeeTier[],
  paid: number,
  now: number,
  start: number,
): { fee: number; feePercent: number } {
  const notice = (start - now) / MINUTE;
  const tier = [...tiers]
    .sort((a, b) => b.minNoticeMinutes - a.minNoticeMinutes)
    .find((t) => notice >= t.minNoticeMinutes);
  const feePercent = tier?.feePercent ?? 100;
  // Round the fee down: the customer gets the odd fen.
  return { fee: Math.floor((paid * feePercent) / 100), feePercent };
}

/**
 * What moving a paid booking to a time priced `newPrice` comes to: the one computation the hub
 * applies and the cloud quotes. The store's change fee by notice is of what paid for the time
 * (change fees kept from earlier changes stay on the bill, never charged or given back again);
 * the new bill is the new price, the fees kept and this fee; what was paid above it comes back
 * (`refund`), what it lacks is still to pay (`due`). One of the two is always 0.
 */
export function changeTerms(input: {
  fees: readonly FeeTier[];
  /** What stays paid now, refunds out, fen. */
  paid: number;
  /** Change fees already on the bill, fen. */
  kept: number;
  newPrice: number;
  now: number;
  /** The booking's start as it stands. */
  start: number;
}): { fee: number; feePercent: number; total: number; refund: number; due: number } {
  const { fee, feePercent } = tierFee(
    input.fees,
    Math.max(0, input.paid - input.kept),
    input.now,
    input.start,
  );
  const total = input.newPrice + input.kept + fee;
  return {
    fee,
    feePercent,
    total,
    refund: Math.max(0, input.paid - total),
    due: Math.max(0, total - input.paid),
  };
}

/** The rules a customer agrees to with a booking, as the quote and the receipt show them. */
export interface BookingTerms {
  /** Cancellation fee tiers, the longest notice first. */
  cancellation: FeeTier[];
  /** Change fee tiers, the longest notice first; null when changes are not allowed. */
  changeFees: FeeTier[] | null;
  noShow: { graceMinutes: number; refundPercent: number };
  earlyEnd: BookingRules['earlyEnd'];
  /** After the booked end: overtime billed after the grace up to the cap, or the room off. */
  atEnd: {
    rule: SessionRules['atEnd'];
    overtimeGraceMinutes: number;
    overtimeCapMinutes: number | null;
    offDelayMinutes: number | null;
  };
}

export function bookingTerms(r: BookingRules): BookingTerms {
  const byNotice = (tiers: readonly FeeTier[]) =>
    [...tiers].sort((a, b) => b.minNoticeMinutes - a.minNoticeMinutes);
  const s = r.session;
  return {
    cancellation: byNotice(r.cancellation),
    changeFees: r.change.allowed ? byNotice(r.change.fees) : null,
    noShow: r.noShow,
    earlyEnd: r.earlyEnd,
    atEnd: {
      rule: s.atEnd,
      overtimeGraceMinutes: r.overtimeGraceMinutes,
      overtimeCapMinutes: s.atEnd === 'bill_overtime' ? s.overtimeCapMinutes : null,
      offDelayMinutes: s.atEnd === 'switch_off' ? s.offDelayMinutes : null,
    },
  };
}
