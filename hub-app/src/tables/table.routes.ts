// Tables of players over HTTP for the store's staff: the tables still to be played (who sits
// where, phones masked) and the owner's rules for them (the age notice, the game hours).
import { TableSettingsSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';
import { maskPhone } from '../members/member-export';

export function tableRoutes({ tables }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/tables',
      tag: 'tables',
      summary:
        'Tables of players whose game has not ended: open (seats left until the deadline), filled or released, with who sits where',
      handle: () =>
        tables.list().map((t) => ({
          ...t,
          players: t.players.map(({ customerId: _c, ...p }) => ({
            ...p,
            phone: maskPhone(p.phone),
          })),
        })),
    }),
    route({
      method: 'get',
      path: '/api/tables/settings',
      tag: 'tables',
      summary: 'The owner’s rules for tables: on or off, the age notice, the game hours',
      handle: () => tables.settings(),
    }),
    route({
      method: 'put',
      path: '/api/tables/settings',
      tag: 'tables',
      summary: 'The owner sets whether tables may be started, the age notice and the game hours',
      body: TableSettingsSchema,
      audited: true,
      handle: ({ body, actor, write }) => write(() => tables.setSettings(body, actor)),
    }),
  ];
}
