// The owner's remote view: one store's day board, orders, revenue, devices, device schedules and
// sync freshness, for a signed-in owner who runs that store; and the changes the owner makes to it,
// each an owner intent the store's hub answers: 200 done (201 for a schedule added), 202 waiting
// (store offline), 409 rejected (or another change still under way), 410 expired.
import {
  CalendarPutSchema,
  CampaignCreateSchema,
  DealInputSchema,
  MenuItemInputSchema,
  MemberSettingsPutSchema,
  CouponIssueSchema,
  RemoteDealPatchSchema,
  OwnerStaffParamsSchema,
  RemoteStaffPatchSchema,
  StockMoveInputSchema,
  CalendarRangeQuerySchema,
  DateQuerySchema,
  DeviceOverrideSchema,
  DeviceScheduleInputSchema,
  OwnerDateParamsSchema,
  OwnerDeviceParamsSchema,
  OwnerCampaignParamsSchema,
  OwnerDealParamsSchema,
  InvoiceIssueQuerySchema,
  InvoiceRejectSchema,
  INVOICE_PDF_MAX_BYTES,
  OWNER_INVOICE_ISSUE_PATH,
  OwnerIntentParamsSchema,
  OwnerInvoiceParamsSchema,
  OwnerItemParamsSchema,
  OwnerOrdersQuerySchema,
  OwnerRoomParamsSchema,
  OwnerScheduleParamsSchema,
  OwnerStatsExportQuerySchema,
  OwnerStatsQuerySchema,
  OwnerAuditQuerySchema,
  OwnerStoreParamsSchema,
  OwnerStoreProfileSchema,
  RemoteCampaignStatusBodySchema,
  RemoteDealStatusBodySchema,
  RemoteMenuItemPatchSchema,
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
      path: '/api/owner/stores/:storeId/members',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store’s members counted by level, the points and stored value they hold, and how each campaign’s coupons went, as the hub last published them (read-only)',
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.members(caller, params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/products',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store’s tea and snacks with their prices, whether each can be ordered now and what is on the shelf, and the items running low, as the hub last published them',
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.products(caller, params.storeId),
    }),
    route({
      method: 'patch',
      path: '/api/owner/stores/:storeId/menu/items/:itemId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Reprice an item of the menu, switch it off or on, or set its low-stock threshold; the store makes the change (O5)',
      params: OwnerItemParamsSchema,
      body: RemoteMenuItemPatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.patchMenuItem(caller, params.storeId, params.itemId, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/campaigns/:campaignId/status',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Pause, resume or end a campaign (active, paused, ended); the store makes the change (O7)',
      params: OwnerCampaignParamsSchema,
      body: RemoteCampaignStatusBodySchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.setCampaignStatus(
            caller,
            params.storeId,
            params.campaignId,
            body.status,
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'patch',
      path: '/api/owner/stores/:storeId/deals/:dealId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        "Change a deal's terms (title, what a voucher buys, price, limits, stock, refund rules); vouchers already sold keep what they bought; the store makes the change (O8)",
      params: OwnerDealParamsSchema,
      body: RemoteDealPatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.patchDeal(caller, params.storeId, params.dealId, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/deals/:dealId/status',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Put a deal on sale or take it off (on_sale, off_sale); vouchers already sold keep what they bought; the store makes the change (O8)',
      params: OwnerDealParamsSchema,
      body: RemoteDealStatusBodySchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.setDealStatus(
            caller,
            params.storeId,
            params.dealId,
            body.status,
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/invoices/:requestId/reject',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Turn a customer’s invoice request down, saying why (the customer is told and may ask again); the store makes the change (O11)',
      params: OwnerInvoiceParamsSchema,
      body: InvoiceRejectSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.rejectInvoice(
            caller,
            params.storeId,
            params.requestId,
            body.reason,
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/menu/items',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Add an item to the store’s menu: its category, name, price in fen, specs, whether its stock is counted; the store checks it as at its dashboard (O4)',
      params: OwnerStoreParamsSchema,
      body: MenuItemInputSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.createMenuItem(caller, params.storeId, body, idempotencyKey),
          201,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/menu/items/:itemId/stock',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Record goods received, thrown away (with why) or the figure found by counting, for an item whose stock the store counts; the store’s stock ledger makes the move (O4)',
      params: OwnerItemParamsSchema,
      body: StockMoveInputSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.moveStock(caller, params.storeId, params.itemId, body, idempotencyKey),
          201,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/deals',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Make a deal at the store, or map a Meituan / Douyin deal to what it buys; the store checks it as at its dashboard (O7)',
      params: OwnerStoreParamsSchema,
      body: DealInputSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await changes.createDeal(caller, params.storeId, body, idempotencyKey), 201),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/staff',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store’s staff (names, roles, enabled or not; never a PIN), as its hub last published them',
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.staff(caller, params.storeId),
    }),
    route({
      method: 'patch',
      path: '/api/owner/stores/:storeId/staff/:staffId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Disable a staff member (every sign-in of theirs ends at once) or enable them; the store checks it by its own rules, the last owner staying (O9)',
      params: OwnerStaffParamsSchema,
      body: RemoteStaffPatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.patchStaff(caller, params.storeId, params.staffId, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/member-settings',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store’s member levels (each with how many hold it) and points rules, as its hub last published them',
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.memberSettings(caller, params.storeId),
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/member-settings',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Change the member levels and the points rules together; the store applies both in one write, members moving to what they reach (O6)',
      params: OwnerStoreParamsSchema,
      body: MemberSettingsPutSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.putMemberSettings(caller, params.storeId, body, idempotencyKey),
          200,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/campaigns/:campaignId/coupons',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        "Give a campaign's coupon by hand to the phones typed (at most 200), by the campaign's limits: to all of them or none; the store makes the change (O7)",
      params: OwnerCampaignParamsSchema,
      body: CouponIssueSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.giveCoupons(
            caller,
            params.storeId,
            params.campaignId,
            body,
            idempotencyKey,
          ),
          201,
        ),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/campaigns',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        'Start a campaign at the store: its coupon, who gets it, claim and use windows, limits; the store checks it as at its dashboard (O5)',
      params: OwnerStoreParamsSchema,
      body: CampaignCreateSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.createCampaign(caller, params.storeId, body, idempotencyKey),
          201,
        ),
    }),
    route({
      method: 'post',
      path: OWNER_INVOICE_ISSUE_PATH,
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary: `Issue a customer’s invoice: the body is the PDF the tax system produced (Content-Type application/pdf, at most ${INVOICE_PDF_MAX_BYTES / (1024 * 1024)} MB), the query its number and date; the store keeps the PDF and the customer downloads it from the order (O11)`,
      params: OwnerInvoiceParamsSchema,
      query: InvoiceIssueQuerySchema,
      handle: async ({ params, query, caller, idempotencyKey, req }) =>
        intentReply(
          await changes.issueInvoice(
            caller,
            params.storeId,
            params.requestId,
            query,
            {
              type: req.get('content-type'),
              bytes: Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0),
            },
            idempotencyKey,
          ),
          200,
        ),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/invoices',
      tag: 'owner',
      access: 'owner',
      summary:
        'The store’s invoice requests, newest first, with how many wait to be issued, as the hub last published them (read-only)',
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.invoices(caller, params.storeId),
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
