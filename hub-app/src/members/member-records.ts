// Rows of `members` and `member_level_changes`: the only module that writes them. A member is a
// customer by phone; every change of their level goes through `setLevel`, which writes the
// history entry with its cause and reason in the same transaction. Services decide; this module
// records. It never counts points or spend.
import {
  formatInstant,
  notFound,
  type Actor,
  type Clock,
  type LevelChangeView,
  type MemberLevel,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface MemberRow {
  id: string;
  phone: string;
  name: string | null;
  birthday: string | null;
  level_id: string | null;
  joined_at: number;
  /**
   * `online`: they asked to join, or claimed a coupon, through the cloud; `counter`: they claimed
   * or exchanged a coupon at the kiosk or the counter.
   */
  joined_by: 'booking' | 'staff' | 'top_up' | 'online' | 'counter';
  updated_at: number;
}

export class MemberRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: NewId,
    private readonly timeZone: () => string,
    private readonly outbox: Outbox,
  ) {}

  find(id: string): MemberRow | undefined {
    return this.db.prepare('SELECT * FROM members WHERE id = ?').get(id) as MemberRow | undefined;
  }

  byPhone(phone: string): MemberRow | undefined {
    return this.db.prepare('SELECT * FROM members WHERE phone = ?').get(phone) as
      MemberRow | undefined;
  }

  /** By id, or by the phone number (how the counter finds a customer). */
  get(idOrPhone: string, field = 'id'): MemberRow {
    const row = this.find(idOrPhone) ?? this.byPhone(idOrPhone);
    if (!row) throw notFound('member', idOrPhone, field);
    return row;
  }

  /** The member with this phone, made now if they are new. Runs inside a write. */
  join(phone: string, name: string | null, by: MemberRow['joined_by']): MemberRow {
    const known = this.byPhone(phone);
    if (known) {
      if (known.name === null && name) {
        this.db
          .prepare('UPDATE members SET name = ?, updated_at = ? WHERE id = ?')
          .run(name, this.clock.now(), known.id);
        this.outbox.markMember(known.id);
        return this.find(known.id)!;
      }
      return known;
    }
    const now = this.clock.now();
    const id = this.newId();
    this.db
      .prepare(
        `INSERT INTO members (id, phone, name, birthday, level_id, joined_at, joined_by, updated_at)
         VALUES (?, ?, ?, NULL, NULL, ?, ?, ?)`,
      )
      .run(id, phone, name, now, by, now);
    this.outbox.markMember(id);
    this.outbox.markMemberSettings();
    return this.find(id)!;
  }

  setProfile(id: string, p: { name?: string | null; birthday?: string | null }): void {
    const row = this.get(id);
    this.db
      .prepare('UPDATE members SET name = ?, birthday = ?, updated_at = ? WHERE id = ?')
      .run(
        p.name === undefined ? row.name : p.name,
        p.birthday === undefined ? row.birthday : p.birthday,
        this.clock.now(),
        id,
      );
    this.outbox.markMember(id);
  }

  /** Moves a member's level and records from what, to what, why and by whom. */
  setLevel(
    row: MemberRow,
    from: MemberLevel | null,
    to: MemberLevel | null,
    cause: 'rule' | 'staff',
    reason: string,
    actor: Actor,
  ): void {
    const now = this.clock.now();
    this.db
      .prepare('UPDATE members SET level_id = ?, updated_at = ? WHERE id = ?')
      .run(to?.id ?? null, now, row.id);
    this.outbox.markMember(row.id);
    // How many hold each level is in the published settings.
    this.outbox.markMemberSettings();
    this.db
      .prepare(
        `INSERT INTO member_level_changes (member_id, from_level, to_level, from_name, to_name, cause, reason, actor_kind, actor_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        from?.id ?? row.level_id,
        to?.id ?? null,
        from?.name ?? null,
        to?.name ?? null,
        cause,
        reason,
        actor.kind,
        actor.id,
        now,
      );
  }

  levelHistory(memberId: string): LevelChangeView[] {
    const rows = this.db
      .prepare('SELECT * FROM member_level_changes WHERE member_id = ? ORDER BY id')
      .all(memberId) as {
      from_level: string | null;
      to_level: string | null;
      from_name: string | null;
      to_name: string | null;
      cause: 'rule' | 'staff';
      reason: string;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    const tz = this.timeZone();
    const level = (id: string | null, name: string | null) =>
      id === null ? null : { id, name: name ?? '' };
    return rows.map((r) => ({
      from: level(r.from_level, r.from_name),
      to: level(r.to_level, r.to_name),
      cause: r.cause,
      reason: r.reason,
      actor: { kind: r.actor_kind, id: r.actor_id },
      at: formatInstant(r.at, tz),
    }));
  }

  /** Members whose birthday is `monthDay` (MM-DD). */
  bornOn(monthDays: readonly string[]): MemberRow[] {
    if (monthDays.length === 0) return [];
    return this.db
      .prepare(
        `SELECT * FROM members WHERE birthday IS NOT NULL AND substr(birthday, 6) IN (${monthDays.map(() => '?').join(',')})`,
      )
      .all(...monthDays) as MemberRow[];
  }
}
