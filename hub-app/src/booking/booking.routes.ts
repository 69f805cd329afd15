// Bookings over HTTP (C3, C4, C9, S3): availability, quotes, booking, cancel, change and refund
// review. A route parses, calls one service inside a write where it changes something, answers.
import {
  BookingCreateSchema,
  BookingListQuerySchema,
  CancelSchema,
  ChangeSchema,
  DateQuerySchema,
  QuoteRequestSchema,
  RefundApproveSchema,
  RefundRejectSchema,
  RefundRequestSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { ANY_STAFF, IdParams, route, type RouteDef } from '../http/route';

export function bookingRoutes(hub: Hub): RouteDef[] {
  const { bookings, refundReview, availability, views, writes } = hub;
  return [
    route({
      method: 'get',
      path: '/api/rooms/:id/availability',
      tag: 'availability',
      access: 'anyone',
      summary: "A room's day as free / held / booked / in use / cleaning segments (C3)",
      params: IdParams,
      query: DateQuerySchema,
      handle: ({ params, query }) => availability.room(params.id, query.date),
    }),
    route({
      method: 'get',
      path: '/api/board',
      tag: 'availability',
      access: 'anyone',
      summary: 'Every active room through a day (S1)',
      query: DateQuerySchema,
      handle: ({ query }) => availability.board(query.date),
    }),
    route({
      method: 'post',
      path: '/api/quotes',
      tag: 'bookings',
      access: 'anyone',
      summary: 'Price a span or a session package, line by line, before booking (C4)',
      body: QuoteRequestSchema,
      handle: ({ body }) => bookings.quote(body),
    }),
    route({
      method: 'post',
      path: '/api/bookings',
      tag: 'bookings',
      access: 'anyone',
      summary: 'Book a room: held as pending_payment until paid or expired (C4)',
      status: 201,
      body: BookingCreateSchema,
      handle: ({ body, actor }) =>
        writes.run((afterCommit) => bookings.create(body, actor, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/bookings',
      tag: 'bookings',
      access: 'anyone',
      summary: 'Bookings by status, date, room or phone; a customer sees only their own (C9, S3)',
      query: BookingListQuerySchema,
      handle: ({ query, actor }) => views.list(query, actor),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id',
      tag: 'bookings',
      access: 'anyone',
      summary: 'A booking with its history, payments, refunds and ledger (C9)',
      params: IdParams,
      handle: ({ params, actor }) => views.get(params.id, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/cancel',
      tag: 'bookings',
      access: 'anyone',
      summary: 'Cancel; a paid booking is refunded less the fee the rules set (C9)',
      params: IdParams,
      body: CancelSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) =>
          bookings.cancel(params.id, actor, body.reason ?? null, afterCommit),
        ),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/change',
      tag: 'bookings',
      access: 'anyone',
      summary: 'Move to another time or room within the rules, re-priced (C9)',
      params: IdParams,
      body: ChangeSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => bookings.change(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund',
      tag: 'refunds',
      access: 'anyone',
      summary: 'Ask for a refund; staff review it (C9, S3)',
      params: IdParams,
      body: RefundRequestSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => refundReview.request(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/approve',
      tag: 'refunds',
      access: ANY_STAFF,
      summary: 'Staff approve a refund; the money goes back through the original channel (S3)',
      params: IdParams,
      body: RefundApproveSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => refundReview.approve(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/reject',
      tag: 'refunds',
      access: ANY_STAFF,
      summary: 'Staff refuse a refund; the booking returns to where it was (S3)',
      params: IdParams,
      body: RefundRejectSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => refundReview.reject(params.id, body, actor, afterCommit)),
    }),
  ];
}
