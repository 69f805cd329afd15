// Every order across the stores (P4): the list, and one order's money movements.
import { PlatformOrderParamsSchema, PlatformOrderQuerySchema } from '@roomhub/shared-types';
import type { RouteDef } from '../../http/route';
import { platformRoute } from '../platform-auth';
import type { PlatformOrders } from './platform-orders';

export function platformOrderRoutes(orders: PlatformOrders): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/orders',
      tag: 'platform',
      action: 'orders.read',
      summary:
        'Orders across the stores by the day they were placed (today unless said, at most 31 days), newest first, a page at a time; by store, status or the customer’s phone',
      query: PlatformOrderQuerySchema,
      handle: async ({ query }) => orders.list(query),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/orders/:storeId/:bookingId/ledger',
      tag: 'platform',
      action: 'orders.read',
      summary: 'The money movements of one order, oldest first, as its store’s ledger holds them',
      params: PlatformOrderParamsSchema,
      handle: async ({ params }) => ({
        lines: await orders.ledger(params.storeId, params.bookingId),
      }),
    }),
  ];
}
