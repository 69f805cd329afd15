// PouchDB's fetch with deadlines for the replicator, so a silently dropped connection becomes an
// error: every request has a deadline, a long-poll change feed has the heartbeat's silence
// watched (a frozen link is told to the replicator, which starts over on fresh connections), and
// a request the replication dropped is let go without a rejection nobody waits for. Owns no
// state of the replication: what it needs comes in through `DeadlineFetchContext`.
import type http from 'node:http';
import PouchDB from 'pouchdb-node';

export interface DeadlineFetchContext {
  /** A long-poll change feed's deadline, and every other request's. */
  feedTimeoutMs: number;
  requestTimeoutMs: number;
  /** A feed silent this long (no heartbeat) means the link froze. */
  silenceMs: number;
  /** The requests in flight, to abort them all when the flows stop. */
  inflight: Set<AbortController>;
  /** Requests of flows that were stopped: forgotten, never settled. */
  forgotten: WeakSet<AbortController>;
  /** The agent the requests go on now, and its generation (a new one after the link froze). */
  agent(): http.Agent;
  generation(): number;
  /** A feed was heard from (`performance.now()`). */
  heard(at: number): void;
  /** A feed went silent on the agent of `generation`. */
  silent(generation: number): void;
}

/** PouchDB's fetch with deadlines, so a silently dropped connection becomes an error. */
export function createDeadlineFetch(
  c: DeadlineFetchContext,
): (url: string, init?: RequestInit) => Promise<unknown> {
  const { inflight, forgotten, feedTimeoutMs, requestTimeoutMs, silenceMs } = c;
  return (url: string, init: RequestInit = {}): Promise<unknown> => {
    const controller = new AbortController();
    inflight.add(controller);
    const upstream = init.signal;
    const onAbort = () => controller.abort();
    if (upstream?.aborted) controller.abort();
    // PouchDB reuses one signal for a whole change feed: the listener must not outlive the call.
    upstream?.addEventListener('abort', onAbort, { once: true });
    const isFeed = url.includes('/_changes?') && url.includes('feed=longpoll');
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      isFeed ? feedTimeoutMs : requestTimeoutMs,
    );
    timer.unref();
    // A feed carries CouchDB's heartbeat: when it stops, the connection (and the link) froze.
    const generation = c.generation();
    let silent = false;
    let silence: NodeJS.Timeout | undefined;
    let heardAt = performance.now();
    let settled = false;
    const listen = (ms: number) => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        // After the I/O already waiting: a hub that was busy for a while has bytes queued.
        setImmediate(() => {
          if (settled) return;
          const quiet = performance.now() - heardAt;
          if (quiet < silenceMs) return listen(silenceMs - quiet);
          silent = true;
          controller.abort();
          c.silent(generation);
        });
      }, ms);
      silence.unref();
    };
    const heard = () => {
      if (!isFeed) return;
      heardAt = performance.now();
      c.heard(heardAt);
      if (!silence) listen(silenceMs);
    };
    if (isFeed) listen(silenceMs);
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(silence);
      inflight.delete(controller);
      upstream?.removeEventListener('abort', onAbort);
    };
    // CouchDB answers an idle long-poll with no results after its timeout; do the same when a
    // long-poll outlives ours, so the feed is renewed without counting as a failure.
    const emptyFeed = () => ({
      ok: true,
      status: 200,
      headers: new Headers(),
      json: async () => ({ results: [], last_seq: sinceOf(url) }),
    });
    // PouchDB's replication asks a source database's info only to count its progress, and leaves
    // the failure of that one call unhandled (`src.info().then(...)` with no catch in its
    // replicate): a line that drops under it would take the process down. An info that fails
    // is answered with no progress instead; the replication's own requests still fail and retry.
    const isInfo = (init.method ?? 'GET') === 'GET' && /\/[^/?_][^/?]*\/$/.test(url);
    const noInfo = () => ({ db_name: url.split('/').at(-2) ?? '', update_seq: 0 });
    const recover = (error: unknown) => {
      settle();
      if (timedOut && !silent && isFeed && !upstream?.aborted) return emptyFeed();
      if (isInfo && !upstream?.aborted) {
        return { ok: true, status: 200, headers: new Headers(), json: async () => noInfo() };
      }
      throw error;
    };
    // node-fetch is given no signal: an abort it carried out itself would reject promises of its
    // own that nobody may be waiting for any more (a cancelled flow), which takes the process
    // down. Ours is a race instead: the caller is told at once, the dropped request's body is let
    // go, and its socket ends with the agent (a frozen link) or with the server's answer.
    let raw: Response | undefined;
    const dropped = quietly(
      new Promise<never>((_, reject) => {
        const drop = () => {
          (raw?.body as unknown as { destroy?: () => void } | null)?.destroy?.();
          // A request of flows that were stopped is forgotten, never settled: the flows that
          // asked are gone, and a rejection would reach nobody.
          if (forgotten.has(controller)) return settle();
          reject(Object.assign(new Error(`request dropped: ${url}`), { name: 'AbortError' }));
        };
        if (controller.signal.aborted) drop();
        else controller.signal.addEventListener('abort', drop, { once: true });
      }),
    );
    const answered = quietly(
      (
        PouchDB.fetch(url, {
          ...init,
          agent: c.agent(),
          signal: undefined,
        } as never) as Promise<Response>
      ).then((response) => (raw = response)),
    );
    const fetching = Promise.race([answered, dropped]).then((response: Response) => {
      heard();
      return new Proxy(response, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function') return value;
          if (['json', 'text', 'buffer', 'blob', 'arrayBuffer'].includes(String(prop))) {
            return (...args: unknown[]) => {
              const reading = quietly(
                (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
              );
              // node-fetch reads its body as a Node stream: each heartbeat is a chunk. Listened
              // to after the reader, so the reader misses nothing.
              (target.body as unknown as NodeJS.ReadableStream | null)?.on?.('data', heard);
              return quietly(
                Promise.race([reading, dropped]).then(
                  (body) => {
                    settle();
                    return body;
                  },
                  (error: unknown) => {
                    if (!isInfo || upstream?.aborted) return recover(error);
                    settle();
                    return noInfo();
                  },
                ),
              );
            };
          }
          return (value as (...a: unknown[]) => unknown).bind(target);
        },
      });
    }, recover);
    return quietly(fetching);
  };
}

function sinceOf(url: string): string | number {
  const since = new URL(url).searchParams.get('since') ?? '0';
  return /^\d+$/.test(since) ? Number(since) : since;
}

/**
 * A request the replication dropped (the link froze, the flows stopped) rejects after its reader
 * is gone: the rejection is still the caller's to see, but no longer an unhandled one that would
 * take the process down.
 */
function quietly<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
