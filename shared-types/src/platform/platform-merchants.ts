// Merchant onboarding (P1), as the applicant's page, the console and the cloud agree: the
// application, its documents (business licence, health and fire permits; images or PDF, 2 MB
// each at most), and the merchant admin's decision. Pure.
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
export const MERCHANT_DOCUMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MERCHANT_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024;

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
 * A merchant's rating: the average of its customers' reviews over all its stores (each review's
 * four scores, 1-5), less half a star for each suspension the platform imposed; null with no
 * review yet.
 */
export interface MerchantRating {
  reviews: number;
  reviewAverage: number | null;
  suspensions: number;
  score: number | null;
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
