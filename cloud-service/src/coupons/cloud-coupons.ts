// Coupons and membership online (C11, C12): a store's campaigns customers may claim from its page,
// a signed-in customer's claim and their asking to join the store (each a signed intent the store
// answers once: `coupon_claim`, `member_join`), "my coupons" in every store, and the coupons and
// points a customer puts on a quote or a booking, priced as the hub will price them. Reads only
// what the hubs published (`campaign:`, `coupon:`, `member:` documents); never writes a store's
// document and never decides a claim or a use: the store does, and may refuse what the cloud
// thought was still free.
import type { z } from 'zod';
import {
  bookingTerms,
  CampaignDocSchema,
  couponDocId,
  CouponDocSchema,
  customerIdForPhone,
  DomainError,
  IdPartSchema,
  localDateOf,
  notFound,
  storeDbName,
  type ClaimableCampaigns,
  type CouponDoc,
  type CouponOffer,
  type CouponStatus,
  type IntentView,
  type MemberDiscount,
  type MembershipJoinSchema,
  type MyCoupon,
  type MyCoupons,
  type MyCouponsQuerySchema,
  type MyQuoteAnswer,
  type OnlineCouponClaimSchema,
  type QuoteBodySchema,
} from '@roomhub/shared-types';
import { phoneNotLinked } from '../auth/phone-links';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import type { DealShares } from '../deals/deal-shares';
import type { DesignDocs } from '../design-docs';
import { intentView, type IntentService } from '../intents/intents';
import type { CustomerIndex } from '../orders/customers';
import type { CustomerOrders } from '../orders/orders';
import { checkedQuote, quoteView, roomRules, type OnlineOffers } from '../stores/quotes';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';

export interface CloudCouponsDeps {
  couch: CouchClient;
  views: DesignDocs;
  intents: IntentService;
  stores: StoreService;
  zones: StoreZones;
  customers: CustomerIndex;
  orders: CustomerOrders;
  clock: { now(): number };
  /** How long the customer's call waits for the store's answer before it is told to wait. */
  answerWaitMs: number;
  /** The key customer ids are made with: the coupons of a booking's phone are under its id. */
  customerIdKey: string;
}

/**
 * The phone whose coupons and points go on a bill: only the signed-in customer's own, so naming
 * another phone never spends what is theirs. Undefined when none are named.
 */
export function spenderPhone(
  who: CustomerIdentity,
  couponIds: readonly string[],
  points: number | undefined,
): string | undefined {
  if (couponIds.length === 0 && points === undefined) return undefined;
  if (!who.phone) {
    throw phoneNotLinked('use your coupons or points');
  }
  return who.phone;
}

/** A coupon's state now, by the cloud's clock; whether it is still free is the store's to say. */
function statusOf(doc: CouponDoc, now: number): CouponStatus {
  if (doc.bookingId !== null) return 'used';
  if (now < Date.parse(doc.useFrom)) return 'not_yet';
  if (now >= Date.parse(doc.useUntil)) return 'expired';
  return 'available';
}

/** A member's level as the bill takes it, from the member document the store published. */
export function memberDiscountOf(
  member: { level: { name: string } | null; privileges: MemberDiscountSource | null } | undefined,
): MemberDiscount | null {
  return member?.level && member.privileges
    ? {
        level: member.level.name,
        roomPercentOff: member.privileges.roomPercentOff,
        itemPercentOff: member.privileges.itemPercentOff,
      }
    : null;
}
type MemberDiscountSource = { roomPercentOff: number; itemPercentOff: number };

export class CloudCoupons {
  /**
   * Set once the deals exist: a customer joining through a deal's share link credits its sharer
   * (deal-shares.ts).
   */
  shares: Pick<DealShares, 'credit'> | undefined;

  constructor(private readonly d: CloudCouponsDeps) {}

