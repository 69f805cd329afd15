// Campaigns and coupons over HTTP (C12, O6): campaigns kept by the owner and managers (paused,
// resumed, ended) with their results; coupons given by hand by a manager, claimed by a customer
// at the kiosk or the counter with their phone, exchanged for a member's points at the counter,
// referrals, and a customer's coupons for the counter. A route parses, calls one service (inside a write when it changes something), answers.
import {
  CampaignCreateSchema,
  CampaignPatchSchema,
  CouponClaimSchema,
  CouponExchangeSchema,
  CouponIssueSchema,
  CouponListQuerySchema,
  ReferralSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

const ISSUE_REFUSALS = [
  'campaign_paused',
  'campaign_ended',
  'campaign_not_open',
  'coupon_limit_person',
  'coupon_limit_total',
];

export function couponRoutes({ campaigns, coupons }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/campaigns',
      tag: 'coupons',
      summary: 'Every campaign, newest first',
      handle: () => campaigns.list(),
    }),
    route({
      method: 'post',
      path: '/api/campaigns',
      tag: 'coupons',
      summary:
        'Start a campaign: its coupon (amount, percentage, spend X get Y, free hours; scope; stacking), claim and use windows, limits; a win-back campaign its days away',
      status: 201,
      body: CampaignCreateSchema,
      handle: ({ body, write }) => write(() => coupons.createCampaign(body)),
    }),
    route({
      method: 'get',
      path: '/api/campaigns/:id',
      tag: 'coupons',
      summary: 'One campaign',
      params: IdParams,
      handle: ({ params }) => campaigns.get(params.id),
    }),
    route({
      method: 'patch',
      path: '/api/campaigns/:id',
      errors: { 409: ['campaign_ended', 'campaign_limit_below_issued'], 422: ['claim_window'] },
      tag: 'coupons',
      summary: 'Pause, resume or end a campaign; rename it, move its claim end, change its limit',
      params: IdParams,
      body: CampaignPatchSchema,
      handle: ({ params, body, write }) => write(() => coupons.patchCampaign(params.id, body)),
    }),
    route({
      method: 'get',
      path: '/api/campaigns/:id/results',
      tag: 'coupons',
      summary:
        'How a campaign did: issued, claimed, used, revenue of the bookings, new customers, cost',
      params: IdParams,
      handle: ({ params }) => coupons.results(params.id),
    }),
    route({
      method: 'post',
      path: '/api/campaigns/:id/coupons',
      errors: { 409: [...ISSUE_REFUSALS, 'phone_has_coupon'] },
      tag: 'coupons',
      summary: "Give a campaign's coupon to customers by hand",
      status: 201,
      params: IdParams,
      body: CouponIssueSchema,
      handle: ({ params, body, actor, write }) =>
        write(() => coupons.issueByHand(params.id, body.phones, actor)),
    }),
    route({
      method: 'post',
      path: '/api/coupons/claim',
      errors: {
        409: [
          ...ISSUE_REFUSALS,
          'campaign_not_claimable',
          'campaign_needs_points',
          'not_a_new_customer',
          'wrong_level',
        ],
      },
      tag: 'coupons',
      summary:
        'A customer claims a coupon with their phone number, and is a member of the store from then on',
      status: 201,
      perMinute: 30,
      body: CouponClaimSchema,
      handle: ({ body, actor, write }) =>
        write(() => coupons.claim(body.campaignId, body.phone, actor)),
    }),
    route({
      method: 'post',
      path: '/api/coupons/exchange',
      errors: {
        409: [
          ...ISSUE_REFUSALS,
          'campaign_not_claimable',
          'campaign_not_for_points',
          'not_a_new_customer',
          'wrong_level',
          'points_short',
        ],
      },
      tag: 'coupons',
      summary:
        "A member exchanges points for a campaign's coupon at the counter: the points taken and the coupon issued together (409 points_short says how many they have). Points given for a coupon are not given back, used or not, even when the campaign is ended: ending stops exchanges, and a coupon already exchanged stays usable to its own end",
      status: 201,
      body: CouponExchangeSchema,
      handle: ({ body, actor, write }) =>
        write(() =>
          coupons.exchange(body.campaignId, body.phone, actor, {
            at: 'counter',
            requestId: body.requestId,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/coupons/referrals',
      errors: {
        409: [...ISSUE_REFUSALS, 'campaign_not_referral', 'not_a_new_customer', 'already_referred'],
      },
      tag: 'coupons',
      summary:
        'A customer brought by another: a coupon for the new one now, for the other at the first paid booking',
      status: 201,
      body: ReferralSchema,
      handle: ({ body, actor, write }) =>
        write(() => coupons.refer(body.campaignId, body.referrer, body.referee, actor)),
    }),
    route({
      method: 'get',
      path: '/api/coupons',
      tag: 'coupons',
      summary: "A customer's coupons, by phone",
      query: CouponListQuerySchema,
      handle: ({ query }) => coupons.forPhone(query.phone),
    }),
  ];
}
