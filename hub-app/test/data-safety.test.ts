// Data safety: `npm run backup` and its restore do what the README says, whatever port anybody
// names; a running hub's database refuses a second owner; a backup is one self-contained file,
// kept by count and copied off the machine; a patch changes only what it names.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreDatabase } from '../src/backup/backup';
import { at, OWNER_PIN, STAFF, startTestHub, type TestHub } from './harness';
import { startHub, type ChildServer } from './hub-process';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'hub-app/src/cli/backup.ts');

let h: TestHub | null = null;
let child: ChildServer | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
  await child?.stop();
  child = null;
});

interface Ran {
  code: number | null;
  out: string;
}

/** Runs a command with none of the hub's variables but those given. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of ['HUB_PORT', 'HUB_URL', 'HUB_PIN', 'HUB_OWNER_PIN', 'HUB_DATA_DIR', 'INIT_CWD'])
    delete clean[k];
  return new Promise<Ran>((done, fail) => {
    const p = spawn(command, args, {
      cwd,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (s: Buffer) => (out += s.toString()));
    p.stderr.on('data', (s: Buffer) => (out += s.toString()));
    p.once('error', fail);
    p.once('exit', (code) => done({ code, out }));
  });
}

/** The backup command as `npm run backup` runs it, without npm. */
const backupCli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', CLI, ...args], resolve(ROOT, 'hub-app'), env);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const booking = (room: string, phone: string, start: string, end: string) => ({
  roomId: room,
  start: at(start),
  end: at(end),
  partySize: 2,
  customer: { phone },
});

const beforeRestore = (dir: string) => readdirSync(dir).filter((f) => f.includes('before-restore'));

