// What an instance keeps in memory of each store's database while its change follower follows the
// store's feed live, so the reads customers and owners make most (a store page, a room's day, an
// owner's board) do not ask CouchDB each time for what has not changed: the store's profiles and
// rooms, single documents (a room's day of availability), and when the hub last synced.
//
// What keeps the copies true is the feed. The change follower tells `watching` when a store's feed
// opens, `changed` with the ids of each answer, and `unwatched` when the feed fails, stops, or is
// blind (a long-poll cut with no answer: quiet, or a dead connection, which cannot be told apart)
// until CouchDB answers again. News of a document drops its copy at once (a `profile:` id drops the
// profiles; any news drops the last sync), so a read asked before a change is never answered after
// the feed told it; for 2 s after, reads of it are answered but not kept (on a cluster a read may
// come from a copy of the shard still behind the feed). While a store's feed is not open, every
// read of it asks CouchDB. An owner's change this instance saw answered drops the store's copies
// (`forget`), so the owner's next read shows it even before the feed tells it; the follower's
// bringing the views up to date drops the last sync (`indexed`). Nothing is answered older than its
// time (60 s; the last sync 5 s), nor a read that failed; at most MAX_DOCS documents of all stores
// are kept (the oldest go first; a copy from a feed since closed is never answered and goes in its
// turn). Each instance follows every store's feed itself, so each keeps its own copies true; where
// nothing follows the feeds (the sweep turned off, a command), every read asks CouchDB, as before.
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
/**
 * How long after the feed told a change reads of it are answered but not kept: on a cluster a read
 * may come from a copy of the shard that has not caught up with the feed yet.
 */
const SETTLE_MS = 2_000;
const SYNC_KEEP_MS = 5_000;
/** Single documents kept at most, of all stores together. */
const MAX_DOCS = 5_000;

interface Kept<T> {
  at: number;
  value: Promise<T>;
}

/** A store whose feed is open: its copies. A new one each time the feed opens. */
interface Followed {
  /** Which opening of the feed: a document kept under another one is not answered. */
  opened: number;
  /** When the feed last told a change of the profiles, and of anything of the store. */
  news: { profiles?: number; synced?: number };
  profiles?: Kept<StoreProfiles | undefined>;
  synced?: Kept<number | null>;
}

interface KeptDoc extends Kept<CouchDoc | undefined> {
  /** The opening of the store's feed it was read under. */
  opened: number;
}

export class StoreCache {
  private readonly followed = new Map<string, Followed>();
  /** Single documents by store and id, oldest first. */
  private readonly docs = new Map<string, KeptDoc>();
  private readonly keepMs: number;
  private readonly syncKeepMs: number;
  private readonly maxDocs: number;
  private readonly settleMs: number;
  private openings = 0;
  /** When the feed told each document's last change, within the last `settleMs`, oldest first. */
  private readonly docNews = new Map<string, number>();

  constructor(
    private readonly d: {
      couch: CouchClient;
      views?: DesignDocs;
      keepMs?: number;
      syncKeepMs?: number;
      maxDocs?: number;
      settleMs?: number;
      now?: () => number;
    },
  ) {
    this.keepMs = d.keepMs ?? KEEP_MS;
    this.syncKeepMs = d.syncKeepMs ?? SYNC_KEEP_MS;
    this.maxDocs = d.maxDocs ?? MAX_DOCS;
    this.settleMs = d.settleMs ?? SETTLE_MS;
  }

  private now(): number {
    return this.d.now?.() ?? performance.now();
  }

  /** The store's feed is open: reads from now on may be kept. */
  watching(storeId: string): void {
    this.followed.set(storeId, { opened: ++this.openings, news: {} });
  }

  /** The store's feed read these documents' changes: their copies are dropped. */
  changed(storeId: string, ids: readonly string[]): void {
    const followed = this.followed.get(storeId);
    if (!followed || ids.length === 0) return;
    const at = this.now();
    delete followed.synced;
    followed.news.synced = at;
    for (const id of ids) {
      if (id.startsWith('profile:')) {
        delete followed.profiles;
        followed.news.profiles = at;
      }
      const key = docKey(storeId, id);
      this.docs.delete(key);
      this.docNews.delete(key);
      this.docNews.set(key, at);
    }
    for (const [key, told] of this.docNews) {
      if (at - told < this.settleMs && this.docNews.size <= this.maxDocs) break;
      this.docNews.delete(key);
    }
  }

  /** The store's feed failed or stopped: nothing of it is kept until it is open again. */
  unwatched(storeId: string): void {
    this.followed.delete(storeId);
  }

  /**
   * Drops every copy of the store, its feed still followed: what this instance just learnt the
   * store changed (an owner's change it answered) is read afresh, whether or not the feed has
   * told it yet.
   */
  forget(storeId: string): void {
    const followed = this.followed.get(storeId);
    // What the feed told lately still settles.
    if (followed)
      this.followed.set(storeId, { opened: ++this.openings, news: { ...followed.news } });
  }

  /** The store's views are up to date: when the hub last synced is read from them again. */
  indexed(storeId: string): void {
    const followed = this.followed.get(storeId);
    if (followed) delete followed.synced;
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
    if (at - (this.docNews.get(key) ?? -Infinity) < this.settleMs) return read();
    const kept = this.docs.get(key);
    if (kept && kept.opened === followed.opened && at - kept.at <= this.keepMs) return kept.value;
    const fresh: KeptDoc = { at, opened: followed.opened, value: read() };
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
    if (at - (followed.news[field] ?? -Infinity) < this.settleMs) return read();
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
