// Payments, refunds and the money ledger. Owns `payments`, `refunds` and `ledger`. Every money
// movement is a ledger row written in the same transaction as the state it explains; a booking's
// paid amount is always the ledger's sum, never a stored number.
import {
  formatInstant,
  OnlinePaymentMethodSchema,
  type Actor,
  type BookingStatus,
} from '@roomhub/shared-types';
import type { Clock, NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import { DomainError, notFound } from '@roomhub/shared-types';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { Scheduler } from '../scheduler/scheduler';
import type { Outbox } from '../sync/outbox';
import {
  ChannelError,
  type OnlineChannel,
  type OnlinePaymentMethod,
  type PaymentMethod,
} from './channel';

export type RefundPurpose = 'cancel' | 'approved' | 'change' | 'late_payment' | 'overpaid';

interface PaymentRow {
  id: string;
  booking_id: string;
  method: PaymentMethod;
  amount: number;
  received: number | null;
  status: 'pending' | 'succeeded' | 'closed';
  channel_txn_id: string | null;
  pay_url: string | null;
  qr_payload: string | null;
  expires_at: number | null;
  created_at: number;
  paid_at: number | null;
}

interface RefundRow {
  id: string;
  booking_id: string;
  payment_id: string;
  amount: number;
  purpose: RefundPurpose;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  channel_refund_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: number;
  settled_at: number | null;
}

export interface PaymentView {
  id: string;
  bookingId: string;
  method: PaymentMethod;
  amount: number;
  status: PaymentRow['status'];
  payUrl: string | null;
  qrPayload: string | null;
  expiresAt: string | null;
  createdAt: string;
  paidAt: string | null;
}

export interface RefundView {
  id: string;
  paymentId: string;
  method: PaymentMethod;
  amount: number;
  purpose: RefundPurpose;
  reason: string;
  status: RefundRow['status'];
  lastError: string | null;
  createdAt: string;
  settledAt: string | null;
}

export interface LedgerEntry {
  id: number;
  kind: 'payment' | 'refund';
  method: PaymentMethod;
  amount: number;
  paymentId: string;
  refundId: string | null;
  actor: Actor;
  at: string;
}

export const REFUND_JOB = 'refund.execute';
export const EXPIRE_JOB = 'booking.expire';

const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };

export interface PaymentDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  scheduler: Scheduler;
  channels: Partial<Record<OnlinePaymentMethod, OnlineChannel>>;
  /** The URL gateways post notifications to, e.g. http://127.0.0.1:8080/api/payments/notify/simulated */
  notifyUrl: (method: PaymentMethod) => string;
  timeZone: () => string;
  outbox?: Outbox;
}

export class PaymentService {
  constructor(private readonly d: PaymentDeps) {}

  private channel(method: PaymentMethod): OnlineChannel {
    const online = OnlinePaymentMethodSchema.safeParse(method);
    const c = online.success ? this.d.channels[online.data] : undefined;
    if (!c) {
      throw new DomainError(
        'unavailable',
        'channel_unavailable',
        `payment channel ${method} is not set up on this hub`,
        'method',
      );
    }
    return c;
  }

  /** What is still owed: the total less the ledger's net and what pending refunds will return. */
  due(row: BookingRow): number {
    return row.total - this.d.records.netPaid(row.id) + this.pendingRefunds(row.id);
  }

  pendingRefunds(bookingId: string): number {
    return (
      this.d.db
        .prepare(
          `SELECT COALESCE(SUM(amount), 0) AS s FROM refunds WHERE booking_id = ? AND status = 'pending'`,
        )
        .get(bookingId) as { s: number }
    ).s;
  }

