// The store and its rooms (O1, O2) over HTTP: parse, call the store service, answer.
import {
  RoomInputSchema,
  RoomListQuerySchema,
  RoomPatchSchema,
  StorePatchSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function storeRoutes({ store }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/store',
      tag: 'store',
      summary: 'The store (O1)',
      handle: () => store.getStore(),
    }),
    route({
      method: 'patch',
      path: '/api/store',
      tag: 'store',
      summary: 'Edit the store and its booking rules (O1, O4)',
      body: StorePatchSchema,
      handle: ({ body, write }) => write(() => store.patchStore(body)),
    }),
    route({
      method: 'get',
      path: '/api/rooms',
      tag: 'rooms',
      summary: 'Rooms; retired ones with includeRetired=true (O2)',
      query: RoomListQuerySchema,
      handle: ({ query }) => store.listRooms({ includeRetired: query.includeRetired === 'true' }),
    }),
    route({
      method: 'post',
      path: '/api/rooms',
      tag: 'rooms',
      summary: 'Create a room (O2)',
      status: 201,
      body: RoomInputSchema,
      handle: ({ body, write }) => write((afterCommit) => store.createRoom(body, afterCommit)),
    }),
    route({
      method: 'get',
      path: '/api/rooms/:id',
      tag: 'rooms',
      summary: 'One room',
      params: IdParams,
      handle: ({ params }) => store.getRoom(params.id, 'id'),
    }),
    route({
      method: 'patch',
      path: '/api/rooms/:id',
      tag: 'rooms',
      summary: 'Edit or retire a room; a room with bookings to come cannot retire (O2)',
      params: IdParams,
      body: RoomPatchSchema,
      handle: ({ params, body, write }) =>
        write((afterCommit) => store.patchRoom(params.id, body, afterCommit)),
    }),
  ];
}
