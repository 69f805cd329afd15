// The customer's own account on the platform (C1): the profile and preferences they keep with the
// cloud, "my data" (everything the platform holds about them, as a page and a JSON download) and
// deleting the account under the personal-information law. Shapes only; no I/O.
import { z } from 'zod';
import { LocalDateSchema } from '../time/instant';
import { IdPartSchema } from '../sync/id-part';
import type { MyCoupons } from './coupons';
import type { IntentView, MyMemberships, MyOrders } from './customer';
import type { MyVouchers } from './deals-online';

const word = z.string().trim().min(1).max(20);

export const GenderSchema = z.enum(['female', 'male', 'unsaid']);
export type Gender = z.infer<typeof GenderSchema>;

export const CustomerPreferencesSchema = z.object({
  /** Favourite teas: 龙井, 普洱... */
  teas: z.array(word).max(10).default([]),
  /** Usual areas (districts, neighbourhoods) to find stores in. */
  areas: z.array(word).max(10).default([]),
  /** Room styles they like: the styles rooms are published with (tea, mahjong...). */
  styles: z.array(word).max(10).default([]),
});
export type CustomerPreferences = z.infer<typeof CustomerPreferencesSchema>;

/** What the customer writes: each field optional, the whole replaced on each save. */
export const CustomerProfilePutSchema = z.object({
  name: z.string().trim().min(1).max(20).optional(),
  gender: GenderSchema.optional(),
  birthday: LocalDateSchema.optional(),
  avatarUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) address of a picture' })
    .max(500)
    .optional(),
  signature: z.string().trim().max(60).optional(),
  preferences: CustomerPreferencesSchema.default({ teas: [], areas: [], styles: [] }),
});
export type CustomerProfilePut = z.input<typeof CustomerProfilePutSchema>;

export interface CustomerProfile extends z.output<typeof CustomerProfilePutSchema> {
  customerId: string;
  /** The phone signed in with, masked (138****5678); absent for a WeChat sign-in without one. */
  phone?: string;
  updatedAt: string | null;
}

/** A review the customer wrote, as the store accepted it (or not). */
export interface MyReview {
  storeId: string;
  bookingId: string | null;
  state: IntentView['state'];
  ratings?: { environment: number; facilities: number; teaSnacks: number; service: number };
  text?: string;
  createdAt: string;
}

/** Everything the platform holds about the customer, for the page and the JSON download. */
export interface MyData {
  exportedAt: string;
  customerId: string;
  /** In full: it is their own. */
  phone: string | null;
  profile: CustomerProfile;
  orders: MyOrders;
  memberships: MyMemberships['memberships'];
  coupons: MyCoupons['coupons'];
  vouchers: MyVouchers;
  reviews: MyReview[];
  /** The stores that hold bookings or a membership of the customer. */
  stores: string[];
  /** The WeChat accounts that sign in as this phone's customer; removable by the customer. */
  wechatLinks: WechatLink[];
}

/** A WeChat account linked to the customer's phone (it proved the phone by a texted code). */
export interface WechatLink {
  /** The WeChat account's customer id, to remove the link by. */
  wechatId: string;
  linkedAt: string;
  /** This is the WeChat account the customer is signed in with now. */
  current: boolean;
}

export const WechatLinkParamsSchema = z.object({ wechatId: IdPartSchema });

/** Deleting the account: the customer confirms by typing 注销 (or "delete"). */
export const AccountDeletionBodySchema = z.object({
  confirm: z.enum(['注销', 'delete'], {
    error: 'type 注销 to confirm that the account and its data are deleted',
  }),
});

export interface AccountDeletion {
  deleted: true;
  /** The stores told to erase the phone and name on their bookings and members. */
  storesTold: string[];
}

/**
 * What stands in the way of deleting the account now: money in a wallet (forfeited otherwise:
 * use it or have it refunded first), a booking still to come, a request the store has not answered.
 */
export interface DeletionCheck {
  allowed: boolean;
  blockers: {
    code: 'wallet_not_empty' | 'booking_upcoming' | 'request_waiting';
    storeId: string;
    /** Fen held, for a wallet; the booking's id, for a booking. */
    amount?: number;
    bookingId?: string;
  }[];
}

/** Why something is recommended, each worth points (account/recommend.ts says how many). */
export const RecommendationReasonSchema = z.enum([
  'booked_before',
  'usual_store',
  'favourite_style',
  'usual_area',
  'near',
  'deal_at_usual_store',
]);
export type RecommendationReason = z.infer<typeof RecommendationReasonSchema>;

export interface Recommendation {
  kind: 'room' | 'deal';
  storeId: string;
  storeName: string;
  roomId?: string;
  roomName?: string;
  /** A room's lowest hourly rate, a deal's price; fen. */
  price: number;
  dealId?: string;
  dealTitle?: string;
  /** The hour the customer usually starts at this store (HH:mm), to book again. */
  usualStart?: string;
  score: number;
  reasons: RecommendationReason[];
}

export const RecommendationQuerySchema = z
  .object({
    lat: z.coerce.number().min(-90).max(90).optional(),
    lng: z.coerce.number().min(-180).max(180).optional(),
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), {
    message: 'give both lat and lng, or neither',
    path: ['lng'],
  });

export interface Recommendations {
  recommendations: Recommendation[];
}
