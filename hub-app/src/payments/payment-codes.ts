// Payment codes (付款码, micropay) at the counter and the kiosk: the cashier scans the payer's
// WeChat or Alipay payment code and the hub charges it at once, for a booking or for a tea-and-
// snacks order (each a payee: what it owes, and where its money is recorded). Owns
// `payment_codes`, each charge's state, so a hub stopped in the middle picks it up at its next start. The protocols'
// rule when the answer is late or says the payer is still confirming (USERPAYING): query every few
// seconds, through the persistent scheduler, up to a limit, then reverse (WeChat's reverse,
// Alipay's cancel) whatever is not known to be paid; an answer lost to the network is queried,
// never assumed. The money reaches the ledger only once it is certain (the payee's). Never
// keeps the code itself, and never charges a code twice: after the first try only queries and
// the reverse reach the gateway.
import {
  channelOfPaymentCode,
  DomainError,
  maskPaymentCode,
  type Actor,
  type Clock,
  type OrderChargeView,
  type PaymentCodeStatus,
  type PaymentView,
} from '@roomhub/shared-types';
import type { ChargeStatus, CodeChargeResult } from '@roomhub/payment-gateways';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import { ChannelError, codeChannelOf, type Channels, type CodeChannel } from './channel';
import type { PaymentService } from './payment.service';

export const PAYMENT_CODE_JOB = 'payment-code.check';
/** How often a charge the payer is still confirming is queried. */
export const QUERY_EVERY_MS = 5_000;
/** How long after the scan a charge not known to be paid is reversed. */
export const GIVE_UP_AFTER_MS = 30_000;

interface CodeRow {
  payment_id: string;
  booking_id: string | null;
  order_id: string | null;
  method: 'wechat' | 'alipay';
  amount: number;
  status: PaymentCodeStatus;
  attempts: number;
  give_up_at: number;
}

export interface PaymentCodeDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  scheduler: Scheduler;
  channels: Channels;
  payments: PaymentService;
  notifyUrl: (method: 'wechat' | 'alipay') => string;
}

/** Money the gateway says was paid for a charge. */
export interface CodePaid {
  channelTxnId: string;
  paidAt: number;
  amount: number;
}

/**
 * What a payment code pays: a booking (its payment) or an order (its charge). Every method but
 * `view` runs inside the write that records the step; none talks to the gateway.
 */
export interface CodePayee<View> {
  /**
   * Checks `actor` may pay `targetId` by a code and opens a pending payment of what is due; its id
   * is the gateway's out_trade_no.
   */
  open(
    targetId: string,
    method: 'wechat' | 'alipay',
    actor: Actor,
  ): { id: string; amount: number; description: string };
  /** Records the money, once: a second time (a notification got there first) changes nothing. */
  credit(id: string, paid: CodePaid, afterCommit: AfterCommit): void;
  /** Closes a payment that ended unpaid (declined, reversed). */
  close(id: string): void;
  /** Whether the money is recorded already (a notification may have got there first). */
  credited(id: string): boolean;
  view(id: string): View;
}

interface Payees {
  booking: CodePayee<PaymentView>;
  order: CodePayee<OrderChargeView>;
}
type PayeeKind = keyof Payees;

const FINAL: PaymentCodeStatus[] = ['paid', 'declined', 'reversed'];

export class PaymentCodes {
  private orders: CodePayee<OrderChargeView> | null = null;

  constructor(private readonly d: PaymentCodeDeps) {}

  /** Orders are paid by code through their charges (menu/order-charges.ts). Call once. */
  payOrders(payee: CodePayee<OrderChargeView>): void {
    this.orders = payee;
  }

  /** Queries and reverses are jobs, so they survive a restart. Call once. */
  register(): void {
    this.d.scheduler.on(PAYMENT_CODE_JOB, (job) => this.check(job.ref));
  }

  /**
   * Charges `code` for what `bookingId` owes. Paid at once: the payment is recorded. The payer
   * still confirming, or no answer: the payment is pending and the scheduler follows it up.
   * Declined: a 402 naming `code`, saying why in words a cashier can repeat.
   */
  charge(bookingId: string, code: string, actor: Actor): Promise<PaymentView> {
    return this.chargeFor('booking', bookingId, code, actor);
  }

  /** Charges `code` for what a tea-and-snacks order still owes, as `charge` does a booking. */
  chargeOrder(orderId: string, code: string, actor: Actor): Promise<OrderChargeView> {
    return this.chargeFor('order', orderId, code, actor);
  }

