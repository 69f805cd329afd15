// Quotes in the cloud with the hub's own pure pricing (shared-types), from the store's published
// price plan (its seasons too), time zone, day-type overrides and promotions, so the customer is
// shown what the hub will charge;
// and the hub's span rules (shared-types span-rules.ts) checked first, so a span the hub would
// refuse is refused here at once, with the same code, before any payment is held. Pure.
import {
  cancellationFee,
  checkSpan,
  DomainError,
  effectiveRules,
  formatInstant,
  makeDayTypeResolver,
  MINUTE,
  PricingError,
  priceBill,
  priceExtension,
  quotePackage,
  quoteSpan,
  tierFee,
  type BillRefusal,
  type BookingDoc,
  type BookingRules,
  type BookingTerms,
  type CouponOffer,
  type MemberDiscount,
  type Quote,
  type QuoteView,
  type RoomProfileDoc,
  type StoreProfileDoc,
} from '@roomhub/shared-types';

export interface SpanInput {
  start: string;
  end?: string | undefined;
  packageId?: string | undefined;
}

export function quoteRoom(store: StoreProfileDoc, room: RoomProfileDoc, span: SpanInput): Quote {
  const ctx = { timeZone: store.timeZone, dayType: makeDayTypeResolver(store.calendar) };
  const start = Date.parse(span.start);
  try {
    if (span.packageId !== undefined)
      return quotePackage(room.pricePlan, span.packageId, start, ctx);
    return quoteSpan(room.pricePlan, { start, end: Date.parse(span.end ?? '') }, ctx);
  } catch (error) {
    // Mapped as the hub maps them, so a screen reads the same status from either server.
    if (error instanceof PricingError) {
      const kind = error.code === 'package_unavailable' ? 'conflict' : 'invalid';
      throw new DomainError(kind, error.code, error.message, error.field);
    }
    if (error instanceof RangeError) {
      throw new DomainError('invalid', 'invalid_span', error.message, 'start');
    }
    throw error;
  }
}

/** The rules in force for a room: the store's, with the room's own overrides, as on the hub. */
export function roomRules(store: StoreProfileDoc, room: RoomProfileDoc): BookingRules {
  return effectiveRules(store.rules, room.rules);
}

/**
 * Checks a new span as the hub's booking service does, then prices it: the cheap checks before
 * the price (no request makes the cloud price a span of years), the package's own span after.
 * With a party, its size is checked against the room's capacity too.
 */
export function checkedQuote(
  store: StoreProfileDoc,
  room: RoomProfileDoc,
  span: SpanInput,
  nowMs: number,
  partySize?: number,
  member: MemberDiscount | null = null,
  /** Days a member's level lets them book further ahead than others, as at the hub. */
  extraBookingDays = 0,
  /** The customer's coupons and points they put on the bill. */
  offers: OnlineOffers = {},
): BilledQuote {
  const rules = roomRules(store, room);
  const check = {
    rules:
      extraBookingDays > 0
        ? { ...rules, advanceDays: rules.advanceDays + extraBookingDays }
        : rules,
    timeZone: store.timeZone,
    now: nowMs,
    ...(partySize !== undefined
      ? { party: { size: partySize, capacity: room.capacity, roomName: room.name } }
      : {}),
  };
  const isPackage = span.packageId !== undefined;
  const billed = (q: Quote): BilledQuote => withPromotions(store, room, q, member, offers);
  if (!isPackage && span.end !== undefined) {
    // A walk-in is booked from now and billed from the next step, as at the hub.
    const placed = checkSpan({
      ...check,
      start: Date.parse(span.start),
      end: Date.parse(span.end),
      isPackage,
    });
    const priced = quoteRoom(store, room, {
      ...span,
      start: formatInstant(placed.billFrom, store.timeZone),
    });
    return billed({ ...priced, start: placed.start });
  }
  const quote = quoteRoom(store, room, span);
  checkSpan({ ...check, start: quote.start, end: quote.end, isPackage });
  return billed(quote);
}

/** Coupons (the customer's, as their store published them) and points put on a bill online. */
export interface OnlineOffers {
  coupons?: readonly CouponOffer[];
  points?: number | undefined;
}

/** A quote's bill, with the coupons and points that could not go on it and why. */
export type BilledQuote = Quote & { refused: BillRefusal[] };

/**
 * A new booking's bill as the hub makes it (shared priceBill): the season shown as its own line,
 * the store's promotions in force taken off, the member's level where the store published one for
 * the booking's phone, then the coupons named and the points at what the store says one is worth.
 * Whether a coupon is still free and the points still there is the hub's to say when it books.
 */
