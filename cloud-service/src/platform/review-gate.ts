// Review before showing (P2): what customers see of a store's rooms, deals and products (the tea
// and snacks of its menu) is the version the platform approved. A deal is what a customer buys
// (its terms and price as well as its words), so a deal changed since it was approved is neither
// shown nor sold until the change is approved; a room or a product keeps showing its approved
// version. A room's reviewed content is what a customer reads about it (name, style, capacity,
// area, facilities, photos, video), a product's its name, description and photos; their prices,
// specs, booking rules and whether a product is on sale are the store's own business and are
// charged by its hub, so they are not held back. While a change waits, customers keep seeing the
// last approved version, stored with the review (`review:<storeId>:<kind>:<itemId>` in `registry`,
// written by the platform's reviewers); a room or product never approved is not shown at all (nor
// ordered). A suspended merchant's stores are not shown either (`limit:<storeId>`). The gate is the
// platform owner's switch (`platform:settings`), so stores that ran before the platform console
// keep showing until it is turned on. Customers' reads ask the registry as each instance keeps it
// in memory (registry-copy.ts), the platform's own pages ask CouchDB (`couchRegistry`); nothing is
// recomputed but a hash. Owns the reviewed shape and the gate; never writes (the review routes do).
import { createHash } from 'node:crypto';
import {
  REGISTRY_DB,
  ReviewKindSchema,
  type DealDoc,
  type MenuDoc,
  type ProductContentView,
  type ReviewKind,
  type RoomProfileDoc,
} from '@roomhub/shared-types';
import { z } from 'zod';
import type { CouchClient } from '../couch';

export const SETTINGS_ID = 'platform:settings';
export const reviewId = (storeId: string, kind: ReviewKind, itemId: string) =>
  `review:${storeId}:${kind}:${itemId}`;
export const limitId = (storeId: string) => `limit:${storeId}`;

export type { ReviewKind };

export const RoomContentSchema = z.object({
  name: z.string(),
  style: z.string(),
  capacity: z.number(),
  areaSqm: z.number(),
  facilities: z.array(z.string()),
  photos: z.array(z.string()),
  // Content approved before rooms had a video had none.
  video: z.string().nullable().default(null),
  videoPoster: z.string().nullable().default(null),
});
export type RoomContent = z.infer<typeof RoomContentSchema>;

export const roomContent = (r: RoomProfileDoc): RoomContent => ({
  name: r.name,
  style: r.style,
  capacity: r.capacity,
  areaSqm: r.areaSqm,
  facilities: [...r.facilities],
  photos: [...r.photos],
  video: r.video,
  videoPoster: r.videoPoster,
});

/**
 * The same content always hashes the same, whatever order its keys came in. A room without a
 * video hashes as it did before rooms had one, so what was approved then stays approved.
 */
export function contentHash(content: z.input<typeof RoomContentSchema>): string {
  const c = RoomContentSchema.parse(content);
  const media = c.video || c.videoPoster ? [c.video, c.videoPoster] : [];
  return createHash('sha256')
    .update(
      JSON.stringify([c.name, c.style, c.capacity, c.areaSqm, c.facilities, c.photos, ...media]),
    )
    .digest('base64url')
    .slice(0, 22);
}

export const ReviewDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_review'),
  storeId: z.string(),
  kind: ReviewKindSchema,
  itemId: z.string(),
  /** The version customers see; absent while nothing was ever approved. */
  approved: z
    .object({ hash: z.string(), content: z.unknown(), at: z.string(), by: z.string() })
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

/** What a customer reads and buys of a deal: its words, photos, terms and price. */
export const dealContent = (d: Omit<DealDoc, '_id' | 'type'>) => ({
  title: d.title,
  description: d.description,
  photos: [...d.photos],
  entitlement: d.entitlement,
  price: d.price,
  originalPrice: d.originalPrice,
  groupSize: d.groupSize,
  validDays: d.validDays,
  refundAnyTime: d.refundAnyTime,
  refundOnExpiry: d.refundOnExpiry,
});
export type DealContent = ReturnType<typeof dealContent>;

