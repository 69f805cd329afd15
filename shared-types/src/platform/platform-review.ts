// Review before showing (P2), as the console and the cloud agree: what waits for review, the
// reviewer's decision and notes, the gate's switch, and a store's suspension (P1). Pure.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { PlatformReasonSchema } from './platform-staff';

export interface RoomContentView {
  name: string;
  style: string;
  capacity: number;
  areaSqm: number;
  facilities: string[];
  photos: string[];
}

/** What a customer reads and buys of a deal (its entitlement as the store published it). */
export interface DealContentView {
  title: string;
  description: string;
  photos: string[];
  entitlement: unknown;
  price: number;
  originalPrice: number | null;
  groupSize: number;
  validDays: number;
  refundAnyTime: boolean;
  refundOnExpiry: boolean;
}

/**
 * A room or deal whose content customers do not see yet: new, or changed since it was approved.
 * A room shows its approved version meanwhile; a changed deal is neither shown nor sold.
 */
export interface PendingReview {
  storeId: string;
  storeName: string;
  kind: 'room' | 'deal';
  itemId: string;
  /** What the store published; the reviewer approves exactly this (by its hash). */
  hash: string;
  current: RoomContentView | DealContentView;
  /** What customers see now; null when never approved. */
  approved: RoomContentView | DealContentView | null;
  /** The last refusal of this very content, if it was refused. */
  refusedNotes: string | null;
  changedAt: string;
}

export const ReviewDecisionBodySchema = z.object({
  storeId: StoreIdSchema,
  kind: z.enum(['room', 'deal']),
  itemId: z.string().min(1).max(60),
  hash: z.string().min(10).max(64),
  decision: z.enum(['approve', 'refuse']),
  /** The reviewer's notes: what to change, for a refusal. */
  notes: z.string().trim().max(500).default(''),
});

export const ReviewQuerySchema = z.object({ storeId: StoreIdSchema.optional() });

export const ReviewGateBodySchema = z.object({ on: z.boolean(), reason: PlatformReasonSchema });

export const StoreLimitParamsSchema = z.object({ storeId: StoreIdSchema });
export const StoreLimitBodySchema = z.object({
  suspended: z.boolean(),
  reason: PlatformReasonSchema,
});
