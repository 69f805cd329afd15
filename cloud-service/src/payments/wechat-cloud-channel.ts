// The cloud's `wechat` payment channel: holds are WeChat Pay Native orders made through the
// WeChat Pay v3 client (`@roomhub/payment-gateways`, the hub's own client), each a fact in the
// cloud's database (payment-facts.ts), so a restart forgets nothing. Money counts as held once
// the gateway's signed notification (verified by the client) or a query says it is paid; a
// release closes an order nobody paid or refunds a paid one whole; a capture is the fact's state
// only (WeChat Pay has no separate capture: the money was taken when paid). Every call is
// idempotent by payment id, down to the gateway's order and refund numbers, so a retry, a second
// instance or a second sweeper never moves money twice. It never reads or writes an intent.
import {
  ChannelError,
  type ChargeNotification,
  type ChargeStatus,
  type WechatPayChannel,
} from '@roomhub/payment-gateways';
import { DomainError, notFound, type Clock } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import {
  PaymentChannelError,
  type CloudPaymentChannel,
  type NotificationOutcome,
  type PaymentRecord,
} from './payment-channel';
import { PaymentFacts, outRefundNoOf, outTradeNoOf, type PaymentFact } from './payment-facts';

/** What the channel needs of the WeChat Pay v3 client. */
export type WechatPayClient = Pick<
  WechatPayChannel,
  'createCharge' | 'queryCharge' | 'closeCharge' | 'refund' | 'verifyNotification'
>;

export interface WechatCloudChannelOptions {
  couch: CouchClient;
  client: WechatPayClient;
  clock: Clock;
  /** Where the gateway posts its notifications: the cloud's notify route, as the gateway reaches it. */
  notifyUrl: () => string;
  /** How long the payer has to pay a hold before it is given up (the order's time_expire). */
  payWindowMs?: number;
  /** How often a hold waiting to be paid asks the gateway, in case its notification is late. */
  queryEveryMs?: number;
  /**
   * How long after an order's pay window (or a payment nobody recorded) the sweeper finishes it:
   * the order closed, or the money given back.
   */
  graceMs?: number;
  /** Told of every order made: where the payer pays it (printed while payments are simulated). */
  onOrder?: (order: {
    paymentId: string;
    amount: number;
    payUrl: string;
    qrPayload: string;
  }) => void;
  log?: (error: unknown) => void;
}

const RELEASE_REASON = '预订未成，退回付款 (the booking was not made; payment given back)';

export class WechatCloudChannel implements CloudPaymentChannel {
  readonly method = 'wechat' as const;
  private readonly facts: PaymentFacts;
  private readonly payWindowMs: number;
  private readonly queryEveryMs: number;
  private readonly graceMs: number;
  /** Holds waiting in this process, woken when a notification of theirs arrives here. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(private readonly o: WechatCloudChannelOptions) {
    this.facts = new PaymentFacts(o.couch, o.clock);
    this.payWindowMs = o.payWindowMs ?? 120_000;
    this.queryEveryMs = o.queryEveryMs ?? 1_000;
    this.graceMs = o.graceMs ?? 60_000;
  }

  /**
   * Makes the Native order (once per payment id) and waits, for the pay window at most, until the
   * gateway says it is paid; an order not paid by then is closed and the payment declined.
   */
  async authorise(input: {
    paymentId: string;
    amount: number;
    description: string;
  }): Promise<PaymentRecord> {
    const outTradeNo = outTradeNoOf(input.paymentId);
    let fact = await this.facts.get(outTradeNo);
    if (fact && fact.amount !== input.amount) {
      throw new PaymentChannelError('amount_mismatch', 'this payment id holds another amount');
    }
    fact ??= await this.facts.create({
      paymentId: input.paymentId,
      method: this.method,
      outTradeNo,
      amount: input.amount,
      description: input.description,
      state: 'ordered',
      payBy: new Date(this.o.clock.now() + this.payWindowMs).toISOString(),
    });
    if (givenUp(fact)) throw notPaid(input.paymentId);
    if (fact.state !== 'ordered') return recordOf(fact);

    try {
      const ticket = await this.o.client.createCharge({
        paymentId: outTradeNo,
        amount: fact.amount,
        description: fact.description,
        notifyUrl: this.o.notifyUrl(),
        expiresAt: Date.parse(fact.payBy),
      });
      if (fact.payUrl === undefined) {
        fact = await this.facts.change(outTradeNo, (f) =>
          f.payUrl === undefined ? { ...f, payUrl: ticket.payUrl } : undefined,
        );
        this.o.onOrder?.({ paymentId: input.paymentId, amount: fact.amount, ...ticket });
      }
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      // Paid already (an earlier try's order): the wait below finds it so.
      if (error.gatewayCode !== 'ORDERPAID') {
        if (error.code !== 'gateway_rejected') throw unavailable(error);
        await this.release(input.paymentId);
        throw new PaymentChannelError('declined', `the payment was refused: ${error.message}`);
      }
    }

    // The wait is a caller's HTTP request held open, on the wall clock; the window is the order's.
    const left = Date.parse(fact.payBy) - this.o.clock.now();
    const after = await this.waitUntilPaid(outTradeNo, Date.now() + Math.max(0, left));
    const settled = after.state === 'ordered' ? await this.closeUnpaid(after) : after;
    if (givenUp(settled)) throw notPaid(input.paymentId);
    return recordOf(settled);
  }

