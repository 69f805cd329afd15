// What each cleaner did over a range of store days (O9, for the owner): tasks done, how long from
// taking a task to the room being clean, how long rooms waited after their session, photos taken,
// tasks called off while they held them; and the range's tasks by status. Reads only.
import {
  CleaningTaskStatusSchema,
  instantAt,
  MINUTE,
  nextLocalDate,
  type CleaningReport,
  type CleaningReportQuery,
  type CleaningReportRow,
  type CleaningTaskStatus,
  type StaffRole,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';

interface Done {
  holder_id: string;
  name: string;
  role: StaffRole;
  done: number;
  total: number;
  longest: number;
  waited: number;
  photos: number;
}

export class CleaningReports {
  constructor(
    private readonly db: Db,
    private readonly timeZone: () => string,
  ) {}

  report(q: CleaningReportQuery): CleaningReport {
    const tz = this.timeZone();
    const from = instantAt(q.from, 0, tz);
    const to = instantAt(nextLocalDate(q.to), 0, tz);
    const done = this.db
      .prepare(
        `SELECT t.holder_id, s.name, s.role, COUNT(*) AS done,
           SUM(t.done_at - t.taken_at) AS total, MAX(t.done_at - t.taken_at) AS longest,
           SUM(t.done_at - t.since) AS waited, SUM(t.photo IS NOT NULL) AS photos
         FROM cleaning_tasks t JOIN staff s ON s.id = t.holder_id
         WHERE t.status = 'done' AND t.done_at >= ? AND t.done_at < ?
         GROUP BY t.holder_id`,
      )
      .all(from, to) as Done[];
    const cancelled = new Map(
      (
        this.db
          .prepare(
            `SELECT holder_id, COUNT(*) AS n FROM cleaning_tasks
             WHERE status = 'cancelled' AND holder_id IS NOT NULL AND cancelled_at >= ? AND cancelled_at < ?
             GROUP BY holder_id`,
          )
          .all(from, to) as { holder_id: string; n: number }[]
      ).map((r) => [r.holder_id, r.n]),
    );
    // Every active cleaner is listed, a day with nothing done included: the owner sees who did not.
    const cleaners = this.db
      .prepare(`SELECT id, name, role FROM staff WHERE role = 'cleaner' AND status = 'active'`)
      .all() as { id: string; name: string; role: StaffRole }[];
    const rows = new Map<string, CleaningReportRow>();
    const row = (id: string, name: string, role: StaffRole): CleaningReportRow => ({
      staff: { id, name, role },
      done: 0,
      minutes: { total: 0, average: 0, longest: 0 },
      averageWaitMinutes: 0,
      withPhoto: 0,
      cancelled: cancelled.get(id) ?? 0,
    });
    for (const c of cleaners) rows.set(c.id, row(c.id, c.name, c.role));
    const minutes = (ms: number) => Math.round(ms / MINUTE);
    for (const d of done) {
      rows.set(d.holder_id, {
        ...row(d.holder_id, d.name, d.role),
        done: d.done,
        minutes: {
          total: minutes(d.total),
          average: minutes(d.total / d.done),
          longest: minutes(d.longest),
        },
        averageWaitMinutes: minutes(d.waited / d.done),
        withPhoto: d.photos,
      });
    }
    const byStatus = Object.fromEntries(
      CleaningTaskStatusSchema.options.map((s) => [s, 0]),
    ) as Record<CleaningTaskStatus, number>;
    for (const r of this.db
      .prepare(
        'SELECT status, COUNT(*) AS n FROM cleaning_tasks WHERE since >= ? AND since < ? GROUP BY status',
      )
      .all(from, to) as { status: CleaningTaskStatus; n: number }[]) {
      byStatus[r.status] = r.n;
    }
    return {
      from: q.from,
      to: q.to,
      cleaners: [...rows.values()].sort(
        (a, b) => b.done - a.done || a.staff.name.localeCompare(b.staff.name),
      ),
      tasks: byStatus,
    };
  }
}
