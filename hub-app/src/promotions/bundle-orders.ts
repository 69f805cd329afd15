// The tea set of a bundle promotion (room time + a tea set at one price): when the booking that got
// the bundle is paid, the hub places the tea order it includes, to the booking's room, with nothing
// left to pay (the booking's bill paid for it), so it reaches the order queue like any other; when
// the booking ends cancelled or refunded before the tea was prepared, the order is called off and
// its item goes back on the shelf. One order per booking however often its payment is told. Owns
// `bundle_orders`; places and calls off orders only through the order service; never changes a
// booking's money or status.
import { DomainError, type Actor, type Clock, type FeeLine } from '@roomhub/shared-types';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import { logger } from '../log';
import type { OrderService } from '../menu/order.service';

/** The hub itself places and calls off a bundle's tea set. */
const BUNDLE: Actor = { kind: 'system', id: 'bundle' };

export class BundleOrders {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bookings: BookingRecords,
    private readonly orders: OrderService,
  ) {}

  /** Follows bookings: paid places the tea set, cancelled or refunded calls it off. Call once. */
  register(): void {
    this.bookings.onTransition(({ row, action }, afterCommit) => {
      if (action === 'pay') this.place(row, afterCommit);
      else if (row.status === 'cancelled' || row.status === 'refunded') {
        this.callOff(row, afterCommit);
      }
    });
  }

  /** The bundle's tea order of a booking, if it has one. */
  orderOf(bookingId: string): string | null {
    const r = this.db
      .prepare('SELECT order_id FROM bundle_orders WHERE booking_id = ?')
      .get(bookingId) as { order_id: string } | undefined;
    return r?.order_id ?? null;
  }

  private place(row: BookingRow, afterCommit: AfterCommit): void {
    const line = this.bookings.lines(row).find(isBundleItem);
    if (!line || this.orderOf(row.id)) return;
    const promotion = this.bookings
      .lines(row)
      .find((l) => l.kind === 'promotion' && l.ref === line.ref);
    const name = promotion?.label.replace(/^promotion · /, '') ?? line.label;
    try {
      const order = this.orders.placeIncluded(
        row.id,
        line.itemId,
        `included in “${name}” of booking ${row.number}`,
        BUNDLE,
        afterCommit,
      );
      this.db
        .prepare(
          'INSERT INTO bundle_orders (booking_id, order_id, promotion_id, created_at) VALUES (?, ?, ?, ?)',
        )
        .run(row.id, order.id, line.ref, this.clock.now());
    } catch (e) {
      // The payment stands whatever the shelf says: staff are told on the booking instead.
      if (!(e instanceof DomainError)) throw e;
      this.bookings.record(
        row.id,
        'bundle_order_not_placed',
        row.status,
        row.status,
        BUNDLE,
        `the tea set ${line.label} could not be ordered: ${e.message}; serve it by hand`,
        { itemId: line.itemId, code: e.code },
      );
      logger().warn(
        { bookingId: row.id, itemId: line.itemId, code: e.code },
        "a bundle's tea set could not be ordered: serve it by hand",
      );
    }
  }

  private callOff(row: BookingRow, afterCommit: AfterCommit): void {
    const orderId = this.orderOf(row.id);
    if (!orderId) return;
    // Once the tea is being made it is the store's to serve or write off, not the hub's.
    if (this.orders.view(orderId).status !== 'placed') return;
    this.orders.cancel(orderId, `booking ${row.number} is ${row.status}`, BUNDLE, afterCommit);
  }
}

const isBundleItem = (l: FeeLine): l is FeeLine & { itemId: string; ref: string } =>
  l.kind === 'item' && l.itemId !== undefined && l.ref !== undefined;