  private async chargeFor<K extends PayeeKind>(
    kind: K,
    targetId: string,
    code: string,
    actor: Actor,
  ): Promise<ReturnType<Payees[K]['view']>> {
    const method = channelOfPaymentCode(code);
    const channel = this.channel(method);
    const payee = this.payee(kind);
    const column = kind === 'booking' ? 'booking_id' : 'order_id';
    const opened = await this.d.writes.run((afterCommit) => {
      // A second scan while one is still being charged would take the money twice.
      const open = this.d.db
        .prepare(
          `SELECT masked_code FROM payment_codes WHERE ${column} = ? AND status IN ('charging','waiting','reversing')`,
        )
        .get(targetId) as { masked_code: string } | undefined;
      if (open) {
        throw new DomainError(
          'conflict',
          'payment_code_in_progress',
          `payment code ${open.masked_code} is still being charged for this ${kind}: wait for its result`,
          'code',
        ).with({ code: open.masked_code });
      }
      const p = payee.open(targetId, method, actor);
      const now = this.d.clock.now();
      this.d.db
        .prepare(
          `INSERT INTO payment_codes (payment_id, ${column}, method, amount, masked_code, status, give_up_at, actor_kind, actor_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'charging', ?, ?, ?, ?, ?)`,
        )
        .run(
          p.id,
          targetId,
          method,
          p.amount,
          maskPaymentCode(code),
          now + GIVE_UP_AFTER_MS,
          actor.kind,
          actor.id,
          now,
          now,
        );
      // Scheduled before the charge is sent: a hub that stops now queries it at its next start.
      this.d.scheduler.schedule(PAYMENT_CODE_JOB, p.id, now + QUERY_EVERY_MS);
      afterCommit(() => this.d.scheduler.poke());
      return p;
    });
    let result: CodeChargeResult | { declined: string } | { unknown: string };
    try {
      result = await channel.chargeCode(
        {
          paymentId: opened.id,
          amount: opened.amount,
          description: opened.description,
          authCode: code,
        },
        this.d.notifyUrl(method),
      );
    } catch (e) {
      result =
        e instanceof ChannelError && e.code === 'gateway_rejected'
          ? { declined: declineWords(e.gatewayCode) }
          : { unknown: e instanceof Error ? e.message : String(e) };
    }
    if ('declined' in result) {
      const reason = result.declined;
      await this.d.writes.run(() => this.end(payee, opened.id, 'declined', reason));
      throw new DomainError(
        'payment_declined',
        'payment_code_declined',
        `the payment code was not accepted: ${reason}; ask the customer to pay another way`,
        'code',
      ).with({ reason });
    }
    if ('unknown' in result) {
      await this.d.writes.run(() =>
        this.move(opened.id, 'waiting', 'no answer from the payment platform: asking it again'),
      );
    } else if (result.state === 'SUCCESS' && result.channelTxnId) {
      const paid = {
        channelTxnId: result.channelTxnId,
        paidAt: result.paidAt ?? this.d.clock.now(),
        amount: result.amount,
      };
      await this.d.writes.run((afterCommit) => this.paid(payee, opened.id, paid, afterCommit));
    } else {
      await this.d.writes.run(() =>
        this.move(opened.id, 'waiting', 'the customer is confirming the payment on their phone'),
      );
    }
    return payee.view(opened.id) as ReturnType<Payees[K]['view']>;
  }

  /**
   * The scheduled follow-up of a charge not yet settled: asks the gateway; paid is recorded,
   * closed is ended; still unknown is asked again a few seconds later, and reversed once the
   * limit has passed. A reverse that fails is retried by the scheduler until the gateway answers.
   */
  private async check(paymentId: string): Promise<void> {
    const row = this.row(paymentId);
    if (!row || FINAL.includes(row.status)) {
      await this.d.writes.run(() => this.d.scheduler.done(PAYMENT_CODE_JOB, paymentId));
      return;
    }
    const channel = this.channel(row.method);
    const payee = this.payee(row.booking_id !== null ? 'booking' : 'order');
    if (row.status !== 'reversing') {
      let status: ChargeStatus | null = null;
      try {
        status = await channel.queryCharge(paymentId);
      } catch {
        status = null; // not there (yet), or no answer: the same as not known to be paid
      }
      if (status && (status.state === 'SUCCESS' || status.state === 'REFUND')) {
        const paid = {
          channelTxnId: status.channelTxnId ?? `${row.method}:${paymentId}`,
          paidAt: status.paidAt ?? this.d.clock.now(),
          amount: status.amount || row.amount,
        };
        await this.d.writes.run((afterCommit) => this.paid(payee, paymentId, paid, afterCommit));
        return;
      }
      if (status && ['CLOSED', 'REVOKED', 'PAYERROR'].includes(status.state)) {
        await this.d.writes.run(() =>
          this.end(payee, paymentId, 'declined', 'the payment platform closed the charge unpaid'),
        );
        return;
      }
      if (this.d.clock.now() < row.give_up_at) {
        await this.d.writes.run(() => {
          this.d.db
            .prepare(
              'UPDATE payment_codes SET attempts = attempts + 1, updated_at = ? WHERE payment_id = ?',
            )
            .run(this.d.clock.now(), paymentId);
          this.d.scheduler.schedule(
            PAYMENT_CODE_JOB,
            paymentId,
            this.d.clock.now() + QUERY_EVERY_MS,
          );
        });
        return;
      }
      const decided = await this.d.writes.run((afterCommit) => {
        // A notification may have recorded it paid since the query: then it stays paid.
        if (payee.credited(paymentId)) {
          this.paid(payee, paymentId, null, afterCommit);
          return 'paid' as const;
        }
        this.move(paymentId, 'reversing', 'not paid in time: the charge is being reversed');
        return 'reversing' as const;
      });
      if (decided === 'paid') return;
    }
    // Throws when the gateway does not answer: the job stays and the reverse is tried again.
    const reversed = await channel.reverseCharge(paymentId);
    await this.d.writes.run(() =>
      this.end(
        payee,
        paymentId,
        'reversed',
        reversed === 'refunded'
          ? 'not confirmed in time: the charge was reversed and the money given back to the customer'
          : 'not confirmed in time: the charge was reversed, nothing was taken',
      ),
    );
  }

