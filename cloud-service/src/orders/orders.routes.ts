// A signed-in customer's routes: booking intents, my orders and the intents about one (cancel,
// refund, door, extend, review), and how an intent fared. An intent's answer sets the status:
// the route's own when the store said yes, 202 while it has not answered, 409 when it said no,
// 410 when it did not answer in time.
import {
  BookingBodySchema,
  ChangeBodySchema,
  ChangeQuoteQuerySchema,
  ExtendBodySchema,
  ExtendQuoteQuerySchema,
  IntentParamsSchema,
  MyOrdersQuerySchema,
  OrderParamsSchema,
  RefundBodySchema,
  ReviewBodySchema,
} from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { OrderService } from './order.service';

export function orderRoutes(orders: OrderService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/bookings',
      tag: 'orders',
      access: 'customer',
      idempotent: true,
      summary:
        'Ask the store for a booking, payment held: 201 confirmed, 202 waiting (store offline), 409 rejected',
      status: 201,
      body: BookingBodySchema,
      handle: async ({ body, caller, idempotencyKey }) =>
        intentReply(await orders.book(caller, body, idempotencyKey), 201),
    }),
    route({
      method: 'post',
      path: '/api/bookings/hold',
      tag: 'orders',
      access: 'customer',
      idempotent: true,
      summary:
        'Ask the store to hold a slot unpaid, as at its counter: 201 held (until holdUntil; pay with /api/orders/:bookingId/pay), 202 waiting, 409 rejected; no money moves',
      status: 201,
      body: BookingBodySchema,
      handle: async ({ body, caller, idempotencyKey }) =>
        intentReply(await orders.hold(caller, body, idempotencyKey), 201),
    }),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/pay',
      tag: 'orders',
      access: 'customer',
      summary:
        'Pay a booking the store holds for me, payment held until the store takes it: 200 confirmed, 202 waiting, 409 refused (the hold ended; the money is given back)',
      params: OrderParamsSchema,
      handle: async ({ params, caller }) =>
        intentReply(await orders.pay(caller, params.bookingId), 200),
    }),
    route({
      method: 'get',
      path: '/api/intents/:intentId',
      tag: 'orders',
      access: 'customer',
      summary: 'How one of my intents fared: waiting, confirmed, rejected, expired...',
      params: IntentParamsSchema,
      handle: ({ params, caller }) => orders.intent(caller, params.intentId),
    }),
    route({
      method: 'get',
      path: '/api/orders',
      tag: 'orders',
      access: 'customer',
      summary:
        'My bookings in every store (kiosk ones made with my phone too), newest first a page at a time (limit, before: the next of the page before; status keeps the bookings of that status in each page, so a page may hold fewer while next leads on), and my booking requests still waiting for their store with the first page',
      query: MyOrdersQuerySchema,
      handle: ({ query, caller }) => orders.list(caller, query),
    }),
    route({
      method: 'get',
      path: '/api/me/memberships',
      tag: 'orders',
      access: 'customer',
      summary:
        'My membership of each store where I have booked: level and what it gives, points, spend, visits',
      handle: ({ caller }) => orders.memberships(caller),
    }),
    route({
      method: 'get',
      path: '/api/orders/:bookingId',
      tag: 'orders',
      access: 'customer',
      summary: 'One of my bookings with its ledger, session and my intents about it',
      params: OrderParamsSchema,
      handle: ({ params, caller }) => orders.detail(caller, params.bookingId),
    }),
    ...(['cancel', 'refund'] as const).map((action) =>
      route({
        method: 'post',
        path: `/api/orders/:bookingId/${action}`,
        tag: 'orders',
        access: 'customer',
        idempotent: true,
        summary:
          action === 'cancel'
            ? 'Cancel before the start; the store refunds by its cancellation tiers'
            : 'Ask for a refund; the store reviews it',
        params: OrderParamsSchema,
        body: RefundBodySchema,
        handle: async ({ params, body, caller, idempotencyKey }) =>
          intentReply(
            await orders.refund(caller, params.bookingId, action, body, idempotencyKey),
            200,
          ),
      }),
    ),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/door',
      tag: 'orders',
      access: 'customer',
      idempotent: true,
      summary: "Ask the store to open the room's door",
      params: OrderParamsSchema,
      handle: async ({ params, caller, idempotencyKey }) =>
        intentReply(await orders.door(caller, params.bookingId, idempotencyKey), 200),
    }),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/extend',
      tag: 'orders',
      access: 'customer',
      idempotent: true,
      summary: 'Ask for a later end, the added time paid online',
      params: OrderParamsSchema,
      body: ExtendBodySchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await orders.extend(caller, params.bookingId, body, idempotencyKey), 200),
    }),
    route({
      method: 'get',
      path: '/api/orders/:bookingId/extend/quote',
      tag: 'orders',
      access: 'customer',
      summary:
        'What extending one of my bookings to `end` costs, line by line, checked by the store’s rules (a whole number of its steps, within the longest booking)',
      params: OrderParamsSchema,
      query: ExtendQuoteQuerySchema,
      handle: ({ params, query, caller }) =>
        orders.extensionQuote(caller, params.bookingId, query.end),
    }),
    route({
      method: 'get',
      path: '/api/orders/:bookingId/change/quote',
      tag: 'orders',
      access: 'customer',
      summary:
        'What moving one of my paid bookings to another time (or room of the store) costs, line by line: the new price, the change fee, what was paid, and what comes back or is still to pay; a time taken or outside the change rules is refused',
      params: OrderParamsSchema,
      query: ChangeQuoteQuerySchema,
      handle: ({ params, query, caller }) => orders.changeQuote(caller, params.bookingId, query),
    }),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/change',
      tag: 'orders',
      access: 'customer',
      idempotent: true,
      summary:
        'Ask the store to move a paid booking at the change fee shown: 200 done (the difference less the fee refunded) or confirmed (a dearer time’s difference, as shown in expectedDue, paid online and held until the store moved it), 202 waiting, 409 refused with the reason (the difference given back)',
      params: OrderParamsSchema,
      body: ChangeBodySchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await orders.change(caller, params.bookingId, body, idempotencyKey), 200),
    }),
    route({
      method: 'post',
      path: '/api/orders/:bookingId/review',
      tag: 'orders',
      access: 'customer',
      summary: 'Review a completed booking, once',
      status: 201,
      params: OrderParamsSchema,
      body: ReviewBodySchema,
      handle: async ({ params, body, caller }) =>
        intentReply(await orders.review(caller, params.bookingId, body), 201),
    }),
  ];
}
