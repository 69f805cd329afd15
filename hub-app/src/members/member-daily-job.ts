// The members' daily job, run for each store day five minutes after its midnight: points whose
// time is up expire, members born that day get their level's birthday gift (once a year), and
// money that went back without a status change (a staff refund in part) takes back what it
// counted. Each run schedules the next. Every step is idempotent, so a run repeated after a
// restart gives nothing twice. Never decides what a booking or an order is worth: the member
// service does, and this job only asks it again.
import {
  instantAt,
  localDateOf,
  nextLocalDate,
  type Actor,
  type Clock,
} from '@roomhub/shared-types';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import type { MemberRecords } from './member-records';
import type { MemberSettings } from './member-settings';
import type { PointsLedger } from './points-ledger';

/** The daily job: points that expire, birthday gifts, refunds made without a status change. */
export const MEMBERS_DAILY_JOB = 'members.daily';
const DAILY_REF = 'daily';
/** The daily job runs five minutes after the store's midnight. */
const DAILY_MINUTE = 5;
const DAY = 86_400_000;

export interface MemberDailyJobDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  scheduler: Scheduler;
  bookings: BookingRecords;
  records: MemberRecords;
  points: PointsLedger;
  settings: MemberSettings;
  timeZone: () => string;
  /** Who the job's movements are by. */
  actor: Actor;
  /** When points given at `at` expire, by the owner's rule; null when they never do. */
  expiryFrom: (at: number) => number | null;
  /** Brings what a booking counted to what it is worth now (the member service). */
  countBooking: (row: BookingRow, actor: Actor) => void;
  /** Brings what a member's order counted to what it is worth now (the member service). */
  countOrder: (orderId: string, actor: Actor) => void;
}

export class MemberDailyJob {
  constructor(private readonly d: MemberDailyJobDeps) {}

  /** Hooks the job to the scheduler. Call once. */
  register(): void {
    this.d.scheduler.on(MEMBERS_DAILY_JOB, (job) => this.d.writes.run(() => this.daily(job.dueAt)));
    // The first run is at once (the store's zone may not be set yet); each run sets the next.
    if (this.d.scheduler.pending(MEMBERS_DAILY_JOB).length === 0) {
      this.d.scheduler.schedule(MEMBERS_DAILY_JOB, DAILY_REF, this.d.clock.now());
    }
  }

  /**
   * Run for the day the job was due: points whose time is up expire, members born on that day
   * get their level's gift (once a year), and money that went back without a status change (a
   * staff refund in part) takes back its points. Moves itself to the next day.
   */
  private daily(dueAt: number): void {
    this.expire(dueAt);
    this.birthdays(localDateOf(dueAt, this.d.timeZone()));
    this.catchUp(dueAt - 2 * DAY, dueAt);
    this.d.scheduler.schedule(MEMBERS_DAILY_JOB, DAILY_REF, this.nextDaily(dueAt));
  }

  private expire(at: number): void {
    for (const e of this.d.points.expiringAt(at)) {
      this.d.points.append({
        memberId: e.memberId,
        kind: 'expired',
        points: -e.points,
        reason: `points earned more than ${this.d.settings.rules().pointsExpireMonths ?? '?'} months ago`,
        actor: this.d.actor,
      });
    }
  }

  private birthdays(today: string): void {
    const [y, m, d] = today.split('-') as [string, string, string];
    const leap = Number(y) % 4 === 0 && (Number(y) % 100 !== 0 || Number(y) % 400 === 0);
    // Born on 29 February: celebrated on the 28th in a year without one.
    const days = m === '02' && d === '28' && !leap ? ['02-28', '02-29'] : [`${m}-${d}`];
    for (const member of this.d.records.bornOn(days)) {
      const level = this.d.settings.level(member.level_id);
      if (!level || level.birthdayPoints <= 0) continue;
      this.d.points.append({
        memberId: member.id,
        kind: 'gift',
        points: level.birthdayPoints,
        key: `birthday:${member.id}:${y}`,
        reason: `birthday gift of the level ${level.name}, ${y}`,
        expiresAt: this.d.expiryFrom(this.d.clock.now()),
        actor: this.d.actor,
      });
    }
  }

  private catchUp(from: number, to: number): void {
    const bookings = this.d.db
      .prepare(
        `SELECT DISTINCT booking_id AS id FROM ledger WHERE kind = 'refund' AND at >= ? AND at < ?`,
      )
      .all(from, to) as { id: string }[];
    for (const b of bookings) {
      const row = this.d.bookings.find(b.id);
      if (row) this.d.countBooking(row, this.d.actor);
    }
    const orders = this.d.db
      .prepare(
        `SELECT DISTINCT o.id FROM orders o WHERE o.updated_at >= ? AND o.updated_at < ?
         UNION SELECT DISTINCT order_id FROM order_money WHERE at >= ? AND at < ?`,
      )
      .all(from, to, from, to) as { id: string }[];
    for (const o of orders) this.d.countOrder(o.id, this.d.actor);
  }

  private nextDaily(after: number): number {
    const tz = this.d.timeZone();
    const today = localDateOf(after, tz);
    const todayAt = instantAt(today, DAILY_MINUTE, tz);
    return todayAt > after ? todayAt : instantAt(nextLocalDate(today), DAILY_MINUTE, tz);
  }
}
