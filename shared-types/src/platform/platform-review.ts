// Review before showing (P2), as the console and the cloud agree: what waits for review, the
// reviewer's decision and notes, the gate's switch, and a store's suspension (P1); and each
// room's, deal's and product's review state as its store's owner sees it. Pure.
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
  /** Absent in content approved before rooms had a video. */
  video?: string | null;
  videoPoster?: string | null;
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
 * What a customer reads of a tea or snack on the store's menu. Its price, specs and whether it is
 * on sale are the store's business (charged by its hub), as a room's prices are.
 */
export interface ProductContentView {
  name: string;
  description: string;
  photos: string[];
}

export const ReviewKindSchema = z.enum(['room', 'deal', 'product']);
export type ReviewKind = z.infer<typeof ReviewKindSchema>;

/**
 * A room, deal or product whose content customers do not see yet: new, or changed since it was
 * approved. A room or product shows its approved version meanwhile; a changed deal is neither
 * shown nor sold.
 */
export interface PendingReview {
  storeId: string;
  storeName: string;
  kind: ReviewKind;
  itemId: string;
  /** What the store published; the reviewer approves exactly this (by its hash). */
  hash: string;
  current: RoomContentView | DealContentView | ProductContentView;
  /** What customers see now; null when never approved. */
  approved: RoomContentView | DealContentView | ProductContentView | null;
  /** The last refusal of this very content, if it was refused. */
  refusedNotes: string | null;
  changedAt: string;
}

export const ReviewDecisionBodySchema = z.object({
  storeId: StoreIdSchema,
  kind: ReviewKindSchema,
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

/**
 * Where one of the store's rooms, deals or products stands with the platform's reviewers:
 * `waiting` (new, or changed since approved), `approved` as it stands, or `sent_back` with the
 * reviewer's notes saying what to change.
 */
export type ReviewState = 'waiting' | 'approved' | 'sent_back';

export interface ItemReviewState {
  kind: ReviewKind;
  itemId: string;
  /** The item's name (a deal's title) as the store published it. */
  name: string;
  state: ReviewState;
  /** The reviewer's notes on this very version: why it was sent back, or a remark on approval. */
  notes: string | null;
  /** When this version was approved or sent back; null while it waits. */
  decidedAt: string | null;
  /** Notes of an earlier version sent back, while the changed one waits. */
  earlierNotes: string | null;
  /** What customers see meanwhile: this version, the last approved one, or nothing. */
  shown: 'this' | 'earlier' | 'none';
}

/** A store's review states; `gateOn` false means customers see everything as published. */
export interface StoreReviewStates {
  storeId: string;
  gateOn: boolean;
  items: ItemReviewState[];
}

/** The review states as the store's hub relays them to the dashboard in the store. */
export interface HubReviewStates extends StoreReviewStates {
  /** When the hub last read them from the cloud. */
  readAt: string;
  /** False when the cloud could not be reached just now: these are as of `readAt`. */
  fresh: boolean;
}
