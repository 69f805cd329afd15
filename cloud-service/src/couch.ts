// A small CouchDB HTTP client over fetch: the few calls the cloud service and its provisioning
// make (documents, range and key reads, views, change feeds, create database, `_security`). The
// URL's credentials go in an Authorization header (fetch refuses URLs that carry them). It owns
// nothing but the wire format; it must never decide anything.

export interface CouchDoc {
  _id: string;
  _rev?: string;
  [key: string]: unknown;
}

export class CouchError extends Error {
  override readonly name = 'CouchError';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`CouchDB answered ${status}: ${reason}`);
  }
}

/** A position in a change feed: a number on some servers, an opaque string on CouchDB 3. */
export type Seq = string | number;

export interface Change<T extends CouchDoc = CouchDoc> {
  id: string;
  seq: Seq;
  deleted?: boolean;
  doc?: T;
}

export interface ChangesOptions {
  /** A checkpoint, or 'now' for only what comes next. Default: from the beginning. */
  since?: Seq;
  limit?: number;
  includeDocs?: boolean;
  /** Only changes of these documents. */
  docIds?: string[];
  /** Waits up to `timeoutMs` for a first change when there is none yet. */
  longpoll?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ChangesPage<T extends CouchDoc = CouchDoc> {
  results: Change<T>[];
  lastSeq: Seq;
}

export interface ViewRow<T extends CouchDoc = CouchDoc> {
  id?: string;
  key: unknown;
  value: unknown;
  doc?: T | null;
}

export interface ViewQuery {
  key?: unknown;
  keys?: unknown[];
  startkey?: unknown;
  endkey?: unknown;
  includeDocs?: boolean;
  reduce?: boolean;
  groupLevel?: number;
  descending?: boolean;
  limit?: number;
  /** Gives up early (a view read may index for minutes). */
  signal?: AbortSignal;
}

export interface DbUpdate {
  dbName: string;
  type: string;
}

export interface CouchClient {
  /** Creates the database unless it exists (an admin's call on CouchDB 3). */
  ensureDb(db: string): Promise<void>;
  /** Throws unless the database exists: the cloud creates none, provisioning does. */
  requireDb(db: string): Promise<void>;
  exists(db: string): Promise<boolean>;
  get<T extends CouchDoc = CouchDoc>(db: string, id: string): Promise<T | undefined>;
  /**
   * Creates or updates; a stale or missing `_rev` on an existing doc throws a 409 CouchError, a
   * missing database a 404 (nothing creates one behind the caller's back).
   */
  put(db: string, doc: CouchDoc): Promise<string>;
  /** A document's attachment as bytes; undefined when the document or the attachment is missing. */
  attachment(db: string, id: string, name: string): Promise<Buffer | undefined>;
  /** Documents whose ids start with `prefix`, in id order; [] when the database is missing. */
  byPrefix<T extends CouchDoc = CouchDoc>(db: string, prefix: string): Promise<T[]>;
  /** The documents with these ids that exist, in the order asked; [] when the database is missing. */
  byIds<T extends CouchDoc = CouchDoc>(db: string, ids: string[]): Promise<T[]>;
  /** Rows of a design document's view; undefined when the database or the view is missing. */
  view<T extends CouchDoc = CouchDoc>(
    db: string,
    ddoc: string,
    name: string,
    query: ViewQuery,
  ): Promise<ViewRow<T>[] | undefined>;
  /** A page of the database's change feed; undefined when the database is missing. */
  changes<T extends CouchDoc = CouchDoc>(
    db: string,
    options: ChangesOptions,
  ): Promise<ChangesPage<T> | undefined>;
  /**
   * Databases created, updated or deleted since `since` ('now' for only the position); undefined
   * when the server does not offer the feed (a PouchDB server, or a user who is not an admin).
   */
  dbUpdates(since: Seq, limit?: number): Promise<{ results: DbUpdate[]; lastSeq: Seq } | undefined>;
  /** Database names, only those starting with `prefix` when given (an admin's call). */
  allDbs(prefix?: string): Promise<string[]>;
  /** The database's `_security` object. */
  getSecurity(db: string): Promise<Record<string, unknown>>;
  putSecurity(db: string, security: object): Promise<void>;
}

/**
 * `viewTimeoutMs` is longer than `timeoutMs` because a view read first indexes what changed
 * since the last one, which for a large database seen for the first time takes minutes.
 */
export function createCouchClient(
  baseUrl: string,
  timeoutMs = 10_000,
  viewTimeoutMs = 300_000,
): CouchClient {
  const parsed = new URL(baseUrl);
  const authorization = parsed.username
    ? `Basic ${Buffer.from(
        `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`,
      ).toString('base64')}`
    : undefined;
  parsed.username = '';
  parsed.password = '';
  const base = parsed.toString().replace(/\/+$/, '');
  const known = new Set<string>();

  async function call(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: {
        ...(authorization ? { Authorization: authorization } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  const reasonOf = (json: unknown) =>
    String((json as { reason?: unknown } | undefined)?.reason ?? 'unknown');
  const enc = encodeURIComponent;
  const docsOf = <T>(json: unknown): T[] =>
    (json as { rows: { doc?: T | null }[] }).rows.flatMap((r) => (r.doc ? [r.doc] : []));

  const client: CouchClient = {
    async ensureDb(db) {
      if (known.has(db)) return;
      const { status, json } = await call('PUT', enc(db));
      // 412: it exists already.
      if (status >= 300 && status !== 412) throw new CouchError(status, reasonOf(json));
      known.add(db);
    },
    async requireDb(db) {
      if (await client.exists(db)) return;
      throw new CouchError(
        404,
        `the database ${db} is missing: provision it first (npm run provision -w @roomhub/cloud-service)`,
      );
    },
    async exists(db) {
      if (known.has(db)) return true;
      const { status, json } = await call('GET', enc(db));
      if (status === 404) return false;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      known.add(db);
      return true;
    },
    async get<T extends CouchDoc>(db: string, id: string) {
      const { status, json } = await call('GET', `${enc(db)}/${docPath(id)}`);
      if (status === 404) return undefined;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return json as T;
    },
    async put(db, doc) {
      const { status, json } = await call('PUT', `${enc(db)}/${docPath(doc._id)}`, doc);
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return String((json as { rev?: unknown }).rev);
    },
    async attachment(db, id, name) {
      const res = await fetch(`${base}/${enc(db)}/${docPath(id)}/${enc(name)}`, {
        headers: authorization ? { Authorization: authorization } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (res.status >= 300)
        throw new CouchError(res.status, reasonOf(await res.json().catch(() => undefined)));
      return Buffer.from(await res.arrayBuffer());
    },
    async byPrefix<T extends CouchDoc>(db: string, prefix: string) {
      const q = new URLSearchParams({
        include_docs: 'true',
        startkey: JSON.stringify(prefix),
        endkey: JSON.stringify(`${prefix}\ufff0`),
      });
      const { status, json } = await call('GET', `${enc(db)}/_all_docs?${q}`);
      if (status === 404) return [];
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return docsOf<T>(json);
    },
    async byIds<T extends CouchDoc>(db: string, ids: string[]) {
      if (ids.length === 0) return [];
      const { status, json } = await call('POST', `${enc(db)}/_all_docs?include_docs=true`, {
        keys: ids,
      });
      if (status === 404) return [];
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return docsOf<T>(json);
    },
    async view<T extends CouchDoc>(db: string, ddoc: string, name: string, query: ViewQuery) {
      const q = new URLSearchParams();
      for (const field of ['key', 'startkey', 'endkey'] as const) {
        if (query[field] !== undefined) q.set(field, JSON.stringify(query[field]));
      }
      if (query.includeDocs) q.set('include_docs', 'true');
      if (query.reduce !== undefined) q.set('reduce', String(query.reduce));
      if (query.groupLevel !== undefined) q.set('group_level', String(query.groupLevel));
      if (query.descending) q.set('descending', 'true');
      if (query.limit !== undefined) q.set('limit', String(query.limit));
      const path = `${enc(db)}/_design/${enc(ddoc)}/_view/${enc(name)}?${q}`;
      const deadline = AbortSignal.timeout(viewTimeoutMs);
      const signal = query.signal ? AbortSignal.any([query.signal, deadline]) : deadline;
      const { status, json } =
        query.keys === undefined
          ? await call('GET', path, undefined, signal)
          : await call('POST', path, { keys: query.keys }, signal);
      if (status === 404) return undefined;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return (json as { rows: ViewRow<T>[] }).rows;
    },
    async changes<T extends CouchDoc>(db: string, options: ChangesOptions) {
      const q = new URLSearchParams();
      if (options.since !== undefined) q.set('since', String(options.since));
      if (options.limit !== undefined) q.set('limit', String(options.limit));
      if (options.includeDocs) q.set('include_docs', 'true');
      if (options.docIds) q.set('filter', '_doc_ids');
      const waitMs = options.timeoutMs ?? 30_000;
      if (options.longpoll) {
        q.set('feed', 'longpoll');
        q.set('timeout', String(waitMs));
      }
      // A server that does not end a quiet long-poll on `timeout` is cut a little later.
      const deadline = AbortSignal.timeout(options.longpoll ? waitMs + 2_000 : timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
      const path = `${enc(db)}/_changes?${q}`;
      let answer: { status: number; json: unknown };
      try {
        answer = options.docIds
          ? await call('POST', path, { doc_ids: options.docIds }, signal)
          : await call('GET', path, undefined, signal);
      } catch (error) {
        // A quiet long-poll that ran out of time is an empty page, not a failure.
        if (options.longpoll && deadline.aborted && !options.signal?.aborted) {
          return { results: [], lastSeq: options.since ?? 0 };
        }
        throw error;
      }
      const { status, json } = answer;
      if (status === 404) return undefined;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      const page = json as { results: Change<T>[]; last_seq: Seq };
      return { results: page.results, lastSeq: page.last_seq };
    },
    async dbUpdates(since, limit) {
      const q = new URLSearchParams({ since: String(since) });
      if (limit !== undefined) q.set('limit', String(limit));
      const { status, json } = await call('GET', `_db_updates?${q}`);
      // Not offered here: a PouchDB server answers 400 or 404, CouchDB 401/403 to a non-admin.
      if ([400, 401, 403, 404, 405, 501].includes(status)) return undefined;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      const page = json as { results: { db_name: string; type: string }[]; last_seq: Seq };
      return {
        results: page.results.map((r) => ({ dbName: r.db_name, type: r.type })),
        lastSeq: page.last_seq,
      };
    },
    async allDbs(prefix) {
      const q = prefix
        ? `?${new URLSearchParams({
            startkey: JSON.stringify(prefix),
            endkey: JSON.stringify(`${prefix}\ufff0`),
          })}`
        : '';
      const { status, json } = await call('GET', `_all_dbs${q}`);
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      // Some servers ignore the range; the filter keeps the answer the same everywhere.
      return (json as string[]).filter((name) => !prefix || name.startsWith(prefix));
    },
    async getSecurity(db) {
      const { status, json } = await call('GET', `${enc(db)}/_security`);
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return (json ?? {}) as Record<string, unknown>;
    },
    async putSecurity(db, security) {
      const { status, json } = await call('PUT', `${enc(db)}/_security`, security);
      if (status >= 300) throw new CouchError(status, reasonOf(json));
    },
  };
  return client;
}

/** A document's path: a design document keeps its `/`, as CouchDB names it. */
function docPath(id: string): string {
  return id.startsWith('_design/')
    ? `_design/${encodeURIComponent(id.slice('_design/'.length))}`
    : encodeURIComponent(id);
}

/** A 409 from CouchDB: someone wrote the document first. */
export function isConflict(error: unknown): boolean {
  return error instanceof CouchError && error.status === 409;
}
