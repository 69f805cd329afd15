// Bookings over HTTP (C3, C4, C9, S3): availability, quotes, booking, cancel, change and refund
// review. A route parses, calls one service inside a write where it changes something, answers.
import {
  BookingCreateSchema,
  BookingListQuerySchema,
  CancelSchema,
  ChangeSchema,
  DateQuerySchema,
  DomainError,
  QuoteRequestSchema,
  RefundApproveSchema,
  RefundRejectSchema,
  RefundRequestSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { isProven as provedWho } from '../http/caller';
import { IdParams, route, type RouteEntry } from '../http/route';

/** What refuses the coupons and points a customer puts on a bill (pricing/discounts.ts). */
const DISCOUNT_REFUSALS = [
  'coupon_used',
  'coupon_expired',
  'coupon_not_combinable',
  'coupon_out_of_scope',
  'coupon_min_spend',
  'coupon_named_twice',
  'coupon_worth_nothing',
  'points_not_accepted',
  'not_enough_points',
];

/** What the booking rules refuse a span with (shared-types span-rules.ts). */
const SPAN_RULES = [
  'invalid_span',
  'start_in_past',
  'too_far_ahead',
  'off_step',
  'too_short',
  'too_long',
  'party_too_large',
];

export function bookingRoutes(hub: Hub): RouteEntry[] {
  const { bookings, refundReview, availability, views, channelSwitches } = hub;
  return [
    route({
      method: 'get',
      path: '/api/rooms/:id/availability',
      tag: 'availability',
      summary: "A room's day as free / held / booked / in use / cleaning segments (C3)",
      params: IdParams,
      query: DateQuerySchema,
      handle: ({ params, query, actor }) =>
        availability.room(params.id, query.date, !provedWho(actor)),
    }),
    route({
      method: 'get',
      path: '/api/board',
      tag: 'availability',
      summary: 'Every active room through a day (S1)',
      query: DateQuerySchema,
      handle: ({ query, actor }) => availability.board(query.date, !provedWho(actor)),
    }),
    route({
      method: 'post',
      path: '/api/quotes',
      errors: {
        404: ['coupon_not_found'],
        409: ['package_unavailable', 'room_retired', 'coupon_used', 'coupon_expired'],
        422: [...SPAN_RULES, 'phone_required'],
        429: ['too_many_requests'],
      },
      tag: 'bookings',
      summary:
        'Price a span or a session package, line by line, before booking, with the season, promotions and, given the phone, the member level, coupons and points each as its own line (C4)',
      perMinute: 120,
      body: QuoteRequestSchema,
      handle: ({ body }) => bookings.quote(body),
    }),
    route({
      method: 'post',
      path: '/api/bookings',
      errors: {
        404: ['coupon_not_found'],
        409: [
          'slot_taken',
          'too_many_holds',
          'room_retired',
          'package_unavailable',
          ...DISCOUNT_REFUSALS,
        ],
        422: [...SPAN_RULES, 'phone_required'],
      },
      tag: 'bookings',
      summary: 'Book a room: held as pending_payment until paid or expired (C4)',
      status: 201,
      body: BookingCreateSchema,
      handle: ({ body, actor, write }) =>
        write((afterCommit) => bookings.create(body, actor, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/bookings',
      tag: 'bookings',
      summary: 'Bookings by status, date, room or phone; a customer sees only their own (C9, S3)',
      query: BookingListQuerySchema,
      handle: ({ query }) => views.list(query),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id',
      tag: 'bookings',
      summary: 'A booking with its history, payments, refunds and ledger (C9)',
      params: IdParams,
      handle: ({ params, actor }) => views.get(params.id, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/cancel',
      errors: {
        403: ['not_your_booking', 'booking_not_proven'],
        409: ['illegal_transition', 'already_started', 'fee_changed', 'door_opening'],
      },
      tag: 'bookings',
      summary:
        'Cancel; a paid booking is refunded less the fee the rules set, shown beforehand as ifNow.cancel (C9)',
      params: IdParams,
      body: CancelSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) =>
          bookings.cancel(params.id, actor, body.reason ?? null, afterCommit, body.expectedFee),
        ),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/change',
      errors: {
        409: [
          'illegal_transition',
          'changes_not_allowed',
          'too_many_changes',
          'change_too_late',
          'slot_taken',
          'difference_due',
          'fee_changed',
          'door_opening',
        ],
        422: [...SPAN_RULES, 'method_switched_off'],
      },
      tag: 'bookings',
      summary:
        'Move to another time or room within the rules, re-priced (C9); a dearer change of a paid booking takes the difference in cash, unless the owner switched cash off at the counter',
      params: IdParams,
      body: ChangeSchema,
      handle: ({ params, body, actor, write }) => {
        // Cash switched off at the counter takes no difference either: a dearer change is refused
        // naming the switch, a change that costs nothing more goes ahead.
        const cashOff = body.collect === 'cash' && !channelSwitches.isOn('counter', 'cash');
        const { collect: _collect, ...noCash } = body;
        return write((afterCommit) => {
          try {
            return bookings.change(params.id, cashOff ? noCash : body, actor, afterCommit);
          } catch (e) {
            if (cashOff && e instanceof DomainError && e.code === 'difference_due') {
              channelSwitches.assertOn('counter', 'cash');
            }
            throw e;
          }
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund',
      errors: {
        409: ['illegal_transition', 'nothing_to_refund', 'refund_in_progress'],
        422: ['refund_exceeds_paid'],
      },
      tag: 'refunds',
      summary: 'Ask for a refund; staff review it (C9, S3)',
      params: IdParams,
      body: RefundRequestSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => refundReview.request(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/approve',
      tag: 'refunds',
      summary: 'Staff approve a refund; the money goes back through the original channel (S3)',
      params: IdParams,
      body: RefundApproveSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => refundReview.approve(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/reject',
      tag: 'refunds',
      summary: 'Staff refuse a refund; the booking returns to where it was (S3)',
      params: IdParams,
      body: RefundRejectSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => refundReview.reject(params.id, body, actor, afterCommit)),
    }),
  ];
}
