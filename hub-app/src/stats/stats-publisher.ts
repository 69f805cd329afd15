// Publishes the store's statistics to the cloud, one document per store day (O12), so the owner
// reads them from anywhere. It marks a day in the outbox when its figures changed: at start the
// recent days, then, after every change the hub records and once a minute, the days that the
// records written since touch (a refund today of last week's booking touches today's money and
// that booking's day). A day whose figures are what was last marked is not marked again. It never
// writes a figure itself: the document is built from the statistics when the replicator sends it.
import {
  HOUR,
  localDateOf,
  statsDayDocId,
  type Clock,
  type LocalDate,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { Hub } from '../hub';
import type { Outbox } from '../sync/outbox';
import { statsDayFigures, type StatsDayFigures } from './stats-day';
import { daysBefore } from './stats-range';

export interface StatsPublisherDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  outbox: Outbox;
  timeZone: () => string;
  figures: (date: LocalDate) => StatsDayFigures;
  /** Days before today published at start, so the last month reads whole on the cloud. */
  backfillDays?: number;
  /** How soon after a change its days are looked at. */
  settleMs?: number;
  /** How often the days are looked at anyway (energy meters' readings mark nothing). */
  everyMs?: number;
}

/**
 * Records are written with the instant they happened, a moment before their transaction commits:
 * what was written since a look is read back from a little before it.
 */
const OVERLAP = 5 * 60_000;
const DAY = 24 * HOUR;

export class StatsPublisher {
  /** The figures each day was last marked with. */
  private readonly marked = new Map<LocalDate, string>();
  private lookedAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<LocalDate[]> | null = null;
  private ownMark = false;
  private stopped = false;

  constructor(private readonly d: StatsPublisherDeps) {}

  start(): void {
    this.d.outbox.onMarked(() => {
      if (this.ownMark || this.stopped || this.soon) return;
      this.soon = setTimeout(() => {
        this.soon = undefined;
        void this.publish().catch(() => undefined);
      }, this.d.settleMs ?? 1_000);
      this.soon.unref?.();
    });
    this.timer = setInterval(
      () => void this.publish().catch(() => undefined),
      this.d.everyMs ?? 60_000,
    );
    this.timer.unref?.();
    void this.publish().catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
  }

  /** Marks every day whose figures changed since it was last marked; answers those days. */
  publish(): Promise<LocalDate[]> {
    // One look at a time; a look asked for meanwhile runs after it.
    const run = (this.running ?? Promise.resolve([])).then(() => this.look());
    this.running = run.finally(() => {
      if (this.running === run) this.running = null;
    });
    return run;
  }

  private async look(): Promise<LocalDate[]> {
    if (this.stopped) return [];
    const now = this.d.clock.now();
    const tz = this.d.timeZone();
    const today = localDateOf(now, tz);
    const days = new Set<LocalDate>([today]);
    if (this.lookedAt === null) {
      for (let i = 1; i <= (this.d.backfillDays ?? 40); i++) days.add(daysBefore(today, i));
    } else {
      for (const d of this.changedDays(this.lookedAt - OVERLAP, tz)) days.add(d);
    }
    this.lookedAt = now;
    const changed: [LocalDate, string][] = [];
    for (const date of [...days].sort()) {
      if (date > today) continue;
      const figures = JSON.stringify(this.d.figures(date));
      if (this.marked.get(date) !== figures) changed.push([date, figures]);
    }
    if (changed.length === 0) return [];
    await this.d.writes.run(() => {
      for (const [date] of changed) this.d.outbox.mark(statsDayDocId(date));
    });
    for (const [date, figures] of changed) this.marked.set(date, figures);
    this.ownMark = true;
    try {
      this.d.outbox.notify();
    } finally {
      this.ownMark = false;
    }
    return changed.map(([date]) => date);
  }

  /** The store days touched by what was recorded at or after `since`. */
  changedDays(since: number, timeZone: string): LocalDate[] {
    const spans = this.d.db
      .prepare(
        `SELECT at AS a, at AS b FROM ledger WHERE at >= :since
         UNION ALL SELECT at, at FROM order_money WHERE at >= :since
         UNION ALL SELECT at, at FROM wallet_topups WHERE at >= :since
         UNION ALL SELECT joined_at, joined_at FROM members WHERE joined_at >= :since
         UNION ALL SELECT at, at FROM redemptions WHERE at >= :since OR undone_at >= :since
         UNION ALL SELECT created_at, created_at FROM orders WHERE updated_at >= :since
         UNION ALL SELECT e.at, e.at FROM booking_events e WHERE e.at >= :since
         UNION ALL SELECT b.start_at, b.end_at - 1 FROM booking_events e
                     JOIN bookings b ON b.id = e.booking_id WHERE e.at >= :since
         UNION ALL SELECT at - ${HOUR}, at FROM energy_readings WHERE at >= :since`,
      )
      .all({ since }) as { a: number; b: number }[];
    const days = new Set<LocalDate>();
    for (const { a, b } of spans) {
      // A booking is at most a week: its days one by one.
      for (let t = a; t <= Math.min(b, a + 8 * DAY); t += DAY) days.add(localDateOf(t, timeZone));
      days.add(localDateOf(b, timeZone));
    }
    return [...days].sort();
  }
}

/** Publishes the hub's statistics while it is linked to the cloud; answers how to stop. */
export function publishStats(
  hub: Hub,
  opts: Pick<StatsPublisherDeps, 'backfillDays' | 'settleMs' | 'everyMs'> = {},
): StatsPublisher {
  const publisher = new StatsPublisher({
    db: hub.db,
    clock: hub.clock,
    writes: hub.writes,
    outbox: hub.outbox,
    timeZone: () => hub.store.getStore().timeZone,
    figures: (date) => statsDayFigures(hub.stats, hub.energy, date),
    ...opts,
  });
  publisher.start();
  return publisher;
}
