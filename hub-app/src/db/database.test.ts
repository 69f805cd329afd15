import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, SchemaTooNewError, schemaVersion } from './database';
import { MIGRATIONS } from './migrations/index';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'hub-db-')), 'hub.db');
// Numbers are handed out ahead of time, so the newest may land before one below it.
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

describe('opening the store database', () => {
  it('sets the pragmas a power cut demands and applies every migration', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST);
    db.close();
  });

  it('refuses a database written by a newer hub, saying what to do', () => {
    const file = tempFile();
    openDatabase(file).close();
    const newer = [
      ...MIGRATIONS,
      { version: 99, name: 'future', sql: 'CREATE TABLE future (x INTEGER)' },
    ];
    openDatabase(file, newer).close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(
      new RegExp(`newer hub \\(schema version 99; this hub knows up to ${LATEST}\\)`),
    );
  });

  it('rolls back a migration that fails half-way, leaving the version where it was', () => {
    const file = tempFile();
    openDatabase(file).close();
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST + 1,
        name: 'broken',
        sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM missing_table;',
      },
    ];
    expect(() => openDatabase(file, broken)).toThrow(/missing_table/);
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    db.close();
  });

  it('applies an earlier migration that landed after a later one was already applied', () => {
    const file = tempFile();
    const below = MIGRATIONS.filter((m) => m.version !== 30);
    openDatabase(file, below).close();
    const db = openDatabase(file);
    const versions = (
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
        version: number;
      }[]
    ).map((r) => r.version);
    expect(versions).toEqual([...MIGRATIONS.map((m) => m.version)].sort((a, b) => a - b));
    db.close();
  });

  it("carries a store's money over when a method is renamed, keeping the ledger guarded", () => {
    const file = tempFile();
    const v3 = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    v3.exec(
      `INSERT INTO rooms (id,name,capacity,area_sqm,style,price_plan,created_at,updated_at) VALUES ('r','R',2,10,'x','{}',0,0)`,
    );
    v3.exec(`INSERT INTO bookings (id,number,room_id,status,start_at,end_at,block_start,block_end,party_size,customer_phone,total,lines,created_at,updated_at)
             VALUES ('b','1','r','in_use',0,10,0,20,1,'13800000000',100,'[]',0,0)`);
    v3.exec(
      `INSERT INTO payments (id,booking_id,method,amount,received,status,created_at) VALUES ('p','b','simulated',100,100,'succeeded',0)`,
    );
    v3.exec(
      `INSERT INTO ledger (booking_id,kind,method,amount,payment_id,actor_kind,actor_id,at) VALUES ('b','payment','simulated',100,'p','system','gw',0)`,
    );
    v3.exec(`INSERT INTO sessions (booking_id, room_id, opened_at) VALUES ('b','r',5)`);
    v3.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT id, method, received FROM payments').all()).toEqual([
      { id: 'p', method: 'wechat', received: 100 },
    ]);
    expect(db.prepare('SELECT method, amount, payment_id FROM ledger').all()).toEqual([
      { method: 'wechat', amount: 100, payment_id: 'p' },
    ]);
    expect(db.prepare('SELECT started_at FROM sessions').get()).toEqual({ started_at: 5 });
    // The cloud's copies carry the former words: each is published again.
    expect(db.prepare('SELECT doc_id FROM outbox ORDER BY seq').all()).toEqual([
      { doc_id: 'booking:b' },
      { doc_id: 'ledger:b:1' },
    ]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(() => db.prepare('UPDATE ledger SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM payments`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('keeps the ledger append-only', () => {
    const db = openDatabase(tempFile());
    expect(() => db.prepare('UPDATE ledger SET amount = 1').run()).not.toThrow(); // no rows: nothing to refuse
    db.exec(
      `INSERT INTO store (id, name, address, phone, time_zone, hours_open, hours_close, logo_url, photos, rules, created_at, updated_at) VALUES ('s','n','a','p','Asia/Shanghai','00:00','24:00',NULL,'[]','{}',0,0)`,
    );
    db.exec(
      `INSERT INTO rooms (id,name,capacity,area_sqm,style,price_plan,created_at,updated_at) VALUES ('r','R',2,10,'x','{}',0,0)`,
    );
    db.exec(`INSERT INTO bookings (id,number,room_id,status,start_at,end_at,block_start,block_end,party_size,customer_phone,total,lines,created_at,updated_at)
             VALUES ('b','1','r','paid',0,10,0,20,1,'13800000000',100,'[]',0,0)`);
    db.exec(
      `INSERT INTO payments (id,booking_id,method,amount,status,created_at) VALUES ('p','b','cash',100,'succeeded',0)`,
    );
    db.exec(
      `INSERT INTO ledger (booking_id,kind,method,amount,payment_id,actor_kind,actor_id,at) VALUES ('b','payment','cash',100,'p','staff','s',0)`,
    );
    expect(() => db.prepare('UPDATE ledger SET amount = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
    db.close();
  });

  it('refuses an overlapping booking in the schema itself, cleaning buffer included', () => {
    const db = openDatabase(tempFile());
    db.exec(
      `INSERT INTO rooms (id,name,capacity,area_sqm,style,price_plan,created_at,updated_at) VALUES ('r','R',2,10,'x','{}',0,0)`,
    );
    const insert =
      db.prepare(`INSERT INTO bookings (id,number,room_id,status,start_at,end_at,block_start,block_end,party_size,customer_phone,total,lines,created_at,updated_at)
             VALUES (?, ?, 'r', ?, ?, ?, ?, ?, 1, '13800000000', 100, '[]', 0, 0)`);
    insert.run('a', '1', 'paid', 100, 200, 100, 215);
    expect(() => insert.run('b', '2', 'pending_payment', 210, 300, 210, 315)).toThrow(/slot_taken/);
    expect(() => insert.run('c', '3', 'cancelled', 150, 250, 150, 265)).not.toThrow(); // a cancelled row holds nothing
    insert.run('d', '4', 'paid', 215, 300, 215, 315); // right after the buffer
    expect(() => db.prepare(`UPDATE bookings SET status = 'paid' WHERE id = 'c'`).run()).toThrow(
      /slot_taken/,
    );
    db.close();
  });
});