  private assertPayable(row: BookingRow): number {
    const payable: BookingStatus[] = ['pending_payment', 'paid', 'in_use'];
    if (!payable.includes(row.status)) {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot pay a booking that is ${row.status}`,
      );
    }
    const due = this.due(row);
    if (due <= 0)
      throw new DomainError('conflict', 'nothing_due', 'this booking has nothing left to pay');
    return due;
  }

  /** Cash taken by staff at the counter: recorded and applied at once. Runs inside a write. */
  payCash(bookingId: string, actor: Actor, afterCommit: AfterCommit): PaymentView {
    if (actor.kind !== 'staff') {
      throw new DomainError('forbidden', 'cash_needs_staff', 'cash payments are taken by staff');
    }
    const row = this.d.records.get(bookingId);
    const due = this.assertPayable(row);
    const now = this.d.clock.now();
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO payments (id, booking_id, method, amount, received, status, created_at, paid_at) VALUES (?, ?, 'cash', ?, ?, 'succeeded', ?, ?)`,
      )
      .run(id, bookingId, due, due, now, now);
    this.ledger(bookingId, 'payment', 'cash', due, id, null, actor);
    this.applyPayment(row, actor, afterCommit);
    return this.paymentView(this.payment(id));
  }

  /**
   * Starts an online payment: a pending row first (so a crash leaves a trace), then the gateway's
   * prepay order, then its pay URL and QR. Asking again reuses a still-open payment.
   */
  async startOnline(
    bookingId: string,
    method: OnlinePaymentMethod,
    _actor: Actor,
  ): Promise<PaymentView> {
    const channel = this.channel(method);
    const prepared = await this.d.writes.run(() => {
      const row = this.d.records.get(bookingId);
      const due = this.assertPayable(row);
      const now = this.d.clock.now();
      const open = this.d.db
        .prepare(
          `SELECT * FROM payments WHERE booking_id = ? AND method = ? AND status = 'pending' AND amount = ?
             AND pay_url IS NOT NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC LIMIT 1`,
        )
        .get(bookingId, method, due, now) as PaymentRow | undefined;
      if (open)
        return {
          reuse: open,
          id: open.id,
          due,
          expiresAt: open.expires_at ?? now,
          number: row.number,
        };
      const id = this.d.newId();
      const expiresAt =
        row.status === 'pending_payment' && row.hold_expires_at
          ? row.hold_expires_at
          : now + 15 * 60_000;
      this.d.db
        .prepare(
          `INSERT INTO payments (id, booking_id, method, amount, status, expires_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(id, bookingId, method, due, expiresAt, now);
      return { reuse: null, id, due, expiresAt, number: row.number };
    });
    if (prepared.reuse) return this.paymentView(prepared.reuse);
    let ticket;
    try {
      ticket = await channel.createCharge({
        paymentId: prepared.id,
        amount: prepared.due,
        description: `Room booking ${prepared.number}`,
        notifyUrl: this.d.notifyUrl(method),
        expiresAt: prepared.expiresAt,
      });
    } catch (e) {
      await this.d.writes.run(() =>
        this.d.db
          .prepare(`UPDATE payments SET status = 'closed' WHERE id = ? AND status = 'pending'`)
          .run(prepared.id),
      );
      const message = e instanceof Error ? e.message : String(e);
      throw new DomainError(
        'unavailable',
        'gateway_unavailable',
        `the payment gateway did not answer: ${message}`,
        'method',
      );
    }
    return this.d.writes.run(() => {
      this.d.db
        .prepare('UPDATE payments SET pay_url = ?, qr_payload = ? WHERE id = ?')
        .run(ticket.payUrl, ticket.qrPayload, prepared.id);
      return this.paymentView(this.payment(prepared.id));
    });
  }

  /**
   * A gateway's signed notification. Verified first; then recorded once: the same notification
   * again changes nothing. Money for a booking that no longer wants it is sent back, never kept
   * silently and never lost.
   */
  async handleNotification(
    method: OnlinePaymentMethod,
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): Promise<{ outcome: 'recorded' | 'duplicate' | 'closed' | 'refunding' }> {
    const channel = this.channel(method);
    let n;
    try {
      n = channel.verifyNotification(headers, rawBody);
    } catch (e) {
      if (e instanceof ChannelError) throw new DomainError('invalid', e.code, e.message);
      throw e;
    }
    const outcome = await this.d.writes.run((afterCommit) => {
      const p = this.d.db.prepare('SELECT * FROM payments WHERE id = ?').get(n.paymentId) as
        PaymentRow | undefined;
      if (!p) throw notFound('payment', n.paymentId);
      if (p.status === 'succeeded') {
        if (p.channel_txn_id === n.channelTxnId || p.channel_txn_id === null)
          return 'duplicate' as const;
        throw new DomainError(
          'conflict',
          'payment_already_recorded',
          `payment ${p.id} was recorded with another transaction`,
        );
      }
      if (n.state !== 'SUCCESS') {
        this.d.db.prepare(`UPDATE payments SET status = 'closed' WHERE id = ?`).run(p.id);
        return 'closed' as const;
      }
      this.d.db
        .prepare(
          `UPDATE payments SET status = 'succeeded', channel_txn_id = ?, paid_at = ?, received = ? WHERE id = ?`,
        )
        .run(n.channelTxnId, n.paidAt, n.amount, p.id);
      this.ledger(p.booking_id, 'payment', p.method, n.amount, p.id, null, GATEWAY);
      const row = this.d.records.get(p.booking_id);
      const wanted: BookingStatus[] = ['pending_payment', 'paid', 'in_use'];
      if (!wanted.includes(row.status)) {
        this.refund(
          row,
          n.amount,
          'late_payment',
          `payment arrived after the booking was ${row.status}`,
          GATEWAY,
          afterCommit,
          p.id,
        );
        this.d.records.record(
          row.id,
          'late_payment_refunded',
          row.status,
          row.status,
          GATEWAY,
          'payment arrived after the booking ended its hold',
          {
            paymentId: p.id,
            amount: n.amount,
          },
        );
        return 'refunding' as const;
      }
      this.applyPayment(row, GATEWAY, afterCommit);
      return 'recorded' as const;
    });
    return { outcome };
  }

  /** After money came in: a fully paid hold becomes paid; anything over the total goes back. */
  /** After a hold is re-priced: money already in may now cover it (or more than cover it). */
  applyAfterRepricing(row: BookingRow, actor: Actor, afterCommit: AfterCommit): void {
    if (row.status === 'pending_payment' && this.d.records.netPaid(row.id) > 0)
      this.applyPayment(row, actor, afterCommit);
  }

  private applyPayment(row: BookingRow, actor: Actor, afterCommit: AfterCommit): void {
    const net = this.d.records.netPaid(row.id) - this.pendingRefunds(row.id);
    if (row.status === 'pending_payment' && net >= row.total) {
      this.d.records.transition(row, 'pay', actor, 'paid', afterCommit, {
        set: { hold_expires_at: null },
      });
      this.d.scheduler.done(EXPIRE_JOB, row.id);
    }
    if (net > row.total) {
      this.refund(
        row,
        net - row.total,
        'overpaid',
        'paid more than the booking costs',
        actor,
        afterCommit,
      );
    }
  }

  /**
   * Money the cloud service took for an online request (a booking or an extension), recorded in
   * the same write as what it pays for. Idempotent by the cloud's payment id.
   */
  recordCloudPayment(
    bookingId: string,
    cloudPaymentId: string,
    amount: number,
    afterCommit: AfterCommit,
  ): void {
    const txn = `cloud:${cloudPaymentId}`;
    if (this.d.db.prepare('SELECT 1 FROM payments WHERE channel_txn_id = ?').get(txn)) return;
    const now = this.d.clock.now();
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO payments (id, booking_id, method, amount, received, status, channel_txn_id, created_at, paid_at) VALUES (?, ?, 'cloud', ?, ?, 'succeeded', ?, ?, ?)`,
      )
      .run(id, bookingId, amount, amount, txn, now, now);
    this.ledger(bookingId, 'payment', 'cloud', amount, id, null, GATEWAY);
    this.applyPayment(this.d.records.get(bookingId), GATEWAY, afterCommit);
  }

  /**
   * Sends `amount` back through the channels it came in by, newest payment first. Cash goes back
   * over the counter at once; online refunds are queued jobs, retried until the gateway answers.
   * Returns true when every refund it made is already settled. Runs inside a write.
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
        `SELECT p.*, p.received - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status <> 'failed'), 0) AS left
         FROM payments p WHERE p.booking_id = ? AND p.status = 'succeeded' ${onlyPaymentId ? 'AND p.id = ?' : ''}
         ORDER BY p.paid_at DESC, p.created_at DESC`,
      )
      .all(...(onlyPaymentId ? [row.id, onlyPaymentId] : [row.id])) as (PaymentRow & {
      left: number;
    })[];
    let rest = amount;
    const now = this.d.clock.now();
    const made: { id: string; method: PaymentMethod }[] = [];
    for (const p of payments) {
      if (rest <= 0) break;
      const part = Math.min(rest, p.left);
      if (part <= 0) continue;
      rest -= part;
      const id = this.d.newId();
      this.d.db
        .prepare(
          `INSERT INTO refunds (id, booking_id, payment_id, amount, purpose, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(id, row.id, p.id, part, purpose, reason, now);
      made.push({ id, method: p.method });
    }
    if (rest > 0) {
      throw new DomainError(
        'conflict',
        'refund_exceeds_paid',
        `cannot refund ${amount} fen: only ${amount - rest} fen is refundable`,
        'amount',
      );
    }
    // Every row exists before any settles, so the booking is not called refunded half-way.
    // Cash goes back over the counter now. Money the cloud took is owed back by the cloud: the
    // refund is settled here as a ledger fact, which the cloud reads and pays out once by its id.
    const settlesHere = (m: PaymentMethod) => m === 'cash' || m === 'cloud';
    for (const r of made) {
      if (settlesHere(r.method)) {
        this.settleRefund(r.id, null, actor, afterCommit);
      } else {
        this.d.scheduler.schedule(REFUND_JOB, r.id, now);
        afterCommit(() => this.d.scheduler.poke());
      }
    }
    return made.every((r) => settlesHere(r.method));
  }

  /** Job handler: asks the gateway to return the money, then records it. Idempotent by refund id. */
  async executeRefund(refundId: string): Promise<void> {
    const r = this.refundRow(refundId);
    if (!r || r.status !== 'pending') {
      await this.d.writes.run(() => this.d.scheduler.done(REFUND_JOB, refundId));
      return;
    }
    const p = this.payment(r.payment_id);
    const result = await this.channel(p.method)
      .refund({
        paymentId: p.id,
        refundId: r.id,
        amount: r.amount,
        paymentTotal: p.amount,
        reason: r.reason,
      })
      .catch((e: unknown) => {
        if (e instanceof ChannelError && e.code === 'gateway_rejected')
          return { status: 'failed' as const, channelRefundId: null, error: e.message };
        throw e;
      });
    if (result.status === 'pending') throw new Error('the gateway is still processing the refund');
    await this.d.writes.run((afterCommit) => {
      const now = this.refundRow(refundId);
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
        this.settleRefund(refundId, result.channelRefundId, GATEWAY, afterCommit);
      }
      this.d.scheduler.done(REFUND_JOB, refundId);
    });
  }

  private settleRefund(
    refundId: string,
    channelRefundId: string | null,
    actor: Actor,
    afterCommit: AfterCommit,
  ): void {
    const r = this.refundRow(refundId)!;
    const p = this.payment(r.payment_id);
    this.d.db
      .prepare(
        `UPDATE refunds SET status = 'succeeded', channel_refund_id = ?, settled_at = ?, attempts = attempts + 1 WHERE id = ?`,
      )
      .run(channelRefundId, this.d.clock.now(), refundId);
    this.ledger(r.booking_id, 'refund', p.method, -r.amount, p.id, r.id, actor);
    this.settleBookingIfDone(r.booking_id, afterCommit);
  }

  /** A booking waiting for its cancellation or approved refund is refunded once no refund is pending. */
  settleBookingIfDone(bookingId: string, afterCommit: AfterCommit): void {
    const row = this.d.records.get(bookingId);
    if (row.status !== 'refunding') return;
    const pending = this.pendingRefunds(bookingId);
    const settling = this.d.db
      .prepare(
        `SELECT COUNT(*) AS n FROM refunds WHERE booking_id = ? AND purpose IN ('cancel','approved') AND status = 'succeeded' AND created_at >= ?`,
      )
      .get(bookingId, this.refundingSince(bookingId)) as { n: number };
    if (pending === 0 && settling.n > 0) {
      this.d.records.transition(
        row,
        'settle_refund',
        { kind: 'system', id: 'refunds' },
        'refunded',
        afterCommit,
      );
    }
  }

  private refundingSince(bookingId: string): number {
    const r = this.d.db
      .prepare(
        `SELECT MAX(at) AS at FROM booking_events WHERE booking_id = ? AND to_status = 'refunding' AND from_status <> 'refunding'`,
      )
      .get(bookingId) as { at: number | null };
    return r.at ?? 0;
  }

  /** Closes open online payments, e.g. when a hold expires; a late notification is then refunded. */
  closePending(bookingId: string): void {
    this.d.db
      .prepare(`UPDATE payments SET status = 'closed' WHERE booking_id = ? AND status = 'pending'`)
      .run(bookingId);
  }

  private ledger(
    bookingId: string,
    kind: 'payment' | 'refund',
    method: PaymentMethod,
    amount: number,
    paymentId: string,
    refundId: string | null,
    actor: Actor,
  ): void {
    this.d.db
      .prepare(
        `INSERT INTO ledger (booking_id, kind, method, amount, payment_id, refund_id, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        bookingId,
        kind,
        method,
        amount,
        paymentId,
        refundId,
        actor.kind,
        actor.id,
        this.d.clock.now(),
      );
    const id = Number(
      (this.d.db.prepare('SELECT last_insert_rowid() AS id').get() as { id: number }).id,
    );
    this.d.outbox?.markLedger(bookingId, id);
  }

  private payment(id: string): PaymentRow {
    const p = this.d.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as
      PaymentRow | undefined;
    if (!p) throw notFound('payment', id);
    return p;
  }

  private refundRow(id: string): RefundRow | undefined {
    return this.d.db.prepare('SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
  }

  hasPendingRefunds(bookingId: string): boolean {
    return this.pendingRefunds(bookingId) > 0;
  }

  paymentsOf(bookingId: string): PaymentView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM payments WHERE booking_id = ? ORDER BY created_at')
      .all(bookingId) as PaymentRow[];
    return rows.map((p) => this.paymentView(p));
  }

  refundsOf(bookingId: string): RefundView[] {
    const tz = this.d.timeZone();
    const rows = this.d.db
      .prepare(
        'SELECT r.*, p.method FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.booking_id = ? ORDER BY r.created_at',
      )
      .all(bookingId) as (RefundRow & { method: PaymentMethod })[];
    return rows.map((r) => ({
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
    }));
  }

  ledgerOf(bookingId: string): LedgerEntry[] {
    const tz = this.d.timeZone();
    const rows = this.d.db
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
      at: formatInstant(l.at, tz),
    }));
  }

  private paymentView(p: PaymentRow): PaymentView {
    const tz = this.d.timeZone();
    return {
      id: p.id,
      bookingId: p.booking_id,
      method: p.method,
      amount: p.amount,
      status: p.status,
      payUrl: p.pay_url,
      qrPayload: p.qr_payload,
      expiresAt: p.expires_at === null ? null : formatInstant(p.expires_at, tz),
      createdAt: formatInstant(p.created_at, tz),
      paidAt: p.paid_at === null ? null : formatInstant(p.paid_at, tz),
    };
  }
}
