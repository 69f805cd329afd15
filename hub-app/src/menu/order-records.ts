// Rows of `orders`, `order_lines`, `order_discounts` and `order_events`: the only module that
// writes them. Every
// status change goes through `transition` (the state machine in shared-types), with its history
// entry in the same transaction and the live event (`order.status`) after the commit. Services
// decide; this module records, and marks the order's document for the cloud in the same write.
// It never prices, takes money or moves stock.
import {
  checkOrderTransition,
  DomainError,
  formatInstant,
  localDateOf,
  notFound,
  OrderTransitionError,
  type Actor,
  type Clock,
  type OrderAction,
  type OrderDiscountView,
  type OrderLineView,
  type OrderStatus,
  type OrderView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Outbox } from '../sync/outbox';

export interface OrderRow {
  id: string;
  day: string;
  number: string;
  booking_id: string | null;
  room_id: string | null;
  /** Whom it is for: the booking's customer or the member the counter named; null for nobody. */
  member_phone: string | null;
  status: OrderStatus;
  total: number;
  note: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  screen_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewOrder {
  bookingId: string | null;
  roomId: string | null;
  /** Whom it is for, by phone: the booking's customer or the member the counter named. */
  memberPhone: string | null;
  lines: OrderLineView[];
  /** Under the lines, each its own line: `total` is the lines' sum less these. */
  discounts: OrderDiscountView[];
  total: number;
  note: string;
}

export class OrderRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: NewId,
    private readonly events: EventBus,
    private readonly timeZone: () => string,
    private readonly outbox: Outbox,
  ) {}

  /** Records a new order and its lines, placed; the day's next number. Runs inside a write. */
  insert(o: NewOrder, actor: Actor, afterCommit: AfterCommit): OrderRow {
    const status = this.check(null, 'place', actor);
    const now = this.clock.now();
    const day = localDateOf(now, this.timeZone());
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE day = ?').get(day) as {
      n: number;
    };
    const id = this.newId();
    this.db
      .prepare(
        `INSERT INTO orders (id, day, number, booking_id, room_id, member_phone, status, total, note, actor_kind, actor_id, screen_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        day,
        String(n + 1).padStart(3, '0'),
        o.bookingId,
        o.roomId,
        o.memberPhone,
        status,
        o.total,
        o.note,
        actor.kind,
        actor.id,
        actor.screen?.id ?? null,
        now,
        now,
      );
    const line = this.db.prepare(
      `INSERT INTO order_lines (order_id, line, item_id, name, specs, unit_price, quantity, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    o.lines.forEach((l, i) =>
      line.run(
        id,
        i + 1,
        l.itemId,
        l.name,
        JSON.stringify(l.specs),
        l.unitPrice,
        l.quantity,
        l.amount,
      ),
    );
    const discount = this.db.prepare(
      `INSERT INTO order_discounts (order_id, line, kind, name, percent_off, amount) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    o.discounts.forEach((d, i) => discount.run(id, i + 1, d.kind, d.name, d.percentOff, d.amount));
    this.history(id, 'place', null, status, actor, null);
    this.announce(this.get(id), afterCommit);
    return this.get(id);
  }

  /** Moves an order by `action`, with its history entry; the event after the commit. */
  transition(
    id: string,
    action: OrderAction,
    actor: Actor,
    reason: string | null,
    afterCommit: AfterCommit,
  ): OrderRow {
    const row = this.get(id);
    const to = this.check(row.status, action, actor);
    this.db
      .prepare('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?')
      .run(to, this.clock.now(), id);
    this.history(id, action, row.status, to, actor, reason);
    const next = this.get(id);
    this.announce(next, afterCommit);
    return next;
  }

  /** The state machine's answer in the API's words: a 409 for the wrong status, 403 for the wrong caller. */
  check(status: OrderStatus | null, action: OrderAction, actor: Actor): OrderStatus {
    try {
      return checkOrderTransition(status, action, actor);
    } catch (e) {
      if (!(e instanceof OrderTransitionError)) throw e;
      if (e.code === 'forbidden') {
        throw new DomainError('forbidden', 'order_staff_only', e.message);
      }
      throw new DomainError('conflict', 'order_not_now', e.message).with({
        action,
        state: status ?? 'none',
      });
    }
  }

  // ---- reading --------------------------------------------------------------------------------

  get(id: string): OrderRow {
    const row = this.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as
      OrderRow | undefined;
    if (!row) throw notFound('order', id, 'id');
    return row;
  }

  lines(id: string): OrderLineView[] {
    const rows = this.db
      .prepare('SELECT * FROM order_lines WHERE order_id = ? ORDER BY line')
      .all(id) as {
      item_id: string;
      name: string;
      specs: string;
      unit_price: number;
      quantity: number;
      amount: number;
    }[];
    return rows.map((r) => ({
      itemId: r.item_id,
      name: r.name,
      specs: JSON.parse(r.specs) as OrderLineView['specs'],
      unitPrice: r.unit_price,
      quantity: r.quantity,
      amount: r.amount,
    }));
  }

  discounts(id: string): OrderDiscountView[] {
    const rows = this.db
      .prepare('SELECT * FROM order_discounts WHERE order_id = ? ORDER BY line')
      .all(id) as { kind: 'member'; name: string; percent_off: number; amount: number }[];
    return rows.map((r) => ({
      kind: r.kind,
      name: r.name,
      percentOff: r.percent_off,
      amount: r.amount,
    }));
  }

  historyOf(id: string): OrderView['history'] {
    const rows = this.db
      .prepare('SELECT * FROM order_events WHERE order_id = ? ORDER BY id')
      .all(id) as {
      action: string;
      from_status: OrderStatus | null;
      to_status: OrderStatus;
      actor_kind: Actor['kind'];
      actor_id: string;
      reason: string | null;
      at: number;
    }[];
    return rows.map((r) => ({
      action: r.action,
      from: r.from_status,
      to: r.to_status,
      actor: { kind: r.actor_kind, id: r.actor_id },
      reason: r.reason,
      at: formatInstant(r.at, this.timeZone()),
    }));
  }

  list(filter: { date?: string; status?: OrderStatus; bookingId?: string }): OrderRow[] {
    return this.db
      .prepare(
        `SELECT * FROM orders WHERE (? IS NULL OR day = ?) AND (? IS NULL OR status = ?) AND (? IS NULL OR booking_id = ?)
          ORDER BY created_at DESC, number DESC LIMIT 500`,
      )
      .all(
        filter.date ?? null,
        filter.date ?? null,
        filter.status ?? null,
        filter.status ?? null,
        filter.bookingId ?? null,
        filter.bookingId ?? null,
      ) as OrderRow[];
  }

  private history(
    id: string,
    action: OrderAction,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: Actor,
    reason: string | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO order_events (order_id, action, from_status, to_status, actor_kind, actor_id, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, action, from, to, actor.kind, actor.id, reason, this.clock.now());
  }

  /** The live event after the commit, and the order's document marked for the cloud in the write. */
  private announce(row: OrderRow, afterCommit: AfterCommit): void {
    this.outbox.markOrder(row.id);
    const event = {
      type: 'order.status',
      orderId: row.id,
      number: row.number,
      roomId: row.room_id,
      status: row.status,
      at: this.clock.now(),
    } as const;
    afterCommit(() => {
      this.events.emit(event);
      this.outbox.notify();
    });
  }
}
