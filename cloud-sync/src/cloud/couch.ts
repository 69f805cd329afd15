// A small CouchDB HTTP client over fetch: the few calls the cloud service makes (get, put, range
// reads, create database). It owns nothing but the wire format; it must never decide anything.

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

export interface CouchClient {
  ensureDb(db: string): Promise<void>;
  get<T extends CouchDoc = CouchDoc>(db: string, id: string): Promise<T | undefined>;
  /** Creates or updates; a stale or missing `_rev` on an existing doc throws a 409 CouchError. */
  put(db: string, doc: CouchDoc): Promise<string>;
  /** Documents whose ids start with `prefix`, in id order; [] when the database is missing. */
  byPrefix<T extends CouchDoc = CouchDoc>(db: string, prefix: string): Promise<T[]>;
  allDbs(): Promise<string[]>;
}

export function createCouchClient(baseUrl: string, timeoutMs = 10_000): CouchClient {
  const base = baseUrl.replace(/\/+$/, '');
  const known = new Set<string>();

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
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

  return {
    async ensureDb(db) {
      if (known.has(db)) return;
      const { status, json } = await call('PUT', enc(db));
      // 412: it exists already.
      if (status >= 300 && status !== 412) throw new CouchError(status, reasonOf(json));
      known.add(db);
    },
    async get<T extends CouchDoc>(db: string, id: string) {
      const { status, json } = await call('GET', `${enc(db)}/${enc(id)}`);
      if (status === 404) return undefined;
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return json as T;
    },
    async put(db, doc) {
      const { status, json } = await call('PUT', `${enc(db)}/${enc(doc._id)}`, doc);
      if (status === 404 && !known.has(db)) {
        await this.ensureDb(db);
        return this.put(db, doc);
      }
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return String((json as { rev?: unknown }).rev);
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
      const rows = (json as { rows: { doc?: T }[] }).rows;
      return rows.flatMap((r) => (r.doc ? [r.doc] : []));
    },
    async allDbs() {
      const { status, json } = await call('GET', '_all_dbs');
      if (status >= 300) throw new CouchError(status, reasonOf(json));
      return json as string[];
    },
  };
}

/** A 409 from CouchDB: someone wrote the document first. */
export function isConflict(error: unknown): boolean {
  return error instanceof CouchError && error.status === 409;
}
