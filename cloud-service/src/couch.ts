// The cloud service's CouchDB client: the few calls the cloud and its provisioning make (documents,
// range and key reads, writes in bulk, views, change feeds, create database, `_security`), made through Apache
// CouchDB's own Node client, nano, which owns the wire: addressing, the URL's credentials as a
// Basic header (and a session cookie when the server sets one), JSON in and out, CouchDB's error
// body. What this file adds is what callers rely on and nano leaves to them: a deadline on every
// call, a longer one for views, 404 as undefined where a missing thing is an answer, other
// refusals as a CouchError with CouchDB's status and reason. It must never decide anything.
import nano from 'nano';

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

/** CouchDB could not be reached: the connection was refused, reset or dropped. */
export class CouchUnreachable extends Error {
  override readonly name = 'CouchUnreachable';
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
  /**
   * A long-poll cut here, a little after its `timeout`, because no answer came: the feed may have
   * been quiet (on a server that does not end a quiet long-poll) or the connection dead.
   */
  cut?: true;
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
  /**
   * Answers from the index as it stands, without bringing it up to date (`stale=ok`): for a read
   * that may miss the newest writes rather than wait while they are indexed. The change follower
   * brings each store's index up to date after the changes it reads.
   */
  stale?: boolean;
  /** Gives up early (a view read may index for minutes). */
  signal?: AbortSignal;
}

/** What one document of a bulk write came to: its new revision, or CouchDB's refusal of it. */
export type BulkResult = { id: string; rev: string } | { id: string; error: CouchError };

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
  /**
   * Creates or updates several documents in one request (`_bulk_docs`), each on its own: one
   * refused (a 409 for a stale or missing `_rev`) leaves the others written. The outcomes come in
   * the order given; a missing database throws a 404 as `put` does.
   */
  bulkDocs(db: string, docs: CouchDoc[]): Promise<BulkResult[]>;
  /** A document's attachment as bytes; undefined when the document or the attachment is missing. */
  attachment(db: string, id: string, name: string): Promise<Buffer | undefined>;
  /**
   * Documents whose ids start with `prefix`, in id order (the last first with `descending`, at
   * most `limit` of them); [] when the database is missing.
   */
  byPrefix<T extends CouchDoc = CouchDoc>(
    db: string,
    prefix: string,
    page?: { descending?: boolean; limit?: number },
  ): Promise<T[]>;
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

/** How long one request may take, and the caller's signal that may end it sooner. */
interface Limits {
  ms?: number;
  signal?: AbortSignal;
}

/** The calls under way with each caller's signal: one listener per signal ends them all. */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/** Ends `controller` when `outer` aborts; the function returned stops following. */
function follow(outer: AbortSignal, controller: AbortController): () => void {
  let live = followers.get(outer);
  if (!live) {
    const calls = new Set<AbortController>();
    outer.addEventListener(
      'abort',
      () => {
        for (const call of calls) call.abort(outer.reason);
        calls.clear();
      },
      { once: true },
    );
    followers.set(outer, calls);
    live = calls;
  }
  live.add(controller);
  return () => live.delete(controller);
}

/**
 * A signal that aborts after `ms` (with a TimeoutError, as `AbortSignal.timeout` does) or when
 * `outer` aborts (with its reason), and `end`, which lets go of both once the request is over.
 * `AbortSignal.timeout` would keep its timer until the time is up (five minutes for a view read):
 * under load, a timer for every request of the last minutes. `AbortSignal.any` with a long-lived
 * signal (the follower's) leaves a record on that signal per request in this Node, and a listener
 * per call would be one per store's long-poll: one listener per caller's signal follows them all.
 */
