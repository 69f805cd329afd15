// The embedded server closed as Apache CouchDB 3 is, over real HTTP: its admin generated once into
// its folder, users in `_users`, `_security` on reads and writes, validate_doc_update on writes,
// design documents and databases an admin's, and no folder of the server's in any answer.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCouch, type EmbeddedCouch } from '../src/embedded-couch';

let root: string;
let couch: EmbeddedCouch;
/** Every answer's body, to look for the server's folder in at the end. */
const bodies: string[] = [];

const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
let admin: string;

async function call(auth: string | undefined, method: string, url: string, body?: unknown) {
  const res = await fetch(couch.url + url, {
    method,
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  bodies.push(text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely here
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

async function addUser(name: string, password: string) {
  const r = await call(admin, 'PUT', `/_users/org.couchdb.user:${name}`, {
    _id: `org.couchdb.user:${name}`,
    type: 'user',
    name,
    roles: [],
    password,
  });
  expect(r.status).toBe(201);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'embedded-couch-'));
  couch = await startEmbeddedCouch({ dir: path.join(root, 'couch') });
  admin = basic(couch.admin.name, couch.admin.password);
  await addUser('writer', 'writer-password');
  await addUser('reader', 'reader-password');
  expect((await call(admin, 'PUT', '/shared')).status).toBe(201);
  expect(
    (
      await call(admin, 'PUT', '/shared/_security', {
        admins: { names: [], roles: [] },
        members: { names: ['writer', 'reader'], roles: [] },
      })
    ).status,
  ).toBe(200);
  // Only `writer` writes, and only documents of type `note`: `{ forbidden }` and
  // `{ unauthorized }` as CouchDB's functions throw them.
  const validate = `function (newDoc, oldDoc, userCtx, secObj) {
    if (secObj.members.names.indexOf(userCtx.name) === -1) throw({ forbidden: 'not a member' });
    if (userCtx.name !== 'writer') throw({ unauthorized: 'only the writer writes' });
    if (newDoc.type !== 'note') throw({ forbidden: 'notes only' });
  }`;
  expect(
    (await call(admin, 'PUT', '/shared/_design/rules', { validate_doc_update: validate })).status,
  ).toBe(201);
});

afterAll(async () => {
  await couch.close();
  await rm(root, { recursive: true, force: true });
});

describe('the embedded server', () => {
  it('generates its admin once, into a file only its owner reads, and reuses it', async () => {
    const file = path.join(root, 'couch', 'admin.json');
    expect(couch.adminCreated).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(couch.admin);
    const dir = path.join(root, 'again');
    const first = await startEmbeddedCouch({ dir });
    await first.close();
    const second = await startEmbeddedCouch({ dir });
    await second.close();
    expect(second.adminCreated).toBe(false);
    expect(second.admin).toEqual(first.admin);
    expect(second.admin.password).not.toEqual(couch.admin.password);
  });

  it('listens on loopback unless told otherwise', () => {
    expect(new URL(couch.url).hostname).toBe('127.0.0.1');
    expect(couch.url).not.toContain(couch.admin.password);
    expect(couch.adminUrl).toContain(couch.admin.password);
  });

  it('refuses anonymous requests, and wrong passwords, with 401', async () => {
    for (const [method, url] of [
      ['GET', '/'],
      ['GET', '/_all_dbs'],
      ['PUT', '/anything'],
      ['GET', '/shared'],
      ['GET', '/shared/_all_docs'],
      ['PUT', '/shared/doc', {}],
      ['GET', '/_users/org.couchdb.user:writer'],
    ] as [string, string, unknown?][]) {
      expect((await call(undefined, method, url)).status, `${method} ${url}`).toBe(401);
    }
    expect((await call(basic('writer', 'wrong'), 'GET', '/shared')).status).toBe(401);
    expect((await call(basic('admin', 'wrong'), 'GET', '/_all_dbs')).status).toBe(401);
  });

  it('keeps users as salted PBKDF2 hashes, for admins only, and checks a new password at once', async () => {
    const doc = (await call(admin, 'GET', '/_users/org.couchdb.user:writer')).json;
    expect(doc).toMatchObject({ password_scheme: 'pbkdf2', pbkdf2_prf: 'sha256' });
    expect(doc.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(doc)).not.toContain('writer-password');
    const writer = basic('writer', 'writer-password');
    expect((await call(writer, 'GET', '/_users/org.couchdb.user:writer')).status).toBe(401);
    expect((await call(writer, 'GET', '/_session')).json.userCtx).toEqual({
      name: 'writer',
      roles: [],
    });
    // A new password: the old one (known to the cache) stops working at once.
    await addUser('temp', 'first-password');
    expect((await call(basic('temp', 'first-password'), 'GET', '/_session')).status).toBe(200);
    const current = (await call(admin, 'GET', '/_users/org.couchdb.user:temp')).json;
    await call(admin, 'PUT', '/_users/org.couchdb.user:temp', {
      ...current,
      password: 'second-password',
    });
    expect((await call(basic('temp', 'first-password'), 'GET', '/_session')).status).toBe(401);
    expect((await call(basic('temp', 'second-password'), 'GET', '/_session')).status).toBe(200);
    expect(
      (
        await call(admin, 'PUT', '/_users/org.couchdb.user:sneaky', {
          _id: 'org.couchdb.user:sneaky',
          type: 'user',
          name: 'sneaky',
          roles: ['_admin'],
          password: 'sneaky-password',
        })
      ).status,
    ).toBe(403);
  });

  it('enforces _security on reads and writes, members only', async () => {
    await addUser('stranger', 'stranger-password');
    const stranger = basic('stranger', 'stranger-password');
    expect((await call(stranger, 'GET', '/shared')).status).toBe(403);
    expect((await call(stranger, 'GET', '/shared/_all_docs')).status).toBe(403);
    expect((await call(stranger, 'POST', '/shared/_bulk_get', { docs: [] })).status).toBe(403);
    expect((await call(stranger, 'PUT', '/shared/x', { type: 'note' })).status).toBe(403);
    // A database whose _security names no members is the admins' alone (CouchDB 3).
    expect((await call(admin, 'PUT', '/unshared')).status).toBe(201);
    expect((await call(basic('writer', 'writer-password'), 'GET', '/unshared')).status).toBe(403);
  });

  it('runs validate_doc_update on every write: forbidden is 403, unauthorized 401', async () => {
    const writer = basic('writer', 'writer-password');
    const reader = basic('reader', 'reader-password');
    expect((await call(writer, 'PUT', '/shared/n1', { type: 'note' })).status).toBe(201);
    const wrongType = await call(writer, 'PUT', '/shared/n2', { type: 'other' });
    expect(wrongType).toMatchObject({ status: 403, json: { error: 'forbidden' } });
    const notWriter = await call(reader, 'PUT', '/shared/n3', { type: 'note' });
    expect(notWriter).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
    expect((await call(reader, 'GET', '/shared/n1')).status).toBe(200);
    // In bulk, and as a replication writes (new_edits: false), each document on its own.
    const bulk = await call(writer, 'POST', '/shared/_bulk_docs', {
      docs: [
        { _id: 'b1', type: 'note' },
        { _id: 'b2', type: 'other' },
      ],
    });
    expect(bulk.json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'b1', ok: true }),
        expect.objectContaining({ id: 'b2', error: 'forbidden' }),
      ]),
    );
    // A replication as the reader: every document is denied, none lands.
    const local = new PouchDB(path.join(root, 'local-reader'));
    await local.bulkDocs([{ _id: 'r1', type: 'note' }]);
    const result = await local.replicate.to(
      new PouchDB(`${couch.url}/shared`, {
        auth: { username: 'reader', password: 'reader-password' },
        skip_setup: true,
      }),
    );
    expect(result.doc_write_failures).toBe(1);
    await local.close();
    expect((await call(admin, 'GET', '/shared/r1')).status).toBe(404);
  });

  it('keeps every version a replication writes where validate functions run, not the first only', async () => {
    const local = new PouchDB(path.join(root, 'local-writer'));
    const remote = new PouchDB(`${couch.url}/shared`, {
      auth: { username: 'writer', password: 'writer-password' },
      skip_setup: true,
    });
    await local.put({ _id: 'v1', type: 'note', text: 'first' });
    await local.replicate.to(remote);
    const first = await local.get('v1');
    await local.put({ ...first, text: 'second' });
    const second = await local.replicate.to(remote);
    expect(second.docs_written).toBe(1);
    const stored = await call(admin, 'GET', '/shared/v1?revs=true');
    expect(stored.json).toMatchObject({
      text: 'second',
      _revisions: { start: 2, ids: [expect.any(String), first._rev.slice(2)] },
    });
    await local.close();
  });

  it('keeps design documents (and so views) an admin’s: a looping view cannot be installed', async () => {
    const writer = basic('writer', 'writer-password');
    const loop = { views: { v: { map: 'function (doc) { while (true) {} }' } } };
    for (const [method, url, body] of [
      ['PUT', '/shared/_design/loop', loop],
      ['PUT', '/shared/_design%2Floop', loop],
      ['POST', '/shared', { _id: '_design/loop', ...loop }],
      ['POST', '/shared/_bulk_docs', { docs: [{ _id: '_design/loop', ...loop }] }],
      [
        'POST',
        '/shared/_bulk_docs',
        { new_edits: false, docs: [{ _id: '_design/loop', _rev: '1-a', ...loop }] },
      ],
      ['POST', '/shared/_temp_view', loop.views.v],
      ['PUT', '/shared/_local/_security', { security: {} }],
      ['PUT', '/shared/_security', { members: { names: ['stranger'] } }],
    ] as [string, string, unknown][]) {
      const r = await call(writer, method, url, body);
      expect([400, 401], `${method} ${url}`).toContain(r.status);
    }
    expect((await call(admin, 'GET', '/shared/_design/loop')).status).toBe(404);
    expect((await call(writer, 'GET', '/shared/_design/rules')).status).toBe(200);
  });

  it('keeps creating and deleting databases and _all_dbs for admins', async () => {
    const writer = basic('writer', 'writer-password');
    expect((await call(writer, 'PUT', '/mine')).status).toBe(401);
    expect((await call(writer, 'DELETE', '/shared')).status).toBe(401);
    expect((await call(writer, 'GET', '/_all_dbs')).status).toBe(401);
    const all = await call(admin, 'GET', '/_all_dbs');
    expect(all.json).toEqual(expect.arrayContaining(['shared', 'unshared']));
    expect(
      (all.json as unknown as string[]).every((name) => /^[a-z][a-z0-9_$()+-]*$/.test(name)),
    ).toBe(true);
  });

  it("sends a quiet change feed's heartbeat as it goes, as CouchDB does, not held back", async () => {
    // A client tells a dead connection from a quiet feed only by these newlines arriving.
    const started = Date.now();
    const res = await fetch(`${couch.url}/shared/_changes?feed=longpoll&since=now&heartbeat=200`, {
      headers: { authorization: admin },
      signal: AbortSignal.timeout(1_500),
    });
    const arrivals: number[] = [];
    const reader = res.body!.getReader();
    try {
      while (!(await reader.read()).done) arrivals.push(Date.now() - started);
    } catch {
      // Ended by the timeout: the feed itself stays open while nothing changes.
    }
    expect(arrivals.filter((ms) => ms < 1_000).length).toBeGreaterThanOrEqual(3);
  });

  it('lets no answer carry a folder of the server, its data or its code', async () => {
    // A validate function that fails: its stack trace names the server's code.
    expect((await call(admin, 'PUT', '/broken')).status).toBe(201);
    await call(admin, 'PUT', '/broken/_design/bad', {
      validate_doc_update: 'function (newDoc) { return newDoc.missing.field; }',
    });
    expect((await call(admin, 'PUT', '/broken/x', {})).status).toBeGreaterThanOrEqual(400);
    await call(admin, 'POST', '/broken/_bulk_docs', { docs: [{ _id: 'y' }] });
    expect(bodies.length).toBeGreaterThan(20);
    const code = path.resolve(import.meta.dirname, '..', '..');
    for (const body of bodies) {
      expect(body).not.toContain(root);
      expect(body).not.toContain(os.tmpdir() + path.sep);
      expect(body).not.toContain(code);
    }
  });
});

