// A restore asked for from the owner's page (H4): the backup is checked when it is asked for and
// put in place when the hub next starts, before it opens its database, since a running hub's
// database is never replaced under it. The request and the outcome are files in the data folder
// beside the backups (restore-request.json, restore-result.json), not rows in the database the
// restore replaces; the hub writes the outcome into the restored database's audit log as the
// action of whoever asked for it. Owns those two files; never touches a backup. (The clearing of
// old backups, backup.ts, spares the one a request names.)
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BACKUP_NAME,
  ActorKindSchema,
  DomainError,
  StaffRoleSchema,
  type Actor,
  type BackupsView,
  type RestoreRequestView,
  type RestoreResultView,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { AuditLog } from '../audit/audit-log';
import { openDatabase, SchemaTooNewError, type Db } from '../db/database';
import {
  backupsIn,
  checkBackup,
  restoreDatabase,
  RESTORE_REQUEST_FILE,
  undoRestore,
} from './backup';

const REQUEST = RESTORE_REQUEST_FILE;
const RESULT = 'restore-result.json';

const backupsDir = (dataDir: string) => join(dataDir, 'backups');

/** 20261123T020000Z as an instant. */
function madeAt(name: string): string {
  const s = BACKUP_NAME.exec(name)![1]!;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.000Z`;
}

function readJson<T>(file: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/** Written whole or not at all, readable by this machine's user only. */
function writeJson(file: string, value: unknown): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}

/** The backups on this machine, newest first, with the restore asked for and the last one's outcome. */
export function backupsView(dataDir: string): BackupsView {
  const dir = backupsDir(dataDir);
  const names = existsSync(dir) ? backupsIn(dir).reverse() : [];
  return {
    // A backup cleared away between the listing and its size is left out.
    backups: names.flatMap((name) => {
      const bytes = sizeOf(join(dir, name));
      return bytes === null ? [] : [{ name, createdAt: madeAt(name), bytes }];
    }),
    pending: readJson<RestoreRequestView>(join(dataDir, REQUEST)),
    last: readJson<RestoreResultView>(join(dataDir, RESULT)),
  };
}

/**
 * Asks for `name` to be restored when the hub next starts, once it is proven whole and readable
 * by this hub; a second request replaces the first. Refuses, in words, a backup not on this
 * machine, a damaged one and one made by a newer hub.
 */
export function requestRestore(
  dataDir: string,
  name: string,
  by: Actor,
  now: number,
): RestoreRequestView {
  const file = join(backupsDir(dataDir), name);
  if (!BACKUP_NAME.test(name) || !existsSync(file)) {
    throw new DomainError(
      'not_found',
      'backup_not_found',
      `name: there is no backup ${name} on this machine`,
      'name',
    ).with({ name });
  }
  try {
    checkBackup(file);
  } catch (e) {
    if (e instanceof SchemaTooNewError) {
      throw new DomainError(
        'conflict',
        'backup_too_new',
        `name: ${name} was made by a newer hub than this one; update the hub first`,
        'name',
      ).with({ name });
    }
    throw new DomainError(
      'conflict',
      'backup_damaged',
      `name: ${name} is damaged and cannot be restored (${e instanceof Error ? e.message : String(e)})`,
      'name',
    ).with({ name });
  }
  const request: RestoreRequestView = {
    name,
    requestedAt: new Date(now).toISOString(),
    requestedBy: { kind: by.kind, id: by.id, ...(by.role ? { role: by.role } : {}) },
  };
  writeJson(join(dataDir, REQUEST), request);
  return request;
}

/** Takes back a restore asked for; answers whether there was one. */
export function cancelRestore(dataDir: string): { cancelled: boolean } {
  const file = join(dataDir, REQUEST);
  const had = existsSync(file);
  rmSync(file, { force: true });
  return { cancelled: had };
}

/** A request as the file holds it; one edited by hand into anything else is not acted on. */
const RequestFileSchema = z.object({
  name: z.string().regex(BACKUP_NAME),
  requestedAt: z.string(),
  requestedBy: z.object({
    kind: ActorKindSchema,
    id: z.string(),
    role: StaffRoleSchema.optional(),
  }),
});

/**
 * Opens the store's database at start, first putting in place the backup a restore asked for
 * (restoreDatabase keeps the database it replaces beside it). A restore that fails, or a restored
 * copy this hub cannot open (its upgrade refused), leaves or puts back the database as it was; the
 * outcome is kept as the last restore's, for the owner's page, and in the audit log of the database
 * opened, as the action of who asked. The request is taken first, so it is tried once. Anything
 * short of the database itself failing to open does not stop the hub from starting.
 */
export function openRestoring(dataDir: string, dbFile: string, now: number): Db {
  const raw = readJson<unknown>(join(dataDir, REQUEST));
  try {
    rmSync(join(dataDir, REQUEST), { force: true, recursive: true });
  } catch {
    // Cannot be taken (a read-only folder): it is still tried once per start at most.
  }
  const parsed = raw === null ? null : RequestFileSchema.safeParse(raw);
  if (!parsed?.success) return openDatabase(dbFile);
  const request = parsed.data as RestoreRequestView;
  const restoredAt = new Date(now).toISOString();
  const failed = (e: unknown): RestoreResultView => ({
    ...request,
    restoredAt,
    ok: false,
    error: e instanceof Error ? e.message : String(e),
  });
  let result: RestoreResultView;
  let db: Db;
  try {
    const { keptAs } = restoreDatabase(join(backupsDir(dataDir), request.name), dbFile, now);
    result = { ...request, restoredAt, ok: true, keptAs };
    try {
      db = openDatabase(dbFile);
    } catch (e) {
      // The copy is in place but this hub cannot open it: the database before it goes back.
      if (keptAs === null) throw e;
      undoRestore(keptAs, dbFile);
      result = failed(e);
      db = openDatabase(dbFile);
    }
  } catch (e) {
    result = failed(e);
    db = openDatabase(dbFile);
  }
  try {
    writeJson(join(dataDir, RESULT), result);
    new AuditLog(db, { now: () => now }).record({
      actor: result.requestedBy,
      action: 'backup.restore',
      target: result.name,
      outcome: result.ok ? 'done' : 'refused',
      after: result.ok
        ? { requestedAt: result.requestedAt, keptAs: result.keptAs }
        : { requestedAt: result.requestedAt, error: result.error },
    });
  } catch {
    // The outcome could not be kept (the disk full): the hub still starts, on the database opened.
  }
  return db;
}
