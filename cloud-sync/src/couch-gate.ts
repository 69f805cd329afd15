// The embedded server's gate: every request passes here before express-pouchdb sees it. It owns
// who may do what, as Apache CouchDB 3 decides it: no anonymous request; server admins only for
// creating and deleting databases, `_users` and every server endpoint (`_all_dbs` included); per
// database, `_security` admins (db admins) and members, none but server admins where it lists no
// members; members read and write documents, never design documents, `_security` or anything a
// db admin does. express-pouchdb then stores the documents and runs `validate_doc_update` with the
// user this gate names. No error lets a folder of the server's out: such strings are masked in
// error answers and answers to writes (never in documents read). It never reads or writes a
// document itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCtx } from './couch-users';
import { couchError, readBody, sendJson } from './couch-wire';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Section {
  names?: string[];
  roles?: string[];
}

/** A database's `_security` object. */
export interface SecurityObject {
  admins?: Section;
  members?: Section;
}

export interface CouchGateDeps {
  /** The user the request's credentials name; undefined when missing or wrong. */
  authenticate(req: IncomingMessage): Promise<UserCtx | undefined>;
  /** Serves `/_users` and `/_users/<id>` (called for server admins only). */
  users(req: IncomingMessage, res: ServerResponse, docId: string | undefined): Promise<void>;
  /** The database's `_security`; undefined when there is no such database. */
  security(db: string): Promise<SecurityObject | undefined>;
  /** The database's `_security` or its existence may have changed. */
  forget(db: string): void;
  /** Strings no answer may carry (the server's folder): masked byte for byte. */
  hidden: string[];
  /** express-pouchdb, which serves what the gate lets through. */
  next: Handler;
}

/** Where a request goes, from its raw path (as express matches it, before any normalising). */
export type Target =
  | { kind: 'root' }
  | { kind: 'session' }
  | { kind: 'users'; docId: string | undefined }
  | { kind: 'server'; endpoint: string }
  | { kind: 'db'; db: string; rest: string[] }
  | { kind: 'bad'; reason: string };

const DB_NAME = /^[a-z][a-z0-9_$()+-]*$/;

/** A name CouchDB accepts for a database (without `/`, which express-pouchdb cannot serve). */
export function isDatabaseName(name: string): boolean {
  return DB_NAME.test(name);
}

export function targetOf(rawUrl: string): Target {
  if (!rawUrl.startsWith('/')) return { kind: 'bad', reason: 'the path must start with /' };
  const rawPath = rawUrl.split('?')[0]!;
  const parts = rawPath.slice(1).split('/');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  let segments: string[];
  try {
    segments = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { kind: 'bad', reason: 'the path is not valid percent-encoding' };
  }
  if (segments.length === 1 && segments[0] === '') return { kind: 'root' };
  if (segments.some((s) => s === '')) return { kind: 'bad', reason: 'the path has an empty part' };
  const [first, ...rest] = segments as [string, ...string[]];
  if (first === '_session' && rest.length === 0) return { kind: 'session' };
  if (first === '_users') {
    if (rest.length > 1) return { kind: 'bad', reason: 'no attachments in _users' };
    return { kind: 'users', docId: rest[0] };
  }
  if (first.startsWith('_')) return { kind: 'server', endpoint: first };
  if (!DB_NAME.test(first)) {
    return {
      kind: 'bad',
      reason:
        'Name: ' +
        JSON.stringify(first) +
        '. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), +, and - are allowed. Must begin with a letter.',
    };
  }
  return { kind: 'db', db: first, rest };
}

const READ = new Set(['GET', 'HEAD']);

/**
 * Whether a member (not a db admin) may make this request, and which body check it needs. A
 * list of what members do, so anything express-pouchdb serves beyond it stays an admin's.
 */