/** JSON with object keys sorted, hashed: the same content always hashes the same. */
export function dealHash(content: DealContent): string {
  return canonicalHash(content);
}

/** A menu item as the store's hub publishes it in `menu:store`. */
export type MenuItem = MenuDoc['categories'][number]['items'][number];

export const ProductContentSchema = z.object({
  name: z.string(),
  description: z.string(),
  photos: z.array(z.string()),
});

/** What a customer reads of a product: its name, description and photos. */
export const productContent = (i: MenuItem): ProductContentView => ({
  name: i.name,
  description: i.description,
  photos: [...i.photos],
});

export function productHash(content: ProductContentView): string {
  return canonicalHash(ProductContentSchema.parse(content));
}

function canonicalHash(content: unknown): string {
  const canonical = JSON.stringify(content, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** The store's reviews of one kind, by item id. */
export async function storeReviews(
  couch: CouchClient,
  storeId: string,
  kind: ReviewKind = 'room',
): Promise<Map<string, ReviewDoc>> {
  const docs = await couch.byPrefix(REGISTRY_DB, `review:${storeId}:${kind}:`);
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

/** What the gate reads of the registry: CouchDB itself, or what an instance keeps of it. */
export interface RegistryReads {
  gateOn(): Promise<boolean>;
  storeShown(storeId: string): Promise<boolean>;
  storeReviews(storeId: string, kind: ReviewKind): Promise<Map<string, ReviewDoc>>;
}

/** The gate's reads as requests to CouchDB, for the platform's own pages and the catalogue. */
export const couchRegistry = (couch: CouchClient): RegistryReads => ({
  gateOn: () => gateOn(couch),
  storeShown: (storeId) => storeShown(couch, storeId),
  storeReviews: (storeId, kind) => storeReviews(couch, storeId, kind),
});

/**
 * The rooms as customers may see them: each with its approved content (the current one when it
 * is the approved one), rooms never approved left out. Everything when the gate is off.
 */
export async function shownRooms(
  registry: RegistryReads,
  storeId: string,
  rooms: RoomProfileDoc[],
): Promise<RoomProfileDoc[]> {
  if (!(await registry.gateOn())) return rooms;
  const reviews = await registry.storeReviews(storeId, 'room');
  return rooms.flatMap((room) => {
    const approved = reviews.get(room.roomId)?.approved;
    const content = RoomContentSchema.safeParse(approved?.content);
    if (!approved || !content.success) return [];
    return approved.hash === contentHash(roomContent(room))
      ? [room]
      : [{ ...room, ...content.data }];
  });
}

/** The deals customers may see and buy: exactly as approved. Everything when the gate is off. */
export async function shownDeals<D extends Omit<DealDoc, '_id' | 'type'>>(
  registry: RegistryReads,
  storeId: string,
  deals: D[],
): Promise<D[]> {
  if (deals.length === 0 || !(await registry.gateOn())) return deals;
  const reviews = await registry.storeReviews(storeId, 'deal');
  return deals.filter((d) => reviews.get(d.dealId)?.approved?.hash === dealHash(dealContent(d)));
}

/**
 * The menu as customers may see it and order from it: each item with its approved words and
 * photos (the current ones when they are the approved ones), items never approved left out, and
 * a category left with no item left out too. The menu as published when the gate is off.
 */
export async function shownMenu(registry: RegistryReads, menu: MenuDoc): Promise<MenuDoc> {
  if (!(await registry.gateOn())) return menu;
  const reviews = await registry.storeReviews(menu.storeId, 'product');
  const categories = menu.categories.flatMap((c) => {
    const items = c.items.flatMap((item) => {
      const approved = reviews.get(item.itemId)?.approved;
      const content = ProductContentSchema.safeParse(approved?.content);
      if (!approved || !content.success) return [];
      return approved.hash === productHash(productContent(item))
        ? [item]
        : [{ ...item, ...content.data }];
    });
    return items.length > 0 ? [{ ...c, items }] : [];
  });
  return { ...menu, categories };
}
