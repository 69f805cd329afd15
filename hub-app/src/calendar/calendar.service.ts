// Day types for pricing: the official Chinese calendar, overridden day by day by the owner (the
// next year's schedule is published late in the year). Owns `calendar_overrides`. An override is
// published to the cloud with the store's profile (the cloud quotes with it) and announced live.
import {
  makeDayTypeResolver,
  nextLocalDate,
  officialDayType,
  type Actor,
  type CalendarDay,
  type Clock,
  type DayType,
  type LocalDate,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Outbox } from '../sync/outbox';

export interface CalendarDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  events: EventBus;
}

export class CalendarService {
  private overrides: Map<LocalDate, { type: DayType; note: string | null }> | null = null;
  private cachedResolver: ((date: LocalDate) => DayType) | null = null;

  private readonly db: Db;

  constructor(private readonly d: CalendarDeps) {
    this.db = d.db;
  }

  private load(): Map<LocalDate, { type: DayType; note: string | null }> {
    if (!this.overrides) {
      const rows = this.db.prepare('SELECT date, day_type, note FROM calendar_overrides').all() as {
        date: string;
        day_type: DayType;
        note: string | null;
      }[];
      this.overrides = new Map(rows.map((r) => [r.date, { type: r.day_type, note: r.note }]));
    }
    return this.overrides;
  }

  /** The resolver pricing uses: the owner's override first, then the official calendar. */
  resolver(): (date: LocalDate) => DayType {
    if (!this.cachedResolver) {
      this.cachedResolver = makeDayTypeResolver(this.overridesByDate());
    }
    return this.cachedResolver;
  }

  list(from: LocalDate, to: LocalDate): CalendarDay[] {
    const map = this.load();
    const days: CalendarDay[] = [];
    for (let d = from; d <= to; d = nextLocalDate(d)) {
      const o = map.get(d);
      days.push(
        o
          ? { date: d, type: o.type, source: 'override', note: o.note }
          : { date: d, type: officialDayType(d), source: 'official', note: null },
      );
    }
    return days;
  }

  set(
    date: LocalDate,
    type: DayType,
    note: string | null,
    actor: Actor,
    afterCommit: AfterCommit,
  ): CalendarDay {
    this.db
      .prepare(
        `INSERT INTO calendar_overrides (date, day_type, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(date) DO UPDATE SET day_type = excluded.day_type, note = excluded.note,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(date, type, note, actor.id, this.d.clock.now());
    this.changed(date, afterCommit);
    return { date, type, source: 'override', note };
  }

  /** The official calendar applies to `date` again. */
  remove(date: LocalDate, afterCommit: AfterCommit): CalendarDay {
    this.db.prepare('DELETE FROM calendar_overrides WHERE date = ?').run(date);
    this.changed(date, afterCommit);
    return { date, type: officialDayType(date), source: 'official', note: null };
  }

  private changed(date: LocalDate, afterCommit: AfterCommit): void {
    this.overrides = null;
    this.cachedResolver = null;
    this.d.outbox.markStoreProfile();
    const at = this.d.clock.now();
    afterCommit(() => this.d.events.emit({ type: 'calendar.changed', date, at }));
  }

  /** The owner's overrides, date to day type, for the cloud's quotes. */
  overridesByDate(): Record<LocalDate, DayType> {
    return Object.fromEntries([...this.load()].map(([d, o]) => [d, o.type]));
  }

  /** The overrides' notes, for the days that have one. */
  notesByDate(): Record<LocalDate, string> {
    return Object.fromEntries(
      [...this.load()].flatMap(([d, o]) => (o.note ? [[d, o.note] as const] : [])),
    );
  }

  invalidate(): void {
    this.overrides = null;
    this.cachedResolver = null;
  }
}
