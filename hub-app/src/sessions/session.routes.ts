// The session in the room over HTTP (C6, C7, O4, S4): doors by phone, code, QR or staff, the door
// code to show, extensions, the end of a session, reminders and the sessions going on now.
import {
  DoorCodeSchema,
  ExtendSchema,
  KioskProveSchema,
  StaffDoorSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function sessionRoutes({ doors, sessions, extensions }: Hub): RouteEntry[] {
  return [
    route({
      method: 'post',
      path: '/api/kiosk/prove',
      errors: { 403: ['kiosk_only', 'wrong_code'], 429: ['door_locked_out'] },
      tag: 'sessions',
      summary:
        'Prove a booking at the kiosk with its QR, or its code and booking number; the kiosk gets a pass to act on it',
      body: KioskProveSchema,
      handle: ({ body, actor }) => doors.prove(body, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/door',
      errors: {
        403: ['not_paid', 'payment_due', 'too_early', 'booking_over', 'session_ended'],
        503: ['no_lock', 'door_failed'],
      },
      tag: 'sessions',
      summary:
        'Open the door of a paid booking inside its window; the first open starts the session (C6)',
      params: IdParams,
      handle: ({ params, actor }) => doors.openForBooking(params.id, actor),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id/door-code',
      errors: { 409: ['no_door_code'] },
      tag: 'sessions',
      summary: "The booking's current offline door code and its QR payload (C6)",
      params: IdParams,
      handle: ({ params, actor }) => doors.doorCode(params.id, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/extend',
      errors: {
        409: ['illegal_transition', 'payment_due', 'booking_over', 'slot_taken'],
        422: ['off_step', 'too_long'],
      },
      tag: 'sessions',
      summary: 'Extend the end when the room is free; the added time is held until paid (C7)',
      status: 201,
      params: IdParams,
      body: ExtendSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => extensions.extend(params.id, body.minutes, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/finish',
      errors: { 409: ['illegal_transition'] },
      tag: 'sessions',
      summary: 'End the session now: early frees the room, late bills overtime (O4)',
      params: IdParams,
      handle: ({ params, actor, write }) =>
        write((afterCommit) => sessions.finish(params.id, actor, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id/notifications',
      tag: 'sessions',
      summary: 'Reminders sent for a booking (C7)',
      params: IdParams,
      handle: ({ params }) => sessions.notifications(params.id),
    }),
    route({
      method: 'get',
      path: '/api/sessions',
      tag: 'sessions',
      summary: 'Sessions going on now, with time left and live overtime',
      handle: () => sessions.active(),
    }),
    route({
      method: 'post',
      path: '/api/rooms/:id/door/code',
      errors: {
        403: [
          'wrong_code',
          'not_paid',
          'payment_due',
          'too_early',
          'booking_over',
          'session_ended',
        ],
        429: ['door_locked_out'],
        503: ['no_lock', 'door_failed'],
      },
      tag: 'sessions',
      summary: 'A code from the keypad or a QR from the door scanner, checked offline (C6)',
      params: IdParams,
      body: DoorCodeSchema,
      handle: ({ params, body, actor }) => doors.openWithCode(params.id, body, actor),
    }),
    route({
      method: 'post',
      path: '/api/rooms/:id/door/open',
      errors: { 503: ['no_lock', 'door_failed'] },
      tag: 'devices',
      summary: 'Staff open a door by hand, with a reason (S4)',
      params: IdParams,
      body: StaffDoorSchema,
      handle: ({ params, body, actor }) => doors.openByStaff(params.id, body.reason, actor),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id/door/log',
      tag: 'devices',
      summary: "Who opened a room's door, or was refused, and how",
      params: IdParams,
      handle: ({ params }) => doors.doorLog(params.id),
    }),
  ];
}