export function memberAccess(
  method: string,
  rest: string[],
): { ok: false } | { ok: true; body?: 'doc' | 'new-doc' | 'bulk' } {
  const [a, b, c, d, ...more] = rest;
  const reading = READ.has(method);
  if (a === undefined) {
    if (reading) return { ok: true };
    return method === 'POST' ? { ok: true, body: 'new-doc' } : { ok: false };
  }
  if (a === '_all_docs' || a === '_changes') {
    return b === undefined && (reading || method === 'POST') ? { ok: true } : { ok: false };
  }
  if (['_bulk_get', '_revs_diff', '_missing_revs', '_ensure_full_commit'].includes(a)) {
    return b === undefined && method === 'POST' ? { ok: true } : { ok: false };
  }
  if (a === '_bulk_docs')
    return b === undefined && method === 'POST' ? { ok: true, body: 'bulk' } : { ok: false };
  if (a === '_security') return b === undefined && reading ? { ok: true } : { ok: false };
  if (a === '_design') {
    if (b === undefined) return { ok: false };
    if (c === undefined) return reading ? { ok: true } : { ok: false };
    // Views run only from design documents, and only admins write those.
    const view = c === '_view' && d !== undefined && more.length === 0;
    return view && (reading || method === 'POST') ? { ok: true } : { ok: false };
  }
  if (a === '_local') {
    // Checkpoints of replications; `_local/_security` is where express-pouchdb keeps _security.
    if (b === undefined || b === '_security' || c !== undefined) return { ok: false };
    if (reading || method === 'DELETE') return { ok: true };
    return method === 'PUT' ? { ok: true, body: 'doc' } : { ok: false };
  }
  if (a.startsWith('_')) return { ok: false };
  if (b !== undefined) return reading ? { ok: true } : { ok: false }; // attachments: read only
  if (reading || method === 'DELETE') return { ok: true };
  return method === 'PUT' ? { ok: true, body: 'doc' } : { ok: false };
}

function inSection(user: UserCtx, section: Section | undefined): boolean {
  return (
    (section?.names ?? []).includes(user.name) ||
    (section?.roles ?? []).some((role) => user.roles.includes(role))
  );
}

function isServerAdmin(user: UserCtx): boolean {
  return user.roles.includes('_admin');
}

const SERVER_ADMIN_ONLY = couchError('unauthorized', 'You are not a server admin.');
const DB_ADMIN_ONLY = couchError('unauthorized', 'You are not a db or server admin.');

export function createCouchGate(deps: CouchGateDeps): Handler {
  const hidden = deps.hidden.filter((h) => h.length > 0).map((h) => Buffer.from(h, 'utf8'));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const user = await deps.authenticate(req);
    if (!user) {
      res.setHeader('WWW-Authenticate', 'Basic realm="server"');
      sendJson(res, 401, couchError('unauthorized', 'Authentication required.'));
      return;
    }
    const target = targetOf(req.url ?? '/');
    const admin = isServerAdmin(user);
    switch (target.kind) {
      case 'bad':
        sendJson(res, 400, couchError('illegal_database_name', target.reason));
        return;
      case 'session':
        if (!READ.has(method)) {
          sendJson(res, 405, couchError('method_not_allowed', 'Only GET is served here.'));
          return;
        }
        sendJson(res, 200, {
          ok: true,
          userCtx: { name: user.name, roles: user.roles },
          info: { authentication_handlers: ['default'], authenticated: 'default' },
        });
        return;
      case 'users':
        if (!admin) return sendJson(res, 401, SERVER_ADMIN_ONLY);
        await deps.users(req, res, target.docId);
        return;
      case 'server':
        if (!admin) return sendJson(res, 401, SERVER_ADMIN_ONLY);
        return pass(req, res, user);
      case 'root':
        return pass(req, res, user);
      case 'db':
        return database(req, res, user, target.db, target.rest, method);
    }
  }

  async function database(
    req: IncomingMessage,
    res: ServerResponse,
    user: UserCtx,
    db: string,
    rest: string[],
    method: string,
  ): Promise<void> {
    const wholeDb = rest.length === 0 && (method === 'PUT' || method === 'DELETE');
    if (isServerAdmin(user)) {
      if (!READ.has(method)) {
        // Whatever an admin changes, `_security` or the database itself, is read afresh.
        deps.forget(db);
        res.once('finish', () => deps.forget(db));
      }
      if (!wholeDb) withSecurity(req, await deps.security(db));
      return pass(req, res, user);
    }
    if (wholeDb) return sendJson(res, 401, SERVER_ADMIN_ONLY);
    const security = await deps.security(db);
    if (!security) return sendJson(res, 404, couchError('not_found', 'Database does not exist.'));
    withSecurity(req, security);
    if (inSection(user, security.admins)) {
      if (!READ.has(method)) res.once('finish', () => deps.forget(db));
      return pass(req, res, user);
    }
    // CouchDB 3: a database whose `_security` names no members is its admins' alone.
    if (!inSection(user, security.members)) {
      return sendJson(res, 403, couchError('forbidden', 'You are not allowed to access this db.'));
    }
    const access = memberAccess(method, rest);
    if (!access.ok) return sendJson(res, 401, DB_ADMIN_ONLY);
    if (!access.body) return pass(req, res, user);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(
        res,
        415,
        couchError('bad_content_type', 'Content-Type must be application/json'),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      return sendJson(
        res,
        status,
        couchError('bad_request', status === 413 ? 'too large' : 'invalid UTF-8 JSON'),
      );
    }
    const refusal = checkBody(access.body, rest, body);
    if (refusal) return sendJson(res, refusal.status, refusal.answer);
    // express-pouchdb's body parser skips a request whose body was already read.
    Object.assign(req, { body, _body: true });
    return pass(req, res, user);
  }

  function pass(req: IncomingMessage, res: ServerResponse, user: UserCtx): void {
    // express-pouchdb hands this to _security checks and to validate_doc_update.
    Object.assign(req, {
      couchSession: { ok: true, userCtx: { name: user.name, roles: [...user.roles] } },
    });
    if (hidden.length > 0) mask(res, hidden, writes(req.method ?? 'GET', req.url ?? '/'));
    deps.next(req, res);
  }

  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = (error as { status?: number }).status ?? 500;
      sendJson(res, status, couchError('unknown_error', 'the server could not answer'));
    });
  };
}

