// Merchant onboarding (P1), as the applicant's page, the console and the cloud agree: the
// application, its documents (business licence, health and fire permits; pictures or PDF, as large
// and of the kinds the platform's upload settings allow), and the merchant admin's decision. Pure.
import { z } from 'zod';
import { CustomerSchema } from '../api/bookings';
import { StoreIdSchema } from '../sync/databases';
import { PlatformReasonSchema } from './platform-staff';

export const MERCHANT_DOCUMENT_KINDS = [
  'business_licence',
  'health_permit',
  'fire_permit',
] as const;
export const MerchantDocumentKindSchema = z.enum(MERCHANT_DOCUMENT_KINDS);
export type MerchantDocumentKind = z.infer<typeof MerchantDocumentKindSchema>;
/** What a document may be, by its first bytes as much as by its Content-Type. */
export const MERCHANT_DOCUMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
] as const;
/**
 * The most the platform's upload settings may allow, MB: a document is kept whole in one database
 * document, base64, and CouchDB holds documents of 8 MB at most.
 */
export const MERCHANT_DOCUMENT_CAP_MB = 5;

export const MerchantApplicationBodySchema = z.object({
  merchantName: z.string().trim().min(2).max(60),
  contactPhone: CustomerSchema.shape.phone,
  stores: z
    .array(
      z.object({
        name: z.string().trim().min(2).max(40),
        address: z.string().trim().min(4).max(120),
      }),
    )
    .min(1)
    .max(20),
});

export type MerchantApplicationStatus = 'draft' | 'submitted' | 'approved' | 'returned';

export interface MerchantApplicationView {
  applicationId: string;
  /** The applicant's phone (who signed in); the owner's phone once approved. */
  applicantPhone: string;
  merchantName: string;
  contactPhone: string;
  stores: { name: string; address: string }[];
  documents: { kind: MerchantDocumentKind; type: string; bytes: number; at: string }[];
  status: MerchantApplicationStatus;
  /** Why it was sent back, for the applicant to fix. */
  reasons: string | null;
  /** The store ids the platform gave the stores when approving. */
  storeIds: string[];
  createdAt: string;
  updatedAt: string;
}

export const MerchantApplicationParamsSchema = z.object({
  applicationId: z.string().regex(/^[a-z0-9]{8,40}$/, 'must be an application id'),
});
export const MerchantDocumentParamsSchema = MerchantApplicationParamsSchema.extend({
  kind: MerchantDocumentKindSchema,
});

export const MerchantDecisionBodySchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    /** One store id per store of the application, in its order. */
    storeIds: z.array(StoreIdSchema).min(1).max(20),
    reason: PlatformReasonSchema,
  }),
  z.object({ decision: z.literal('return'), reason: PlatformReasonSchema }),
]);

export const MerchantApplicationQuerySchema = z.object({
  status: z.enum(['draft', 'submitted', 'approved', 'returned']).optional(),
});

/**
 * The rule of a merchant's rating, in stars taken off the average of its customers' reviews over
 * all its stores (each review's four scores, 1-5):
 * - each complaint (投诉) against one of its stores' orders: 0.1;
 * - each dispute, a complaint the platform had to step into (平台介入): 0.2 more;
 * - each complaint the platform closed as upheld (the store at fault): 0.2 more;
 * - each suspension of one of its stores: 0.5;
 * - each warning (警告) the platform gave it or one of its stores: 0.2.
 * A complaint the platform closed as not upheld costs nothing: the store was right. The score
 * stays between 1 and 5, to one decimal; a merchant with no review yet has no score.
 */
export const MERCHANT_RATING_RULE = {
  complaint: 0.1,
  dispute: 0.2,
  upheld: 0.2,
  suspension: 0.5,
  warning: 0.2,
} as const;

/** What the rating counts, and the score the rule gives. */
export interface MerchantRating {
  reviews: number;
  reviewAverage: number | null;
  /** Complaints against its stores, not counting those found not upheld. */
  complaints: number;
  /** Of those, the ones the platform stepped into. */
  disputes: number;
  /** Of those, the ones the platform upheld. */
  upheld: number;
  suspensions: number;
  warnings: number;
  score: number | null;
}

/** A complaint as the rating reads it. */
export interface RatedComplaint {
  joinedAt?: string | undefined;
  closed?: { outcome: 'upheld' | 'not_upheld' | 'settled' } | undefined;
}

/** Reviews' scores (each the mean of its ratings) summed and counted, as a reduce gives them. */
export interface ReviewTally {
  sum: number;
  count: number;
}

/**
 * The rating of a merchant from its reviews' scores (each one, or their tally), its complaints,
 * its suspensions and its warnings.
 */
export function merchantRating(
  reviewScores: readonly number[] | ReviewTally,
  complaints: readonly RatedComplaint[],
  suspensions: number,
  warnings = 0,
): MerchantRating {
  const counted = complaints.filter((c) => c.closed?.outcome !== 'not_upheld');
  const disputes = counted.filter((c) => c.joinedAt !== undefined).length;
  const upheld = counted.filter((c) => c.closed?.outcome === 'upheld').length;
  const tally =
    'count' in reviewScores
      ? reviewScores
      : { sum: reviewScores.reduce((a, b) => a + b, 0), count: reviewScores.length };
  const reviewAverage = tally.count > 0 ? Math.round((tally.sum / tally.count) * 10) / 10 : null;
  const r = MERCHANT_RATING_RULE;
  const off =
    counted.length * r.complaint +
    disputes * r.dispute +
    upheld * r.upheld +
    suspensions * r.suspension +
    warnings * r.warning;
  return {
    reviews: tally.count,
    reviewAverage,
    complaints: counted.length,
    disputes,
    upheld,
    suspensions,
    warnings,
    score:
      reviewAverage === null
        ? null
        : Math.min(5, Math.max(1, Math.round((reviewAverage - off) * 10) / 10)),
  };
}

export interface MerchantView {
  phone: string;
  name: string;
  contactPhone: string;
  storeIds: string[];
  suspendedStores: string[];
  approvedAt: string;
  rating: MerchantRating;
}
