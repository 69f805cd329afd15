// The menu the owner keeps (C8, O5): categories and items with photos, specs and prices, the
// sold-out switch and the order they are shown in. Owns `menu_categories` and `menu_items` and
// writes them itself. Prices a cart line from what the menu says now (`priceLine`): a client's
// price is never taken. Never touches orders or stock: an order keeps its own copy of its lines.
import {
  DomainError,
  MenuItemInputSchema,
  notFound,
  parseInput,
  type Clock,
  type MenuCategoryView,
  type MenuItemPatch,
  type MenuItemView,
  type MenuView,
  type SpecGroup,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { StockLedger } from './stock-ledger';

interface CategoryRow {
  id: string;
  name: string;
  sort: number;
}

export interface ItemRow {
  id: string;
  category_id: string;
  name: string;
  price: number;
  body: string;
  sold_out: 0 | 1;
  sort: number;
  stock_tracked: 0 | 1;
  low_stock_at: number | null;
}

type ItemData = z.output<typeof MenuItemInputSchema>;
type ItemBody = Pick<ItemData, 'description' | 'photos' | 'specs'>;

/** A cart line as the menu prices it now. */
export interface PricedLine {
  item: ItemRow;
  specs: { spec: string; choice: string; priceDelta: number }[];
  unitPrice: number;
  quantity: number;
  amount: number;
}

export interface MenuDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  stock: StockLedger;
  /** Told in the write of every change: the published menu (menu-publish.ts) is built again. */
  changed?: () => void;
}

export class Menu {
  constructor(private readonly d: MenuDeps) {}

  // ---- categories -----------------------------------------------------------------------------

