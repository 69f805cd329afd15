// Reviews on a room page. A review is a customer fact, so its only writer is the cloud (a `review`
// intent); the hub answers `done` once it has checked the booking was completed. The page shows
// reviews whose answer is `done`, read straight from the intents: no second copy, no second writer.
import { AnswerDocSchema, BookingDocSchema, ReviewIntentSchema, storeDbName } from '../documents';
import type { CouchClient } from './couch';
import { intentDbName } from './requests';

export async function roomReviews(couch: CouchClient, storeId: string, roomId: string) {
  const db = storeDbName(storeId);
  const [intents, answers, bookings] = await Promise.all([
    couch.byPrefix(intentDbName(storeId), 'intent:'),
    couch.byPrefix(db, 'answer:'),
    couch.byPrefix(db, 'booking:'),
  ]);
  const done = new Set(
    answers.flatMap((a) => {
      const p = AnswerDocSchema.safeParse(a);
      return p.success && p.data.outcome === 'done' ? [p.data.intentId] : [];
    }),
  );
  const roomOf = new Map(
    bookings.flatMap((b) => {
      const p = BookingDocSchema.safeParse(b);
      return p.success ? [[p.data.bookingId, p.data.roomId] as const] : [];
    }),
  );
  const reviews = intents
    .flatMap((i) => {
      const p = ReviewIntentSchema.safeParse(i);
      return p.success ? [p.data] : [];
    })
    .filter((r) => done.has(r.intentId) && roomOf.get(r.body.bookingId) === roomId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((r) => ({ ratings: r.body.ratings, text: r.body.text, at: r.createdAt }));
  const avg = (pick: (r: (typeof reviews)[number]) => number) =>
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
    reviews,
  };
}
