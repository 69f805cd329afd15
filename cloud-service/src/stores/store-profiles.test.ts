// A store's profiles kept in memory while the change follower follows its feed: a read never
// answers what the feed has already said changed, a read begun before a change is not kept after
// it, nothing is kept past its time, and while the feed is closed every read asks CouchDB. The
// hub's writes, the feed's news, reads that CouchDB answers late and in any order, the feed
// failing and opening again, and the clock moving are played in random order against a
// database of profile documents whose store name tells which write it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STORE_PROFILE_ID, storeDbName } from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import { seedStoreDocs } from '../../test/cloud-fixtures';
import { ProfileCache } from './store-profiles';

const STORE = 'pc1';
const KEEP_MS = 1_000;

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
 * The store's database as the hub writes it: each write of the profile is a version (the store's
 * name says which). A read takes the version of when it was asked and answers when `answer` lets
 * it, so what CouchDB answers may be late and out of order.
 */
class Database {
  version = 0;
  readonly asked: { version: number; answer: () => void }[] = [];
  reads = 0;
  /** Whether the next reads fail (the link cut). */
  failing = false;

  constructor(private readonly profiles: CouchDoc[]) {}

  client(): CouchClient {
    const read = () => {
      this.reads += 1;
      const version = this.version;
      if (this.failing) return Promise.reject(new Error('cut'));
      const docs = this.profiles.map((d) =>
        d._id === STORE_PROFILE_ID ? { ...d, name: `Store v${version}` } : d,
      );
      return new Promise<CouchDoc[]>((done) =>
        this.asked.push({ version, answer: () => done(docs) }),
      );
    };
    return {
      byPrefix: (db: string, prefix: string) => {
        expect([db, prefix]).toEqual([storeDbName(STORE), 'profile:']);
        return read();
      },
      byIds: async (db: string, ids: string[]) => {
        expect(db).toBe(storeDbName(STORE));
        return (await read()).filter((d) => ids.includes(d._id));
      },
    } as unknown as CouchClient;
  }
}

type Step =
  | { kind: 'write' }
  | { kind: 'news'; profile: boolean }
  | { kind: 'read'; room: boolean }
  | { kind: 'answer'; pick: number }
  | { kind: 'feed-fails' }
  | { kind: 'feed-opens' }
  | { kind: 'tick'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'write' as const }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('news' as const), profile: fc.boolean() }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('read' as const), room: fc.boolean() }), weight: 5 },
  {
    arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(20) }),
    weight: 5,
  },
  { arbitrary: fc.constant({ kind: 'feed-fails' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'feed-opens' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.integer({ min: 1, max: 700 }),
    }),
    weight: 2,
  },
);

const versionOf = (name: string | undefined) => Number(/^Store v(\d+)$/.exec(name ?? '')?.[1]);

describe("a store's profiles kept while its feed is followed", () => {
  it('never answers what the feed said changed, nor what is older than its time, nor unfollowed from memory', async () => {
    const profiles = await seededProfiles();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const db = new Database(profiles);
        let now = 0;
        const cache = new ProfileCache({ couch: db.client(), keepMs: KEEP_MS, now: () => now });
        let open = false;
        // Writes the feed has not told yet (it tells them in order); what it told last.
        const untold: number[] = [];
        let told = 0;
        /** The newest version each moment a write was made, to tell what was true `keepMs` ago. */
        const writes: { at: number; version: number }[] = [{ at: 0, version: 0 }];
        const reads: Promise<void>[] = [];

        const check = (
          answered: { store: { name: string } } | undefined,
          floor: number,
          label: string,
        ) => {
          const got = versionOf(answered?.store.name);
          expect(got, label).toBeGreaterThanOrEqual(floor);
        };

        for (const s of steps) {
          if (s.kind === 'write') {
            db.version += 1;
            writes.push({ at: now, version: db.version });
            if (open) untold.push(db.version);
          } else if (s.kind === 'news') {
            if (!open) continue;
            if (s.profile && untold.length > 0) {
              told = untold.shift()!;
              cache.changed(STORE, ['booking:b1', 'profile:store']);
            } else {
              cache.changed(STORE, ['booking:b1', 'ledger:b1:p1', 'availability:r1:2026-12-01']);
            }
          } else if (s.kind === 'read') {
            // No answer may be older than what the feed had told when it was asked, nor than
            // what was written `keepMs` before; unfollowed, than what was written when asked.
            const keptSince = writes.filter((w) => w.at < now - KEEP_MS).at(-1)?.version ?? 0;
            const floor = open ? Math.max(told, keptSince) : db.version;
            const asked = s.room ? cache.room(STORE, `${STORE}-r1`) : cache.profiles(STORE);
            reads.push(asked.then((a) => check(a, floor, `read at ${now} (open ${open})`)));
          } else if (s.kind === 'answer') {
            if (db.asked.length === 0) continue;
            db.asked.splice(s.pick % db.asked.length, 1)[0]!.answer();
            await Promise.resolve();
          } else if (s.kind === 'feed-fails') {
            open = false;
            untold.length = 0;
            cache.unwatched(STORE);
          } else if (s.kind === 'feed-opens') {
            if (open) continue;
            // Opened from now: what was written before is read as it is now.
            open = true;
            told = db.version;
            cache.watching(STORE);
          } else {
            now += s.ms;
          }
          // Let answered reads settle before the next step, as the event loop would.
          await new Promise((done) => setImmediate(done));
        }
        while (db.asked.length > 0) db.asked.shift()!.answer();
        await Promise.all(reads);
      }),
      { numRuns: 300 },
    );
  });

  it('asks CouchDB once for many reads while nothing changes, and again after a change', async () => {
    const db = new Database(await seededProfiles());
    let now = 0;
    const cache = new ProfileCache({ couch: db.client(), keepMs: KEEP_MS, now: () => now });
    const answerAll = async () => {
      while (db.asked.length > 0) db.asked.shift()!.answer();
      await new Promise((done) => setImmediate(done));
    };
    const read = async () => {
      const p = cache.profiles(STORE);
      await answerAll();
      return versionOf((await p)?.store.name);
    };

    // Not followed: every read asks.
    await read();
    await read();
    expect(db.reads).toBe(2);

    cache.watching(STORE);
    await Promise.all([read(), read(), cache.room(STORE, `${STORE}-r1`)]);
    await read();
    expect(db.reads).toBe(3);
    // News of other documents keeps the copy.
    cache.changed(STORE, ['booking:b1', 'ledger:b1:p1']);
    await read();
    expect(db.reads).toBe(3);

    db.version = 1;
    cache.changed(STORE, ['profile:room:pc1-r1']);
    expect(await read()).toBe(1);
    expect(db.reads).toBe(4);

    // Past its time, read again.
    now += KEEP_MS + 1;
    await read();
    expect(db.reads).toBe(5);
    await read();
    expect(db.reads).toBe(5);

    // A failed read is not kept: the next read asks again.
    now += KEEP_MS + 1;
    db.failing = true;
    const failed = cache.profiles(STORE);
    db.failing = false;
    await answerAll();
    await expect(failed).rejects.toThrow('cut');
    expect(await read()).toBe(1);
    expect(db.reads).toBe(7);

    // The feed closed: every read asks again.
    cache.unwatched(STORE);
    await read();
    await read();
    expect(db.reads).toBe(9);
  });
});
