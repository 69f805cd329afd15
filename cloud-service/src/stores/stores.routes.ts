// Discovery routes, open to anyone: stores near a point, a store's page, a room's day and
// reviews, and a quote priced as the store's hub will price it.
import {
  DateQuerySchema,
  QuoteBodySchema,
  RoomParamsSchema,
  StoreParamsSchema,
  StoreSearchQuerySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { StoreService } from './store.service';

export function storeRoutes(stores: StoreService): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/stores',
      tag: 'stores',
      access: 'anyone',
      summary: 'Stores with a matching room, nearest first, with distance and filters',
      query: StoreSearchQuerySchema,
      handle: async ({ query }) => ({ stores: await stores.search(query) }),
    }),
    route({
      method: 'get',
      path: '/api/stores/:storeId',
      tag: 'stores',
      access: 'anyone',
      summary: "A store's page: address, hours, booking rules and active rooms with prices",
      params: StoreParamsSchema,
      handle: ({ params }) => stores.page(params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/stores/:storeId/rooms/:roomId/availability',
      tag: 'stores',
      access: 'anyone',
      summary: "A room's day as its hub published it: the taken segments",
      params: RoomParamsSchema,
      query: DateQuerySchema,
      handle: ({ params, query }) => stores.roomDay(params.storeId, params.roomId, query.date),
    }),
    route({
      method: 'get',
      path: '/api/stores/:storeId/rooms/:roomId/reviews',
      tag: 'stores',
      access: 'anyone',
      summary: "A room's reviews from completed bookings, newest first, with the averages",
      params: RoomParamsSchema,
      handle: ({ params }) => stores.reviews(params.storeId, params.roomId),
    }),
    route({
      method: 'post',
      path: '/api/quotes',
      tag: 'stores',
      access: 'anyone',
      summary: 'Price a span or a session package with the pricing the hub runs',
      body: QuoteBodySchema,
      handle: ({ body }) => stores.quote(body.storeId, body),
    }),
  ];
}