  /** Keeps the held money: WeChat Pay took it when paid, so only the fact moves. */
  async capture(paymentId: string): Promise<PaymentRecord> {
    const outTradeNo = outTradeNoOf(paymentId);
    let fact = await this.facts.get(outTradeNo);
    if (!fact) throw new PaymentChannelError('unknown_payment', `no payment ${paymentId}`);
    // Held as far as the gateway knows, though its notification has not been recorded yet.
    if (fact.state === 'ordered') fact = await this.refresh(fact);
    if (fact.state === 'ordered') {
      throw new PaymentChannelError('declined', `payment ${paymentId} has not been paid`);
    }
    if (givenUp(fact)) {
      throw new PaymentChannelError(
        'illegal_state',
        `payment ${paymentId} is released`,
        'released',
      );
    }
    const captured = await this.facts.change(outTradeNo, (f) =>
      f.state === 'held' ? { ...f, state: 'captured', claimed: true } : undefined,
    );
    if (captured.state !== 'captured') return this.capture(paymentId);
    return recordOf(captured);
  }

  /** Gives the hold back: the order closed if nobody paid it, the money refunded whole if paid. */
  async release(paymentId: string): Promise<PaymentRecord> {
    const outTradeNo = outTradeNoOf(paymentId);
    let fact = await this.facts.get(outTradeNo);
    // Holds made before the cloud kept them here were simulated: nothing moved, nothing to give.
    if (!fact) return { paymentId, amount: 0, state: 'released' };
    if (fact.state === 'captured') {
      throw new PaymentChannelError(
        'illegal_state',
        `payment ${paymentId} is captured`,
        'captured',
      );
    }
    if (fact.state === 'ordered') fact = await this.closeUnpaid(fact);
    if (fact.state === 'held') fact = await this.refundWhole(fact);
    return recordOf(fact);
  }

  /** Pays part or all of a captured payment back, once per refund id. */
  async refund(input: {
    paymentId: string;
    refundId: string;
    amount: number;
  }): Promise<{ refundId: string; amount: number }> {
    const outTradeNo = outTradeNoOf(input.paymentId);
    const fact = await this.facts.get(outTradeNo);
    if (!fact) throw new PaymentChannelError('unknown_payment', `no payment ${input.paymentId}`);
    let asked = fact.refunds[input.refundId];
    if (asked?.status === 'succeeded' || asked?.status === 'pending') {
      return { refundId: input.refundId, amount: asked.amount };
    }
    if (asked === undefined) {
      if (fact.state !== 'captured') {
        throw new PaymentChannelError(
          'illegal_state',
          `payment ${input.paymentId} is ${fact.state}`,
          fact.state === 'released' ? 'released' : 'authorised',
        );
      }
      const reserved = await this.facts.change(outTradeNo, (f) => {
        if (f.refunds[input.refundId] !== undefined) return undefined;
        const paidBack = Object.values(f.refunds).reduce((s, r) => s + r.amount, 0);
        if (!(input.amount > 0) || paidBack + input.amount > f.amount) return undefined;
        const asked = {
          outRefundNo: outRefundNoOf(outTradeNo, input.refundId),
          amount: input.amount,
          status: 'asked' as const,
          at: new Date(this.o.clock.now()).toISOString(),
        };
        return { ...f, refunds: { ...f.refunds, [input.refundId]: asked } };
      });
      asked = reserved.refunds[input.refundId];
      if (asked === undefined) {
        const paidBack = Object.values(reserved.refunds).reduce((s, r) => s + r.amount, 0);
        throw new PaymentChannelError(
          'amount_mismatch',
          `cannot refund ${input.amount} of ${reserved.amount - paidBack} left`,
        );
      }
    }
    const done = await this.askRefund(fact, asked.outRefundNo, asked.amount, '退款');
    await this.facts.change(outTradeNo, (f) => {
      const r = f.refunds[input.refundId];
      if (r === undefined || r.status !== 'asked') return undefined;
      return { ...f, refunds: { ...f.refunds, [input.refundId]: { ...r, ...done } } };
    });
    return { refundId: input.refundId, amount: asked.amount };
  }

