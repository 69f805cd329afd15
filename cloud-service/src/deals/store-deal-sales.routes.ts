// A sale of a deal in the store over HTTP: the store's hub (authenticated by its CouchDB user)
// takes its place in the deal's stock before taking money, and gives it back if the sale made
// nothing. The handler decides nothing.
import { DealStockClaimSchema, DealStockReleaseSchema } from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { StoreDealSales } from './store-deal-sales';

export function storeDealSaleRoutes(sales: StoreDealSales): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/hub/deals/stock/claim',
      tag: 'deals',
      access: 'hub',
      summary:
        "Take a place in a deal's stock for a sale in the store, from the one stock online and in-store sales share",
      body: DealStockClaimSchema,
      errors: {
        400: ['invalid_input'],
        401: ['sign_in_required', 'invalid_login'],
        403: ['not_allowed'],
        409: ['deal_sold_out'],
      },
      handle: ({ body, caller }) => sales.claim(caller, body),
    }),
    route({
      method: 'post',
      path: '/api/hub/deals/stock/release',
      tag: 'deals',
      access: 'hub',
      summary:
        "Give back the place a sale in the store took in a deal's stock, when it sold nothing",
      body: DealStockReleaseSchema,
      errors: {
        400: ['invalid_input'],
        401: ['sign_in_required', 'invalid_login'],
        403: ['not_allowed'],
      },
      handle: ({ body, caller }) => sales.release(caller, body),
    }),
  ];
}
