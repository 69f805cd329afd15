// Payments (C5): cash at the counter, online charges with their signed notifications, money the
// cloud took for an online request. Owns `payments`. Every payment is a ledger entry in the same
// transaction as the state it explains; money a booking no longer wants goes back through
// `Refunds`. What a booking owes is the ledger's (`Ledger.balanceOf`), never computed here again.
import {
  DomainError,
  formatInstant,
  notFound,
  type Actor,
  type BookingStatus,
  type Clock,
  type PaymentCodeStatus,
  type PaymentView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import { assertCanAct } from '../booking/ownership';
import type { Ledger } from './ledger';
import type { Refunds } from './refunds';
import {
  ChannelError,
  channelFor,
  openCharge,
  type ChargeNotification,
  type Channels,
  type OnlineChannel,
  type OnlinePaymentMethod,
  type PaymentMethod,
} from './channel';

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

const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };

export interface PaymentDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  ledger: Ledger;
  refunds: Refunds;
  channels: Channels;
  /** The URL gateways post notifications to, e.g. http://127.0.0.1:8080/api/payments/notify/wechat */
  notifyUrl: (method: PaymentMethod) => string;
  timeZone: () => string;
}

/**
 * Told of a verified notification for a charge that is not a booking's (a voucher bought at the
 * kiosk), inside the write that records it; undefined when it is not theirs either.
 */
export type OtherCharge = (
  n: ChargeNotification,
  afterCommit: AfterCommit,
) => 'recorded' | 'duplicate' | 'closed' | 'refunding' | undefined;

export class PaymentService {
  private otherCharges: OtherCharge[] = [];

  constructor(private readonly d: PaymentDeps) {}

  /** Another domain's charges through the same channels (vouchers sold at the kiosk). */
  onOtherCharge(fn: OtherCharge): void {
    this.otherCharges.push(fn);
  }

  private channel(method: PaymentMethod): OnlineChannel {
    return channelFor(this.d.channels, method);
  }

  private assertPayable(row: BookingRow): number {
    const payable: BookingStatus[] = ['pending_payment', 'paid', 'in_use'];
    if (!payable.includes(row.status)) {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot pay a booking that is ${row.status}`,
      ).with({ status: row.status });
    }
    const { due } = this.d.ledger.balanceOf(row);
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
    const id = this.takeNow(row, 'cash', due, null, actor, afterCommit);
    return this.paymentView(this.payment(id));
  }

  /**
   * Money taken at once (cash, the cloud's, a voucher's, the wallet's): its payment, succeeded,
   * its ledger entry and what it does to the booking, in the caller's write; the payment's id.
   */
  private takeNow(
    row: BookingRow,
    method: Extract<PaymentMethod, 'cash' | 'cloud' | 'voucher' | 'wallet'>,
    amount: number,
    txn: string | null,
    actor: Actor,
    afterCommit: AfterCommit,
  ): string {
    const now = this.d.clock.now();
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO payments (id, booking_id, method, amount, received, status, channel_txn_id, created_at, paid_at) VALUES (?, ?, ?, ?, ?, 'succeeded', ?, ?, ?)`,
      )
      .run(id, row.id, method, amount, amount, txn, now, now);
    this.d.ledger.append({
      bookingId: row.id,
      kind: 'payment',
      method,
      amount,
      paymentId: id,
      refundId: null,
      actor,
    });
    this.applyPayment(row, actor, afterCommit);
    return id;
  }

