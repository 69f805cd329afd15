// The state machine every tea-and-snacks order follows. Who may move an order where is decided
// here; recording it (with its history) is the hub's job. Money is not a status: what an order
// has paid and got back lives in its ledger. This module must stay free of I/O.
import { z } from 'zod';
import type { Actor, ActorKind } from '../booking/booking-status';

export const OrderStatusSchema = z.enum([
  'placed',
  'prepared',
  'delivered',
  'refunded',
  'cancelled',
]);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export type OrderAction = 'place' | 'prepare' | 'deliver' | 'refund' | 'cancel';

interface Rule {
  from: readonly OrderStatus[];
  to: OrderStatus;
  by: readonly ActorKind[];
}

export const ORDER_TRANSITIONS: Readonly<Record<OrderAction, Rule>> = {
  // a customer at the kiosk orders for the room in front of it; staff at the counter for anyone
  // and the hub itself places the tea set of a bundle once its booking is paid
  place: { from: [], to: 'placed', by: ['customer', 'staff', 'system'] },
  prepare: { from: ['placed'], to: 'prepared', by: ['staff'] },
  // a packet of sunflower seeds needs no preparing: it may go straight to the room
  deliver: { from: ['placed', 'prepared'], to: 'delivered', by: ['staff'] },
  // nothing made yet: the order is called off and what it took goes back on the shelf
  // (the hub calls off a bundle's tea set with its booking)
  cancel: { from: ['placed'], to: 'cancelled', by: ['staff', 'system'] },
  // made or handed over: the money goes back (the last of it moves the order here), not the stock
  refund: { from: ['prepared', 'delivered'], to: 'refunded', by: ['staff'] },
};

/** Orders that still count as sold: in the sales figures and open to payment. */
export const OPEN_ORDER_STATUSES = [
  'placed',
  'prepared',
  'delivered',
] as const satisfies readonly OrderStatus[];

export class OrderTransitionError extends Error {
  constructor(
    readonly code: 'order_not_now' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'OrderTransitionError';
  }
}

/** Checks that `actor` may take `action` from `status`; returns where the order goes. */
export function checkOrderTransition(
  status: OrderStatus | null,
  action: OrderAction,
  actor: Pick<Actor, 'kind'>,
): OrderStatus {
  const rule = ORDER_TRANSITIONS[action];
  if (!rule.by.includes(actor.kind)) {
    throw new OrderTransitionError('forbidden', `a ${actor.kind} may not ${action} an order`);
  }
  if (status === null ? rule.from.length > 0 : !rule.from.includes(status)) {
    throw new OrderTransitionError(
      'order_not_now',
      `cannot ${action} an order that is ${status ?? 'not placed'}`,
    );
  }
  return rule.to;
}
