// The money of tea-and-snacks orders: every payment in and refund out, append-only (the schema's
// triggers refuse an edit, a delete, a payment over the order's total and a refund over what was
// paid). The only writer of `order_money`; what an order has paid and got back is always this
// ledger's sum, never a stored number. Call it inside the write of the state it explains.
import {
  formatInstant,
  type Actor,
  type Clock,
  type OrderMoneyEntryView,
  type OrderPayMethod,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface OrderMoneyEntry {
  orderId: string;
  kind: 'payment' | 'refund';
  method: OrderPayMethod;
  /** Fen: positive for a payment, negative for a refund. */
  amount: number;
  reason: string | null;
  actor: Actor;
}

export interface OrderSums {
  /** Money in, fen. */
  paid: number;
  /** Money back, fen, as a positive number. */
  refunded: number;
}

export class OrderMoney {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeZone: () => string,
    private readonly outbox: Outbox,
  ) {}

  /** One movement, and the order's document marked for the cloud, in the caller's write. */
  append(e: OrderMoneyEntry): void {
    this.outbox.markOrder(e.orderId);
    this.db
      .prepare(
        `INSERT INTO order_money (order_id, kind, method, amount, reason, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.orderId,
        e.kind,
        e.method,
        e.amount,
        e.reason,
        e.actor.kind,
        e.actor.id,
        this.clock.now(),
      );
  }

  sums(orderId: string): OrderSums {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN kind = 'payment' THEN amount END), 0) AS paid,
                -COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount END), 0) AS refunded
           FROM order_money WHERE order_id = ?`,
      )
      .get(orderId) as OrderSums;
    return { paid: r.paid, refunded: r.refunded };
  }

  /** What each way of paying still holds of the order (paid less given back), for refunds. */
  heldBy(orderId: string): { method: OrderPayMethod; amount: number }[] {
    return this.db
      .prepare(
        `SELECT method, SUM(amount) AS amount FROM order_money WHERE order_id = ? GROUP BY method HAVING SUM(amount) > 0 ORDER BY MIN(id)`,
      )
      .all(orderId) as { method: OrderPayMethod; amount: number }[];
  }

  entries(orderId: string): OrderMoneyEntryView[] {
    const rows = this.db
      .prepare('SELECT * FROM order_money WHERE order_id = ? ORDER BY id')
      .all(orderId) as {
      id: number;
      kind: 'payment' | 'refund';
      method: OrderPayMethod;
      amount: number;
      reason: string | null;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      method: r.method,
      amount: r.amount,
      reason: r.reason,
      actor: { kind: r.actor_kind, id: r.actor_id },
      at: formatInstant(r.at, this.timeZone()),
    }));
  }
}
