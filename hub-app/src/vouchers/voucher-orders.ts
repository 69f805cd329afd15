// A voucher of our own deal bought at the kiosk (C12): the customer pays by the QR on the screen
// (the hub's online channel, WeChat Pay v3), the kiosk follows the order, and the voucher is
// issued, signed by this hub, in the same write that records the gateway's signed notification:
// paid once, issued once, however often the gateway tells it. Owns `voucher_orders`; issues
// through `OwnVouchers`. One that expires unused is refunded through the channel by a job, where
// its deal says so (过期退); the customer's refund before that is staff's at the counter.
import {
  DomainError,
  formatInstant,
  notFound,
  type Actor,
  type Clock,
  type VoucherView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import {
  channelFor,
  openCharge,
  type ChargeNotification,
  type Channels,
} from '../payments/channel';
import type { Scheduler } from '../scheduler/scheduler';
import type { DealStock } from './deal-stock';
import type { Deals } from './deals';
import type { OwnVouchers } from './own-vouchers';

type Write = <T>(work: (afterCommit: AfterCommit) => T) => Promise<T>;

/** A voucher bought at the kiosk that expires unused is refunded by itself when its deal says so. */
export const VOUCHER_EXPIRY_REFUND_JOB = 'voucher.expiry-refund';
/** An order not paid by its expiry is closed, and its place in the deal's stock given back. */
export const VOUCHER_ORDER_CLOSE_JOB = 'voucher.order-close';

/** How long the QR on the kiosk's screen can be paid. */
const ORDER_MINUTES = 15;
const GATEWAY: Actor = { kind: 'system', id: 'payment-gateway' };
const SYSTEM: Actor = { kind: 'system', id: 'voucher-expiry' };

interface OrderRow {
  id: string;
  deal_id: string;
  customer_phone: string;
  method: 'wechat';
  amount: number;
  status: 'pending' | 'paid' | 'closed';
  pay_url: string | null;
  qr_payload: string | null;
  channel_txn_id: string | null;
  voucher_id: string | null;
  screen_id: string | null;
  expires_at: number;
  created_at: number;
  paid_at: number | null;
}

export interface VoucherOrderView {
  id: string;
  dealId: string;
  amount: number;
  status: OrderRow['status'];
  payUrl: string | null;
  qrPayload: string | null;
  expiresAt: string;
  /** The voucher, once paid: its code and QR for the screen and the receipt. */
  voucher: VoucherView | null;
}

export interface VoucherOrderDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  deals: Deals;
  own: OwnVouchers;
  stock: DealStock;
  channels: Channels;
  scheduler: Scheduler;
  notifyUrl: () => string;
  timeZone: () => string;
}

export class VoucherOrders {
  constructor(private readonly d: VoucherOrderDeps) {}

  register(): void {
    this.d.scheduler.on(VOUCHER_EXPIRY_REFUND_JOB, (job) => this.refundExpired(job.ref));
    this.d.scheduler.on(VOUCHER_ORDER_CLOSE_JOB, (job) => this.closeUnpaid(job.ref));
  }

  /** Job (过期退): a kiosk voucher still unused at its expiry goes back to where it was paid. */
  private async refundExpired(voucherId: string): Promise<void> {
    const done = () =>
      this.d.writes.run(() => this.d.scheduler.done(VOUCHER_EXPIRY_REFUND_JOB, voucherId));
    const row = this.d.own.find(voucherId);
    const deal = row ? this.d.deals.find(row.deal_id) : undefined;
    if (!row || !deal?.refundOnExpiry || this.d.own.status(row) !== 'expired') return done();
    await this.refund(voucherId, SYSTEM, (w) => this.d.writes.run(w));
    await done();
  }

  /** Job: an order still unpaid at its expiry is closed; its place in the stock goes back. */
  private async closeUnpaid(id: string): Promise<void> {
    const r = await this.d.writes.run(() => {
      this.d.scheduler.done(VOUCHER_ORDER_CLOSE_JOB, id);
      this.d.db
        .prepare(`UPDATE voucher_orders SET status = 'closed' WHERE id = ? AND status = 'pending'`)
        .run(id);
      return this.row(id);
    });
    const deal = this.d.deals.find(r.deal_id);
    if (r.status === 'closed' && deal) await this.d.stock.release(deal, r.id);
  }

