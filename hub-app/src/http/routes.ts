// Every route of the hub's API in one table. Express routes and the OpenAPI document are both
// generated from it, so the documentation cannot drift from what the hub accepts.
import { z } from 'zod';
import type { Actor } from '@roomhub/shared-types';
import { route, type RouteDef } from './route';
import {
  BookingCreateSchema,
  BookingListQuerySchema,
  CalendarPutSchema,
  CalendarRangeQuerySchema,
  CancelSchema,
  DeviceOverrideSchema,
  DoorCodeSchema,
  ExtendSchema,
  StaffDoorSchema,
  ChangeSchema,
  DateQuerySchema,
  LocalDateSchema,
  PaymentCreateSchema,
  QuoteRequestSchema,
  RefundApproveSchema,
  RefundRejectSchema,
  RefundRequestSchema,
  RoomInputSchema,
  RoomPatchSchema,
  StorePatchSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import { DomainError } from '@roomhub/shared-types';
import { ANONYMOUS } from './actor';
import { assertCanAct } from '../booking/booking-records';
import { backupDatabase } from '../backup/backup';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const DateParams = z.object({ date: LocalDateSchema });
const RoomListQuery = z.object({ includeRetired: z.enum(['true', 'false']).optional() });

export function routes(
  hub: Hub,
  scanners: () => ScannerStatus[] = () => [],
  sync: () => unknown = () => null,
): RouteDef[] {
  const { bookings, store, calendar, writes, payments, sessions } = hub;
  return [
    route({
      method: 'get',
      path: '/api/health',
      tag: 'hub',
      access: 'anyone',
      summary: 'Liveness and basic facts about this hub',
      handle: () => ({
        status: 'ok',
        time: new Date(hub.clock.now()).toISOString(),
        store: store.hasStore() ? store.getStore().name : null,
        scheduledJobs: hub.scheduler.pending().length,
        devices: hub.sessions.devices
          ? hub.sessions.devices.health().buses
          : 'no devices configured',
        scanners: scanners(),
        sync: sync() ?? 'cloud sync is off',
      }),
    }),
    route({
      method: 'get',
      path: '/api/sync',
      tag: 'hub',
      access: 'anyone',
      summary: 'Cloud sync: online / offline, last sync, pending out and in, lag (H2)',
      handle: () => sync() ?? { state: 'off', outbox: hub.outbox.pending() },
    }),
    route({
      method: 'get',
      path: '/api/store',
      tag: 'store',
      access: 'anyone',
      summary: 'The store (O1)',
      handle: () => store.getStore(),
    }),
    route({
      method: 'patch',
      path: '/api/store',
      tag: 'store',
      summary: 'Edit the store and its booking rules (O1, O4)',
      access: 'staff',
      body: StorePatchSchema,
      handle: ({ body }) =>
        writes.run(() => {
          hub.outbox.markStoreProfile();
          return store.patchStore(body);
        }),
    }),
    route({
      method: 'get',
      path: '/api/rooms',
      tag: 'rooms',
      access: 'anyone',
      summary: 'Rooms; retired ones with includeRetired=true (O2)',
      query: RoomListQuery,
      handle: ({ query }) => store.listRooms({ includeRetired: query.includeRetired === 'true' }),
    }),
    route({
      method: 'post',
      path: '/api/rooms',
      tag: 'rooms',
      summary: 'Create a room (O2)',
      access: 'staff',
      status: 201,
      body: RoomInputSchema,
      handle: ({ body }) =>
        writes.run((afterCommit) => {
          const room = store.createRoom(body);
          hub.outbox.markRoomProfile(room.id);
          afterCommit(() =>
            hub.events.emit({ type: 'room.changed', roomId: room.id, at: hub.clock.now() }),
          );
          return room;
        }),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id',
      tag: 'rooms',
      access: 'anyone',
      summary: 'One room',
      params: IdParams,
      handle: ({ params }) => store.getRoom(params.id, 'id'),
    }),
    route({
      method: 'patch',
      path: '/api/rooms/:id',
      tag: 'rooms',
      summary: 'Edit or retire a room (O2)',
      access: 'staff',
      params: IdParams,
      body: RoomPatchSchema,
      handle: ({ params, body }) =>
        writes.run((afterCommit) => {
          if (body.status === 'retired') bookings.assertRoomCanRetire(params.id);
          const room = store.patchRoom(params.id, body);
          hub.outbox.markRoomProfile(room.id);
          afterCommit(() =>
            hub.events.emit({ type: 'room.changed', roomId: room.id, at: hub.clock.now() }),
          );
          return room;
        }),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id/availability',
      tag: 'availability',
      access: 'anyone',
      summary: "A room's day as free / held / booked / in use / cleaning segments (C3)",
      params: IdParams,
      query: DateQuerySchema,
      handle: ({ params, query }) => bookings.availability(params.id, query.date),
    }),
    route({
      method: 'get',
      path: '/api/board',
      tag: 'availability',
      access: 'anyone',
      summary: 'Every active room through a day (S1)',
      query: DateQuerySchema,
      handle: ({ query }) => bookings.board(query.date),
    }),
    route({
      method: 'get',
      path: '/api/calendar',
      tag: 'calendar',
      access: 'anyone',
      summary: 'Day types (workday / weekend / holiday) with their source',
      query: CalendarRangeQuerySchema,
      handle: ({ query }) => calendar.list(query.from, query.to),
    }),
    route({
      method: 'put',
      path: '/api/calendar/:date',
      tag: 'calendar',
      summary: "Override a day's type; wins over the official calendar",
      access: 'staff',
      params: DateParams,
      body: CalendarPutSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => {
          const day = calendar.set(params.date, body.type, body.note ?? null, actor.id);
          hub.outbox.markStoreProfile();
          afterCommit(() =>
            hub.events.emit({ type: 'calendar.changed', date: params.date, at: hub.clock.now() }),
          );
          return day;
        }),
    }),
    route({
      method: 'delete',
      path: '/api/calendar/:date',
      tag: 'calendar',
      summary: 'Remove an override; the official calendar applies again',
      access: 'staff',
      params: DateParams,
      handle: ({ params }) =>
        writes.run(() => {
          hub.outbox.markStoreProfile();
          return calendar.remove(params.date);
        }),
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
      summary: 'Bookings by status, date, room or phone (C9, S3)',
      query: BookingListQuerySchema,
      // Staff and the kiosk see every booking; a customer sees their own; nobody else sees phones.
      handle: ({ query, actor }) => {
        if (actor.kind !== 'customer' || actor.id.startsWith('kiosk:')) return bookings.list(query);
        if (actor.id === ANONYMOUS) {
          throw new DomainError(
            'forbidden',
            'sign_in_required',
            'say who you are to list bookings',
          );
        }
        return bookings.list({ ...query, phone: actor.id });
      },
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id',
      tag: 'bookings',
      access: 'anyone',
      summary: 'A booking with its history, payments, refunds and ledger (C9)',
      params: IdParams,
      handle: ({ params, actor }) => {
        assertCanAct(hub.records.get(params.id), actor, { readOnly: true });
        return bookings.get(params.id);
      },
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/payments',
      tag: 'payments',
      access: 'anyone',
      summary: 'Pay what is due: cash (staff) or the simulated online channel (C5)',
      status: 201,
      params: IdParams,
      body: PaymentCreateSchema,
      handle: ({ params, body, actor }) =>
        body.method === 'cash'
          ? writes.run((afterCommit) => payments.payCash(params.id, actor, afterCommit))
          : payments.startOnline(params.id, body.method, actor),
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
        writes.run((afterCommit) => bookings.requestRefund(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/approve',
      tag: 'refunds',
      summary: 'Staff approve a refund; the money goes back through the original channel (S3)',
      access: 'staff',
      params: IdParams,
      body: RefundApproveSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => bookings.approveRefund(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/refund/reject',
      tag: 'refunds',
      summary: 'Staff refuse a refund; the booking returns to where it was (S3)',
      access: 'staff',
      params: IdParams,
      body: RefundRejectSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => bookings.rejectRefund(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/door',
      tag: 'sessions',
      access: 'anyone',
      summary:
        'Open the door of a paid booking inside its window; the first open starts the session (C6)',
      params: IdParams,
      handle: ({ params, actor }) => sessions.openForBooking(params.id, actor),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id/door-code',
      tag: 'sessions',
      access: 'anyone',
      summary: "The booking's current offline door code and its QR payload (C6)",
      params: IdParams,
      handle: ({ params, actor }) => sessions.doorCode(params.id, actor),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/extend',
      tag: 'sessions',
      access: 'anyone',
      summary: 'Extend the end when the room is free; the added time is held until paid (C7)',
      status: 201,
      params: IdParams,
      body: ExtendSchema,
      handle: ({ params, body, actor }) =>
        writes.run((afterCommit) => sessions.extend(params.id, body.minutes, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/bookings/:id/finish',
      tag: 'sessions',
      access: 'anyone',
      summary: 'End the session now: early frees the room, late bills overtime (O4)',
      params: IdParams,
      handle: ({ params, actor }) =>
        writes.run((afterCommit) => {
          sessions.finish(params.id, actor, afterCommit);
          return bookings.get(params.id);
        }),
    }),
    route({
      method: 'get',
      path: '/api/bookings/:id/notifications',
      tag: 'sessions',
      access: 'anyone',
      summary: 'Reminders sent for a booking (C7)',
      params: IdParams,
      handle: ({ params }) => {
        hub.records.get(params.id);
        return sessions.notifications(params.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/sessions',
      tag: 'sessions',
      access: 'anyone',
      summary: 'Sessions going on now, with time left and live overtime',
      handle: () => sessions.active(),
    }),
    route({
      method: 'post',
      path: '/api/rooms/:id/door/code',
      tag: 'sessions',
      access: 'anyone',
      summary: 'A code from the keypad or a QR from the door scanner, checked offline (C6)',
      params: IdParams,
      body: DoorCodeSchema,
      handle: ({ params, body, actor }) => sessions.openWithCode(params.id, body, actor),
    }),
    route({
      method: 'post',
      path: '/api/rooms/:id/door/open',
      tag: 'devices',
      summary: 'Staff open a door by hand, with a reason (S4)',
      access: 'staff',
      params: IdParams,
      body: StaffDoorSchema,
      handle: ({ params, body, actor }) => sessions.openByStaff(params.id, body.reason, actor),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id/door/log',
      tag: 'devices',
      summary: "Who opened a room's door, or was refused, and how",
      access: 'staff',
      params: IdParams,
      handle: ({ params }) => {
        store.getRoom(params.id, 'id');
        return sessions.doorLog(params.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/devices',
      tag: 'devices',
      access: 'anyone',
      summary: 'Every device: what it should do, what it confirmed, and bus health (O8)',
      handle: () => ({
        devices: sessions.devices?.states() ?? [],
        health: sessions.devices?.health() ?? { buses: [], devices: [] },
      }),
    }),
    route({
      method: 'post',
      path: '/api/devices/:id/override',
      tag: 'devices',
      summary: 'Staff switch a device by hand, or give it back to the sessions, with a reason (S4)',
      access: 'staff',
      params: IdParams,
      body: DeviceOverrideSchema,
      handle: ({ params, body, actor }) =>
        sessions.override(params.id, body.on, body.reason, actor),
    }),
    route({
      method: 'post',
      path: '/api/backups',
      tag: 'hub',
      summary: 'Write a consistent copy of the database while the hub runs (H4)',
      access: 'staff',
      status: 201,
      handle: async () => backupDatabase(hub.db, hub.dataDir, hub.clock.now()),
    }),
  ];
}

export function staffOnly(actor: Actor): void {
  if (actor.kind !== 'staff')
    throw new DomainError('forbidden', 'staff_only', 'only store staff may do this');
}
