// Refunds of our vouchers sold online: 随时退 asked by the customer, 过期退 by the sweep when a
// voucher expires unused and its deal refunds on expiry. The store alone knows whether a voucher
// was used, so a refund asks the store that speaks for it first (a signed `voucher_refund` intent)
// and the money goes back through the channel, by the refund id `rf-<purchaseId>`, only once the
// store has marked it refunded. Safe to repeat. Never decides for the store, and never writes a
// store's database.
import { DomainError, type Clock } from '@roomhub/shared-types';
import type { IntentRecord, IntentService } from '../intents/intents';
import { PaymentChannelError, type CloudPaymentChannel } from '../payments/payment-channel';
import type { DueOutcome, DueWork } from './due-work';
import {
  homeOf,
  voucherStatus,
  type PurchaseRecord,
  type PurchaseRecords,
} from './purchase-records';
import { CARRY_ON_MS, iso, refundIdOf } from './purchase-steps';

const refundIntentId = (voucherId: string, attempt: number) => `vr-${voucherId}-${attempt}`;

export interface VoucherRefundsDeps {
  clock: Clock;
  records: PurchaseRecords;
  due: DueWork;
  intents: IntentService;
  payments: CloudPaymentChannel;
  /** How long a refund waits for the store's answer before it is answered as waiting. */
  intentWaitMs: number;
  log: (error: unknown) => void;
}

export class VoucherRefunds {
  constructor(private readonly d: VoucherRefundsDeps) {}

  /**
   * 随时退: the customer asks to refund an unused voucher (or an expired one, where the deal
   * refunds on expiry). The store is asked first and waited for a moment; the money goes back
   * only once it has marked the voucher refunded. The purchase as it stands after.
   */
  async customerAsks(r: PurchaseRecord): Promise<PurchaseRecord> {
    const asked = await this.ask(r, 'asked');
    let settled = asked.record;
    if (asked.intent && settled.refund?.state === 'asked') {
      await this.d.intents.waitForAnswer(asked.intent, this.d.intentWaitMs);
    }
    try {
      settled = await this.settle(settled);
    } catch (error) {
      // The store said yes; the money goes back when the channel answers (the sweep asks again).
      if (!(error instanceof PaymentChannelError)) throw error;
      this.d.log(error);
      settled = (await this.d.records.get(r.purchaseId)) ?? settled;
    }
    return settled;
  }

  /** The sweep's item for a voucher's expiry (`expiry:<purchaseId>`): 过期退 where due. */
  async expiry(r: PurchaseRecord): Promise<DueOutcome> {
    if (r.state !== 'issued' || !r.refundOnExpiry) return 'done';
    const status = voucherStatus(r, this.d.clock.now());
    if (status === 'valid') return 'later';
    if (status !== 'expired' || (r.refund && r.refund.state !== 'rejected')) return 'done';
    if (r.refund?.why === 'expired') return 'done'; // the store refused it once: it stands
    await this.ask(r, 'expired');
    return 'done';
  }

  /** Records a refund and sends it to the store, unless one is under way or done already. */
  private async ask(
    r: PurchaseRecord,
    why: 'asked' | 'expired',
  ): Promise<{ record: PurchaseRecord; intent?: IntentRecord }> {
    if (r.refund && r.refund.state !== 'rejected') return { record: r };
    const now = this.d.clock.now();
    const status = voucherStatus(r, now);
    const allowed =
      status === 'valid' ? r.refundAnyTime : status === 'expired' ? r.refundOnExpiry : false;
    if (!allowed) {
      throw new DomainError(
        'conflict',
        'voucher_not_refundable',
        status === 'valid' || status === 'expired'
          ? `this deal's terms do not refund a voucher that is ${status}`
          : `this voucher is ${status} and cannot be refunded`,
      ).with({ status });
    }
    const attempt = (r.refund?.attempt ?? 0) + 1;
    const record = await this.d.records.update(r.purchaseId, (cur) =>
      cur.refund && cur.refund.state !== 'rejected'
        ? undefined
        : {
            ...cur,
            refund: {
              why,
              attempt,
              intentId: refundIntentId(cur.purchaseId, attempt),
              state: 'asked',
              askedAt: iso(now),
            },
          },
    );
    await this.d.due.at(now + CARRY_ON_MS, `purchase:${r.purchaseId}`);
    return { record, intent: await this.send(record) };
  }

  private send(r: PurchaseRecord): Promise<IntentRecord> {
    // Asked of the store that speaks for the voucher now: the one it moved to, if it moved.
    const home = homeOf(r);
    return this.d.intents.submit({
      storeId: home.storeId,
      by: { customerId: r.customerId },
      kind: 'voucher_refund',
      body: { pass: home.pass!, why: r.refund!.why },
      intentId: r.refund!.intentId,
    });
  }

  /** Reads the store's answer to a refund under way, and pays the money back after `done`. */
  async settle(record: PurchaseRecord): Promise<PurchaseRecord> {
    let r = record;
    const refund = r.refund;
    if (!refund) return r;
    if (refund.state === 'asked') {
      const intent =
        (await this.d.intents.get({ customerId: r.customerId }, refund.intentId)) ??
        // Recorded here but never sent (a stop in between): sent now.
        (await this.send(r));
      const answer = intent.state === 'answered' ? intent.answer : undefined;
      if (!answer) return r;
      r = await this.d.records.update(r.purchaseId, (cur) =>
        cur.refund?.intentId !== refund.intentId || cur.refund.state !== 'asked'
          ? undefined
          : {
              ...cur,
              refund: {
                ...cur.refund,
                state: answer.outcome === 'done' ? 'done' : 'rejected',
                ...(answer.outcome === 'done'
                  ? {}
                  : { reason: answer.reason ?? 'the store did not refund it' }),
              },
            },
      );
    }
    if (r.refund?.state !== 'done') return r;
    await this.d.payments.refund({
      paymentId: r.payment.paymentId,
      refundId: refundIdOf(r.purchaseId),
      amount: r.price,
    });
    const at = iso(this.d.clock.now());
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.refund?.state !== 'done'
        ? undefined
        : { ...cur, refund: { ...cur.refund, state: 'paid', paidAt: at } },
    );
  }
}
