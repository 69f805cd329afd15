import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { WriteQueue } from './write-queue';

describe('group commit', () => {
  it('commits writes of one turn together, undoing only the one that failed', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL UNIQUE)');
    let rollbacks = 0;
    const q = new WriteQueue(db, () => rollbacks++);
    const hooks: number[] = [];
    const results = await Promise.allSettled([
      q.run((after) => {
        db.prepare('INSERT INTO t VALUES (1)').run();
        after(() => hooks.push(1));
        return 'one';
      }),
      q.run((after) => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        after(() => hooks.push(2));
        db.prepare('INSERT INTO t VALUES (1)').run(); // duplicate: this unit fails as a whole
      }),
      q.run(() => db.prepare('INSERT INTO t VALUES (3)').run().changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
    expect(hooks).toEqual([1]); // the failed unit's after-commit hook never ran
    expect(rollbacks).toBe(1);
    expect(db.inTransaction).toBe(false);
  });
});

describe('a full disk', () => {
  it('fails every write of the batch, answers every caller, and keeps the hub running', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    let rollbacks = 0;
    const q = new WriteQueue(db, () => rollbacks++);
    const results = await Promise.allSettled([
      q.run(() => db.prepare('INSERT INTO t VALUES (?)').run('small')),
      q.run(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(200_000))), // does not fit
      q.run(() => db.prepare('INSERT INTO t VALUES (?)').run('after')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(db.inTransaction).toBe(false);
    expect(rollbacks).toBeGreaterThan(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    db.pragma('max_page_count = 1073741823');
    await expect(
      q.run(() => db.prepare('INSERT INTO t VALUES (?)').run('later').changes),
    ).resolves.toBe(1);
  });

  it('refuses a write that returns a promise', async () => {
    const db = openDatabase(':memory:');
    const q = new WriteQueue(db);
    await expect(q.run(async () => 1)).rejects.toThrow(/synchronous/);
  });
});