export function withPromotions(
  store: StoreProfileDoc,
  room: RoomProfileDoc,
  q: Quote,
  member: MemberDiscount | null = null,
  offers: OnlineOffers = {},
): BilledQuote {
  const bill = priceBill(
    q,
    {
      promotions: store.promotions ?? [],
      member,
      coupons: offers.coupons ?? [],
      points:
        offers.points === undefined
          ? null
          : { points: offers.points, fenPerPoint: store.fenPerPoint ?? 0 },
    },
    { roomId: room.roomId, roomStyle: room.style, timeZone: store.timeZone },
  );
  return {
    start: bill.start,
    end: bill.end,
    minutes: bill.minutes,
    lines: bill.lines,
    total: bill.total,
    refused: bill.refused,
  };
}

/**
 * Refuses a booking whose bill could not take a coupon or the points named, as the hub's booking
 * service does (the same code, on `couponIds` or `points`), before any payment is held.
 */
export function refuseUnapplied(quote: BilledQuote): void {
  const refused = quote.refused[0];
  if (!refused) return;
  throw new DomainError(
    'conflict',
    refused.code,
    refused.message,
    refused.kind === 'coupon' ? 'couponIds' : 'points',
  ).with({ couponId: refused.id });
}

/**
 * Checks an extension of a booking to `end` as the hub's extensions do before they extend
 * (hub-app `sessions/extensions.ts`): the added time is a whole number of the store's steps and the
 * booking stays within the longest one allowed; then prices the added time.
 */
export function checkedExtensionQuote(
  store: StoreProfileDoc,
  room: RoomProfileDoc,
  booking: { start: string; end: string },
  end: string,
  member: MemberDiscount | null = null,
): Quote {
  const rules = roomRules(store, room);
  const [start, from, to] = [booking.start, booking.end, end].map((t) => Date.parse(t)) as [
    number,
    number,
    number,
  ];
  if (((to - from) / MINUTE) % rules.stepMinutes !== 0) {
    throw new DomainError(
      'invalid',
      'off_step',
      `extend by a multiple of ${rules.stepMinutes} minutes`,
      'end',
    );
  }
  if ((to - start) / MINUTE > rules.maxMinutes) {
    throw new DomainError(
      'invalid',
      'too_long',
      `a booking lasts at most ${rules.maxMinutes} minutes`,
      'end',
    );
  }
  // Priced as the hub prices it: a percentage-off promotion in force and the member's level, each
  // on its own line.
  return priceExtension(
    quoteRoom(store, room, { start: booking.end, end }),
    store.promotions ?? [],
    {
      roomId: room.roomId,
      roomStyle: room.style,
      timeZone: store.timeZone,
    },
    member,
  );
}

/** What cancelling would cost and give back now, as the hub's booking detail shows it (`ifNow`). */
export interface CancelTerms {
  fee: number;
  refund: number;
  feePercent: number;
}

/**
 * Cancelling a paid booking before its start, by the room's rules, from what the booking's hub
 * published (what was paid less what went back): the hub's own rule (shared `cancellationFee`,
 * `tierFee`); a hold not paid yet goes for nothing. Null once it has started, or when it is
 * neither held nor paid: nothing to cancel online.
 */
export function cancelTerms(
  rules: BookingRules,
  booking: Pick<BookingDoc, 'status' | 'start' | 'totals'>,
  nowMs: number,
): CancelTerms | null {
  const refundable = Math.max(0, booking.totals.paid - booking.totals.refunded);
  // A hold not paid yet is let go for nothing, as the hub's detail says.
  if (booking.status === 'pending_payment') return { fee: 0, refund: refundable, feePercent: 0 };
  if (booking.status !== 'paid') return null;
  const start = Date.parse(booking.start);
  const fee = cancellationFee(rules, refundable, nowMs, start);
  if (fee === null) return null;
  const { feePercent } = tierFee(rules.cancellation, refundable, nowMs, start);
  return { fee, refund: refundable - fee, feePercent };
}

/** The quote as the hub shows it: the same shape, instants in the store's time zone. */
export function quoteView(
  q: Quote,
  of: { roomId: string; packageId: string | null; timeZone: string; terms: BookingTerms },
): QuoteView {
  const at = (ms: number) => formatInstant(ms, of.timeZone);
  return {
    roomId: of.roomId,
    packageId: of.packageId,
    start: at(q.start),
    end: at(q.end),
    minutes: q.minutes,
    lines: q.lines.map((l) => ({ ...l, start: at(l.start), end: at(l.end) })),
    total: q.total,
    terms: of.terms,
  };
}
