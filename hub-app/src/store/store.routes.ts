// The store and its rooms (O1, O2) over HTTP: parse, call the store service, answer. Those who
// may edit the store also see and set this machine's backup settings with it (H4).
import {
  HubStorePatchSchema,
  RoomInputSchema,
  RoomListQuerySchema,
  RoomPatchSchema,
  type Actor,
  type Store,
  type StoreWithBackups,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import {
  backupSettings,
  patchedBackupSettings,
  saveBackupSettings,
} from '../backup/backup-settings';
import { mayCall } from '../http/caller';
import { PERMISSIONS } from '../http/permissions';
import { IdParams, route, type RouteEntry } from '../http/route';

export function storeRoutes({ store, dataDir }: Hub): RouteEntry[] {
  const mayEdit = (actor: Actor) => mayCall(PERMISSIONS['PATCH /api/store']!, actor);
  const withBackups = (s: Store): StoreWithBackups => ({
    ...s,
    location: store.location(),
    backups: backupSettings(dataDir),
  });
  return [
    route({
      method: 'get',
      path: '/api/store',
      tag: 'store',
      summary: 'The store (O1); with the backup settings for those who may edit it (H4)',
      handle: ({ actor }) =>
        mayEdit(actor)
          ? withBackups(store.getStore())
          : { ...store.getStore(), location: store.location() },
    }),
    route({
      method: 'patch',
      path: '/api/store',
      tag: 'store',
      summary:
        'Edit the store, its booking rules (merged into the current ones) and the backup settings (O1, O4, H4)',
      body: HubStorePatchSchema,
      handle: async ({ body, write }) => {
        const { backups, ...patch } = body;
        // Both are checked before either is saved: a refused patch changes nothing.
        const settings = backups ? patchedBackupSettings(dataDir, backups) : null;
        const s =
          Object.keys(patch).length > 0
            ? await write(() => store.patchStore(patch))
            : store.getStore();
        if (settings) saveBackupSettings(dataDir, settings);
        return withBackups(s);
      },
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
      summary: 'Create a room (O2); its number is the next free one unless given',
      status: 201,
      errors: { 409: ['room_number_taken'] },
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
      errors: { 409: ['room_number_taken'] },
      body: RoomPatchSchema,
      handle: ({ params, body, write }) =>
        write((afterCommit) => store.patchRoom(params.id, body, afterCommit)),
    }),
  ];
}
