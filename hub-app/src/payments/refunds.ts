// Refunds: money sent back through the channel it came in by. Owns `refunds`. Cash goes back over
// the counter: at once when a member of staff makes the refund, otherwise it is owed until one
// pays it out (an unattended kiosk hands back no cash); money the cloud took is settled here as a ledger fact the cloud pays out;
// online refunds are queued jobs, retried until the gateway answers. A booking waiting for its
// refund is settled here once nothing of it is still on its way.
import {
  DomainError,
  formatInstant,
  notFound,
  type Actor,
  type Clock,
  type PaymentMethod,
  type OwedRefundView,
  type RefundPurpose,
  type RefundView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { Scheduler } from '../scheduler/scheduler';
import { ChannelError, channelFor, type Channels } from './channel';
import type { Ledger } from './ledger';

export const REFUND_JOB = 'refund.execute';

const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };

interface RefundRow {
  id: string;
  booking_id: string;
  payment_id: string;
  amount: number;
  purpose: RefundPurpose;
  reason: string;
  status: 'pending' | 'owed' | 'succeeded' | 'failed';
  channel_refund_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
  settled_at: number | null;
}

/** A succeeded payment with what of it can still go back. */
interface Refundable {
  id: string;
  method: PaymentMethod;
  amount: number;
  left: number;
}

export interface RefundDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  ledger: Ledger;
  scheduler: Scheduler;
  channels: Channels;
  timeZone: () => string;
}

/**
 * Money that comes back at once: cash a member of staff hands over as they make the refund, or a
 * fact the cloud pays out by its id. Cash refunded with nobody at the counter is owed.
 */
const settlesHere = (m: PaymentMethod, actor: Actor) =>
  m === 'cloud' || m === 'voucher' || m === 'wallet' || (m === 'cash' && actor.kind === 'staff');

/** Told when a voucher payment was refunded: the voucher is given back (vouchers/redemptions.ts). */
export type VoucherReturned = (paymentId: string, actor: Actor, afterCommit: AfterCommit) => void;

/**
 * Told when a wallet payment was refunded: the money goes back into the member's wallet
 * (wallet/wallet.service.ts), in the same write.
 */
export type WalletReturned = (
  paymentId: string,
  amount: number,
  refundId: string,
  actor: Actor,
) => void;

export class Refunds {
  private voucherReturned: VoucherReturned = () => undefined;
  private walletReturned: WalletReturned = () => {
    throw new Error('a wallet payment is refunded only with the wallet wired');
  };

  constructor(private readonly d: RefundDeps) {}

  /** The vouchers domain's hook, called in the write that refunds a voucher payment. */
  onVoucherReturned(fn: VoucherReturned): void {
    this.voucherReturned = fn;
  }

  /** The wallet domain's hook, called in the write that refunds a wallet payment. */
  onWalletReturned(fn: WalletReturned): void {
    this.walletReturned = fn;
  }

  /** Online refunds are jobs, retried with back-off until the gateway answers. Call once. */
  register(): void {
    this.d.scheduler.on(REFUND_JOB, (job) => this.execute(job.ref));
  }

