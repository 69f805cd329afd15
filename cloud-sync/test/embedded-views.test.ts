// The embedded server's views read as CouchDB's do under many readers: reads of one view run side
// by side rather than one behind the other and behind the view's updates, readers that arrive
// while an update waits share it, and a read that asks for a fresh index still sees every write
// acknowledged before it was sent.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCouch, type EmbeddedCouch } from '../src/embedded-couch';

let root: string;
let couch: EmbeddedCouch;
let admin: string;

const design = { views: { byN: { map: 'function (doc) { emit(doc.n, null); }' } } };

async function ask(method: string, url: string, body?: unknown) {
  const res = await fetch(couch.url + url, {
    method,
    headers: {
      authorization: admin,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, json: (await res.json()) as { rows?: { id: string }[] } };
}

/** A database of its own per call (so a retry starts afresh) with the view installed. */
async function freshDb(name: string): Promise<string> {
  const db = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  expect((await ask('PUT', `/${db}`)).status).toBe(201);
  expect((await ask('PUT', `/${db}/_design/v`, design)).status).toBe(201);
  return db;
}

async function write(db: string, ids: string[]): Promise<void> {
  const docs = ids.map((id, i) => ({ _id: id, n: i }));
  const r = await ask('POST', `/${db}/_bulk_docs`, { docs });
  expect(r.status).toBe(201);
}

async function viewIds(db: string, stale: boolean): Promise<string[]> {
  const r = await ask('GET', `/${db}/_design/v/_view/byN${stale ? '?stale=ok' : ''}`);
  expect(r.status).toBe(200);
  return (r.json.rows ?? []).map((row) => row.id);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'embedded-views-'));
  couch = await startEmbeddedCouch({ dir: path.join(root, 'couch') });
  admin = `Basic ${Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64')}`;
});

afterAll(async () => {
  await couch.close();
  await rm(root, { recursive: true, force: true });
});

describe("the embedded server's reads by keys", () => {
  it('answers _all_docs by keys as CouchDB does: in the order asked, found, missing and deleted, with documents and conflicts when asked', async () => {
    const db = await freshDb('by-keys');
    await write(db, ['a', 'b', 'c']);
    const b = await ask('GET', `/${db}/b`);
    const bRev = (b.json as unknown as { _rev: string })._rev;
    expect((await ask('DELETE', `/${db}/b?rev=${bRev}`)).status).toBe(200);
    // A conflicting version of `c`, as a replication can bring one.
    const put = await ask('POST', `/${db}/_bulk_docs`, {
      new_edits: false,
      docs: [{ _id: 'c', _rev: '1-0000000000000000000000000000000c', n: 99 }],
    });
    expect(put.status).toBe(201);
    const c = (await ask('GET', `/${db}/c`)).json as unknown as { _rev: string };

    const keys = ['c', 'missing', 'b', 'a', 'c'];
    const bare = await ask('POST', `/${db}/_all_docs`, { keys });
    expect(bare.status).toBe(200);
    const rows = bare.json.rows as unknown as Record<string, unknown>[];
    expect(rows.map((r) => r.key)).toEqual(keys);
    expect(rows[1]).toEqual({ key: 'missing', error: 'not_found' });
    expect(rows[2]).toMatchObject({ id: 'b', key: 'b', value: { deleted: true } });
    expect(rows[0]).toEqual({ id: 'c', key: 'c', value: { rev: c._rev } });
    expect(rows[3]).not.toHaveProperty('doc');

    const full = await ask('POST', `/${db}/_all_docs?include_docs=true&conflicts=true`, { keys });
    const docs = (full.json.rows as unknown as { doc?: Record<string, unknown> | null }[]).map(
      (r) => r.doc,
    );
    expect(docs[3]).toMatchObject({ _id: 'a', n: 0 });
    expect(String(docs[3]!._rev)).toMatch(/^1-/);
    expect(docs[1]).toBeUndefined();
    expect(docs[2]).toBeNull();
    // The winner of `c` with the losing version named, twice as asked twice.
    expect(docs[0]).toEqual(docs[4]);
    expect(docs[0]).toMatchObject({ _id: 'c', _rev: c._rev });
    expect((docs[0] as { _conflicts?: string[] })._conflicts).toHaveLength(1);
    // And the view read with include_docs gets its documents through the same lookup.
    const view = await ask('GET', `/${db}/_design/v/_view/byN?include_docs=true`);
    expect(
      (view.json.rows as unknown as { id: string; doc: { _id: string } }[]).map((r) => [
        r.id,
        r.doc._id,
      ]),
    ).toEqual([
      ['a', 'a'],
      ['c', 'c'],
    ]);
  });
});

describe("the embedded server's views under many readers", () => {
  it('answers a read of the index as it stands while the same view is being brought up to date', async () => {
    const db = await freshDb('side-by-side');
    await write(
      db,
      Array.from({ length: 3_000 }, (_, i) => `d${i}`),
    );
    const order: string[] = [];
    // A fresh read makes the view index 3,000 documents, which takes a while.
    const fresh = viewIds(db, false).then((ids) => {
      order.push('fresh');
      return ids;
    });
    await new Promise((r) => setTimeout(r, 100));
    // A read that accepts the index as it stands does not wait for that indexing to finish.
    const stale = viewIds(db, true).then((ids) => {
      order.push('stale');
      return ids;
    });
    const [freshIds, staleIds] = await Promise.all([fresh, stale]);
    expect(order).toEqual(['stale', 'fresh']);
    expect(freshIds).toHaveLength(3_000);
    expect(staleIds.length).toBeLessThan(3_000);
  });

  it('shows every read that asks for a fresh index each write acknowledged before it was sent, with many reads and writes at once', async () => {
    const db = await freshDb('fresh-reads');
    let next = 0;
    // Each step: a write of a few documents, or a burst of fresh and stale reads; each step is
    // awaited or left running while the next starts.
    const step = fc.record({
      kind: fc.constantFrom('write', 'read'),
      size: fc.integer({ min: 1, max: 20 }),
      wait: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const acknowledged = new Set<string>();
        const running: Promise<void>[] = [];
        for (const { kind, size, wait } of steps) {
          let work: Promise<void>;
          if (kind === 'write') {
            const ids = Array.from({ length: size }, () => `w${String(next++).padStart(6, '0')}`);
            work = write(db, ids).then(() => ids.forEach((id) => acknowledged.add(id)));
          } else {
            work = Promise.all(
              Array.from({ length: size }, async (_, i) => {
                // What was acknowledged when the read was sent must be in a fresh answer.
                const before = [...acknowledged];
                const stale = i % 3 === 2;
                const seen = new Set(await viewIds(db, stale));
                if (!stale) expect(before.filter((id) => !seen.has(id))).toEqual([]);
              }),
            ).then(() => undefined);
          }
          if (wait) await work;
          else running.push(work);
        }
        await Promise.all(running);
        // In the end the index holds each document once.
        const all = await viewIds(db, false);
        expect(new Set(all).size).toBe(all.length);
        expect(all.filter((id) => id.startsWith('w'))).toHaveLength(next);
      }),
      { numRuns: 25 },
    );
  });
});
