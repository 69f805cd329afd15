// Member levels and the rule they are earned by, as pure rules the hub (and any screen showing
// "how far to the next level") run alike: which level a figure reaches, and that a level earned
// by the rule only ever goes up. No I/O.
import { z } from 'zod';

/** What earns a level: total spend (fen), visits, points earned, or one top-up of at least (fen). */
export const LevelRuleSchema = z.enum(['spend', 'visits', 'points', 'top_up']);
export type LevelRule = z.infer<typeof LevelRuleSchema>;

/** A level as the store keeps it: what reaches it and what it gives. */
export interface MemberLevel {
  id: string;
  name: string;
  /** The figure of the rule that reaches it (fen for spend and top-up). */
  threshold: number;
  roomPercentOff: number;
  itemPercentOff: number;
  /** Days further ahead a member of this level may book. */
  extraBookingDays: number;
  /** Points given once a year on the member's birthday. */
  birthdayPoints: number;
}

/** What a member has done, each figure a rule may be counted by. */
export interface MemberFigures {
  /** Fen, net of what was given back. */
  spend: number;
  visits: number;
  /** Points earned on spend, net of those taken back. */
  pointsEarned: number;
  /** Fen: the largest single top-up of principal. */
  bestTopUp: number;
}

export const figureOf = (rule: LevelRule, f: MemberFigures): number =>
  rule === 'spend'
    ? f.spend
    : rule === 'visits'
      ? f.visits
      : rule === 'points'
        ? f.pointsEarned
        : f.bestTopUp;

/** The levels from lowest to highest: by threshold, the list's order breaking ties. */
export function ranked<L extends Pick<MemberLevel, 'threshold'>>(levels: readonly L[]): L[] {
  return levels
    .map((l, i) => ({ l, i }))
    .sort((a, b) => a.l.threshold - b.l.threshold || a.i - b.i)
    .map((x) => x.l);
}

/** The highest level `figure` reaches, or null when it reaches none. */
export function levelReached<L extends Pick<MemberLevel, 'threshold'>>(
  levels: readonly L[],
  figure: number,
): L | null {
  let best: L | null = null;
  for (const l of ranked(levels)) if (figure >= l.threshold) best = l;
  return best;
}

/**
 * The level a member moves to by the rule, or null to stay: only a higher level than the one
 * they hold (a member never goes down by the rule; the owner may move one by hand, with why).
 */
export function levelUp<L extends Pick<MemberLevel, 'id' | 'threshold'>>(
  levels: readonly L[],
  currentId: string | null,
  figure: number,
): L | null {
  const order = ranked(levels);
  const reached = levelReached(order, figure);
  if (!reached) return null;
  const rankOf = (id: string | null) => (id === null ? -1 : order.findIndex((l) => l.id === id));
  return order.indexOf(reached) > rankOf(currentId) ? reached : null;
}
