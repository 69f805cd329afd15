// Backups (H4): a consistent copy while the hub keeps taking bookings, and a restore that brings
// exactly that state back.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackup, restoreDatabase } from '../src/backup/backup';
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

  it('is staff only', async () => {
    h = await startTestHub();
    expect((await h.api('POST', '/api/backups')).status).toBe(403);
  });
});
