// The backup settings of this machine (how many backups to keep, the folder off the machine each
// is copied to), kept in the data folder beside the database rather than in it: a folder path
// belongs to this mini-PC, and restoring an older database must not roll the settings back.
// The owner changes them through PATCH /api/store; the hub and `npm run backup` read them here.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyPatch,
  BackupSettingsSchema,
  type BackupSettings,
  type DeepPartial,
} from '@roomhub/shared-types';
import { logger } from '../log';

const FILE = 'backup-settings.json';

/** The settings; the defaults where none were set, or the file cannot be read as settings. */
export function backupSettings(dataDir: string): BackupSettings {
  const file = join(dataDir, FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return BackupSettingsSchema.parse({});
  }
  try {
    return BackupSettingsSchema.parse(JSON.parse(text));
  } catch (e) {
    // Backups go on (keeping the default count) rather than stop over a hand-edited file.
    logger().warn({ err: e, file }, 'backup settings are not valid; using the defaults');
    return BackupSettingsSchema.parse({});
  }
}

/** The settings with a patch merged in, checked whole (a 400 naming the field); not saved yet. */
export function patchedBackupSettings(
  dataDir: string,
  patch: DeepPartial<BackupSettings>,
): BackupSettings {
  return applyPatch(BackupSettingsSchema, backupSettings(dataDir), patch, 'backups');
}

export function saveBackupSettings(dataDir: string, settings: BackupSettings): void {
  const file = join(dataDir, FILE);
  writeFileSync(`${file}.new`, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.new`, file);
}
