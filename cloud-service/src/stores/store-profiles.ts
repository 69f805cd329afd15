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
  const db = storeDbName(storeId);
  const raw = await couch.get(db, STORE_PROFILE_ID);
  const store = StoreProfileDocSchema.safeParse(raw);
  if (!store.success) return undefined;
  const rooms = (await couch.byPrefix(db, 'profile:room:')).flatMap((doc) => {
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
  const db = storeDbName(storeId);
  const [rawStore, rawRoom] = await Promise.all([
    couch.get(db, STORE_PROFILE_ID),
    couch.get(db, roomProfileDocId(roomId)),
  ]);
  const store = StoreProfileDocSchema.safeParse(rawStore);
  const room = RoomProfileDocSchema.safeParse(rawRoom);
  if (!store.success || !room.success) return undefined;
  return { store: store.data, room: room.data };
}
