// A restore asked for from the owner's page (H4): the backup is checked when it is asked for and
// put in place when the hub next starts, before it opens its database, since a running hub's
// database is never replaced under it. The request and the outcome are files in the data folder
// beside the backups (restore-request.json, restore-result.json), not rows in the database the
// restore replaces; the hub writes the outcome into the restored database's audit log as the
// action of whoever asked for it. Owns those two files; never touches a backup.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BACKUP_NAME,
  DomainError,
  type Actor,
  type BackupsView,
  type RestoreRequestView,
  type RestoreResultView,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import { SchemaTooNewError } from '../db/database';
import { backupsIn, checkBackup, restoreDatabase } from './backup';

const REQUEST = 'restore-request.json';
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
    backups: names.map((name) => ({
      name,
      createdAt: madeAt(name),
      bytes: statSync(join(dir, name)).size,
    })),
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

/**
 * At start, before the database opens: puts the backup asked for in place (restoreDatabase keeps
 * the database it replaces beside it) and answers how it went, also kept as the last outcome; null
 * when none was asked for. A restore that fails leaves the database as it was.
 */
export function applyRequestedRestore(
  dataDir: string,
  dbFile: string,
  now: number,
): RestoreResultView | null {
  const request = readJson<RestoreRequestView>(join(dataDir, REQUEST));
  // Taken first: a backup that cannot be restored is not tried again at every start.
  rmSync(join(dataDir, REQUEST), { force: true });
  if (!request || typeof request.name !== 'string') return null;
  const restoredAt = new Date(now).toISOString();
  let result: RestoreResultView;
  try {
    if (!BACKUP_NAME.test(request.name)) throw new Error(`${request.name} is not a backup's name`);
    const { keptAs } = restoreDatabase(join(backupsDir(dataDir), request.name), dbFile, now);
    result = { ...request, restoredAt, ok: true, keptAs };
  } catch (e) {
    result = {
      ...request,
      restoredAt,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    };
  }
  writeJson(join(dataDir, RESULT), result);
  return result;
}

/** The outcome in the audit log of the database the hub opened, as the action of who asked. */
export function auditRestore(audit: AuditLog, r: RestoreResultView): void {
  audit.record({
    actor: r.requestedBy,
    action: 'backup.restore',
    target: r.name,
    outcome: r.ok ? 'done' : 'refused',
    after: r.ok
      ? { requestedAt: r.requestedAt, keptAs: r.keptAs }
      : { requestedAt: r.requestedAt, error: r.error },
  });
}
