// What counts toward a member's level besides points: money spent (bookings completed, orders
// delivered, net of what went back), visits, and top-ups. Append-only (`member_activity`); what a
// booking, order or top-up has counted is the sum of its rows, so a correction is the difference.
// The only writer of `member_activity`. Never decides what counts: the member service does.
import type { Clock, MemberFigures } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface Counted {
  spend: number;
  visit: number;
}

export class MemberActivity {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  /** What `ref` has counted so far for the member. */
  ofRef(memberId: string, ref: string): Counted & { rows: number } {
    return this.db
      .prepare(
        `SELECT COALESCE(SUM(spend), 0) AS spend, COALESCE(SUM(visit), 0) AS visit, COUNT(*) AS rows
           FROM member_activity WHERE member_id = ? AND ref = ?`,
      )
      .get(memberId, ref) as Counted & { rows: number };
  }

  /** Appends what changed; nothing when nothing did. Runs inside a write. */
  append(memberId: string, ref: string, change: Counted & { topUp?: number }): void {
    if (change.spend === 0 && change.visit === 0 && !change.topUp) return;
    this.db
      .prepare(
        'INSERT INTO member_activity (member_id, ref, spend, visit, top_up, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(memberId, ref, change.spend, change.visit, change.topUp ?? 0, this.clock.now());
    this.outbox.markMember(memberId);
  }

  /**
   * Members whose last visit was before `before`, with it (oldest first); members who never came
   * are not among them. A read of `members` for their phones.
   */
  absentSince(before: number): { phone: string; lastVisitAt: number }[] {
    return this.db
      .prepare(
        `SELECT m.phone, a.last_visit AS lastVisitAt FROM members m
           JOIN (SELECT member_id, MAX(at) AS last_visit FROM member_activity WHERE visit > 0
                  GROUP BY member_id) a ON a.member_id = m.id
          WHERE a.last_visit < ? ORDER BY a.last_visit, m.phone`,
      )
      .all(before) as { phone: string; lastVisitAt: number }[];
  }

  /** Spend, visits and the largest top-up; points earned come from the points ledger. */
  figures(memberId: string): Omit<MemberFigures, 'pointsEarned'> & { lastVisitAt: number | null } {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(spend), 0) AS spend, COALESCE(SUM(visit), 0) AS visits,
                COALESCE(MAX(top_up), 0) AS bestTopUp, MAX(CASE WHEN visit > 0 THEN at END) AS lastVisitAt
           FROM member_activity WHERE member_id = ?`,
      )
      .get(memberId) as {
      spend: number;
      visits: number;
      bestTopUp: number;
      lastVisitAt: number | null;
    };
    return r;
  }
}
