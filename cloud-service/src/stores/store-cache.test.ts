// What an instance keeps of a store's database while the change follower follows its feed: a
// read never answers what the feed has already said changed, nothing is older than its time, and
// while the feed is closed every read asks CouchDB. The hub's writes (of the profile and of three
// documents), the feed's news in the order of the writes, reads that CouchDB answers late and in
// any order, the feed failing and opening again, and the clock moving are played in random order
// against a database whose documents tell which write they are.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STORE_PROFILE_ID, storeDbName } from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import { seedStoreDocs } from '../../test/cloud-fixtures';
import { StoreCache } from './store-cache';

const STORE = 'pc1';
const KEEP_MS = 1_000;
const DOCS = ['availability:pc1-r1:2026-12-01', 'availability:pc1-r1:2026-12-02', 'devices:health'];
type Target = 'profile' | (typeof DOCS)[number];
const TARGETS: Target[] = ['profile', ...DOCS];

/** The profile documents a hub publishes for STORE (one room), as the fixtures seed them. */
async function seededProfiles(): Promise<CouchDoc[]> {
  const docs = new Map<string, CouchDoc>();
  const writer = {
    get: (_db: string, id: string) => Promise.resolve(docs.get(id)),
    put: (_db: string, doc: CouchDoc) => {
      docs.set(doc._id, doc);
      return Promise.resolve('1-a');
    },
  } as unknown as CouchClient;
  await seedStoreDocs(
    writer,
    {
      storeId: STORE,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '09:00', close: '23:00' },
      rooms: [{ roomId: `${STORE}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
    },
    Date.parse('2026-12-01T00:00:00Z'),
  );
  return [...docs.values()].filter((d) => d._id.startsWith('profile:'));
}

/**
 * The store's database as the hub writes it: each write of a document is a version (the store's
 * name, or the document's `version`, says which). A read takes the version of when it was asked
 * and answers when `answer` lets it, so what CouchDB answers may be late and out of order.
 */
class Database {
  readonly versions = new Map<Target, number>(TARGETS.map((t) => [t, 0]));
  readonly asked: { answer: () => void }[] = [];
  reads = 0;
  /** Whether the next reads fail (the link cut). */
  failing = false;

  constructor(private readonly profiles: CouchDoc[]) {}

  private read<T>(value: () => T): Promise<T> {
    this.reads += 1;
    if (this.failing) return Promise.reject(new Error('cut'));
    const now = value();
    return new Promise<T>((done) => this.asked.push({ answer: () => done(now) }));
  }

  client(): CouchClient {
    const profiles = () => {
      const version = this.versions.get('profile')!;
      return this.profiles.map((d) =>
        d._id === STORE_PROFILE_ID ? { ...d, name: `Store v${version}` } : d,
      );
    };
    return {
      byPrefix: (db: string, prefix: string) => {
        expect([db, prefix]).toEqual([storeDbName(STORE), 'profile:']);
        return this.read(profiles);
      },
      byIds: (db: string, ids: string[]) => {
        expect(db).toBe(storeDbName(STORE));
        return this.read(() => profiles().filter((d) => ids.includes(d._id)));
      },
      get: (db: string, id: string) => {
        expect(db).toBe(storeDbName(STORE));
        const version = this.versions.get(id);
        expect(version).toBeDefined();
        return this.read(() => (version === 0 ? undefined : { _id: id, version }));
      },
    } as unknown as CouchClient;
  }
}

type Step =
  | { kind: 'write'; target: number }
  | { kind: 'news'; told: boolean }
  | { kind: 'read'; target: number; room: boolean }
  | { kind: 'answer'; pick: number }
  | { kind: 'feed-fails' }
  | { kind: 'feed-opens' }
  | { kind: 'tick'; ms: number };

const target = fc.nat(TARGETS.length - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('write' as const), target }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('news' as const), told: fc.boolean() }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant('read' as const), target, room: fc.boolean() }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(20) }), weight: 6 },
  { arbitrary: fc.constant({ kind: 'feed-fails' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'feed-opens' as const }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.integer({ min: 1, max: 700 }),
    }),
    weight: 2,
  },
);

const versionOf = (name: string | undefined) => Number(/^Store v(\d+)$/.exec(name ?? '')?.[1]);
const settle = () => new Promise((done) => setImmediate(done));

describe("what an instance keeps of a store's database while its feed is followed", () => {
  it('never answers what the feed said changed, nor what is older than its time, nor unfollowed from memory', async () => {
    const profiles = await seededProfiles();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 300),
        async (steps, maxDocs, settleMs) => {
          const db = new Database(profiles);
          let now = 0;
          const cache = new StoreCache({
            couch: db.client(),
            keepMs: KEEP_MS,
            maxDocs,
            settleMs,
            now: () => now,
          });
          let open = false;
          // Writes the feed has not told yet (it tells them in the order they were made), and
          // the version of each target it told last.
          const untold: { target: Target; version: number }[] = [];
          const told = new Map<Target, number>(TARGETS.map((t) => [t, 0]));
          /** Each write, when it was made: what was true `keepMs` ago. */
          const writes: { at: number; target: Target; version: number }[] = [];
          const reads: Promise<void>[] = [];

          for (const s of steps) {
            if (s.kind === 'write') {
              const t = TARGETS[s.target]!;
              const version = db.versions.get(t)! + 1;
              db.versions.set(t, version);
              writes.push({ at: now, target: t, version });
              if (open) untold.push({ target: t, version });
            } else if (s.kind === 'news') {
              if (!open) continue;
              const next = s.told ? untold.shift() : undefined;
              if (next) told.set(next.target, next.version);
              const id =
                next === undefined
                  ? undefined
                  : next.target === 'profile'
                    ? STORE_PROFILE_ID
                    : next.target;
              cache.changed(STORE, ['booking:b1', ...(id ? [id] : []), 'ledger:b1:p1']);
            } else if (s.kind === 'read') {
              const t = TARGETS[s.target]!;
              // Never older than what the feed had told when it was asked, nor than what was
              // written `keepMs` before; unfollowed, than what was written when asked.
              const keptSince =
                writes.filter((w) => w.target === t && w.at < now - KEEP_MS).at(-1)?.version ?? 0;
              const floor = open ? Math.max(told.get(t)!, keptSince) : db.versions.get(t)!;
              const label = `${t} read at ${now} (feed open: ${open})`;
              const asked: Promise<number> =
                t === 'profile'
                  ? s.room
                    ? cache.room(STORE, `${STORE}-r1`).then((a) => versionOf(a?.store.name))
                    : cache.profiles(STORE).then((a) => versionOf(a?.store.name))
                  : cache.doc(STORE, t).then((d) => Number(d?.version ?? 0));
              reads.push(
                asked.then((got) => void expect(got, label).toBeGreaterThanOrEqual(floor)),
              );
            } else if (s.kind === 'answer') {
              if (db.asked.length === 0) continue;
              db.asked.splice(s.pick % db.asked.length, 1)[0]!.answer();
            } else if (s.kind === 'feed-fails') {
              open = false;
              untold.length = 0;
              cache.unwatched(STORE);
            } else if (s.kind === 'feed-opens') {
              if (open) continue;
              // Opened from now: what was written before is read as it is now.
              open = true;
              for (const t of TARGETS) told.set(t, db.versions.get(t)!);
              cache.watching(STORE);
            } else {
              now += s.ms;
            }
            // Answered reads settle before the next step, as the event loop would.
            await settle();
          }
          while (db.asked.length > 0) db.asked.shift()!.answer();
          await Promise.all(reads);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('asks CouchDB once for many reads while nothing changes, and again after a change', async () => {
    const db = new Database(await seededProfiles());
    let now = 0;
    let written = '2026-12-01T00:00:00.000Z';
    let views = 0;
    const cache = new StoreCache({
      couch: db.client(),
      views: {
        store: () => {
          views += 1;
          return Promise.resolve([{ key: ['written', written] }]);
        },
      } as unknown as DesignDocs,
      keepMs: KEEP_MS,
      syncKeepMs: 100,
      settleMs: 0,
      now: () => now,
    });
    const answerAll = async () => {
      while (db.asked.length > 0) db.asked.shift()!.answer();
      await settle();
    };
    const read = async () => {
      const p = cache.profiles(STORE);
      await answerAll();
      return versionOf((await p)?.store.name);
    };
    const day = DOCS[0]!;
    const readDay = async () => {
      const p = cache.doc(STORE, day);
      await answerAll();
      return Number((await p)?.version ?? 0);
    };

    // Not followed: every read asks.
    await read();
    await read();
    expect(db.reads).toBe(2);

    cache.watching(STORE);
    await Promise.all([read(), read(), cache.room(STORE, `${STORE}-r1`)]);
    await read();
    expect(db.reads).toBe(3);
    // A day with nothing published is kept as nothing, until the hub publishes it.
    expect(await readDay()).toBe(0);
    expect(await readDay()).toBe(0);
    expect(db.reads).toBe(4);
    // News of other documents keeps both.
    cache.changed(STORE, ['booking:b1', 'ledger:b1:p1', DOCS[1]!]);
    await read();
    await readDay();
    expect(db.reads).toBe(4);

    db.versions.set('profile', 1);
    db.versions.set(day, 1);
    cache.changed(STORE, ['profile:room:pc1-r1', day]);
    expect(await read()).toBe(1);
    expect(await readDay()).toBe(1);
    expect(db.reads).toBe(6);

    // Past its time, read again.
    now += KEEP_MS + 1;
    await read();
    expect(db.reads).toBe(7);
    await read();
    expect(db.reads).toBe(7);

    // A failed read is not kept: the next read asks again.
    now += KEEP_MS + 1;
    db.failing = true;
    const failed = cache.profiles(STORE);
    db.failing = false;
    await answerAll();
    await expect(failed).rejects.toThrow('cut');
    expect(await read()).toBe(1);
    expect(db.reads).toBe(9);

    // The last sync: kept its own shorter time, and dropped by any news of the store.
    expect(await cache.lastSync(STORE)).toBe(Date.parse(written));
    written = '2026-12-01T01:00:00.000Z';
    expect(await cache.lastSync(STORE)).toBe(Date.parse('2026-12-01T00:00:00.000Z'));
    expect(views).toBe(1);
    cache.changed(STORE, ['ledger:b1:p2']);
    expect(await cache.lastSync(STORE)).toBe(Date.parse(written));
    written = '2026-12-01T02:00:00.000Z';
    now += 101;
    expect(await cache.lastSync(STORE)).toBe(Date.parse(written));
    expect(views).toBe(3);
    // The follower brought the view up to date: read from it again.
    written = '2026-12-01T03:00:00.000Z';
    cache.indexed(STORE);
    expect(await cache.lastSync(STORE)).toBe(Date.parse(written));
    expect(views).toBe(4);

    // At most `maxDocs` documents are kept: the oldest goes first.
    const small = new StoreCache({ couch: db.client(), maxDocs: 1, settleMs: 0, now: () => now });
    small.watching(STORE);
    const readOf = async (id: string) => {
      const p = small.doc(STORE, id);
      await answerAll();
      await p;
    };
    const before = db.reads;
    await readOf(DOCS[0]!);
    await readOf(DOCS[0]!);
    await readOf(DOCS[1]!);
    await readOf(DOCS[0]!);
    expect(db.reads - before).toBe(3);

    // What was kept under a feed since closed is not answered once it is open again: what was
    // written meanwhile was never told.
    expect(await readDay()).toBe(1);
    cache.unwatched(STORE);
    db.versions.set(day, 2);
    cache.watching(STORE);
    expect(await readDay()).toBe(2);

    // An owner's change answered: everything of the store is read afresh, the feed still open.
    await read();
    await readDay();
    const beforeForget = db.reads;
    cache.forget(STORE);
    await read();
    await readDay();
    await read();
    expect(db.reads - beforeForget).toBe(2);

    // For a while after the feed told a change, reads of it are answered but not kept (a
    // cluster's copy of the shard may still be behind the feed); then kept again.
    const settling = new StoreCache({ couch: db.client(), settleMs: 100, now: () => now });
    settling.watching(STORE);
    const settled = async (what: () => Promise<unknown>) => {
      const before = db.reads;
      const p = what();
      await answerAll();
      await p;
      return db.reads - before;
    };
    const both = () => Promise.all([settling.profiles(STORE), settling.doc(STORE, day)]);
    expect(await settled(both)).toBe(2);
    expect(await settled(both)).toBe(0);
    settling.changed(STORE, ['profile:store', day]);
    now += 50;
    expect(await settled(both)).toBe(2);
    expect(await settled(both)).toBe(2);
    now += 51;
    expect(await settled(both)).toBe(2);
    expect(await settled(both)).toBe(0);
    const afterSettling = db.reads;

    // The feed closed: every read asks again.
    cache.unwatched(STORE);
    // (An owner's change answered meanwhile does not make it kept.)
    cache.forget(STORE);
    await read();
    await read();
    await readDay();
    expect(db.reads - afterSettling).toBe(3);
  });
});
