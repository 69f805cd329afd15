// Coupons and the campaigns that issue them (C12, O6): the campaign's coupon, its claim window and
// use window, per-person and total limits; issued by hand, claimed at the kiosk, to new customers,
// on birthdays, for referrals (both sides), to a member level and to members who stopped coming
// (win-back); paused and ended; its results.
import { z } from 'zod';
import { CouponTermsSchema, type BillRefusal, type CouponTerms } from '../pricing/discounts';
import type { QuoteView } from './bookings';
import { LocalDateSchema } from '../time/instant';
import { ShareCodeSchema } from './share-code';
import { MobileSchema } from './mobile';

const phone = MobileSchema;
const id = z.string().trim().min(1).max(64);

/**
 * How a campaign's coupons reach customers: `new_user` to a phone with no booking yet (claimed),
 * `birthday` by the daily job, `referral` to both the one who refers and the one referred (once
 * the referred pays a first booking), `level` to members of a level (claimed), `manual` by staff,
 * `claim` from a page or the kiosk, `win_back` by the daily job to members whose last visit is
 * older than its `absentDays` (once per absence), reaching them as a recall.
 */
export const CampaignKindSchema = z.enum([
  'new_user',
  'birthday',
  'referral',
  'level',
  'manual',
  'claim',
  'win_back',
]);
export type CampaignKind = z.infer<typeof CampaignKindSchema>;

export const CampaignStatusSchema = z.enum(['active', 'paused', 'ended']);
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>;

export const CampaignCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    kind: CampaignKindSchema,
    /** The name its coupons carry, e.g. 新人立减20元. */
    couponName: z.string().trim().min(1).max(40),
    coupon: CouponTermsSchema,
    /** Store-local dates, both included: when its coupons may be claimed or issued. */
    claimFrom: LocalDateSchema,
    claimTo: LocalDateSchema,
    /** A coupon may be used for so many days from when it was issued... */
    useDays: z.number().int().min(1).max(366),
    /** ...and never after this date. */
    useUntil: LocalDateSchema.nullable().default(null),
    /** How many of its coupons one phone may hold. */
    perPerson: z.number().int().min(1).max(20).default(1),
    /** How many coupons it issues in all; null: no limit. */
    totalLimit: z.number().int().min(1).max(1_000_000).nullable().default(null),
    /**
     * For a level campaign: the level's name, as members' levels name it. A birthday campaign may
     * name one too: then only that level's members get its coupon on their birthday.
     */
    level: z.string().trim().min(1).max(40).nullable().default(null),
    /**
     * Points a member gives for its coupon (a claim or level campaign): its coupons are then
     * exchanged for points, never claimed free. Null: claimed free. Set when the campaign starts.
     */
    pointsPrice: z.number().int().min(1).max(1_000_000).nullable().default(null),
    /**
     * For a win-back campaign: how many days a member has not come before its coupon recalls them.
     */
    absentDays: z
      .number()
      .int()
      .min(7, 'must be at least 7 days')
      .max(365, 'must be at most 365 days')
      .nullable()
      .default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.claimTo < c.claimFrom)
      ctx.addIssue({ code: 'custom', path: ['claimTo'], message: 'must not be before claimFrom' });
    if (c.useUntil !== null && c.useUntil < c.claimFrom)
      ctx.addIssue({ code: 'custom', path: ['useUntil'], message: 'must not be before claimFrom' });
    if (c.kind === 'level' && c.level === null)
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: 'a level campaign names its level',
      });
    if (c.level !== null && c.kind !== 'level' && c.kind !== 'birthday')
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: 'only a level or birthday campaign is for the members of one level',
      });
    if (c.pointsPrice !== null && c.kind !== 'claim' && c.kind !== 'level')
      ctx.addIssue({
        code: 'custom',
        path: ['pointsPrice'],
        message: 'only the coupons of a claim or level campaign are exchanged for points',
      });
    if (c.kind === 'win_back' && c.absentDays === null)
      ctx.addIssue({
        code: 'custom',
        path: ['absentDays'],
        message: 'a win-back campaign says after how many days away a member is recalled',
      });
    if (c.kind !== 'win_back' && c.absentDays !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['absentDays'],
        message: 'only a win-back campaign recalls members by days away',
      });
  });
export type CampaignCreate = z.output<typeof CampaignCreateSchema>;

/** Pause, resume or end a campaign; rename it, move its claim end, change its total limit. */
export const CampaignPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(40).optional(),
    status: CampaignStatusSchema.optional(),
    claimTo: LocalDateSchema.optional(),
    totalLimit: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .strict();
export type CampaignPatch = z.output<typeof CampaignPatchSchema>;
/**
 * A campaign's terms changed from afar: its claim end, its total limit (null: no limit) or the
 * owner's own name for it; paused, resumed or ended by itself (RemoteCampaignStatusBodySchema).
 */
