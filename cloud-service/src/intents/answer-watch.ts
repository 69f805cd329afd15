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

export interface AnswerWatch {
  watch(storeId: string, intentId: string): AnswerWaiter;
  /** Ends every feed; waiters fall back to their own re-reads. */
  close(): void;
}

interface Waiter {
  docId: string;
  covered: () => void;
  wake: () => void;
}

export function createAnswerWatch(
  couch: CouchClient,
  options: { longPollMs?: number; retryMs?: number; log?: (error: unknown) => void } = {},
): AnswerWatch {
  const { longPollMs = 25_000, retryMs = 1_000, log = () => {} } = options;
  const feeds = new Map<string, StoreFeed>();
  let closed = false;

  class StoreFeed {
    readonly waiters = new Set<Waiter>();
    private since: Seq | undefined;
    private inFlight = new Set<string>();
    private poll: AbortController | undefined;
    private restart = false;
    private running = false;

    constructor(readonly db: string) {}

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
      while (this.waiters.size > 0 && !closed) {
        this.restart = false;
        try {
          if (this.since === undefined) {
            const head = await couch.changes(this.db, { since: 'now' });
            if (!head) throw new Error(`no database ${this.db}`);
            this.since = head.lastSeq;
          }
          if (this.waiters.size === 0 || closed) break;
          const ids = [...new Set([...this.waiters].map((w) => w.docId))];
          this.inFlight = new Set(ids);
          this.poll = new AbortController();
          const page = couch.changes(this.db, {
            since: this.since,
            docIds: ids,
            longpoll: true,
            timeoutMs: longPollMs,
            signal: this.poll.signal,
          });
          for (const w of this.waiters) if (this.inFlight.has(w.docId)) w.covered();
          const result = await page;
          if (!result) throw new Error(`no database ${this.db}`);
          this.since = result.lastSeq;
          const changed = new Set(result.results.map((c) => c.id));
          for (const w of this.waiters) if (changed.has(w.docId)) w.wake();
        } catch (error) {
          if (this.restart || closed) continue;
          log(error);
          // Waiters re-read on their own meanwhile; start from a fresh position after a pause.
          for (const w of this.waiters) w.covered();
          this.since = undefined;
          await new Promise((r) => setTimeout(r, retryMs));
        } finally {
          this.inFlight = new Set();
          this.poll = undefined;
        }
      }
      this.running = false;
      if (feeds.get(this.db) === this) feeds.delete(this.db);
    }
  }

  return {
    watch(storeId, intentId) {
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
      if (closed) {
        covered();
      } else {
        feed = feeds.get(db);
        if (!feed) {
          feed = new StoreFeed(db);
          feeds.set(db, feed);
        }
        feed.add(waiter);
      }
      return {
        ready,
        get closed() {
          return closed;
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
    },
    close() {
      closed = true;
      for (const feed of feeds.values()) {
        for (const w of feed.waiters) {
          w.covered();
          w.wake();
        }
        feed.interrupt();
      }
      feeds.clear();
    },
  };
}
