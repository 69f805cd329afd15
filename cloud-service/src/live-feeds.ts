// The change follower's live feeds: one long-poll per provisioned store database, from the moment
// it opens, so a store's writes wake a pass of the follower within a second rather than a sweep
// later, and the store cache learns what changed. Each answer carries every change since the last
// one (ids only): a burst of a thousand writes wakes a feed a few times, not a thousand. What the
// store cache is told: the feed open (its head read), the ids each answer names, blind from a
// long-poll cut with no answer (a quiet feed on a server that never ends one and a dead connection
// look the same) until CouchDB answers again, and closed when a read fails or the feeds stop.
// Stores provisioned later are picked up within `storesEveryMs`.
import { storeDbName, storeIdOfDbName } from '@roomhub/shared-types';
import type { CouchClient, Seq } from './couch';
import { pause } from './feed-copy';
import { provisionedStores } from './stores/registry';
import type { StoreCache } from './stores/store-cache';

/** Changes one wake-up of a store's feed reads at most (their ids only). */
const WAKE_LIMIT = 10_000;

export interface LiveFeedDeps {
  couch: CouchClient;
  storeCache?: Pick<StoreCache, 'watching' | 'changed' | 'unwatched'>;
  log: (error: unknown) => void;
  /** Ends every feed. */
  signal: AbortSignal;
  /** A store database has news, or its feed just opened (what came before is news too). */
  woke(db: string): void;
}

/** Follows every provisioned store's feed until `signal` aborts; settles once all have ended. */
export async function followLiveFeeds(
  d: LiveFeedDeps,
  { storesEveryMs = 10_000, longPollMs = 25_000 }: { storesEveryMs?: number; longPollMs?: number },
): Promise<void> {
  const feeds = new Map<string, Promise<void>>();
  while (!d.signal.aborted) {
    try {
      for (const storeId of await provisionedStores(d.couch)) {
        const db = storeDbName(storeId);
        if (!feeds.has(db)) {
          feeds.set(
            db,
            followFeed(d, db, longPollMs).finally(() => feeds.delete(db)),
          );
        }
      }
    } catch (error) {
      if (!d.signal.aborted) d.log(error);
    }
    await pause(storesEveryMs, d.signal);
  }
  await Promise.allSettled([...feeds.values()]);
}

interface Copies {
  open(): void;
  news(ids: string[]): void;
  closed(): void;
}

/** Long-polls one store database's feed from now on. */
async function followFeed(d: LiveFeedDeps, db: string, longPollMs: number): Promise<void> {
  const storeId = storeIdOfDbName(db);
  const cache = d.storeCache;
  const copies: Copies | undefined =
    storeId && cache
      ? {
          open: () => cache.watching(storeId),
          news: (ids) => cache.changed(storeId, ids),
          closed: () => cache.unwatched(storeId),
        }
      : undefined;
  try {
    await longPoll(d, db, longPollMs, copies);
  } finally {
    copies?.closed();
  }
}

async function longPoll(
  d: LiveFeedDeps,
  db: string,
  longPollMs: number,
  copies: Copies | undefined,
): Promise<void> {
  const { signal } = d;
  let since: Seq | undefined;
  // Whether the last long-poll was cut with no answer: quiet, or the connection dead, which
  // cannot be told apart, so nothing of the store is kept until CouchDB answers again.
  let blind = false;
  while (!signal.aborted) {
    try {
      if (since === undefined) {
        const head = await d.couch.changes(db, { since: 'now', signal });
        if (!head) return;
        since = head.lastSeq;
        // What the store's database holds is told by this feed from here on.
        copies?.open();
        blind = false;
        // What changed before the feed opened is the next pass's too.
        d.woke(db);
      }
      const page = await d.couch.changes(db, {
        since,
        limit: WAKE_LIMIT,
        longpoll: true,
        timeoutMs: longPollMs,
        signal,
      });
      if (!page) return;
      since = page.lastSeq;
      if (page.cut) {
        if (!blind) copies?.closed();
        blind = true;
      } else if (blind) {
        // CouchDB answered again: what changed meanwhile is in this answer, read after it.
        copies?.open();
        blind = false;
      }
      if (page.results.length > 0) {
        copies?.news(page.results.map((c) => c.id));
        d.woke(db);
      }
    } catch (error) {
      // Whatever changed meanwhile went unseen: nothing of the store is kept until the feed is
      // open again.
      copies?.closed();
      if (signal.aborted) return;
      d.log(error);
      since = undefined;
      await pause(1_000, signal);
    }
  }
}
