// Reads what a store's hub published about itself (`profile:store`, `profile:room:*`) from the
// store's database, checked against the sync schemas. Read-only: the hub is their only writer.
import {
  RoomProfileDocSchema,
  STORE_PROFILE_ID,
  StoreIdSchema,
  StoreProfileDocSchema,
  roomProfileDocId,
  storeDbName,
  IdPartSchema,
  type RoomProfileDoc,
  type StoreProfileDoc,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';

export interface StoreProfiles {
  store: StoreProfileDoc;
  /** Every room the hub published, retired ones included. */
  rooms: RoomProfileDoc[];
}

/** The store's own order of its rooms (as the owner placed them), then by name. */
export function byRoomOrder(a: { sort: number; name: string }, b: { sort: number; name: string }) {
  return a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN');
}

/** The store's profile and rooms, or undefined when the id is not a store that published one. */
export async function loadStoreProfiles(
  couch: CouchClient,
  storeId: string,
): Promise<StoreProfiles | undefined> {
  if (!StoreIdSchema.safeParse(storeId).success) return undefined;
  // `profile:room:*` and `profile:store` are one range of ids: one request for both.
  const docs = await couch.byPrefix(storeDbName(storeId), 'profile:');
  const store = StoreProfileDocSchema.safeParse(docs.find((d) => d._id === STORE_PROFILE_ID));
  if (!store.success) return undefined;
  const rooms = docs.flatMap((doc) => {
    if (!doc._id.startsWith('profile:room:')) return [];
    const room = RoomProfileDocSchema.safeParse(doc);
    return room.success ? [room.data] : [];
  });
  return { store: store.data, rooms: rooms.sort(byRoomOrder) };
}

export async function loadRoomProfile(
  couch: CouchClient,
  storeId: string,
  roomId: string,
): Promise<{ store: StoreProfileDoc; room: RoomProfileDoc } | undefined> {
  if (!StoreIdSchema.safeParse(storeId).success || !IdPartSchema.safeParse(roomId).success) {
    return undefined;
  }
  // Both in one request.
  const roomDocId = roomProfileDocId(roomId);
  const docs = await couch.byIds(storeDbName(storeId), [STORE_PROFILE_ID, roomDocId]);
  const store = StoreProfileDocSchema.safeParse(docs.find((d) => d._id === STORE_PROFILE_ID));
  const room = RoomProfileDocSchema.safeParse(docs.find((d) => d._id === roomDocId));
  if (!store.success || !room.success) return undefined;
  return { store: store.data, room: room.data };
}
