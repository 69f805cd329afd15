// The stock of each counted menu item as an append-only ledger (`stock_moves`; the schema's
// triggers refuse an edit, a delete, and a sum below zero). The only writer of `stock_moves`; an
// item's stock is always this ledger's sum (`balance`), never a stored number. A count is
// recorded as the difference to the figure found. Tells the screens once each time an item falls
// to its owner's threshold (`stock.low`, after the commit). Never decides what may be sold beyond
// "not below zero": the order service asks it.
import {
  DomainError,
  formatInstant,
  notFound,
  type Actor,
  type Clock,
  type StockLevelView,
  type StockMoveKind,
  type StockMoveView,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';

export interface StockMove {
  itemId: string;
  kind: StockMoveKind;
  /** Signed: what the shelf gains or loses. */
  quantity: number;
  orderId: string | null;
  reason: string;
  actor: Actor;
}

interface ItemStockRow {
  id: string;
  name: string;
  stock_tracked: 0 | 1;
  low_stock_at: number | null;
}

export class StockLedger {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly timeZone: () => string,
    /** Told in the write when an item runs out or comes back: the published menu says so. */
    private readonly menuChanged: () => void = () => undefined,
    /**
     * Told in the write of any other move: the published menu carries what is on the shelf for
     * the owner away from the store (the screens need not read the menu again for it).
     */
    private readonly stockMoved: () => void = () => undefined,
  ) {}

  /** What is on the shelf: the ledger's sum. */
  balance(itemId: string): number {
    return (
      this.db
        .prepare('SELECT COALESCE(SUM(quantity), 0) AS s FROM stock_moves WHERE item_id = ?')
        .get(itemId) as { s: number }
    ).s;
  }

  /**
   * Appends one movement; call inside the write of what it explains. Refuses, in words, one that
   * would take the shelf below zero; a count is turned into the difference to the figure found.
   */
  append(move: StockMove, afterCommit: AfterCommit, field = 'quantity'): StockMoveView {
    const item = this.item(move.itemId);
    if (!item.stock_tracked) {
      throw new DomainError(
        'conflict',
        'stock_not_counted',
        `the store does not count the stock of ${item.name}: switch counting on for it first`,
        'itemId',
      ).with({ name: item.name });
    }
    const before = this.balance(item.id);
    const quantity = move.kind === 'counted' ? move.quantity - before : move.quantity;
    if (before + quantity < 0) {
      throw new DomainError(
        'conflict',
        'out_of_stock',
        `only ${before} of ${item.name} left`,
        field,
      ).with({ name: item.name, left: before });
    }
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO stock_moves (item_id, kind, quantity, order_id, reason, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        item.id,
        move.kind,
        quantity,
        move.orderId,
        move.reason,
        move.actor.kind,
        move.actor.id,
        this.clock.now(),
      );
    const after = before + quantity;
    if (before > 0 !== after > 0) this.menuChanged();
    else if (quantity !== 0) this.stockMoved();
    const at = item.low_stock_at;
    if (at !== null && before > at && after <= at) {
      afterCommit(() =>
        this.events.emit({
          type: 'stock.low',
          itemId: item.id,
          name: item.name,
          balance: after,
          lowStockAt: at,
          at: this.clock.now(),
        }),
      );
    }
    return this.movesOf(item.id, Number(lastInsertRowid)).at(-1)!;
  }

  /** Every counted item with its stock, the low ones first. */
  levels(): StockLevelView[] {
    const rows = this.db
      .prepare(
        `SELECT i.id, i.name, i.low_stock_at, COALESCE(SUM(m.quantity), 0) AS balance
           FROM menu_items i LEFT JOIN stock_moves m ON m.item_id = i.id
          WHERE i.stock_tracked = 1 GROUP BY i.id ORDER BY i.sort, i.name`,
      )
      .all() as { id: string; name: string; low_stock_at: number | null; balance: number }[];
    return rows
      .map((r) => ({
        itemId: r.id,
        name: r.name,
        balance: r.balance,
        lowStockAt: r.low_stock_at,
        low: r.low_stock_at !== null && r.balance <= r.low_stock_at,
      }))
      .sort((a, b) => Number(b.low) - Number(a.low));
  }

  /** An item's movements, oldest first, each with the balance after it (up to `untilId`). */
  movesOf(itemId: string, untilId = Number.MAX_SAFE_INTEGER): StockMoveView[] {
    const rows = this.db
      .prepare('SELECT * FROM stock_moves WHERE item_id = ? AND id <= ? ORDER BY id')
      .all(itemId, untilId) as {
      id: number;
      item_id: string;
      kind: StockMoveKind;
      quantity: number;
      order_id: string | null;
      reason: string;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    let balance = 0;
    return rows.map((r) => {
      balance += r.quantity;
      return {
        id: r.id,
        itemId: r.item_id,
        kind: r.kind,
        quantity: r.quantity,
        balance,
        orderId: r.order_id,
        reason: r.reason,
        actor: { kind: r.actor_kind, id: r.actor_id },
        at: formatInstant(r.at, this.timeZone()),
      };
    });
  }

  /** Whether the store counts this item's stock. */
  counts(itemId: string): boolean {
    return this.item(itemId).stock_tracked === 1;
  }

  private item(itemId: string): ItemStockRow {
    const row = this.db
      .prepare('SELECT id, name, stock_tracked, low_stock_at FROM menu_items WHERE id = ?')
      .get(itemId) as ItemStockRow | undefined;
    if (!row) throw notFound('menu_item', itemId, 'itemId');
    return row;
  }
}
