// Reviews on a room page. A review is a customer fact whose only writer is the cloud (a `review`
// intent in the store's inbox); the hub answers `done` once it has checked the booking was
// completed. The change follower, on that answer, copies the review into the cloud-private
// `reviews` database under `review:<storeId>:<roomId>:<intentId>`. The copy is derived and
// written once (put-if-absent); the intent stays the fact.
//
// A room page reads one document, `review-summary:<storeId>:<roomId>`: the count, the averages
// and the newest REVIEWS_SHOWN reviews, kept from the room's reviews. Whoever lists a review
// summarises the room again from all its reviews; a room without one yet (a room never reviewed
// since, a database from before summaries) is summarised on its first read. Each summary is
// written over the revision read before the reviews were, so of two writers racing, the one that
// read fewer reviews meets a conflict and summarises again: the last one written saw every review
// listed before it. That holds on one node. A cluster may list a room's reviews from a copy that
// lacks the newest, and a summary restored from a backup may predate reviews restored with it, so
// a summary older than SUMMARY_FRESH_MS is made again on the next read: a review missed that way
// shows within that time.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import {
  CLOUD_DBS,
  BookingDocSchema,
  ReviewIntentSchema,
  bookingDocId,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type AnswerDoc,
  type Clock,
  type ReviewRatings,
  type RoomReviews,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { StoreZones } from './store-zones';

/** The newest reviews a room page lists; the averages count every review. */
export const REVIEWS_SHOWN = 50;

const reviewId = (storeId: string, roomId: string, intentId: string) =>
  `review:${storeId}:${roomId}:${intentId}`;
const summaryId = (storeId: string, roomId: string) => `review-summary:${storeId}:${roomId}`;

/** Times a summary is written again after losing a race before the caller is failed. */
const SUMMARY_TRIES = 8;
/** A summary older than this is made again on the next read of the room's page. */
export const SUMMARY_FRESH_MS = 10 * 60_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ReviewEntry {
  ratings: ReviewRatings;
  text?: string | undefined;
  at: string;
}

export class ReviewIndex {
  /** The summary being written for each room here: one at a time per room in an instance. */
  private readonly writing = new Map<string, Promise<RoomReviews>>();

  constructor(private readonly d: { couch: CouchClient; zones: StoreZones; clock: Clock }) {}

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
    const roomId = booking.data.roomId;
    const review = {
      _id: reviewId(storeId, roomId, r.intentId),
      type: 'review',
      storeId,
      roomId,
      bookingId: r.body.bookingId,
      ratings: r.body.ratings,
      ...(r.body.text ? { text: r.body.text } : {}),
      at: r.createdAt,
    };
    let added = true;
    try {
      await couch.put(CLOUD_DBS.reviews, review);
    } catch (error) {
      if (!isConflict(error)) throw error;
      added = false;
    }
    // Also when the review was listed already: a page read again after a failure between the two
    // writes still brings the summary up to date.
    await this.summarise(storeId, roomId, { listed: review });
    return added;
  }

  async forRoom(storeId: string, roomId: string): Promise<RoomReviews> {
    const kept = this.fresh(await this.d.couch.get(CLOUD_DBS.reviews, summaryId(storeId, roomId)));
    const summary = kept ?? (await this.summarise(storeId, roomId, { read: true }));
    // Kept as the intent's UTC instant; read in the store's zone.
    const at = await this.d.zones.formatFor(storeId);
    return { ...summary, reviews: summary.reviews.map((r) => ({ ...r, at: at(r.at) })) };
  }

  /** A kept summary young enough to answer with. */
  private fresh(kept: CouchDoc | undefined): RoomReviews | undefined {
    const known = KeptSummarySchema.safeParse(kept?.summary);
    const madeAt = typeof kept?.madeAt === 'number' ? kept.madeAt : 0;
    return known.success && this.d.clock.now() - madeAt < SUMMARY_FRESH_MS ? known.data : undefined;
  }

  /**
   * Summarises the room's reviews and keeps the summary, one at a time per room here. For a
   * review just listed (`listed`, counted even when the listing read misses it); for a read that
   * found no fresh summary (`read`), answering one written meanwhile, and writing nothing for a
   * room with no review (any room id can be asked for).
   */
  private summarise(
    storeId: string,
    roomId: string,
    why: { listed: CouchDoc } | { read: true },
  ): Promise<RoomReviews> {
    const key = summaryId(storeId, roomId);
    const before = this.writing.get(key);
    // A read while the room is being summarised here answers with that summary: it is no older
    // than what this read would have found a moment sooner.
    if (before && 'read' in why) return before.catch(() => this.keep(storeId, roomId, why));
    const mine = (before ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.keep(storeId, roomId, why));
    this.writing.set(key, mine);
    const done = () => {
      if (this.writing.get(key) === mine) this.writing.delete(key);
    };
    mine.then(done, done);
    return mine;
  }

  private async keep(
    storeId: string,
    roomId: string,
    why: { listed: CouchDoc } | { read: true },
  ): Promise<RoomReviews> {
    const { couch } = this.d;
    const id = summaryId(storeId, roomId);
    for (let tries = 1; ; tries += 1) {
      const kept = await couch.get(CLOUD_DBS.reviews, id);
      if ('read' in why) {
        const answer = this.fresh(kept);
        if (answer) return answer;
      }
      const docs = await couch.byPrefix(CLOUD_DBS.reviews, `review:${storeId}:${roomId}:`);
      if ('listed' in why && !docs.some((d) => d._id === why.listed._id)) docs.push(why.listed);
      const summary = summariseAll(
        docs.map((d) => ({
          ratings: d.ratings as ReviewRatings,
          text: typeof d.text === 'string' ? d.text : undefined,
          at: String(d.at),
        })),
      );
      if ('read' in why && docs.length === 0 && !kept) return summary;
      // A listing that changes nothing (an answer read again) leaves the summary as it is: it
      // already counts every review read here.
      const known = KeptSummarySchema.safeParse(kept?.summary);
      if ('listed' in why && known.success && isDeepStrictEqual(known.data, summary)) {
        return summary;
      }
      try {
        await couch.put(CLOUD_DBS.reviews, {
          _id: id,
          ...(kept?._rev ? { _rev: kept._rev } : {}),
          type: 'review-summary',
          storeId,
          roomId,
          summary,
          madeAt: this.d.clock.now(),
        });
        return summary;
      } catch (error) {
        if (!isConflict(error)) throw error;
        // A reader that keeps losing answers with what it read rather than fail the customer.
        if (tries >= SUMMARY_TRIES) {
          if ('read' in why) return summary;
          throw error;
        }
        // Another instance wrote it meanwhile: again, a little later and not in step with it.
        await pause(tries * (10 + Math.random() * 40));
      }
    }
  }
}

const rating = z.number();
/** A kept summary as written; anything else is summarised again. */
const KeptSummarySchema: z.ZodType<RoomReviews> = z.object({
  count: z.number().int().min(0),
  average: z.object({
    environment: rating.nullable(),
    facilities: rating.nullable(),
    teaSnacks: rating.nullable(),
    service: rating.nullable(),
  }),
  reviews: z.array(
    z.object({
      ratings: z.object({
        environment: rating,
        facilities: rating,
        teaSnacks: rating,
        service: rating,
      }),
      text: z.string().optional(),
      at: z.string(),
    }),
  ),
});

function summariseAll(all: ReviewEntry[]): RoomReviews {
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
