// Finding players (C14) over the cloud's API: a store's open tables (anyone, for its page), one
// table by its link (anyone), my tables (signed in) and the two intents: start a table with the
// starter's share paid, join one with a share paid. An intent's answer sets the status: 201 when
// the store seated the player, 202 while it has not answered, 409 when it said no (the share is
// given back), 410 when it did not answer in time.
import {
  StoreParamsSchema,
  TableJoinBodySchema,
  TableParamsSchema,
  TableStartBodySchema,
} from '@roomhub/shared-types';
import { intentReply } from '../http/intent-reply';
import { route, type RouteDef } from '../http/route';
import type { CloudTables } from './cloud-tables';

export function tableRoutes(tables: CloudTables): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/stores/:storeId/tables',
      tag: 'tables',
      access: 'anyone',
      summary:
        "A store's open tables with seats left (等人拼桌), soonest first, and its rules for them: the age notice and the game hours",
      params: StoreParamsSchema,
      handle: ({ params }) => tables.list(params.storeId),
    }),
    route({
      method: 'get',
      path: '/api/stores/:storeId/tables/:tableId',
      tag: 'tables',
      access: 'anyone',
      summary: 'One table, as its share link shows it: the game, the seats taken and left, a share',
      params: TableParamsSchema,
      handle: ({ params }) => tables.one(params.storeId, params.tableId),
    }),
    route({
      method: 'get',
      path: '/api/me/tables',
      tag: 'tables',
      access: 'customer',
      summary:
        'The tables I sit at: my seat and share, whether it was given back, and the door code once the table is filled',
      handle: ({ caller }) => tables.mine(caller),
    }),
    route({
      method: 'post',
      path: '/api/stores/:storeId/tables',
      tag: 'tables',
      access: 'customer',
      idempotent: true,
      summary:
        'Start a table: the room held until the deadline, my share (the price split by the seats, the remainder mine) paid now: 201 started, 202 waiting, 409 refused (money given back)',
      status: 201,
      params: StoreParamsSchema,
      body: TableStartBodySchema,
      errors: {
        409: ['tables_off', 'outside_table_hours', 'too_cheap_to_split', 'slot_taken'],
        422: ['deadline_passed', 'deadline_after_start'],
        503: ['gateway_unavailable'],
      },
      handle: async ({ params, body, caller, idempotencyKey }) => {
        const view = await tables.start(caller, params.storeId, body, idempotencyKey);
        return intentReply(view, 201);
      },
    }),
    route({
      method: 'post',
      path: '/api/stores/:storeId/tables/:tableId/join',
      tag: 'tables',
      access: 'customer',
      idempotent: true,
      summary:
        'Join a table with my share paid now: 201 seated, 202 waiting, 409 refused (full, released, seated already; money given back)',
      status: 201,
      params: TableParamsSchema,
      body: TableJoinBodySchema,
      errors: {
        409: ['table_full', 'table_closed', 'already_at_table'],
        503: ['gateway_unavailable'],
      },
      handle: async ({ params, body, caller, idempotencyKey }) =>
        intentReply(
          await tables.join(caller, params.storeId, params.tableId, body, idempotencyKey),
          201,
        ),
    }),
  ];
}
