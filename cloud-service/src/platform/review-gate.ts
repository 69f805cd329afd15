// Review before showing (P2): what customers see of a store's rooms is the version the platform
// approved. A room's reviewed content is what a customer reads about it (name, style, capacity,
// area, facilities, photos); its prices and booking rules are the store's own business and are
// charged by its hub, so they are not held back. While a change waits, customers keep seeing the
// last approved version, stored with the review (`review:<storeId>:room:<roomId>` in `registry`,
// written by the platform's reviewers); a room never approved is not shown at all. A suspended
// merchant's stores are not shown either (`limit:<storeId>`). The gate is the platform owner's
// switch (`platform:settings`), so stores that ran before the platform console keep showing until
// it is turned on. Reads are two registry requests per store; nothing is recomputed but a hash.
// Owns the reviewed shape and the gate; never writes (the review routes do).
import { createHash } from 'node:crypto';
import { REGISTRY_DB, type RoomProfileDoc } from '@roomhub/shared-types';
import { z } from 'zod';
import type { CouchClient } from '../couch';

export const SETTINGS_ID = 'platform:settings';
export const reviewId = (storeId: string, kind: ReviewKind, itemId: string) =>
  `review:${storeId}:${kind}:${itemId}`;
export const limitId = (storeId: string) => `limit:${storeId}`;

export type ReviewKind = 'room';

export const RoomContentSchema = z.object({
  name: z.string(),
  style: z.string(),
  capacity: z.number(),
  areaSqm: z.number(),
  facilities: z.array(z.string()),
  photos: z.array(z.string()),
});
export type RoomContent = z.infer<typeof RoomContentSchema>;

export const roomContent = (r: RoomProfileDoc): RoomContent => ({
  name: r.name,
  style: r.style,
  capacity: r.capacity,
  areaSqm: r.areaSqm,
  facilities: [...r.facilities],
  photos: [...r.photos],
});

/** The same content always hashes the same, whatever order its keys came in. */
export function contentHash(content: RoomContent): string {
  const c = RoomContentSchema.parse(content);
  return createHash('sha256')
    .update(JSON.stringify([c.name, c.style, c.capacity, c.areaSqm, c.facilities, c.photos]))
    .digest('base64url')
    .slice(0, 22);
}

export const ReviewDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_review'),
  storeId: z.string(),
  kind: z.literal('room'),
  itemId: z.string(),
  /** The version customers see; absent while nothing was ever approved. */
  approved: z
    .object({ hash: z.string(), content: RoomContentSchema, at: z.string(), by: z.string() })
    .optional(),
  /** The last decision, with the reviewer's notes (a refusal's reasons). */
  last: z.object({
    decision: z.enum(['approved', 'refused']),
    hash: z.string(),
    notes: z.string(),
    at: z.string(),
    by: z.string(),
  }),
});
export type ReviewDoc = z.infer<typeof ReviewDocSchema>;

export const LimitDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_limit'),
  storeId: z.string(),
  suspended: z.boolean(),
  reason: z.string(),
  at: z.string(),
  by: z.string(),
});

/** Whether the gate is on (the platform owner turned it on). */
export async function gateOn(couch: CouchClient): Promise<boolean> {
  const doc = await couch.get(REGISTRY_DB, SETTINGS_ID);
  return doc?.reviewBeforeShowing === true;
}

/** The store's reviews by item id. */
export async function storeReviews(
  couch: CouchClient,
  storeId: string,
): Promise<Map<string, ReviewDoc>> {
  const docs = await couch.byPrefix(REGISTRY_DB, `review:${storeId}:room:`);
  const out = new Map<string, ReviewDoc>();
  for (const raw of docs) {
    const parsed = ReviewDocSchema.safeParse(raw);
    if (parsed.success && parsed.data.storeId === storeId) out.set(parsed.data.itemId, parsed.data);
  }
  return out;
}

/** Whether customers may see the store at all (not suspended). */
export async function storeShown(couch: CouchClient, storeId: string): Promise<boolean> {
  const limit = LimitDocSchema.safeParse(await couch.get(REGISTRY_DB, limitId(storeId)));
  return !(limit.success && limit.data.suspended);
}

/**
 * The rooms as customers may see them: each with its approved content (the current one when it
 * is the approved one), rooms never approved left out. Everything when the gate is off.
 */
export async function shownRooms(
  couch: CouchClient,
  storeId: string,
  rooms: RoomProfileDoc[],
): Promise<RoomProfileDoc[]> {
  if (!(await gateOn(couch))) return rooms;
  const reviews = await storeReviews(couch, storeId);
  return rooms.flatMap((room) => {
    const approved = reviews.get(room.roomId)?.approved;
    if (!approved) return [];
    return approved.hash === contentHash(roomContent(room))
      ? [room]
      : [{ ...room, ...approved.content }];
  });
}
