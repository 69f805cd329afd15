// Backups of the store's database (H4): a consistent copy through SQLite's online backup API
// while the hub keeps serving, one self-contained file, kept by count here and in a folder off the
// machine; and a restore that checks the copy, and holds the database's lock, before it replaces
// anything. Never touches a database a running hub holds.
import Database from 'better-sqlite3';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BACKUP_NAME, type BackupSettings } from '@roomhub/shared-types';
import { MIGRATIONS } from '../db/migrations/index';
import { lockDatabase, schemaVersion, SchemaTooNewError, type Db } from '../db/database';
import { backupSettings } from './backup-settings';

export interface BackupResult {
  file: string;
  bytes: number;
  createdAt: string;
  /** Older backups deleted to keep the count, here and in the folder off the machine. */
  removed: string[];
  /** The copy off the machine: where it went, or why it did not; null when none is set. */
  copy: { folder: string; file: string } | { folder: string; error: string } | null;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
}

/** The backups in `dir` (named as BACKUP_NAME says), oldest first; nothing else there is ever touched. */
export function backupsIn(dir: string): string[] {
  const order = (name: string) => {
    const m = BACKUP_NAME.exec(name)!;
    return [m[1]!, Number(m[2] ?? 0)] as const;
  };
  return readdirSync(dir)
    .filter((f) => BACKUP_NAME.test(f))
    .sort((a, b) => {
      const [ta, ia] = order(a);
      const [tb, ib] = order(b);
      return ta < tb ? -1 : ta > tb ? 1 : ia - ib;
    });
}

/** Where a restore the owner asked for waits for the hub's next start (restore-request.ts). */
export const RESTORE_REQUEST_FILE = 'restore-request.json';

/** The backup a restore asked for names, which no clearing of old backups may delete. */
function spared(dataDir: string): string | null {
  try {
    const name = (
      JSON.parse(readFileSync(join(dataDir, RESTORE_REQUEST_FILE), 'utf8')) as {
        name?: unknown;
      }
    ).name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/** Deletes all but the newest `keep` backups in `dir`, never `spare`; answers what it deleted. */
function keepNewest(dir: string, keep: number, spare: string | null): string[] {
  const old = backupsIn(dir)
    .slice(0, -keep)
    .filter((f) => f !== spare);
  for (const f of old) rmSync(join(dir, f), { force: true });
  return old.map((f) => join(dir, f));
}

/**
 * Copies `db` into the data folder's backups/ (and the settings' folder off the machine), keeping
 * the newest `settings.keep` in each. A copy off the machine that fails (the drive unplugged, the
 * share not writable) does not fail the backup: the answer says why.
 */
export async function backupDatabase(
  db: Db,
  dataDir: string,
  now: number,
  settings: BackupSettings = backupSettings(dataDir),
): Promise<BackupResult> {
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let name = `hub-${stamp(now)}.db`;
  for (let i = 1; existsSync(join(dir, name)); i++) name = `hub-${stamp(now)}-${i}.db`;
  const file = join(dir, name);
  // Written under a temporary name and named a backup once proven whole: a copy cut short (the
  // power gone, the disk full) is never listed, restored or counted against the ones kept.
  const partial = `${file}.partial`;
  try {
    await db.backup(partial);
    // A copy of the database is as private as the database.
    chmodSync(partial, 0o600);
    selfContained(partial);
    checkBackup(partial);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  const removed = keepNewest(dir, settings.keep, spared(dataDir));
  let copy: BackupResult['copy'] = null;
  if (settings.copyTo) {
    const folder = settings.copyTo;
    try {
      if (!statSync(folder).isDirectory()) throw new Error('not a folder');
      // Copied under a temporary name first: a half-written file is never taken for a backup.
      const partial = join(folder, `${name}.partial`);
      copyFileSync(file, partial);
      chmodSync(partial, 0o600);
      renameSync(partial, join(folder, name));
      copy = { folder, file: join(folder, name) };
      removed.push(...keepNewest(folder, settings.keep, null));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      copy = { folder, error: `could not copy the backup to ${folder}: ${why}` };
    }
  }
  return {
    file: resolve(file),
    bytes: statSync(file).size,
    createdAt: new Date(now).toISOString(),
    removed,
    copy,
  };
}

/**
 * The online backup copies the database's header, which says "write-ahead log": opened so, the
 * copy would grow -wal and -shm files beside it. Switched to a rollback journal it is one file;
 * the hub turns the log back on when it opens a restored copy.
 */
function selfContained(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('locking_mode = EXCLUSIVE');
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Opens a copy read-only and proves it whole and readable by this hub; throws otherwise. */
export function checkBackup(file: string): { schemaVersion: number; bookings: number } {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // A copy made before backups were self-contained is opened without a -shm file too.
    copy.pragma('locking_mode = EXCLUSIVE');
    let ok: unknown;
    try {
      ok = copy.pragma('integrity_check', { simple: true });
    } catch (e) {
      // Not SQLite at all (SQLITE_NOTADB), or unreadable: say so in words, not with a stack.
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`${file} is not a hub backup (${why}); nothing was changed`);
    }
    if (ok !== 'ok') throw new Error(`backup ${file} is damaged: ${String(ok)}`);
    const version = schemaVersion(copy);
    const known = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
    if (version > known) throw new SchemaTooNewError(version, known);
    if (version === 0) throw new Error(`${file} is not a hub database`);
    const bookings = (copy.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number }).n;
    return { schemaVersion: version, bookings };
  } finally {
    copy.close();
  }
}

/**
 * Puts back the database a restore kept (`keptAs`), over a restored copy this hub could not open;
 * the backup it came from stays where it was. For the start only, before any hub opens the file.
 */
export function undoRestore(keptAs: string, dbFile: string): void {
  const incoming = `${dbFile}.restoring`;
  copyFileSync(keptAs, incoming);
  chmodSync(incoming, 0o600);
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(dbFile + suffix, { force: true });
  renameSync(incoming, dbFile);
}

/**
 * Puts a backup in place of the hub's database. Holds the database's lock throughout, so it is
 * refused (DatabaseInUseError) while a hub runs on it, and no hub starts on it half-way. The
 * current file is kept beside it (hub.db.before-restore-<time>) so a restore can itself be undone.
 */
export function restoreDatabase(
  backupFile: string,
  dbFile: string,
  now: number,
): { keptAs: string | null } {
  checkBackup(backupFile);
  const current = existsSync(dbFile) ? lockDatabase(dbFile) : null;
  try {
    let keptAs: string | null = null;
    // A new machine's data folder may not be there yet.
    mkdirSync(dirname(dbFile), { recursive: true, mode: 0o700 });
    if (current) {
      // Fold the write-ahead log in first so the kept copy is complete on its own.
      current.pragma('journal_mode = DELETE');
      keptAs = `${dbFile}.before-restore-${stamp(now)}`;
      copyFileSync(dbFile, keptAs);
      chmodSync(keptAs, 0o600);
    }
    // The new file takes the old one's name in one step: hub.db is always one whole database.
    const incoming = `${dbFile}.restoring`;
    copyFileSync(backupFile, incoming);
    chmodSync(incoming, 0o600);
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(dbFile + suffix, { force: true });
    renameSync(incoming, dbFile);
    return { keptAs };
  } finally {
    current?.close();
  }
}