  /** Recorded paid (credited once, unless a notification already did); `null`: already credited. */
  private paid(
    payee: CodePayee<unknown>,
    paymentId: string,
    paid: CodePaid | null,
    afterCommit: AfterCommit,
  ): void {
    if (paid) payee.credit(paymentId, paid, afterCommit);
    this.move(paymentId, 'paid', null);
    this.d.scheduler.done(PAYMENT_CODE_JOB, paymentId);
  }

  private end(
    payee: CodePayee<unknown>,
    paymentId: string,
    status: 'declined' | 'reversed',
    reason: string,
  ): void {
    payee.close(paymentId);
    this.move(paymentId, status, reason);
    this.d.scheduler.done(PAYMENT_CODE_JOB, paymentId);
  }

  /** Moves a charge on; one that already ended (the scheduler got there first) stays as it is. */
  private move(paymentId: string, status: PaymentCodeStatus, reason: string | null): void {
    this.d.db
      .prepare(
        `UPDATE payment_codes SET status = ?, reason = ?, updated_at = ?
         WHERE payment_id = ? AND status NOT IN ('paid','declined','reversed')`,
      )
      .run(status, reason, this.d.clock.now(), paymentId);
  }

  private row(paymentId: string): CodeRow | undefined {
    return this.d.db.prepare('SELECT * FROM payment_codes WHERE payment_id = ?').get(paymentId) as
      CodeRow | undefined;
  }

  private payee<K extends PayeeKind>(kind: K): Payees[K] {
    if (kind === 'booking') return this.bookings as Payees[K];
    if (!this.orders) throw new Error('orders are not paid by payment codes on this hub');
    return this.orders as Payees[K];
  }

  /** A booking's side: its payments and ledger (PaymentService). */
  private readonly bookings: CodePayee<PaymentView> = {
    open: (bookingId, method, actor) => {
      const p = this.d.payments.openCodePayment(bookingId, method, actor);
      return { id: p.id, amount: p.amount, description: `Room booking ${p.number}` };
    },
    credit: (id, paid, afterCommit) => {
      this.d.payments.creditCodePayment(id, paid, afterCommit);
    },
    close: (id) => this.d.payments.closeCodePayment(id),
    credited: (id) => this.d.payments.view(id).status === 'succeeded',
    view: (id) => this.d.payments.view(id),
  };

  private channel(method: 'wechat' | 'alipay'): CodeChannel {
    const c = codeChannelOf(this.d.channels, method);
    if (!c) {
      throw new DomainError(
        'unavailable',
        'channel_unavailable',
        `payment codes of ${method} are not set up on this hub`,
        'code',
      );
    }
    return c;
  }
}

/** The gateway's reason for a decline, in words a cashier can repeat to the customer. */
function declineWords(gatewayCode: string | undefined): string {
  switch (gatewayCode) {
    case 'NOTENOUGH':
    case 'ACQ.BUYER_BALANCE_NOT_ENOUGH':
      return "the customer's balance is not enough";
    case 'AUTH_CODE_INVALID':
    case 'AUTHCODEEXPIRE':
    case 'ACQ.PAYMENT_AUTH_CODE_INVALID':
      return 'the payment code has expired or was already used: ask the customer to refresh it';
    case 'ACQ.BUYER_ENABLE_STATUS_FORBID':
    case 'BUYER_MISMATCH':
      return "the customer's account cannot pay right now";
    default:
      return 'the payment platform declined it';
  }
}
