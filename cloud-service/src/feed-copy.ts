// A database held in a process's memory and kept from its change feed: loaded once (the first
// read waits for it), then followed with one long-poll, so a read of it is a read of memory and
// costs what its answer costs. What this process writes there itself it is told of at once
// (`written`, or `catchUp` after the write), so its own next read sees it; other instances' writes
// arrive with the feed, as soon as CouchDB delivers them. A subclass says what it keeps of each
// document (`written`). Owns the following only; never writes.
import type { CouchClient, CouchDoc, Seq } from './couch';

export interface FeedCopyDeps {
  couch: CouchClient;
  log?: (error: unknown) => void;
  /** How long one long-poll of the feed waits for a change. */
  longPollMs?: number;
  /** Changes read per request. */
  batch?: number;
  /**
   * A read first catches up when the copy has heard nothing from the feed for this long: a feed
   * that keeps failing, or a link that froze, tells nothing, and a copy answering for what the
   * platform decided must not fall behind unseen. Unset: reads never wait for the feed.
   */
  checkEveryMs?: number;
}

/** A document's revision number (`3-abc` is 3); 0 when it has none. */
function generation(doc: CouchDoc): number {
  const n = Number.parseInt(String(doc._rev ?? '0'), 10);
  return Number.isFinite(n) ? n : 0;
}

export abstract class FeedCopy {
  /** The newest revision seen of every document, deleted ones too: an older one never wins. */
  private readonly generations = new Map<string, number>();
  private since: Seq = 0;
  private loaded: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  protected readonly log: (error: unknown) => void;
  private readonly batch: number;
  /** When the copy last read the feed to its head, or was handed changes by it (ms). */
  private heardAt = 0;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly db: string,
    private readonly feed: FeedCopyDeps,
  ) {
    this.log = feed.log ?? (() => {});
    this.batch = feed.batch ?? 1_000;
  }

  /** Keeps (or forgets, when deleted) one document: never an older revision than one kept. */
  protected abstract keep(doc: CouchDoc): void;

  /**
   * Loads the database (once; again after a failed load) and from then on follows its feed. A
   * read waits for this; a failed load fails the read rather than answer from nothing.
   */
  ready(): Promise<void> {
    if (!this.loaded) {
      const load = this.catchUp().then(() => {
        this.following ??= this.follow();
      });
      load.catch(() => {
        if (this.loaded === load) this.loaded = undefined;
      });
      this.loaded = load;
    }
    return this.loaded;
  }

  /**
   * What a read waits for: the load, and a catch-up when the copy has heard nothing from the
   * feed for `checkEveryMs` (one catch-up for all the reads waiting on it). A failed catch-up
   * fails the read.
   */
  protected async current(): Promise<void> {
    await this.ready();
    const every = this.feed.checkEveryMs;
    if (every === undefined || Date.now() - this.heardAt < every) return;
    if (!this.checking) {
      this.checking = this.catchUp().finally(() => (this.checking = undefined));
    }
    await this.checking;
  }

  /**
   * Starts loading now, so the first read after a start finds it loaded; a failed load is logged
   * (unless stopped meanwhile) and tried again by the next read.
   */
  warm(): void {
    this.ready().catch((error: unknown) => {
      if (!this.stopping.signal.aborted) this.log(error);
    });
  }

  /** Stops following the feed (and a load under way). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.following;
  }

  /**
   * Reads the feed up to its head now: what any instance wrote before this call is in the copy
   * after it. Reads need not call it (the feed is followed); a writer of this process does.
   */
  async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.feed.couch.changes(this.db, {
        since: this.since,
        limit: this.batch,
        includeDocs: true,
        signal: this.stopping.signal,
      });
      if (!page) {
        // No database (yet): nothing to hold, which is known now.
        this.heardAt = Date.now();
        return;
      }
      this.apply(page.results);
      this.since = page.lastSeq;
      if (page.results.length < this.batch) {
        this.heardAt = Date.now();
        return;
      }
    }
  }

  /** A document as written (a deletion too): this process's own write, or the feed's. */
  written(doc: CouchDoc): void {
    const id = doc._id;
    if (id.startsWith('_design/')) return;
    const gen = generation(doc);
    if (gen < (this.generations.get(id) ?? 0)) return;
    this.generations.set(id, gen);
    this.keep(doc);
  }

  private apply(results: readonly { doc?: CouchDoc | undefined }[]): void {
    for (const change of results) {
      if (change.doc) this.written(change.doc);
    }
  }

  /** Long-polls the feed until stop(); a failure is logged and tried again a second later. */
  private async follow(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const page = await this.feed.couch.changes(this.db, {
          since: this.since,
          limit: this.batch,
          includeDocs: true,
          longpoll: true,
          timeoutMs: this.feed.longPollMs ?? 25_000,
          signal,
        });
        if (!page) {
          await pause(1_000, signal);
          continue;
        }
        this.apply(page.results);
        this.since = page.lastSeq;
        // Changes handed over prove the feed alive; a quiet long-poll's empty page does not.
        if (page.results.length > 0) this.heardAt = Date.now();
      } catch (error) {
        if (signal.aborted) return;
        this.log(error);
        await pause(1_000, signal);
      }
    }
  }
}

/** Waits `ms`, or less if `signal` aborts (a feed's wait before it reads again). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
