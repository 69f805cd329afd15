// How an order is paid and paid back: one tender per way of paying, each taking or giving back
// money inside the write that records it in the order's ledger. Cash is the only one now; the
// member wallet and points come in here as tenders of their own (their ledgers debited in the
// same write), and the order service needs no change. Never writes the order's ledger itself.
import { DomainError, type Actor, type OrderPayMethod } from '@roomhub/shared-types';

export interface Tender {
  method: OrderPayMethod;
  /** Takes `amount` fen for the order; throws when it cannot. Runs inside the write. */
  take(order: { id: string }, amount: number, actor: Actor): void;
  /** Gives `amount` fen back the way it came; throws when it cannot. Runs inside the write. */
  giveBack(order: { id: string }, amount: number, actor: Actor): void;
}

const staffOnly = (actor: Actor) => {
  if (actor.kind !== 'staff') {
    throw new DomainError('forbidden', 'cash_needs_staff', 'cash payments are taken by staff');
  }
};

/** Cash over the counter: staff take it and hand it back; the ledger entry is the record. */
export const cashTender: Tender = {
  method: 'cash',
  take: (_order, _amount, actor) => staffOnly(actor),
  giveBack: (_order, _amount, actor) => staffOnly(actor),
};

export type Tenders = Readonly<Record<OrderPayMethod, Tender>>;
export const TENDERS = { cash: cashTender } as const;

/** Every tender: cash, and those another domain brings (the wallet: wallet/wallet-tender.ts). */
export const tenders = (more: Omit<Tenders, keyof typeof TENDERS>): Tenders => ({
  ...TENDERS,
  ...more,
});
