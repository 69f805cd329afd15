// How a deal on sale, a purchase and its voucher read to the customer: what is left of the stock,
// the group under way, the voucher's status and its refund, times in the store's zone. A voucher
// moved to another store of the owner shows the pass signed for it. Reads only; never changes a
// purchase, a group or a claim.
import {
  voucherQrText,
  type Clock,
  type MyVoucherView,
  type OnlineDealView,
  type PurchaseView,
} from '@roomhub/shared-types';
import { OFFLINE_MESSAGE } from '../intents/intents';
import type { StoreZones, ZonedFormat } from '../stores/store-zones';
import { stockClaims, type DealClaims } from './deal-claims';
import { groupOver, type DealGroups } from './deal-groups';
import type { DealEntry } from './deal-index';
import { homeOf, voucherStatus, type PurchaseRecord } from './purchase-records';

export interface DealViewsDeps {
  clock: Clock;
  groups: DealGroups;
  claims: DealClaims;
  /** Times in answers are in the store's zone. */
  zones: StoreZones;
}

export class DealViews {
  constructor(private readonly d: DealViewsDeps) {}

  /** A deal on sale as customers see it: what is left and the group under way. */
  async deal(e: DealEntry, at: ZonedFormat): Promise<OnlineDealView> {
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

  /** The voucher of a purchase that has one, with its status and its refund. */
  async voucher(r: PurchaseRecord): Promise<MyVoucherView> {
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

  /** A purchase: its state, its group while it waits for one, its money back, its voucher. */
  async purchase(r: PurchaseRecord): Promise<PurchaseView> {
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
      voucher: r.voucher ? await this.voucher(r) : null,
      createdAt: at(r.createdAt),
    };
  }
}
