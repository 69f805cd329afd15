// What a store's hub publishes of its members and their money and coupons (C11, O6): each
// member's level, points and wallet balance, what the store's wallets owe in all, each campaign
// and each coupon given out, for the customer's own pages and the owner's remote view. Named by
// the customer id the phone gives, never the phone. The hub is their only writer.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, part } from './id-part';
import { CouponTermsSchema } from '../pricing/discounts';
import { CampaignStatusSchema } from '../api/coupons';
import { MemberRulesSchema } from '../api/members';
import { StaffRoleSchema } from '../staff/roles';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';

export const memberDocId = (memberId: string) => `member:${part(memberId)}`;
/** The store's staff (names, roles, enabled or not; never a PIN), for the owner away. */
export const STAFF_LIST_ID = 'staff:list';
/** The store's member levels and points rules, for the owner away from the store. */
export const MEMBER_SETTINGS_ID = 'levels:settings';
export const campaignDocId = (campaignId: string) => `campaign:${part(campaignId)}`;
export const couponDocId = (couponId: string) => `coupon:${part(couponId)}`;
export const WALLET_OWED_ID = 'wallet:owed';

const fen = z.number().int();
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A member of the store as its hub keeps them (C11, O6): level, points, spend and visits, for the
 * customer's own pages ("my points") and the owner's remote view. Named by the customer id the
 * phone gives (`customerIdForPhone`), never by the phone; a hub with no customer id key publishes
 * none. The points ledger stays in the store: this is its balance.
 */
export const MemberDocSchema = z.object({
  _id: z.string().startsWith('member:'),
  type: z.literal('member'),
  storeId: StoreIdSchema,
  memberId: IdPartSchema,
  customerId: IdPartSchema,
  level: z.object({ id: IdPartSchema, name: text(40) }).nullable(),
  /** What the level gives, as the owner set it. */
  privileges: z
    .object({
      roomPercentOff: z.number().int().min(0).max(100),
      itemPercentOff: z.number().int().min(0).max(100),
      extraBookingDays: z.number().int().min(0),
    })
    .nullable(),
  points: z.number().int().min(0),
  /** Fen, net of what was given back. */
  totalSpend: fen,
  visits: z.number().int().min(0),
  lastVisitAt: IsoInstantSchema.nullable(),
  joinedAt: IsoInstantSchema,
  /**
   * What the member's wallet holds at this store, fen: a shared wallet's stores are asked for its
   * money in the order of what they hold. Absent from documents published before wallets.
   */
  wallet: z.object({ principal: fen.min(0), bonus: fen.min(0) }).optional(),
  updatedAt: IsoInstantSchema,
});
export type MemberDoc = z.infer<typeof MemberDocSchema>;

/**
 * The stored value the store owes its customers (O6, the prepaid-card rules): principal and bonus
 * apart, and how many wallets hold any; for the owner's remote view and the chain's total.
 */
export const WalletOwedDocSchema = z.object({
  _id: z.literal(WALLET_OWED_ID),
  type: z.literal('wallet_owed'),
  storeId: StoreIdSchema,
  principal: fen.min(0),
  bonus: fen.min(0),
  wallets: z.number().int().min(0),
  updatedAt: IsoInstantSchema,
});
export type WalletOwedDoc = z.infer<typeof WalletOwedDocSchema>;

/**
 * The store's member levels (each with how many members hold it) and points rules, as its
 * dashboard shows them (O6): the owner's remote view reads and changes them through it.
 */
export const MemberSettingsDocSchema = z.object({
  _id: z.literal(MEMBER_SETTINGS_ID),
  type: z.literal('member_settings'),
  storeId: StoreIdSchema,
  rules: MemberRulesSchema,
  levels: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      threshold: z.number().int().min(0),
      roomPercentOff: z.number().min(0).max(100),
      itemPercentOff: z.number().min(0).max(100),
      extraBookingDays: z.number().int().min(0),
      birthdayPoints: z.number().int().min(0),
      members: z.number().int().min(0),
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type MemberSettingsDoc = z.infer<typeof MemberSettingsDocSchema>;

/**
 * The store's staff as its dashboard lists them (O9): who, in which role, enabled or not. Never a
 * PIN or its hash: the owner disables or enables someone from afar; PINs are set at the store.
 */
export const StaffListDocSchema = z.object({
  _id: z.literal(STAFF_LIST_ID),
  type: z.literal('staff_list'),
  storeId: StoreIdSchema,
  staff: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: StaffRoleSchema,
      status: z.enum(['active', 'disabled']),
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type StaffListDoc = z.infer<typeof StaffListDocSchema>;

/**
 * A campaign whose coupons customers claim from the store's page (C12): what its coupon takes off
 * and when, its claim window and per-person limit, and whether any are left. Only what a customer
 * is shown: never the owner's name for it, its results or who holds its coupons.
 */
export const CampaignDocSchema = z.object({
  _id: z.string().startsWith('campaign:'),
  type: z.literal('campaign'),
  storeId: StoreIdSchema,
  campaignId: IdPartSchema,
  couponName: text(40),
  terms: CouponTermsSchema,
  /** Store-local dates, both included. */
  claimFrom: LocalDateSchema,
  claimTo: LocalDateSchema,
  /** A coupon may be used so many days from when it was claimed, and never after `useUntil`. */
  useDays: z.number().int().min(1),
  useUntil: LocalDateSchema.nullable(),
  perPerson: z.number().int().min(1),
  /** Points its coupon is exchanged for; null (or left out by an older hub): claimed free. */
  pointsPrice: z.number().int().min(1).nullable().default(null),
  status: CampaignStatusSchema,
  /** All its coupons have been given out. */
  soldOut: z.boolean(),
  updatedAt: IsoInstantSchema,
});
export type CampaignDoc = z.infer<typeof CampaignDocSchema>;

/**
 * A coupon a customer holds at the store (C12), however it reached them (claimed, given by hand,
 * a birthday, a referral, a win-back), for "my coupons" and for the cloud to price a booking that
 * names it. Named by the customer id the phone gives, never by the phone; a hub with no customer id
 * key publishes none. Whether it may be used now is the store's to decide when it is used.
 */
export const CouponDocSchema = z.object({
  _id: z.string().startsWith('coupon:'),
  type: z.literal('coupon'),
  storeId: StoreIdSchema,
  couponId: IdPartSchema,
  campaignId: IdPartSchema,
  customerId: IdPartSchema,
  name: text(40),
  terms: CouponTermsSchema,
  useFrom: IsoInstantSchema,
  useUntil: IsoInstantSchema,
  issuedAt: IsoInstantSchema,
  /** The standing booking it is used on; null while it is free to use. */
  bookingId: IdPartSchema.nullable(),
  /**
   * It came from a win-back campaign: the customer hears of it as a recall (promotional). False
   * (or left out by an older hub): an ordinary coupon.
   */
  winBack: z.boolean().default(false),
  updatedAt: IsoInstantSchema,
});
export type CouponDoc = z.infer<typeof CouponDocSchema>;