  /**
   * A gateway's notification, from the cloud's notify route: verified and decrypted by the client,
   * then recorded once however often it comes. Money paid after its hold was given up is refunded.
   */
  async handleNotification(
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): Promise<NotificationOutcome> {
    let n: ChargeNotification;
    try {
      n = this.o.client.verifyNotification(headers, rawBody);
    } catch (error) {
      if (error instanceof ChannelError)
        throw new DomainError('invalid', error.code, error.message);
      throw error;
    }
    const fact = await this.facts.get(n.paymentId);
    if (!fact) throw notFound('payment', n.paymentId);
    try {
      // Not paid (closed, failed): nothing moved; the hold's own wait or the sweeper finishes it.
      if (n.state !== 'SUCCESS') return 'ignored';
      await this.paid(fact, n);
      if (fact.state === 'ordered') return 'recorded';
      return fact.state === 'released' && fact.releasedBy === 'closed' ? 'refunded' : 'duplicate';
    } finally {
      this.wake(n.paymentId);
    }
  }

  /**
   * Finishes what no call is left to finish: an order whose pay window passed is closed (or, found
   * paid, refunded), and money held for a payment nobody recorded (`isClaimed` says whether
   * someone did) is given back. Returns how many payments it settled.
   */
  async sweep(isClaimed: (paymentId: string) => Promise<boolean>): Promise<number> {
    const now = this.o.clock.now();
    let settled = 0;
    for (const fact of await this.facts.open()) {
      try {
        if (fact.state === 'ordered') {
          if (Date.parse(fact.payBy) + this.graceMs > now) continue;
          await this.release(fact.paymentId);
          settled += 1;
        } else if (fact.state === 'held' && fact.releasedBy === 'closed') {
          // Money that came after its order was closed, left half given back.
          await this.release(fact.paymentId);
          settled += 1;
        } else if (fact.state === 'held' && !fact.claimed) {
          const since = Date.parse(fact.paidAt ?? fact.updatedAt);
          if (since + this.graceMs > now) continue;
          if (await isClaimed(fact.paymentId)) {
            await this.facts.change(fact.outTradeNo, (f) => ({ ...f, claimed: true }));
            continue;
          }
          await this.release(fact.paymentId);
          settled += 1;
        }
      } catch (error) {
        if (!(error instanceof PaymentChannelError)) throw error;
        this.o.log?.(error);
      }
    }
    return settled;
  }

  /** Waits until the fact leaves `ordered` (here or on another instance) or the deadline passes. */
  private async waitUntilPaid(outTradeNo: string, deadline: number): Promise<PaymentFact> {
    for (;;) {
      const fact = await this.facts.get(outTradeNo);
      if (!fact) throw new Error(`no payment fact ${outTradeNo}`);
      if (fact.state !== 'ordered') return fact;
      const left = deadline - Date.now();
      if (left <= 0) return fact;
      const woken = await this.sleep(outTradeNo, Math.min(this.queryEveryMs, left));
      // A notification recorded here is read at the top; otherwise ask the gateway itself.
      if (!woken) await this.refresh(fact).catch((error: unknown) => this.o.log?.(error));
    }
  }

  /** The fact brought up to what the gateway says of its order. */
  private async refresh(fact: PaymentFact): Promise<PaymentFact> {
    let status: ChargeStatus;
    try {
      status = await this.o.client.queryCharge(fact.outTradeNo);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      if (error.gatewayCode === 'ORDER_NOT_EXIST') return fact;
      throw asChannelError(error);
    }
    if ((status.state === 'SUCCESS' || status.state === 'REFUND') && status.channelTxnId) {
      return this.paid(fact, {
        channelTxnId: status.channelTxnId,
        paidAt: status.paidAt ?? this.o.clock.now(),
      });
    }
    return fact;
  }