  /**
   * Starts an online payment: a pending row first (so a crash leaves a trace), then the gateway's
   * prepay order, then its pay URL and QR. Asking again reuses a still-open payment.
   */
  async startOnline(
    bookingId: string,
    method: OnlinePaymentMethod,
    actor: Actor,
  ): Promise<PaymentView> {
    const channel = this.channel(method);
    const prepared = await this.d.writes.run(() => {
      const row = this.d.records.get(bookingId);
      assertCanAct(row, actor);
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
    const ticket = await openCharge(
      channel,
      {
        paymentId: prepared.id,
        amount: prepared.due,
        description: `Room booking ${prepared.number}`,
        notifyUrl: this.d.notifyUrl(method),
        expiresAt: prepared.expiresAt,
      },
      () =>
        this.d.writes.run(() =>
          this.d.db
            .prepare(`UPDATE payments SET status = 'closed' WHERE id = ? AND status = 'pending'`)
            .run(prepared.id),
        ),
    );
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
      if (!p) {
        for (const other of this.otherCharges) {
          const told = other(n, afterCommit);
          if (told) return told;
        }
        throw notFound('payment', n.paymentId);
      }
      if (n.state !== 'SUCCESS') {
        if (p.status === 'succeeded') return 'duplicate' as const;
        this.d.db.prepare(`UPDATE payments SET status = 'closed' WHERE id = ?`).run(p.id);
        return 'closed' as const;
      }
      // A payment code's charge being reversed gives its money back: it is never credited.
      const reversing = this.d.db
        .prepare(
          `SELECT 1 FROM payment_codes WHERE payment_id = ? AND status IN ('reversing','reversed')`,
        )
        .get(p.id);
      if (reversing && p.status !== 'succeeded') return 'closed' as const;
      return this.credit(p, n, GATEWAY, afterCommit);
    });
    return { outcome };
  }

  /**
   * Money a channel says was paid for `p`: recorded once (the same transaction again changes
   * nothing), and sent back when the booking no longer wants it. Runs inside a write.
   */
  private credit(
    p: PaymentRow,
    n: { channelTxnId: string; paidAt: number; amount: number },
    actor: Actor,
    afterCommit: AfterCommit,
  ): 'recorded' | 'duplicate' | 'refunding' {
    if (p.status === 'succeeded') {
      if (p.channel_txn_id === n.channelTxnId || p.channel_txn_id === null) return 'duplicate';
      throw new DomainError(
        'conflict',
        'payment_already_recorded',
        `payment ${p.id} was recorded with another transaction`,
      );
    }
    this.d.db
      .prepare(
        `UPDATE payments SET status = 'succeeded', channel_txn_id = ?, paid_at = ?, received = ? WHERE id = ?`,
      )
      .run(n.channelTxnId, n.paidAt, n.amount, p.id);
    this.d.ledger.append({
      bookingId: p.booking_id,
      kind: 'payment',
      method: p.method,
      amount: n.amount,
      paymentId: p.id,
      refundId: null,
      actor,
    });
    const row = this.d.records.get(p.booking_id);
    const wanted: BookingStatus[] = ['pending_payment', 'paid', 'in_use'];
    if (!wanted.includes(row.status)) {
      this.d.refunds.refund(
        row,
        n.amount,
        'late_payment',
        `payment arrived after the booking was ${row.status}`,
        actor,
        afterCommit,
        p.id,
      );
      this.d.records.record(
        row.id,
        'late_payment_refunded',
        row.status,
        row.status,
        actor,
        'payment arrived after the booking ended its hold',
        { paymentId: p.id, amount: n.amount },
      );
      return 'refunding';
    }
    this.applyPayment(row, actor, afterCommit);
    return 'recorded';
  }

