// The embedded server's users, as Apache CouchDB keeps them in `_users`: one document
// `org.couchdb.user:<name>` per user with its roles and a salted PBKDF2 hash, never the password
// itself. It owns that database and its `/_users` endpoints (admins only) and checks the HTTP Basic
// credentials of every request. It never decides what a user may do (couch-gate.ts does).
import { createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import type { Credentials } from './couch-admin';
import { couchError, readBody, sendJson } from './couch-wire';

const pbkdf2Async = promisify(pbkdf2);

/** Who a request speaks for, as CouchDB hands it to `validate_doc_update`. */
export interface UserCtx {
  name: string;
  roles: string[];
}

export const USER_PREFIX = 'org.couchdb.user:';
/** Apache CouchDB 3's choice of hash; the count is lower because passwords here are generated. */
const PRF = 'sha256';
const ITERATIONS = 100_000;
const KEY_BYTES = 32;
/** A checked password is trusted this long, as CouchDB's auth cache does. */
const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 1_000;

interface UserDoc {
  _id: string;
  _rev?: string;
  type: 'user';
  name: string;
  roles: string[];
  password_scheme: 'pbkdf2';
  pbkdf2_prf: string;
  iterations: number;
  salt: string;
  derived_key: string;
}

/** The part of a PouchDB database this module uses. */
export interface UsersDb {
  get(id: string): Promise<unknown>;
  put(doc: object): Promise<{ id: string; rev: string }>;
  remove(id: string, rev: string): Promise<{ id: string; rev: string }>;
  allDocs(options: object): Promise<{ total_rows: number; rows: { id: string }[] }>;
}

export interface CouchUsersDeps {
  db: UsersDb;
  admin: Credentials;
  iterations?: number;
}

type Answer = { status: number; body: unknown };

export class CouchUsers {
  private readonly cache = new Map<string, { ctx: UserCtx; until: number }>();
  /** Checks under way: a replication opens several connections at once with one password. */
  private readonly checking = new Map<string, Promise<UserCtx | undefined>>();
  /** Moves on with every change of a user, so a check begun before it caches nothing. */
  private generation = 0;
  /** Keys the cache by an HMAC of the password, so the process never keeps one in clear. */
  private readonly cacheKey = randomBytes(32).toString('hex');
  private readonly iterations: number;
  private readonly adminDigest: Buffer;

  constructor(private readonly d: CouchUsersDeps) {
    this.iterations = d.iterations ?? ITERATIONS;
    this.adminDigest = this.digest(d.admin.password);
  }

  /** The user the Basic credentials name, or undefined when they are missing or wrong. */
  async authenticate(req: IncomingMessage): Promise<UserCtx | undefined> {
    const basic = parseBasic(req.headers.authorization);
    if (!basic) return undefined;
    const { name, password } = basic;
    if (name === this.d.admin.name) {
      return same(this.digest(password), this.adminDigest)
        ? { name, roles: ['_admin'] }
        : undefined;
    }
    const key = `${name}\u0000${this.digest(password).toString('hex')}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.ctx;
    let check = this.checking.get(key);
    if (!check) {
      check = this.check(name, password, key).finally(() => this.checking.delete(key));
      this.checking.set(key, check);
    }
    return check;
  }

  private async check(name: string, password: string, key: string): Promise<UserCtx | undefined> {
    const generation = this.generation;
    const doc = await this.find(name);
    // A missing user costs one hash too, so timing does not tell which names exist.
    const derived = await pbkdf2Async(
      password,
      doc?.salt ?? 'none',
      doc?.iterations ?? this.iterations,
      doc ? Buffer.from(doc.derived_key, 'hex').length : KEY_BYTES,
      doc?.pbkdf2_prf ?? PRF,
    );
    if (!doc || !same(derived, Buffer.from(doc.derived_key, 'hex'))) return undefined;
    const ctx = { name: doc.name, roles: [...doc.roles] };
    if (generation !== this.generation) return ctx;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { ctx, until: Date.now() + CACHE_MS });
    return ctx;
  }

  /** `/_users` and `/_users/<id>`; the caller has checked that the request is an admin's. */
  async handle(req: IncomingMessage, res: ServerResponse, docId: string | undefined) {
    const answer = await this.answer(req, docId).catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      if (status === 404) return notFound();
      if (status === 409)
        return { status: 409, body: couchError('conflict', 'Document update conflict.') };
      throw error;
    });
    sendJson(res, answer.status, answer.body);
  }

  private async answer(req: IncomingMessage, docId: string | undefined): Promise<Answer> {
    const method = req.method ?? 'GET';
    if (docId === undefined) {
      if (method === 'PUT') {
        return {
          status: 412,
          body: couchError(
            'file_exists',
            'The database could not be created, the file already exists.',
          ),
        };
      }
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed();
      const all = await this.d.db.allDocs({ limit: 0 });
      return { status: 200, body: { db_name: '_users', doc_count: all.total_rows } };
    }
    if (!docId.startsWith(USER_PREFIX)) return notFound();
    const name = docId.slice(USER_PREFIX.length);
    if (method === 'GET' || method === 'HEAD')
      return { status: 200, body: await this.d.db.get(docId) };
    if (method === 'DELETE') {
      const rev = new URL(req.url ?? '/', 'http://users').searchParams.get('rev') ?? '';
      const done = await this.d.db.remove(docId, rev);
      this.forget(name);
      return { status: 200, body: { ok: true, id: done.id, rev: done.rev } };
    }
    if (method !== 'PUT') return methodNotAllowed();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return { status: 400, body: couchError('bad_request', 'invalid UTF-8 JSON') };
    }
    const refusal = checkUserDoc(docId, name, body);
    if (refusal) return { status: 403, body: couchError('forbidden', refusal) };
    const rev = typeof body._rev === 'string' ? body._rev : undefined;
    const stored = await this.find(name);
    let hash: Pick<
      UserDoc,
      'password_scheme' | 'pbkdf2_prf' | 'iterations' | 'salt' | 'derived_key'
    >;
    if (typeof body.password === 'string') {
      hash = await this.hash(body.password);
    } else if (stored) {
      const { password_scheme, pbkdf2_prf, iterations, salt, derived_key } = stored;
      hash = { password_scheme, pbkdf2_prf, iterations, salt, derived_key };
    } else {
      return { status: 403, body: couchError('forbidden', 'a new user needs a password') };
    }
    const doc: UserDoc = {
      _id: docId,
      ...(rev ? { _rev: rev } : {}),
      type: 'user',
      name,
      roles: body.roles as string[],
      ...hash,
    };
    const done = await this.d.db.put(doc);
    this.forget(name);
    return { status: 201, body: { ok: true, id: done.id, rev: done.rev } };
  }

  private async hash(password: string) {
    const salt = randomBytes(16).toString('hex');
    const key = await pbkdf2Async(password, salt, this.iterations, KEY_BYTES, PRF);
    return {
      password_scheme: 'pbkdf2' as const,
      pbkdf2_prf: PRF,
      iterations: this.iterations,
      salt,
      derived_key: key.toString('hex'),
    };
  }

  private async find(name: string): Promise<UserDoc | undefined> {
    try {
      return (await this.d.db.get(USER_PREFIX + name)) as UserDoc;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  /** A changed or removed user must sign in again with what is stored now. */
  private forget(name: string): void {
    this.generation += 1;
    for (const [key, entry] of this.cache) if (entry.ctx.name === name) this.cache.delete(key);
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.cacheKey).update(password).digest();
  }
}

/** What CouchDB's `_users` design document refuses, in its words where it has them. */
function checkUserDoc(
  docId: string,
  name: string,
  body: Record<string, unknown>,
): string | undefined {
  if (body.type !== 'user') return 'doc.type must be user';
  if (body.name !== name || docId !== USER_PREFIX + name) {
    return 'Doc ID must be of the form org.couchdb.user:name';
  }
  if (!/^[a-z][a-z0-9_-]{0,99}$/.test(name))
    return 'the name must be lower-case letters, digits, "_" or "-"';
  if (!Array.isArray(body.roles) || !body.roles.every((r) => typeof r === 'string')) {
    return 'doc.roles must be an array of strings';
  }
  if (body.roles.some((r: string) => r.startsWith('_')))
    return 'No system roles (starting with underscore) in users db.';
  if (
    body.password !== undefined &&
    (typeof body.password !== 'string' || body.password.length < 8)
  ) {
    return 'the password must be a string of at least 8 characters';
  }
  return undefined;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(new Uint8Array(a), new Uint8Array(b));
}

export function parseBasic(
  header: string | undefined,
): { name: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const notFound = (): Answer => ({ status: 404, body: couchError('not_found', 'missing') });
const methodNotAllowed = (): Answer => ({
  status: 405,
  body: couchError('method_not_allowed', 'Only GET, PUT and DELETE are allowed here.'),
});
