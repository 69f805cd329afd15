// Our own deals online: a store's deals on sale and one deal (anyone), buying one, sharing one and
// "my vouchers" with their refunds (a signed-in customer), a share link's QR code (anyone), and
// the store's deals as its hub published them (its owner, read only). A refund's answer sets the
// status: 200 refunded, 202 while the store has not answered (offline: it answers when back), 409
// when it said no.
import {
  DealParamsSchema,
  MyVoucherParamsSchema,
  OwnerStoreParamsSchema,
  PurchaseBodySchema,
  SharedDealQuerySchema,
  StoreParamsSchema,
  type VoucherRefundRefusal,
} from '@roomhub/shared-types';
import { Reply, route, type RouteDef } from '../http/route';
import type { DealSales } from './deal-sales';
import type { DealShares } from './deal-shares';
import type { SharePreviews } from './share-preview';

export function dealRoutes(
  deals: DealSales,
  shares: DealShares,
  previews: SharePreviews,
): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/stores/:storeId/deals',
      tag: 'deals',
      access: 'anyone',
      summary: "A store's group-buy deals on sale: price, what a voucher buys, group, stock left",
      params: StoreParamsSchema,
      handle: async ({ params }) => ({ deals: await deals.storeDeals(params.storeId) }),
    }),
    route({
      method: 'get',
      path: '/api/deals/:dealId',
      tag: 'deals',
      access: 'anyone',
      summary: 'One deal on sale',
      params: DealParamsSchema,
      handle: ({ params }) => deals.deal(params.dealId),
    }),
    route({
      method: 'post',
      path: '/api/deals/:dealId/shares',
      tag: 'deals',
      access: 'customer',
      summary:
        "Share a deal on sale: my share link's path (the same each time), which opens the deal for anyone and credits me when a friend buys it or joins the store through it",
      status: 201,
      params: DealParamsSchema,
      handle: ({ params, caller }) => shares.share(caller, params.dealId),
    }),
    route({
      method: 'get',
      path: '/api/deals/:dealId/share-qr.png',
      tag: 'deals',
      access: 'anyone',
      summary:
        "A deal's share link as a QR code (PNG) in the store's colour: the picture of a link preview when the deal has no photo",
      params: DealParamsSchema,
      query: SharedDealQuerySchema,
      handle: async ({ params, query, req, res }) => {
        const png = await previews.qrPng(req, params.dealId, query.share);
        res.type('png').set('cache-control', 'public, max-age=3600').send(png);
      },
    }),
    route({
      method: 'post',
      path: '/api/deals/:dealId/purchases',
      tag: 'deals',
      access: 'customer',
      idempotent: true,
      summary:
        'Buy a voucher of a deal, paid now: 201 with the voucher, or the group it waits in (a group that does not fill by its deadline refunds everyone)',
      status: 201,
      params: DealParamsSchema,
      body: PurchaseBodySchema,
      errors: {
        409: ['deal_not_on_sale', 'deal_not_ours', 'deal_sold_out', 'deal_limit_reached'],
        503: ['gateway_unavailable'],
      },
      handle: ({ params, body, caller, idempotencyKey }) =>
        deals.buy(caller, params.dealId, body, idempotencyKey),
    }),
    route({
      method: 'get',
      path: '/api/me/vouchers',
      tag: 'deals',
      access: 'customer',
      summary:
        'My vouchers: rules, validity, state (valid, used, refunded, expired) and QR; purchases still waiting for their group',
      handle: ({ caller }) => deals.myVouchers(caller),
    }),
    route({
      method: 'post',
      path: '/api/me/vouchers/:voucherId/refund',
      tag: 'deals',
      access: 'customer',
      summary:
        'Refund an unused voucher (随时退): 200 refunded, 202 waiting for the store (offline), 409 refused (used)',
      params: MyVoucherParamsSchema,
      errors: { 409: ['voucher_not_refundable', 'voucher_refund_refused'] },
      handle: async ({ params, caller }) => {
        const { voucher, state } = await deals.refund(caller, params.voucherId);
        if (state === 'asked') return new Reply(202, voucher);
        if (state === 'rejected') {
          const message = voucher.refund?.reason ?? 'the store did not refund it';
          const body: VoucherRefundRefusal = {
            error: { code: 'voucher_refund_refused', message },
            ...voucher,
          };
          return new Reply(409, body);
        }
        return voucher;
      },
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/deals',
      tag: 'owner',
      access: 'owner',
      summary: "The store's deals as its hub published them, every status (read only)",
      params: OwnerStoreParamsSchema,
      handle: async ({ params, caller }) => ({
        deals: await deals.ownerDeals(caller, params.storeId),
      }),
    }),
  ];
}
