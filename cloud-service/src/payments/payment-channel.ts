// The cloud's payment channel: hold money for an intent, take it when the hub confirms, give it
// back when the hub rejects or the intent expires. Every call is idempotent by payment id, so a
// retry or a second sweeper never moves money twice. `WechatCloudChannel` (wechat-cloud-channel.ts)
// is the real one: WeChat Pay v3 orders, each hold a fact in the cloud's database. The in-memory
// `SimulatedCloudChannel` below (no gateway, forgets everything when the process stops) is kept
// as a test double only.

import type { OnlinePaymentMethod } from '@roomhub/shared-types';

export type PaymentState = 'authorised' | 'captured' | 'released';

export interface PaymentRecord {
  paymentId: string;
  amount: number;
  state: PaymentState;
}

export class PaymentChannelError extends Error {
  override readonly name = 'PaymentChannelError';
  constructor(
    readonly code:
      'declined' | 'amount_mismatch' | 'unknown_payment' | 'illegal_state' | 'unavailable',
    message: string,
    /** For `illegal_state`: the state the payment is in. */
    readonly state?: PaymentState,
  ) {
    super(message);
  }
}

/** What a gateway's notification came to: recorded now, known already, paid late and refunded. */
export type NotificationOutcome = 'recorded' | 'duplicate' | 'refunded' | 'ignored';

export interface CloudPaymentChannel {
  /** The way the customer pays through this channel. */
  readonly method: OnlinePaymentMethod;
  /**
   * Holds `amount` fen once the payer has paid (`declined` when they did not in time,
   * `unavailable` when the gateway did not answer); the same id and amount again is the same hold.
   */
  authorise(input: {
    paymentId: string;
    amount: number;
    description: string;
  }): Promise<PaymentRecord>;
  /** Takes the held money; capturing a captured payment is a no-op. */
  capture(paymentId: string): Promise<PaymentRecord>;
  /** Gives the hold back; releasing a released payment is a no-op. */
  release(paymentId: string): Promise<PaymentRecord>;
  /** Pays part or all of a captured payment back; the same refund id again is a no-op. */
  refund(input: {
    paymentId: string;
    refundId: string;
    amount: number;
  }): Promise<{ refundId: string; amount: number }>;
  /**
   * A channel whose gateway answers by notification takes it here (the cloud's notify route):
   * verified, recorded once however often it comes; a DomainError for one that does not verify.
   */
  handleNotification?(
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): Promise<NotificationOutcome>;
  /**
   * Finishes what a stopped process left behind: orders nobody paid in time are closed, money held
   * for a payment nobody recorded (`isClaimed`) is given back. Returns how many it settled.
   */
  sweep?(isClaimed: (paymentId: string) => Promise<boolean>): Promise<number>;
}

export class SimulatedCloudChannel implements CloudPaymentChannel {
  /** A stand-in for WeChat Pay: nothing leaves this process. */
  readonly method = 'wechat' as const;
  readonly payments = new Map<string, PaymentRecord>();
  /** Every effective state change, for tests to count (a no-op repeat adds nothing). */
  readonly moves: { paymentId: string; to: PaymentState }[] = [];
  /** Amounts at or above this are declined, to exercise the decline path. */
  declineFrom = Number.POSITIVE_INFINITY;

  async authorise(input: { paymentId: string; amount: number }): Promise<PaymentRecord> {
    const existing = this.payments.get(input.paymentId);
    if (existing) {
      if (existing.amount !== input.amount) {
        throw new PaymentChannelError('amount_mismatch', 'this payment id holds another amount');
      }
      return { ...existing };
    }
    if (input.amount >= this.declineFrom) {
      throw new PaymentChannelError('declined', 'the payment was declined');
    }
    const record: PaymentRecord = {
      paymentId: input.paymentId,
      amount: input.amount,
      state: 'authorised',
    };
    this.payments.set(input.paymentId, record);
    this.moves.push({ paymentId: input.paymentId, to: 'authorised' });
    return { ...record };
  }

  async capture(paymentId: string): Promise<PaymentRecord> {
    return this.move(paymentId, 'captured');
  }

  async release(paymentId: string): Promise<PaymentRecord> {
    return this.move(paymentId, 'released');
  }

  /** Refunds paid, by refund id. */
  readonly refunds = new Map<string, { paymentId: string; amount: number }>();

  async refund(input: {
    paymentId: string;
    refundId: string;
    amount: number;
  }): Promise<{ refundId: string; amount: number }> {
    const done = this.refunds.get(input.refundId);
    if (done) return { refundId: input.refundId, amount: done.amount };
    const record = this.payments.get(input.paymentId);
    if (!record) throw new PaymentChannelError('unknown_payment', `no payment ${input.paymentId}`);
    if (record.state !== 'captured') {
      throw new PaymentChannelError(
        'illegal_state',
        `payment ${input.paymentId} is ${record.state}`,
        record.state,
      );
    }
    const already = [...this.refunds.values()]
      .filter((r) => r.paymentId === input.paymentId)
      .reduce((s, r) => s + r.amount, 0);
    if (input.amount <= 0 || already + input.amount > record.amount) {
      throw new PaymentChannelError(
        'amount_mismatch',
        `cannot refund ${input.amount} of ${record.amount - already} left`,
      );
    }
    this.refunds.set(input.refundId, { paymentId: input.paymentId, amount: input.amount });
    return { refundId: input.refundId, amount: input.amount };
  }

  private move(paymentId: string, to: 'captured' | 'released'): PaymentRecord {
    const record = this.payments.get(paymentId);
    if (!record) throw new PaymentChannelError('unknown_payment', `no payment ${paymentId}`);
    if (record.state === to) return { ...record };
    if (record.state !== 'authorised') {
      throw new PaymentChannelError(
        'illegal_state',
        `payment ${paymentId} is ${record.state}`,
        record.state,
      );
    }
    record.state = to;
    this.moves.push({ paymentId, to });
    return { ...record };
  }
}
