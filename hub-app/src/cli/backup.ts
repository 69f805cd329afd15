// `npm run backup`: asks the running hub for a consistent copy (it keeps serving), or, when no
// hub answers, copies the database file directly through SQLite's online backup.
// `npm run backup -- --restore <file>`: puts a backup in place; the hub must be stopped.
import { resolve } from 'node:path';
import { openDatabase } from '../db/database';
import { backupDatabase, restoreDatabase } from '../backup/backup';

const dataDir = resolve(
  process.env.HUB_DATA_DIR ?? resolve(import.meta.dirname, '../../../data/hub'),
);
const dbFile = resolve(dataDir, 'hub.db');
const hubUrl = process.env.HUB_URL ?? `http://127.0.0.1:${process.env.HUB_PORT ?? 8080}`;
const args = process.argv.slice(2);

async function hubAnswers(): Promise<boolean> {
  try {
    const r = await fetch(`${hubUrl}/api/health`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

if (args[0] === '--restore') {
  const file = args[1];
  if (!file) {
    console.error('usage: npm run backup -- --restore <backup file>');
    process.exit(2);
  }
  if (await hubAnswers()) {
    console.error(`a hub is running at ${hubUrl}: stop it before restoring`);
    process.exit(1);
  }
  const { keptAs } = restoreDatabase(resolve(file), dbFile, Date.now());
  console.log(`restored ${resolve(file)} to ${dbFile}`);
  if (keptAs) console.log(`the previous database is kept as ${keptAs}`);
} else if (await hubAnswers()) {
  const r = await fetch(`${hubUrl}/api/backups`, {
    method: 'POST',
    headers: { 'x-staff-id': 'backup-cli' },
  });
  const body = (await r.json()) as { file?: string; bytes?: number; error?: { message: string } };
  if (!r.ok) {
    console.error(`the hub refused the backup: ${body.error?.message ?? r.status}`);
    process.exit(1);
  }
  console.log(`backup written by the running hub: ${body.file} (${body.bytes} bytes)`);
} else {
  const db = openDatabase(dbFile);
  const result = await backupDatabase(db, dataDir, Date.now());
  db.close();
  console.log(`backup written: ${result.file} (${result.bytes} bytes)`);
}
