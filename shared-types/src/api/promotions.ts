// The owner's automatic promotions (O3): a percentage or an amount off for a period, spend X get Y
// off, a bundle of room time and a tea set at a set price, each with its scope and an on/off
// switch. The shapes of the rule live with the bill (pricing/discounts.ts).
import { z } from 'zod';
import { PromotionInputSchema, type Promotion } from '../pricing/discounts';

export const PromotionCreateSchema = PromotionInputSchema;
/** A promotion replaced whole, as the owner's form sends it. */
export const PromotionPutSchema = PromotionInputSchema;
/** The on/off switch alone. */
export const PromotionSwitchSchema = z.object({ enabled: z.boolean() }).strict();

export interface PromotionView extends Promotion {
  createdAt: string;
  updatedAt: string;
}
