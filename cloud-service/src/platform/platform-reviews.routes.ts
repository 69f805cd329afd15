// Review before showing (P2) and store suspension (P1) in the console.
import {
  ReviewDecisionBodySchema,
  ReviewGateBodySchema,
  ReviewQuerySchema,
  StoreLimitBodySchema,
  StoreLimitParamsSchema,
} from '@roomhub/shared-types';
import type { RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformReviews } from './platform-reviews';
import { gateOn } from './review-gate';
import type { PlatformStore } from './platform-store';

export function platformReviewRoutes(reviews: PlatformReviews, store: PlatformStore): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/reviews',
      tag: 'platform',
      action: 'content.read',
      summary:
        'Rooms, deals and products waiting for review (new, or changed since approved), with what customers see now',
      query: ReviewQuerySchema,
      handle: async ({ query }) => ({
        gateOn: await gateOn(store.read),
        pending: await reviews.pending(query.storeId),
      }),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/reviews',
      tag: 'platform',
      action: 'content.manage',
      summary:
        'Approves the content the reviewer saw (its hash), or refuses it with notes; customers see it once approved',
      body: ReviewDecisionBodySchema,
      errors: { 409: ['changed_since'] },
      handle: ({ body, caller }) => reviews.decide(caller, body),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/review-gate',
      tag: 'platform',
      action: 'settings.manage',
      summary: 'Turns review before showing on or off for every store, with the reason',
      body: ReviewGateBodySchema,
      handle: ({ body, caller }) => reviews.setGate(caller, body.on, body.reason),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/stores/:storeId/limit',
      tag: 'platform',
      action: 'merchants.manage',
      summary:
        'Suspends a store (its pages hidden from customers) or lifts the suspension, with the reason',
      params: StoreLimitParamsSchema,
      body: StoreLimitBodySchema,
      handle: ({ params, body, caller }) =>
        reviews.limitStore(caller, params.storeId, body.suspended, body.reason),
    }),
  ];
}
