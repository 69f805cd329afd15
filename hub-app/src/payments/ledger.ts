// The money ledger: every payment in and refund out, append-only (the schema's triggers refuse an
// edit or a delete). The only writer of `ledger`; what a booking has paid is always this sum,
// never a stored number, and what it owes is computed here and nowhere else (`balanceOf`). Each
// entry is marked for the cloud in the same transaction.
import {
  formatInstant,
  type Actor,
  type Clock,
  type LedgerEntryView,
  type PaymentMethod,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface LedgerEntry {
  bookingId: string;
  kind: 'payment' | 'refund';
  method: PaymentMethod;
  /** Fen: positive for a payment, negative for a refund. */
  amount: number;
  paymentId: string;
  refundId: string | null;
  actor: Actor;
}

/** What a booking owes and has paid: the one place this is computed (`balanceOf`, `balance`). */
export interface Balance {
  total: number;
  /** The ledger's sum: money in less money out. */
  paid: number;
  /** Refunds decided but not yet settled by their channel. */
  refunding: number;
  /** Still owed: the total less what stays paid once pending refunds are out. Negative: overpaid. */
  due: number;
  /** What could still go back: what stays paid once pending refunds are out. */
  refundable: number;
}

/** The balance of a bill from what the ledger holds and what is on its way back. */
export function balance(total: number, paid: number, refunding: number): Balance {
  const refundable = paid - refunding;
  return { total, paid, refunding, due: total - refundable, refundable };
}

export class Ledger {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  /** Appends one movement; call inside the transaction of the state it explains. */
  append(e: LedgerEntry): void {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, refund_id, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.bookingId,
        e.kind,
        e.method,
        e.amount,
        e.paymentId,
        e.refundId,
        e.actor.kind,
        e.actor.id,
        this.clock.now(),
      );
    this.outbox.markLedger(e.bookingId, Number(lastInsertRowid));
  }

  balanceOf(booking: { id: string; total: number }): Balance {
    const { paid, refunding } = this.db
      .prepare(
        `SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE booking_id = ?) AS paid,
                (SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE booking_id = ? AND status IN ('pending','owed')) AS refunding`,
      )
      .get(booking.id, booking.id) as { paid: number; refunding: number };
    return balance(booking.total, paid, refunding);
  }

  /** What vouchers paid of a booking and still pay: they come back whole or not at all. */
  voucherPaid(bookingId: string): number {
    return (
      this.db
        .prepare(
          `SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE booking_id = ? AND method = 'voucher'`,
        )
        .get(bookingId) as { s: number }
    ).s;
  }

  /** What went back, as a positive number. */
  refunded(bookingId: string): number {
    return -(
      this.db
        .prepare(
          `SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE booking_id = ? AND kind = 'refund'`,
        )
        .get(bookingId) as { s: number }
    ).s;
  }

  entriesOf(bookingId: string, timeZone: string): LedgerEntryView[] {
    const rows = this.db
      .prepare('SELECT * FROM ledger WHERE booking_id = ? ORDER BY id')
      .all(bookingId) as {
      id: number;
      kind: 'payment' | 'refund';
      method: PaymentMethod;
      amount: number;
      payment_id: string;
      refund_id: string | null;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    return rows.map((l) => ({
      id: l.id,
      kind: l.kind,
      method: l.method,
      amount: l.amount,
      paymentId: l.payment_id,
      refundId: l.refund_id,
      actor: { kind: l.actor_kind, id: l.actor_id },
      at: formatInstant(l.at, timeZone),
    }));
  }

  /** One entry with the channel's transaction id of its payment, for the cloud's document. */
  entry(bookingId: string, entryId: number) {
    return this.db
      .prepare(
        `SELECT l.*, p.channel_txn_id FROM ledger l JOIN payments p ON p.id = l.payment_id WHERE l.id = ? AND l.booking_id = ?`,
      )
      .get(entryId, bookingId) as
      | {
          id: number;
          booking_id: string;
          kind: 'payment' | 'refund';
          method: PaymentMethod;
          amount: number;
          at: number;
          channel_txn_id: string | null;
        }
      | undefined;
  }
}
