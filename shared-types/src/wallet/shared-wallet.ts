// A wallet shared across an owner's stores: who may spend what, so that two stores offline at the
// same time can never spend the same money and the wallet is never negative once every store has
// reconciled. Pure: the cloud keeps `SharedWalletBook` in one document per wallet (its revision
// makes two grants conflict, so grants are serialised per wallet), and each hub keeps its own
// movements and its allowance.
//
// The rule: every movement of the wallet is written by the hub of the store it happened in and
// replicated to the cloud, which sums them (`seen`). A store spends online only by a grant the
// cloud makes; offline, only out of its allowance, which the cloud has set aside for that store
// and never grants elsewhere. The cloud grants or sets aside only what is left once everything it
// has promised is taken off what it has seen:
//   free = seen - (each store's allowance not yet seen spent) - (grants not yet seen spent)
// Money it has not seen can only be a spend it promised (counted above) or a top-up (which only
// adds), so the true balance is never below `free`, and `free` never below zero.

/** What the cloud keeps of one shared wallet. Amounts in fen. */
export interface SharedWalletBook {
  /** The sum of every movement of this wallet the stores' hubs have replicated. */
  seen: number;
  /** Per store: the allowance set aside for offline spends, and how much of it was seen spent. */
  allowances: Record<string, { allowance: number; spentSeen: number }>;
  /** Grants made for online spends whose movement has not been seen yet, by grant id. */
  grants: Record<string, { storeId: string; amount: number }>;
}

export const emptySharedWallet = (): SharedWalletBook => ({ seen: 0, allowances: {}, grants: {} });

/** What the cloud may still grant or set aside: the balance less everything promised. */
export function freeOf(book: SharedWalletBook): number {
  let promised = 0;
  for (const a of Object.values(book.allowances)) promised += a.allowance - a.spentSeen;
  for (const g of Object.values(book.grants)) promised += g.amount;
  return book.seen - promised;
}

export type GrantAnswer =
  { ok: true; book: SharedWalletBook } | { ok: false; code: 'wallet_short'; free: number };

/** A store online asks to spend `amount`: granted when it is free, once per grant id. */
export function grant(
  book: SharedWalletBook,
  storeId: string,
  grantId: string,
  amount: number,
): GrantAnswer {
  if (book.grants[grantId]) return { ok: true, book };
  const free = freeOf(book);
  if (amount > free) return { ok: false, code: 'wallet_short', free: Math.max(0, free) };
  return {
    ok: true,
    book: { ...book, grants: { ...book.grants, [grantId]: { storeId, amount } } },
  };
}

/**
 * The owner (or the cloud topping a store back up) sets a store's offline allowance. Raising it
 * takes from what is free; lowering it only down to what the store may already have spent of it,
 * which is all the cloud can be sure of when the store is offline: lowered only while the store
 * agrees (`storeSpent`, what the store's hub says it spent of the allowance).
 */
export function setAllowance(
  book: SharedWalletBook,
  storeId: string,
  allowance: number,
  storeSpent: number | null,
): GrantAnswer {
  const now = book.allowances[storeId] ?? { allowance: 0, spentSeen: 0 };
  const raise = allowance - now.allowance;
  if (raise > 0) {
    const free = freeOf(book);
    if (raise > free) return { ok: false, code: 'wallet_short', free: Math.max(0, free) };
  } else if (raise < 0) {
    // Never below what the store might have spent of it unseen.
    const floor = storeSpent ?? now.allowance;
    allowance = Math.max(allowance, floor);
  }
  return {
    ok: true,
    book: { ...book, allowances: { ...book.allowances, [storeId]: { ...now, allowance } } },
  };
}

/** A movement a hub replicated: what it changed and under which promise it was spent. */
export interface SeenMovement {
  storeId: string;
  /** Signed fen: a top-up or a refund back positive, a spend negative. */
  amount: number;
  /** A spend made online under this grant. */
  grantId?: string;
  /** A spend made offline out of the store's allowance. */
  fromAllowance?: boolean;
}

/** Reconciliation: the cloud counts a replicated movement once (the caller dedupes by its id). */
export function observe(book: SharedWalletBook, m: SeenMovement): SharedWalletBook {
  const next: SharedWalletBook = {
    seen: book.seen + m.amount,
    allowances: { ...book.allowances },
    grants: { ...book.grants },
  };
  if (m.grantId && next.grants[m.grantId]) delete next.grants[m.grantId];
  if (m.fromAllowance && m.amount < 0) {
    const a = next.allowances[m.storeId] ?? { allowance: 0, spentSeen: 0 };
    next.allowances[m.storeId] = { ...a, spentSeen: a.spentSeen - m.amount };
  }
  return next;
}

/** A hub's side: what it may still spend offline out of its allowance. */
export function offlineSpendable(allowance: number, spentOffline: number): number {
  return Math.max(0, allowance - spentOffline);
}