  /**
   * Sends `amount` back through the channels it came in by, newest payment first. Returns true
   * when every refund it made is already settled. Runs inside a write. A voucher comes back whole
   * or not at all: whole, and first, when the booking is cancelled, everything left is refunded
   * or the voucher's payment is named; never as part of a money refund (a voucher's unused hours
   * are not paid out in money, so such a refund is of the money only).
   */
  refund(
    row: BookingRow,
    amount: number,
    purpose: RefundPurpose,
    reason: string,
    actor: Actor,
    afterCommit: AfterCommit,
    onlyPaymentId?: string,
  ): boolean {
    if (amount <= 0) return true;
    const payments = this.d.db
      .prepare(
        `SELECT p.id, p.method, p.amount,
           p.received - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status <> 'failed'), 0) AS left
         FROM payments p WHERE p.booking_id = ? AND p.status = 'succeeded' ${onlyPaymentId ? 'AND p.id = ?' : ''}
         ORDER BY p.paid_at DESC, p.created_at DESC`,
      )
      .all(...(onlyPaymentId ? [row.id, onlyPaymentId] : [row.id])) as Refundable[];
    let rest = amount;
    const now = this.d.clock.now();
    const made: { id: string; method: PaymentMethod }[] = [];
    // A refund of everything left (an approved refund in full) gives vouchers back too; a refund
    // of part is of money only.
    const everything = amount >= payments.reduce((sum, p) => sum + Math.max(0, p.left), 0);
    const wholeVouchers = onlyPaymentId !== undefined || purpose === 'cancel' || everything;
    let voucherKept = 0;
    const ordered = [
      ...payments.filter((p) => p.method === 'voucher'),
      ...payments.filter((p) => p.method !== 'voucher'),
    ];
    for (const p of ordered) {
      if (rest <= 0) break;
      if (p.method === 'voucher' && !wholeVouchers) {
        voucherKept += Math.max(0, p.left);
        continue;
      }
      const part = p.method === 'voucher' ? p.left : Math.min(rest, p.left);
      if (part <= 0) continue;
      rest = Math.max(0, rest - part);
      const id = this.d.newId();
      this.d.db
        .prepare(
          `INSERT INTO refunds (id, booking_id, payment_id, amount, purpose, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(id, row.id, p.id, part, purpose, reason, now);
      made.push({ id, method: p.method });
    }
    if (rest > 0 && rest > voucherKept) {
      throw new DomainError(
        'conflict',
        'refund_exceeds_paid',
        `cannot refund ${amount} fen: only ${amount - rest} fen is refundable`,
        'amount',
      ).with({ amount: amount - rest });
    }
    // Every row exists before any settles, so the booking is not called refunded half-way.
    for (const r of made) {
      if (settlesHere(r.method, actor)) {
        this.settle(r.id, null, actor, afterCommit);
      } else if (r.method === 'cash') {
        this.d.db.prepare(`UPDATE refunds SET status = 'owed' WHERE id = ?`).run(r.id);
      } else {
        this.d.scheduler.schedule(REFUND_JOB, r.id, now);
        afterCommit(() => this.d.scheduler.poke());
      }
    }
    return made.every((r) => settlesHere(r.method, actor));
  }

  /**
   * A member of staff gives back `amount` of a booking, all that is left or part of it, through
   * the channels the money came by. Only money: a voucher's payment is never split (see `refund`),
   * so what vouchers paid is not refundable here. Runs inside a write; the booking keeps its status.
   */
  byStaff(
    bookingId: string,
    amount: number,
    reason: string,
    actor: Actor,
    afterCommit: AfterCommit,
  ): RefundView[] {
    const row = this.d.records.get(bookingId);
    const money = this.d.ledger.balanceOf(row).refundable - this.d.ledger.voucherPaid(bookingId);
    if (money <= 0) {
      throw new DomainError(
        'conflict',
        'nothing_to_refund',
        'nothing of this booking is left to give back',
      );
    }
    if (amount > money) {
      throw new DomainError(
        'invalid',
        'refund_exceeds_paid',
        `cannot refund ${amount} fen: only ${money} fen is refundable`,
        'amount',
      ).with({ amount: money });
    }
    const before = new Set(this.refundsOf(bookingId).map((r) => r.id));
    this.refund(row, amount, 'staff', reason, actor, afterCommit);
    return this.refundsOf(bookingId).filter((r) => !before.has(r.id));
  }

  /** A member of staff hands an owed cash refund over the counter: settled, in the ledger. */
  payOut(refundId: string, actor: Actor, afterCommit: AfterCommit): RefundView {
    const r = this.row(refundId);
    if (!r) throw notFound('refund', refundId);
    if (r.status !== 'owed') {
      throw new DomainError(
        'conflict',
        'not_owed',
        r.status === 'succeeded'
          ? 'this refund has already been paid out'
          : 'only a cash refund that is owed is paid out at the counter',
      );
    }
    this.d.db.prepare('UPDATE refunds SET paid_out_by = ? WHERE id = ?').run(actor.id, refundId);
    this.settle(refundId, null, actor, afterCommit);
    return this.refundsOf(r.booking_id).find((x) => x.id === refundId)!;
  }

  /** Cash refunds waiting for a member of staff, oldest first, with the total owed. */
  owed(): { total: number; refunds: OwedRefundView[] } {
    const tz = this.d.timeZone();
    const rows = this.d.db
      .prepare(
        `SELECT r.*, p.method, b.number, b.customer_phone FROM refunds r
         JOIN payments p ON p.id = r.payment_id JOIN bookings b ON b.id = r.booking_id
         WHERE r.status = 'owed' ORDER BY r.created_at`,
      )
      .all() as (RefundRow & {
      method: PaymentMethod;
      number: string;
      customer_phone: string | null;
    })[];
    const refunds = rows.map((r) => ({
      ...toView(r, tz),
      bookingId: r.booking_id,
      bookingNumber: r.number,
      customerPhone: r.customer_phone,
    }));
    return { total: refunds.reduce((sum, r) => sum + r.amount, 0), refunds };
  }

  /** Job handler: asks the gateway to return the money, then records it. Idempotent by refund id. */
  private async execute(refundId: string): Promise<void> {
    const r = this.row(refundId);
    if (!r || r.status !== 'pending') {
      await this.d.writes.run(() => this.d.scheduler.done(REFUND_JOB, refundId));
      return;
    }
    const p = this.payment(r.payment_id);
    const result = await channelFor(this.d.channels, p.method)
      .refund({
        paymentId: p.id,
        refundId: r.id,
        amount: r.amount,
        paymentTotal: p.amount,
        reason: r.reason,
        channelTxnId: p.channel_txn_id,
      })
      .catch((e: unknown) => {
        if (e instanceof ChannelError && e.code === 'gateway_rejected')
          return { status: 'failed' as const, channelRefundId: null, error: e.message };
        throw e;
      });
    if (result.status === 'pending') throw new Error('the gateway is still processing the refund');
    await this.d.writes.run((afterCommit) => {
      const now = this.row(refundId);
      if (!now || now.status !== 'pending') return;
      if (result.status === 'failed') {
        const error = 'error' in result ? result.error : 'refused by the gateway';
        this.d.db
          .prepare(
            `UPDATE refunds SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?`,
          )
          .run(error, refundId);
        const b = this.d.records.get(r.booking_id);
        this.d.records.record(b.id, 'refund_failed', b.status, b.status, GATEWAY, error, {
          refundId,
          amount: r.amount,
        });
      } else {
        this.settle(refundId, result.channelRefundId, GATEWAY, afterCommit);
      }
      this.d.scheduler.done(REFUND_JOB, refundId);
    });
  }

  private settle(
    refundId: string,
    channelRefundId: string | null,
    actor: Actor,
    afterCommit: AfterCommit,
  ): void {
    const r = this.row(refundId)!;
    const p = this.payment(r.payment_id);
    this.d.db
      .prepare(
        `UPDATE refunds SET status = 'succeeded', channel_refund_id = ?, settled_at = ?, attempts = attempts + 1 WHERE id = ?`,
      )
      .run(channelRefundId, this.d.clock.now(), refundId);
    this.d.ledger.append({
      bookingId: r.booking_id,
      kind: 'refund',
      method: p.method,
      amount: -r.amount,
      paymentId: p.id,
      refundId: r.id,
      actor,
    });
    if (p.method === 'voucher') this.voucherReturned(p.id, actor, afterCommit);
    if (p.method === 'wallet') this.walletReturned(p.id, r.amount, r.id, actor);
    this.settleBookingIfDone(r.booking_id, afterCommit);
  }

  /** A booking waiting for its cancellation or approved refund is refunded once none is pending. */
  private settleBookingIfDone(bookingId: string, afterCommit: AfterCommit): void {
    const row = this.d.records.get(bookingId);
    if (row.status !== 'refunding' || this.hasPending(bookingId)) return;
    const settling = this.d.db
      .prepare(
        `SELECT COUNT(*) AS n FROM refunds WHERE booking_id = ? AND purpose IN ('cancel','approved') AND status = 'succeeded' AND created_at >= ?`,
      )
      .get(bookingId, this.d.records.refundingSince(bookingId)) as { n: number };
    if (settling.n > 0) {
      this.d.records.transition(
        row,
        'settle_refund',
        { kind: 'system', id: 'refunds' },
        'refunded',
        afterCommit,
      );
    }
  }

  /** Whether money of an earlier decision is still on its way back. */
  hasPending(bookingId: string): boolean {
    return (
      this.d.db
        .prepare(
          `SELECT 1 FROM refunds WHERE booking_id = ? AND status IN ('pending','owed') LIMIT 1`,
        )
        .get(bookingId) !== undefined
    );
  }

  refundsOf(bookingId: string): RefundView[] {
    const tz = this.d.timeZone();
    const rows = this.d.db
      .prepare(
        'SELECT r.*, p.method FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.booking_id = ? ORDER BY r.created_at',
      )
      .all(bookingId) as (RefundRow & { method: PaymentMethod })[];
    return rows.map((r) => toView(r, tz));
  }

  private row(id: string): RefundRow | undefined {
    return this.d.db.prepare('SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
  }

  private payment(id: string): {
    id: string;
    method: PaymentMethod;
    amount: number;
    channel_txn_id: string | null;
  } {
    const p = this.d.db
      .prepare('SELECT id, method, amount, channel_txn_id FROM payments WHERE id = ?')
      .get(id) as
      | { id: string; method: PaymentMethod; amount: number; channel_txn_id: string | null }
      | undefined;
    if (!p) throw notFound('payment', id);
    return p;
  }
}

function toView(r: RefundRow & { method: PaymentMethod }, tz: string): RefundView {
  return {
    id: r.id,
    paymentId: r.payment_id,
    method: r.method,
    amount: r.amount,
    purpose: r.purpose,
    reason: r.reason,
    status: r.status,
    lastError: r.last_error,
    createdAt: formatInstant(r.created_at, tz),
    settledAt: r.settled_at === null ? null : formatInstant(r.settled_at, tz),
  };
}
