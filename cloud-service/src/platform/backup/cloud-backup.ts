// Backups of the cloud's own databases (P5) and their restore. A backup is one file of JSON
// lines: a header naming the databases, then every document of each (its revision kept, design
// documents too), read a page at a time and written as it is read, so a large database never
// sits in memory; each database ends with a line counting its documents, so a cut file is
// refused on restore. Each database is read with the credential that may read it: the cloud's
// user reads its own and the registry, the platform's credential reads `platform` (its audit
// trail, which only admins read). A restore goes into databases that are empty or missing (a new
// CouchDB), keeps each document's revision (`new_edits: false`) and checks every count; it puts
// back whichever databases the file holds, so a backup made before `platform` was backed up
// restores as it did. The stores' databases are their hubs' (each hub keeps its own backups and
// replicates again); users and `_security` are provisioning's and the platform's, set again after
// a restore. Owns the file format; nothing else.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { CLOUD_DBS, REGISTRY_DB } from '@roomhub/shared-types';
import { PLATFORM_DB } from '../platform-store';

export const BACKUP_FORMAT = 'roomhub-cloud-backup';
const PAGE = 500;

/** The databases a cloud backup holds: every one the cloud owns, the registry and `platform`. */
export const BACKED_UP_DBS: readonly string[] = [
  ...Object.values(CLOUD_DBS),
  REGISTRY_DB,
  PLATFORM_DB,
];

/** CouchDB URLs with credentials, one for each kind of database a backup reads. */
export interface BackupReaders {
  /** The cloud's user: the cloud's databases and the registry. */
  cloud: string;
  /** The platform's credential (`CLOUD_PLATFORM_COUCHDB_URL`, an admin's): `platform`. */
  platform: string;
}

const readerOf = (readers: BackupReaders, db: string): string =>
  db === PLATFORM_DB ? readers.platform : readers.cloud;

export interface BackupSummary {
  at: string;
  dbs: { db: string; docs: number }[];
}

interface Couch {
  base: string;
  authorization: string | undefined;
}

