// Low stock for the owner's and staff's inbox (C13): each time an item's stock falls to the
// owner's threshold the hub publishes the items now low (`stock:low`), each with the moment it
// last fell there, read from the stock ledger, so the cloud makes one message per fall however
// often it reads the document. It must never write the ledger.
import { STOCK_LOW_ID, type Clock } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Outbox } from '../sync/outbox';
import { logger } from '../log';

export interface LowItem {
  itemId: string;
  name: string;
  balance: number;
  lowStockAt: number;
  /** When the ledger last took it from above its threshold to at or below it. */
  since: number;
}

/** The counted items at or below their threshold that fell there (not those never above it). */
export function lowStockItems(db: Db): LowItem[] {
  const items = db
    .prepare(
      `SELECT i.id, i.name, i.low_stock_at, COALESCE(SUM(m.quantity), 0) AS balance
         FROM menu_items i LEFT JOIN stock_moves m ON m.item_id = i.id
        WHERE i.stock_tracked = 1 AND i.low_stock_at IS NOT NULL
        GROUP BY i.id HAVING balance <= i.low_stock_at ORDER BY i.sort, i.name`,
    )
    .all() as { id: string; name: string; low_stock_at: number; balance: number }[];
  const moves = db.prepare('SELECT quantity, at FROM stock_moves WHERE item_id = ? ORDER BY id');
  const out: LowItem[] = [];
  for (const item of items) {
    let balance = 0;
    let since: number | null = null;
    for (const m of moves.all(item.id) as { quantity: number; at: number }[]) {
      const before = balance;
      balance += m.quantity;
      if (before > item.low_stock_at && balance <= item.low_stock_at) since = m.at;
    }
    if (since !== null) {
      out.push({
        itemId: item.id,
        name: item.name,
        balance: item.balance,
        lowStockAt: item.low_stock_at,
        since,
      });
    }
  }
  return out;
}

export class LowStockNotice {
  constructor(
    private readonly d: { clock: Clock; writes: WriteQueue; outbox: Outbox; events: EventBus },
  ) {}

  /** Publishes the low items again whenever one falls low. Call once. */
  register(): void {
    this.d.events.subscribe((e) => {
      if (e.type !== 'stock.low') return;
      void this.d.writes
        .run((afterCommit) => {
          this.d.outbox.mark(STOCK_LOW_ID);
          afterCommit(() => this.d.outbox.notify());
        })
        .catch((err: unknown) => logger().error({ err }, 'low stock not published'));
    });
  }
}
