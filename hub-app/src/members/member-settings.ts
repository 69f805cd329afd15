// The owner's rules for members (what earns a level, points per yuan, what a point is worth, when
// points expire) and the levels themselves. The only writer of `member_settings`. A level members
// hold cannot be removed (move them first); levels keep their ids across edits. Never moves a
// member's level or points: the member service re-evaluates on the next change it sees.
import type { MemberLevelsPutSchema } from '@roomhub/shared-types';
import {
  DEFAULT_MEMBER_RULES,
  DomainError,
  ranked,
  type MemberLevel,
  type MemberRules,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { NewId } from '../clock';
import type { Db } from '../db/database';

export class MemberSettings {
  constructor(
    private readonly db: Db,
    private readonly newId: NewId,
  ) {}

  rules(): MemberRules {
    const row = this.row();
    return row ? (JSON.parse(row.rules) as MemberRules) : DEFAULT_MEMBER_RULES;
  }

  /** Lowest first. */
  levels(): MemberLevel[] {
    const row = this.row();
    return row ? ranked(JSON.parse(row.levels) as MemberLevel[]) : [];
  }

  level(id: string | null): MemberLevel | null {
    if (id === null) return null;
    return this.levels().find((l) => l.id === id) ?? null;
  }

  putRules(rules: MemberRules): MemberRules {
    this.save(rules, this.levels());
    return rules;
  }

  /**
   * Refuses a save made from an older view: the editor started from these levels, and the store
   * now has others (one added or removed since), which the save would silently undo.
   */
  assertLevelsAre(seenIds: readonly string[]): void {
    const now = this.levels().map((l) => l.id);
    const seen = new Set(seenIds);
    if (now.length === seen.size && now.every((id) => seen.has(id))) return;
    throw new DomainError(
      'conflict',
      'levels_changed',
      'the levels were changed elsewhere since this page was opened: open it again and redo the change',
      'levels',
    );
  }

  /** Replaces the levels; one members hold must stay. Runs inside a write. */
  putLevels(input: z.output<typeof MemberLevelsPutSchema>): MemberLevel[] {
    const known = new Map(this.levels().map((l) => [l.id, l]));
    const levels = input.levels.map((l, i): MemberLevel => {
      if (l.id !== undefined && !known.has(l.id)) {
        throw new DomainError(
          'invalid',
          'level_unknown',
          'this level is not one of the store’s levels: leave its id out to add a new one',
          `levels.${i}.id`,
        );
      }
      return {
        id: l.id ?? this.newId(),
        name: l.name,
        threshold: l.threshold,
        roomPercentOff: l.roomPercentOff,
        itemPercentOff: l.itemPercentOff,
        extraBookingDays: l.extraBookingDays,
        birthdayPoints: l.birthdayPoints,
      };
    });
    const kept = new Set(levels.map((l) => l.id));
    for (const old of known.values()) {
      if (kept.has(old.id)) continue;
      const { n } = this.db
        .prepare('SELECT COUNT(*) AS n FROM members WHERE level_id = ?')
        .get(old.id) as { n: number };
      if (n > 0) {
        throw new DomainError(
          'conflict',
          'level_in_use',
          `${n} member(s) hold the level ${old.name}: move them to another level before removing it`,
          'levels',
        ).with({ name: old.name, n });
      }
    }
    this.save(this.rules(), levels);
    return ranked(levels);
  }

  private save(rules: MemberRules, levels: MemberLevel[]): void {
    this.db
      .prepare(
        `INSERT INTO member_settings (id, rules, levels) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET rules = excluded.rules, levels = excluded.levels`,
      )
      .run(JSON.stringify(rules), JSON.stringify(levels));
  }

  private row() {
    return this.db.prepare('SELECT rules, levels FROM member_settings WHERE id = 1').get() as
      { rules: string; levels: string } | undefined;
  }
}
