// Backups (H4): a consistent copy while the hub keeps taking bookings, and a restore that brings
// exactly that state back, from the command line or asked for on the owner's page and put in
// place when the hub starts again.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackup, restoreDatabase } from '../src/backup/backup';
import { NIGHTLY_BACKUP_JOB } from '../src/backup/nightly-backup';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
afterEach(async () => {
  await h.close();
});

describe('backup and restore', () => {
  it('copies the database while bookings keep arriving, and restores that copy', async () => {
    h = await startTestHub();
    const rooms = await h.roomIds();
    const first = await h.api('POST', '/api/bookings', {
      roomId: rooms[0],
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    expect(first.status).toBe(201);

    // Bookings in flight while the backup runs must neither block it nor tear it.
    const during = Promise.all(
      rooms.map((room, i) =>
        h.api(
          'POST',
          '/api/bookings',
          {
            roomId: room,
            start: at('18:00'),
            end: at('20:00'),
            partySize: 2,
            customer: { phone: `1390013900${i}` },
          },
          as('cashier'),
        ),
      ),
    );
    const backup = await h.api('POST', '/api/backups', undefined, STAFF);
    expect(backup.status).toBe(201);
    expect((await during).every((r) => r.status === 201)).toBe(true);
    const inCopy = checkBackup(backup.body.file).bookings;
    expect(inCopy).toBeGreaterThanOrEqual(1);
    expect(inCopy).toBeLessThanOrEqual(1 + rooms.length);

    // After the backup, more happens; then the store restores the backup.
    await h.api('POST', `/api/bookings/${first.body.id}/cancel`, {});
    await h.close();
    const { keptAs } = restoreDatabase(backup.body.file, join(h.dataDir, 'hub.db'), Date.now());
    expect(keptAs && existsSync(keptAs)).toBe(true);
    h = await startTestHub({ dataDir: h.dataDir, clock: h.clock });
    const restored = await h.api('GET', `/api/bookings/${first.body.id}`);
    expect(restored.body.status).toBe('pending_payment'); // the state of the copy, not what came after
    expect((await h.api('GET', '/api/bookings', undefined, STAFF)).body).toHaveLength(inCopy);
  });

  it('refuses to restore something that is not a hub database, and changes nothing', async () => {
    h = await startTestHub();
    await h.close();
    const junk = join(h.dataDir, 'junk.db');
    writeFileSync(junk, 'not a database at all');
    const dbFile = join(h.dataDir, 'hub.db');
    copyFileSync(dbFile, join(h.dataDir, 'before.db'));
    expect(() => restoreDatabase(junk, dbFile, Date.now())).toThrow(
      /junk.db is not a hub backup \(file is not a database\); nothing was changed/,
    );
    h = await startTestHub({ dataDir: h.dataDir, clock: h.clock });
    expect((await h.api('GET', '/api/rooms')).body).toHaveLength(6);
  });

  it('restores a backup the owner asked for on their page when the hub starts again, and audits it', async () => {
    h = await startTestHub();
    const rooms = await h.roomIds();
    const first = await h.api('POST', '/api/bookings', {
      roomId: rooms[0],
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    const made = await h.api('POST', '/api/backups', undefined, STAFF);
    const name = basename(made.body.file);
    // After the backup the booking is cancelled; the restore brings back the copy's state.
    await h.api('POST', `/api/bookings/${first.body.id}/cancel`, {});

    const listed = await h.api('GET', '/api/backups', undefined, as('manager'));
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ pending: null, last: null });
    expect(listed.body.backups).toEqual([
      { name, createdAt: expect.stringMatching(/^2026-11-23T/), bytes: expect.any(Number) },
    ]);

    // Only the owner may ask; a name that is not a backup's, one not here, one damaged: in words.
    const ask = (body: unknown, who = STAFF) =>
      h.api('POST', '/api/backups/restore', body, { ...who, 'accept-language': 'zh-CN' });
    expect((await ask({ name }, as('manager'))).status).toBe(403);
    const badName = await ask({ name: '../hub.db' });
    expect(badName.status).toBe(400);
    expect(badName.body.error.field).toBe('name');
    const missing = await ask({ name: 'hub-20990101T000000Z.db' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('这台主机上没有备份 hub-20990101T000000Z.db');
    writeFileSync(join(h.dataDir, 'backups', 'hub-20261101T000000Z.db'), 'not a database');
    const damaged = await ask({ name: 'hub-20261101T000000Z.db' });
    expect(damaged.status).toBe(409);
    expect(damaged.body.error).toMatchObject({ code: 'backup_damaged', field: 'name' });
    expect((await h.api('GET', '/api/backups', undefined, STAFF)).body.pending).toBeNull();

    // Asked, taken back, asked again.
    expect((await ask({ name })).status).toBe(202);
    const cancelled = await h.api('DELETE', '/api/backups/restore', undefined, STAFF);
    expect(cancelled.body).toEqual({ cancelled: true });
    const asked = await ask({ name });
    expect(asked.status).toBe(202);
    const pending = (await h.api('GET', '/api/backups', undefined, STAFF)).body.pending;
    expect(pending).toMatchObject({ name, requestedBy: { kind: 'staff', role: 'owner' } });
    // The running hub's database is untouched until it starts again.
    expect((await h.api('GET', `/api/bookings/${first.body.id}`)).body.status).toBe('cancelled');

    h = await h.restart();
    expect((await h.api('GET', `/api/bookings/${first.body.id}`)).body.status).toBe(
      'pending_payment',
    );
    const after = (await h.api('GET', '/api/backups', undefined, STAFF)).body;
    expect(after.pending).toBeNull();
    expect(after.last).toMatchObject({ name, ok: true, requestedBy: pending.requestedBy });
    expect(existsSync(after.last.keptAs)).toBe(true);
    const audit = await h.api('GET', '/api/audit?limit=50', undefined, STAFF);
    expect(audit.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'backup.restore',
          target: name,
          outcome: 'done',
          actor: expect.objectContaining({ kind: 'staff', id: pending.requestedBy.id }),
        }),
      ]),
    );

    // A backup damaged after it was asked for: the hub starts on its own database and says why.
    expect((await ask({ name })).status).toBe(202);
    await h.close();
    writeFileSync(join(h.dataDir, 'backups', name), 'damaged since');
    h = await startTestHub({ dataDir: h.dataDir, clock: h.clock });
    expect((await h.api('GET', `/api/bookings/${first.body.id}`)).body.status).toBe(
      'pending_payment',
    );
    const failed = (await h.api('GET', '/api/backups', undefined, STAFF)).body;
    expect(failed.pending).toBeNull();
    expect(failed.last).toMatchObject({ name, ok: false, error: expect.stringContaining(name) });
  });

  it('keeps the backup a restore waits for when old ones are cleared, and leaves no half-made copy', async () => {
    h = await startTestHub();
    expect((await h.api('PATCH', '/api/store', { backups: { keep: 1 } }, STAFF)).status).toBe(200);
    const first = basename((await h.api('POST', '/api/backups', undefined, STAFF)).body.file);
    expect((await h.api('POST', '/api/backups/restore', { name: first }, STAFF)).status).toBe(202);
    h.clock.advance(60_000);
    const second = await h.api('POST', '/api/backups', undefined, STAFF);
    expect(second.body.removed).toEqual([]);
    const names = (await h.api('GET', '/api/backups', undefined, STAFF)).body.backups.map(
      (b: { name: string }) => b.name,
    );
    expect(names).toEqual([basename(second.body.file), first]);
    expect(readdirSync(join(h.dataDir, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual(
      [],
    );
    // Once the restore is taken back, the next backup clears it as any other.
    await h.api('DELETE', '/api/backups/restore', undefined, STAFF);
    h.clock.advance(60_000);
    const third = await h.api('POST', '/api/backups', undefined, STAFF);
    expect(third.body.removed.map((f: string) => basename(f)).sort()).toEqual(
      [basename(second.body.file), first].sort(),
    );
  });

  it('puts the database back when a restored copy cannot be opened by this hub', async () => {
    h = await startTestHub();
    const [room] = await h.roomIds();
    const made = await h.api('POST', '/api/backups', undefined, STAFF);
    // A copy whose upgrade 39 (the rooms' videos) reads as not done: opening it runs it
    // again, and adding the columns it already has fails.
    const copy = new Database(made.body.file);
    copy.prepare('DELETE FROM schema_migrations WHERE version = 39').run();
    copy.close();
    const after = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138031' },
    });
    expect(after.status).toBe(201);
    expect(
      (await h.api('POST', '/api/backups/restore', { name: basename(made.body.file) }, STAFF))
        .status,
    ).toBe(202);
    h = await h.restart();
    // The store runs on its own records, the booking made after the backup among them.
    expect((await h.api('GET', `/api/bookings/${after.body.id}`)).status).toBe(200);
    const last = (await h.api('GET', '/api/backups', undefined, STAFF)).body.last;
    expect(last).toMatchObject({ ok: false, error: expect.stringMatching(/duplicate column/) });
    const audit = (await h.api('GET', '/api/audit?limit=50', undefined, STAFF)).body as {
      action: string;
      outcome: string;
    }[];
    expect(audit.find((e) => e.action === 'backup.restore')).toMatchObject({
      outcome: 'refused',
    });
  });

  it('backs up each night at 04:00 by the store’s clock, and says in the audit log how it went', async () => {
    h = await startTestHub();
    const due = () => h.hub.scheduler.pending(NIGHTLY_BACKUP_JOB).map((j) => j.dueAt);
    // 10:00 on 23 November: the first run is at 04:00 the next morning.
    expect(due()).toEqual([Date.parse('2026-11-24T04:00:00+08:00')]);
    h.clock.set(Date.parse('2026-11-24T03:59:00+08:00'));
    await h.runJobs();
    expect((await h.api('GET', '/api/backups', undefined, STAFF)).body.backups).toEqual([]);
    h.clock.set(Date.parse('2026-11-24T04:00:00+08:00'));
    await h.runJobs();
    const listed = (await h.api('GET', '/api/backups', undefined, STAFF)).body.backups;
    expect(listed.map((b: { name: string }) => b.name)).toEqual(['hub-20261123T200000Z.db']);
    expect(checkBackup(join(h.dataDir, 'backups', listed[0].name)).bookings).toBe(0);
    expect(due()).toEqual([Date.parse('2026-11-25T04:00:00+08:00')]);
    const nightly = async () =>
      (
        (await h.api('GET', '/api/audit?limit=50', undefined, STAFF)).body as {
          action: string;
          outcome: string;
          target: string | null;
          after: Record<string, unknown>;
        }[]
      ).filter((e) => e.action === 'backup.nightly');
    expect(await nightly()).toMatchObject([
      { outcome: 'done', target: 'hub-20261123T200000Z.db', after: { bytes: expect.any(Number) } },
    ]);

    // The backups folder cannot be written: the night's run is audited as failed, with why, and
    // the next night's is still due.
    rmSync(join(h.dataDir, 'backups'), { recursive: true });
    writeFileSync(join(h.dataDir, 'backups'), 'not a folder');
    h.clock.set(Date.parse('2026-11-25T04:30:00+08:00'));
    await h.runJobs();
    expect((await nightly())[0]).toMatchObject({
      outcome: 'refused',
      target: null,
      after: { error: expect.stringContaining('backups') },
    });
    expect(due()).toEqual([Date.parse('2026-11-26T04:00:00+08:00')]);
  });

  it('is staff only', async () => {
    h = await startTestHub();
    expect((await h.api('POST', '/api/backups')).status).toBe(403);
    expect((await h.api('GET', '/api/backups')).status).toBe(403);
    expect((await h.api('DELETE', '/api/backups/restore')).status).toBe(403);
  });
});
