// Coupons and membership online: a store's claimable campaigns (anyone), and for a signed-in
// customer a claim (201 issued, 202 while the store is offline, 409 refused with the store's
// reason), joining a store as a member, their coupons in every store, and a quote with their
// level, coupons and points line by line. A route parses, calls one service, answers.
import {
  MembershipJoinSchema,
  MyCouponsQuerySchema,
  OnlineCouponClaimSchema,
  QuoteBodySchema,
  StoreParamsSchema,
} from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { CloudCoupons } from './cloud-coupons';

export function couponRoutes(coupons: CloudCoupons): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/stores/:storeId/campaigns',
      tag: 'coupons',
      access: 'anyone',
      summary:
        "A store's campaigns whose coupons may be claimed today: the coupon, windows, limits",
      params: StoreParamsSchema,
      handle: ({ params }) => coupons.campaigns(params.storeId),
    }),
    route({
      method: 'post',
      path: '/api/stores/:storeId/coupons',
      tag: 'coupons',
      access: 'customer',
      idempotent: true,
      summary:
        "Claim a coupon of a store's campaign (and become its member), or exchange points for it (`points`: the campaign's price): 201 issued, 202 waiting (store offline), 409 refused or not enough points",
      status: 201,
      params: StoreParamsSchema,
      body: OnlineCouponClaimSchema,
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await coupons.claim(caller, params.storeId, body, idempotencyKey), 201),
    }),
    route({
      method: 'post',
      path: '/api/stores/:storeId/membership',
      tag: 'coupons',
      access: 'customer',
      summary:
        'Become a member of a store (once; asking again is the first answer): 201 member, 202 waiting (store offline)',
      status: 201,
      params: StoreParamsSchema,
      body: MembershipJoinSchema,
      handle: async ({ params, body, caller }) =>
        intentReply(await coupons.join(caller, params.storeId, body), 201),
    }),
    route({
      method: 'get',
      path: '/api/me/coupons',
      tag: 'coupons',
      access: 'customer',
      summary:
        'My coupons in every store, however they reached me: available, used, expired or not yet',
      query: MyCouponsQuerySchema,
      handle: ({ caller, query }) => coupons.mine(caller, query),
    }),
    route({
      method: 'post',
      path: '/api/me/quotes',
      tag: 'coupons',
      access: 'customer',
      summary:
        'Price a span for me: my level, the coupons and points I name, each its own line; what cannot go on the bill named',
      body: QuoteBodySchema,
      handle: ({ caller, body }) => coupons.quote(caller, body),
    }),
  ];
}
