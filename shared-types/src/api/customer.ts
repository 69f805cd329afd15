// The cloud's customer API, as the mini-program's pages call it: sign-in, discovery, quotes,
// booking intents and "my orders". The cloud validates with these schemas and the pages import
// them and the response types, so both read one definition. Pure: schemas and types only.
import { z } from 'zod';
import type { ApiErrorBody } from '../errors';
import type { BookingRules, BookingTerms } from '../booking/booking-rules';
import { BookingStatusSchema } from '../booking/booking-status';
import type { PricePlan } from '../pricing/price-plan';
import type { QuoteView } from './bookings';
import { StoreIdSchema } from '../sync/databases';
import {
  IdPartSchema,
  type AnswerOutcome,
  type AvailabilityDoc,
  type BookingDoc,
  type IntentKind,
  type LedgerDoc,
  type SessionDoc,
  type MemberDoc,
  type StoreProfileDoc,
} from '../sync/documents';
import { IsoInstantSchema } from '../time/instant';
import { PaySurfaceSchema } from '../payments/channel-offer';
import { OnlinePaymentMethodSchema } from '../payments/payment-method';
import { CustomerSchema, QuoteRequestSchema } from './bookings';
import { pageQuery } from './paging';

// ---- sign-in -------------------------------------------------------------------------------

const phone = CustomerSchema.shape.phone;

export const SmsSendBodySchema = z.object({
  phone,
  /** Signing in (the default), or linking a WeChat sign-in to this phone. */
  purpose: z.enum(['sign_in', 'link_wechat'], { error: 'sign_in or link_wechat' }).optional(),
});
export const SmsVerifyBodySchema = z.object({
  phone,
  code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code'),
});
export const WechatSignInBodySchema = z.object({ code: z.string().trim().min(1).max(128) });

export interface SmsSent {
  sent: true;
  expiresInSeconds: number;
}

export interface CustomerSignIn {
  /** A bearer token for the customer routes. */
  token: string;
  customerId: string;
}

// ---- discovery and quotes ------------------------------------------------------------------

export const StoreParamsSchema = z.object({ storeId: StoreIdSchema });
export const RoomParamsSchema = z.object({ storeId: StoreIdSchema, roomId: IdPartSchema });

const coerceNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must be a number')
    .transform(Number)
    // Only a word that is no number is "not a number"; a number out of range says its range.
    .pipe(
      z
        .number({ error: (iss) => (iss.code === 'invalid_type' ? 'must be a number' : undefined) })
        .min(min)
        .max(max),
    );

/** How many stores a search lists unless it asks for another number (the nearest first). */
export const STORE_SEARCH_LIMIT = 50;
/** The most a search may ask for. */
export const STORE_SEARCH_MAX = 200;

export const StoreSearchQuerySchema = z
  .object({
    lat: coerceNumber(-90, 90).optional(),
    lng: coerceNumber(-180, 180).optional(),
    maxKm: coerceNumber(0, 20_000).optional(),
    /** At most this many stores, the nearest first (STORE_SEARCH_LIMIT unless given). */
    limit: coerceNumber(1, STORE_SEARCH_MAX)
      .refine((n) => Number.isInteger(n), 'must be a whole number')
      .optional(),
    priceMin: coerceNumber(0, 10_000_000).optional(),
    priceMax: coerceNumber(0, 10_000_000).optional(),
    style: z.string().trim().min(1).max(30).optional(),
    capacity: coerceNumber(1, 50).optional(),
    openNow: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .optional(),
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), {
    message: 'give both lat and lng, or neither',
    path: ['lng'],
  })
  .refine((q) => q.maxKm === undefined || q.lat !== undefined, {
    message: 'maxKm needs lat and lng',
    path: ['maxKm'],
  });
export type StoreSearch = z.output<typeof StoreSearchQuerySchema>;

/** One store of a search: the rooms that match the filters, nearest store first. */
export interface StoreListItem {
  storeId: string;
  name: string;
  address: string;
  location: { lat: number; lng: number };
  /** Null when the search gave no point. */
  distanceKm: number | null;
  openNow: boolean;
  hours: { open: string; close: string };
  /** The cheapest matching room's weekday hourly rate, fen. */
  fromPricePerHour: number;
  rooms: {
    roomId: string;
    name: string;
    style: string;
    capacity: number;
    fromPricePerHour: number;
  }[];
}

