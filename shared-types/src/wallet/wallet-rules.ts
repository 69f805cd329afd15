// The member wallet's arithmetic, the same on the hub and in the cloud: how a spend is split
// between the bonus and the principal (the bonus first, the lot that expires first first), how a
// principal refund takes the bonus back, and which lots a movement touches. Pure: no I/O, no clock.

/** The two pots of a wallet, fen. */
export interface WalletPots {
  /** Money the customer paid and has not spent: always refundable. */
  principal: number;
  /** Money given on top of a top-up: spent first, expires, never paid out. */
  bonus: number;
}

/** What is left of one top-up in one pot, and when its bonus expires (null: never). */
export interface WalletLot {
  lot: string;
  pot: 'principal' | 'bonus';
  left: number;
  expiresAt: number | null;
  /** When the top-up was made: older lots are spent first. */
  at: number;
}

/** One lot's share of a movement; `amount` is positive, the caller signs it. */
export interface LotShare {
  lot: string;
  pot: 'principal' | 'bonus';
  amount: number;
}

const byExpiryThenAge = (a: WalletLot, b: WalletLot) =>
  (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || a.at - b.at || (a.lot < b.lot ? -1 : 1);

/**
 * Splits a spend of `amount` fen over the lots: the bonus first (the one that expires first
 * first), then the principal (oldest first). Null when the lots hold less than `amount`.
 */
export function splitSpend(lots: readonly WalletLot[], amount: number): LotShare[] | null {
  const bonus = lots.filter((l) => l.pot === 'bonus' && l.left > 0).sort(byExpiryThenAge);
  const principal = lots.filter((l) => l.pot === 'principal' && l.left > 0).sort(byExpiryThenAge);
  let rest = amount;
  const out: LotShare[] = [];
  for (const l of [...bonus, ...principal]) {
    if (rest <= 0) break;
    const part = Math.min(rest, l.left);
    out.push({ lot: l.lot, pot: l.pot, amount: part });
    rest -= part;
  }
  return rest > 0 ? null : out;
}

/**
 * The bonus a principal refund takes back: the bonus came with the principal, so refunding a share
 * of the principal takes the same share of the bonus left (all of it when all the principal goes),
 * rounded up, never more than is left: the bonus never goes below zero.
 */
export function bonusTakenBack(pots: WalletPots, principalRefund: number): number {
  if (principalRefund <= 0 || pots.bonus <= 0 || pots.principal <= 0) return 0;
  if (principalRefund >= pots.principal) return pots.bonus;
  return Math.min(pots.bonus, Math.ceil((pots.bonus * principalRefund) / pots.principal));
}

/** Takes `amount` from lots in the order given (newest first for refunds); never more than left. */
export function takeFromLots(lots: readonly WalletLot[], amount: number): LotShare[] {
  let rest = amount;
  const out: LotShare[] = [];
  for (const l of lots) {
    if (rest <= 0) break;
    const part = Math.min(rest, l.left);
    if (part <= 0) continue;
    out.push({ lot: l.lot, pot: l.pot, amount: part });
    rest -= part;
  }
  return out;
}

/** The pots from the lots. */
export function potsOf(lots: readonly WalletLot[]): WalletPots {
  let principal = 0;
  let bonus = 0;
  for (const l of lots) {
    if (l.pot === 'principal') principal += l.left;
    else bonus += l.left;
  }
  return { principal, bonus };
}
