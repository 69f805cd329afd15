// The points ledger: every point earned, taken back, spent, given back, expired, adjusted or
// given as a gift, append-only (the schema's triggers refuse an edit, a delete and a balance
// below zero). The only writer of `member_points`; a member's points are always this ledger's sum
// (`balance`), never a stored number. Points expire oldest first: what is due to expire at a time
// is computed from the ledger itself (`expiringAt`), so running the expiry twice expires nothing
// more. Call it inside the write of what a movement explains. Never decides who earns what.
import {
  formatInstant,
  type Actor,
  type Clock,
  type PointsKind,
  type PointsMoveView,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface PointsMove {
  memberId: string;
  kind: PointsKind;
  /** Signed. */
  points: number;
  ref?: string | null;
  /** A movement with a key lands once; a second with the same key is ignored. */
  key?: string | null;
  rate?: number | null;
  forgone?: number;
  reason?: string;
  expiresAt?: number | null;
  actor: Actor;
}

export class PointsLedger {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeZone: () => string,
    private readonly outbox: Outbox,
  ) {}

  /** Appends one movement; false when its key already landed. Runs inside a write. */
  append(m: PointsMove): boolean {
    if (m.key && this.db.prepare('SELECT 1 FROM member_points WHERE key = ?').get(m.key)) {
      return false;
    }
    this.db
      .prepare(
        `INSERT INTO member_points (member_id, kind, points, ref, key, rate, forgone, reason, expires_at, actor_kind, actor_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        m.memberId,
        m.kind,
        m.points,
        m.ref ?? null,
        m.key ?? null,
        m.rate ?? null,
        m.forgone ?? 0,
        m.reason ?? '',
        m.expiresAt ?? null,
        m.actor.kind,
        m.actor.id,
        this.clock.now(),
      );
    this.outbox.markMember(m.memberId);
    return true;
  }

  balance(memberId: string): number {
    return (
      this.db
        .prepare('SELECT COALESCE(SUM(points), 0) AS s FROM member_points WHERE member_id = ?')
        .get(memberId) as { s: number }
    ).s;
  }

  /** The points of `kinds` under `ref`, summed (signed), with the rate of the first of them. */
  ofRef(
    ref: string,
    kinds: readonly PointsKind[],
  ): { memberId: string; points: number; forgone: number; rate: number | null }[] {
    return this.db
      .prepare(
        `SELECT member_id AS memberId, SUM(points) AS points, SUM(forgone) AS forgone,
                (SELECT rate FROM member_points r WHERE r.ref = p.ref AND r.member_id = p.member_id
                   AND r.kind = ? ORDER BY r.id LIMIT 1) AS rate
           FROM member_points p WHERE ref = ? AND kind IN (${kinds.map(() => '?').join(',')})
          GROUP BY member_id`,
      )
      .all(kinds[0], ref, ...kinds) as {
      memberId: string;
      points: number;
      forgone: number;
      rate: number | null;
    }[];
  }

  /** Points earned on spend, net of those taken back: what the `points` level rule counts. */
  earned(memberId: string): number {
    return (
      this.db
        .prepare(
          `SELECT COALESCE(SUM(points), 0) AS s FROM member_points WHERE member_id = ? AND kind IN ('earned','taken_back')`,
        )
        .get(memberId) as { s: number }
    ).s;
  }

  /**
   * Members with points due to expire at `at`, oldest first: what was added with an expiry up to
   * then, less everything ever taken out (taken out from the oldest points first), less nothing
   * when it is not more. Expired points are themselves taken out, so a second run finds nothing.
   */
  expiringAt(at: number): { memberId: string; points: number }[] {
    return this.db
      .prepare(
        `SELECT member_id AS memberId, due - used AS points FROM (
           SELECT member_id,
                  SUM(CASE WHEN points > 0 AND expires_at IS NOT NULL AND expires_at <= ? THEN points ELSE 0 END) AS due,
                  -SUM(CASE WHEN points < 0 THEN points ELSE 0 END) AS used
             FROM member_points GROUP BY member_id)
          WHERE due > used`,
      )
      .all(at) as { memberId: string; points: number }[];
  }

  /** A member's movements, newest first, each with the balance after it. */
  moves(memberId: string, limit = 100): PointsMoveView[] {
    const rows = this.db
      .prepare('SELECT * FROM member_points WHERE member_id = ? ORDER BY id')
      .all(memberId) as {
      id: number;
      kind: PointsKind;
      points: number;
      ref: string | null;
      reason: string;
      expires_at: number | null;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    const tz = this.timeZone();
    let balance = 0;
    return rows
      .map((r) => {
        balance += r.points;
        return {
          id: r.id,
          kind: r.kind,
          points: r.points,
          balance,
          ref: r.ref,
          reason: r.reason,
          expiresAt: r.expires_at === null ? null : formatInstant(r.expires_at, tz),
          actor: { kind: r.actor_kind, id: r.actor_id },
          at: formatInstant(r.at, tz),
        };
      })
      .reverse()
      .slice(0, limit);
  }
}