export interface StorePage {
  store: {
    storeId: string;
    name: string;
    address: string;
    phone: string;
    timeZone: string;
    hours: { open: string; close: string };
    location: { lat: number; lng: number } | null;
    photos: string[];
    rules: BookingRules;
    /** The wallet's top-up packages on sale: pay this, the store adds the bonus. */
    walletPackages: StoreProfileDoc['walletPackages'];
    /** The owner's colour (#rrggbb) and logo for the store's pages; absent: the platform's. */
    theme?: string;
    logo?: string;
  };
  /** Active rooms only. */
  rooms: {
    roomId: string;
    name: string;
    capacity: number;
    areaSqm: number;
    style: string;
    facilities: string[];
    photos: string[];
    /** An https address of an .mp4, shown under the photos; null: none. */
    video: string | null;
    videoPoster: string | null;
    pricePlan: PricePlan;
    fromPricePerHour: number;
    /** The rules in force for this room: the store's, with the room's own (a shorter window...). */
    rules: BookingRules;
  }[];
}

/** A room's day as the store's hub published it: taken segments only, never who took them. */
/** A stretch of a room's day as a customer sees it: free, or taken (who holds it is not shown). */
export interface RoomDaySegment {
  start: string;
  end: string;
  state: 'free' | AvailabilityDoc['segments'][number]['state'];
}

export interface RoomDay {
  storeId: string;
  roomId: string;
  date: string;
  timeZone: string;
  /**
   * The whole local day, free stretches included, as of `syncedAt`; [] only while the store has
   * never synced (nothing is known of it).
   */
  segments: RoomDaySegment[];
  /** When the hub last published this day; null when it never did (nothing was taken then). */
  updatedAt: string | null;
  /**
   * The newest thing the store's hub published (its last sync), in the store's zone; null when it
   * never synced. A day with no bookings reads all free with this set.
   */
  syncedAt: string | null;
}

export interface ReviewRatings {
  environment: number;
  facilities: number;
  teaSnacks: number;
  service: number;
}

export interface RoomReviews {
  count: number;
  /** Averages over every review, one decimal; null while there is none. */
  average: { [K in keyof ReviewRatings]: number | null };
  /** The newest reviews first. */
  reviews: { ratings: ReviewRatings; text?: string; at: string }[];
}

export const QuoteBodySchema = z.object({ storeId: StoreIdSchema }).and(QuoteRequestSchema);

export interface QuoteAnswer {
  storeId: string;
  roomId: string;
  quote: QuoteView;
}

// ---- booking intents and my orders ---------------------------------------------------------

/** The `Idempotency-Key` header: the same key from the same customer makes one intent. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 letters, digits, ".", "_", ":" or "-"');

export const BookingBodySchema = z
  .object({
    storeId: StoreIdSchema,
    partySize: z.number().int().min(1).max(50),
    /** For a WeChat sign-in without a phone on its token. */
    phone: phone.optional(),
    name: z.string().trim().min(1).max(20).optional(),
    /**
     * The way the customer chose to pay, among those `GET /api/payment-methods` lists where they
     * are (`surface`, the page outside WeChat unless said); one not offered there is refused.
     */
    method: OnlinePaymentMethodSchema.optional(),
    surface: PaySurfaceSchema.extract(['mini_program', 'h5_in_wechat', 'h5']).optional(),
  })
  .and(QuoteRequestSchema);

export const IntentParamsSchema = z.object({ intentId: IdPartSchema });
export const OrderParamsSchema = z.object({ bookingId: IdPartSchema });
/** A page of my orders: 20 unless `limit` says. */
export const MyOrdersQuerySchema = z.object({
  status: BookingStatusSchema.optional(),
  ...pageQuery(100),
});
export type MyOrdersQuery = z.output<typeof MyOrdersQuerySchema>;

const rating = z.number().int().min(1).max(5);
export const ReviewBodySchema = z.object({
  ratings: z.object({
    environment: rating,
    facilities: rating,
    teaSnacks: rating,
    service: rating,
  }),
  text: z.string().trim().max(1000).default(''),
});

/** Cancel (before the start) and refund (after it) take the same body. */
export const RefundBodySchema = z.object({
  reason: z.string().trim().min(1).max(200).optional(),
  amount: z.number().int().positive().optional(),
  /**
   * Cancelling before the start: the fee the customer was shown (`ifNow.cancel.fee` of the
   * order), fen. A fee that moved since is refused with `fee_changed`, naming the new one.
   */
  expectedFee: z.number().int().nonnegative().optional(),
});

