// The gate alone, over real HTTP, with users, `_security` objects and a stand-in for express-pouchdb
// behind it: what reaches the server, what is refused, and what no answer may carry.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouchGate, memberAccess, targetOf, type SecurityObject } from './couch-gate';
import type { UserCtx } from './couch-users';
import { listen, type Listening } from './http-listen';

const USERS: Record<string, UserCtx> = {
  'admin:pw': { name: 'admin', roles: ['_admin'] },
  'hub-a:pw': { name: 'hub-a', roles: [] },
  'cloud:pw': { name: 'cloud', roles: [] },
  'ops:pw': { name: 'ops', roles: ['ops'] },
};
const SECURITY: Record<string, SecurityObject> = {
  'store-a': { members: { names: ['hub-a', 'cloud'] } },
  'store-b': { members: { names: ['cloud'] } },
  // No members: CouchDB 3 keeps it for admins.
  open: {},
  ops: { admins: { roles: ['ops'] }, members: { names: ['cloud'] } },
};
const FOLDER = '/srv/hidden/folder';

let server: Listening;
/** What the stand-in for express-pouchdb received, newest last. */
const passed: { method: string; url: string; user: UserCtx; body?: unknown }[] = [];
const forgotten: string[] = [];

beforeAll(async () => {
  const next = (req: IncomingMessage, res: ServerResponse) => {
    const r = req as IncomingMessage & { couchSession: { userCtx: UserCtx }; body?: unknown };
    passed.push({
      method: req.method!,
      url: req.url!,
      user: r.couchSession.userCtx,
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
    const broken = req.url!.includes('broken');
    res.writeHead(broken ? 500 : 200, { 'Content-Type': 'application/json' });
    // An error as leveldown words it: the folder must not leave the server. A document that
    // happens to say the same is the user's, and stays as it was stored.
    res.end(JSON.stringify({ ok: !broken, where: `IO error: ${FOLDER}/store-a/LOCK` }));
  };
  server = await listen(
    createCouchGate({
      authenticate: async (req) => {
        const header = req.headers.authorization ?? '';
        const pair = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
        return USERS[pair];
      },
      users: async (_req, res, docId) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ users: true, docId: docId ?? null }));
      },
      security: async (db) => SECURITY[db],
      forget: (db) => forgotten.push(db),
      hidden: [FOLDER],
      next,
    }),
    '127.0.0.1',
    0,
  );
});

afterAll(() => server.close());

async function call(
  who: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(who ? { authorization: `Basic ${Buffer.from(`${who}:pw`).toString('base64')}` } : {}),
      ...(body !== undefined ? { 'content-type': contentType } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, text, res };
}

describe('targetOf', () => {
  it('reads the path as express-pouchdb will, parts decoded', () => {
    expect(targetOf('/')).toEqual({ kind: 'root' });
    expect(targetOf('/_session')).toEqual({ kind: 'session' });
    expect(targetOf('/_users/org.couchdb.user%3Ahub-a')).toEqual({
      kind: 'users',
      docId: 'org.couchdb.user:hub-a',
    });
    expect(targetOf('/_all_dbs?x=1')).toEqual({ kind: 'server', endpoint: '_all_dbs' });
    expect(targetOf('/store-a/_design/x/_view/v')).toEqual({
      kind: 'db',
      db: 'store-a',
      rest: ['_design', 'x', '_view', 'v'],
    });
    // An encoded slash stays inside its part: `_design/x` is then one part, never a plain id.
    expect(targetOf('/store-a/_design%2Fx')).toEqual({
      kind: 'db',
      db: 'store-a',
      rest: ['_design/x'],
    });
    expect(targetOf('//store-a').kind).toBe('bad');
    expect(targetOf('/Store-A').kind).toBe('bad');
    expect(targetOf('/store-a/%E0%A4%A').kind).toBe('bad');
    expect(targetOf('http://elsewhere/store-a').kind).toBe('bad');
  });
});

describe('memberAccess', () => {
  it('lets members read and write documents, and nothing an admin does', () => {
    expect(memberAccess('GET', [])).toEqual({ ok: true });
    expect(memberAccess('PUT', ['booking:1'])).toEqual({ ok: true, body: 'doc' });
    expect(memberAccess('POST', ['_bulk_docs'])).toEqual({ ok: true, body: 'bulk' });
    expect(memberAccess('POST', ['_revs_diff'])).toEqual({ ok: true });
    expect(memberAccess('GET', ['_design', 'cloud', '_view', 'lookup'])).toEqual({ ok: true });
    expect(memberAccess('PUT', ['_local', 'checkpoint'])).toEqual({ ok: true, body: 'doc' });
    for (const [method, rest] of [
      ['PUT', ['_design', 'x']],
      ['DELETE', ['_design', 'x']],
      ['PUT', ['_design/x']],
      ['PUT', ['_security']],
      ['GET', ['_local', '_security']],
      ['PUT', ['_local', '_security']],
      ['POST', ['_temp_view']],
      ['POST', ['_compact']],
      ['POST', ['_purge']],
      ['POST', ['_design', 'x', '_update', 'u']],
      ['PUT', ['doc', 'attachment']],
      ['COPY', ['doc']],
    ] as [string, string[]][]) {
      expect(memberAccess(method, rest), `${method} ${rest.join('/')}`).toEqual({ ok: false });
    }
  });
});

