// The persistent scheduler: due work (hold expiries, refund retries, later reminders) lives in the
// `jobs` table, written in the same transaction as the change that needs it, so a restart loses
// nothing. The in-memory timer is only an alarm clock for the earliest row; it decides nothing.
// The only writer of `jobs`: services schedule, move and cancel through it, never by SQL.
import type { Clock } from '@roomhub/shared-types';
import type { Db } from '../db/database';

export interface Job {
  id: number;
  kind: string;
  ref: string;
  dueAt: number;
  attempts: number;
}

/** Runs one job. It must remove the job (`scheduler.done`) in the same transaction as its effect. */
export type JobHandler = (job: Job) => Promise<void>;

const MAX_DELAY = 60_000; // re-check at least every minute: the wall clock can jump

export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  on(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Adds or moves a job. Call inside the transaction that makes it necessary. */
  schedule(kind: string, ref: string, dueAt: number): void {
    this.db
      .prepare(
        `INSERT INTO jobs (kind, ref, due_at, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(kind, ref) DO UPDATE SET due_at = excluded.due_at, attempts = 0, last_error = NULL`,
      )
      .run(kind, ref, dueAt, this.clock.now());
  }

  /** Removes a job: it is done, or no longer needed. Call inside the transaction of its effect. */
  done(kind: string, ref: string): void {
    this.db.prepare('DELETE FROM jobs WHERE kind = ? AND ref = ?').run(kind, ref);
  }

  /** Removes every job of `kind` whose ref starts with `refPrefix`, e.g. a booking's reminders. */
  cancelAll(kind: string, refPrefix: string): void {
    this.db
      .prepare(`DELETE FROM jobs WHERE kind = ? AND substr(ref, 1, ?) = ?`)
      .run(kind, refPrefix.length, refPrefix);
  }

  pending(kind?: string): Job[] {
    const rows = this.db
      .prepare(
        `SELECT id, kind, ref, due_at AS dueAt, attempts FROM jobs ${kind ? 'WHERE kind = ?' : ''} ORDER BY due_at`,
      )
      .all(...(kind ? [kind] : [])) as Job[];
    return rows;
  }

  /** Starts the alarm; jobs that fell due while the hub was off run at once. */
  start(): void {
    this.stopped = false;
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Re-arms the alarm after something scheduled a job. Cheap; call after each commit that did. */
  poke(): void {
    if (this.stopped || this.running) return; // a running pass picks up new due jobs itself
    if (this.timer) clearTimeout(this.timer);
    const next = this.db.prepare('SELECT MIN(due_at) AS d FROM jobs').get() as { d: number | null };
    if (next.d === null) {
      this.timer = null;
      return;
    }
    const delay = Math.min(Math.max(0, next.d - this.clock.now()), MAX_DELAY);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runDue().finally(() => this.poke());
    }, delay);
    this.timer.unref();
  }

  /**
   * Runs every job that is due now, including jobs that running ones make due (a refund queued by
   * an expiry). Tests with a manual clock call this directly. Bounded, so a job that keeps
   * re-scheduling itself for now cannot spin the hub.
   */
  async runDue(limit = 1_000): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let ran = 0;
    try {
      while (ran < limit) {
        const due = this.db
          .prepare(
            'SELECT id, kind, ref, due_at AS dueAt, attempts FROM jobs WHERE due_at <= ? ORDER BY due_at LIMIT 100',
          )
          .all(this.clock.now()) as Job[];
        if (due.length === 0) break;
        for (const job of due) {
          ran++;
          await this.runOne(job);
        }
      }
    } finally {
      this.running = false;
    }
    return ran;
  }

  private async runOne(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job);
    } catch (e) {
      // Back off 5 s, 10 s, 20 s ... up to 10 minutes; the job stays until it succeeds.
      const delay = Math.min(5_000 * 2 ** job.attempts, 600_000);
      this.db
        .prepare('UPDATE jobs SET attempts = attempts + 1, due_at = ?, last_error = ? WHERE id = ?')
        .run(this.clock.now() + delay, e instanceof Error ? e.message : String(e), job.id);
      return;
    }
    // A handler that forgot to remove its job would run forever; treat a leftover as done only
    // if it was not moved (re-scheduled) by the handler itself.
    this.db
      .prepare('DELETE FROM jobs WHERE id = ? AND due_at = ? AND attempts = ?')
      .run(job.id, job.dueAt, job.attempts);
  }
}
