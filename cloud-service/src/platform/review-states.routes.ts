// Where a store's rooms, deals and products stand with the platform's reviewers (P2), for the
// store itself: its hub reads them for the owner's dashboard in the store, and the owner reads
// them through the cloud from anywhere. Each says waiting, approved or sent back with the
// reviewer's notes. Reads only; only a store's own hub, or an owner who runs it, may read them.
import { DomainError, OwnerStoreParamsSchema } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { PlatformReviews } from './platform-reviews';

export function reviewStateRoutes(reviews: PlatformReviews): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/hub/reviews',
      tag: 'platform',
      access: 'hub',
      summary:
        "The store's rooms, deals and products with their review state (waiting, approved, sent back with the reviewer's notes), for its hub",
      handle: ({ caller }) => reviews.states(caller.storeId),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/reviews',
      tag: 'owner',
      access: 'owner',
      summary:
        "A store's rooms, deals and products with their review state and the reviewer's notes, for its owner",
      params: OwnerStoreParamsSchema,
      handle: ({ caller, params }) => {
        if (!caller.storeIds.includes(params.storeId)) {
          throw new DomainError(
            'forbidden',
            'not_your_store',
            'this account does not run that store',
          );
        }
        return reviews.states(params.storeId);
      },
    }),
  ];
}
