// Orders of tea and snacks (C8): a cart priced by the hub from the menu (a client's price is never
// taken), less the member level's discount on items when the booking it goes to is a member's or
// the counter names a member by phone for an order on its own (a line of its own, by the rule the
// cloud prices a phone's cart with), quoted before it is placed, for a booking's room or on its
// own, its stock sold in the same write, then prepared, delivered, cancelled or refunded by
// staff. Takes money only through a tender and records every payment and refund in the order's
// ledger in the write of the state it explains. Owns no table: orders are written by
// order-records, money by order-money, stock by stock-ledger. Never opens a door or touches a
// booking's bill.
import {
  DomainError,
  notFound,
  OPEN_ORDER_STATUSES,
  orderDiscounts,
  type Actor,
  type MemberDiscount,
  type OrderCreateSchema,
  type OrderMemberView,
  type OrderQuoteView,
  type OrderPaySchema,
  type OrderRefundSchema,
  type OrderStatus,
  type OrderView,
  type SalesRankView,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { BookingRecords } from '../booking/booking-records';
import { assertCanAct } from '../booking/ownership';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import { maskPhone } from '../members/member-export';
import { revenueByItem, type SoldLine } from './line-revenue';
import type { Menu } from './menu';
import type { OrderMoney } from './order-money';
import type { OrderRecords, OrderRow } from './order-records';
import type { StockLedger } from './stock-ledger';
import type { Tenders } from './order-tenders';

/** A booking whose room can have an order brought to it. */
const SERVED_BOOKING = ['paid', 'in_use'];

export interface OrderServiceDeps {
  db: Db;
  records: OrderRecords;
  money: OrderMoney;
  menu: Menu;
  stock: StockLedger;
  bookings: BookingRecords;
  tenders: Tenders;
  /** The level's price privileges of the member with this phone; null for one who is not. */
  memberDiscount: (phone: string) => MemberDiscount | null;
  /** Whether the customer with this phone is a member of this store. */
  isMember: (phone: string) => boolean;
}

export class OrderService {
  constructor(private readonly d: OrderServiceDeps) {}

  /** Places an order: priced from the menu, its counted items sold off the shelf. Runs inside a write. */
  place(
    input: z.output<typeof OrderCreateSchema>,
    actor: Actor,
    afterCommit: AfterCommit,
  ): OrderView {
    const { roomId, phone, lines, discounts, total } = this.price(input, actor);
    const order = this.d.records.insert(
      {
        bookingId: input.bookingId,
        roomId,
        memberPhone: phone,
        lines: lines.map((l) => ({
          itemId: l.item.id,
          name: l.item.name,
          specs: l.specs,
          unitPrice: l.unitPrice,
          quantity: l.quantity,
          amount: l.amount,
        })),
        discounts,
        total,
        note: input.note,
      },
      actor,
      afterCommit,
    );
    lines.forEach((l, i) => {
      if (!l.item.stock_tracked) return;
      this.d.stock.append(
        {
          itemId: l.item.id,
          kind: 'sold',
          quantity: -l.quantity,
          orderId: order.id,
          reason: '',
          actor,
        },
        afterCommit,
        `lines.${i}.quantity`,
      );
    });
    return this.view(order.id);
  }

  /** What the order would cost, member's discount and all, refused as placing it would be; writes nothing. */
  quote(input: z.output<typeof OrderCreateSchema>, actor: Actor): OrderQuoteView {
    const { phone, lines, discounts, total } = this.price(input, actor);
    return {
      lines: lines.map((l) => ({
        itemId: l.item.id,
        name: l.item.name,
        specs: l.specs,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        amount: l.amount,
      })),
      discounts,
      total,
      member: phone && this.d.isMember(phone) ? this.memberView(phone) : null,
    };
  }

  /** The cart priced for its customer: the booking's, or the member the counter named. */
  private price(input: z.output<typeof OrderCreateSchema>, actor: Actor) {
    let roomId: string | null = null;
    // The order's customer: its booking's, or at the counter the member named by phone.
    let phone: string | null = null;
    if (input.bookingId !== null) {
      const booking = this.d.bookings.find(input.bookingId);
      if (!booking) throw notFound('booking', input.bookingId, 'bookingId');
      assertCanAct(booking, actor);
      if (!SERVED_BOOKING.includes(booking.status)) {
        throw new DomainError(
          'conflict',
          'booking_not_open',
          'orders go only to a room whose booking is paid or in use',
          'bookingId',
        ).with({ status: booking.status });
      }
      roomId = booking.room_id;
      phone = booking.customer_phone;
    } else if (actor.kind !== 'staff') {
      throw new DomainError(
        'forbidden',
        'order_needs_booking',
        'at the kiosk, order for your booking: show its door code or QR first',
        'bookingId',
      );
    }
    if (input.memberPhone !== null) {
      if (input.bookingId !== null) {
        throw new DomainError(
          'invalid',
          'order_member_with_booking',
          "an order for a booking is its customer's: leave memberPhone out",
          'memberPhone',
        );
      }
      if (!this.d.isMember(input.memberPhone)) {
        throw new DomainError(
          'not_found',
          'order_member_unknown',
          `${maskPhone(input.memberPhone)} is not a member of this store: order without the member price`,
          'memberPhone',
        ).with({ phone: maskPhone(input.memberPhone) });
      }
      phone = input.memberPhone;
    }
    const lines = input.lines.map((l, i) => this.d.menu.priceLine(l, `lines.${i}`));
    const subtotal = lines.reduce((s, l) => s + l.amount, 0);
    const discounts = orderDiscounts(subtotal, phone ? this.d.memberDiscount(phone) : null);
    const total = subtotal + discounts.reduce((s, d) => s + d.amount, 0);
    return { roomId, phone, lines, discounts, total };
  }

  private memberView(phone: string): OrderMemberView {
    return { phone: maskPhone(phone), level: this.d.memberDiscount(phone)?.level ?? null };
  }

  /**
   * The tea set a bundle promotion gives a booking once it is paid (promotions/bundle-orders.ts):
   * an order to the booking's room with nothing to pay, the booking's bill having paid for it,
   * its item sold off the shelf. Refuses before writing anything when the item cannot be served
   * (gone from the menu, sold out, none on the shelf). Runs inside a write.
   */
  placeIncluded(
    bookingId: string,
    itemId: string,
    note: string,
    actor: Actor,
    afterCommit: AfterCommit,
  ): OrderView {
    const booking = this.d.bookings.get(bookingId);
    const priced = this.d.menu.priceLine({ itemId, quantity: 1, specs: {} }, 'itemId');
    if (priced.item.stock_tracked && this.d.stock.balance(itemId) < 1) {
      throw new DomainError(
        'conflict',
        'out_of_stock',
        `no ${priced.item.name} left`,
        'itemId',
      ).with({ name: priced.item.name, left: 0 });
    }
    const order = this.d.records.insert(
      {
        bookingId,
        roomId: booking.room_id,
        memberPhone: booking.customer_phone,
        lines: [
          {
            itemId,
            name: priced.item.name,
            specs: priced.specs,
            unitPrice: 0,
            quantity: 1,
            amount: 0,
          },
        ],
        discounts: [],
        total: 0,
        note,
      },
      actor,
      afterCommit,
    );
    if (priced.item.stock_tracked) {
      this.d.stock.append(
        { itemId, kind: 'sold', quantity: -1, orderId: order.id, reason: note, actor },
        afterCommit,
      );
    }
    return this.view(order.id);
  }

  /** Takes money for an order, by default all that is still due. Runs inside a write. */
  pay(
    id: string,
    input: z.output<typeof OrderPaySchema>,
    actor: Actor,
    afterCommit: AfterCommit,
  ): OrderView {
    void afterCommit;
    const order = this.d.records.get(id);
    if (!(OPEN_ORDER_STATUSES as readonly OrderStatus[]).includes(order.status)) {
      throw new DomainError(
        'conflict',
        'order_closed',
        `this order is ${order.status}: nothing can be paid on it`,
      ).with({ state: order.status });
    }
    const due = this.due(order);
    if (due === 0) {
      throw new DomainError('conflict', 'order_paid', 'this order is paid already');
    }
    const amount = input.amount ?? due;
    if (amount > due) {
      throw new DomainError(
        'invalid',
        'order_overpaid',
        `only ${due} fen is due on this order`,
        'amount',
      ).with({ amount: due });
    }
    this.d.tenders[input.method].take(order, amount, actor);
    this.d.money.append({
      orderId: id,
      kind: 'payment',
      method: input.method,
      amount,
      reason: null,
      actor,
    });
    return this.view(id);
  }

  prepare(id: string, actor: Actor, afterCommit: AfterCommit): OrderView {
    this.d.records.transition(id, 'prepare', actor, null, afterCommit);
    return this.view(id);
  }

  deliver(id: string, actor: Actor, afterCommit: AfterCommit): OrderView {
    this.d.records.transition(id, 'deliver', actor, null, afterCommit);
    return this.view(id);
  }

  /**
   * Calls off an order nobody has made yet: what was paid goes back the way it came, what it
   * took goes back on the shelf. Runs inside a write.
   */
  cancel(id: string, reason: string, actor: Actor, afterCommit: AfterCommit): OrderView {
    const order = this.d.records.transition(id, 'cancel', actor, reason, afterCommit);
    this.giveBack(order, this.refundable(order), reason, actor);
    for (const l of this.d.records.lines(id)) {
      if (!this.d.stock.counts(l.itemId)) continue;
      this.d.stock.append(
        {
          itemId: l.itemId,
          kind: 'returned',
          quantity: l.quantity,
          orderId: id,
          reason,
          actor,
        },
        afterCommit,
      );
    }
    return this.view(id);
  }

  /**
   * Gives money back on an order made or handed over, in part or (by default) all that was paid
   * and not yet given back; the last of it moves the order to refunded. The stock stays sold.
   */
  refund(
    id: string,
    input: z.output<typeof OrderRefundSchema>,
    actor: Actor,
    afterCommit: AfterCommit,
  ): OrderView {
    const order = this.d.records.get(id);
    this.d.records.check(order.status, 'refund', actor);
    const refundable = this.refundable(order);
    if (refundable === 0) {
      throw new DomainError('conflict', 'order_nothing_paid', 'nothing was paid on this order');
    }
    const amount = input.amount ?? refundable;
    if (amount > refundable) {
      throw new DomainError(
        'invalid',
        'refund_over_paid',
        `only ${refundable} fen can still be given back`,
        'amount',
      ).with({ amount: refundable });
    }
    this.giveBack(order, amount, input.reason, actor);
    if (amount === refundable) {
      this.d.records.transition(id, 'refund', actor, input.reason, afterCommit);
    }
    return this.view(id);
  }

  // ---- reading --------------------------------------------------------------------------------

  /** One order; a kiosk sees only the orders of the booking in front of it. */
  get(id: string, actor: Actor): OrderView {
    const order = this.d.records.get(id);
    if (actor.kind === 'customer') {
      const booking = order.booking_id ? this.d.bookings.find(order.booking_id) : undefined;
      if (!booking) {
        throw new DomainError(
          'forbidden',
          'order_needs_booking',
          'at the kiosk, an order is seen with its booking: show its door code or QR first',
        );
      }
      assertCanAct(booking, actor);
    }
    return this.view(id);
  }

  list(filter: { date?: string; status?: OrderStatus; bookingId?: string }): OrderView[] {
    return this.d.records.list(filter).map((r) => this.view(r.id));
  }

  /**
   * Items by quantity or revenue sold between two local dates, orders that stand only; revenue is
   * what each line was charged, after the order's discounts.
   */
  ranking(q: { from: string; to: string; by: 'quantity' | 'revenue' }): SalesRankView[] {
    const lines = this.d.db
      .prepare(
        `SELECT o.id AS orderId, l.item_id AS itemId, i.name AS name, l.quantity AS quantity,
                l.amount AS amount,
                (SELECT COALESCE(SUM(d.amount), 0) FROM order_discounts d WHERE d.order_id = o.id)
                  AS discount
           FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN menu_items i ON i.id = l.item_id
          WHERE o.day BETWEEN ? AND ? AND o.status IN (${OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(',')})
          ORDER BY o.id, l.line`,
      )
      .all(q.from, q.to) as SoldLine[];
    const rows: SalesRankView[] = [...revenueByItem(lines).values()];
    const key = q.by;
    const other = key === 'quantity' ? 'revenue' : 'quantity';
    return rows.sort(
      (a, b) => b[key] - a[key] || b[other] - a[other] || a.name.localeCompare(b.name),
    );
  }

  view(id: string): OrderView {
    const o = this.d.records.get(id);
    const { paid, refunded } = this.d.money.sums(id);
    return {
      id: o.id,
      number: o.number,
      bookingId: o.booking_id,
      roomId: o.room_id,
      status: o.status,
      lines: this.d.records.lines(id),
      discounts: this.d.records.discounts(id),
      member:
        o.member_phone && this.d.isMember(o.member_phone) ? this.memberView(o.member_phone) : null,
      note: o.note,
      total: o.total,
      paid,
      refunded,
      due: this.due(o),
      money: this.d.money.entries(id),
      history: this.d.records.historyOf(id),
      createdAt: this.d.records.historyOf(id)[0]!.at,
    };
  }

  private due(o: OrderRow): number {
    if (!(OPEN_ORDER_STATUSES as readonly OrderStatus[]).includes(o.status)) return 0;
    return o.total - this.d.money.sums(o.id).paid;
  }

  private refundable(o: OrderRow): number {
    const { paid, refunded } = this.d.money.sums(o.id);
    return paid - refunded;
  }

  /** Hands `amount` back through the tenders that took it, oldest first. */
  private giveBack(order: OrderRow, amount: number, reason: string, actor: Actor): void {
    let left = amount;
    for (const held of this.d.money.heldBy(order.id)) {
      if (left === 0) break;
      const back = Math.min(left, held.amount);
      this.d.tenders[held.method].giveBack(order, back, actor);
      this.d.money.append({
        orderId: order.id,
        kind: 'refund',
        method: held.method,
        amount: -back,
        reason,
        actor,
      });
      left -= back;
    }
  }
}
