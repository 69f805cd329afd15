// Opens the store's SQLite file with the settings a power cut demands and brings its schema up
// to date. The only place that runs migrations; it refuses a database newer than this code.
// The hub's connection holds the file's lock for as long as it is open: no second hub, restore
// or direct copy can open the file under it, whatever port anybody names.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index';

export type Db = Database.Database;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `this database was written by a newer hub (schema version ${found}; this hub knows up to ${known}). ` +
        'Install the newer hub version, or restore a backup made by this version.',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Another connection (a running hub, a restore, a copy being made) holds the file. */
export class DatabaseInUseError extends Error {
  constructor(readonly file: string) {
    super(`a hub is running on this database (${file}): stop it first`);
    this.name = 'DatabaseInUseError';
  }
}

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') keepPrivate(file);
  const db = new Database(file);
  try {
    if (file !== ':memory:') holdLock(db, file);
    db.pragma('journal_mode = WAL');
    // A store's mini-PC can lose power at any moment: a 201 must mean the booking is on disk.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = OFF');
    migrate(db, migrations);
    db.pragma('foreign_keys = ON');
    cacheStatements(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Opens an existing database file and takes the same lock as the hub, without migrating or
 * changing its journal mode: for a restore or a copy made while no hub runs. Throws
 * DatabaseInUseError when something holds the file; waits up to `waitMs` for it first.
 */
export function lockDatabase(file: string, waitMs = 1_000): Db {
  const db = new Database(file, { fileMustExist: true, timeout: waitMs });
  try {
    holdLock(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Exclusive locking mode keeps every lock the connection takes until it closes; set before the
 * write-ahead log is first used, SQLite keeps the log's index in this process's memory and makes
 * no -shm file, which only a second connection would need. The empty exclusive transaction takes
 * the lock now rather than at the first write.
 */
function holdLock(db: Db, file: string): void {
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY'))
      throw new DatabaseInUseError(file);
    throw e;
  }
}

/**
 * The database holds customers' phone numbers, staff PIN hashes and the ledger: only the hub's
 * own user may read it. SQLite gives the -wal and -shm files the main file's mode, so setting it
 * on the main file (new or old) covers all three; a folder the hub creates is closed to others.
 */
function keepPrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/**
 * Services prepare their SQL where they use it, which keeps the SQL beside the code that owns
 * the table; preparing costs more than running a small statement, so each text is prepared once.
 * SQLite re-prepares a cached statement by itself if the schema changes.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (!stmt) {
      stmt = prepare(source);
      // Dynamic SQL (list filters) has a handful of shapes; a runaway cache is a bug, not a feature.
      if (cache.size < 2_000) cache.set(source, stmt);
    }
    return stmt;
  }) as Db['prepare'];
}

export function schemaVersion(db: Db): number {
  const row = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!row) return 0;
  const v = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  return v.v ?? 0;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const current = schemaVersion(db);
  const known = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > known) throw new SchemaTooNewError(current, known);
  // Every version not yet applied runs, lowest first: a database that took a later migration
  // before an earlier one had landed still gets the earlier one.
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // Foreign keys are off while migrating (SQLite's way to rebuild a table others refer to) and
    // checked before each migration commits: a migration that breaks one is rolled back.
    db.transaction(() => {
      db.exec(m.sql);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) {
        throw new Error(`migration ${m.version} breaks ${broken.length} foreign key(s)`);
      }
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}
