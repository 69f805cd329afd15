// `npm run backup`: asks the running hub for a consistent copy (it keeps serving), signed in as a
// manager or the owner (PIN from HUB_PIN or HUB_OWNER_PIN, else asked for), so the backup is in
// the audit log; or, when no hub answers, copies the database file directly through SQLite's
// online backup.
// `npm run backup -- --restore <file>`: puts a backup in place; the hub must be stopped.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
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

/** A manager's or the owner's sign-in at the running hub. */
async function signIn(): Promise<string> {
  let pin = process.env.HUB_PIN ?? process.env.HUB_OWNER_PIN;
  if (!pin && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    pin = (await rl.question('PIN of a manager or the owner: ')).trim();
    rl.close();
  }
  if (!pin) {
    console.error('the running hub backs up for a manager or the owner: set HUB_PIN to their PIN');
    process.exit(2);
  }
  const r = await fetch(`${hubUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin }),
  });
  const body = (await r.json()) as { token?: string; error?: { message: string } };
  if (!r.ok || !body.token) {
    console.error(`sign-in refused: ${body.error?.message ?? r.status}`);
    process.exit(1);
  }
  return body.token;
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
    headers: { authorization: `Bearer ${await signIn()}` },
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
