// Reviews on a room page. A review is a customer fact whose only writer is the cloud (a `review`
// intent in the store's inbox); the hub answers `done` once it has checked the booking was
// completed. The change follower, on that answer, copies the review into the cloud-private
// `reviews` database under `review:<storeId>:<roomId>:<intentId>`, so a room page reads that
// room's reviews alone, not every intent, answer and booking of the store. The copy is derived
// and written once (put-if-absent); the intent stays the fact.
import {
  CLOUD_DBS,
  BookingDocSchema,
  ReviewIntentSchema,
  bookingDocId,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type AnswerDoc,
  type ReviewRatings,
  type RoomReviews,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import type { StoreZones } from './store-zones';

/** The newest reviews a room page lists; the averages count every review. */
export const REVIEWS_SHOWN = 50;

const reviewId = (storeId: string, roomId: string, intentId: string) =>
  `review:${storeId}:${roomId}:${intentId}`;

interface ReviewEntry {
  ratings: ReviewRatings;
  text?: string | undefined;
  at: string;
}

export class ReviewIndex {
  constructor(private readonly d: { couch: CouchClient; zones: StoreZones }) {}

  async init(): Promise<void> {
    await this.d.couch.requireDb(CLOUD_DBS.reviews);
  }

  /** Lists the review a `done` answer accepted; true when this call added it. */
  async accepted(storeId: string, answer: AnswerDoc): Promise<boolean> {
    const { couch } = this.d;
    if (answer.outcome !== 'done') return false;
    const intent = ReviewIntentSchema.safeParse(
      await couch.get(storeInboxDbName(storeId), intentDocId(answer.intentId)),
    );
    if (!intent.success) return false; // a refund request or a profile edit, also `done`
    const booking = BookingDocSchema.safeParse(
      await couch.get(storeDbName(storeId), bookingDocId(intent.data.body.bookingId)),
    );
    if (!booking.success) return false;
    const r = intent.data;
    try {
      await couch.put(CLOUD_DBS.reviews, {
        _id: reviewId(storeId, booking.data.roomId, r.intentId),
        type: 'review',
        storeId,
        roomId: booking.data.roomId,
        bookingId: r.body.bookingId,
        ratings: r.body.ratings,
        ...(r.body.text ? { text: r.body.text } : {}),
        at: r.createdAt,
      });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async forRoom(storeId: string, roomId: string): Promise<RoomReviews> {
    const docs = await this.d.couch.byPrefix(CLOUD_DBS.reviews, `review:${storeId}:${roomId}:`);
    const summary = summarise(
      docs.map((d) => ({
        ratings: d.ratings as ReviewRatings,
        text: typeof d.text === 'string' ? d.text : undefined,
        at: String(d.at),
      })),
    );
    // Kept as the intent's UTC instant; read in the store's zone.
    const at = await this.d.zones.formatFor(storeId);
    return { ...summary, reviews: summary.reviews.map((r) => ({ ...r, at: at(r.at) })) };
  }
}

function summarise(all: ReviewEntry[]): RoomReviews {
  const reviews = [...all].sort((a, b) => b.at.localeCompare(a.at));
  const avg = (pick: (r: ReviewEntry) => number) =>
    reviews.length === 0
      ? null
      : Math.round((reviews.reduce((s, r) => s + pick(r), 0) / reviews.length) * 10) / 10;
  return {
    count: reviews.length,
    average: {
      environment: avg((r) => r.ratings.environment),
      facilities: avg((r) => r.ratings.facilities),
      teaSnacks: avg((r) => r.ratings.teaSnacks),
      service: avg((r) => r.ratings.service),
    },
    reviews: reviews
      .slice(0, REVIEWS_SHOWN)
      .map((r) => ({ ratings: r.ratings, ...(r.text ? { text: r.text } : {}), at: r.at })),
  };
}
