// The members API (C11, O6): a store's members (a customer by phone, from their first booking),
// the levels the owner defines and the rule they are earned by, points (earned on spend, spent,
// expired, adjusted by hand), the member list with its filters and its export. The screens read
// these shapes; every rule is worded for the person at the counter.
import { z } from 'zod';
import type { ActorKind } from '../booking/booking-status';
import { LocalDateSchema } from '../time/instant';
import { LevelRuleSchema, type LevelRule } from '../members/member-levels';

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`);
const percent = (what: string) =>
  z
    .number()
    .int(`${what} is a whole percentage`)
    .min(0, `${what} cannot be below 0%`)
    .max(100, `${what} is at most 100%`);

// ---- levels and rules ------------------------------------------------------------------------

export const MemberLevelInputSchema = z
  .object({
    /** Kept from the list read before: members holding it keep it. Left out: a new level. */
    id: z.string().trim().min(1).max(64).optional(),
    name: text(20, 'a level name'),
    /** What reaches it, by the store's rule: fen of spend or of one top-up, visits, or points. */
    threshold: z
      .number()
      .int('a threshold is a whole number (fen for spend and top-ups)')
      .min(0, 'a threshold cannot be below zero')
      .max(100_000_000, 'a threshold is at most 100000000'),
    roomPercentOff: percent('the discount on room time').default(0),
    itemPercentOff: percent('the discount on tea and snacks').default(0),
    extraBookingDays: z
      .number()
      .int('extra booking days are whole days')
      .min(0, 'extra booking days cannot be below zero')
      .max(365, 'a level books at most 365 days further ahead')
      .default(0),
    birthdayPoints: z
      .number()
      .int('a birthday gift is whole points')
      .min(0, 'a birthday gift cannot be below zero')
      .max(1_000_000, 'a birthday gift is at most 1000000 points')
      .default(0),
  })
  .strict();
export type MemberLevelInput = z.input<typeof MemberLevelInputSchema>;

export const MemberLevelsPutSchema = z
  .object({
    levels: z.array(MemberLevelInputSchema).max(20, 'a store has at most 20 levels'),
  })
  .strict()
  .superRefine((b, ctx) => {
    const names = b.levels.map((l) => l.name);
    if (new Set(names).size !== names.length)
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'two levels have the same name' });
    const ids = b.levels.flatMap((l) => (l.id ? [l.id] : []));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'a level is listed twice' });
  });
export type MemberLevelsPut = z.input<typeof MemberLevelsPutSchema>;

export const MemberRulesSchema = z
  .object({
    /** What earns a level. */
    levelRule: LevelRuleSchema,
    /** Points earned for each yuan spent (0: none). */
    pointsPerYuan: z
      .number()
      .int('points per yuan is a whole number')
      .min(0, 'points per yuan cannot be below zero')
      .max(100, 'at most 100 points per yuan'),
    /** Fen one point takes off a bill when spent (0: points cannot be spent). */
    fenPerPoint: z
      .number()
      .int('a point is worth whole fen')
      .min(0, 'a point cannot be worth less than nothing')
      .max(10_000, 'a point is worth at most 100 yuan'),
    /** Points expire this many months after they were earned, oldest first; null: never. */
    pointsExpireMonths: z
      .number()
      .int('months are whole months')
      .min(1, 'points last at least 1 month')
      .max(120, 'points last at most 120 months')
      .nullable(),
  })
  .strict();
export type MemberRules = z.output<typeof MemberRulesSchema>;

/**
 * The levels and the points rules changed together from afar (the owner's remote view): the
 * store applies both in one write, a new level rule before the thresholds it reads.
 */
export const MemberSettingsPutSchema = z
  .object({
    rules: MemberRulesSchema,
    levels: MemberLevelsPutSchema.shape.levels,
    /**
     * The ids of the levels the editor started from. When given, the store refuses the save if
     * its levels are not those any more (one added or removed since, at the store or from
     * another screen), so a save does not remove a level it never showed.
     */
    seenLevelIds: z
      .array(z.string().min(1).max(64))
      .max(20, 'a store has at most 20 levels')
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    // The levels' own rules (no two of a name, none listed twice), as when put alone.
    const levels = MemberLevelsPutSchema.safeParse({ levels: b.levels });
    if (!levels.success) for (const issue of levels.error.issues) ctx.addIssue({ ...issue });
  });
export type MemberSettingsPut = z.input<typeof MemberSettingsPutSchema>;

export const DEFAULT_MEMBER_RULES: MemberRules = {
  levelRule: 'spend',
  pointsPerYuan: 1,
  fenPerPoint: 1,
  pointsExpireMonths: 12,
};

export interface MemberLevelView {
  id: string;
  name: string;
  threshold: number;
  roomPercentOff: number;
  itemPercentOff: number;
  extraBookingDays: number;
  birthdayPoints: number;
  /** Members holding it now. */
  members: number;
}

export interface MemberSettingsView {
  rules: MemberRules;
  /** Lowest first. */
  levels: MemberLevelView[];
}

// ---- members ---------------------------------------------------------------------------------

export const MemberPatchSchema = z
  .object({
    name: text(20, 'a name').nullable().optional(),
    birthday: LocalDateSchema.nullable().optional(),
    /** A level given by hand (up or down); needs a reason. */
    levelId: z.string().trim().min(1).max(64).nullable().optional(),
    reason: text(200, 'a reason').optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'send at least one field to change',
  })
  .refine((p) => p.levelId === undefined || p.reason !== undefined, {
    message: 'say why the level is changed by hand',
    path: ['reason'],
  });
export type MemberPatch = z.input<typeof MemberPatchSchema>;

export const PointsAdjustSchema = z
  .object({
    /** Points added (positive) or taken off (negative). */
    points: z
      .number()
      .int('points are whole numbers')
      .min(-1_000_000, 'at most 1000000 points at once')
      .max(1_000_000, 'at most 1000000 points at once')
      .refine((n) => n !== 0, 'an adjustment cannot be zero points'),
    reason: text(200, 'a reason'),
    /** Sent again with the same id, the adjustment is made once. */
    requestId: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type PointsAdjust = z.input<typeof PointsAdjustSchema>;

const fenQuery = (what: string) =>
  z.coerce
    .number()
    .int(`${what} is in whole fen`)
    .min(0, `${what} cannot be below zero`)
    .max(1_000_000_000, `${what} is too large`)
    .optional();

const memberFilters = {
  levelId: z.string().trim().min(1).max(64).optional(),
  /** Total spend at least / at most, fen. */
  spendMin: fenQuery('the lowest spend'),
  spendMax: fenQuery('the highest spend'),
  /** Last visit on or after / on or before, store-local dates. */
  lastVisitFrom: LocalDateSchema.optional(),
  lastVisitTo: LocalDateSchema.optional(),
  /** Digits anywhere in the phone number. */
  phone: z
    .string()
    .regex(/^\d{1,11}$/, 'a phone filter is 1 to 11 digits')
    .optional(),
};

export const MemberListQuerySchema = z
  .object({
    ...memberFilters,
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type MemberListQuery = z.output<typeof MemberListQuerySchema>;

export const MemberExportQuerySchema = z
  .object({
    ...memberFilters,
    /** `1`: phone numbers and birthdays in full; masked otherwise. */
    full: z.enum(['0', '1'], 'full is 1 (everything in full) or 0 (masked)').default('0'),
  })
  .strict();
export type MemberExportQuery = z.output<typeof MemberExportQuerySchema>;

export const PointsKindSchema = z.enum([
  'earned',
  'taken_back',
  'spent',
  'given_back',
  'expired',
  'adjusted',
  'gift',
]);
export type PointsKind = z.infer<typeof PointsKindSchema>;

export interface MemberView {
  id: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  level: { id: string; name: string } | null;
  joinedAt: string;
  points: number;
  /** Fen, net of what was given back. */
  totalSpend: number;
  visits: number;
  lastVisitAt: string | null;
  /** Fen in the member's wallet, where the store keeps wallets. */
  wallet?: number;
}

export interface PointsMoveView {
  id: number;
  kind: PointsKind;
  /** Signed. */
  points: number;
  /** The balance after it. */
  balance: number;
  ref: string | null;
  reason: string;
  expiresAt: string | null;
  actor: { kind: ActorKind; id: string };
  at: string;
}

export interface LevelChangeView {
  from: { id: string; name: string } | null;
  to: { id: string; name: string } | null;
  /** `rule`: earned by the store's rule; `staff`: given by hand. */
  cause: 'rule' | 'staff';
  reason: string;
  actor: { kind: ActorKind; id: string };
  at: string;
}

export interface MemberDetailView extends MemberView {
  /** Newest first, the last 100. */
  pointsHistory: PointsMoveView[];
  /** Oldest first. */
  levelHistory: LevelChangeView[];
  /** What the level gives now. */
  privileges: {
    roomPercentOff: number;
    itemPercentOff: number;
    extraBookingDays: number;
    birthdayPoints: number;
  } | null;
  /** The figure the level rule counts, and the next level's threshold (null at the top). */
  progress: { rule: LevelRule; figure: number; next: { name: string; threshold: number } | null };
}

export interface MemberListView {
  members: MemberView[];
  total: number;
  limit: number;
  offset: number;
}
