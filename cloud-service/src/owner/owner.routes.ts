// The owner's remote view: one store's day board, orders, revenue, devices, device schedules and
// sync freshness, for a signed-in owner who runs that store; and the changes the owner makes to
// the store itself, its rooms, calendar and devices, each an owner intent the store's hub answers:
// 200 done (201 for a schedule added), 202 waiting (store offline), 409 rejected (or another
// change still under way), 410 expired. The store's business from afar (menu and stock,
// campaigns, deals, members, staff, invoices) is in owner-business.routes.ts.
import {
  CalendarPutSchema,
  CalendarRangeQuerySchema,
  DateQuerySchema,
  DeviceOverrideSchema,
  DeviceScheduleInputSchema,
  OwnerAuditQuerySchema,
  OwnerDateParamsSchema,
  OwnerDeviceParamsSchema,
  OwnerIntentParamsSchema,
  OwnerOrdersQuerySchema,
  OwnerRoomParamsSchema,
  OwnerScheduleParamsSchema,
  OwnerStatsExportQuerySchema,
  OwnerStatsQuerySchema,
  OwnerStoreParamsSchema,
  OwnerStoreProfileSchema,
  RevenueQuerySchema,
  RoomPatchSchema,
  StorePatchSchema,
} from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { OwnerIntents } from './owner-intents';
import type { OwnerView } from './owner-view';

