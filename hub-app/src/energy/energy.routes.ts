// Energy per room over HTTP (issue 15): kWh and cost per room per day and per session for the
// owner and managers, and the owner's price per kWh. The meters' live power is in GET /api/devices.
import { EnergyPriceSchema, EnergyQuerySchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';

export function energyRoutes({ energy }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/energy/days',
      tag: 'energy',
      summary:
        'kWh and cost per room with an energy meter, per store day of a range (at most 92 days), and any meter reset',
      query: EnergyQuerySchema,
      handle: ({ query }) => energy.days(query),
    }),
    route({
      method: 'get',
      path: '/api/energy/sessions',
      tag: 'energy',
      summary:
        "kWh and cost of each session that started in a range, over its booking's span (to its end when it ran over)",
      query: EnergyQuerySchema,
      handle: ({ query }) => energy.sessions(query),
    }),
    route({
      method: 'get',
      path: '/api/energy/price',
      tag: 'energy',
      summary: 'The price per kWh the costs are counted at, and since when; null until set',
      handle: () => ({ price: energy.price() }),
    }),
    route({
      method: 'put',
      path: '/api/energy/price',
      tag: 'energy',
      summary: 'The owner sets the price per kWh (fen) from now on',
      body: EnergyPriceSchema,
      handle: ({ body, actor, write }) => write(() => energy.setPrice(body.fenPerKwh, actor)),
    }),
  ];
}
