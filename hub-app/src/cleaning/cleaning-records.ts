// Rows of `cleaning_tasks` and their history `cleaning_task_events`: the only module that writes
// them. A task is made once per session (its booking is unique here, so an end told twice makes
// one task); every step goes through `transition`, which checks the state machine in shared-types
// and writes the history entry in the same transaction. Services decide; this module records. It
// never frees a room or tells anyone.
import {
  DomainError,
  formatInstant,
  nextCleaningState,
  notFound,
  type Actor,
  type CleaningAction,
  type CleaningHistoryEntry,
  type CleaningStaff,
  type CleaningTaskStatus,
  type Clock,
  CleaningTransitionError,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';

export interface CleaningTaskRow {
  id: string;
  room_id: string;
  booking_id: string;
  status: CleaningTaskStatus;
  holder_id: string | null;
  since: number;
  taken_at: number | null;
  done_at: number | null;
  cancelled_at: number | null;
  note: string | null;
  reason: string | null;
  photo: string | null;
  photo_type: 'image/jpeg' | 'image/png' | null;
  created_at: number;
  updated_at: number;
}

export class CleaningRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: NewId,
  ) {}

  find(id: string): CleaningTaskRow | undefined {
    return this.db.prepare('SELECT * FROM cleaning_tasks WHERE id = ?').get(id) as
      CleaningTaskRow | undefined;
  }

  get(id: string): CleaningTaskRow {
    const row = this.find(id);
    if (!row) throw notFound('cleaning_task', id, 'id');
    return row;
  }

  ofBooking(bookingId: string): CleaningTaskRow | undefined {
    return this.db.prepare('SELECT * FROM cleaning_tasks WHERE booking_id = ?').get(bookingId) as
      CleaningTaskRow | undefined;
  }

  list(q: {
    statuses: readonly CleaningTaskStatus[];
    from?: number | undefined;
    to?: number | undefined;
    roomId?: string | undefined;
    holderId?: string | undefined;
    limit: number;
  }): CleaningTaskRow[] {
    const where = [`status IN (${q.statuses.map(() => '?').join(',')})`];
    const args: (string | number)[] = [...q.statuses];
    if (q.from !== undefined && q.to !== undefined) {
      where.push('since >= ? AND since < ?');
      args.push(q.from, q.to);
    }
    if (q.roomId) {
      where.push('room_id = ?');
      args.push(q.roomId);
    }
    if (q.holderId) {
      where.push('holder_id = ?');
      args.push(q.holderId);
    }
    return this.db
      .prepare(
        `SELECT * FROM cleaning_tasks WHERE ${where.join(' AND ')} ORDER BY since, id LIMIT ?`,
      )
      .all(...args, q.limit) as CleaningTaskRow[];
  }

  history(taskId: string, timeZone: string): CleaningHistoryEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM cleaning_task_events WHERE task_id = ? ORDER BY id')
      .all(taskId) as {
      action: CleaningHistoryEntry['action'];
      from_status: CleaningTaskStatus | null;
      to_status: CleaningTaskStatus;
      actor_kind: string;
      actor_id: string;
      holder_id: string | null;
      reason: string | null;
      at: number;
    }[];
    return rows.map((r) => ({
      action: r.action,
      from: r.from_status,
      to: r.to_status,
      actor: { kind: r.actor_kind, id: r.actor_id },
      holderId: r.holder_id,
      reason: r.reason,
      at: formatInstant(r.at, timeZone),
    }));
  }

  /** The task of a session that ended at `since`; undefined when that session already has one. */
  create(
    t: { roomId: string; bookingId: string; since: number },
    actor: Actor,
  ): CleaningTaskRow | undefined {
    const now = this.clock.now();
    const id = this.newId();
    const made = this.db
      .prepare(
        `INSERT INTO cleaning_tasks (id, room_id, booking_id, status, since, created_at, updated_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (booking_id) DO NOTHING`,
      )
      .run(id, t.roomId, t.bookingId, t.since, now, now);
    if (made.changes === 0) return undefined;
    this.record(id, 'create', null, 'open', actor, null, null);
    return this.get(id);
  }

  /**
   * Checks the state machine for `action` by `by`, writes the new status and holder with the
   * step's own fields, and the history entry. Refusals come back as the API's errors.
   */
  transition(
    row: CleaningTaskRow,
    action: CleaningAction,
    actor: Actor,
    by: CleaningStaff,
    opts: { to?: CleaningStaff; reason?: string | null; note?: string | null } = {},
    holderName: (id: string) => string = (id) => id,
  ): CleaningTaskRow {
    let next;
    try {
      next = nextCleaningState(
        { status: row.status, holderId: row.holder_id },
        action,
        by,
        opts.to,
      );
    } catch (e) {
      if (e instanceof CleaningTransitionError) throw refusal(e, holderName);
      throw e;
    }
    // Taking again what one already holds changes nothing: no step to record.
    if (next.status === row.status && next.holderId === row.holder_id) return row;
    const now = this.clock.now();
    const heldFrom = next.status === 'taken' ? now : next.status === 'open' ? null : row.taken_at;
    this.db
      .prepare(
        `UPDATE cleaning_tasks SET status = ?, holder_id = ?, taken_at = ?,
           done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END,
           cancelled_at = CASE WHEN ? = 'cancelled' THEN ? ELSE cancelled_at END,
           note = COALESCE(?, note), reason = COALESCE(?, reason), updated_at = ?
         WHERE id = ?`,
      )
      .run(
        next.status,
        next.holderId,
        heldFrom,
        next.status,
        now,
        next.status,
        now,
        opts.note ?? null,
        opts.reason ?? null,
        now,
        row.id,
      );
    this.record(row.id, action, row.status, next.status, actor, next.holderId, opts.reason ?? null);
    return this.get(row.id);
  }

  /** The photo of the cleaned room, replacing an earlier one; its history entry says who. */
  setPhoto(
    row: CleaningTaskRow,
    file: string,
    type: 'image/jpeg' | 'image/png',
    actor: Actor,
  ): void {
    this.db
      .prepare('UPDATE cleaning_tasks SET photo = ?, photo_type = ?, updated_at = ? WHERE id = ?')
      .run(file, type, this.clock.now(), row.id);
    this.record(row.id, 'photo', row.status, row.status, actor, row.holder_id, null);
  }

  private record(
    taskId: string,
    action: CleaningHistoryEntry['action'],
    from: CleaningTaskStatus | null,
    to: CleaningTaskStatus,
    actor: Actor,
    holderId: string | null,
    reason: string | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO cleaning_task_events (task_id, action, from_status, to_status, actor_kind, actor_id, holder_id, reason, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(taskId, action, from, to, actor.kind, actor.id, holderId, reason, this.clock.now());
  }
}

/** The state machine's refusal as the API's error, naming who holds the task where that is why. */
function refusal(e: CleaningTransitionError, holderName: (id: string) => string): DomainError {
  const holder = e.holderId ? holderName(e.holderId) : '';
  switch (e.code) {
    case 'cleaning_task_closed':
      return new DomainError('conflict', 'cleaning_task_closed', e.message);
    case 'cleaning_task_taken':
      return new DomainError(
        'conflict',
        'cleaning_task_taken',
        `${holder} has already taken this cleaning task`,
      ).with({ holder, holderId: e.holderId ?? '' });
    case 'cleaning_task_not_held':
      return new DomainError(
        'conflict',
        'cleaning_task_not_held',
        holder ? `${e.message} (${holder} holds it)` : e.message,
      ).with({ holder });
    case 'cleaning_not_allowed':
      return new DomainError('forbidden', 'cleaning_not_allowed', e.message);
    case 'cleaning_not_a_cleaner':
      // Handing a task to someone who does not clean is a wrong person named, not a wrong caller.
      return new DomainError('invalid', 'cleaning_not_a_cleaner', e.message, 'staffId');
  }
}
