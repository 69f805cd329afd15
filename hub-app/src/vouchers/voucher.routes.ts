// Deals and vouchers over HTTP (C12, O7, S2): the owner's deals, a voucher sold at the counter,
// and redemption at the counter and the kiosk: prepare, redeem, undo, the day's list and the
// figures per deal and source. A route parses, calls one service (inside a write when it changes
// something), answers.
import { z } from 'zod';
import {
  DealInputSchema,
  DealPatchSchema,
  DealSourceSchema,
  DealStatusSchema,
  ReconciliationQuerySchema,
  RedemptionListQuerySchema,
  RedemptionStatsQuerySchema,
  RedemptionUndoSchema,
  VoucherPrepareSchema,
  VoucherRedeemSchema,
  VoucherSaleSchema,
  VoucherSettingsSchema,
  MobileSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

/** What a voucher's rules refuse a use with (shared-types vouchers/deal-rules.ts). */
const USE_RULES = [
  'voucher_wrong_room',
  'voucher_wrong_day',
  'voucher_not_yet',
  'voucher_outside_hours',
  'voucher_party_too_big',
  'voucher_wrong_package',
  // the booking's coupon or promotion says it goes with no voucher
  'voucher_not_with_coupon',
  'voucher_not_with_promotion',
];

/** Why a voucher is refused before it is used at all. */
const VOUCHER_STATE = [
  'voucher_used',
  'voucher_not_valid_yet',
  'voucher_refunded',
  'voucher_other_store',
  'voucher_deal_not_mapped',
  'voucher_other_shop',
];

const DealListQuerySchema = z.object({
  source: DealSourceSchema.optional(),
  status: DealStatusSchema.optional(),
});

const PhoneQuerySchema = z.object({
  phone: MobileSchema,
});

export function voucherRoutes({
  deals,
  vouchers,
  redemptions,
  voucherOrders,
  dealStock,
  channelSwitches,
}: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/deals',
      tag: 'vouchers',
      summary: "The store's deals: our own, and the Meituan / Douyin deals mapped to what they buy",
      query: DealListQuerySchema,
      handle: ({ query }) => deals.list(query),
    }),
    route({
      method: 'post',
      path: '/api/deals',
      errors: { 409: ['platform_deal_mapped'] },
      tag: 'vouchers',
      summary: 'Create a deal, or map a platform deal to the hours, rooms and days it buys (O7)',
      status: 201,
      body: DealInputSchema,
      handle: ({ body, write }) => write(() => deals.create(body)),
    }),
    route({
      method: 'get',
      path: '/api/deals/:id',
      tag: 'vouchers',
      summary: 'One deal, with how many were sold or redeemed',
      params: IdParams,
      handle: ({ params }) => deals.get(params.id),
    }),
    route({
      method: 'patch',
      path: '/api/deals/:id',
      errors: { 409: ['platform_deal_mapped'] },
      tag: 'vouchers',
      summary: 'Change a deal; vouchers already sold keep what they bought',
      params: IdParams,
      body: DealPatchSchema,
      handle: ({ params, body, write }) => write(() => deals.patch(params.id, body)),
    }),
    route({
      method: 'post',
      path: '/api/vouchers',
      errors: {
        403: ['cash_needs_staff'],
        422: ['method_switched_off'],
        409: [
          'deal_not_ours',
          'deal_not_on_sale',
          'deal_group_online',
          'deal_sold_out',
          'deal_limit_reached',
        ],
        503: ['deal_stock_offline'],
      },
      tag: 'vouchers',
      summary: 'Sell a voucher of our own deal at the counter, for cash: its code and QR',
      status: 201,
      body: VoucherSaleSchema,
      handle: async ({ body, actor, write }) => {
        // The store's checks first; then its place in the one stock online and in-store sales share.
        channelSwitches.assertOn('counter', 'cash');
        const deal = deals.get(body.dealId);
        vouchers.assertSellable(deal, body.customer.phone);
        return dealStock.selling(deal, () => write(() => vouchers.sell(body, actor)));
      },
    }),
    route({
      method: 'get',
      path: '/api/vouchers',
      tag: 'vouchers',
      summary: "A customer's vouchers of this store, with their rules, validity, state and QR",
      query: PhoneQuerySchema,
      handle: ({ query }) => vouchers.listFor(query.phone),
    }),
    route({
      method: 'post',
      path: '/api/vouchers/:id/refund',
      errors: {
        409: ['voucher_not_refundable', 'voucher_refund_online'],
        503: ['gateway_unavailable', 'channel_unavailable'],
      },
      tag: 'vouchers',
      summary:
        'Refund an unused voucher sold here as its deal allows (随时退 / 过期退): cash over the counter, or to where it was paid online',
      params: IdParams,
      handle: ({ params, actor, write }) => voucherOrders.refund(params.id, actor, write),
    }),
    route({
      method: 'post',
      path: '/api/vouchers/orders',
      errors: {
        409: [
          'deal_not_ours',
          'deal_not_on_sale',
          'deal_group_online',
          'deal_sold_out',
          'deal_limit_reached',
        ],
        422: ['method_switched_off'],
        503: ['gateway_unavailable', 'channel_unavailable', 'deal_stock_offline'],
      },
      tag: 'vouchers',
      summary:
        'Buy a voucher of our own deal at the kiosk: the QR to pay by; the voucher comes once the gateway says paid',
      status: 201,
      body: VoucherSaleSchema,
      handle: ({ body, actor }) => {
        // The kiosk's voucher QR is a WeChat Pay charge.
        channelSwitches.assertOn('kiosk', 'wechat');
        return voucherOrders.start(body, actor);
      },
    }),
    route({
      method: 'get',
      path: '/api/vouchers/orders/:id',
      tag: 'vouchers',
      summary: 'A kiosk purchase followed to paid: then its voucher, code and QR',
      params: IdParams,
      handle: ({ params }) => voucherOrders.get(params.id),
    }),
    route({
      method: 'post',
      path: '/api/vouchers/prepare',
      errors: {
        400: ['voucher_code_typo', 'voucher_source_needed'],
        404: ['voucher_not_found'],
        403: ['platform_not_authorised'],
        409: VOUCHER_STATE,
        410: ['voucher_expired'],
        422: ['voucher_forged', 'voucher_other_shop', 'voucher_not_prepared', 'platform_refused'],
        503: ['platform_unavailable'],
      },
      tag: 'vouchers',
      summary: 'What a scanned or typed voucher buys, and whether it can be used now (S2)',
      body: VoucherPrepareSchema,
      handle: ({ body }) => redemptions.prepare(body),
    }),
    route({
      method: 'post',
      path: '/api/vouchers/redeem',
      errors: {
        400: ['voucher_code_typo', 'voucher_source_needed', 'voucher_phone_needed'],
        403: ['booking_not_proven', 'platform_not_authorised'],
        404: ['voucher_not_found'],
        409: [...VOUCHER_STATE, ...USE_RULES, 'nothing_due', 'slot_taken', 'payment_due'],
        410: ['voucher_expired'],
        422: [
          'voucher_forged',
          'voucher_other_shop',
          'voucher_not_prepared',
          'platform_refused',
          // the booking it makes keeps the store's booking rules
          'start_in_past',
          'too_far_ahead',
          'off_step',
          'too_short',
          'too_long',
          'party_too_large',
        ],
        503: ['platform_unavailable'],
      },
      tag: 'vouchers',
      summary:
        'Redeem a voucher: make the booking it buys or pay one; the same requestId again is the same redemption (S2)',
      body: VoucherRedeemSchema,
      handle: ({ body, actor, write }) => redemptions.redeem(body, actor, write),
    }),
    route({
      method: 'get',
      path: '/api/vouchers/redemptions',
      tag: 'vouchers',
      summary:
        'The redemptions of a day (or all, newest first), with who, where and what they paid',
      query: RedemptionListQuerySchema,
      handle: ({ query }) => redemptions.list(query),
    }),
    route({
      method: 'get',
      path: '/api/vouchers/redemptions/:id',
      tag: 'vouchers',
      summary: 'One redemption',
      params: IdParams,
      handle: ({ params }) => redemptions.get(params.id),
    }),
    route({
      method: 'post',
      path: '/api/vouchers/redemptions/:id/undo',
      errors: {
        409: ['redemption_not_undoable', 'voucher_booking_started', 'undo_window_passed'],
      },
      tag: 'vouchers',
      summary:
        "Give a voucher back before its booking starts: ours is usable again, a platform's reversed in its window",
      params: IdParams,
      body: RedemptionUndoSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => redemptions.undo(params.id, body.reason, actor, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/vouchers/stats',
      tag: 'vouchers',
      summary: 'Redemptions per day, source and deal, with face value and settled amount',
      query: RedemptionStatsQuerySchema,
      handle: ({ query }) => redemptions.stats(query.from, query.to),
    }),
    route({
      method: 'get',
      path: '/api/vouchers/reconciliation',
      errors: { 403: ['platform_not_authorised'], 503: ['platform_unavailable'] },
      tag: 'vouchers',
      summary:
        "A day's Meituan / Douyin redemptions against each platform's own list: what only one side has, what differs",
      query: ReconciliationQuerySchema,
      handle: ({ query }) => redemptions.reconcile(query.date),
    }),
    route({
      method: 'get',
      path: '/api/vouchers/settings',
      tag: 'vouchers',
      summary: "The owner's voucher settings (platform vouchers taken while offline)",
      handle: () => redemptions.settings(),
    }),
    route({
      method: 'put',
      path: '/api/vouchers/settings',
      tag: 'vouchers',
      summary: 'Allow or stop taking Meituan / Douyin vouchers provisionally while offline',
      body: VoucherSettingsSchema,
      handle: ({ body, write }) => write(() => redemptions.setSettings(body)),
    }),
  ];
}