  createCategory(input: { name: string; sort: number }): MenuCategoryView {
    const id = this.d.newId();
    const now = this.d.clock.now();
    this.d.db
      .prepare(
        'INSERT INTO menu_categories (id, name, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, input.name, input.sort, now, now);
    this.d.changed?.();
    return this.category(id);
  }

  patchCategory(id: string, patch: { name?: string; sort?: number }): MenuCategoryView {
    const row = this.categoryRow(id);
    this.d.db
      .prepare('UPDATE menu_categories SET name = ?, sort = ?, updated_at = ? WHERE id = ?')
      .run(patch.name ?? row.name, patch.sort ?? row.sort, this.d.clock.now(), id);
    this.d.changed?.();
    return this.category(id);
  }

  // ---- items ----------------------------------------------------------------------------------

  createItem(input: ItemData): MenuItemView {
    this.categoryRow(input.categoryId, 'categoryId');
    const id = this.d.newId();
    const now = this.d.clock.now();
    this.d.db
      .prepare(
        `INSERT INTO menu_items (id, category_id, name, price, body, sold_out, sort, stock_tracked, low_stock_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.categoryId,
        input.name,
        input.price,
        JSON.stringify(bodyOf(input)),
        input.soldOut ? 1 : 0,
        input.sort,
        input.stockTracked ? 1 : 0,
        input.lowStockAt,
        now,
        now,
      );
    this.d.changed?.();
    return this.item(id);
  }

  patchItem(id: string, patch: MenuItemPatch): MenuItemView {
    const row = this.itemRow(id);
    const next = parseInput(MenuItemInputSchema, { ...this.data(row), ...patch }, 'body');
    if (patch.categoryId !== undefined) this.categoryRow(next.categoryId, 'categoryId');
    this.d.db
      .prepare(
        `UPDATE menu_items SET category_id = ?, name = ?, price = ?, body = ?, sold_out = ?, sort = ?,
           stock_tracked = ?, low_stock_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        next.categoryId,
        next.name,
        next.price,
        JSON.stringify(bodyOf(next)),
        next.soldOut ? 1 : 0,
        next.sort,
        next.stockTracked ? 1 : 0,
        next.lowStockAt,
        this.d.clock.now(),
        id,
      );
    this.d.changed?.();
    return this.item(id);
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The whole menu, categories and items in the owner's order. */
  view(): MenuView {
    const categories = this.d.db
      .prepare('SELECT * FROM menu_categories ORDER BY sort, created_at, rowid')
      .all() as CategoryRow[];
    const items = this.d.db
      .prepare('SELECT * FROM menu_items ORDER BY sort, created_at, rowid')
      .all() as ItemRow[];
    return {
      categories: categories.map((c) => ({
        id: c.id,
        name: c.name,
        sort: c.sort,
        items: items.filter((i) => i.category_id === c.id).map((i) => this.itemView(i)),
      })),
    };
  }

  item(id: string): MenuItemView {
    return this.itemView(this.itemRow(id));
  }

  itemRow(id: string, field?: string): ItemRow {
    const row = this.d.db.prepare('SELECT * FROM menu_items WHERE id = ?').get(id) as
      ItemRow | undefined;
    if (!row) throw notFound('menu_item', id, field);
    return row;
  }

  /**
   * Prices one cart line from the menu as it stands: the item's price plus the delta of the
   * choice taken in each spec (the default where the customer said nothing). Refuses an item
   * switched off, a choice the item has not got, and a spec left open that has no default.
   */
  priceLine(
    line: { itemId: string; quantity: number; specs: Record<string, string> },
    field: string,
  ): PricedLine {
    const item = this.itemRow(line.itemId, `${field}.itemId`);
    if (item.sold_out) {
      throw new DomainError(
        'conflict',
        'item_sold_out',
        `${item.name} is sold out today`,
        `${field}.itemId`,
      ).with({ name: item.name });
    }
    const groups = (JSON.parse(item.body) as ItemBody).specs;
    for (const name of Object.keys(line.specs)) {
      if (!groups.some((g) => g.name === name)) {
        throw new DomainError(
          'invalid',
          'spec_unknown',
          `${item.name} has no spec called ${name}`,
          `${field}.specs`,
        ).with({ name: item.name, spec: name });
      }
    }
    const specs = groups.map((g: SpecGroup) => {
      const chosen = line.specs[g.name] ?? g.defaultChoice;
      if (chosen === null || chosen === undefined) {
        throw new DomainError(
          'invalid',
          'spec_choice_needed',
          `choose the ${g.name} of ${item.name}`,
          `${field}.specs.${g.name}`,
        ).with({ name: item.name, spec: g.name });
      }
      const choice = g.choices.find((c) => c.name === chosen);
      if (!choice) {
        throw new DomainError(
          'invalid',
          'spec_choice_unknown',
          `${item.name} has no ${g.name} "${chosen}": choose one of ${g.choices.map((c) => c.name).join(', ')}`,
          `${field}.specs.${g.name}`,
        ).with({ name: item.name, spec: g.name, choice: chosen });
      }
      return { spec: g.name, choice: choice.name, priceDelta: choice.priceDelta };
    });
    const unitPrice = Math.max(0, item.price + specs.reduce((s, c) => s + c.priceDelta, 0));
    return { item, specs, unitPrice, quantity: line.quantity, amount: unitPrice * line.quantity };
  }

  private data(row: ItemRow): ItemData {
    return {
      ...(JSON.parse(row.body) as ItemBody),
      categoryId: row.category_id,
      name: row.name,
      price: row.price,
      soldOut: row.sold_out === 1,
      sort: row.sort,
      stockTracked: row.stock_tracked === 1,
      lowStockAt: row.low_stock_at,
    };
  }

  private itemView(row: ItemRow): MenuItemView {
    const stock = row.stock_tracked ? this.d.stock.balance(row.id) : null;
    return {
      id: row.id,
      ...this.data(row),
      stock,
      available: row.sold_out === 0 && (stock === null || stock > 0),
    };
  }

  private category(id: string): MenuCategoryView {
    const c = this.view().categories.find((x) => x.id === id);
    if (!c) throw notFound('menu_category', id);
    return c;
  }

  private categoryRow(id: string, field?: string): CategoryRow {
    const row = this.d.db.prepare('SELECT * FROM menu_categories WHERE id = ?').get(id) as
      CategoryRow | undefined;
    if (!row) throw notFound('menu_category', id, field);
    return row;
  }
}

function bodyOf(d: ItemBody): ItemBody {
  return { description: d.description, photos: d.photos, specs: d.specs };
}
