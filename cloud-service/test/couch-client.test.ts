// The cloud's CouchDB client against the embedded CouchDB-compatible server, over real HTTP: what
// its callers rely on beyond nano's own wire (a missing thing as undefined, a lost race as a 409
// CouchError, ids and bytes kept exactly, a deadline on every call, a server behind a path).
import { getEventListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { queryObjects } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCouch, type EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { garbageCollector, startFrozenAnswer } from '@roomhub/cloud-sync/testing';
import { CouchError, createCouchClient, isConflict, type CouchClient } from '../src/couch';

let root: string;
let server: EmbeddedCouch;
let couch: CouchClient;
const DB = 'couch-client';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'couch-client-'));
  server = await startEmbeddedCouch({ dir: path.join(root, 'couch') });
  couch = createCouchClient(server.adminUrl);
  await couch.ensureDb(DB);
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** A server that takes connections and never answers. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  const s: Server = createServer((_req, res) => void held.push(res));
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(() => resolve()));
    },
  };
}

async function elapsed<T>(work: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await work;
    return { ms: performance.now() - start, error: undefined };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('the cloud CouchDB client', () => {
  it('answers a missing document, database or view as nothing, and refuses a write to a missing database', async () => {
    expect(await couch.get(DB, 'nobody')).toBeUndefined();
    expect(await couch.get('no-such-db', 'x')).toBeUndefined();
    expect(await couch.exists('no-such-db')).toBe(false);
    expect(await couch.byPrefix('no-such-db', 'a')).toEqual([]);
    expect(await couch.byIds('no-such-db', ['a'])).toEqual([]);
    expect(await couch.view(DB, 'none', 'none', {})).toBeUndefined();
    expect(await couch.changes('no-such-db', {})).toBeUndefined();
    expect(await couch.attachment(DB, 'nobody', 'x.pdf')).toBeUndefined();
    const missing = await couch.put('no-such-db', { _id: 'a' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CouchError);
    expect((missing as CouchError).status).toBe(404);
    await expect(couch.requireDb('no-such-db')).rejects.toThrow(/provision it first/);
  });

  it('lets one of two writers of a revision win and tells the other it lost', async () => {
    const rev = await couch.put(DB, { _id: 'claim:1', holder: 'a' });
    await couch.put(DB, { _id: 'claim:1', _rev: rev, holder: 'a' });
    const lost = await couch.put(DB, { _id: 'claim:1', _rev: rev, holder: 'b' }).catch((e) => e);
    expect(isConflict(lost)).toBe(true);
    expect((lost as CouchError).reason).toMatch(/conflict/i);
    const blind = await couch.put(DB, { _id: 'claim:1', holder: 'c' }).catch((e) => e);
    expect(isConflict(blind)).toBe(true);
    expect(await couch.get(DB, 'claim:1')).toMatchObject({ holder: 'a' });
  });

  it('writes in bulk, each document on its own: a conflict refuses that one only', async () => {
    const rev = await couch.put(DB, { _id: 'bulk:2', n: 1 });
    const results = await couch.bulkDocs(DB, [
      { _id: 'bulk:1', n: 1 },
      { _id: 'bulk:2', n: 2 },
      { _id: 'bulk:3', n: 3 },
    ]);
    // Each outcome is its own document's, in the order given, wherever the refusal is.
    expect(results.map((r) => r.id)).toEqual(['bulk:1', 'bulk:2', 'bulk:3']);
    const [first, second, third] = results;
    expect('error' in second! && isConflict(second.error)).toBe(true);
    const stored = await couch.byIds(DB, ['bulk:1', 'bulk:2', 'bulk:3']);
    expect(stored).toMatchObject([{ n: 1 }, { _rev: rev, n: 1 }, { n: 3 }]);
    expect([first, third].map((r) => 'rev' in r! && r.rev)).toEqual([
      stored[0]!._rev,
      stored[2]!._rev,
    ]);
    expect(await couch.bulkDocs(DB, [])).toEqual([]);
    const missing = await couch.bulkDocs('no-such-db', [{ _id: 'a' }]).catch((e: unknown) => e);
    expect((missing as CouchError).status).toBe(404);
  });

  it('keeps ids exactly, whatever they hold', async () => {
    const ids = ['a/b', 'x?y#z', 'order:1_local', 'booking:房间 1', 'p%20q'];
    for (const id of ids) await couch.put(DB, { _id: id, id });
    for (const id of ids) expect(await couch.get(DB, id)).toMatchObject({ _id: id, id });
    expect((await couch.byIds(DB, [...ids].reverse())).map((d) => d._id)).toEqual(
      [...ids].reverse(),
    );
    expect((await couch.byPrefix(DB, 'order:')).map((d) => d._id)).toEqual(['order:1_local']);
  });

  it('reads a view by key, keys and range, and a page of changes', async () => {
    await couch.put(DB, {
      _id: '_design/by',
      views: { kind: { map: 'function (doc) { if (doc.kind) emit([doc.kind, doc.n], doc.n); }' } },
    });
    const head = await couch.changes(DB, { since: 'now' });
    for (let n = 0; n < 5; n += 1) {
      await couch.put(DB, { _id: `k${n}`, kind: n % 2 ? 'odd' : 'even', n });
    }
    const odd = await couch.view(DB, 'by', 'kind', {
      startkey: ['odd'],
      endkey: ['odd', {}],
      includeDocs: true,
    });
    expect(odd?.map((r) => r.value)).toEqual([1, 3]);
    expect(odd?.[0]?.doc).toMatchObject({ _id: 'k1' });
    const keyed = await couch.view(DB, 'by', 'kind', {
      keys: [
        ['even', 4],
        ['even', 0],
      ],
    });
    expect(keyed?.map((r) => r.id)).toEqual(['k4', 'k0']);
    const page = await couch.changes(DB, { since: head!.lastSeq, includeDocs: true });
    expect(page!.results.map((c) => c.id)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    const only = await couch.changes(DB, { since: head!.lastSeq, docIds: ['k3'] });
    expect(only!.results.map((c) => c.id)).toEqual(['k3']);
  });

  it('wakes a long-poll on the next change and ends a quiet one empty', async () => {
    const head = await couch.changes(DB, { since: 'now' });
    const waiting = couch.changes(DB, { since: head!.lastSeq, longpoll: true, timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    // A name of its own, so a second try does not meet the first's document.
    const news = `news-${Date.now()}`;
    await couch.put(DB, { _id: news });
    expect((await waiting)!.results.map((c) => c.id)).toEqual([news]);
    const after = await couch.changes(DB, { since: 'now' });
    const quiet = await couch.changes(DB, {
      since: after!.lastSeq,
      longpoll: true,
      timeoutMs: 200,
    });
    expect(quiet!.results).toEqual([]);
    // Ended by the server at its `timeout`, as CouchDB ends one: an answer, not a cut.
    expect(quiet!.cut).toBeUndefined();
    expect(String(quiet!.lastSeq)).toBe(String(after!.lastSeq));
  });

  it('hands an attachment back byte for byte, binary or text', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0a]);
    const note = Buffer.from('收据 receipt\n');
    await couch.put(DB, {
      _id: 'invoice:1',
      _attachments: {
        'invoice.pdf': { content_type: 'application/pdf', data: pdf.toString('base64') },
        'note.txt': { content_type: 'text/plain', data: note.toString('base64') },
      },
    });
    expect(await couch.attachment(DB, 'invoice:1', 'invoice.pdf')).toEqual(pdf);
    expect(await couch.attachment(DB, 'invoice:1', 'note.txt')).toEqual(note);
    expect(await couch.attachment(DB, 'invoice:1', 'other.pdf')).toBeUndefined();
  });

  it('gives up on a server that does not answer: documents at the deadline, views later', async () => {
    const silent = await silentServer();
    try {
      const client = createCouchClient(silent.url, 150, 600);
      const doc = await elapsed(client.get('db', 'x'));
      expect((doc.error as Error).name).toBe('TimeoutError');
      expect(doc.ms).toBeGreaterThanOrEqual(140);
      // At its own deadline, far from the 10 s default (a busy machine adds a little).
      expect(doc.ms).toBeLessThan(3_000);
      const view = await elapsed(client.view('db', 'd', 'v', {}));
      expect((view.error as Error).name).toBe('TimeoutError');
      expect(view.ms).toBeGreaterThanOrEqual(550);
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 50);
      const asked = await elapsed(client.changes('db', { longpoll: true, signal: stop.signal }));
      expect((asked.error as Error).name).toBe('AbortError');
      // A server that holds a quiet long-poll past its `timeout` is cut: the page is empty, and
      // says it was cut with no answer.
      const poll = await elapsed(client.changes('db', { since: 7, longpoll: true, timeoutMs: 50 }));
      expect(poll.error).toBeUndefined();
      expect(await client.changes('db', { since: 7, longpoll: true, timeoutMs: 50 })).toEqual({
        results: [],
        lastSeq: 7,
        cut: true,
      });
    } finally {
      await silent.close();
    }
  });

  it('gives up at its deadline on an answer that froze after its headers, collected or not', async () => {
    const frozen = await startFrozenAnswer();
    const gc = garbageCollector();
    // Collections while the calls wait: fetch let go of the deadline of a request it had
    // collected, and such a call waited for good.
    const collecting = setInterval(gc, 20);
    try {
      const client = createCouchClient(frozen.url, 300, 600);
      const doc = await elapsed(client.get('db', 'x'));
      expect((doc.error as Error).name).toBe('TimeoutError');
      expect(doc.ms).toBeLessThan(5_000);
      const view = await elapsed(client.view('db', 'd', 'v', {}));
      expect((view.error as Error).name).toBe('TimeoutError');
      const file = await elapsed(client.attachment('db', 'file', 'a.zip'));
      expect((file.error as Error).name).toBe('TimeoutError');
      expect(file.ms).toBeLessThan(5_000);
      // A long-poll cut at its deadline is a quiet page.
      const poll = await elapsed(client.changes('db', { since: 3, longpoll: true, timeoutMs: 50 }));
      expect(poll.error).toBeUndefined();
      expect(poll.ms).toBeLessThan(5_000);
      // The calls given up closed their connections rather than leave them to the server.
      await expect.poll(() => frozen.open()).toBe(0);
    } finally {
      clearInterval(collecting);
      await frozen.close();
    }
  });

  it('lets go of each call as soon as it is answered, whatever its deadline', async () => {
    // A deadline left running after its answer came is memory the service keeps until it runs
    // out (five minutes for a view read): under load, every request of those minutes.
    const Timer = setTimeout(() => undefined, 0).constructor as new () => unknown;
    const timers = () => queryObjects(Timer, { format: 'count' }) as number;
    // Names of its own, so a second try does not meet the first's documents.
    const held = `held-${Date.now()}`;
    await couch.put(DB, { _id: held, kind: held, n: 1 });
    await couch.put(DB, {
      _id: `_design/${held}`,
      views: { kind: { map: 'function (doc) { if (doc.kind) emit(doc.kind, 1); }' } },
    });
    await couch.view(DB, held, 'kind', { key: held });
    // A long-lived signal of the caller's, as the follower passes its own.
    const follower = new AbortController();
    const before = timers();
    for (let i = 0; i < 20; i++) {
      expect(await couch.get(DB, held)).toMatchObject({ kind: held });
      expect(await couch.view(DB, held, 'kind', { key: held })).toHaveLength(1);
      await couch.view(DB, held, 'kind', { key: held, signal: follower.signal });
      await couch.changes(DB, { since: 'now', signal: follower.signal });
    }
    // 80 calls; what else the process runs meanwhile may start a few timers of its own.
    expect(timers() - before).toBeLessThan(20);
    // One listener on the caller's signal, however many calls it was given (one long-poll per
    // store's feed waits with the follower's at once); and it still ends every call under way.
    const head = await couch.changes(DB, { since: 'now' });
    const polls = Array.from({ length: 30 }, () =>
      elapsed(
        couch.changes(DB, {
          since: head!.lastSeq,
          longpoll: true,
          timeoutMs: 20_000,
          signal: follower.signal,
        }),
      ),
    );
    expect(getEventListeners(follower.signal, 'abort').length).toBeLessThanOrEqual(1);
    follower.abort();
    for (const poll of await Promise.all(polls)) {
      expect((poll.error as Error).name).toBe('AbortError');
      expect(poll.ms).toBeLessThan(10_000);
    }
    const stopped = await elapsed(couch.view(DB, held, 'kind', { signal: follower.signal }));
    expect((stopped.error as Error).name).toBe('AbortError');
  });

  it('reaches a server behind a path, as a load balancer may publish it', async () => {
    const target = new URL(server.url);
    const proxy = createServer((req, res) => {
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: (req.url ?? '/').replace(/^\/couch/, '') || '/',
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const behind = new URL(server.adminUrl);
      behind.port = String(port);
      behind.pathname = '/couch/';
      const client = createCouchClient(behind.toString());
      await client.put(DB, { _id: 'through-the-path' });
      expect(await client.get(DB, 'through-the-path')).toMatchObject({ _id: 'through-the-path' });
      expect(await client.allDbs('couch-')).toEqual([DB]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