export const ExtendBodySchema = z.object({ end: IsoInstantSchema });

/** `waiting` while the store has not answered; `expired` when it did not in time. */
export type IntentState = 'waiting' | 'expired' | AnswerOutcome;

/** What the cloud knows of one of the customer's intents. */
export interface IntentView {
  intentId: string;
  kind: IntentKind;
  storeId: string;
  state: IntentState;
  bookingId?: string;
  /** A tea order the store placed (`tea_order`). */
  orderId?: string;
  /** The store's words when it rejected or refused. */
  reason?: string;
  /** For the customer while waiting or once expired. */
  message?: string;
  payment?: { amount: number; state: 'authorised' | 'captured' | 'released' };
  /** A refund request the store granted by cancelling: the fee it kept and the refund, fen. */
  fee?: number;
  refund?: number;
  /** A refund request after the start, waiting for the store's review. */
  underReview?: boolean;
  /**
   * A booking asked for without paying (`POST /api/bookings/hold`), answered `held`: the slot is
   * the customer's until then, and `price` is what paying it (`POST /api/orders/:id/pay`) takes.
   */
  holdUntil?: string;
  price?: number;
  createdAt: string;
  expiresAt?: string;
}

/**
 * The body of a 409 (`rejected`, `refused`) or 410 (`expired`) answer to an intent: the error
 * shape and the intent beside it. 202 answers the bare IntentView while the store is offline.
 */
export type IntentRefusal = ApiErrorBody & IntentView;

/** A hub document as the API shows it: without CouchDB's own fields. */
export type Published<T> = Omit<T, '_id' | '_rev'>;

/** My membership of one store, as its hub published it (level, what it gives, points). */
export type MyMembership = Omit<Published<MemberDoc>, 'type' | 'customerId'>;

export interface MyMemberships {
  memberships: MyMembership[];
}

export interface MyOrders {
  /** A page of the customer's bookings, newest start first. */
  orders: Published<BookingDoc>[];
  /**
   * With the first page only: the customer's booking requests still waiting for their store (in
   * my data, every booking request, answered or not).
   */
  intents: IntentView[];
  /** Pass as `before` for the page after this one; null on the last. */
  next: string | null;
}

export interface OrderDetail {
  booking: Published<BookingDoc>;
  ledger: Published<LedgerDoc>[];
  session: Published<SessionDoc> | null;
  /** The customer's intents about this booking. */
  intents: IntentView[];
  /** The rules the booking was made under (its room's); null when its store is not published. */
  terms: BookingTerms | null;
  /**
   * What cancelling now would cost and give back, fen, to show before the customer confirms
   * (then sent as `expectedFee`); null when it cannot be cancelled online now.
   */
  ifNow: { cancel: { fee: number; refund: number; feePercent: number } | null };
  /**
   * The way in with no network (C6), for the booker alone, while the booking is paid or in use:
   * the entry code to type, the QR the door scanner reads, and when the door takes them (from the
   * store's early-entry grace before the start to the end); null otherwise.
   */
  door: { entryCode: string; qr: string; from: string; until: string } | null;
}

/** `GET /api/orders/:bookingId/extend/quote?end=`: what extending to `end` costs, asked before paying. */
export const ExtendQuoteQuerySchema = z.object({ end: IsoInstantSchema });

/**
 * `GET /api/orders/:bookingId/change/quote`: moving a paid booking to another time (or another
 * room of the store), asked before confirming. Every field is named on a 400.
 */
export const ChangeQuoteQuerySchema = z.object({
  roomId: IdPartSchema.optional(),
  start: IsoInstantSchema,
  end: IsoInstantSchema,
});

/**
 * `POST /api/orders/:bookingId/change`: the new time, the change fee the customer was shown, and
 * for a dearer time the difference they were shown to pay (还需支付), held until the store answers.
 */
export const ChangeBodySchema = ChangeQuoteQuerySchema.extend({
  expectedFee: z.number().int().nonnegative(),
  expectedDue: z.number().int().nonnegative().optional(),
});

/**
 * What moving a booking costs, as the page shows it line by line: the new time's price, the
 * store's change fee (by notice, on what was paid), what was paid, and what comes back (the
 * difference less the fee) or, for a dearer time, what is still to pay (`due`, paid online and
 * held until the store moves the booking). One of `refund` and `due` is 0.
 */
export interface ChangeQuoteView {
  quote: QuoteView;
  fee: number;
  feePercent: number;
  paid: number;
  refund: number;
  due: number;
}
