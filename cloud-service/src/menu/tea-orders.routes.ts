// Tea and snacks from the phone (C8): a store's menu (anyone), a signed-in customer's order for
// their booking, paid now (201 placed, 202 while the store is offline, 409 refused with the money
// given back), and their orders with the store's status of each.
import { z } from 'zod';
import { StoreParamsSchema, TeaOrderBodySchema } from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { CloudTeaOrders } from './tea-orders';

const MineQuerySchema = z
  .object({ bookingId: z.string().trim().min(1).max(100).optional() })
  .strict();

export function teaOrderRoutes(tea: CloudTeaOrders): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/stores/:storeId/menu',
      tag: 'tea',
      access: 'anyone',
      summary: "A store's tea and snacks: categories, items with photos, specs, prices, sold out",
      params: StoreParamsSchema,
      handle: ({ params }) => tea.menu(params.storeId),
    }),
    route({
      method: 'post',
      path: '/api/stores/:storeId/tea-orders',
      tag: 'tea',
      access: 'customer',
      idempotent: true,
      summary:
        'Order tea and snacks to my booking, paid now: 201 placed, 202 waiting (store offline), 409 refused (money given back)',
      status: 201,
      params: StoreParamsSchema,
      body: TeaOrderBodySchema,
      errors: {
        404: ['booking_not_found', 'menu_item_not_found'],
        409: ['booking_not_open', 'item_sold_out', 'menu_not_published'],
        422: ['spec_unknown', 'spec_choice_needed', 'spec_choice_unknown'],
        503: ['gateway_unavailable'],
      },
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(await tea.order(caller, params.storeId, body, idempotencyKey), 201),
    }),
    route({
      method: 'get',
      path: '/api/me/tea-orders',
      tag: 'tea',
      access: 'customer',
      summary: 'My tea orders, newest first (of one booking when named), with the store status',
      query: MineQuerySchema,
      handle: ({ query, caller }) => tea.mine(caller, query.bookingId),
    }),
  ];
}
