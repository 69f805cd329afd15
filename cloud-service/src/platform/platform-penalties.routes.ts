// Penalties and limits on a merchant (P1) in the console, and the owner's read of those on their
// stores.
import {
  DomainError,
  MerchantParamsSchema,
  OwnerStoreParamsSchema,
  PenaltyBodySchema,
  PenaltyLiftBodySchema,
  PenaltyParamsSchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformPenalties } from './platform-penalties';

export function platformPenaltyRoutes(penalties: PlatformPenalties): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants/:phone/penalties',
      tag: 'platform',
      action: 'merchants.read',
      summary:
        "A merchant's penalties (warning, hidden from search, no bookings online), newest first, with where each stands",
      params: MerchantParamsSchema,
      handle: ({ params }) => penalties.list(params.phone),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/penalties',
      tag: 'platform',
      action: 'merchants.manage',
      status: 201,
      summary:
        'Gives a merchant, or one of its stores, a penalty with the reason and its period (from, until; or until lifted)',
      params: MerchantParamsSchema,
      body: PenaltyBodySchema,
      errors: { 422: ['store_not_merchants', 'penalty_over'] },
      handle: ({ params, body, caller }) => penalties.add(caller, params.phone, body),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/:phone/penalties/:penaltyId/lift',
      tag: 'platform',
      action: 'merchants.manage',
      summary: 'Lifts a penalty before its end, with the reason',
      params: PenaltyParamsSchema,
      body: PenaltyLiftBodySchema,
      errors: { 409: ['penalty_not_in_force'] },
      handle: ({ params, body, caller }) =>
        penalties.lift(caller, params.phone, params.penaltyId, body.reason),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/penalties',
      tag: 'owner',
      access: 'owner',
      summary:
        "The platform's penalties on a store (warnings, hidden from search, no bookings online), for its owner",
      params: OwnerStoreParamsSchema,
      handle: async ({ caller, params }) => {
        if (!caller.storeIds.includes(params.storeId)) {
          throw new DomainError(
            'forbidden',
            'not_your_store',
            'this account does not run that store',
          );
        }
        // Who at the platform set or lifted it is the platform's to know.
        return (await penalties.ofStore(params.storeId)).map((v) => ({
          ...v,
          by: 'platform',
          lifted: v.lifted ? { ...v.lifted, by: 'platform' } : null,
        }));
      },
    }),
  ];
}
