// A tea-and-snacks order paid online (C5, C8): the QR the kiosk shows for an order is a charge of
// its own through the store's channel (WeChat Pay, Alipay, UnionPay), credited to the order's
// money ledger in the write that records the gateway's verified notification: paid once however
// often the gateway tells it. Money a paid order gives back the way it came is a channel refund,
// decided in the order's write (its ledger entry there) and sent by a job that retries until the
// gateway answers. Money paid for an order that can take no more (cancelled meanwhile, paid at
// the counter too) goes straight back. A payment code (付款码) scanned for an order is a charge of
// its own too, followed up and reversed by payments/payment-codes.ts, which this module serves as
// the order's payee. Owns `order_charges` and `order_charge_refunds`; writes the order's ledger
// only through `OrderMoney`; never changes an order's status.
import {
  DomainError,
  formatInstant,
  notFound,
  OPEN_ORDER_STATUSES,
  type Actor,
  type Clock,
  type OnlinePaymentMethod,
  type OrderChargeView,
  type OrderStatus,
  type PaymentCodeStatus,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import { logger } from '../log';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import {
  ChannelError,
  channelFor,
  openCharge,
  type ChargeNotification,
  type Channels,
} from '../payments/channel';
import { GIVE_UP_AFTER_MS, type CodePaid, type CodePayee } from '../payments/payment-codes';
import type { Scheduler } from '../scheduler/scheduler';
import type { OrderMoney } from './order-money';
import type { OrderRecords } from './order-records';
import type { Tender } from './order-tenders';

/** An order's QR not paid by then is closed: the gateway refuses the money after it too. */
export const ORDER_CHARGE_CLOSE_JOB = 'order-charge.close';
/** A refund decided for money paid online, sent to its channel. */
export const ORDER_CHARGE_REFUND_JOB = 'order-charge.refund';

/** How long the QR of an order can be paid. */
const CHARGE_MINUTES = 15;
const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };
/** A charge whose money reached the order (or is on its way straight back). */
const CREDITED: readonly OrderChargeView['status'][] = ['paid', 'returning', 'returned'];

interface ChargeRow {
  id: string;
  order_id: string;
  method: OnlinePaymentMethod;
  amount: number;
  status: OrderChargeView['status'];
  channel_txn_id: string | null;
  pay_url: string | null;
  qr_payload: string | null;
  screen_id: string | null;
  expires_at: number;
  created_at: number;
  paid_at: number | null;
}

export interface OrderChargeDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  scheduler: Scheduler;
  channels: Channels;
  records: OrderRecords;
  money: OrderMoney;
  notifyUrl: (method: OnlinePaymentMethod) => string;
  timeZone: () => string;
}

export class OrderCharges {
  constructor(private readonly d: OrderChargeDeps) {}

  register(): void {
    this.d.scheduler.on(ORDER_CHARGE_CLOSE_JOB, (job) =>
      this.d.writes.run(() => {
        this.d.scheduler.done(ORDER_CHARGE_CLOSE_JOB, job.ref);
        this.close(job.ref);
      }),
    );
    this.d.scheduler.on(ORDER_CHARGE_REFUND_JOB, (job) => this.sendRefund(job.ref));
  }

  /**
   * A QR for what is still due on an order, through `method`'s channel. The caller has checked
   * the actor may act on the order (a kiosk only on the booking in front of it).
   */
  async start(
    orderId: string,
    method: OnlinePaymentMethod,
    actor: Actor,
  ): Promise<OrderChargeView> {
    const channel = channelFor(this.d.channels, method);
    const charge = await this.d.writes.run(() => {
      const scanning = this.codeInProgress(orderId);
      if (scanning) {
        throw new DomainError(
          'conflict',
          'payment_code_in_progress',
          `payment code ${scanning} is still being charged for this order: wait for its result`,
          'method',
        ).with({ code: scanning });
      }
      const c = this.open(orderId, method, CHARGE_MINUTES * 60_000, actor);
      this.d.scheduler.schedule(ORDER_CHARGE_CLOSE_JOB, c.id, c.expiresAt);
      return c;
    });
    const ticket = await openCharge(
      channel,
      {
        paymentId: charge.id,
        amount: charge.amount,
        description: `Tea and snacks order ${charge.number}`,
        notifyUrl: this.d.notifyUrl(method),
        expiresAt: charge.expiresAt,
      },
      () => this.d.writes.run(() => this.close(charge.id)),
    );
    return this.d.writes.run(() => {
      this.d.db
        .prepare('UPDATE order_charges SET pay_url = ?, qr_payload = ? WHERE id = ?')
        .run(ticket.payUrl, ticket.qrPayload, charge.id);
      return this.view(this.row(charge.id));
    });
  }

