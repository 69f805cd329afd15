// Where the replicator finds the store's databases in the cloud, and how it names what the cloud
// or the line said when a request failed. Pure functions; no I/O.
import type { SyncRefusal } from '@roomhub/shared-types';

export interface RemoteTarget {
  base: string;
  dbUrl: string;
  auth: { username: string; password: string } | undefined;
  authorization: string | undefined;
}

/** Splits credentials out of the URL: fetch refuses URLs that carry them. */
export function parseRemote(remoteUrl: string, dbName: string): RemoteTarget {
  const url = new URL(remoteUrl);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  const auth = username ? { username, password } : undefined;
  return {
    base,
    dbUrl: `${base}/${encodeURIComponent(dbName)}`,
    auth,
    authorization: auth
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      : undefined,
  };
}

/** A request-level 401 or 403 from CouchDB, as PouchDB reports it; undefined for anything else. */
export function refusalOf(error: unknown): SyncRefusal | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (status !== 401 && status !== 403) return undefined;
  return { status, reason: describe(error) };
}

/** An error as the log says it: PouchDB's are objects with a message, a reason or a status. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; reason?: unknown; status?: unknown };
    return String(e.message ?? e.reason ?? e.status ?? JSON.stringify(error));
  }
  return String(error);
}