export const RemoteCampaignPatchSchema = CampaignPatchSchema.omit({ status: true }).refine(
  (p) => Object.keys(p).length > 0,
  { message: 'change at least one term of the campaign' },
);
export type RemoteCampaignPatch = z.output<typeof RemoteCampaignPatchSchema>;
/** What the owner does to a campaign from afar: pause, resume or end it. */
export const RemoteCampaignStatusBodySchema = z.object({ status: CampaignStatusSchema }).strict();

/** Staff issuing a campaign's coupon to customers by hand. */
export const CouponIssueSchema = z
  .object({
    phones: z
      .array(phone)
      .min(1, 'type at least one phone number')
      .max(200, 'at most 200 phone numbers at a time'),
    note: z.string().trim().max(200, 'the note is at most 200 characters').optional(),
  })
  .strict();

export type CouponIssue = z.input<typeof CouponIssueSchema>;

/** A customer claiming a campaign's coupon with their phone (the kiosk, the counter). */
export const CouponClaimSchema = z.object({ campaignId: id, phone }).strict();

/**
 * A member exchanges points for a campaign's coupon at the counter. `requestId` makes a retried
 * request the same exchange: the coupon already issued, no points taken twice.
 */
export const CouponExchangeSchema = z
  .object({ campaignId: id, phone, requestId: id.optional() })
  .strict();

/** A coupon exchanged for points: the coupon, the points it took and the member's points left. */
export interface CouponExchangeView {
  coupon: CouponView;
  points: number;
  balance: number;
}

/** A customer brought by another: the new one is given a coupon now, the other on their first paid booking. */
export const ReferralSchema = z
  .object({ campaignId: id, referrer: phone, referee: phone })
  .strict()
  .refine((r) => r.referrer !== r.referee, {
    path: ['referee'],
    message: 'must not be the same phone as the referrer',
  });

export const CouponListQuerySchema = z.object({ phone });

export type CouponStatus = 'available' | 'used' | 'expired' | 'not_yet';

export interface CouponView {
  id: string;
  campaignId: string;
  name: string;
  phone: string;
  terms: CouponTerms;
  status: CouponStatus;
  useFrom: string;
  useUntil: string;
  issuedAt: string;
  /** The booking it is used on, while used. */
  bookingId: string | null;
}

export interface CampaignView extends Omit<CampaignCreate, 'coupon'> {
  id: string;
  coupon: CouponTerms;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignResults {
  campaignId: string;
  /** Coupons it gave out in all (claimed ones included). */
  issued: number;
  /** Of those, claimed by customers themselves (exchanged for points included). */
  claimed: number;
  /** Of those, exchanged for points. */
  exchanged: number;
  /** The points members gave for them (never given back: an unused coupon keeps its points). */
  points: number;
  /** Coupons on a booking that stands (not cancelled). */
  used: number;
  /** What those bookings cost their customers, fen. */
  revenue: number;
  /** Customers who had no booking before its coupon reached them and used it. */
  newMembers: number;
  /** The discount its coupons gave, fen. */
  cost: number;
}

// ---- online, through the cloud ---------------------------------------------------------------

/**
 * A signed-in customer claims a coupon of a store's campaign from its page; for a campaign with a
 * points price, `points` is that price as the page showed it: the exchange the customer agreed to.
 */
export const OnlineCouponClaimSchema = z
  .object({ campaignId: id, points: z.number().int().min(1).max(1_000_000).optional() })
  .strict();

/** A signed-in customer asks to be a member of a store; the name is what the store calls them. */
export const MembershipJoinSchema = z
  .object({
    name: z.string().trim().min(1).max(20).optional(),
    /** The share link the customer came through: the one who shared it may be rewarded. */
    share: ShareCodeSchema.optional(),
  })
  .strict();

export const MyCouponsQuerySchema = z
  .object({ status: z.enum(['available', 'used', 'expired', 'not_yet']).optional() })
  .strict();

/** A campaign a customer may claim a coupon of, as the store's page shows it. */
export interface ClaimableCampaign {
  campaignId: string;
  couponName: string;
  terms: CouponTerms;
  claimFrom: string;
  claimTo: string;
  useDays: number;
  useUntil: string | null;
  perPerson: number;
  /** Points its coupon is exchanged for; null: claimed free. */
  pointsPrice: number | null;
  soldOut: boolean;
}

export interface ClaimableCampaigns {
  storeId: string;
  campaigns: ClaimableCampaign[];
}

/** One of my coupons in one store, as its hub published it; times in the store's zone. */
export interface MyCoupon {
  storeId: string;
  couponId: string;
  campaignId: string;
  name: string;
  terms: CouponTerms;
  status: CouponStatus;
  useFrom: string;
  useUntil: string;
  issuedAt: string;
  bookingId: string | null;
}

export interface MyCoupons {
  coupons: MyCoupon[];
}

/** A quote priced for me: my level, the coupons and points I named; what could not go on, named. */
export interface MyQuoteAnswer {
  storeId: string;
  roomId: string;
  quote: QuoteView;
  refused: BillRefusal[];
}
