// A wallet shared across an owner's stores (C11, H1). Every fen of it is kept at exactly one store,
// in that store's own wallet ledger, and only that store's hub spends it; money moves between
// stores only by a move the holding store makes itself (it writes the money out, the asking store
// writes the same money in, lot by lot with each bonus's expiry kept). So two stores offline at
// once can never spend the same money, and no store's ledger can go below zero, by construction:
// there is nothing to reconcile. A store offline spends what it holds; online it first brings in
// what it lacks from the owner's other stores (through the cloud, which asks each holding store in
// turn), and, as the owner sets it, a little more to keep at hand for the next time it is offline.
// Pure: the wire shapes of a move and the arithmetic both sides run.
import { z } from 'zod';
import { IsoInstantSchema } from '../time/instant';
import { IdPartSchema } from '../sync/id-part';
import { StoreIdSchema } from '../sync/databases';
import { WalletPhoneSchema } from '../api/wallet';

/** What a store asks the cloud for: `amount` fen of the wallet of `phone` brought to it. */
export const WalletMoveRequestSchema = z
  .object({
    /** The asking store's id for this move: asking again with it is the same move. */
    moveId: IdPartSchema,
    phone: WalletPhoneSchema,
    amount: z
      .number()
      .int('amount: whole fen')
      .min(1, 'amount: must be above zero')
      .max(10_000_000, 'amount: at most 100,000 yuan'),
  })
  .strict();
export type WalletMoveRequest = z.output<typeof WalletMoveRequestSchema>;

/** One lot's money given up by the store holding it: principal and bonus, the bonus's expiry kept. */
export const MovedLotSchema = z.object({
  principal: z.number().int().min(0),
  bonus: z.number().int().min(0),
  /** When its bonus expires; null: never (or no bonus). */
  bonusExpiresAt: IsoInstantSchema.nullable(),
});
export type MovedLot = z.output<typeof MovedLotSchema>;

/** One holding store's part of a move, as the cloud relays it: its answer, once it answered. */
export const WalletMovePartSchema = z.object({
  fromStoreId: StoreIdSchema,
  /** The intent the holding store answered: the asking store credits each part once, by it. */
  intentId: IdPartSchema,
  state: z.enum(['waiting', 'done', 'refused']),
  lots: z.array(MovedLotSchema).max(200),
});
export type WalletMovePart = z.output<typeof WalletMovePartSchema>;

/**
 * The cloud's answer: every part asked so far. `settled` once no part is still waiting (each
 * answered, or past its time, which its store then refuses): the asking store stops asking.
 */
export const WalletMoveAnswerSchema = z.object({
  moveId: IdPartSchema,
  settled: z.boolean(),
  parts: z.array(WalletMovePartSchema).max(50),
});
export type WalletMoveAnswer = z.output<typeof WalletMoveAnswerSchema>;

/** What the lots of a move come to. */
export function movedTotal(lots: readonly MovedLot[]): number {
  return lots.reduce((s, l) => s + l.principal + l.bonus, 0);
}

/**
 * How much to bring to a store that must pay `need` and holds `here`: what it lacks, or enough
 * to keep `keepAtHand` after paying if the owner set more. Zero when it holds enough.
 */
export function toBringIn(need: number, here: number, keepAtHand: number): number {
  if (here >= need) return 0;
  return need + Math.max(0, keepAtHand) - here;
}

/**
 * Which of the owner's other stores to ask, in turn: the one holding the most first (by what they
 * last published), stores with nothing known last (what they published may be stale, so they are
 * still asked), never the asking store.
 */
export function askingOrder(
  holdings: ReadonlyMap<string, number>,
  stores: readonly string[],
  asking: string,
): string[] {
  return stores
    .filter((s) => s !== asking)
    .sort((a, b) => (holdings.get(b) ?? -1) - (holdings.get(a) ?? -1) || (a < b ? -1 : 1));
}
