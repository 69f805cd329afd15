// What an instance keeps in memory of each store's database while its change follower follows the
// store's feed live, so the reads customers and owners make most (a store page, a room's day, an
// owner's board) do not ask CouchDB each time for what has not changed: the store's profiles and
// rooms, single documents (a room's day of availability), and when the hub last synced.
//
// What keeps the copies true is the feed. The change follower tells `watching` when a store's feed
// opens, `changed` with the ids of each batch of news, and `unwatched` when the feed fails or
// stops. News of a document drops its copy at once (a `profile:` id drops the profiles; any news
// drops the last sync), so a read asked before a change is never answered after the feed told it.
// A failed feed drops everything of the store until the feed is open again; meanwhile every read
// asks CouchDB. Nothing is kept longer than its time (60 s; the last sync 5 s, as the index it is
// read from may lag the feed by a few seconds), nor a read that failed, nor more than MAX_DOCS
// documents in all (the oldest go first). Each instance follows every store's feed itself, so each
// keeps its own copies true; where nothing follows the feeds (a sweep alone, a command), every read
// asks CouchDB, as before.
import {
  IdPartSchema,
  roomProfileDocId,
  storeDbName,
  type RoomProfileDoc,
  type StoreProfileDoc,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import { lastSync } from './room-day';
import { loadRoomProfile, loadStoreProfiles, type StoreProfiles } from './store-profiles';

const KEEP_MS = 60_000;
const SYNC_KEEP_MS = 5_000;
/** Single documents kept at most, of all stores together. */
const MAX_DOCS = 5_000;

interface Kept<T> {
  at: number;
  value: Promise<T>;
}

/** A store whose feed is open: its copies. A new one each time the feed opens. */
interface Followed {
  profiles?: Kept<StoreProfiles | undefined>;
  synced?: Kept<number | null>;
}

interface KeptDoc extends Kept<CouchDoc | undefined> {
  /** The store's feed it was read under: copies of a feed since closed are not answered. */
  of: Followed;
}

export class StoreCache {
  private readonly followed = new Map<string, Followed>();
  /** Single documents by store and id, oldest first. */
  private readonly docs = new Map<string, KeptDoc>();
  private readonly keepMs: number;
  private readonly syncKeepMs: number;
  private readonly maxDocs: number;

  constructor(
    private readonly d: {
      couch: CouchClient;
      views?: DesignDocs;
      keepMs?: number;
      syncKeepMs?: number;
      maxDocs?: number;
      now?: () => number;
    },
  ) {
    this.keepMs = d.keepMs ?? KEEP_MS;
    this.syncKeepMs = d.syncKeepMs ?? SYNC_KEEP_MS;
    this.maxDocs = d.maxDocs ?? MAX_DOCS;
  }

  private now(): number {
    return this.d.now?.() ?? performance.now();
  }

  /** The store's feed is open: reads from now on may be kept. */
  watching(storeId: string): void {
    this.followed.set(storeId, {});
  }

  /** The store's feed read these documents' changes: their copies are dropped. */
  changed(storeId: string, ids: readonly string[]): void {
    const followed = this.followed.get(storeId);
    if (!followed || ids.length === 0) return;
    delete followed.synced;
    for (const id of ids) {
      if (id.startsWith('profile:')) delete followed.profiles;
      this.docs.delete(docKey(storeId, id));
    }
  }

  /** The store's feed failed or stopped: nothing of it is kept until it is open again. */
  unwatched(storeId: string): void {
    this.followed.delete(storeId);
  }

  /** What `loadStoreProfiles` answers, from memory while the store's feed keeps it true. */
  profiles(storeId: string): Promise<StoreProfiles | undefined> {
    const followed = this.followed.get(storeId);
    const read = () => loadStoreProfiles(this.d.couch, storeId);
    if (!followed) return read();
    return this.keep(followed, 'profiles', this.keepMs, read);
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

  /** The store's document `id` (undefined when there is none), as CouchDB answers it. */
  doc(storeId: string, id: string): Promise<CouchDoc | undefined> {
    const followed = this.followed.get(storeId);
    const read = () => this.d.couch.get(storeDbName(storeId), id);
    if (!followed) return read();
    const key = docKey(storeId, id);
    const at = this.now();
    const kept = this.docs.get(key);
    if (kept && kept.of === followed && at - kept.at <= this.keepMs) return kept.value;
    const fresh: KeptDoc = { at, of: followed, value: read() };
    // Oldest first: put back at the end.
    this.docs.delete(key);
    this.docs.set(key, fresh);
    for (const oldest of this.docs.keys()) {
      if (this.docs.size <= this.maxDocs) break;
      this.docs.delete(oldest);
    }
    fresh.value.catch(() => {
      if (this.docs.get(key) === fresh) this.docs.delete(key);
    });
    return fresh.value;
  }

  /** What `lastSync` answers (when the hub last published), kept a few seconds. */
  lastSync(storeId: string): Promise<number | null> {
    const views = this.d.views;
    if (!views) throw new Error('the store cache reads the last sync through the views');
    const followed = this.followed.get(storeId);
    const read = () => lastSync(views, storeId);
    if (!followed) return read();
    return this.keep(followed, 'synced', this.syncKeepMs, read);
  }

  private keep<K extends 'profiles' | 'synced'>(
    followed: Followed,
    field: K,
    keepMs: number,
    read: () => NonNullable<Followed[K]>['value'],
  ): NonNullable<Followed[K]>['value'] {
    const at = this.now();
    const kept = followed[field];
    if (kept && at - kept.at <= keepMs) return kept.value;
    const fresh = { at, value: read() } as NonNullable<Followed[K]>;
    followed[field] = fresh;
    fresh.value.catch(() => {
      // The next read asks again.
      if (followed[field] === fresh) delete followed[field];
    });
    return fresh.value;
  }
}

const docKey = (storeId: string, id: string) => `${storeId}\n${id}`;
