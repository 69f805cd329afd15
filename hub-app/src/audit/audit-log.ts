// The audit log (O9): every staff action, who did it on which screen, when, what, and for a change
// the before and after. Append-only (the schema refuses an edit or a delete). The only writer of
// `audit_log`; the owner reads it, filtered. Call `record` inside the write of the action itself,
// so an action and its record land together, or after a refusal so the attempt is kept too.
import { formatInstant, type Actor, type Clock } from '@roomhub/shared-types';
import type { Db } from '../db/database';

export interface AuditEntry {
  actor: Actor;
  /** What was done, `<domain>.<verb>`: `staff.create`, `refund.approve`, `door.open`. */
  action: string;
  /** What it was done to: a booking id, a staff id, a device id. */
  target?: string | null;
  outcome?: 'done' | 'refused';
  before?: unknown;
  after?: unknown;
}

export interface AuditView {
  id: number;
  actor: { kind: Actor['kind']; id: string; role: string | null; screenId: string | null };
  action: string;
  target: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  at: string;
}

export class AuditLog {
  private recorded: (at: number) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Told the moment of each entry recorded: the hub publishes that hour for the remote view. */
  onRecorded(fn: (at: number) => void): void {
    this.recorded = fn;
  }

  record(e: AuditEntry): void {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const at = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO audit_log (actor_kind, actor_id, role, screen_id, action, target, outcome, before, after, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.actor.kind,
        e.actor.id,
        e.actor.role ?? null,
        e.actor.screen?.id ?? null,
        e.action,
        e.target ?? null,
        e.outcome ?? 'done',
        json(e.before),
        json(e.after),
        at,
      );
    this.recorded(at);
  }

  /**
   * The entries from `from` until `to`, oldest first: at most `limit` (the newest of them), and
   * how many there are in all.
   */
  between(
    from: number,
    to: number,
    limit: number,
    timeZone: string,
  ): { entries: AuditView[]; total: number } {
    const { n } = this.db
      .prepare('SELECT COUNT(*) AS n FROM audit_log WHERE at >= ? AND at < ?')
      .get(from, to) as { n: number };
    const entries = n === 0 ? [] : this.list({ from, to, limit }, timeZone).reverse();
    return { entries, total: n };
  }

  /** Newest first, `limit` at a time; `before` is the id the next page starts below. */
  list(
    q: {
      actorId?: string | undefined;
      action?: string | undefined;
      target?: string | undefined;
      from?: number | undefined;
      to?: number | undefined;
      before?: number | undefined;
      limit: number;
    },
    timeZone: string,
  ): AuditView[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, ...v: (string | number)[]) => {
      where.push(sql);
      args.push(...v);
    };
    if (q.actorId) add('actor_id = ?', q.actorId);
    // `refund` finds refund.approve and refund.reject; `refund.approve` only itself.
    if (q.action)
      add(
        `(action = ? OR substr(action, 1, ?) = ?)`,
        q.action,
        q.action.length + 1,
        `${q.action}.`,
      );
    if (q.target) add('target = ?', q.target);
    if (q.from !== undefined) add('at >= ?', q.from);
    if (q.to !== undefined) add('at < ?', q.to);
    if (q.before !== undefined) add('id < ?', q.before);
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...args, q.limit) as {
      id: number;
      actor_kind: Actor['kind'];
      actor_id: string;
      role: string | null;
      screen_id: string | null;
      action: string;
      target: string | null;
      outcome: string;
      before: string | null;
      after: string | null;
      at: number;
    }[];
    const parse = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));
    return rows.map((r) => ({
      id: r.id,
      actor: { kind: r.actor_kind, id: r.actor_id, role: r.role, screenId: r.screen_id },
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      before: parse(r.before),
      after: parse(r.after),
      at: formatInstant(r.at, timeZone),
    }));
  }
}
