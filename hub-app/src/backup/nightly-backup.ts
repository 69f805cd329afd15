// The nightly backup (H4): at 04:00 by the store's clock, when the fewest customers come and go,
// the hub makes the same backup the owner's 立即备份 makes (kept by count, copied to the folder
// off the machine when one is set) and writes how it went in the audit log, where the owner reads
// a backup that did not work and why. Each run schedules the next; a run the hub was off for runs
// when it starts. Decides nothing about the store's records; only copies them.
import {
  instantAt,
  localDateOf,
  nextLocalDate,
  type Actor,
  type Clock,
} from '@roomhub/shared-types';
import { basename } from 'node:path';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import { backupDatabase } from './backup';

export const NIGHTLY_BACKUP_JOB = 'backup.nightly';
const REF = 'nightly';
/** 04:00, minutes after the store's midnight. */
const AT_MINUTE = 4 * 60;
const SYSTEM: Actor = { kind: 'system', id: 'nightly-backup' };
const FALLBACK_ZONE = 'Asia/Shanghai';

export interface NightlyBackupDeps {
  db: Db;
  dataDir: string;
  clock: Clock;
  writes: WriteQueue;
  scheduler: Scheduler;
  audit: AuditLog;
  /** The store's time zone; throws before the store is set up. */
  timeZone: () => string;
}

interface Outcome {
  ok: boolean;
  /** The backup's file name; null when none was made. */
  target: string | null;
  after: Record<string, unknown>;
}

export class NightlyBackup {
  /** A night's backup made whose audit and next run are not written yet. */
  private unrecorded: Outcome | null = null;

  constructor(private readonly d: NightlyBackupDeps) {}

  /** Hooks the job to the scheduler, and schedules the first night's run. Call once. */
  register(): void {
    this.d.scheduler.on(NIGHTLY_BACKUP_JOB, (job) => this.run(job.dueAt));
    if (this.d.scheduler.pending(NIGHTLY_BACKUP_JOB).length === 0) {
      this.d.scheduler.schedule(NIGHTLY_BACKUP_JOB, REF, this.nextAfter(this.d.clock.now()));
    }
  }

  /** The first 04:00 by the store's clock after `after`. */
  nextAfter(after: number): number {
    let zone = FALLBACK_ZONE;
    try {
      zone = this.d.timeZone();
    } catch {
      // No store yet: the zone most stores keep, until one is set up.
    }
    const today = localDateOf(after, zone);
    const at = instantAt(today, AT_MINUTE, zone);
    return at > after ? at : instantAt(nextLocalDate(today), AT_MINUTE, zone);
  }

  private async run(dueAt: number): Promise<void> {
    // A run whose audit write failed after its backup was made is retried by the scheduler (a
    // little later, so by another due time): the night's backup is not made again, nor an older
    // one cleared for it.
    this.unrecorded ??= await this.backup();
    const { ok, target, after } = this.unrecorded;
    await this.d.writes.run(() => {
      this.d.audit.record({
        actor: SYSTEM,
        action: NIGHTLY_BACKUP_JOB,
        target,
        outcome: ok ? 'done' : 'refused',
        after,
      });
      this.d.scheduler.schedule(
        NIGHTLY_BACKUP_JOB,
        REF,
        this.nextAfter(Math.max(dueAt, this.d.clock.now())),
      );
    });
    this.unrecorded = null;
  }

  private async backup(): Promise<Outcome> {
    try {
      const made = await backupDatabase(this.d.db, this.d.dataDir, this.d.clock.now());
      return {
        ok: true,
        target: basename(made.file),
        after: {
          file: made.file,
          bytes: made.bytes,
          removed: made.removed.length,
          ...(made.copy ? { copy: made.copy } : {}),
        },
      };
    } catch (e) {
      // The disk full or the folder gone: said in the audit log, and tried again the next night.
      return {
        ok: false,
        target: null,
        after: { error: e instanceof Error ? e.message : String(e) },
      };
    }
  }
}
