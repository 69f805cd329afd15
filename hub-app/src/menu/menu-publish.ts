// The store's menu as the customer's phone sees it (C8): the `menu:store` sync document, built
// from the menu and the stock as they stand when the replicator reads its mark. Read only; the
// menu and the stock ledger mark it in the write of each change, and the cloud link marks it once
// at start so a menu kept before it was published reaches the cloud too. Decides nothing: an
// order is priced again by the menu when the store places it.
import {
  MENU_DOC_ID,
  MenuDocSchema,
  type Clock,
  type MenuDoc,
  type MenuView,
} from '@roomhub/shared-types';
import type { EventBus } from '../events/event-bus';

/**
 * What a change to the menu or to whether an item can be ordered does: `mark` (the published
 * menu) in the write, and once the write is over, `menu.changed` to the screens holding the menu
 * (the counter's order form), which read it again. Told once a turn however many rows the write
 * changed; the event carries nothing a write rolled back could take back, only "read it again".
 */
export function menuChangeNotice(mark: () => void, events: EventBus, clock: Clock): () => void {
  let told = false;
  return () => {
    mark();
    if (told) return;
    told = true;
    setImmediate(() => {
      told = false;
      events.emit({ type: 'menu.changed', at: clock.now() });
    });
  };
}

/**
 * The menu document for `storeId`: every category, each item with whether it can be ordered, and
 * for the owner's remote view its stock and threshold (the cloud never shows those to customers).
 */
export function menuDocument(storeId: string, menu: MenuView, updatedAt: string): MenuDoc {
  return MenuDocSchema.parse({
    _id: MENU_DOC_ID,
    type: 'menu',
    storeId,
    categories: menu.categories.map((c) => ({
      categoryId: c.id,
      name: c.name,
      items: c.items.map((i) => ({
        itemId: i.id,
        name: i.name,
        description: i.description,
        photos: i.photos,
        price: i.price,
        specs: i.specs.map((g) => ({
          name: g.name,
          choices: g.choices.map((x) => ({ name: x.name, priceDelta: x.priceDelta })),
          defaultChoice: g.defaultChoice,
        })),
        available: i.available,
        soldOut: i.soldOut,
        stock: i.stock,
        lowStockAt: i.lowStockAt,
      })),
    })),
    updatedAt,
  });
}