  /**
   * An order for one voucher, with the QR to pay it by. A deal with a limited stock takes its
   * place from the one stock before the QR is shown, and gets it back if the order is not paid.
   */
  async start(
    input: { dealId: string; customer: { phone: string } },
    actor: Actor,
  ): Promise<VoucherOrderView> {
    const channel = channelFor(this.d.channels, 'wechat');
    const order = await this.d.writes.run(() => {
      const deal = this.d.deals.get(input.dealId);
      this.d.own.assertSellable(deal, input.customer.phone);
      const id = this.d.newId();
      const now = this.d.clock.now();
      this.d.db
        .prepare(
          `INSERT INTO voucher_orders (id, deal_id, customer_phone, method, amount, status, screen_id, expires_at, created_at) VALUES (?, ?, ?, 'wechat', ?, 'pending', ?, ?, ?)`,
        )
        .run(
          id,
          deal.id,
          input.customer.phone,
          deal.price,
          actor.screen?.id ?? null,
          now + ORDER_MINUTES * 60_000,
          now,
        );
      this.d.scheduler.schedule(VOUCHER_ORDER_CLOSE_JOB, id, now + ORDER_MINUTES * 60_000);
      return {
        id,
        deal,
        amount: deal.price,
        title: deal.title,
        expiresAt: now + ORDER_MINUTES * 60_000,
      };
    });
    const close = () =>
      this.d.writes.run(() => {
        this.d.scheduler.done(VOUCHER_ORDER_CLOSE_JOB, order.id);
        this.d.db
          .prepare(
            `UPDATE voucher_orders SET status = 'closed' WHERE id = ? AND status = 'pending'`,
          )
          .run(order.id);
      });
    try {
      await this.d.stock.claim(order.deal, order.id);
    } catch (e) {
      await close();
      throw e;
    }
    const ticket = await openCharge(
      channel,
      {
        paymentId: order.id,
        amount: order.amount,
        description: `Group-buy voucher ${order.title}`.slice(0, 120),
        notifyUrl: this.d.notifyUrl(),
        expiresAt: order.expiresAt,
      },
      async () => {
        await close();
        await this.d.stock.release(order.deal, order.id);
      },
    );
    return this.d.writes.run(() => {
      this.d.db
        .prepare('UPDATE voucher_orders SET pay_url = ?, qr_payload = ? WHERE id = ?')
        .run(ticket.payUrl, ticket.qrPayload, order.id);
      return this.view(this.row(order.id));
    });
  }

  get(id: string): VoucherOrderView {
    const r = this.row(id);
    if (r.status === 'pending' && this.d.clock.now() >= r.expires_at) {
      // Past its expiry the gateway refuses the money; the screen reads it closed.
      return { ...this.view(r), status: 'closed' };
    }
    return this.view(r);
  }

  /**
   * The gateway's verified notification for one of these orders, inside the write that records
   * it: the voucher issued once. Money for an order already closed is kept on the sales ledger
   * as a voucher all the same (the customer paid; better a voucher than money in limbo).
   */
  notified(n: ChargeNotification): 'recorded' | 'duplicate' | 'closed' | undefined {
    const r = this.d.db.prepare('SELECT * FROM voucher_orders WHERE id = ?').get(n.paymentId) as
      OrderRow | undefined;
    if (!r) return undefined;
    if (r.status === 'paid') return 'duplicate';
    if (n.state !== 'SUCCESS') {
      this.d.db.prepare(`UPDATE voucher_orders SET status = 'closed' WHERE id = ?`).run(r.id);
      return 'closed';
    }
    const deal = this.d.deals.get(r.deal_id);
    const voucher = this.d.own.issue(deal, r.customer_phone, 'wechat', n.amount, GATEWAY);
    this.d.scheduler.schedule(VOUCHER_EXPIRY_REFUND_JOB, voucher.id, voucher.valid_until);
    this.d.scheduler.done(VOUCHER_ORDER_CLOSE_JOB, r.id);
    this.d.db
      .prepare(
        `UPDATE voucher_orders SET status = 'paid', channel_txn_id = ?, paid_at = ?, voucher_id = ? WHERE id = ?`,
      )
      .run(n.channelTxnId, n.paidAt, voucher.id, r.id);
    return 'recorded';
  }

  /**
   * Gives a voucher sold here back for its money, as its deal allows: cash over the counter, or
   * back through the channel a kiosk purchase was paid by (idempotent by the order).
   */
  async refund(id: string, actor: Actor, write: Write): Promise<VoucherView> {
    const { method } = this.d.own.assertRefundable(id);
    if (method === 'cash') return write(() => this.d.own.refundSale(id, actor));
    const order = this.d.db
      .prepare(`SELECT * FROM voucher_orders WHERE voucher_id = ? AND status = 'paid'`)
      .get(id) as OrderRow | undefined;
    if (!order) throw notFound('order', id);
    const result = await channelFor(this.d.channels, order.method).refund({
      paymentId: order.id,
      refundId: `vr-${order.id}`.slice(0, 64),
      amount: order.amount,
      paymentTotal: order.amount,
      reason: 'voucher refunded',
    });
    if (result.status === 'failed') {
      throw new DomainError(
        'unavailable',
        'gateway_unavailable',
        'the payment gateway refused the refund: try again or refund in cash',
      );
    }
    return write(() => {
      this.d.own.markRefunded(id, 'wechat', actor);
      return this.d.own.view(this.d.own.row(id));
    });
  }

  private row(id: string): OrderRow {
    const r = this.d.db.prepare('SELECT * FROM voucher_orders WHERE id = ?').get(id) as
      OrderRow | undefined;
    if (!r) throw notFound('order', id);
    return r;
  }

  private view(r: OrderRow): VoucherOrderView {
    return {
      id: r.id,
      dealId: r.deal_id,
      amount: r.amount,
      status: r.status,
      payUrl: r.pay_url,
      qrPayload: r.qr_payload,
      expiresAt: formatInstant(r.expires_at, this.d.timeZone()),
      voucher: r.voucher_id ? this.d.own.view(this.d.own.row(r.voucher_id)) : null,
    };
  }
}
