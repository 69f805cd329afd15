// The steps of one purchase up to its voucher reaching the store: its places in the deal's stock
// and the buyer's limit (deal-claims.ts), the money taken through the channel, the voucher issued
// and sent to its store as a signed `voucher_issued` intent (and, when the buyer came through a
// share link, the `referral` that credits its sharer). Each step is a function of the
// purchase record as it stands and safe to repeat. Money moves only by ids the channel is
// idempotent by: the payment `dp-<purchaseId>`, its refund `rf-<purchaseId>`. Never decides a
// group's outcome or a refund, and never writes a store's database.
import type { Clock } from '@roomhub/shared-types';
import type { IntentService } from '../intents/intents';
import { PaymentChannelError, type CloudPaymentChannel } from '../payments/payment-channel';
import { buyerClaims, stockClaims, type DealClaims } from './deal-claims';
import type { DealShares } from './deal-shares';
import type { DueWork } from './due-work';
import type { PurchaseRecord, PurchaseRecords } from './purchase-records';
import type { VoucherIssuer } from './voucher-issuer';

const DAY = 24 * 3_600_000;
/** A purchase not at rest this long after a step is carried on by the sweep. */
export const CARRY_ON_MS = 2 * 60_000;

export const iso = (ms: number) => new Date(ms).toISOString();
export const paymentIdOf = (purchaseId: string) => `dp-${purchaseId}`;
export const refundIdOf = (purchaseId: string) => `rf-${purchaseId}`;
const issuedIntentId = (voucherId: string) => `vi-${voucherId}`;

export interface PurchaseStepsDeps {
  clock: Clock;
  records: PurchaseRecords;
  claims: DealClaims;
  issuer: VoucherIssuer;
  due: DueWork;
  intents: IntentService;
  payments: CloudPaymentChannel;
  /** The share link a buyer came through: its sharer is credited once the voucher is out. */
  shares?: Pick<DealShares, 'credit'>;
}

export class PurchaseSteps {
  constructor(private readonly d: PurchaseStepsDeps) {}

  /**
   * Takes the purchase's places in the stock and the buyer's limit, then the money; a payment
   * refused leaves nothing held and gives the places back.
   */
  async pay(r: PurchaseRecord): Promise<PurchaseRecord> {
    const { paymentId } = r.payment;
    const refusal = await this.takeClaims(r);
    if (refusal) {
      await this.releaseClaims(r);
      return this.d.records.update(r.purchaseId, (cur) =>
        cur.state !== 'paying'
          ? undefined
          : { ...cur, state: 'failed', refusal, payment: { ...cur.payment, state: 'failed' } },
      );
    }
    try {
      await this.d.payments.authorise({ paymentId, amount: r.price, description: r.title });
      await this.d.payments.capture(paymentId);
    } catch (error) {
      if (!(error instanceof PaymentChannelError) || error.code === 'unavailable') throw error;
      // Declined, or the hold went back before it was taken: nothing is held for this purchase.
      await this.d.payments.release(paymentId).catch(() => undefined);
      await this.releaseClaims(r);
      return this.d.records.update(r.purchaseId, (cur) =>
        cur.state !== 'paying'
          ? undefined
          : {
              ...cur,
              state: 'failed',
              payment: { ...cur.payment, state: 'failed', failure: error.message.slice(0, 200) },
            },
      );
    }
    const paid = await this.d.records.update(r.purchaseId, (cur) =>
      cur.state !== 'paying'
        ? undefined
        : {
            ...cur,
            state: cur.groupSize > 1 ? 'grouping' : 'issued',
            payment: { ...cur.payment, state: 'taken' },
          },
    );
    return paid.state === 'issued' && !paid.voucher ? this.issue(paid) : paid;
  }

  /** A place in the deal's stock and one in the buyer's limit; which ran out if not. */
  private async takeClaims(r: PurchaseRecord): Promise<'sold_out' | 'limit_reached' | null> {
    const { storeId, dealId, purchaseId, customerId, limits } = r;
    if (
      limits.stock !== null &&
      !(await this.d.claims.take(stockClaims(storeId, dealId), limits.stock, purchaseId))
    ) {
      return 'sold_out';
    }
    if (
      limits.perCustomer !== null &&
      !(await this.d.claims.take(
        buyerClaims(storeId, dealId, customerId),
        limits.perCustomer,
        purchaseId,
        (r.otherIds ?? []).map((id) => buyerClaims(storeId, dealId, id)),
      ))
    ) {
      return 'limit_reached';
    }
    return null;
  }

  /** Gives back the claims of a purchase that issued nothing. */
  async releaseClaims(r: PurchaseRecord): Promise<void> {
    if (r.limits.stock !== null) {
      await this.d.claims.giveBack(stockClaims(r.storeId, r.dealId), r.purchaseId);
    }
    if (r.limits.perCustomer !== null) {
      await this.d.claims.giveBack(buyerClaims(r.storeId, r.dealId, r.customerId), r.purchaseId);
    }
  }

  /** The voucher of a paid purchase: a new code, the pass signed, good for `validDays`. */
  async issue(r: PurchaseRecord): Promise<PurchaseRecord> {
    if (r.voucher || r.state !== 'issued') return r;
    const now = this.d.clock.now();
    const pass = await this.d.issuer.issue({
      id: r.purchaseId,
      store: r.storeId,
      dealId: r.dealId,
      rev: r.rev,
      price: r.price,
      validFrom: Math.floor(now / 1000),
      validUntil: Math.floor((now + r.validDays * DAY) / 1000),
    });
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.voucher ? undefined : { ...cur, voucher: { pass, issuedAt: iso(now), sent: false } },
    );
  }

  /** Sends an issued voucher to its store (once), and asks for its expiry to be looked at. */
  async deliver(record: PurchaseRecord): Promise<PurchaseRecord> {
    const r = record.voucher ? record : await this.issue(record);
    if (!r.voucher || r.voucher.sent) return r;
    const { pass } = r.voucher;
    if (r.refundOnExpiry) await this.d.due.at(pass.validUntil * 1000, `expiry:${r.purchaseId}`);
    await this.d.intents.submit({
      storeId: r.storeId,
      by: { customerId: r.customerId },
      kind: 'voucher_issued',
      body: { pass, phone: r.phone },
      intentId: issuedIntentId(r.purchaseId),
    });
    // After the voucher, so the store meets the referral knowing what the friend bought.
    await this.d.shares?.credit(r.share, {
      who: { customerId: r.customerId },
      phone: r.phone,
      storeId: r.storeId,
      via: 'deal',
      voucherId: r.purchaseId,
    });
    return this.d.records.update(r.purchaseId, (cur) =>
      !cur.voucher || cur.voucher.sent
        ? undefined
        : { ...cur, voucher: { ...cur.voucher, sent: true } },
    );
  }
}
