// Group commit: writes that arrive in the same turn of the event loop share one SQLite
// transaction and one fsync, each in its own savepoint so a failing write undoes only itself.
// Callers are answered only after the commit is on disk. Reads never go through here.
import type { Db } from './database';
import { logger } from '../log';

export type AfterCommit = (fn: () => void) => void;

interface Unit<T> {
  work: (afterCommit: AfterCommit) => T;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
  hooks: (() => void)[];
  result?: { ok: true; value: T } | { ok: false; error: unknown };
}

export class WriteQueue {
  private pending: Unit<unknown>[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Db,
    /** Called when a write or a commit is rolled back, so caches of what it wrote can be dropped. */
    private readonly onRollback: () => void = () => {},
    private readonly maxBatch = 256,
  ) {}

  /** Runs `work` inside a transaction; resolves once it is durable. Hooks run after the commit. */
  run<T>(work: (afterCommit: AfterCommit) => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject, hooks: [] } as Unit<unknown> as never);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  close(): void {
    this.closed = true;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const u of batch) u.reject(e);
      return;
    }
    for (const u of batch) {
      this.db.exec('SAVEPOINT unit');
      try {
        const value = u.work((fn) => u.hooks.push(fn));
        if (
          value !== null &&
          typeof value === 'object' &&
          typeof (value as { then?: unknown }).then === 'function'
        ) {
          // An awaited part would run after the savepoint, outside the transaction.
          throw new Error('a write must be synchronous: it returned a promise');
        }
        this.db.exec('RELEASE unit');
        u.result = { ok: true, value };
      } catch (error) {
        u.hooks = [];
        u.result = { ok: false, error };
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back by itself (disk full, I/O error): nothing in
          // this batch was written, so no caller may be told otherwise.
          this.onRollback();
          for (const v of batch)
            v.reject(
              v === u
                ? error
                : new Error(`not saved: ${String((error as Error).message ?? error)}`),
            );
          return;
        }
        try {
          this.db.exec('ROLLBACK TO unit');
          this.db.exec('RELEASE unit');
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          this.onRollback();
          for (const v of batch) v.reject(e);
          return;
        }
        this.onRollback();
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.onRollback();
      for (const u of batch) u.reject(e);
      return;
    }
    for (const u of batch) {
      const r = u.result!;
      if (r.ok) {
        for (const h of u.hooks) {
          try {
            h();
          } catch (e) {
            logger().error({ err: e }, 'after-commit hook failed');
          }
        }
        u.resolve(r.value);
      } else {
        u.reject(r.error);
      }
    }
  }
}
