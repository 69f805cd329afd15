// What a member's level and points are worth at a price quote: the seam between the members
// domain (which knows levels and balances) and the quote (which knows stacking). Pure shapes.
import { z } from 'zod';

/** The price privileges of a member's level; percentages are whole numbers 0-100. */
export const MemberDiscountSchema = z.object({
  /** The level's name, shown on the quote's member line, e.g. 金卡. */
  level: z.string().min(1).max(40),
  /** Taken off room time (time and package lines). */
  roomPercentOff: z.number().int().min(0).max(100),
  /** Taken off tea, snacks and other items. */
  itemPercentOff: z.number().int().min(0).max(100),
});
export type MemberDiscount = z.infer<typeof MemberDiscountSchema>;

/**
 * What a level's percentage off items takes off `itemsFen` of tea, snacks and other items: whole
 * fen, rounded down like every discount here, never below nothing nor above what the items cost.
 * The one rule for a booking's bill and a tea order, at the hub and in the cloud alike.
 */
export function memberItemOff(itemsFen: number, itemPercentOff: number): number {
  if (!(itemsFen > 0) || !(itemPercentOff > 0)) return 0;
  return Math.min(itemsFen, Math.floor((itemsFen * Math.min(itemPercentOff, 100)) / 100));
}

/** Points a customer chooses to spend on a bill, and what one point is worth there. */
export interface PointsUse {
  points: number;
  /** Fen one point takes off, set by the owner (e.g. 1 = 100 points per yuan). */
  fenPerPoint: number;
}
