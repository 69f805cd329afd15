// The owner's remote view: one store's day board, orders, revenue, devices and sync freshness,
// for a signed-in owner who runs that store.
import {
  DateQuerySchema,
  OwnerOrdersQuerySchema,
  OwnerStoreParamsSchema,
  RevenueQuerySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { OwnerView } from './owner-view';

export function ownerRoutes(view: OwnerView): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/board',
      tag: 'owner',
      access: 'owner',
      summary: "A day's board: each active room's segments, bookings and session under way",
      params: OwnerStoreParamsSchema,
      query: DateQuerySchema,
      handle: ({ params, query, caller }) => view.board(caller, params.storeId, query.date),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/orders',
      tag: 'owner',
      access: 'owner',
      summary: 'Orders newest start first: a page at a time (limit, before) or a whole day (date)',
      params: OwnerStoreParamsSchema,
      query: OwnerOrdersQuerySchema,
      handle: ({ params, query, caller }) => view.orders(caller, params.storeId, query),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/revenue',
      tag: 'owner',
      access: 'owner',
      summary: 'The ledger summed by local day, kind and payment method',
      params: OwnerStoreParamsSchema,
      query: RevenueQuerySchema,
      handle: ({ params, query, caller }) =>
        view.revenue(caller, params.storeId, query.from, query.to),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/devices',
      tag: 'owner',
      access: 'owner',
      summary: "Each device's health as the hub last reported it",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.devices(caller, params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/sync',
      tag: 'owner',
      access: 'owner',
      summary: "How fresh the store's data is, and the customers' intents it has not answered",
      params: OwnerStoreParamsSchema,
      handle: ({ params, caller }) => view.sync(caller, params.storeId),
    }),
  ];
}
