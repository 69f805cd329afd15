// What a store puts before the platform's reviewers (P2): its active rooms, its deals on sale and
// the products of its menu, each with the content customers would read and its hash; and where
// each stands (waiting, approved, sent back with the reviewer's notes), as the reviewers' queue and
// the store's owner both read it. Reads only what the store's hub published and the reviews in the
// registry; never writes. The gate itself is review-gate.ts.
import {
  DealDocSchema,
  MENU_DOC_ID,
  MenuDocSchema,
  storeDbName,
  type DealDoc,
  type ItemReviewState,
  type MenuDoc,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { loadStoreProfiles } from '../stores/store-profiles';
import {
  contentHash,
  dealContent,
  dealHash,
  productContent,
  productHash,
  roomContent,
  storeReviews,
  type ReviewDoc,
  type ReviewKind,
} from './review-gate';

export interface ReviewItem {
  kind: ReviewKind;
  itemId: string;
  /** Its name as the store published it (a deal's title). */
  name: string;
  content: unknown;
  hash: string;
  changedAt: string;
}

/** The store's name and what it publishes for review; undefined before its hub published it. */
export async function storeReviewItems(
  couch: CouchClient,
  storeId: string,
): Promise<{ storeName: string; items: ReviewItem[] } | undefined> {
  const profiles = await loadStoreProfiles(couch, storeId);
  if (!profiles) return undefined;
  const items: ReviewItem[] = [];
  for (const room of profiles.rooms.filter((r) => r.status === 'active')) {
    const content = roomContent(room);
    items.push({
      kind: 'room',
      itemId: room.roomId,
      name: room.name,
      content,
      hash: contentHash(content),
      changedAt: room.updatedAt,
    });
  }
  for (const deal of await onSaleDeals(couch, storeId)) {
    const content = dealContent(deal);
    items.push({
      kind: 'deal',
      itemId: deal.dealId,
      name: deal.title,
      content,
      hash: dealHash(content),
      changedAt: deal.updatedAt,
    });
  }
  const menu = await menuDoc(couch, storeId);
  for (const item of menu?.categories.flatMap((c) => c.items) ?? []) {
    const content = productContent(item);
    items.push({
      kind: 'product',
      itemId: item.itemId,
      name: item.name,
      content,
      hash: productHash(content),
      changedAt: menu!.updatedAt,
    });
  }
  return { storeName: profiles.store.name, items };
}

/** The store's reviews of every kind, by `<kind>:<itemId>`. */
export async function allStoreReviews(
  couch: CouchClient,
  storeId: string,
): Promise<Map<string, ReviewDoc>> {
  const out = new Map<string, ReviewDoc>();
  for (const kind of ['room', 'deal', 'product'] as const) {
    for (const [itemId, review] of await storeReviews(couch, storeId, kind)) {
      out.set(`${kind}:${itemId}`, review);
    }
  }
  return out;
}

/**
 * Where one item stands: approved when its current content is the approved one; sent back when
 * the reviewer refused this very content; waiting otherwise (new, or changed since).
 */
export function reviewState(item: ReviewItem, review: ReviewDoc | undefined): ItemReviewState {
  const approved = review?.approved;
  const last = review?.last;
  const base = { kind: item.kind, itemId: item.itemId, name: item.name };
  // Customers see an earlier approved room or product while a change waits; never a deal.
  const earlier = approved && item.kind !== 'deal' ? 'earlier' : 'none';
  if (approved?.hash === item.hash) {
    const remark = last?.decision === 'approved' && last.hash === item.hash ? last.notes : '';
    return {
      ...base,
      state: 'approved',
      notes: remark || null,
      decidedAt: approved.at,
      earlierNotes: null,
      shown: 'this',
    };
  }
  if (last?.decision === 'refused' && last.hash === item.hash) {
    return {
      ...base,
      state: 'sent_back',
      notes: last.notes,
      decidedAt: last.at,
      earlierNotes: null,
      shown: earlier,
    };
  }
  return {
    ...base,
    state: 'waiting',
    notes: null,
    decidedAt: null,
    earlierNotes: last?.decision === 'refused' ? last.notes : null,
    shown: earlier,
  };
}

/** The store's deals on sale, as its hub published them. */
export async function onSaleDeals(couch: CouchClient, storeId: string): Promise<DealDoc[]> {
  return (await couch.byPrefix(storeDbName(storeId), 'deal:')).flatMap((raw) => {
    const d = DealDocSchema.safeParse(raw);
    return d.success && d.data.storeId === storeId && d.data.status === 'on_sale' ? [d.data] : [];
  });
}

/** The store's menu as its hub published it. */
export async function menuDoc(couch: CouchClient, storeId: string): Promise<MenuDoc | undefined> {
  const parsed = MenuDocSchema.safeParse(await couch.get(storeDbName(storeId), MENU_DOC_ID));
  return parsed.success && parsed.data.storeId === storeId ? parsed.data : undefined;
}