  /** The store's campaigns whose coupons may be claimed today, as its hub published them. */
  async campaigns(storeId: string): Promise<ClaimableCampaigns> {
    const { store } = await this.d.stores.page(storeId);
    const today = localDateOf(this.d.clock.now(), store.timeZone);
    const docs = await this.d.couch.byPrefix(storeDbName(storeId), 'campaign:');
    const campaigns = docs
      .flatMap((raw) => {
        const p = CampaignDocSchema.safeParse(raw);
        return p.success && p.data.storeId === storeId ? [p.data] : [];
      })
      .filter((c) => c.status === 'active' && c.claimFrom <= today && today <= c.claimTo)
      .sort(
        (a, b) => a.claimTo.localeCompare(b.claimTo) || a.campaignId.localeCompare(b.campaignId),
      )
      .map((c) => ({
        campaignId: c.campaignId,
        couponName: c.couponName,
        terms: c.terms,
        claimFrom: c.claimFrom,
        claimTo: c.claimTo,
        useDays: c.useDays,
        useUntil: c.useUntil,
        perPerson: c.perPerson,
        pointsPrice: c.pointsPrice,
        soldOut: c.soldOut,
      }));
    return { storeId, campaigns };
  }

  /**
   * Asks the store for a coupon of its campaign: issued (`done`) and the customer a member of the
   * store, or refused with the store's reason (its limits, its window); waits a moment for it.
   * Naming `points` asks for an exchange at that price: a customer the store last published with
   * fewer points is told so at once (409 not_enough_points, with the points they have), and the
   * store takes the points with the coupon, or neither.
   */
  async claim(
    who: CustomerIdentity,
    storeId: string,
    body: z.output<typeof OnlineCouponClaimSchema>,
    idempotencyKey?: string,
  ): Promise<IntentView> {
    const phone = this.phoneOf(who, 'claim a coupon');
    await this.d.stores.page(storeId);
    if (body.points !== undefined) await this.offersFor(storeId, phone, [], body.points);
    return this.ask(
      storeId,
      who,
      'coupon_claim',
      {
        phone,
        campaignId: body.campaignId,
        ...(body.points !== undefined ? { points: body.points } : {}),
      },
      {
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    );
  }

  /**
   * Asks the store to make the customer a member. Once per customer and store: asking again is
   * the first request, answered as it was. Came through a deal's share link: its sharer is
   * credited (the store decides whether anyone is rewarded).
   */
  async join(
    who: CustomerIdentity,
    storeId: string,
    body: z.output<typeof MembershipJoinSchema>,
  ): Promise<IntentView> {
    const phone = this.phoneOf(who, 'join a store');
    await this.d.stores.page(storeId);
    const joined = await this.ask(
      storeId,
      who,
      'member_join',
      { phone, ...(body.name ? { name: body.name } : {}) },
      { idempotencyKey: 'member-join' },
    );
    await this.shares?.credit(body.share, { who, phone, storeId, via: 'join' });
    return joined;
  }

  /**
   * The coupons a standing booking holds, as its store published them: what the store bills the
   * booking with again when it moves it, so the cloud quotes a change as the store will make it.
   */
  async heldBy(
    storeId: string,
    bookingId: string,
    customerIds: readonly string[],
  ): Promise<CouponOffer[]> {
    if (customerIds.length === 0) return [];
    const rows = await this.d.views.store(storeId, 'lookup', {
      keys: customerIds.map((id) => ['coupon-customer', id]),
      includeDocs: true,
    });
    return rows.flatMap((r) => {
      const p = CouponDocSchema.safeParse(r.doc);
      return p.success && p.data.storeId === storeId && p.data.bookingId === bookingId
        ? [{ id: p.data.couponId, name: p.data.name, terms: p.data.terms }]
        : [];
    });
  }

  /** My coupons in every store that published one for me, soonest to end first. */
  async mine(
    who: CustomerIdentity,
    query: z.output<typeof MyCouponsQuerySchema>,
  ): Promise<MyCoupons> {
    const ids = customerIds(who);
    const stores = new Set<string>();
    for (const id of ids) for (const s of await this.d.customers.storesOf(id)) stores.add(s);
    const keys = ids.map((id) => ['coupon-customer', id]);
    const now = this.d.clock.now();
    const perStore = await Promise.all(
      [...stores].map(async (storeId) => {
        const rows = await this.d.views.store(storeId, 'lookup', { keys, includeDocs: true });
        const at = await this.d.zones.formatFor(storeId);
        return rows.flatMap((r): MyCoupon[] => {
          const p = CouponDocSchema.safeParse(r.doc);
          if (!p.success || p.data.storeId !== storeId || !ids.includes(p.data.customerId))
            return [];
          const c = p.data;
          return [
            {
              storeId,
              couponId: c.couponId,
              campaignId: c.campaignId,
              name: c.name,
              terms: c.terms,
              status: statusOf(c, now),
              useFrom: at(c.useFrom),
              useUntil: at(c.useUntil),
              issuedAt: at(c.issuedAt),
              bookingId: c.bookingId,
            },
          ];
        });
      }),
    );
    const coupons = perStore
      .flat()
      .filter((c) => query.status === undefined || c.status === query.status)
      .sort((a, b) => Date.parse(a.useUntil) - Date.parse(b.useUntil));
    return { coupons };
  }

  /**
   * The coupons and points a booking's phone puts on its bill, checked against what the store
   * published: each coupon theirs (another's reads as none), not used and inside its use window;
   * no more points than the member has. The store checks all of it again when it books.
   */
  async offersFor(
    storeId: string,
    phone: string,
    couponIds: readonly string[],
    points: number | undefined,
  ): Promise<OnlineOffers> {
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    const now = this.d.clock.now();
    const db = storeDbName(storeId);
    const coupons: CouponOffer[] = [];
    for (const id of couponIds) {
      // An id no coupon could have reads as none, as another's does.
      const p = CouponDocSchema.safeParse(
        IdPartSchema.safeParse(id).success ? await this.d.couch.get(db, couponDocId(id)) : null,
      );
      if (!p.success || p.data.customerId !== customerId || p.data.storeId !== storeId)
        throw notFound('coupon', id, 'couponIds');
      const status = statusOf(p.data, now);
      if (status === 'used') {
        throw new DomainError(
          'conflict',
          'coupon_used',
          `coupon "${p.data.name}" is already used`,
          'couponIds',
        );
      }
      if (status !== 'available') {
        const at = await this.d.zones.formatFor(storeId);
        throw new DomainError(
          'conflict',
          'coupon_expired',
          `coupon "${p.data.name}" can be used until ${at(p.data.useUntil)}`,
          'couponIds',
        ).with({ until: at(p.data.useUntil) });
      }
      coupons.push({ id: p.data.couponId, name: p.data.name, terms: p.data.terms });
    }
    if (points !== undefined) {
      const has = (await this.d.orders.memberOf(storeId, customerId))?.points ?? 0;
      if (has < points) {
        throw new DomainError(
          'conflict',
          'not_enough_points',
          `you have ${has} points here, not ${points}`,
          'points',
        ).with({ points: has });
      }
    }
    return { coupons, ...(points !== undefined ? { points } : {}) };
  }

  /**
   * A quote for me: my level, the coupons and points I name, each its own line, with what could
   * not go on the bill named (as the hub's quote names it) instead of refused.
   */
  async quote(
    who: CustomerIdentity,
    body: z.output<typeof QuoteBodySchema>,
  ): Promise<MyQuoteAnswer> {
    const couponIds = body.couponIds ?? [];
    const phone = spenderPhone(who, couponIds, body.points) ?? who.phone ?? body.phone;
    const { store, room } = await this.d.stores.bookableRoom(body.storeId, body.roomId);
    const member =
      phone === undefined
        ? undefined
        : await this.d.orders.memberOf(
            store.storeId,
            customerIdForPhone(phone, this.d.customerIdKey),
          );
    const offers =
      phone === undefined ? {} : await this.offersFor(store.storeId, phone, couponIds, body.points);
    const quote = checkedQuote(
      store,
      room,
      body,
      this.d.clock.now(),
      undefined,
      memberDiscountOf(member),
      member?.privileges?.extraBookingDays ?? 0,
      offers,
    );
    return {
      storeId: store.storeId,
      roomId: room.roomId,
      quote: quoteView(quote, {
        roomId: room.roomId,
        packageId: body.packageId ?? null,
        timeZone: store.timeZone,
        terms: bookingTerms(roomRules(store, room)),
      }),
      refused: quote.refused,
    };
  }

  private phoneOf(who: CustomerIdentity, what: string): string {
    if (!who.phone) {
      throw phoneNotLinked(what);
    }
    return who.phone;
  }

  private async ask(
    storeId: string,
    who: CustomerIdentity,
    kind: 'coupon_claim' | 'member_join',
    body: Record<string, unknown>,
    extra: { idempotencyKey?: string },
  ): Promise<IntentView> {
    const doc = await this.d.intents.submit({
      storeId,
      by: { customerId: who.customerId },
      kind,
      body,
      ...extra,
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.answerWaitMs);
    return intentView(answered, await this.d.zones.formatFor(storeId));
  }
}
