// Our own deals sold online (C12): a customer buys a deal a store has on sale, the cloud takes the
// money through its payment channel, and issues the voucher, at once or, for a group deal, once
// `groupSize` buyers have paid before the group's deadline; a group that does not fill gives
// every buyer their money back and issues nothing. "My vouchers", and refunds: 随时退 asked by the
// customer, 过期退 by the sweep when a voucher expires unused. The cloud sells and pays; the store
// alone knows whether a voucher was used, so a voucher reaches the store as a signed
// `voucher_issued` intent and a refund asks the store first (`voucher_refund`), and money goes back
// only once the store has marked it refunded. What the store later publishes of a voucher's use
// (its ledger's voucher payments) shows it as used.
//
// Stock, the buyer's limit and the deal being on sale are checked before any money moves. Every
// step is a function of the purchase record as it stands (purchase-records.ts) and safe to repeat,
// so a purchase interrupted anywhere is carried on by the sweep (`due:` items, due-work.ts), here or
// on another instance. Money moves only through the channel, by ids it is idempotent by: the
// payment `dp-<purchaseId>`, its refund `rf-<purchaseId>`. Never writes a store's database.
import { createHash } from 'node:crypto';
import {
  assertDealOnSale,
  DealDocSchema,
  DomainError,
  dealDocId,
  entitlementRev,
  notFound,
  storeDbName,
  voucherQrText,
  type Clock,
  type DealDoc,
  type LedgerDoc,
  type MyVoucherView,
  type MyVouchers,
  type OnlineDealView,
  type PurchaseView,
  type Published,
} from '@roomhub/shared-types';
import type { CustomerIdentity, OwnerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import { OFFLINE_MESSAGE, type IntentRecord, type IntentService } from '../intents/intents';
import { PaymentChannelError, type CloudPaymentChannel } from '../payments/payment-channel';
import type { StoreZones, ZonedFormat } from '../stores/store-zones';
import { buyerClaims, stockClaims, type DealClaims } from './deal-claims';
import { groupOver, groupDocId, type DealGroup, type DealGroups } from './deal-groups';
import type { DealEntry, DealIndex } from './deal-index';
import type { DueOutcome, DueWork } from './due-work';
import {
  homeOf,
  voucherStatus,
  type PurchaseRecord,
  type PurchaseRecords,
} from './purchase-records';
import type { VoucherIssuer } from './voucher-issuer';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A purchase not at rest this long after a step is carried on by the sweep. */
const CARRY_ON_MS = 2 * 60_000;
/** Races lost in a row on a group before a join gives up (the sweep joins it later). */
const MAX_RACES = 12;

const iso = (ms: number) => new Date(ms).toISOString();
const paymentIdOf = (purchaseId: string) => `dp-${purchaseId}`;
const refundIdOf = (purchaseId: string) => `rf-${purchaseId}`;
const issuedIntentId = (voucherId: string) => `vi-${voucherId}`;
const refundIntentId = (voucherId: string, attempt: number) => `vr-${voucherId}-${attempt}`;

/** Every id the customer's purchases may carry: today's, and the one from before. */
const idsOf = (who: CustomerIdentity) => [
  who.customerId,
  ...(who.formerId !== undefined ? [who.formerId] : []),
];

export interface DealSalesDeps {
  couch: CouchClient;
  clock: Clock;
  newId: () => string;
  index: DealIndex;
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
}

/** What a refund asked of the store came to, for the route's status. */
export type RefundAnswer = {
  voucher: MyVoucherView;
  state: 'asked' | 'rejected' | 'done' | 'paid';
};

export class DealSales {
  constructor(private readonly d: DealSalesDeps) {}

  // ---- the deals on sale ----------------------------------------------------------------------

  /** A store's deals on sale, as customers see them. */
  async storeDeals(storeId: string): Promise<OnlineDealView[]> {
    const entries = await this.d.index.list(storeId);
    const at = await this.d.zones.formatFor(storeId);
    return Promise.all(entries.map((e) => this.dealView(e, at)));
  }

  /** One deal on sale, by its id. */
  async deal(dealId: string): Promise<OnlineDealView> {
    const entry = await this.d.index.find(dealId);
    if (!entry) throw notFound('deal', dealId);
    return this.dealView(entry, await this.d.zones.formatFor(entry.storeId));
  }

  /** The owner's remote view of a store's deals, every status, as its hub published them. */
  async ownerDeals(owner: OwnerIdentity, storeId: string): Promise<Published<DealDoc>[]> {
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    const docs = await this.d.couch.byPrefix(storeDbName(storeId), 'deal:');
    return docs.flatMap((doc) => {
      const deal = DealDocSchema.safeParse(doc);
      if (!deal.success || deal.data.storeId !== storeId) return [];
      const { _id: _i, ...published } = deal.data;
      return [published];
    });
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
    body: { phone?: string | undefined },
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
      return this.purchaseView(await this.advance(known));
    }
    const deal = await this.liveDeal(entry.storeId, dealId);
    const now = this.d.clock.now();
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
      state: 'paying',
      payment: { paymentId: paymentIdOf(purchaseId), state: 'asked' },
      uses: {},
      createdAt: iso(now),
    });
    if (record.customerId !== who.customerId) throw notFound('deal', dealId);
    // Carried on by the sweep if this request stops halfway (a crash, a gateway not answering).
    await this.d.due.at(now + CARRY_ON_MS, `purchase:${purchaseId}`);
    record = await this.advance(record, { throwUnavailable: true });
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
    return this.purchaseView(record);
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
    return deal;
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
      ))
    ) {
      return 'limit_reached';
    }
    return null;
  }

  /** Gives back the claims of a purchase that issued nothing. */
  private async releaseClaims(r: PurchaseRecord): Promise<void> {
    if (r.limits.stock !== null) {
      await this.d.claims.giveBack(stockClaims(r.storeId, r.dealId), r.purchaseId);
    }
    if (r.limits.perCustomer !== null) {
      await this.d.claims.giveBack(buyerClaims(r.storeId, r.dealId, r.customerId), r.purchaseId);
    }
  }

  /**
   * Takes the step the purchase is waiting for, as far as it goes now: the payment, the group,
   * the voucher to the store, a refund's answer and its money. A gateway that does not answer
   * leaves it where it is (the sweep carries on), or is told when `throwUnavailable`.
   */
  private async advance(
    record: PurchaseRecord,
    options: { throwUnavailable?: boolean } = {},
  ): Promise<PurchaseRecord> {
    let r = record;
    try {
      if (r.state === 'paying') r = await this.pay(r);
      if (r.state === 'grouping') r = await this.group(r);
      if (r.state === 'issued') r = await this.deliver(r);
      if (r.state === 'issued' && r.refund) r = await this.settleRefund(r);
      if (r.state === 'unfilled') r = await this.giveMoneyBack(r);
    } catch (error) {
      if (!(error instanceof PaymentChannelError && error.code === 'unavailable')) throw error;
      if (options.throwUnavailable) {
        throw new DomainError('unavailable', 'gateway_unavailable', error.message);
      }
      this.d.log(error);
    }
    return r;
  }

  /** Whether nothing is left to do for the purchase but wait for its group or its use. */
  private atRest(r: PurchaseRecord): boolean {
    switch (r.state) {
      case 'failed':
        return true;
      case 'paying':
        return false;
      case 'grouping':
        return r.groupId !== undefined;
      case 'unfilled':
        return r.moneyBack?.paidAt !== undefined;
      case 'issued':
        return (
          r.voucher?.sent === true && (!r.refund || ['rejected', 'paid'].includes(r.refund.state))
        );
    }
  }

  /**
   * Takes the purchase's places in the stock and the buyer's limit, then the money; a payment
   * refused leaves nothing held and gives the places back.
   */
  private async pay(r: PurchaseRecord): Promise<PurchaseRecord> {
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

  // ---- groups ---------------------------------------------------------------------------------

  /** Joins the deal's group (or starts one), and settles it once it is over. */
  private async group(record: PurchaseRecord): Promise<PurchaseRecord> {
    let r = record;
    if (r.groupId === undefined) r = await this.join(r);
    const g = await this.d.groups.current(r.storeId, r.dealId);
    if (g && g.groupId === r.groupId && groupOver(g, this.d.clock.now())) await this.closeGroup(g);
    return (await this.d.records.get(r.purchaseId)) ?? r;
  }

  private async join(r: PurchaseRecord): Promise<PurchaseRecord> {
    const me = { purchaseId: r.purchaseId, customerId: r.customerId };
    const key = `group:${r.storeId}:${r.dealId}`;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const now = this.d.clock.now();
      const g = await this.d.groups.current(r.storeId, r.dealId);
      if (g?.members.some((m) => m.purchaseId === r.purchaseId)) return this.joined(r, g);
      if (g && !groupOver(g, now)) {
        const members = [...g.members, me];
        const next: DealGroup = {
          ...g,
          members,
          state: members.length >= g.size ? 'filled' : 'open',
        };
        if (!(await this.d.groups.write(next))) continue;
        if (next.state === 'filled') await this.d.due.at(now, key);
        return this.joined(r, next);
      }
      // The group before is over: its buyers learn how it ended before it is replaced.
      if (g) await this.closeGroup(g);
      const deadline = now + r.groupHours * HOUR;
      const next: DealGroup = {
        _id: groupDocId(r.storeId, r.dealId),
        ...(g?._rev ? { _rev: g._rev } : {}),
        type: 'deal_group',
        groupId: r.purchaseId,
        storeId: r.storeId,
        dealId: r.dealId,
        size: r.groupSize,
        members: [me],
        startedAt: iso(now),
        deadline: iso(deadline),
        state: 'open',
      };
      if (!(await this.d.groups.write(next))) continue;
      await this.d.due.at(deadline, key);
      return this.joined(r, next);
    }
    return r;
  }

  private joined(r: PurchaseRecord, g: DealGroup): Promise<PurchaseRecord> {
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.groupId === g.groupId ? undefined : { ...cur, groupId: g.groupId },
    );
  }

  /**
   * A group that is over: a full one issues every buyer's voucher, one that did not fill by its
   * deadline gives every buyer's money back. Each buyer's purchase carries the outcome before
   * the group can be replaced; safe to repeat.
   */
  private async closeGroup(g: DealGroup): Promise<void> {
    const outcome = groupOver(g, this.d.clock.now());
    if (!outcome) return;
    if (g.state === 'open') {
      // Said on the group first, so nobody joins it while its buyers are told.
      const closed = await this.d.groups.write({ ...g, state: outcome });
      if (!closed) {
        const now = await this.d.groups.current(g.storeId, g.dealId);
        if (now && now.groupId === g.groupId) return this.closeGroup(now);
      }
    }
    for (const m of g.members) {
      const r = await this.d.records.get(m.purchaseId);
      if (!r || r.state !== 'grouping') continue;
      if (outcome === 'filled') {
        const issued = await this.d.records.update(r.purchaseId, (cur) =>
          cur.state !== 'grouping' ? undefined : { ...cur, groupId: g.groupId, state: 'issued' },
        );
        await this.deliver(await this.issue(issued));
      } else {
        const unfilled = await this.d.records.update(r.purchaseId, (cur) =>
          cur.state !== 'grouping'
            ? undefined
            : { ...cur, groupId: g.groupId, state: 'unfilled', moneyBack: { amount: cur.price } },
        );
        await this.giveMoneyBack(unfilled).catch((error: unknown) => {
          // The sweep pays it (its purchase item); the other buyers are still told.
          if (!(error instanceof PaymentChannelError)) throw error;
          this.d.log(error);
        });
      }
    }
  }

  /** The money of a purchase whose group did not fill goes back, once; its claims too. */
  private async giveMoneyBack(r: PurchaseRecord): Promise<PurchaseRecord> {
    if (r.state !== 'unfilled' || r.moneyBack?.paidAt) return r;
    await this.d.payments.refund({
      paymentId: r.payment.paymentId,
      refundId: refundIdOf(r.purchaseId),
      amount: r.price,
    });
    await this.releaseClaims(r);
    const at = iso(this.d.clock.now());
    return this.d.records.update(r.purchaseId, (cur) =>
      cur.moneyBack?.paidAt ? undefined : { ...cur, moneyBack: { amount: cur.price, paidAt: at } },
    );
  }

  // ---- vouchers -------------------------------------------------------------------------------

  /** The voucher of a paid purchase: a new code, the pass signed, good for `validDays`. */
  private async issue(r: PurchaseRecord): Promise<PurchaseRecord> {
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
  private async deliver(record: PurchaseRecord): Promise<PurchaseRecord> {
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
    return this.d.records.update(r.purchaseId, (cur) =>
      !cur.voucher || cur.voucher.sent
        ? undefined
        : { ...cur, voucher: { ...cur.voucher, sent: true } },
    );
  }

  /** The customer's vouchers and their purchases still without one, newest first. */
  async myVouchers(who: CustomerIdentity): Promise<MyVouchers> {
    const records = await this.d.records.ofCustomer(idsOf(who));
    const views = await Promise.all(records.map((r) => this.purchaseView(r)));
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
    if (!r || !idsOf(who).includes(r.customerId) || !r.voucher)
      throw notFound('voucher', voucherId);
    const asked = await this.askRefund(r, 'asked');
    let settled = asked.record;
    if (asked.intent && settled.refund?.state === 'asked') {
      await this.d.intents.waitForAnswer(asked.intent, this.d.intentWaitMs);
    }
    try {
      settled = await this.settleRefund(settled);
    } catch (error) {
      // The store said yes; the money goes back when the channel answers (the sweep asks again).
      if (!(error instanceof PaymentChannelError)) throw error;
      this.d.log(error);
      settled = (await this.d.records.get(voucherId)) ?? settled;
    }
    return { voucher: await this.voucherView(settled), state: settled.refund!.state };
  }

  /** Records a refund and sends it to the store, unless one is under way or done already. */
  private async askRefund(
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
    return { record, intent: await this.sendRefund(record) };
  }

  private sendRefund(r: PurchaseRecord): Promise<IntentRecord> {
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
  private async settleRefund(record: PurchaseRecord): Promise<PurchaseRecord> {
    let r = record;
    const refund = r.refund;
    if (!refund) return r;
    if (refund.state === 'asked') {
      const intent =
        (await this.d.intents.get({ customerId: r.customerId }, refund.intentId)) ??
        // Recorded here but never sent (a stop in between): sent now.
        (await this.sendRefund(r));
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
    const after = await this.advance(r);
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
    return this.d.due.run((key) => this.work(key), this.d.log);
  }

  private async work(key: string): Promise<DueOutcome> {
    const [kind, ...rest] = key.split(':');
    if (kind === 'group') {
      const [storeId, dealId] = rest as [string, string];
      const g = await this.d.groups.current(storeId, dealId);
      if (!g) return 'done';
      if (!groupOver(g, this.d.clock.now())) return 'done'; // a later group: its own item runs
      await this.closeGroup(g);
      return 'done';
    }
    const r = await this.d.records.get(rest.join(':'));
    if (!r) return 'done';
    if (kind === 'expiry') {
      if (r.state !== 'issued' || !r.refundOnExpiry) return 'done';
      const status = voucherStatus(r, this.d.clock.now());
      if (status === 'valid') return 'later';
      if (status !== 'expired' || (r.refund && r.refund.state !== 'rejected')) return 'done';
      if (r.refund?.why === 'expired') return 'done'; // the store refused it once: it stands
      await this.askRefund(r, 'expired');
      return 'done';
    }
    const after = await this.advance(r);
    return this.atRest(after) ? 'done' : 'later';
  }

  // ---- views ----------------------------------------------------------------------------------

  private async dealView(e: DealEntry, at: ZonedFormat): Promise<OnlineDealView> {
    const [held, g] = await Promise.all([
      e.stock === null ? Promise.resolve(0) : this.d.claims.held(stockClaims(e.storeId, e.dealId)),
      e.groupSize > 1 ? this.d.groups.current(e.storeId, e.dealId) : Promise.resolve(undefined),
    ]);
    const open = g && !groupOver(g, this.d.clock.now()) ? g : undefined;
    return {
      dealId: e.dealId,
      storeId: e.storeId,
      source: e.source,
      title: e.title,
      description: e.description,
      photos: e.photos,
      entitlement: e.entitlement,
      price: e.price,
      originalPrice: e.originalPrice,
      groupSize: e.groupSize,
      groupHours: e.groupHours,
      validDays: e.validDays,
      perCustomerLimit: e.perCustomerLimit,
      left: e.stock === null ? null : Math.max(0, e.stock - held),
      group: open ? { joined: open.members.length, deadline: at(open.deadline) } : null,
      refundAnyTime: e.refundAnyTime,
      refundOnExpiry: e.refundOnExpiry,
      updatedAt: at(e.updatedAt),
    };
  }

  private async voucherView(r: PurchaseRecord): Promise<MyVoucherView> {
    const at = await this.d.zones.formatFor(r.storeId);
    // Moved to another store of the owner: the customer shows the pass signed for it.
    const pass = homeOf(r).pass!;
    const refund = r.refund;
    return {
      voucherId: r.purchaseId,
      code: pass.code,
      qr: voucherQrText(pass),
      storeId: pass.store,
      dealId: r.dealId,
      title: r.title,
      entitlement: r.entitlement,
      price: r.price,
      refundAnyTime: r.refundAnyTime,
      refundOnExpiry: r.refundOnExpiry,
      status: voucherStatus(r, this.d.clock.now()),
      validFrom: at(pass.validFrom * 1000),
      validUntil: at(pass.validUntil * 1000),
      refund: refund
        ? {
            state: refund.state,
            why: refund.why,
            amount: r.price,
            ...(refund.reason ? { reason: refund.reason } : {}),
            ...(refund.state === 'asked' ? { message: OFFLINE_MESSAGE } : {}),
            askedAt: at(refund.askedAt),
          }
        : null,
    };
  }

  private async purchaseView(r: PurchaseRecord): Promise<PurchaseView> {
    const at = await this.d.zones.formatFor(r.storeId);
    const g = r.state === 'grouping' ? await this.d.groups.current(r.storeId, r.dealId) : undefined;
    const mine = g && g.groupId === r.groupId ? g : undefined;
    return {
      purchaseId: r.purchaseId,
      storeId: r.storeId,
      dealId: r.dealId,
      title: r.title,
      price: r.price,
      state: r.state,
      group: mine
        ? { size: mine.size, joined: mine.members.length, deadline: at(mine.deadline) }
        : null,
      moneyBack: r.moneyBack ? { amount: r.moneyBack.amount, paid: !!r.moneyBack.paidAt } : null,
      voucher: r.voucher ? await this.voucherView(r) : null,
      createdAt: at(r.createdAt),
    };
  }
}
