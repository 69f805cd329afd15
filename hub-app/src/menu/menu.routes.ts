// Tea and snacks over HTTP (C8, O5): the menu (anyone reads it, the owner and managers change
// it), orders (the counter for anyone, the kiosk for the booking in front of it), their cash and
// refunds, the stock ledger and the sales ranking. A route parses, calls one service (inside a
// write when it changes something), answers.
import {
  assertOffered,
  MenuCategoryInputSchema,
  MenuCategoryPatchSchema,
  MenuItemInputSchema,
  MenuItemPatchSchema,
  OrderCancelSchema,
  OrderChargeSchema,
  OrderCreateSchema,
  OrderListQuerySchema,
  OrderPaySchema,
  OrderRefundSchema,
  SalesQuerySchema,
  StockMoveInputSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { memberOfOrder } from '../wallet/wallet-tender';
import { IdParams, route, type RouteEntry } from '../http/route';

const NOT_NOW = 'order_not_now';

export function menuRoutes({
  menu,
  orders,
  orderCharges,
  paymentCodes,
  stock,
  db,
  walletMoves,
  channelSwitches,
}: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/menu',
      tag: 'menu',
      summary: 'The menu: categories, items with photos, specs and prices, sold out or in stock',
      handle: () => menu.view(),
    }),
    route({
      method: 'post',
      path: '/api/menu/categories',
      tag: 'menu',
      summary: 'Add a menu category',
      status: 201,
      body: MenuCategoryInputSchema,
      handle: ({ body, write }) => write(() => menu.createCategory(body)),
    }),
    route({
      method: 'patch',
      path: '/api/menu/categories/:id',
      tag: 'menu',
      summary: 'Rename a menu category or change where it is shown',
      params: IdParams,
      body: MenuCategoryPatchSchema,
      handle: ({ params, body, write }) => write(() => menu.patchCategory(params.id, body)),
    }),
    route({
      method: 'post',
      path: '/api/menu/items',
      tag: 'menu',
      summary: 'Add an item: price in fen, specs (size, temperature, sweetness) with price changes',
      status: 201,
      body: MenuItemInputSchema,
      handle: ({ body, write }) => write(() => menu.createItem(body)),
    }),
    route({
      method: 'patch',
      path: '/api/menu/items/:id',
      tag: 'menu',
      summary: 'Change an item, switch it sold out or back; orders already placed keep their price',
      params: IdParams,
      body: MenuItemPatchSchema,
      handle: ({ params, body, write }) => write(() => menu.patchItem(params.id, body)),
    }),
    route({
      method: 'get',
      path: '/api/menu/sales',
      tag: 'menu',
      summary: 'Items ranked by quantity or revenue sold between two dates',
      query: SalesQuerySchema,
      handle: ({ query }) => orders.ranking(query),
    }),
    route({
      method: 'post',
      path: '/api/orders',
      errors: {
        403: ['order_needs_booking', 'booking_not_proven'],
        404: ['order_member_unknown'],
        409: ['item_sold_out', 'out_of_stock', 'booking_not_open'],
        422: [
          'spec_unknown',
          'spec_choice_needed',
          'spec_choice_unknown',
          'order_member_with_booking',
        ],
      },
      tag: 'menu',
      summary:
        "Place an order from a cart, for a booking's room or on its own (for a member named by phone at the counter); the hub prices it",
      status: 201,
      body: OrderCreateSchema,
      handle: ({ body, actor, write }) => write((ac) => orders.place(body, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/orders/quote',
      errors: {
        403: ['order_needs_booking', 'booking_not_proven'],
        404: ['order_member_unknown'],
        409: ['item_sold_out', 'booking_not_open'],
        422: [
          'spec_unknown',
          'spec_choice_needed',
          'spec_choice_unknown',
          'order_member_with_booking',
        ],
      },
      tag: 'menu',
      summary:
        "Price a cart as placing it would, the member's discount as its own line; nothing is written",
      body: OrderCreateSchema,
      handle: ({ body, actor }) => orders.quote(body, actor),
    }),
    route({
      method: 'get',
      path: '/api/orders',
      tag: 'menu',
      summary: "The store's orders, newest first, by day, status or booking",
      query: OrderListQuerySchema,
      handle: ({ query }) => orders.list(query),
    }),
    route({
      method: 'get',
      path: '/api/orders/:id',
      errors: { 403: ['order_needs_booking', 'booking_not_proven'] },
      tag: 'menu',
      summary: 'One order with its lines, money and history',
      params: IdParams,
      handle: ({ params, actor }) => orders.get(params.id, actor),
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/payments',
      errors: {
        403: ['cash_needs_staff'],
        409: ['order_closed', 'order_paid'],
        422: ['order_overpaid'],
      },
      tag: 'menu',
      summary:
        'Take cash for an order (or its member’s wallet or points: the member named at the counter, else its booking’s customer), by default all that is due; a wallet shared across the owner’s stores brings what it lacks here first',
      body: OrderPaySchema,
      params: IdParams,
      handle: async ({ params, body, actor, write }) => {
        const phone = body.method === 'wallet' ? memberOfOrder(db, params.id) : undefined;
        if (phone && actor.kind === 'staff') {
          const due = body.amount ?? orders.get(params.id, actor).due;
          if (due > 0) await walletMoves.bringIn(phone, due, actor);
        }
        return write((ac) => orders.pay(params.id, body, actor, ac));
      },
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/charges',
      errors: {
        403: ['order_needs_booking', 'booking_not_proven'],
        409: ['order_closed', 'order_paid', 'payment_code_in_progress'],
        422: ['method_not_offered', 'method_switched_off', 'payment_code_unknown'],
        503: ['gateway_unavailable', 'channel_unavailable'],
      },
      tag: 'menu',
      summary:
        'Pay an order online: a QR for what is still due, through the store’s channel (WeChat Pay, Alipay, UnionPay), or the payer’s WeChat or Alipay payment code scanned at the counter or the kiosk (`payment_code`, `code`: charged at once; pending while the payer confirms, followed up and reversed if not paid within 30 s); the order is credited once the gateway says paid',
      status: 201,
      body: OrderChargeSchema,
      params: IdParams,
      handle: ({ params, body, actor }) => {
        orders.get(params.id, actor);
        channelSwitches.assertOn(actor.kind === 'staff' ? 'counter' : 'kiosk', body.method);
        if (body.method === 'payment_code') {
          // Staff scan at the counter; a screen without staff is the kiosk.
          assertOffered(actor.kind === 'staff' ? 'counter' : 'kiosk', body.method);
          return paymentCodes.chargeOrder(params.id, body.code ?? '', actor);
        }
        return orderCharges.start(params.id, body.method, actor);
      },
    }),
    route({
      method: 'get',
      path: '/api/orders/charges/:id',
      errors: { 403: ['order_needs_booking', 'booking_not_proven'] },
      tag: 'menu',
      summary: 'An order’s online charge, followed by the screen until it is paid or closed',
      params: IdParams,
      handle: ({ params, actor }) => {
        const charge = orderCharges.get(params.id);
        orders.get(charge.orderId, actor);
        return charge;
      },
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/prepare',
      errors: { 409: [NOT_NOW] },
      tag: 'menu',
      summary: 'Mark an order prepared',
      params: IdParams,
      handle: ({ params, actor, write }) => write((ac) => orders.prepare(params.id, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/deliver',
      errors: { 409: [NOT_NOW] },
      tag: 'menu',
      summary: 'Mark an order delivered (to its room, or handed over at the counter)',
      params: IdParams,
      handle: ({ params, actor, write }) => write((ac) => orders.deliver(params.id, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/cancel',
      errors: { 403: ['cash_needs_staff'], 409: [NOT_NOW] },
      tag: 'menu',
      summary: 'Call off an order nobody has made yet: its cash back, its items back on the shelf',
      params: IdParams,
      body: OrderCancelSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) => orders.cancel(params.id, body.reason, actor, ac)),
    }),
    route({
      method: 'post',
      path: '/api/orders/:id/refund',
      errors: {
        403: ['cash_needs_staff'],
        409: [NOT_NOW, 'order_nothing_paid'],
        422: ['refund_over_paid'],
      },
      tag: 'menu',
      summary:
        'Give money back on an order made or delivered, in part or in full, with why, each part the way it came: cash, the wallet, points, the store’s channel, or (for tea ordered from the phone) the cloud that took it',
      params: IdParams,
      body: OrderRefundSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) => orders.refund(params.id, body, actor, ac)),
    }),
    route({
      method: 'get',
      path: '/api/stock',
      tag: 'menu',
      summary: 'The stock of every counted item, the ones at or below their threshold first',
      handle: () => stock.levels(),
    }),
    route({
      method: 'get',
      path: '/api/stock/:id',
      tag: 'menu',
      summary: "An item's stock movements, each with the balance after it",
      params: IdParams,
      handle: ({ params }) => {
        menu.itemRow(params.id, 'id');
        return stock.movesOf(params.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/stock/:id',
      errors: { 409: ['out_of_stock', 'stock_not_counted'] },
      tag: 'menu',
      summary: 'Record goods received, thrown away, or the figure found by counting',
      status: 201,
      params: IdParams,
      body: StockMoveInputSchema,
      handle: ({ params, body, actor, write }) =>
        write((ac) =>
          stock.append(
            {
              itemId: params.id,
              kind: body.kind,
              quantity: body.kind === 'wasted' ? -body.quantity : body.quantity,
              orderId: null,
              reason: body.reason,
              actor,
            },
            ac,
          ),
        ),
    }),
  ];
}