function deadline(ms: number, outer?: AbortSignal): { signal: AbortSignal; end(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    ms,
  );
  let unfollow = () => {};
  if (outer?.aborted) controller.abort(outer.reason);
  else if (outer) unfollow = follow(outer, controller);
  return {
    signal: controller.signal,
    end() {
      clearTimeout(timer);
      unfollow();
    },
  };
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
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
  // parseUrl off: a server behind a path (`https://host/couch`) is a server, not a database.
  const config = { url: baseUrl.replace(/\/+$/, ''), parseUrl: false };
  const server = nano(config as nano.Configuration);
  const known = new Set<string>();

  /**
   * One request through nano with a deadline (`limits.ms`, the client's `timeoutMs` unless set)
   * and the caller's own signal, if any. nano answers a refusal with an Error carrying CouchDB's
   * status and body, and a dropped connection with a plain Error; the caller gets a CouchError for
   * the first and, when the deadline or the caller's signal ended it, the abort's own reason (a
   * TimeoutError or AbortError, as fetch throws) for the second. nano resolves an answer whose body
   * was cut off (by the deadline, or a dropped connection) as '', and no JSON answer of CouchDB is
   * empty: that is a failure too, never an empty success.
   */
  async function call<R>(request: NanoRequest, limits: Limits = {}): Promise<R> {
    const limit = deadline(limits.ms ?? timeoutMs, limits.signal);
    try {
      const answer: unknown = await server.request({
        ...request,
        signal: limit.signal,
      } as nano.RequestOptions);
      if (answer === '' && !request.dontParse) {
        throw new Error(`CouchDB's answer to ${request.path ?? request.db ?? '/'} was cut off`);
      }
      return answer as R;
    } catch (error) {
      const refusal = error as { statusCode?: unknown; reason?: unknown; scope?: unknown };
      if (refusal.scope === 'couch' && typeof refusal.statusCode === 'number') {
        throw new CouchError(refusal.statusCode, String(refusal.reason ?? 'unknown'));
      }
      if (limit.signal.aborted) throw limit.signal.reason;
      // nano words a failed connection as a plain Error; it is told apart as CouchDB out of reach.
      if (error instanceof Error && error.message.startsWith('error happened in your connection')) {
        throw new CouchUnreachable(error.message, { cause: error });
      }
      throw error;
    } finally {
      limit.end();
    }
  }

  /** The same, with a 404 as undefined. */
  async function read<R>(request: NanoRequest, limits?: Limits): Promise<R | undefined> {
    try {
      return await call<R>(request, limits);
    } catch (error) {
      if (error instanceof CouchError && error.status === 404) return undefined;
      throw error;
    }
  }

  const docsOf = <T>(page: { rows: { doc?: T | null }[] } | undefined): T[] =>
    page ? page.rows.flatMap((r) => (r.doc ? [r.doc] : [])) : [];

  const client: CouchClient = {
    async ensureDb(db) {
      if (known.has(db)) return;
      try {
        await call({ db, method: 'PUT' });
      } catch (error) {
        // 412: it exists already.
        if (!(error instanceof CouchError && error.status === 412)) throw error;
      }
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
      if ((await read({ db })) === undefined) return false;
      known.add(db);
      return true;
    },
    get<T extends CouchDoc>(db: string, id: string) {
      return read<T>({ db, path: docPath(id) });
    },
    async put(db, doc) {
      const answer = await call<{ rev?: unknown }>({
        db,
        path: docPath(doc._id),
        method: 'PUT',
        body: doc,
      });
      return String(answer.rev);
    },
    async bulkDocs(db, docs) {
      if (docs.length === 0) return [];
      const answer = await call<
        { id?: unknown; rev?: unknown; error?: unknown; reason?: unknown }[]
      >({ db, path: '_bulk_docs', method: 'POST', body: { docs } });
      // Matched by id: the embedded server answers the refused documents after the written ones.
      const byId = new Map<string, (typeof answer)[number][]>();
      for (const one of answer) {
        const id = String(one.id);
        byId.set(id, [...(byId.get(id) ?? []), one]);
      }
      return docs.map((doc) => {
        const one = byId.get(doc._id)?.shift();
        if (one && typeof one.rev === 'string' && one.error === undefined) {
          return { id: doc._id, rev: one.rev };
        }
        const error = String(one?.error ?? 'unknown');
        const reason = String(one?.reason ?? error);
        return { id: doc._id, error: new CouchError(BULK_STATUS[error] ?? 500, reason) };
      });
    },
    async attachment(db, id, name) {
      const bytes = await read<Buffer | string>({
        db,
        path: `${docPath(id)}/${encodeURIComponent(name)}`,
        encoding: null,
        dontParse: true,
      });
      // nano hands a text/* attachment back decoded; the caller asked for bytes.
      return typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    },
    async byPrefix<T extends CouchDoc>(
      db: string,
      prefix: string,
      page: { descending?: boolean; limit?: number } = {},
    ) {
      const [first, last] = [prefix, `${prefix}\ufff0`];
      const qs = {
        include_docs: true,
        ...(page.descending
          ? { descending: true, startkey: last, endkey: first }
          : { startkey: first, endkey: last }),
        ...(page.limit !== undefined ? { limit: page.limit } : {}),
      };
      return docsOf(await read<{ rows: { doc?: T | null }[] }>({ db, path: '_all_docs', qs }));
    },
    async byIds<T extends CouchDoc>(db: string, ids: string[]) {
      if (ids.length === 0) return [];
      const page = await read<{ rows: { doc?: T | null }[] }>({
        db,
        path: '_all_docs',
        method: 'POST',
        qs: { include_docs: true },
        body: { keys: ids },
      });
      return docsOf(page);
    },
    async view<T extends CouchDoc>(db: string, ddoc: string, name: string, query: ViewQuery) {
      const qs: Record<string, unknown> = {};
      for (const field of ['key', 'startkey', 'endkey'] as const) {
        if (query[field] !== undefined) qs[field] = query[field];
      }
      if (query.includeDocs) qs.include_docs = true;
      if (query.reduce !== undefined) qs.reduce = query.reduce;
      if (query.groupLevel !== undefined) qs.group_level = query.groupLevel;
      if (query.descending) qs.descending = true;
      if (query.limit !== undefined) qs.limit = query.limit;
      if (query.stale) qs.stale = 'ok';
      const path = `_design/${encodeURIComponent(ddoc)}/_view/${encodeURIComponent(name)}`;
      const page = await read<{ rows: ViewRow<T>[] }>(
        query.keys === undefined
          ? { db, path, qs }
          : { db, path, qs, method: 'POST', body: { keys: query.keys } },
        { ms: viewTimeoutMs, signal: query.signal },
      );
      return page?.rows;
    },
    async changes<T extends CouchDoc>(db: string, options: ChangesOptions) {
      const qs: Record<string, unknown> = {};
      if (options.since !== undefined) qs.since = options.since;
      if (options.limit !== undefined) qs.limit = options.limit;
      if (options.includeDocs) qs.include_docs = true;
      if (options.docIds) qs.filter = '_doc_ids';
      const waitMs = options.timeoutMs ?? 30_000;
      if (options.longpoll) {
        qs.feed = 'longpoll';
        qs.timeout = waitMs;
      }
      // A server that does not end a quiet long-poll on `timeout` is cut a little later.
      const ms = options.longpoll ? waitMs + 2_000 : timeoutMs;
      let page: { results: Change<T>[]; last_seq: Seq } | undefined;
      try {
        page = await read(
          options.docIds
            ? { db, path: '_changes', qs, method: 'POST', body: { doc_ids: options.docIds } }
            : { db, path: '_changes', qs },
          { ms, signal: options.signal },
        );
      } catch (error) {
        // A quiet long-poll that ran out of time is an empty page, not a failure.
        if (options.longpoll && isTimeout(error) && !options.signal?.aborted) {
          return { results: [], lastSeq: options.since ?? 0, cut: true };
        }
        throw error;
      }
      return page && { results: page.results, lastSeq: page.last_seq };
    },
    async dbUpdates(since, limit) {
      let page: { results: { db_name: string; type: string }[]; last_seq: Seq };
      try {
        page = await call({
          path: '_db_updates',
          qs: { since, ...(limit === undefined ? {} : { limit }) },
        });
      } catch (error) {
        // Not offered here: a PouchDB server answers 400 or 404, CouchDB 401/403 to a non-admin.
        if (error instanceof CouchError && [400, 401, 403, 404, 405, 501].includes(error.status)) {
          return undefined;
        }
        throw error;
      }
      return {
        results: page.results.map((r) => ({ dbName: r.db_name, type: r.type })),
        lastSeq: page.last_seq,
      };
    },
    async allDbs(prefix) {
      const names = await call<string[]>({
        path: '_all_dbs',
        qs: prefix ? { startkey: prefix, endkey: `${prefix}\ufff0` } : {},
      });
      // Some servers ignore the range; the filter keeps the answer the same everywhere.
      return names.filter((name) => !prefix || name.startsWith(prefix));
    },
    async getSecurity(db) {
      return (await call<Record<string, unknown> | undefined>({ db, path: '_security' })) || {};
    },
    async putSecurity(db, security) {
      await call({ db, path: '_security', method: 'PUT', body: security });
    },
  };
  return client;
}

/** The status CouchDB gives a single write for the error a bulk write names per document. */
const BULK_STATUS: Record<string, number> = {
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  not_found: 404,
  bad_request: 400,
};

/** What a call hands nano's `request`: its options, with the few it reads but does not type. */
type NanoRequest = Omit<nano.RequestOptions, 'encoding'> & { encoding?: null; dontParse?: boolean };

/**
 * A document's path: a design document keeps its `/`, as CouchDB names it; any other id is encoded
 * whole (nano's own addressing leaves an id holding `_local` anywhere unencoded).
 */
function docPath(id: string): string {
  return id.startsWith('_design/')
    ? `_design/${encodeURIComponent(id.slice('_design/'.length))}`
    : encodeURIComponent(id);
}

/** A 409 from CouchDB: someone wrote the document first. */
export function isConflict(error: unknown): boolean {
  return error instanceof CouchError && error.status === 409;
}