describe('the gate', () => {
  it('refuses every anonymous request with 401', async () => {
    for (const path of ['/', '/_session', '/_all_dbs', '/store-a', '/store-a/doc', '/_users']) {
      const r = await call(undefined, 'GET', path);
      expect(r.status, path).toBe(401);
      expect(r.res.headers.get('www-authenticate')).toContain('Basic');
    }
    expect((await call('nobody', 'GET', '/')).status).toBe(401);
  });

  it("keeps the server's endpoints, databases and users for server admins", async () => {
    for (const [method, path] of [
      ['GET', '/_all_dbs'],
      ['GET', '/_db_updates'],
      ['GET', '/_users/org.couchdb.user:hub-a'],
      ['PUT', '/store-c'],
      ['DELETE', '/store-a'],
    ]) {
      const r = await call('hub-a', method!, path!);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.json).toEqual({ error: 'unauthorized', reason: 'You are not a server admin.' });
    }
    expect((await call('admin', 'GET', '/_all_dbs')).status).toBe(200);
    expect((await call('admin', 'GET', '/_users/org.couchdb.user%3Ahub-a')).json).toEqual({
      users: true,
      docId: 'org.couchdb.user:hub-a',
    });
    const before = forgotten.length;
    expect((await call('admin', 'PUT', '/store-c')).status).toBe(200);
    expect(forgotten.slice(before)).toContain('store-c');
  });

  it('lets members in, and only members: none listed means admins only', async () => {
    const read = await call('hub-a', 'GET', '/store-a/booking:1');
    expect(read.status).toBe(200);
    expect(passed.at(-1)).toMatchObject({ url: '/store-a/booking:1', user: { name: 'hub-a' } });
    const other = await call('hub-a', 'GET', '/store-b/booking:1');
    expect(other.status).toBe(403);
    expect(other.json.error).toBe('forbidden');
    expect((await call('cloud', 'GET', '/open')).status).toBe(403);
    expect((await call('hub-a', 'GET', '/nowhere')).status).toBe(404);
    expect((await call('admin', 'GET', '/open')).status).toBe(200);
  });

  it('refuses members design documents, _security, and every way around them', async () => {
    const attempts: [string, string, unknown?][] = [
      ['PUT', '/store-a/_design/loop', { views: { v: { map: 'function(){while(true){}}' } } }],
      ['PUT', '/store-a/_design%2Floop', {}],
      ['PUT', '/store-a/innocent', { _id: '_design/loop' }],
      ['POST', '/store-a', { _id: '_design/loop' }],
      ['POST', '/store-a/_bulk_docs', { docs: [{ _id: 'ok' }, { _id: '_design/loop' }] }],
      ['POST', '/store-a/_bulk_docs', { docs: [{ _id: '_local/_security', security: {} }] }],
      ['PUT', '/store-a/_local/_security', { security: {} }],
      ['PUT', '/store-a/_security', { members: { names: ['hub-a', 'x'] } }],
      ['POST', '/store-a/_temp_view', { map: 'function(){while(true){}}' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await call('hub-a', method, path, body);
      expect([400, 401], `${method} ${path}`).toContain(r.status);
    }
    const sent = passed.length;
    expect((await call('hub-a', 'PUT', '/store-a/doc', 'plain', 'text/plain')).status).toBe(415);
    expect(passed.length).toBe(sent);
  });

  it('hands what members write on with the id the URL names', async () => {
    expect((await call('hub-a', 'PUT', '/store-a/booking:1', { type: 'booking' })).status).toBe(
      200,
    );
    expect(passed.at(-1)!.body).toEqual({ _id: 'booking:1', type: 'booking' });
    const bulk = { docs: [{ _id: 'booking:2' }, { type: 'no id yet' }] };
    expect((await call('hub-a', 'POST', '/store-a/_bulk_docs', bulk)).status).toBe(200);
    expect(passed.at(-1)!.body).toEqual(bulk);
    expect((await call('hub-a', 'PUT', '/store-a/_local/cp', { seq: 1 })).status).toBe(200);
  });

  it("lets a database's own admins do an admin's work there, never create databases", async () => {
    expect((await call('ops', 'PUT', '/ops/_design/x', { views: {} })).status).toBe(200);
    expect((await call('ops', 'PUT', '/ops/_security', {})).status).toBe(200);
    expect((await call('ops', 'PUT', '/store-a/_design/x', {})).status).toBe(403);
    expect((await call('ops', 'DELETE', '/ops')).status).toBe(401);
  });

  it('lets no error, and no answer to a write, carry the server folder', async () => {
    const failed = await call('hub-a', 'GET', '/store-a/broken');
    expect(failed.status).toBe(500);
    expect(failed.json.where).toBe(`IO error: ${'*'.repeat(FOLDER.length)}/store-a/LOCK`);
    const written = await call('hub-a', 'POST', '/store-a/_bulk_docs', { docs: [] });
    expect(written.text).not.toContain(FOLDER);
    const read = await call('hub-a', 'GET', '/store-a/x');
    expect(read.json.where).toBe(`IO error: ${FOLDER}/store-a/LOCK`);
  });

  it('answers _session with who is calling', async () => {
    const r = await call('hub-a', 'GET', '/_session');
    expect(r.json).toMatchObject({ ok: true, userCtx: { name: 'hub-a', roles: [] } });
  });
});
