// The customer's own account (C1): the profile and preferences they keep with the platform, "my
// data" (everything the platform holds about them) and deleting the account under the
// personal-information law. The profile is `profile:<customerId>` in the cloud-private `customers`
// database, written only here. Deleting erases the person from the cloud's databases (the
// profile, the phone on deal purchases, the intents in the stores' inboxes that spelled the phone
// or name) and tells each store that holds them, by a signed `customer_erasure` intent, to erase
// the phone and name on its bookings and members; money records stay under the customer id,
// which names nobody once the phone is gone. Never touches a store's own documents.
import {
  CLOUD_DBS,
  CustomerProfilePutSchema,
  DomainError,
  intentDocId,
  notFound,
  storeInboxDbName,
  type AccountDeletion,
  type Clock,
  type CustomerProfile,
  type CustomerProfilePut,
  type DeletionCheck,
  type MyData,
  type MyOrders,
  type MyReview,
  type OnlineDealView,
  type Recommendations,
  type WechatLink,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import { PhoneLinks } from '../auth/phone-links';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import type { CloudCoupons } from '../coupons/cloud-coupons';
import type { CouchClient, CouchDoc } from '../couch';
import type { DealSales } from '../deals/deal-sales';
import { PurchaseRecords } from '../deals/purchase-records';
import { forgetShares } from '../deals/deal-shares';
import type { IntentRecord, IntentService } from '../intents/intents';
import type { CustomerIndex } from '../orders/customers';
import type { OrderService } from '../orders/order.service';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';
import { maskPhone } from './mask-phone';
import { forgetProfileEdits, noteProfileEdit, profileChanges } from './profile-edits';
import { recommend } from './recommend';

export interface AccountDeps {
  couch: CouchClient;
  clock: Clock;
  intents: IntentService;
  orders: OrderService;
  coupons: CloudCoupons;
  deals: DealSales;
  customers: CustomerIndex;
  stores: StoreService;
  zones: StoreZones;
}

const profileId = (customerId: string) => `profile:${customerId}`;

/** Intents whose body may spell the customer's phone or name, removed from the inboxes. */
const SPELLS_PERSON = new Set([
  'booking_request',
  'voucher_issued',
  'wallet_topup',
  'coupon_claim',
  'member_join',
  'referral',
  'profile_edit',
]);

export class AccountService {
  private readonly purchases: PurchaseRecords;

  constructor(private readonly d: AccountDeps) {
    this.purchases = new PurchaseRecords(d.couch, d.clock);
  }

  async profile(who: CustomerIdentity): Promise<CustomerProfile> {
    const doc = await this.d.couch.get(CLOUD_DBS.customers, profileId(who.customerId));
    const parsed = CustomerProfilePutSchema.safeParse(doc ?? {});
    const saved = parsed.success ? parsed.data : CustomerProfilePutSchema.parse({});
    return {
      ...saved,
      customerId: who.customerId,
      ...(who.phone ? { phone: maskPhone(who.phone) } : {}),
      updatedAt: typeof doc?.updatedAt === 'string' ? doc.updatedAt : null,
    };
  }

  /**
   * A WeChat customer linked a phone: the profile they kept under WeChat becomes the phone's, unless
   * the phone's customer has one already.
   */
  async carryProfile(from: string, to: string): Promise<void> {
    const [was, has] = await Promise.all([
      this.d.couch.get(CLOUD_DBS.customers, profileId(from)),
      this.d.couch.get(CLOUD_DBS.customers, profileId(to)),
    ]);
    if (!was || has) return;
    const { _id: _i, _rev: _r, ...kept } = was;
    await this.d.couch.put(CLOUD_DBS.customers, { ...kept, _id: profileId(to) });
  }

  /** Replaces the profile and preferences with what the customer saved. */
  async saveProfile(
    who: CustomerIdentity,
    body: z.output<typeof CustomerProfilePutSchema>,
  ): Promise<CustomerProfile> {
    const id = profileId(who.customerId);
    for (let race = 0; ; race += 1) {
      const existing = await this.d.couch.get(CLOUD_DBS.customers, id);
      const at = new Date(this.d.clock.now()).toISOString();
      try {
        await this.d.couch.put(CLOUD_DBS.customers, {
          _id: id,
          ...(existing?._rev ? { _rev: existing._rev } : {}),
          type: 'customer_profile',
          ...body,
          updatedAt: at,
        });
        // What changed, for the platform's users page.
        await noteProfileEdit(
          this.d.couch,
          who.customerId,
          at,
          profileChanges(existing ?? {}, body as Record<string, unknown>),
        );
        return this.profile(who);
      } catch (error) {
        if (race >= 3) throw error;
      }
    }
  }

  /** Everything the platform holds about the customer. */
  async myData(who: CustomerIdentity): Promise<MyData> {
    const intents = await this.d.intents.customer.listForCustomer(customerIds(who));
    const [profile, orders, memberships, coupons, vouchers] = await Promise.all([
      this.profile(who),
      this.everyOrder(who, intents),
      this.d.orders.memberships(who),
      this.d.coupons.mine(who, {}),
      this.d.deals.myVouchers(who),
    ]);
    return {
      exportedAt: new Date(this.d.clock.now()).toISOString(),
      customerId: who.customerId,
      phone: who.phone ?? null,
      profile,
      orders,
      memberships: memberships.memberships,
      coupons: coupons.coupons,
      vouchers,
      reviews: await this.reviews(intents),
      stores: await this.storesOf(who, intents),
      wechatLinks: await this.wechatLinks(who),
    };
  }

  /** The WeChat accounts linked to the customer's phone; none for a customer without one. */
  async wechatLinks(who: CustomerIdentity): Promise<WechatLink[]> {
    if (who.phone === undefined) return [];
    const links = await new PhoneLinks(this.d.couch, this.d.clock).linkedTo(who.customerId);
    return links.map((l) => ({ ...l, current: who.linkedIds?.[0] === l.wechatId }));
  }

  /**
   * Removes a WeChat account's link to the customer's phone; the links left. A session signed in
   * through a linked WeChat account may remove its own link only: the others are for whoever
   * proves the phone by SMS (a number's former holder must not unlink its new holder's WeChat).
   */
  async unlinkWechat(who: CustomerIdentity, wechatId: string): Promise<WechatLink[]> {
    if (who.phone === undefined) throw notFound('wechat_link', wechatId, 'wechatId');
    const [own] = who.linkedIds ?? [];
    if (own !== undefined && own !== wechatId) {
      throw new DomainError(
        'forbidden',
        'phone_proof_needed',
        'sign in with the phone (a texted code) to unlink another WeChat account',
      );
    }
    await new PhoneLinks(this.d.couch, this.d.clock).unlink(who.customerId, wechatId);
    return this.wechatLinks(who);
  }

  /**
   * Rooms, times and deals for the home page from the customer's preferences and bookings
   * (recommend.ts says how they are scored); near `at` when the phone gave its place.
   */
  async recommendations(
    who: CustomerIdentity,
    at: { lat?: number | undefined; lng?: number | undefined },
  ): Promise<Recommendations> {
    // Learnt from the newest 100 bookings, so the home page costs the same for a regular.
    const [profile, orders] = await Promise.all([
      this.profile(who),
      this.d.orders.list(who, { limit: 100 }),
    ]);
    const past = await Promise.all(
      orders.orders
        .filter((b) => b.status !== 'cancelled' && b.status !== 'refunded')
        .map(async (b) => ({
          storeId: b.storeId,
          roomId: b.roomId,
          start: (await this.d.zones.formatFor(b.storeId))(b.start).slice(11, 16),
        })),
    );
    const stores = await this.d.stores.search(
      at.lat !== undefined && at.lng !== undefined ? { lat: at.lat, lng: at.lng } : {},
    );
    const used = [...new Set(past.map((b) => b.storeId))];
    const deals: OnlineDealView[] = (
      await Promise.all(used.map((s) => this.d.deals.storeDeals(s).catch(() => [])))
    ).flat();
    return {
      recommendations: recommend({ preferences: profile.preferences, past, stores, deals }),
    };
  }

  /**
   * Every booking of the customer, page after page, and every booking request they made: my data
   * and the deletion check see all.
   */
  private async everyOrder(who: CustomerIdentity, intents: IntentRecord[]): Promise<MyOrders> {
    const first = await this.d.orders.list(who, { limit: 100 });
    const orders = [...first.orders];
    for (let before = first.next; before !== null;) {
      const page = await this.d.orders.list(who, { limit: 100, before });
      orders.push(...page.orders);
      before = page.next;
    }
    return { orders, intents: await this.d.orders.requests(intents), next: null };
  }

  /** What stands in the way of deleting the account now. */
  async deletionCheck(who: CustomerIdentity): Promise<DeletionCheck> {
    const intents = await this.d.intents.customer.listForCustomer(customerIds(who));
    const [orders, memberships] = await Promise.all([
      this.everyOrder(who, intents),
      this.d.orders.memberships(who),
    ]);
    const now = this.d.clock.now();
    const blockers: DeletionCheck['blockers'] = [];
    for (const m of memberships.memberships) {
      const held = (m.wallet?.principal ?? 0) + (m.wallet?.bonus ?? 0);
      if (held > 0) blockers.push({ code: 'wallet_not_empty', storeId: m.storeId, amount: held });
    }
    for (const b of orders.orders) {
      const ahead =
        b.status === 'in_use' ||
        ((b.status === 'paid' || b.status === 'pending_payment') && Date.parse(b.end) > now);
      if (ahead)
        blockers.push({ code: 'booking_upcoming', storeId: b.storeId, bookingId: b.bookingId });
    }
    for (const r of intents) {
      if (r.state === 'waiting' && r.kind !== 'customer_erasure')
        blockers.push({ code: 'request_waiting', storeId: r.storeId });
    }
    return { allowed: blockers.length === 0, blockers };
  }

  /**
   * Deletes the account: refused while a wallet holds money, a booking is to come or a request
   * waits for a store, naming the first; else the person is erased and the stores are told.
   */
  async deleteAccount(who: CustomerIdentity): Promise<AccountDeletion> {
    const check = await this.deletionCheck(who);
    const first = check.blockers[0];
    if (first) throw refusalOf(first);
    const ids = customerIds(who);
    const intents = await this.d.intents.customer.listForCustomer(ids);
    const stores = await this.storesOf(who, intents);
    // The stores first: once told, a store erases even if the rest below is retried.
    for (const storeId of stores) {
      await this.d.intents.submit({
        storeId,
        by: { customerId: who.customerId },
        kind: 'customer_erasure',
        body: { customerIds: ids },
        idempotencyKey: 'customer-erasure',
      });
    }
    for (const r of intents) {
      if (r.state === 'waiting' || !SPELLS_PERSON.has(r.kind)) continue;
      await this.removeIntent(r);
    }
    for (const p of await this.purchases.ofCustomer(ids)) {
      if (p.phone === null) continue;
      await this.purchases.update(p.purchaseId, (c) =>
        c.phone === null ? undefined : { ...c, phone: null },
      );
    }
    for (const id of ids) await this.forgetMessages(id);
    // Their share links credit nobody from now on.
    await forgetShares(this.d.couch, ids);
    for (const id of ids) await forgetProfileEdits(this.d.couch, id);
    // The profiles kept under each id, and the links of a WeChat sign-in to this phone.
    const profiles = await this.d.couch.byIds(CLOUD_DBS.customers, ids.map(profileId));
    for (const profile of profiles) {
      if (!profile._rev) continue;
      await this.d.couch.put(CLOUD_DBS.customers, {
        _id: profile._id,
        _rev: profile._rev,
        _deleted: true,
      });
    }
    await new PhoneLinks(this.d.couch, this.d.clock).forget(ids);
    return { deleted: true, storesTold: stores };
  }

  /**
   * The customer's messages and the contact they are sent to (phone, openid), in the messages
   * database.
   */
  private async forgetMessages(customerId: string): Promise<void> {
    const db = CLOUD_DBS.messages;
    const docs = [
      ...(await this.d.couch.byPrefix(db, `contact:${customerId}`)).filter(
        (d) => d._id === `contact:${customerId}`,
      ),
      ...(await this.d.couch.byPrefix(db, `msg:c:${customerId}:`)),
      ...(await this.d.couch.byPrefix(db, `due:c:${customerId}:`)),
    ];
    for (const doc of docs) {
      await this.d.couch.put(db, { _id: doc._id, _rev: doc._rev, _deleted: true });
    }
  }

  /** Removes an answered intent from its store's inbox (the hub has decided it). */
  private async removeIntent(r: IntentRecord): Promise<void> {
    const db = storeInboxDbName(r.storeId);
    const doc = await this.d.couch.get(db, intentDocId(r.intentId));
    if (!doc?._rev) return;
    await this.d.couch.put(db, { _id: doc._id, _rev: doc._rev, _deleted: true } as CouchDoc);
  }

  private async storesOf(who: CustomerIdentity, intents: IntentRecord[]): Promise<string[]> {
    const stores = new Set(intents.map((r) => r.storeId));
    for (const id of customerIds(who))
      for (const s of await this.d.customers.storesOf(id)) stores.add(s);
    const members = await this.d.orders.memberships(who);
    for (const m of members.memberships) stores.add(m.storeId);
    return [...stores].sort();
  }

  private async reviews(intents: IntentRecord[]): Promise<MyReview[]> {
    const mine = intents.filter((r) => r.kind === 'review');
    return Promise.all(
      mine.map(async (r): Promise<MyReview> => {
        const doc = (await this.d.couch.get(
          storeInboxDbName(r.storeId),
          intentDocId(r.intentId),
        )) as { body?: { ratings?: MyReview['ratings']; text?: string } } | undefined;
        const state: MyReview['state'] =
          r.state === 'answered' && r.answer
            ? r.answer.outcome
            : r.state === 'expired'
              ? 'expired'
              : 'waiting';
        return {
          storeId: r.storeId,
          bookingId: r.bookingId ?? null,
          state,
          ...(doc?.body?.ratings ? { ratings: doc.body.ratings } : {}),
          ...(doc?.body?.text ? { text: doc.body.text } : {}),
          createdAt: r.createdAt,
        };
      }),
    );
  }
}

function refusalOf(b: DeletionCheck['blockers'][number]): DomainError {
  switch (b.code) {
    case 'wallet_not_empty':
      return new DomainError(
        'conflict',
        'wallet_not_empty',
        `your wallet at store ${b.storeId} still holds ${((b.amount ?? 0) / 100).toFixed(2)} yuan: use it or ask the store for a refund first, or it is lost with the account`,
      );
    case 'booking_upcoming':
      return new DomainError(
        'conflict',
        'booking_upcoming',
        `booking ${b.bookingId ?? ''} at store ${b.storeId} is still to come: cancel it or wait until it is over`,
      );
    case 'request_waiting':
      return new DomainError(
        'conflict',
        'request_waiting',
        `a request to store ${b.storeId} is still waiting for its answer: try again once it is answered`,
      );
  }
}

export type { CustomerProfilePut };