describe('restoring from the repository root (npm run backup -- --restore)', () => {
  it(
    'restores the named file, taken from where the command was typed',
    { timeout: 120_000 },
    async () => {
      h = await startTestHub();
      const [room] = await h.roomIds();
      const kept = await h.api(
        'POST',
        '/api/bookings',
        booking(room!, '13800138000', '14:00', '15:00'),
      );
      expect(kept.status).toBe(201);
      const backup = await h.api('POST', '/api/backups', undefined, STAFF);
      expect(backup.status).toBe(201);
      const later = await h.api(
        'POST',
        '/api/bookings',
        booking(room!, '13800138001', '16:00', '17:00'),
      );
      expect(later.status).toBe(201);
      const { dataDir, clock } = h;
      await h.close();
      h = null;
      // The file the owner downloaded somewhere, named relative to where they typed the command.
      const elsewhere = mkdtempSync(join(tmpdir(), 'downloads-'));
      const file = join(elsewhere, 'the-backup.db');
      copyFileSync(backup.body.file, file);

      const r = await run('npm', ['run', 'backup', '--', '--restore', relative(ROOT, file)], ROOT, {
        HUB_DATA_DIR: dataDir,
      });
      expect(r.out).toContain(`restored ${file}`);
      expect(r.code).toBe(0);
      expect(beforeRestore(dataDir)).toHaveLength(1);

      h = await startTestHub({ dataDir, clock });
      expect((await h.api('GET', `/api/bookings/${kept.body.id}`, undefined, STAFF)).status).toBe(
        200,
      );
      expect((await h.api('GET', `/api/bookings/${later.body.id}`, undefined, STAFF)).status).toBe(
        404,
      );
    },
  );

  it('takes a relative data folder and file from where the command was typed', async () => {
    const typedIn = mkdtempSync(join(tmpdir(), 'typed-in-'));
    const r = await backupCli(['--restore', 'no-such-backup.db'], {
      INIT_CWD: typedIn,
      HUB_DATA_DIR: 'data',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(join(typedIn, 'no-such-backup.db'));
    expect(readdirSync(typedIn)).toEqual([]);
  });
});

describe('backing up with no hub', () => {
  it('is an error when there is no database, naming it, and creates nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'no-hub-'));
    const r = await backupCli([], { HUB_DATA_DIR: dataDir, HUB_PORT: String(await closedPort()) });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(join(dataDir, 'hub.db'));
    expect(readdirSync(dataDir)).toEqual([]);

    const missing = join(dataDir, 'not-made');
    const again = await backupCli([], { HUB_DATA_DIR: missing });
    expect(again.code).not.toBe(0);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('the hub that owns this data folder', () => {
  it(
    'leaves its address in its data folder, where the backup command finds it',
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hub-address-'));
      child = await startHub(dataDir, 60_000, { HUB_OWNER_PIN: OWNER_PIN });
      const address = join(dataDir, 'hub.url');
      expect(existsSync(address)).toBe(true);
      expect(statSync(address).mode & 0o777).toBe(0o600);

      // No HUB_PORT, no HUB_URL: the command asks this hub, not whatever answers on 8080.
      const r = await backupCli([], { HUB_DATA_DIR: dataDir, HUB_PIN: OWNER_PIN });
      expect(r.out).toContain('backup written by the running hub');
      expect(r.code).toBe(0);
      expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(1);

      expect((await child.stop()).code).toBe(0);
      child = null;
      expect(existsSync(address)).toBe(false);
    },
  );
});

describe("a running hub's database", () => {
  it(
    'refuses a restore over it, whatever port is named, and the hub keeps its bookings',
    { timeout: 60_000 },
    async () => {
      h = await startTestHub();
      const [room] = await h.roomIds();
      const backup = await h.api('POST', '/api/backups', undefined, STAFF);
      expect(backup.status).toBe(201);
      const dbFile = join(h.dataDir, 'hub.db');

      const r = await backupCli(['--restore', backup.body.file], {
        HUB_DATA_DIR: h.dataDir,
        HUB_PORT: String(await closedPort()),
      });
      expect(r.out).toContain(`a hub is running on this database (${dbFile}): stop it first`);
      expect(r.code).not.toBe(0);
      expect(() => restoreDatabase(backup.body.file, dbFile, Date.now())).toThrow(
        /a hub is running on this database/,
      );
      expect(beforeRestore(h.dataDir)).toEqual([]);

      const next = await h.api(
        'POST',
        '/api/bookings',
        booking(room!, '13800138000', '14:00', '15:00'),
      );
      expect(next.status).toBe(201);
      const { dataDir } = h;
      await h.close();
      h = null;
      const db = new Database(join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
      try {
        expect(db.prepare('SELECT id FROM bookings WHERE id = ?').get(next.body.id)).toEqual({
          id: next.body.id,
        });
      } finally {
        db.close();
      }
    },
  );

  it('refuses a second hub on the same data folder', { timeout: 60_000 }, async () => {
    h = await startTestHub();
    await expect(startTestHub({ dataDir: h.dataDir, clock: h.clock })).rejects.toThrow(
      /a hub is running on this database/,
    );
    expect((await h.api('GET', '/api/rooms')).status).toBe(200);
  });
});

describe('backups', () => {
  const sidecars = (dir: string) => readdirSync(dir).filter((f) => /-(wal|shm|journal)$/.test(f));

  it('are each one self-contained file', async () => {
    h = await startTestHub();
    const backup = await h.api('POST', '/api/backups', undefined, STAFF);
    expect(backup.status).toBe(201);
    expect(sidecars(join(h.dataDir, 'backups'))).toEqual([]);
    const copy = new Database(backup.body.file, { readonly: true });
    try {
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      copy.close();
    }
    expect(sidecars(join(h.dataDir, 'backups'))).toEqual([]);
  });

  it(
    'keep the newest ones, as many as the owner says, here and in the folder off the machine',
    { timeout: 60_000 },
    async () => {
      h = await startTestHub();
      expect((await h.api('GET', '/api/store', undefined, STAFF)).body.backups).toEqual({
        keep: 14,
        copyTo: null,
      });
      expect((await h.api('GET', '/api/store')).body).not.toHaveProperty('backups');

      const offMachine = mkdtempSync(join(tmpdir(), 'usb-drive-'));
      const set = await h.api(
        'PATCH',
        '/api/store',
        { backups: { keep: 2, copyTo: offMachine } },
        STAFF,
      );
      expect(set.status).toBe(200);
      expect(set.body.backups).toEqual({ keep: 2, copyTo: offMachine });
      expect(
        (await h.api('PATCH', '/api/store', { backups: { keep: 0 } }, STAFF)).body.error,
      ).toMatchObject({ field: 'backups.keep' });
      expect(
        (await h.api('PATCH', '/api/store', { backups: { copyTo: 'relative/folder' } }, STAFF)).body
          .error,
      ).toMatchObject({ field: 'backups.copyTo' });
      expect((await h.api('PATCH', '/api/store', { backups: { keep: 3 } })).status).toBe(403);

      const made: string[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        h.clock.advance(60_000);
        last = await h.api('POST', '/api/backups', undefined, STAFF);
        expect(last.status).toBe(201);
        made.push(last.body.file);
      }
      const names = made.map((f) => f.slice(f.lastIndexOf('/') + 1));
      expect(readdirSync(join(h.dataDir, 'backups')).sort()).toEqual(names.slice(1));
      expect(readdirSync(offMachine).sort()).toEqual(names.slice(1));
      expect(last!.body.copy).toEqual({ folder: offMachine, file: join(offMachine, names[2]!) });
      expect(last!.body.removed).toEqual([made[0], join(offMachine, names[0]!)]);

      // A folder that is not there (the drive unplugged): the backup is made, the failure told.
      const unplugged = join(offMachine, 'unplugged');
      const moved = await h.api('PATCH', '/api/store', { backups: { copyTo: unplugged } }, STAFF);
      expect(moved.body.backups).toEqual({ keep: 2, copyTo: unplugged });
      h.clock.advance(60_000);
      const failed = await h.api('POST', '/api/backups', undefined, STAFF);
      expect(failed.status).toBe(201);
      expect(existsSync(failed.body.file)).toBe(true);
      expect(failed.body.copy.folder).toBe(unplugged);
      expect(failed.body.copy.error).toContain(unplugged);
      const audit = await h.api('GET', '/api/audit?action=POST /api/backups', undefined, STAFF);
      expect(audit.body[0].after.copy.error).toContain(unplugged);

      // The command, with the hub stopped, keeps the same count.
      mkdirSync(unplugged);
      const { dataDir } = h;
      await h.close();
      h = null;
      const r = await backupCli([], { HUB_DATA_DIR: dataDir });
      expect(r.out).toContain('backup written');
      expect(r.code).toBe(0);
      expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(2);
      expect(readdirSync(unplugged)).toHaveLength(1);
      expect(sidecars(join(dataDir, 'backups'))).toEqual([]);
    },
  );
});

describe('a patch changes what it names and nothing else', () => {
  it("a room's rates: its bands and packages stay, and a peak hour is still priced by its band", async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const before = (await h.api('GET', `/api/rooms/${room}`)).body;
    expect(before.pricePlan.bands.length).toBeGreaterThan(0);
    expect(before.pricePlan.packages.length).toBeGreaterThan(0);
    const rates = { workday: 4000, weekend: 5000, holiday: 6000 };
    const r = await h.api('PATCH', `/api/rooms/${room}`, { pricePlan: { rates } }, STAFF);
    expect(r.status).toBe(200);
    expect(r.body.pricePlan).toEqual({ ...before.pricePlan, rates });

    const peak = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('18:00'),
      end: at('19:00'),
    });
    expect(peak.body.lines.map((l: { band: string | null }) => l.band)).toEqual(['晚间高峰']);
    expect(peak.body.total).toBe(4600);
    const day = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('14:00'),
      end: at('15:00'),
    });
    expect(day.body.total).toBe(4000);

    // The merged plan is checked whole: a band that overlaps another is refused, naming it.
    const overlapping = { name: 'late', from: '22:00', to: '23:30', rates };
    const bad = await h.api(
      'PATCH',
      `/api/rooms/${room}`,
      { pricePlan: { bands: [...before.pricePlan.bands, overlapping] } },
      STAFF,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe(`pricePlan.bands.${before.pricePlan.bands.length}`);
    expect((await h.api('GET', `/api/rooms/${room}`)).body.pricePlan.bands).toEqual(
      before.pricePlan.bands,
    );
  });

  it("the store's booking rules: named fields replace, session and holds merge", async () => {
    h = await startTestHub();
    const before = (await h.api('GET', '/api/store')).body.rules;
    const r = await h.api(
      'PATCH',
      '/api/store',
      { rules: { advanceDays: 3, session: { maxWrongCodes: 7 }, holds: { perPhone: 1 } } },
      STAFF,
    );
    expect(r.status).toBe(200);
    expect(r.body.rules).toEqual({
      ...before,
      advanceDays: 3,
      session: { ...before.session, maxWrongCodes: 7 },
      holds: { ...before.holds, perPhone: 1 },
    });

    const bad = await h.api('PATCH', '/api/store', { rules: { maxMinutes: 30 } }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('rules.maxMinutes');
    expect((await h.api('GET', '/api/store')).body.rules).toEqual(r.body.rules);
  });
});
