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
