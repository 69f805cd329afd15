// Day types for pricing: the official Chinese calendar, overridden day by day by the owner (the
// next year's schedule is published late in the year). Owns `calendar_overrides`.
import {
  makeDayTypeResolver,
  nextLocalDate,
  officialDayType,
  type DayType,
  type LocalDate,
} from '@roomhub/shared-types';
import type { Clock } from '../clock';
import type { Db } from '../db/database';

export interface CalendarDay {
  date: LocalDate;
  type: DayType;
  source: 'official' | 'override';
  note: string | null;
}

export class CalendarService {
  private overrides: Map<LocalDate, { type: DayType; note: string | null }> | null = null;
  private cachedResolver: ((date: LocalDate) => DayType) | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

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
      const map = this.load();
      this.cachedResolver = makeDayTypeResolver(
        Object.fromEntries([...map].map(([d, o]) => [d, o.type])),
      );
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

  set(date: LocalDate, type: DayType, note: string | null, by: string): CalendarDay {
    this.db
      .prepare(
        `INSERT INTO calendar_overrides (date, day_type, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(date) DO UPDATE SET day_type = excluded.day_type, note = excluded.note,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(date, type, note, by, this.clock.now());
    this.overrides = null;
    this.cachedResolver = null;
    return { date, type, source: 'override', note };
  }

  remove(date: LocalDate): CalendarDay {
    this.db.prepare('DELETE FROM calendar_overrides WHERE date = ?').run(date);
    this.overrides = null;
    this.cachedResolver = null;
    return { date, type: officialDayType(date), source: 'official', note: null };
  }

  invalidate(): void {
    this.overrides = null;
    this.cachedResolver = null;
  }
}
