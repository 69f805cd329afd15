// `npm run backup`: a backup of the hub's database (HUB_DATA_DIR). While a hub runs on it (the
// hub holds the database's lock), asks that hub for a consistent copy (it keeps serving), at the
// address it left in its data folder, signed in as a manager or the owner (PIN from HUB_PIN or
// HUB_OWNER_PIN, else asked for), so the backup is in the audit log; when none runs, copies the
// file directly, holding the same lock. HUB_URL or HUB_PORT name the hub to ask instead.
// `npm run backup -- --restore <file>`: puts a backup in place; refused while a hub runs on the
// database, whatever port anybody names.
// Relative paths are taken from where the command was typed (npm's INIT_CWD), as `npm start` does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { DatabaseInUseError, lockDatabase, type Db } from '../db/database';
import { backupDatabase, restoreDatabase, type BackupResult } from '../backup/backup';
import { hubAddressFile, readHubAddress } from '../hub-address';
import { fromTypedIn, hubDataDir } from '../paths';

const dataDir = hubDataDir();
const dbFile = join(dataDir, 'hub.db');
/** The hub the user named, if any; otherwise the one that owns the data folder is found. */
const namedHub =
  process.env.HUB_URL ??
  (process.env.HUB_PORT ? `http://127.0.0.1:${process.env.HUB_PORT}` : undefined);
const args = process.argv.slice(2);

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

/** A manager's or the owner's sign-in at the running hub. */
async function signIn(hubUrl: string): Promise<string> {
  let pin = process.env.HUB_PIN ?? process.env.HUB_OWNER_PIN;
  if (!pin && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    pin = (await rl.question('PIN of a manager or the owner: ')).trim();
    rl.close();
  }
  if (!pin)
    fail('the running hub backs up for a manager or the owner: set HUB_PIN to their PIN', 2);
  const r = await fetch(`${hubUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin }),
  });
  const body = (await r.json()) as { token?: string; error?: { message: string } };
  if (!r.ok || !body.token) fail(`sign-in refused: ${body.error?.message ?? r.status}`);
  return body.token;
}

async function backupByHub(hubUrl: string): Promise<void> {
  const r = await fetch(`${hubUrl}/api/backups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await signIn(hubUrl)}` },
  });
  const body = (await r.json()) as Partial<BackupResult> & { error?: { message: string } };
  if (!r.ok) fail(`the hub refused the backup: ${body.error?.message ?? r.status}`);
  console.log(`backup written by the running hub at ${hubUrl}: ${body.file} (${body.bytes} bytes)`);
  report(body);
}

function report(r: Partial<BackupResult>): void {
  for (const f of r.removed ?? []) console.log(`  older backup deleted: ${f}`);
  if (r.copy && 'file' in r.copy) console.log(`  copied to ${r.copy.file}`);
  if (r.copy && 'error' in r.copy) console.error(`  NOT copied off the machine: ${r.copy.error}`);
}

/** The database, held as the hub holds it; null when a hub holds it. */
function holdDatabase(): Db | null {
  try {
    return lockDatabase(dbFile);
  } catch (e) {
    if (e instanceof DatabaseInUseError) return null;
    throw e;
  }
}

async function backup(): Promise<void> {
  if (namedHub && (await answers(namedHub))) return backupByHub(namedHub);
  if (!existsSync(dbFile)) {
    fail(`no database at ${dbFile}: nothing to back up (HUB_DATA_DIR names the hub's data folder)`);
  }
  const db = holdDatabase();
  if (!db) {
    // A hub runs on this database: it makes the copy, so bookings keep being taken meanwhile.
    const url = readHubAddress(dataDir);
    if (!url) {
      fail(
        `a hub is running on this database (${dbFile}) but left no address in ${hubAddressFile(dataDir)}: set HUB_URL to it`,
      );
    }
    if (!(await answers(url)))
      fail(`a hub is running on this database (${dbFile}) but does not answer at ${url}`);
    return backupByHub(url);
  }
  try {
    const result = await backupDatabase(db, dataDir, Date.now());
    console.log(`backup written: ${result.file} (${result.bytes} bytes)`);
    report(result);
  } finally {
    db.close();
  }
}

function restore(given: string | undefined): void {
  if (!given) fail('usage: npm run backup -- --restore <backup file>', 2);
  const file = fromTypedIn(given);
  if (!existsSync(file)) fail(`no backup at ${file}`);
  const { keptAs } = restoreDatabase(file, dbFile, Date.now());
  console.log(`restored ${file} to ${dbFile}`);
  if (keptAs) console.log(`the previous database is kept as ${keptAs}`);
}

try {
  if (args[0] === '--restore') restore(args[1]);
  else await backup();
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
