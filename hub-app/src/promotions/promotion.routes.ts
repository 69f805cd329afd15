// The owner's automatic promotions over HTTP (O3): listed, added, replaced and switched on or off
// by the owner and managers. A route parses, calls the service inside a write, answers.
import {
  PromotionCreateSchema,
  PromotionPutSchema,
  PromotionSwitchSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function promotionRoutes({ promotions }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/promotions',
      tag: 'promotions',
      summary: 'Every promotion, switched on or off',
      handle: () => promotions.list(),
    }),
    route({
      method: 'post',
      path: '/api/promotions',
      tag: 'promotions',
      summary:
        'Add a promotion: a percentage or amount off, spend X get Y off, or a bundle, for a period and scope',
      status: 201,
      body: PromotionCreateSchema,
      handle: ({ body, write }) => write(() => promotions.create(body)),
    }),
    route({
      method: 'get',
      path: '/api/promotions/:id',
      tag: 'promotions',
      summary: 'One promotion',
      params: IdParams,
      handle: ({ params }) => promotions.get(params.id),
    }),
    route({
      method: 'put',
      path: '/api/promotions/:id',
      tag: 'promotions',
      summary: 'Replace a promotion whole',
      params: IdParams,
      body: PromotionPutSchema,
      handle: ({ params, body, write }) => write(() => promotions.replace(params.id, body)),
    }),
    route({
      method: 'post',
      path: '/api/promotions/:id/switch',
      tag: 'promotions',
      summary: 'Switch a promotion on or off',
      params: IdParams,
      body: PromotionSwitchSchema,
      handle: ({ params, body, write }) => write(() => promotions.switch(params.id, body.enabled)),
    }),
  ];
}