function couchOf(url: string): Couch {
  const u = new URL(url);
  const authorization = u.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`
    : undefined;
  u.username = '';
  u.password = '';
  return { base: u.toString().replace(/\/+$/, ''), authorization };
}

async function call(
  c: Couch,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${c.base}/${path}`, {
    method,
    headers: {
      ...(c.authorization ? { Authorization: c.authorization } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

const fail = (what: string, status: number, json: unknown) =>
  new Error(`${what}: CouchDB answered ${status} ${JSON.stringify(json)}`);

/** Writes `line` and waits when the stream is full, so reading keeps pace with writing. */
async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

/**
 * Streams a backup of `dbs` (all the cloud's unless given) into `out`, each database read with
 * its credential in `readers`. A database that does not exist is skipped; one its credential may
 * not read fails the backup before a line is written.
 */
export async function streamBackup(
  readers: BackupReaders,
  out: Writable,
  options: { at: Date; dbs?: readonly string[] },
): Promise<BackupSummary> {
  const dbs = options.dbs ?? BACKED_UP_DBS;
  const present: { db: string; c: Couch }[] = [];
  for (const db of dbs) {
    const c = couchOf(readerOf(readers, db));
    const head = await call(c, 'GET', encodeURIComponent(db));
    if (head.status === 404) continue;
    if (head.status === 401 || head.status === 403) {
      throw fail(`reading ${db} (its credential may not read it)`, head.status, head.json);
    }
    if (head.status >= 300) throw fail(`reading ${db}`, head.status, head.json);
    present.push({ db, c });
  }
  const summary: BackupSummary = { at: options.at.toISOString(), dbs: [] };
  await writeLine(out, JSON.stringify({ format: BACKUP_FORMAT, version: 1, at: summary.at, dbs }));
  for (const { db, c } of present) {
    const enc = encodeURIComponent(db);
    let docs = 0;
    let startkey: string | undefined;
    for (;;) {
      const q = new URLSearchParams({ include_docs: 'true', limit: String(PAGE + 1) });
      if (startkey !== undefined) q.set('startkey', JSON.stringify(startkey));
      const page = await call(c, 'GET', `${enc}/_all_docs?${q}`);
      if (page.status >= 300) throw fail(`reading ${db}`, page.status, page.json);
      const rows = (page.json as { rows: { id: string; doc?: Record<string, unknown> }[] }).rows;
      for (const row of rows.slice(0, PAGE)) {
        if (!row.doc) continue;
        await writeLine(out, JSON.stringify({ db, doc: row.doc }));
        docs += 1;
      }
      if (rows.length <= PAGE) break;
      startkey = rows[PAGE]!.id;
    }
    await writeLine(out, JSON.stringify({ db, end: true, docs }));
    summary.dbs.push({ db, docs });
  }
  await writeLine(out, JSON.stringify({ end: true }));
  return summary;
}

/** A backup into a new file, written as it is read; a backup that fails leaves no file. */
export async function writeBackupFile(
  readers: BackupReaders,
  file: string,
  options: { at: Date; dbs?: readonly string[] },
): Promise<BackupSummary> {
  const out = createWriteStream(file, { flags: 'wx' });
  // An existing file is refused here, before anything is read (and is never removed).
  await once(out, 'open');
  try {
    const summary = await streamBackup(readers, out, options);
    out.end();
    await once(out, 'finish');
    return summary;
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
}

/**
 * Restores a backup file into the CouchDB at `adminUrl` (an admin: design documents, the registry
 * and `platform` are put back too). Each database must be missing or empty; each is checked
 * against the count the backup closes it with, and a file cut short is refused.
 */
export async function restoreBackupFile(adminUrl: string, file: string): Promise<BackupSummary> {
  const c = couchOf(adminUrl);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let header: { format?: string; at?: string } | undefined;
  const summary: BackupSummary = { at: '', dbs: [] };
  let batch: { db: string; docs: Record<string, unknown>[] } | undefined;
  const counted = new Map<string, number>();
  let ended = false;

  const flush = async () => {
    if (!batch || batch.docs.length === 0) return;
    const res = await call(c, 'POST', `${encodeURIComponent(batch.db)}/_bulk_docs`, {
      docs: batch.docs,
      new_edits: false,
    });
    if (res.status >= 300) throw fail(`restoring ${batch.db}`, res.status, res.json);
    const failed = (res.json as { error?: string }[]).filter((r) => r.error);
    if (failed.length > 0) throw fail(`restoring ${batch.db}`, res.status, failed);
    counted.set(batch.db, (counted.get(batch.db) ?? 0) + batch.docs.length);
    batch.docs = [];
  };
  const open = async (db: string) => {
    const enc = encodeURIComponent(db);
    const made = await call(c, 'PUT', enc);
    if (made.status === 412) {
      const info = await call(c, 'GET', enc);
      if ((info.json as { doc_count?: number }).doc_count !== 0) {
        throw new Error(`${db} is not empty: a backup is restored into an empty CouchDB only`);
      }
    } else if (made.status >= 300) {
      throw fail(`creating ${db}`, made.status, made.json);
    }
    counted.set(db, 0);
  };

  for await (const line of lines) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as {
      format?: string;
      at?: string;
      db?: string;
      doc?: Record<string, unknown>;
      end?: boolean;
      docs?: number;
    };
    if (!header) {
      if (entry.format !== BACKUP_FORMAT) throw new Error(`${file} is not a cloud backup`);
      header = entry;
      summary.at = entry.at ?? '';
      continue;
    }
    if (entry.end && entry.db === undefined) {
      ended = true;
      break;
    }
    const db = entry.db!;
    if (!counted.has(db)) {
      await flush();
      await open(db);
      batch = { db, docs: [] };
    }
    if (entry.end) {
      await flush();
      if (counted.get(db) !== entry.docs) {
        throw new Error(
          `${db}: the backup says ${entry.docs} documents, ${counted.get(db)} were restored`,
        );
      }
      summary.dbs.push({ db, docs: entry.docs ?? 0 });
      continue;
    }
    batch!.docs.push(entry.doc!);
    if (batch!.docs.length >= PAGE) await flush();
  }
  if (!header || !ended) throw new Error(`${file} ends before the backup does: it was cut short`);
  return summary;
}
