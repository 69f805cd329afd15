// The store's answer to tea and snacks ordered from a customer's phone (`tea_order`, C8): the
// order is placed through the order service for the customer's own booking (priced by the menu,
// its counted items sold off the shelf as stock-ledger entries), the money the cloud holds is
// written to the order's ledger, and the intent is linked to the order, all in the caller's write.
// A refusal (sold out, none left, the price moved, the booking over) throws before anything
// stands: the caller rolls the write back and the cloud releases the payment. Money such an
// order gives back later (a refund or a cancellation at the counter) goes back through the cloud
// that took it (`throughCloud`). Owns `tea_order_intents`; never takes or sends money itself and
// never touches the booking's bill.
import {
  DomainError,
  type Actor,
  type AnswerBody,
  type IntentDoc,
  type Clock,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { Menu } from './menu';
import type { Tender } from './order-tenders';
import type { OrderMoney } from './order-money';
import type { OrderService } from './order.service';
import type { StockLedger } from './stock-ledger';

export type TeaOrderIntent = Extract<IntentDoc, { kind: 'tea_order' }>;

export interface TeaOrderDeps {
  db: Db;
  clock: Clock;
  menu: Menu;
  stock: StockLedger;
  orders: OrderService;
  money: OrderMoney;
}

/** The order an intent placed, if it placed one. */
export function teaOrderOf(db: Db, intentId: string): string | undefined {
  const r = db
    .prepare('SELECT order_id FROM tea_order_intents WHERE intent_id = ?')
    .get(intentId) as { order_id: string } | undefined;
  return r?.order_id;
}

/** The cloud's payment an order placed from the phone was paid with; none for any other order. */
export function cloudPaymentOfOrder(db: Db, orderId: string): string | undefined {
  const r = db
    .prepare('SELECT payment_id FROM tea_order_intents WHERE order_id = ?')
    .get(orderId) as { payment_id: string } | undefined;
  return r?.payment_id;
}

/**
 * The tender of an online method, for an order placed from the phone: its money was taken by the
 * cloud, so it goes back through the cloud. Nothing is sent from here: the refund's entry in the
 * order's ledger (written by the order service in the same write) is published on the order's
 * document with the cloud's payment, and the cloud pays it back once, checked against what it
 * captured, as it pays back a booking's. Any other order's money goes to `inner` (the store's own
 * channel).
 */
export function throughCloud(db: Db, inner: Tender): Tender {
  return {
    method: inner.method,
    take: (order, amount, actor) => inner.take(order, amount, actor),
    giveBack: (order, amount, actor) => {
      if (cloudPaymentOfOrder(db, order.id) !== undefined) return;
      inner.giveBack(order, amount, actor);
    },
  };
}

/**
 * Places the order the intent asks for on `bookingId` (the customer's own, checked by the
 * caller), for `actor`, the customer proven for that booking. Runs inside a write.
 */
export function answerTeaOrder(
  d: TeaOrderDeps,
  intent: TeaOrderIntent,
  bookingId: string,
  actor: Actor,
  afterCommit: AfterCommit,
): AnswerBody {
  const { lines, note, payment } = intent.body;
  // Said in words before the ledger would refuse it: the customer reads this sentence.
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.itemId, (wanted.get(l.itemId) ?? 0) + l.quantity);
  lines.forEach((l, i) => {
    const item = d.menu.itemRow(l.itemId, `lines.${i}.itemId`);
    if (!item.stock_tracked) return;
    const left = d.stock.balance(item.id);
    if (left < (wanted.get(item.id) ?? 0)) {
      throw new DomainError(
        'conflict',
        'out_of_stock',
        left <= 0 ? `${item.name} is sold out` : `only ${left} ${item.name} left`,
        `lines.${i}.quantity`,
      ).with({ name: item.name, left: Math.max(0, left) });
    }
  });
  const order = d.orders.place({ bookingId, memberPhone: null, lines, note }, actor, afterCommit);
  if (order.total !== payment.amount) {
    throw new DomainError(
      'conflict',
      'price_changed',
      `the order now costs ${order.total} fen, not ${payment.amount}`,
    ).with({ price: order.total });
  }
  if (payment.amount > 0) {
    d.money.append({
      orderId: order.id,
      kind: 'payment',
      method: payment.method,
      amount: payment.amount,
      reason: null,
      actor,
    });
  }
  d.db
    .prepare(
      'INSERT INTO tea_order_intents (intent_id, order_id, customer_id, payment_id, at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(intent.intentId, order.id, intent.customerId, payment.paymentId, d.clock.now());
  return { outcome: 'confirmed', bookingId, orderId: order.id };
}
