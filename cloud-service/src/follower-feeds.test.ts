// What the change follower tells the store cache of each store's live feed: open once its head is
// read, the ids each answer names, blind from a long-poll cut with no answer (a quiet feed on a
// server that never ends one, or a dead connection: the two cannot be told apart) until CouchDB
// answers again, and closed when a read fails or the follower stops. CouchDB is scripted here: each
// long-poll waits until the test answers it.
import { describe, expect, it } from 'vitest';
import { storeDbName } from '@roomhub/shared-types';
import type { ChangesOptions, ChangesPage, CouchClient } from './couch';
import { Follower, type FollowerDeps } from './follower';

const STORE = 'ff1';
const DB = storeDbName(STORE);

interface Poll {
  since: unknown;
  answer(page: ChangesPage | Error): void;
}

function scriptedCouch() {
  const polls: Poll[] = [];
  let heads = 0;
  const couch = {
    requireDb: () => Promise.resolve(),
    get: () => Promise.resolve(undefined),
    put: () => Promise.resolve('1-a'),
    byIds: () => Promise.resolve([]),
    dbUpdates: () => Promise.resolve(undefined),
    byPrefix: (db: string, prefix: string) =>
      Promise.resolve(prefix === 'store:' ? [{ _id: `store:${STORE}`, storeId: STORE }] : []),
    changes: (db: string, o: ChangesOptions) => {
      expect(db).toBe(DB);
      if (o.since === 'now') {
        heads += 1;
        return Promise.resolve({ results: [], lastSeq: 10 });
      }
      // A pass reading the feed: nothing to do.
      if (!o.longpoll) return Promise.resolve({ results: [], lastSeq: o.since ?? 0 });
      return new Promise<ChangesPage | undefined>((done, fail) => {
        const poll: Poll = {
          since: o.since,
          answer: (page) => (page instanceof Error ? fail(page) : done(page)),
        };
        polls.push(poll);
        o.signal?.addEventListener('abort', () => done(undefined), { once: true });
      });
    },
  } as unknown as CouchClient;
  return { couch, polls, heads: () => heads };
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((done) => setTimeout(done, 10));
  expect(what()).toBe(true);
};

describe("the follower's live feeds and the store cache", () => {
  it('tells the cache when a feed opens, what it names, when it is blind or failed, and when it stops', async () => {
    const { couch, polls, heads } = scriptedCouch();
    const told: string[] = [];
    const storeCache = {
      watching: (s: string) => void told.push(`open ${s}`),
      changed: (s: string, ids: readonly string[]) => void told.push(`news ${s} ${ids.join(',')}`),
      unwatched: (s: string) => void told.push(`closed ${s}`),
      indexed: () => undefined,
    };
    const follower = new Follower({
      couch,
      storeCache,
      clock: { now: () => Date.now() },
      views: { warmStore: () => Promise.resolve(true) },
      customers: { addMany: () => Promise.resolve(0) },
      log: () => {},
    } as unknown as FollowerDeps);
    follower.follow({ longPollMs: 60_000, storesEveryMs: 60_000 });

    await until(() => polls.length === 1);
    expect(told).toEqual([`open ${STORE}`]);
    expect(polls[0]!.since).toBe(10);

    // An answer: its ids.
    polls[0]!.answer({ results: [{ id: 'profile:store', seq: 11 }], lastSeq: 11 });
    await until(() => polls.length === 2);
    expect(told.at(-1)).toBe(`news ${STORE} profile:store`);

    // Cut with no answer: blind, and told once however often it is cut again.
    polls[1]!.answer({ results: [], lastSeq: 11, cut: true });
    await until(() => polls.length === 3);
    polls[2]!.answer({ results: [], lastSeq: 11, cut: true });
    await until(() => polls.length === 4);
    expect(told.slice(-2)).toEqual([`news ${STORE} profile:store`, `closed ${STORE}`]);

    // CouchDB answers again (here with what changed meanwhile): open, then its news.
    polls[3]!.answer({
      results: [{ id: 'availability:r1:d1', seq: 12 }],
      lastSeq: 12,
    });
    await until(() => polls.length === 5);
    expect(told.slice(-2)).toEqual([`open ${STORE}`, `news ${STORE} availability:r1:d1`]);
    // A quiet long-poll CouchDB itself ended: still open, nothing to tell.
    polls[4]!.answer({ results: [], lastSeq: 12 });
    await until(() => polls.length === 6);
    expect(told.at(-1)).toBe(`news ${STORE} availability:r1:d1`);
    expect(polls[5]!.since).toBe(12);

    // A failed read: closed, and opened again from a new head.
    polls[5]!.answer(new Error('connection reset'));
    await until(() => polls.length === 7);
    expect(told.slice(-2)).toEqual([`closed ${STORE}`, `open ${STORE}`]);
    expect(heads()).toBe(2);

    await follower.stop();
    expect(told.at(-1)).toBe(`closed ${STORE}`);
  });
});
