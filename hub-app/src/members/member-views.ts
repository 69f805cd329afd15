// How members read (C11, O6): one member with their history, privileges and progress to the next
// level; the owner's list with its filters and figures (level, points, wallet, spend, visits, last
// visit); the CSV export, masked unless asked in full and audited; the card the cloud is told.
// Reads only, but the audit entry of an export, written in the caller's write.
import {
  figureOf,
  formatInstant,
  instantAt,
  nextLocalDate,
  type Actor,
  type MemberDetailView,
  type MemberExportQuery,
  type MemberListQuery,
  type MemberListView,
  type MemberView,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { MemberActivity } from './member-activity';
import { memberCsv } from './member-export';
import type { MemberRecords, MemberRow } from './member-records';
import type { MemberSettings } from './member-settings';
import type { PointsLedger } from './points-ledger';

export interface MemberViewDeps {
  db: Db;
  audit: AuditLog;
  records: MemberRecords;
  points: PointsLedger;
  activity: MemberActivity;
  settings: MemberSettings;
  timeZone: () => string;
}

export class MemberViews {
  constructor(private readonly d: MemberViewDeps) {}

  detail(idOrPhone: string): MemberDetailView {
    const member = this.d.records.get(idOrPhone);
    const view = this.view(member);
    const level = this.d.settings.level(member.level_id);
    const rule = this.d.settings.rules().levelRule;
    const figure = figureOf(rule, {
      ...this.d.activity.figures(member.id),
      pointsEarned: this.d.points.earned(member.id),
    });
    const next = this.d.settings.levels().find((l) => l.threshold > figure && l.id !== level?.id);
    return {
      ...view,
      pointsHistory: this.d.points.moves(member.id),
      levelHistory: this.d.records.levelHistory(member.id),
      privileges: level
        ? {
            roomPercentOff: level.roomPercentOff,
            itemPercentOff: level.itemPercentOff,
            extraBookingDays: level.extraBookingDays,
            birthdayPoints: level.birthdayPoints,
          }
        : null,
      progress: {
        rule,
        figure,
        next: next ? { name: next.name, threshold: next.threshold } : null,
      },
    };
  }

  list(q: MemberListQuery): MemberListView {
    const { where, args } = this.filters(q);
    const { n } = this.d.db
      .prepare(`SELECT COUNT(*) AS n FROM (${this.listSql(where)})`)
      .get(...args) as { n: number };
    const rows = this.d.db
      .prepare(`${this.listSql(where)} ORDER BY m.joined_at DESC, m.id LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset) as ListRow[];
    return {
      members: rows.map((r) => this.listView(r)),
      total: n,
      limit: q.limit,
      offset: q.offset,
    };
  }

  /**
   * The member list as CSV for the owner, phones and birthdays masked unless asked for in full;
   * the export and what was asked are in the audit log, in the same write as it is read.
   */
  exportCsv(q: MemberExportQuery, actor: Actor): { csv: string; rows: number } {
    const { where, args } = this.filters(q);
    const rows = this.d.db
      .prepare(`${this.listSql(where)} ORDER BY m.joined_at, m.id`)
      .all(...args) as ListRow[];
    const { full, ...filters } = q;
    this.d.audit.record({
      actor,
      action: 'member.export',
      target: null,
      after: { filters, full: full === '1', rows: rows.length },
    });
    return {
      csv: memberCsv(
        rows.map((r) => this.listView(r)),
        full === '1',
      ),
      rows: rows.length,
    };
  }

  /** A member as the cloud is told: the list's figures and what the level gives; undefined if none. */
  card(memberId: string):
    | (MemberView & {
        privileges: {
          roomPercentOff: number;
          itemPercentOff: number;
          extraBookingDays: number;
        } | null;
      })
    | undefined {
    const m = this.d.records.find(memberId);
    if (!m) return undefined;
    const level = this.d.settings.level(m.level_id);
    return {
      ...this.view(m),
      privileges: level
        ? {
            roomPercentOff: level.roomPercentOff,
            itemPercentOff: level.itemPercentOff,
            extraBookingDays: level.extraBookingDays,
          }
        : null,
    };
  }

  private view(m: MemberRow): MemberView {
    const f = this.d.activity.figures(m.id);
    return this.listView({
      ...m,
      spend: f.spend,
      visits: f.visits,
      last_visit: f.lastVisitAt,
      points: this.d.points.balance(m.id),
      wallet: this.walletOf(m.phone),
    });
  }

  private listView(r: ListRow): MemberView {
    const tz = this.d.timeZone();
    const level = this.d.settings.level(r.level_id);
    return {
      id: r.id,
      phone: r.phone,
      name: r.name,
      birthday: r.birthday,
      level: level ? { id: level.id, name: level.name } : null,
      joinedAt: formatInstant(r.joined_at, tz),
      points: r.points,
      totalSpend: r.spend,
      visits: r.visits,
      lastVisitAt: r.last_visit === null ? null : formatInstant(r.last_visit, tz),
      ...(r.wallet === undefined || r.wallet === null ? {} : { wallet: r.wallet }),
    };
  }

  /** The wallet's balance: its ledger's sum by phone. */
  private walletOf(phone: string): number {
    return (
      this.d.db
        .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM wallet_moves WHERE phone = ?')
        .get(phone) as { s: number }
    ).s;
  }

  private listSql(where: string[]): string {
    const wallet =
      ', (SELECT COALESCE(SUM(w.amount), 0) FROM wallet_moves w WHERE w.phone = m.phone) AS wallet';
    return `SELECT * FROM (
      SELECT m.*, COALESCE(a.spend, 0) AS spend, COALESCE(a.visits, 0) AS visits, a.last_visit,
             COALESCE(p.points, 0) AS points ${wallet}
        FROM members m
        LEFT JOIN (SELECT member_id, SUM(spend) AS spend, SUM(visit) AS visits,
                          MAX(CASE WHEN visit > 0 THEN at END) AS last_visit
                     FROM member_activity GROUP BY member_id) a ON a.member_id = m.id
        LEFT JOIN (SELECT member_id, SUM(points) AS points FROM member_points GROUP BY member_id) p
          ON p.member_id = m.id) m
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  }

  private filters(q: Omit<MemberListQuery, 'limit' | 'offset'>): {
    where: string[];
    args: (string | number)[];
  } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, ...v: (string | number)[]) => {
      where.push(sql);
      args.push(...v);
    };
    const tz = this.d.timeZone();
    if (q.levelId) add('m.level_id = ?', q.levelId);
    if (q.spendMin !== undefined) add('m.spend >= ?', q.spendMin);
    if (q.spendMax !== undefined) add('m.spend <= ?', q.spendMax);
    if (q.lastVisitFrom) add('m.last_visit >= ?', instantAt(q.lastVisitFrom, 0, tz));
    if (q.lastVisitTo) add('m.last_visit < ?', instantAt(nextLocalDate(q.lastVisitTo), 0, tz));
    if (q.phone) add(`instr(m.phone, ?) > 0`, q.phone);
    return { where, args };
  }
}

interface ListRow extends MemberRow {
  spend: number;
  visits: number;
  last_visit: number | null;
  points: number;
  wallet?: number | null | undefined;
}