  get(id: string): OrderChargeView {
    const r = this.row(id);
    const view = this.view(r);
    // Past its expiry the gateway refuses the QR's money; the screen reads it closed at once. A
    // payment code's charge is pending until it is known paid or reversed.
    if (r.status === 'pending' && !view.code && this.d.clock.now() >= r.expires_at) {
      view.status = 'closed';
    }
    return view;
  }

  /**
   * The order's side of a payment code (payments/payment-codes.ts): a charge of what is still due,
   * credited to the order's ledger once the code is known paid, closed when it ends unpaid.
   */
  codePayee(): CodePayee<OrderChargeView> {
    return {
      open: (orderId, method, actor) => {
        const c = this.open(orderId, method, GIVE_UP_AFTER_MS, actor);
        return { id: c.id, amount: c.amount, description: `Tea and snacks order ${c.number}` };
      },
      credit: (id, paid) => {
        this.credit(this.row(id), paid);
      },
      close: (id) => this.close(id),
      credited: (id) => CREDITED.includes(this.row(id).status),
      view: (id) => this.get(id),
    };
  }

  /**
   * A pending charge of what `orderId` still owes, showing for `forMs`. One at a time: a QR
   * still showing is closed, so an order is never paid twice. Runs inside a write.
   */
  private open(
    orderId: string,
    method: OnlinePaymentMethod,
    forMs: number,
    actor: Actor,
  ): { id: string; amount: number; number: string; expiresAt: number } {
    const order = this.d.records.get(orderId);
    if (!(OPEN_ORDER_STATUSES as readonly OrderStatus[]).includes(order.status)) {
      throw new DomainError(
        'conflict',
        'order_closed',
        `this order is ${order.status}: nothing can be paid on it`,
      ).with({ state: order.status });
    }
    const { paid } = this.d.money.sums(orderId);
    const due = order.total - paid;
    if (due <= 0) throw new DomainError('conflict', 'order_paid', 'this order is paid already');
    for (const open of this.openCharges(orderId)) this.close(open.id);
    const id = this.d.newId();
    const now = this.d.clock.now();
    const expiresAt = now + forMs;
    this.d.db
      .prepare(
        `INSERT INTO order_charges (id, order_id, method, amount, status, screen_id, expires_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
      )
      .run(id, orderId, method, due, actor.screen?.id ?? null, expiresAt, now);
    return { id, amount: due, number: order.number, expiresAt };
  }

  /**
   * The gateway's verified notification for one of these charges, inside the write that records
   * it: credited once. An order that can take no more gets the money straight back.
   */
  notified(
    n: ChargeNotification,
    afterCommit: AfterCommit,
  ): 'recorded' | 'duplicate' | 'closed' | 'refunding' | undefined {
    void afterCommit;
    const r = this.find(n.paymentId);
    if (!r) return undefined;
    if (CREDITED.includes(r.status)) return 'duplicate';
    if (n.state !== 'SUCCESS') {
      this.close(r.id);
      return 'closed';
    }
    // A payment code's charge being reversed gives its money back: it is never credited.
    const code = this.codeOf(r.id);
    if (code && (code.status === 'reversing' || code.status === 'reversed')) return 'closed';
    return this.credit(r, n);
  }

  /**
   * Money a channel says was paid for charge `r`: credited to the order once; an order that can
   * take no more gets it straight back. Runs inside a write.
   */
  private credit(r: ChargeRow, n: CodePaid): 'recorded' | 'duplicate' | 'refunding' {
    if (CREDITED.includes(r.status)) return 'duplicate';
    this.d.scheduler.done(ORDER_CHARGE_CLOSE_JOB, r.id);
    const order = this.d.records.get(r.order_id);
    const { paid } = this.d.money.sums(r.order_id);
    const open = (OPEN_ORDER_STATUSES as readonly OrderStatus[]).includes(order.status);
    if (!open || n.amount > order.total - paid) {
      this.d.db
        .prepare(
          `UPDATE order_charges SET status = 'returning', channel_txn_id = ?, paid_at = ? WHERE id = ?`,
        )
        .run(n.channelTxnId, n.paidAt, r.id);
      this.queueRefund(r.id, n.amount);
      return 'refunding';
    }
    this.d.db
      .prepare(
        `UPDATE order_charges SET status = 'paid', channel_txn_id = ?, paid_at = ? WHERE id = ?`,
      )
      .run(n.channelTxnId, n.paidAt, r.id);
    this.d.money.append({
      orderId: r.order_id,
      kind: 'payment',
      method: r.method,
      amount: n.amount,
      reason: null,
      actor: GATEWAY,
    });
    return 'recorded';
  }

  /**
   * The tender of an online method: nothing is taken at the counter (a QR is paid instead), and
   * what goes back is refunded through the channel, from the order's charges of that method.
   */
  tender(method: OnlinePaymentMethod): Tender {
    return {
      method,
      take: () => {
        throw new DomainError(
          'invalid',
          'order_pay_online',
          'an order is paid online by the QR of a charge',
          'method',
        );
      },
      giveBack: (order, amount) => {
        let left = amount;
        for (const c of this.refundable(order.id, method)) {
          const part = Math.min(left, c.left);
          if (part <= 0) break;
          this.queueRefund(c.id, part);
          left -= part;
        }
        if (left > 0) {
          throw new DomainError(
            'conflict',
            'order_refund_over_paid',
            `only ${amount - left} fen paid by ${method} can go back`,
          );
        }
      },
    };
  }

  // ---- the channel's side ---------------------------------------------------------------------

  private queueRefund(chargeId: string, amount: number): void {
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO order_charge_refunds (id, charge_id, amount, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
      )
      .run(id, chargeId, amount, this.d.clock.now());
    this.d.scheduler.schedule(ORDER_CHARGE_REFUND_JOB, id, this.d.clock.now());
  }

  /** Job: sends one refund to its channel; the scheduler retries it while the gateway cannot say. */
  private async sendRefund(refundId: string): Promise<void> {
    const r = this.d.db
      .prepare(
        `SELECT f.*, c.method, c.amount AS charge_amount, c.channel_txn_id FROM order_charge_refunds f JOIN order_charges c ON c.id = f.charge_id WHERE f.id = ?`,
      )
      .get(refundId) as
      | {
          id: string;
          charge_id: string;
          amount: number;
          status: string;
          method: OnlinePaymentMethod;
          charge_amount: number;
          channel_txn_id: string | null;
        }
      | undefined;
    if (!r || r.status !== 'pending') {
      await this.d.writes.run(() => this.d.scheduler.done(ORDER_CHARGE_REFUND_JOB, refundId));
      return;
    }
    const result = await channelFor(this.d.channels, r.method)
      .refund({
        paymentId: r.charge_id,
        refundId: r.id,
        amount: r.amount,
        paymentTotal: r.charge_amount,
        reason: 'tea and snacks order refund',
        channelTxnId: r.channel_txn_id,
      })
      .catch((e: unknown) => {
        if (e instanceof ChannelError && e.code === 'gateway_rejected')
          return { status: 'failed' as const, channelRefundId: null, error: e.message };
        throw e;
      });
    if (result.status === 'pending') throw new Error('the gateway is still processing the refund');
    if (result.status === 'failed') {
      logger().warn(
        { refundId: r.id, chargeId: r.charge_id, amount: r.amount },
        'the gateway refused to give back money of a tea-and-snacks order: hand it back another way',
      );
    }
    await this.d.writes.run(() => {
      const error = 'error' in result ? result.error : null;
      this.d.db
        .prepare(
          `UPDATE order_charge_refunds SET status = ?, channel_refund_id = ?, last_error = ?, settled_at = ? WHERE id = ? AND status = 'pending'`,
        )
        .run(result.status, result.channelRefundId, error, this.d.clock.now(), r.id);
      this.d.db
        .prepare(
          `UPDATE order_charges SET status = 'returned' WHERE id = ? AND status = 'returning'`,
        )
        .run(r.charge_id);
      this.d.scheduler.done(ORDER_CHARGE_REFUND_JOB, refundId);
    });
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The order's paid charges of `method` with what each can still give back, oldest first. */
  private refundable(orderId: string, method: OnlinePaymentMethod): { id: string; left: number }[] {
    return this.d.db
      .prepare(
        `SELECT c.id, c.amount - COALESCE((SELECT SUM(amount) FROM order_charge_refunds f WHERE f.charge_id = c.id AND f.status != 'failed'), 0) AS left
           FROM order_charges c WHERE c.order_id = ? AND c.method = ? AND c.status = 'paid' ORDER BY c.paid_at`,
      )
      .all(orderId, method) as { id: string; left: number }[];
  }

  /** Refunds of an order's online money sent or on their way, for the order's screen. */
  refundsOf(orderId: string): { id: string; amount: number; status: string }[] {
    return this.d.db
      .prepare(
        `SELECT f.id, f.amount, f.status FROM order_charge_refunds f JOIN order_charges c ON c.id = f.charge_id WHERE c.order_id = ? ORDER BY f.created_at`,
      )
      .all(orderId) as { id: string; amount: number; status: string }[];
  }

  /** The QRs still showing for an order (a payment code's charge ends by its own steps). */
  private openCharges(orderId: string): ChargeRow[] {
    return this.d.db
      .prepare(
        `SELECT * FROM order_charges c WHERE order_id = ? AND status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM payment_codes p WHERE p.payment_id = c.id)`,
      )
      .all(orderId) as ChargeRow[];
  }

  /** The masked code of a payment code still being charged for the order, if any. */
  private codeInProgress(orderId: string): string | undefined {
    const r = this.d.db
      .prepare(
        `SELECT masked_code FROM payment_codes WHERE order_id = ? AND status IN ('charging','waiting','reversing')`,
      )
      .get(orderId) as { masked_code: string } | undefined;
    return r?.masked_code;
  }

  private codeOf(
    chargeId: string,
  ): { status: PaymentCodeStatus; masked_code: string; reason: string | null } | undefined {
    return this.d.db
      .prepare('SELECT status, masked_code, reason FROM payment_codes WHERE payment_id = ?')
      .get(chargeId) as
      { status: PaymentCodeStatus; masked_code: string; reason: string | null } | undefined;
  }

  private close(id: string): void {
    this.d.db
      .prepare(`UPDATE order_charges SET status = 'closed' WHERE id = ? AND status = 'pending'`)
      .run(id);
  }

  private find(id: string): ChargeRow | undefined {
    return this.d.db.prepare('SELECT * FROM order_charges WHERE id = ?').get(id) as
      ChargeRow | undefined;
  }

  private row(id: string): ChargeRow {
    const r = this.find(id);
    if (!r) throw notFound('order charge', id, 'id');
    return r;
  }

  private view(r: ChargeRow): OrderChargeView {
    const tz = this.d.timeZone();
    const code = this.codeOf(r.id);
    return {
      ...(code
        ? { code: { status: code.status, masked: code.masked_code, reason: code.reason } }
        : {}),
      id: r.id,
      orderId: r.order_id,
      method: r.method,
      amount: r.amount,
      status: r.status,
      payUrl: r.pay_url,
      qrPayload: r.qr_payload,
      expiresAt: formatInstant(r.expires_at, tz),
      paidAt: r.paid_at === null ? null : formatInstant(r.paid_at, tz),
    };
  }
}