export function ownerRoutes(view: OwnerView, changes: OwnerIntents): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/board',
      tag: 'owner',
      access: 'owner',
      summary: "A day's board: each active room's segments, bookings and session under way",
      params: OwnerStoreParamsSchema,
      query: DateQuerySchema,
      handle: ({ params, query, caller }) => view.board(caller, params.storeId, query.date),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/orders',
      tag: 'owner',
      access: 'owner',
      summary: 'Orders newest start first: a page at a time (limit, before) or a whole day (date)',
      params: OwnerStoreParamsSchema,
      query: OwnerOrdersQuerySchema,
      handle: ({ params, query, caller }) => view.orders(caller, params.storeId, query),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/revenue',
      tag: 'owner',
      access: 'owner',
      summary: 'The ledger summed by local day, kind and payment method',
      params: OwnerStoreParamsSchema,
      query: RevenueQuerySchema,
      handle: ({ params, query, caller }) =>
        view.revenue(caller, params.storeId, query.from, query.to),
    }),
    route({
      method: 'get',
      path: '/api/owner/stats',
      tag: 'owner',
      access: 'owner',
      summary:
        "The statistics of a range of store days (today, yesterday, 7d, 30d or custom from-to) as the store's hub counts them, for one of the owner's stores or all of them added up (storeId=all), with a line per store and energy per room",
      query: OwnerStatsQuerySchema,
      handle: ({ query, caller }) => view.stats.view(caller, query),
    }),
    route({
      method: 'get',
      path: '/api/owner/stats/export.csv',
      tag: 'owner',
      access: 'owner',
      summary:
        'One statistics table as CSV (UTF-8 with BOM, zh-CN header, money in yuan), of one store or all',
      query: OwnerStatsExportQuerySchema,
      handle: async ({ query, caller, res }) => {
        const { csv, filename } = await view.stats.exportCsv(caller, query);
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('content-disposition', `attachment; filename="${filename}"`)
          .send(csv);
      },
    }),
    route({
      method: 'get',
      path: '/api/owner/wallet/owed',
      tag: 'owner',
      access: 'owner',
      summary:
        'The stored value each of the owner’s stores owes its customers (principal and bonus apart) and the total',
      handle: ({ caller }) => view.walletOwed(caller),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/devices',
      tag: 'owner',
      access: 'owner',
      summary: "Each device's health as the hub last reported it",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.devices(caller, params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/sync',
      tag: 'owner',
      access: 'owner',
      summary: "How fresh the store's data is, and the customers' intents it has not answered",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.sync(caller, params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/audit',
      tag: 'owner',
      access: 'owner',
      summary:
        'One day of the store’s audit log (`date`, today in the store’s time when absent), newest first: who did what, to what, and whether the hub let them, as the hub last published it (what an action changed is read at the store)',
      params: OwnerStoreParamsSchema,
      query: OwnerAuditQuerySchema,
      handle: ({ params, query, caller }) => view.audit(caller, params.storeId, query.date),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/profile',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store, its booking rules, its rooms with their price plans and its calendar overrides, as the hub last published them (O1-O4)',
      params: OwnerStoreParamsSchema,
      handle: async ({ params, caller }) =>
        OwnerStoreProfileSchema.parse(await view.profile(caller, params.storeId)),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/calendar',
      tag: 'owner',
      access: 'owner',
      summary:
        "Each day's type for the store's prices, from..to: the owner's override as the hub last published it, else the official calendar",
      params: OwnerStoreParamsSchema,
      query: CalendarRangeQuerySchema,
      handle: ({ params, query, caller }) =>
        view.calendar(caller, params.storeId, query.from, query.to),
    }),
    route({
      method: 'patch',
      path: '/api/owner/stores/:storeId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: 'Edit the store and its booking rules; the store makes the change (O1, O4)',
      params: OwnerStoreParamsSchema,
      body: StorePatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await changes.patchStore(caller, params.storeId, body, idempotencyKey), 200),
    }),
    route({
      method: 'patch',
      path: '/api/owner/stores/:storeId/rooms/:roomId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Edit a room (its price plan, its rules) or retire it; the store makes the change (O2)',
      params: OwnerRoomParamsSchema,
      body: RoomPatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.patchRoom(caller, params.storeId, params.roomId, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/calendar/:date',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: "Override a day's type for the store's prices; wins over the official calendar",
      params: OwnerDateParamsSchema,
      body: CalendarPutSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.setDay(caller, params.storeId, params.date, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'delete',
      path: '/api/owner/stores/:storeId/calendar/:date',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: "Remove a day's override; the official calendar applies again",
      params: OwnerDateParamsSchema,
      handle: async ({ params, caller, idempotencyKey }) =>
        intentReply(
          await changes.removeDay(caller, params.storeId, params.date, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/devices/:deviceId/override',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: 'Switch a device by hand, or give it back to the sessions, with a reason (O8)',
      params: OwnerDeviceParamsSchema,
      body: DeviceOverrideSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.overrideDevice(
            caller,
            params.storeId,
            params.deviceId,
            body,
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/device-schedules',
      tag: 'owner',
      access: 'owner',
      summary: "The store's device schedules as the hub last published them (O8)",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.deviceSchedules(caller, params.storeId),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/device-schedules',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: 'Add a device schedule for one room or every room; the store makes the change (O8)',
      params: OwnerStoreParamsSchema,
      body: DeviceScheduleInputSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await changes.addSchedule(caller, params.storeId, body, idempotencyKey), 201),
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/device-schedules/:scheduleId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: 'Change a device schedule whole; the store makes the change (O8)',
      params: OwnerScheduleParamsSchema,
      body: DeviceScheduleInputSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.changeSchedule(
            caller,
            params.storeId,
            params.scheduleId,
            body,
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'delete',
      path: '/api/owner/stores/:storeId/device-schedules/:scheduleId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: 'Remove a device schedule; the store makes the change (O8)',
      params: OwnerScheduleParamsSchema,
      handle: async ({ params, caller, idempotencyKey }) =>
        intentReply(
          await changes.removeSchedule(caller, params.storeId, params.scheduleId, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/intents/:intentId',
      tag: 'owner',
      access: 'owner',
      summary: "How one of the owner's changes to the store fared: waiting, done, rejected...",
      params: OwnerIntentParamsSchema,
      handle: ({ params, caller }) => changes.intent(caller, params.storeId, params.intentId),
    }),
  ];
}