describe('two servers in one process, one after the other', () => {
  it('closes while a view is being indexed once the indexing is done, and the next server answers its view of the same name', async () => {
    const ask = async (server: EmbeddedCouch, method: string, url: string, body?: unknown) => {
      const res = await fetch(server.url + url, {
        method,
        headers: {
          authorization: basic(server.admin.name, server.admin.password),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, json: (await res.json()) as { rows?: unknown[] } };
    };
    const design = { views: { byN: { map: 'function (doc) { emit(doc.n, null); }' } } };
    const fill = async (server: EmbeddedCouch, n: number) => {
      expect((await ask(server, 'PUT', '/same')).status).toBe(201);
      expect((await ask(server, 'PUT', '/same/_design/same', design)).status).toBe(201);
      const docs = Array.from({ length: n }, (_, i) => ({ _id: `d${i}`, n: i }));
      expect((await ask(server, 'POST', '/same/_bulk_docs', { docs })).status).toBe(201);
    };
    // Folders of this attempt's own, so a retry starts afresh.
    const dir = await mkdtemp(path.join(root, 'two-'));
    const first = await startEmbeddedCouch({ dir: path.join(dir, 'first') });
    await fill(first, 3_000);
    // Indexing 3,000 documents is under way when the first server closes.
    const indexing = ask(first, 'GET', '/same/_design/same/_view/byN?limit=1').catch(
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 100));
    // Closing waits for the index rather than cut it off under its work (which left that work
    // neither done nor failed, and an error nobody caught).
    await first.close();
    await indexing;
    const second = await startEmbeddedCouch({ dir: path.join(dir, 'second') });
    try {
      await fill(second, 3);
      const read = await ask(second, 'GET', '/same/_design/same/_view/byN');
      expect(read.status).toBe(200);
      expect(read.json.rows).toHaveLength(3);
    } finally {
      await second.close();
    }
  });
});