  /**
   * A payment code about to be charged (payment-codes.ts): checks the booking may be paid by this
   * caller and opens a pending payment of what is due, its id the gateway's out_trade_no. Runs
   * inside a write.
   */
  openCodePayment(
    bookingId: string,
    method: 'wechat' | 'alipay',
    actor: Actor,
  ): { id: string; amount: number; number: string } {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    const due = this.assertPayable(row);
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO payments (id, booking_id, method, amount, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)`,
      )
      .run(id, bookingId, method, due, this.d.clock.now());
    return { id, amount: due, number: row.number };
  }

  /** A payment code's charge found paid: credited once, as a notification would be. In a write. */
  creditCodePayment(
    paymentId: string,
    paid: { channelTxnId: string; paidAt: number; amount: number },
    afterCommit: AfterCommit,
  ): 'recorded' | 'duplicate' | 'refunding' {
    return this.credit(this.payment(paymentId), paid, GATEWAY, afterCommit);
  }

  /** A payment code's charge that ended unpaid (declined, reversed). In a write. */
  closeCodePayment(paymentId: string): void {
    this.d.db
      .prepare(`UPDATE payments SET status = 'closed' WHERE id = ? AND status = 'pending'`)
      .run(paymentId);
  }

  /** One payment as the API shows it. */
  view(paymentId: string): PaymentView {
    return this.paymentView(this.payment(paymentId));
  }

  /** After a hold is re-priced: money already in may now cover it (or more than cover it). */
  applyAfterRepricing(row: BookingRow, actor: Actor, afterCommit: AfterCommit): void {
    if (row.status === 'pending_payment' && this.d.ledger.balanceOf(row).paid > 0)
      this.applyPayment(row, actor, afterCommit);
  }

  /** After money came in: a fully paid hold becomes paid; anything over the total goes back. */
  private applyPayment(row: BookingRow, actor: Actor, afterCommit: AfterCommit): void {
    const net = this.d.ledger.balanceOf(row).refundable;
    if (row.status === 'pending_payment' && net >= row.total) {
      this.d.records.transition(row, 'pay', actor, 'paid', afterCommit, {
        set: { hold_expires_at: null },
      });
    } else {
      // Money that changes no status (an extension paid, part of a hold paid) is still news to
      // the screens following the booking: the kiosk waits on it to leave its payment screen.
      this.d.records.announce(row, afterCommit);
    }
    if (net > row.total) {
      this.d.refunds.refund(
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
    this.takeNow(this.d.records.get(bookingId), 'cloud', amount, txn, GATEWAY, afterCommit);
  }

  /**
   * What a voucher paid of a booking (its redemption's share), recorded in the redemption's write;
   * the payment's id. Idempotent by the redemption's id.
   */
  recordVoucherPayment(
    bookingId: string,
    redemptionId: string,
    amount: number,
    actor: Actor,
    afterCommit: AfterCommit,
  ): string {
    const txn = `voucher:${redemptionId}`;
    const known = this.d.db.prepare('SELECT id FROM payments WHERE channel_txn_id = ?').get(txn) as
      { id: string } | undefined;
    if (known) return known.id;
    const row = this.d.records.get(bookingId);
    this.assertPayable(row);
    return this.takeNow(row, 'voucher', amount, txn, actor, afterCommit);
  }

  /**
   * What a member's wallet pays of a booking, recorded in the write that spends the wallet
   * (wallet/wallet.service.ts); the payment's id, which the wallet's movement names.
   */
  recordWalletPayment(
    bookingId: string,
    amount: number,
    actor: Actor,
    afterCommit: AfterCommit,
  ): string {
    const row = this.d.records.get(bookingId);
    this.assertPayable(row);
    return this.takeNow(row, 'wallet', amount, null, actor, afterCommit);
  }

  /** Closes open online payments, e.g. when a hold expires; a late notification is then refunded. */
  closePending(bookingId: string): void {
    this.d.db
      .prepare(`UPDATE payments SET status = 'closed' WHERE booking_id = ? AND status = 'pending'`)
      .run(bookingId);
  }

  private payment(id: string): PaymentRow {
    const p = this.d.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as
      PaymentRow | undefined;
    if (!p) throw notFound('payment', id);
    return p;
  }

  paymentsOf(bookingId: string): PaymentView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM payments WHERE booking_id = ? ORDER BY created_at')
      .all(bookingId) as PaymentRow[];
    return rows.map((p) => this.paymentView(p));
  }

  private paymentView(p: PaymentRow): PaymentView {
    const tz = this.d.timeZone();
    const code = this.d.db
      .prepare('SELECT status, masked_code, reason FROM payment_codes WHERE payment_id = ?')
      .get(p.id) as
      { status: PaymentCodeStatus; masked_code: string; reason: string | null } | undefined;
    return {
      ...(code
        ? { code: { status: code.status, masked: code.masked_code, reason: code.reason } }
        : {}),
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
