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

/** How long a store's profiles read while its feed is followed are answered from memory at most. */
const KEEP_MS = 60_000;

interface Followed {
  /**
   * The read under way or answered, from when it was asked. A change of the store's profiles
   * drops it at once, so a read asked before the change is never answered after it.
   */
  kept?: { at: number; profiles: Promise<StoreProfiles | undefined> };
}

/**
 * A store's profiles and rooms, kept in memory between reads while this instance follows the
 * store's change feed live, so a store page, a room's day or an owner's read do not ask CouchDB
 * for them each time. What keeps them true is the feed: the change follower tells `watching` when
 * a store's feed opens, `changed` with the ids of each batch of news (a `profile:` id drops the
 * store's copy), and `unwatched` when the feed fails or stops (the copy goes, and reads ask
 * CouchDB again until the feed is open once more). Nothing is kept longer than `keepMs`, nor a
 * read that failed. Each instance follows every store itself, so each keeps its own copies true;
 * where nothing follows the feeds (a sweep alone, a command), every read asks CouchDB.
 */
export class ProfileCache {
  private readonly followed = new Map<string, Followed>();
  private readonly keepMs: number;

  constructor(private readonly d: { couch: CouchClient; keepMs?: number; now?: () => number }) {
    this.keepMs = d.keepMs ?? KEEP_MS;
  }

  private now(): number {
    return this.d.now?.() ?? performance.now();
  }

  /** The store's feed is open: reads from now on may be kept. */
  watching(storeId: string): void {
    this.followed.set(storeId, {});
  }

  /** The store's feed read these documents' changes: a profile among them drops the copy. */
  changed(storeId: string, ids: readonly string[]): void {
    const entry = this.followed.get(storeId);
    if (entry && ids.some((id) => id.startsWith('profile:'))) delete entry.kept;
  }

  /** The store's feed failed or stopped: nothing of it is kept until it is open again. */
  unwatched(storeId: string): void {
    this.followed.delete(storeId);
  }

  /** What `loadStoreProfiles` answers, from memory while the store's feed keeps it true. */
  profiles(storeId: string): Promise<StoreProfiles | undefined> {
    const entry = this.followed.get(storeId);
    if (!entry) return loadStoreProfiles(this.d.couch, storeId);
    const at = this.now();
    if (entry.kept && at - entry.kept.at <= this.keepMs) return entry.kept.profiles;
    const kept = { at, profiles: loadStoreProfiles(this.d.couch, storeId) };
    entry.kept = kept;
    kept.profiles.catch(() => {
      // The next read asks again.
      if (entry.kept === kept) delete entry.kept;
    });
    return kept.profiles;
  }

  /** What `loadRoomProfile` answers, from the store's kept profiles while they are kept true. */
  async room(
    storeId: string,
    roomId: string,
  ): Promise<{ store: StoreProfileDoc; room: RoomProfileDoc } | undefined> {
    if (!this.followed.has(storeId)) return loadRoomProfile(this.d.couch, storeId, roomId);
    if (!IdPartSchema.safeParse(roomId).success) return undefined;
    const profiles = await this.profiles(storeId);
    const id = roomProfileDocId(roomId);
    const room = profiles?.rooms.find((r) => r._id === id);
    return profiles && room ? { store: profiles.store, room } : undefined;
  }
}
