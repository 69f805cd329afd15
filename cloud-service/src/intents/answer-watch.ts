// Wakes a waiting intent the moment its hub's answer lands: one long-poll on the change feed per
// store database with waiters (filtered to the answer ids waited for), fanned out to them. It only
// tells a waiter "look now"; reading and settling the answer stays with the intent service. If
// the feed fails, waiters are told so and fall back to a slow re-read of their own.
import type { CouchClient, Seq } from '../couch';
import { answerDocId, storeDbName } from '@roomhub/shared-types';

export interface AnswerWaiter {
  /**
   * Resolves once a feed that will report the answer is open: an answer written after this is
   * reported by `next`, one written before it is found by a read made after it.
   */
  ready: Promise<void>;
  /** Resolves when the answer document changed, or after `ms` without news. */
  next(ms: number): Promise<void>;
  /** True once the watch is closed: there is no news to wait for any more. */
  readonly closed: boolean;
  stop(): void;
}

interface Waiter {
  docId: string;
  covered: () => void;
  wake: () => void;
}

export interface AnswerWatchDeps {
  couch: CouchClient;
  longPollMs?: number;
  retryMs?: number;
  log?: (error: unknown) => void;
}

export class AnswerWatch {
  readonly couch: CouchClient;
  readonly longPollMs: number;
  readonly retryMs: number;
  readonly log: (error: unknown) => void;
  private readonly feeds = new Map<string, StoreFeed>();
  private isClosed = false;

  constructor(d: AnswerWatchDeps) {
    this.couch = d.couch;
    this.longPollMs = d.longPollMs ?? 25_000;
    this.retryMs = d.retryMs ?? 1_000;
    this.log = d.log ?? (() => {});
  }

  /** True once closed: there is no news to wait for any more. */
  get closed(): boolean {
    return this.isClosed;
  }

  watch(storeId: string, intentId: string): AnswerWaiter {
    const db = storeDbName(storeId);
    let covered!: () => void;
    const ready = new Promise<void>((resolve) => (covered = resolve));
    let woken = false;
    let wakeUp: (() => void) | undefined;
    const waiter: Waiter = {
      docId: answerDocId(intentId),
      covered,
      wake: () => {
        woken = true;
        wakeUp?.();
      },
    };
    let feed: StoreFeed | undefined;
    if (this.isClosed) {
      covered();
    } else {
      feed = this.feeds.get(db);
      if (!feed) {
        feed = new StoreFeed(db, this);
        this.feeds.set(db, feed);
      }
      feed.add(waiter);
    }
    const isClosed = () => this.isClosed;
    return {
      ready,
      get closed() {
        return isClosed();
      },
      next(ms) {
        if (woken) {
          woken = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.max(0, ms));
          function done() {
            clearTimeout(timer);
            wakeUp = undefined;
            woken = false;
            resolve();
          }
          wakeUp = done;
        });
      },
      stop() {
        wakeUp?.();
        feed?.remove(waiter);
      },
    };
  }

  /** Ends every feed; waiters fall back to their own re-reads. */
  close(): void {
    this.isClosed = true;
    for (const feed of this.feeds.values()) {
      for (const w of feed.waiters) {
        w.covered();
        w.wake();
      }
      feed.interrupt();
    }
    this.feeds.clear();
  }

  /** A feed whose waiters are all gone has stopped; the next waiter starts a new one. */
  ended(feed: StoreFeed): void {
    if (this.feeds.get(feed.db) === feed) this.feeds.delete(feed.db);
  }
}

/** One store database's feed, shared by every waiter on an answer of that store. */
class StoreFeed {
  readonly waiters = new Set<Waiter>();
  private since: Seq | undefined;
  private inFlight = new Set<string>();
  private poll: AbortController | undefined;
  private restart = false;
  private running = false;

  constructor(
    readonly db: string,
    private readonly watch: AnswerWatch,
  ) {}

  add(waiter: Waiter): void {
    this.waiters.add(waiter);
    if (!this.running) void this.run();
    else if (!this.inFlight.has(waiter.docId)) this.interrupt();
  }

  remove(waiter: Waiter): void {
    this.waiters.delete(waiter);
    if (this.waiters.size === 0) this.interrupt();
  }

  /** Ends the current long-poll so the next one carries the current set of ids. */
  interrupt(): void {
    this.restart = true;
    this.poll?.abort();
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.waiters.size > 0 && !this.watch.closed) {
      this.restart = false;
      try {
        if (this.since === undefined) {
          const head = await this.watch.couch.changes(this.db, { since: 'now' });
          if (!head) throw new Error(`no database ${this.db}`);
          this.since = head.lastSeq;
        }
        if (this.waiters.size === 0 || this.watch.closed) break;
        const ids = [...new Set([...this.waiters].map((w) => w.docId))];
        this.inFlight = new Set(ids);
        this.poll = new AbortController();
        const page = this.watch.couch.changes(this.db, {
          since: this.since,
          docIds: ids,
          longpoll: true,
          timeoutMs: this.watch.longPollMs,
          signal: this.poll.signal,
        });
        for (const w of this.waiters) if (this.inFlight.has(w.docId)) w.covered();
        const result = await page;
        if (!result) throw new Error(`no database ${this.db}`);
        this.since = result.lastSeq;
        const changed = new Set(result.results.map((c) => c.id));
        for (const w of this.waiters) if (changed.has(w.docId)) w.wake();
      } catch (error) {
        if (this.restart || this.watch.closed) continue;
        this.watch.log(error);
        // Waiters re-read on their own meanwhile; start from a fresh position after a pause.
        for (const w of this.waiters) w.covered();
        this.since = undefined;
        await new Promise((r) => setTimeout(r, this.watch.retryMs));
      } finally {
        this.inFlight = new Set();
        this.poll = undefined;
      }
    }
    this.running = false;
    this.watch.ended(this);
  }
}
