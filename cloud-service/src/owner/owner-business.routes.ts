// The store's business seen and changed from afar, for a signed-in owner who runs that store: its
// members and products as the hub published them, and the changes to its menu and stock,
// campaigns and their coupons, deals, member levels and points rules, staff and customers'
// invoices, each an owner intent the store's hub answers as at its dashboard: 200 done (201 for
// something made), 202 waiting (store offline), 409 rejected (or another change still under way),
// 410 expired.
import {
  CampaignCreateSchema,
  CouponIssueSchema,
  DealInputSchema,
  INVOICE_PDF_MAX_BYTES,
  InvoiceIssueQuerySchema,
  InvoiceRejectSchema,
  MemberSettingsPutSchema,
  MenuItemInputSchema,
  OWNER_INVOICE_ISSUE_PATH,
  OwnerCampaignParamsSchema,
  OwnerDealParamsSchema,
  OwnerInvoiceParamsSchema,
  OwnerItemParamsSchema,
  OwnerStaffParamsSchema,
  OwnerStoreParamsSchema,
  RemoteCampaignStatusBodySchema,
  RemoteDealPatchSchema,
  RemoteCampaignPatchSchema,
  RemoteDealStatusBodySchema,
  RemoteMenuItemPatchSchema,
  RemoteStaffPatchSchema,
  StockMoveInputSchema,
} from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { OwnerIntents } from './owner-intents';
import type { OwnerView } from './owner-view';

export function ownerBusinessRoutes(view: OwnerView, changes: OwnerIntents): RouteDef[] {
  return [
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
      path: '/api/owner/stores/:storeId/campaigns/:campaignId',
      tag: 'owner',
      access: 'owner',
      idempotent: true,
      summary:
        "Change a campaign's claim end, its total number of coupons (never below those given out; null: no limit) or its name; coupons already given keep theirs; the store makes the change (O7)",
      params: OwnerCampaignParamsSchema,
      body: RemoteCampaignPatchSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await changes.patchCampaign(
            caller,
            params.storeId,
            params.campaignId,
            body,
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
  ];
}