  /** Closes an unpaid order, or (found paid) records it held; the fact as it then stands. */
  private async closeUnpaid(fact: PaymentFact): Promise<PaymentFact> {
    let outcome;
    try {
      outcome = await this.o.client.closeCharge(fact.outTradeNo);
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error;
      // The order was never made (the gateway refused it, or never heard of it): nothing to close.
      if (error.gatewayCode !== 'ORDER_NOT_EXIST') throw asChannelError(error);
      outcome = 'closed' as const;
    }
    if (outcome === 'paid') return this.refresh(fact);
    return this.facts.change(fact.outTradeNo, (f) =>
      f.state === 'ordered' ? { ...f, state: 'released', releasedBy: 'closed' } : undefined,
    );
  }

  /** Records the order paid: held while it is wanted, refunded whole if it was given up. */
  private async paid(
    fact: PaymentFact,
    tx: Pick<ChargeNotification, 'channelTxnId' | 'paidAt'>,
  ): Promise<PaymentFact> {
    const after = await this.facts.change(fact.outTradeNo, (f) =>
      f.state === 'ordered'
        ? {
            ...f,
            state: 'held',
            channelTxnId: tx.channelTxnId,
            paidAt: new Date(tx.paidAt).toISOString(),
          }
        : f.state === 'released' && f.releasedBy === 'closed'
          ? // Paid although its order was closed: held only to be given back (`releasedBy` stays).
            { ...f, state: 'held', channelTxnId: tx.channelTxnId }
          : undefined,
    );
    if (after.state === 'held' && after.releasedBy === 'closed') return this.refundWhole(after);
    return after;
  }

  /** Refunds a held payment whole, under one refund number whatever the tries. */
  private async refundWhole(fact: PaymentFact): Promise<PaymentFact> {
    const outRefundNo = outRefundNoOf(fact.outTradeNo, 'release');
    const done = await this.askRefund(fact, outRefundNo, fact.amount, RELEASE_REASON);
    const at = new Date(this.o.clock.now()).toISOString();
    return this.facts.change(fact.outTradeNo, (f) =>
      f.state === 'held'
        ? {
            ...f,
            state: 'released',
            releasedBy: 'refunded',
            release: { outRefundNo, amount: f.amount, at, ...done },
          }
        : undefined,
    );
  }

  /** One refund at the gateway, idempotent by its number; what it came to, unless it failed. */
  private async askRefund(
    fact: PaymentFact,
    outRefundNo: string,
    amount: number,
    reason: string,
  ): Promise<{ status: 'succeeded' | 'pending'; channelRefundId?: string }> {
    let result;
    try {
      result = await this.o.client.refund({
        paymentId: fact.outTradeNo,
        refundId: outRefundNo,
        amount,
        paymentTotal: fact.amount,
        reason,
      });
    } catch (error) {
      if (error instanceof ChannelError) throw asChannelError(error);
      throw error;
    }
    if (result.status === 'failed') {
      throw new PaymentChannelError(
        'declined',
        `refund ${outRefundNo} of ${fact.paymentId} failed`,
      );
    }
    return {
      status: result.status,
      ...(result.channelRefundId ? { channelRefundId: result.channelRefundId } : {}),
    };
  }

  /** Resolves true when woken by a notification of this order, false after `ms`. */
  private sleep(outTradeNo: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.waiting.get(outTradeNo) ?? new Set<() => void>();
      this.waiting.set(outTradeNo, waiters);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.waiting.delete(outTradeNo);
        resolve(woken);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      waiters.add(wake);
    });
  }

  private wake(outTradeNo: string): void {
    for (const wake of [...(this.waiting.get(outTradeNo) ?? [])]) wake();
  }
}

/** Released, or paid after its order was closed and being given back. */
const givenUp = (fact: PaymentFact) => fact.state === 'released' || fact.releasedBy !== undefined;

function recordOf(fact: PaymentFact): PaymentRecord {
  const state =
    fact.state === 'captured' ? 'captured' : fact.state === 'released' ? 'released' : 'authorised';
  return { paymentId: fact.paymentId, amount: fact.amount, state };
}

function notPaid(paymentId: string): PaymentChannelError {
  return new PaymentChannelError('declined', `payment ${paymentId} was not paid in time`);
}

function unavailable(error: ChannelError): PaymentChannelError {
  return new PaymentChannelError(
    'unavailable',
    `the payment gateway did not answer: ${error.message}`,
  );
}

/** A gateway that did not answer may be asked again; one that refused will refuse again. */
function asChannelError(error: ChannelError): PaymentChannelError {
  return error.code === 'gateway_rejected'
    ? new PaymentChannelError('declined', error.message)
    : unavailable(error);
}
