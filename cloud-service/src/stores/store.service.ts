// What a customer sees of stores before booking: the search, a store's page, a room's day, its
// reviews and a quote, all read from what the stores' hubs published (and the catalogue derived
// from it). Owns which rooms are bookable online and how a span is checked and priced here;
// never writes a store's document.
import {
  bookingTerms,
  DomainError,
  formatInstant,
  localDateOf,
  nextLocalDate,
  AvailabilityDocSchema,
  availabilityDocId,
  notFound,
  storeDbName,
  type BookingDoc,
  type BookingRules,
  type BookingTerms,
  type Clock,
  type MemberDiscount,
  type Quote,
  type QuoteAnswer,
  type QuoteView,
  type RoomDay,
  type RoomProfileDoc,
  type RoomReviews,
  type StoreListItem,
  type StorePage,
  type StoreProfileDoc,
  type StoreSearch,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import type { Catalogue } from './catalogue';
import { daySegments } from './room-day';
import {
  cancelTerms,
  checkedExtensionQuote,
  checkedQuote,
  quoteView,
  roomRules,
  type BilledQuote,
  type CancelTerms,
  type OnlineOffers,
  type SpanInput,
} from './quotes';
import type { ReviewIndex } from './reviews';
import { shownRooms, type RegistryReads } from '../platform/review-gate';
import { StoreCache } from './store-cache';

export interface StoreServiceDeps {
  couch: CouchClient;
  views: DesignDocs;
  catalogue: Catalogue;
  reviews: ReviewIndex;
  clock: Clock;
  /** What the stores' databases hold, kept while their feeds are followed (else asked each time). */
  storeCache?: StoreCache;
}

export interface BookableRoom {
  store: StoreProfileDoc;
  room: RoomProfileDoc;
}

export class StoreService {
  private readonly cache: StoreCache;

  constructor(private readonly d: StoreServiceDeps) {
    this.cache = d.storeCache ?? new StoreCache({ couch: d.couch, views: d.views });
  }

  /** What the platform decided that customers' reads ask (review gate, suspensions), kept. */
  get registry(): RegistryReads {
    return this.d.catalogue.registry;
  }

  search(q: StoreSearch): Promise<StoreListItem[]> {
    return this.d.catalogue.search(q);
  }

  async page(storeId: string): Promise<StorePage> {
    const profiles = await this.cache.profiles(storeId);
    if (!profiles || !(await this.registry.storeShown(storeId))) {
      throw notFound('store', storeId, 'storeId');
    }
    const { store } = profiles;
    // The rooms as the platform approved them (review-gate.ts).
    const rooms = await shownRooms(this.registry, storeId, profiles.rooms);
    return {
      store: {
        storeId: store.storeId,
        name: store.name,
        address: store.address,
        phone: store.phone,
        timeZone: store.timeZone,
        hours: store.hours,
        location: store.location,
        photos: store.photos,
        rules: store.rules,
        walletPackages: store.walletPackages,
        ...(store.theme ? { theme: store.theme } : {}),
        ...(store.logo ? { logo: store.logo } : {}),
      },
      rooms: rooms
        .filter((r) => r.status === 'active')
        .map((r) => ({
          roomId: r.roomId,
          name: r.name,
          capacity: r.capacity,
          areaSqm: r.areaSqm,
          style: r.style,
          facilities: r.facilities,
          photos: r.photos,
          video: r.video,
          videoPoster: r.videoPoster,
          pricePlan: r.pricePlan,
          fromPricePerHour: r.pricePlan.rates.workday,
          rules: roomRules(store, r),
        })),
    };
  }

  async roomDay(storeId: string, roomId: string, date: string): Promise<RoomDay> {
    const found = await this.cache.room(storeId, roomId);
    if (!found) throw notFound('room', roomId, 'roomId');
    await this.mustBeShown(storeId, found.room);
    const [raw, lastSynced] = await Promise.all([
      this.cache.doc(storeId, availabilityDocId(roomId, date)),
      this.cache.lastSync(storeId),
    ]);
    const doc = AvailabilityDocSchema.safeParse(raw);
    // No document: the hub had nothing taken that day when it last synced (it publishes days
    // with bookings); a store that never synced says nothing of the day. The day's document
    // itself tells a sync at least as new, which the index may not show yet.
    const written = doc.success ? Date.parse(doc.data.updatedAt) : Number.NaN;
    const synced = Number.isFinite(written) ? Math.max(written, lastSynced ?? 0) : lastSynced;
    const tz = found.store.timeZone;
    return {
      storeId,
      roomId,
      date,
      timeZone: tz,
      segments: daySegments(date, tz, doc.success ? doc.data.segments : undefined, synced !== null),
      updatedAt: doc.success ? formatInstant(Date.parse(doc.data.updatedAt), tz) : null,
      syncedAt: synced === null ? null : formatInstant(synced, tz),
    };
  }

  reviews(storeId: string, roomId: string): Promise<RoomReviews> {
    return this.d.reviews.forRoom(storeId, roomId);
  }

  /** A room customers may book online: published by its store and not retired. */
  async bookableRoom(storeId: string, roomId: string): Promise<BookableRoom> {
    const found = await this.cache.room(storeId, roomId);
    if (!found || found.room.status !== 'active') throw notFound('room', roomId, 'roomId');
    await this.mustBeShown(storeId, found.room);
    return found;
  }

  /**
   * Refuses a new booking request online while the platform has the store take none (暂停线上接单);
   * its existing bookings, and walk-ins at the store, are untouched.
   */
  mustTakeOnlineBookings(storeId: string): Promise<void> {
    return this.d.catalogue.penalties.mustTakeOnlineBookings(storeId);
  }

  /** A room the platform has not approved, or of a suspended store, is not there for customers. */
  private async mustBeShown(storeId: string, room: RoomProfileDoc): Promise<void> {
    const shown =
      (await this.registry.storeShown(storeId)) &&
      (await shownRooms(this.registry, storeId, [room])).length > 0;
    if (!shown) throw notFound('room', room.roomId, 'roomId');
  }

  async quote(
    storeId: string,
    span: SpanInput & { roomId: string; couponIds?: string[] | undefined; points?: number },
  ): Promise<QuoteAnswer> {
    // Coupons and points are a customer's own: priced only for one signed in (POST /api/me/quotes).
    if ((span.couponIds?.length ?? 0) > 0 || span.points !== undefined) {
      throw new DomainError(
        'invalid',
        'sign_in_required',
        'sign in to put your coupons or points on a quote (POST /api/me/quotes)',
        span.points !== undefined ? 'points' : 'couponIds',
      );
    }
    const { store, room } = await this.bookableRoom(storeId, span.roomId);
    return {
      storeId: store.storeId,
      roomId: room.roomId,
      quote: quoteView(checkedQuote(store, room, span, this.d.clock.now()), {
        roomId: room.roomId,
        packageId: span.packageId ?? null,
        timeZone: store.timeZone,
        terms: bookingTerms(roomRules(store, room)),
      }),
    };
  }

  /**
   * The price of a new booking, once the span and the party meet the store's rules, with the
   * coupons and points the customer puts on it (what cannot go on is in `refused`).
   */
  priceBooking(
    found: BookableRoom,
    span: SpanInput,
    partySize: number,
    member: MemberDiscount | null = null,
    extraBookingDays = 0,
    offers: OnlineOffers = {},
  ): BilledQuote {
    return checkedQuote(
      found.store,
      found.room,
      span,
      this.d.clock.now(),
      partySize,
      member,
      extraBookingDays,
      offers,
    );
  }

  /**
   * A booking's terms (its room's rules, a retired room's too) and what cancelling it now would
   * cost and give back; both null when the store or room is not published.
   */
  async cancelTermsOf(
    booking: Pick<BookingDoc, 'storeId' | 'roomId' | 'status' | 'start' | 'totals'>,
  ): Promise<{ terms: BookingTerms | null; cancel: CancelTerms | null }> {
    const found = await this.cache.room(booking.storeId, booking.roomId);
    if (!found) return { terms: null, cancel: null };
    const rules = roomRules(found.store, found.room);
    return { terms: bookingTerms(rules), cancel: cancelTerms(rules, booking, this.d.clock.now()) };
  }

  /**
   * The price of the time an extension to `end` adds, once it meets the store's rules, with the
   * customer's member level off it as the store takes it off.
   */
  priceExtension(
    found: BookableRoom,
    booking: { start: string; end: string },
    end: string,
    member: MemberDiscount | null = null,
  ): Quote {
    return checkedExtensionQuote(found.store, found.room, booking, end, member);
  }

  /** The price of extending a booking to `end`, as the customer is shown it before paying. */
  extensionView(
    found: BookableRoom,
    booking: { start: string; end: string },
    end: string,
    member: MemberDiscount | null = null,
  ): QuoteView {
    const { store, room } = found;
    return quoteView(this.priceExtension(found, booking, end, member), {
      roomId: room.roomId,
      packageId: null,
      timeZone: store.timeZone,
      terms: bookingTerms(roomRules(store, room)),
    });
  }

  /**
   * Whether the room's published days show something taken that starts in [from, to) (ms): past
   * a booking's own stretch and its cleaning, what starts is someone else's.
   */
  async takenFrom(storeId: string, roomId: string, from: number, to: number): Promise<boolean> {
    const { store } = await this.bookableRoom(storeId, roomId);
    const tz = store.timeZone;
    const last = localDateOf(Math.max(from, to - 1), tz);
    for (
      let day = localDateOf(from, tz), i = 0;
      day <= last && i < 8;
      day = nextLocalDate(day), i++
    ) {
      const doc = AvailabilityDocSchema.safeParse(
        await this.d.couch.get(storeDbName(storeId), availabilityDocId(roomId, day)),
      );
      if (!doc.success) continue;
      const hit = doc.data.segments.some((s) => {
        const start = Date.parse(s.start);
        return start >= from && start < to;
      });
      if (hit) return true;
    }
    return false;
  }

  /**
   * Whether the room's published days show something taken that overlaps [from, to) (ms), passing
   * over what lies within `own` (a booking's own stretch and its cleaning, when it moves).
   */
  async takenWithin(
    storeId: string,
    roomId: string,
    from: number,
    to: number,
    own?: { from: number; to: number },
  ): Promise<boolean> {
    const { store } = await this.bookableRoom(storeId, roomId);
    const tz = store.timeZone;
    const last = localDateOf(Math.max(from, to - 1), tz);
    for (
      let day = localDateOf(from, tz), i = 0;
      day <= last && i < 8;
      day = nextLocalDate(day), i++
    ) {
      const doc = AvailabilityDocSchema.safeParse(
        await this.d.couch.get(storeDbName(storeId), availabilityDocId(roomId, day)),
      );
      if (!doc.success) continue;
      const hit = doc.data.segments.some((s) => {
        const start = Date.parse(s.start);
        const end = Date.parse(s.end);
        if (own && start >= own.from && end <= own.to) return false;
        return start < to && end > from;
      });
      if (hit) return true;
    }
    return false;
  }

  /** The cloud's time now, ms: what its checks of a booking's rules run at. */
  now(): number {
    return this.d.clock.now();
  }

  /** A priced quote as the customer is shown it: times in the store's zone, with its terms. */
  quoteViewOf(found: BookableRoom, q: Quote): QuoteView {
    const { store, room } = found;
    return quoteView(q, {
      roomId: room.roomId,
      packageId: null,
      timeZone: store.timeZone,
      terms: bookingTerms(roomRules(store, room)),
    });
  }

  /** The rules a booking of this room is made under: the store's, with the room's own over them. */
  rulesOf(found: BookableRoom): BookingRules {
    return roomRules(found.store, found.room);
  }
}
