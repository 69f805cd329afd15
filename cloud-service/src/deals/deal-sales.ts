// Our own deals sold online (C12), the face the routes, the follower and the service see: a
// customer buys a deal a store has on sale, the cloud takes the money through its payment channel,
// and issues the voucher, at once or, for a group deal, once `groupSize` buyers have paid before
// the group's deadline; a group that does not fill gives every buyer their money back and issues
// nothing. "My vouchers", and refunds: 随时退 asked by the customer, 过期退 by the sweep when a
// voucher expires unused. The cloud sells and pays; the store alone knows whether a voucher was
// used, so a voucher reaches the store as a signed `voucher_issued` intent and a refund asks the
// store first (`voucher_refund`). What the store later publishes of a voucher's use (its ledger's
// voucher payments) shows it as used.
//
// Stock, the buyer's limit and the deal being on sale are checked before any money moves. The
// steps live beside it: the claims, the money and the voucher (purchase-steps.ts), groups and
// their deadline (group-buying.ts), refunds (voucher-refunds.ts), carrying purchases on and the
// sweep (deal-sweep.ts), and the answers' views (deal-views.ts). Never writes a store's database.
import { createHash } from 'node:crypto';
import {
  assertDealOnSale,
  DealDocSchema,
  DomainError,
  dealDocId,
  entitlementRev,
  notFound,
  storeDbName,
  type Clock,
  type DealDoc,
  type LedgerDoc,
  type MyVoucherView,
  type MyVouchers,
  type OnlineDealView,
  type PurchaseView,
  type Published,
} from '@roomhub/shared-types';
import { PhoneLinks } from '../auth/phone-links';
import { customerIds, type CustomerIdentity, type OwnerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import type { IntentService } from '../intents/intents';
import type { CloudPaymentChannel } from '../payments/payment-channel';
import type { StoreZones } from '../stores/store-zones';
import { stockClaims, type DealClaims } from './deal-claims';
import type { DealGroups } from './deal-groups';
import type { DealIndex } from './deal-index';
import type { DealShares } from './deal-shares';
import { shownDeals, type RegistryReads } from '../platform/review-gate';
import { DealSweep } from './deal-sweep';
import { DealViews } from './deal-views';
import type { DueWork } from './due-work';
import { GroupBuying } from './group-buying';
import { homeOf, type PurchaseRecords } from './purchase-records';
import { CARRY_ON_MS, iso, paymentIdOf, PurchaseSteps } from './purchase-steps';
import type { VoucherIssuer } from './voucher-issuer';
import { VoucherRefunds } from './voucher-refunds';

export interface DealSalesDeps {
  couch: CouchClient;
  clock: Clock;
  newId: () => string;
  index: DealIndex;
  /** What the platform approved of each store's deals, as customers' reads see it. */
  registry: RegistryReads;
  records: PurchaseRecords;
  groups: DealGroups;
  claims: DealClaims;
  issuer: VoucherIssuer;
  due: DueWork;
  /** Writes the signed intents to the store's inbox and reads the store's answers. */
  intents: IntentService;
  payments: CloudPaymentChannel;
  /** Times in answers are in the store's zone. */
  zones: StoreZones;
  /** How long a refund waits for the store's answer before it is answered as waiting. */
  intentWaitMs: number;
  log: (error: unknown) => void;
  /** The share link a buyer came through: its sharer is credited once the voucher is out. */
  shares?: Pick<DealShares, 'credit'>;
}

/** What a refund asked of the store came to, for the route's status. */
export type RefundAnswer = {
  voucher: MyVoucherView;
  state: 'asked' | 'rejected' | 'done' | 'paid';
};

export class DealSales {
  private readonly refunds: VoucherRefunds;
  private readonly carry: DealSweep;
  private readonly views: DealViews;

  constructor(private readonly d: DealSalesDeps) {
    const steps = new PurchaseSteps(d);
    this.refunds = new VoucherRefunds(d);
    this.carry = new DealSweep(d, steps, new GroupBuying(d, steps), this.refunds);
    this.views = new DealViews(d);
  }

  // ---- the deals on sale ----------------------------------------------------------------------

  /** A store's deals on sale, as customers see them. */
  async storeDeals(storeId: string): Promise<OnlineDealView[]> {
    // Only deals exactly as the platform approved them (review-gate.ts).
    const entries = await shownDeals(this.d.registry, storeId, await this.d.index.list(storeId));
    const at = await this.d.zones.formatFor(storeId);
    return Promise.all(entries.map((e) => this.views.deal(e, at)));
  }

  /** One deal on sale, by its id. */
  async deal(dealId: string): Promise<OnlineDealView> {
    const entry = await this.d.index.find(dealId);
    if (!entry || (await shownDeals(this.d.registry, entry.storeId, [entry])).length === 0) {
      throw notFound('deal', dealId);
    }
    return this.views.deal(entry, await this.d.zones.formatFor(entry.storeId));
  }

  /**
   * The owner's remote view of a store's deals, every status, as its hub published them, with
   * how many of a limited stock are sold (online and in the store: the stock's claims).
   */
  async ownerDeals(
    owner: OwnerIdentity,
    storeId: string,
  ): Promise<(Published<DealDoc> & { sold: number | null })[]> {
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    const docs = await this.d.couch.byPrefix(storeDbName(storeId), 'deal:');
    const deals = docs.flatMap((doc) => {
      const deal = DealDocSchema.safeParse(doc);
      if (!deal.success || deal.data.storeId !== storeId) return [];
      const { _id: _i, ...published } = deal.data;
      return [published];
    });
    return Promise.all(
      deals.map(async (deal) => ({
        ...deal,
        sold:
          deal.stock === null ? null : await this.d.claims.held(stockClaims(storeId, deal.dealId)),
      })),
    );
  }

  // ---- buying ---------------------------------------------------------------------------------

  /**
   * Buys one voucher of a deal for the signed-in customer: checks the deal is ours and on sale and
   * takes a place in its stock and the customer's limit, then takes the money and issues the
   * voucher (or joins the deal's group). The same idempotency key again is the same purchase.
   */
  async buy(
    who: CustomerIdentity,
    dealId: string,
    body: { phone?: string | undefined; share?: string | undefined },
    idempotencyKey?: string,
  ): Promise<PurchaseView> {
    const entry = await this.d.index.find(dealId);
    if (!entry) throw notFound('deal', dealId);
    const purchaseId = idempotencyKey
      ? `k${createHash('sha256')
          .update(`${who.customerId}\n${dealId}\n${idempotencyKey}`)
          .digest('hex')
          .slice(0, 31)}`
      : this.d.newId();
    const known = await this.d.records.get(purchaseId);
    if (known) {
      if (known.customerId !== who.customerId) throw notFound('deal', dealId);
      return this.views.purchase(await this.carry.advance(known));
    }
    const deal = await this.liveDeal(entry.storeId, dealId);
    const now = this.d.clock.now();
    // The buyer's other ids, the WeChat accounts linked to their phone among them (a sign-in by
    // SMS carries none): what they bought under any of them counts toward the limit.
    const linked =
      who.phone === undefined
        ? []
        : (await new PhoneLinks(this.d.couch, this.d.clock).linkedTo(who.customerId)).map(
            (l) => l.wechatId,
          );
    const others = [...new Set([...customerIds(who), ...linked])].filter(
      (id) => id !== who.customerId,
    );
    let record = await this.d.records.create({
      _id: `purchase:${purchaseId}`,
      type: 'deal_purchase',
      purchaseId,
      customerId: who.customerId,
      phone: who.phone ?? body.phone ?? null,
      storeId: deal.storeId,
      dealId,
      title: deal.title,
      entitlement: deal.entitlement,
      rev: entitlementRev(deal.entitlement),
      price: deal.price,
      groupSize: deal.groupSize,
      groupHours: deal.groupHours,
      validDays: deal.validDays,
      refundAnyTime: deal.refundAnyTime,
      refundOnExpiry: deal.refundOnExpiry,
      limits: { stock: deal.stock, perCustomer: deal.perCustomerLimit },
      ...(others.length > 0 ? { otherIds: others } : {}),
      state: 'paying',
      ...(body.share ? { share: body.share } : {}),
      payment: { paymentId: paymentIdOf(purchaseId), state: 'asked' },
      uses: {},
      createdAt: iso(now),
    });
    if (!customerIds(who).includes(record.customerId)) throw notFound('deal', dealId);
    // Carried on by the sweep if this request stops halfway (a crash, a gateway not answering).
    await this.d.due.at(now + CARRY_ON_MS, `purchase:${purchaseId}`);
    record = await this.carry.advance(record, { throwUnavailable: true });
    if (record.refusal) {
      // Nothing was sold and no money moved: the purchase is taken back.
      await this.d.records.remove(record);
      if (record.refusal === 'sold_out') {
        throw new DomainError('conflict', 'deal_sold_out', 'this deal is sold out', 'dealId');
      }
      throw new DomainError(
        'conflict',
        'deal_limit_reached',
        `one customer may buy this deal ${record.limits.perCustomer} times`,
        'dealId',
      ).with({ limit: record.limits.perCustomer ?? 0 });
    }
    if (record.state === 'failed') {
      throw new DomainError(
        'payment_declined',
        'payment_declined',
        `the payment was not taken: ${record.payment.failure ?? 'declined'}`,
      );
    }
    return this.views.purchase(record);
  }

  /** The store's own deal document now: it must be ours and on sale. */
  private async liveDeal(storeId: string, dealId: string): Promise<DealDoc> {
    const parsed = DealDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), dealDocId(dealId)),
    );
    if (!parsed.success || parsed.data.storeId !== storeId || parsed.data.dealId !== dealId) {
      throw notFound('deal', dealId);
    }
    const deal = parsed.data;
    assertDealOnSale(deal);
    // A deal not approved as it stands now is not sold (review-gate.ts).
    if ((await shownDeals(this.d.registry, storeId, [deal])).length === 0) {
      throw notFound('deal', dealId);
    }
    return deal;
  }

  /** The customer's vouchers and their purchases still without one, newest first. */
  async myVouchers(who: CustomerIdentity): Promise<MyVouchers> {
    const records = await this.d.records.ofCustomer(customerIds(who));
    const views = await Promise.all(records.map((r) => this.views.purchase(r)));
    return {
      vouchers: views.flatMap((v) => (v.voucher ? [v.voucher] : [])),
      purchases: views.filter((v) => !v.voucher),
    };
  }

  // ---- refunds --------------------------------------------------------------------------------

  /**
   * 随时退: the customer asks to refund an unused voucher (or an expired one, where the deal
   * refunds on expiry). The store is asked first and waited for a moment; the money goes back
   * only once it has marked the voucher refunded.
   */
  async refund(who: CustomerIdentity, voucherId: string): Promise<RefundAnswer> {
    const r = await this.d.records.get(voucherId);
    if (!r || !customerIds(who).includes(r.customerId) || !r.voucher)
      throw notFound('voucher', voucherId);
    const settled = await this.refunds.customerAsks(r);
    return { voucher: await this.views.voucher(settled), state: settled.refund!.state };
  }

  // ---- what the stores publish ----------------------------------------------------------------

  /**
   * A ledger entry of a store naming one of our vouchers: a payment it made shows it as used, one
   * given back as usable again. Only the store the voucher is at speaks for it (its own, or the one
   * it moved to: `homeOf`). True when it was new.
   */
  async ledgerEntry(storeId: string, entry: LedgerDoc): Promise<boolean> {
    if (entry.method !== 'voucher' || !entry.voucherId || entry.kind === 'adjustment') return false;
    const r = await this.d.records.get(entry.voucherId);
    if (!r || homeOf(r).storeId !== storeId || !r.voucher || entry.entryId in r.uses) return false;
    const use = entry.kind === 'payment' ? 1 : -1;
    await this.d.records.update(r.purchaseId, (cur) =>
      entry.entryId in cur.uses
        ? undefined
        : { ...cur, uses: { ...cur.uses, [entry.entryId]: use } },
    );
    return true;
  }

  /** The store answered an intent: a refund of ours moves on (its money goes back after `done`). */
  async answered(storeId: string, intentId: string): Promise<boolean> {
    if (!intentId.startsWith('vr-')) return false;
    const voucherId = intentId.slice('vr-'.length, intentId.lastIndexOf('-'));
    const r = await this.d.records.get(voucherId);
    const asked = r && [r.storeId, homeOf(r).storeId].includes(storeId);
    if (!r || !asked || r.refund?.intentId !== intentId) return false;
    const after = await this.carry.advance(r);
    return after.refund?.state !== r.refund.state;
  }

  /** Whether a payment of the channel's was taken for one of these purchases. */
  async claimsPayment(paymentId: string): Promise<boolean> {
    if (!paymentId.startsWith('dp-')) return false;
    return (await this.d.records.get(paymentId.slice('dp-'.length))) !== undefined;
  }

  // ---- the sweep ------------------------------------------------------------------------------

  /**
   * Runs what is due: groups past their deadline (unfilled: everyone's money back), vouchers
   * expired unused whose deal refunds on expiry (过期退), purchases interrupted halfway.
   */
  async sweep(): Promise<number> {
    return this.carry.run();
  }
}
