// The store and its rooms (O1, O2) over HTTP: parse, call the store service, answer.
import {
  RoomInputSchema,
  RoomListQuerySchema,
  RoomPatchSchema,
  StorePatchSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { ANY_STAFF, IdParams, route, type RouteDef } from '../http/route';

export function storeRoutes({ store, writes }: Hub): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/store',
      tag: 'store',
      access: 'anyone',
      summary: 'The store (O1)',
      handle: () => store.getStore(),
    }),
    route({
      method: 'patch',
      path: '/api/store',
      tag: 'store',
      access: ANY_STAFF,
      summary: 'Edit the store and its booking rules (O1, O4)',
      body: StorePatchSchema,
      handle: ({ body }) => writes.run(() => store.patchStore(body)),
    }),
    route({
      method: 'get',
      path: '/api/rooms',
      tag: 'rooms',
      access: 'anyone',
      summary: 'Rooms; retired ones with includeRetired=true (O2)',
      query: RoomListQuerySchema,
      handle: ({ query }) => store.listRooms({ includeRetired: query.includeRetired === 'true' }),
    }),
    route({
      method: 'post',
      path: '/api/rooms',
      tag: 'rooms',
      access: ANY_STAFF,
      summary: 'Create a room (O2)',
      status: 201,
      body: RoomInputSchema,
      handle: ({ body }) => writes.run((afterCommit) => store.createRoom(body, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id',
      tag: 'rooms',
      access: 'anyone',
      summary: 'One room',
      params: IdParams,
      handle: ({ params }) => store.getRoom(params.id, 'id'),
    }),
    route({
      method: 'patch',
      path: '/api/rooms/:id',
      tag: 'rooms',
      access: ANY_STAFF,
      summary: 'Edit or retire a room; a room with bookings to come cannot retire (O2)',
      params: IdParams,
      body: RoomPatchSchema,
      handle: ({ params, body }) =>
        writes.run((afterCommit) => store.patchRoom(params.id, body, afterCommit)),
    }),
  ];
}
