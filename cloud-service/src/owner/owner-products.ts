// A store's tea and snacks for the owner's remote view, read from the menu and the low-stock list
// its hub publishes (`menu:store`, `stock:low`): every item the owner keeps, reviewed or not, with
// whether it can be ordered now, what is on the shelf, and what runs low with what is left. The
// owner reprices an item, switches it off or on, or sets its threshold by an owner intent
// (owner-intents.ts); stock is received and counted at the store.
import {
  MENU_DOC_ID,
  MenuDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
  storeDbName,
  type OwnerProducts,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { storeOne } from './store-docs';

export async function productsOf(couch: CouchClient, storeId: string): Promise<OwnerProducts> {
  const db = storeDbName(storeId);
  const [menuRaw, lowRaw] = await Promise.all([
    couch.get(db, MENU_DOC_ID).catch(() => undefined),
    couch.get(db, STOCK_LOW_ID).catch(() => undefined),
  ]);
  const menu = storeOne(menuRaw, MenuDocSchema, storeId);
  const lowDoc = storeOne(lowRaw, StockLowDocSchema, storeId);
  const categories = menu?.categories ?? [];
  // The low list is published when an item falls to its threshold; the menu, at every move. An
  // item's count and threshold as the menu last said them stand, where it says them.
  const now = new Map(
    categories
      .flatMap((c) => c.items)
      .flatMap((i) =>
        typeof i.stock === 'number' && i.lowStockAt !== undefined
          ? [[i.itemId, { stock: i.stock, lowStockAt: i.lowStockAt }] as const]
          : [],
      ),
  );
  const low = (lowDoc?.items ?? [])
    .flatMap((l) => {
      const n = now.get(l.itemId);
      if (!n) return [l];
      // Received since, or its threshold changed: no longer low.
      if (n.lowStockAt === null || n.stock > n.lowStockAt) return [];
      return [{ ...l, balance: n.stock, lowStockAt: n.lowStockAt }];
    })
    .sort((a, b) => a.since.localeCompare(b.since));
  const lowOf = new Map(low.map((i) => [i.itemId, i]));
  const stamps = [menu?.updatedAt, lowDoc?.updatedAt].filter((s) => s !== undefined);
  return {
    storeId,
    categories: categories.map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      items: c.items.map((i) => {
        const l = lowOf.get(i.itemId);
        return {
          itemId: i.itemId,
          name: i.name,
          photos: i.photos,
          price: i.price,
          available: i.available,
          soldOut: i.soldOut ?? null,
          stock: i.stock ?? null,
          lowStockAt: i.lowStockAt ?? null,
          low: l ? { balance: l.balance, lowStockAt: l.lowStockAt, since: l.since } : null,
        };
      }),
    })),
    low,
    updatedAt: stamps.length === 0 ? null : stamps.reduce((a, b) => (a > b ? a : b)),
  };
}