/**
 * validate_doc_update gets the database's `_security` as its fourth argument; express-pouchdb
 * hands it over only on the routes it registers after its own lookup, so the gate hands it to all.
 */
function withSecurity(req: IncomingMessage, security: SecurityObject | undefined): void {
  if (!security) return;
  const section = (s: Section | undefined) => ({ names: s?.names ?? [], roles: s?.roles ?? [] });
  Object.assign(req, {
    couchSecurityObj: {
      ...security,
      admins: section(security.admins),
      members: section(security.members),
    },
  });
}

function checkBody(
  kind: 'doc' | 'new-doc' | 'bulk',
  rest: string[],
  body: unknown,
): { status: number; answer: ReturnType<typeof couchError> } | undefined {
  const bad = (reason: string) => ({ status: 400, answer: couchError('bad_request', reason) });
  const notAdmin = { status: 401, answer: DB_ADMIN_ONLY };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return bad('Request body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  if (kind === 'doc') {
    const id = rest.join('/');
    // express-pouchdb takes the body's `_id` over the URL's: they must agree.
    if (record._id !== undefined && record._id !== id)
      return bad('the body names another document');
    record._id = id;
    return undefined;
  }
  const docs = kind === 'bulk' ? record.docs : [record];
  if (!Array.isArray(docs)) return bad("Missing JSON list of 'docs'");
  for (const doc of docs) {
    if (typeof doc !== 'object' || doc === null) return bad('every doc must be a JSON object');
    const id = (doc as { _id?: unknown })._id;
    if (id === undefined) continue;
    if (typeof id !== 'string') return bad('a document id must be a string');
    // Design documents, `_local/_security` and the like are an admin's.
    if (id.startsWith('_')) return notAdmin;
  }
  return undefined;
}

/** Whether the request writes: its answer holds ids, revisions and reasons, never documents. */
function writes(method: string, url: string): boolean {
  if (method === 'PUT' || method === 'DELETE') return true;
  if (method !== 'POST') return false;
  const target = targetOf(url);
  return target.kind === 'db' && (target.rest.length === 0 || target.rest[0] === '_bulk_docs');
}

/**
 * Overwrites every byte of a hidden string in an error answer, or in any answer to a write (a
 * bulk write answers its errors with 201), so lengths and headers still hold. Documents that are
 * read are never touched: what a user stored is theirs, whatever it says.
 */
function mask(res: ServerResponse, hidden: Buffer[], always: boolean): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const clean = (chunk: unknown, encoding: unknown): unknown => {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return chunk;
    if (!always && res.statusCode < 400) return chunk;
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding as BufferEncoding) : chunk;
    let copied = false;
    for (const h of hidden) {
      for (let at = buf.indexOf(h); at !== -1; at = buf.indexOf(h, at + h.length)) {
        if (!copied) {
          buf = Buffer.from(buf);
          copied = true;
        }
        buf.fill('*', at, at + h.length);
      }
    }
    return copied ? buf : chunk;
  };
  res.write = ((chunk: unknown, ...args: unknown[]) =>
    write(
      clean(chunk, typeof args[0] === 'string' ? args[0] : 'utf8'),
      ...args,
    )) as typeof res.write;
  res.end = ((chunk?: unknown, ...args: unknown[]) =>
    end(clean(chunk, typeof args[0] === 'string' ? args[0] : 'utf8'), ...args)) as typeof res.end;
}
