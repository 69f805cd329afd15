// Backups of the store's database (H4): a consistent copy through SQLite's online backup API
// while the hub keeps serving, and a restore that checks the copy before it replaces anything.
import Database from 'better-sqlite3';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { MIGRATIONS } from '../db/migrations/index';
import { schemaVersion, SchemaTooNewError, type Db } from '../db/database';

export interface BackupResult {
  file: string;
  bytes: number;
  createdAt: string;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
}

export async function backupDatabase(db: Db, dataDir: string, now: number): Promise<BackupResult> {
  const dir = join(dataDir, 'backups');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let file = join(dir, `hub-${stamp(now)}.db`);
  for (let i = 1; existsSync(file); i++) file = join(dir, `hub-${stamp(now)}-${i}.db`);
  await db.backup(file);
  // A copy of the database is as private as the database.
  chmodSync(file, 0o600);
  checkBackup(file);
  return {
    file: resolve(file),
    bytes: statSync(file).size,
    createdAt: new Date(now).toISOString(),
  };
}

/** Opens a copy read-only and proves it whole and readable by this hub; throws otherwise. */
export function checkBackup(file: string): { schemaVersion: number; bookings: number } {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const ok = copy.pragma('integrity_check', { simple: true });
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
 * Puts a backup in place of the hub's database. The hub must be stopped. The current file is
 * kept beside it (hub.db.before-restore-<time>) so a restore can itself be undone.
 */
export function restoreDatabase(
  backupFile: string,
  dbFile: string,
  now: number,
): { keptAs: string | null } {
  checkBackup(backupFile);
  let keptAs: string | null = null;
  if (existsSync(dbFile)) {
    // Fold the write-ahead log in first so the kept copy is complete on its own.
    const current = new Database(dbFile);
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    keptAs = `${dbFile}.before-restore-${stamp(now)}`;
    renameSync(dbFile, keptAs);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  copyFileSync(backupFile, dbFile);
  chmodSync(dbFile, 0o600);
  return { keptAs };
}
