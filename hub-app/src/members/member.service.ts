// Members (C11, O6): a customer becomes a member of the store when their first booking is paid
// (kiosk, counter, or an online booking the hub confirms); their spend, visits and points are
// counted when a booking completes or an order is delivered, and taken back when money goes back
// afterwards (never below zero); their level moves up by the owner's rule in the same write, or by
// hand with a reason; points expire oldest first and birthday gifts are given by a daily job
// (member-daily-job.ts); points are spent on orders, room time and coupons exchanged for them.
// Writes members through MemberRecords, points through PointsLedger, spend and visits through
// MemberActivity. Never moves money, never changes a booking or an order.
import {
  DomainError,
  figureOf,
  levelUp,
  type Actor,
  type Clock,
  type LevelRule,
  type MemberDetailView,
  type MemberFigures,
  type MemberLevel,
  type MemberLevelsPutSchema,
  type MemberPatchSchema,
  type MemberRules,
  type MemberSettingsView,
  type PointsAdjustSchema,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import { logger } from '../log';
import type { AuditLog } from '../audit/audit-log';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Ledger } from '../payments/ledger';
import type { Scheduler } from '../scheduler/scheduler';
import type { Outbox } from '../sync/outbox';
import type { MemberActivity } from './member-activity';
import { MemberDailyJob } from './member-daily-job';
import type { MemberRecords, MemberRow } from './member-records';
import type { MemberSettings } from './member-settings';
import type { MemberViews } from './member-views';
import type { PointsLedger } from './points-ledger';

export { MEMBERS_DAILY_JOB } from './member-daily-job';

const MEMBERS: Actor = { kind: 'system', id: 'members' };

export interface MemberServiceDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  /** The store's profile tells the cloud what a point is worth. */
  outbox: Outbox;
  writes: WriteQueue;
  scheduler: Scheduler;
  events: EventBus;
  audit: AuditLog;
  bookings: BookingRecords;
  ledger: Ledger;
  records: MemberRecords;
  points: PointsLedger;
  activity: MemberActivity;
  settings: MemberSettings;
  views: MemberViews;
  timeZone: () => string;
}

export class MemberService {
  private readonly dailyJob: MemberDailyJob;

  constructor(private readonly d: MemberServiceDeps) {
    this.dailyJob = new MemberDailyJob({
      ...d,
      actor: MEMBERS,
      expiryFrom: (at) => this.expiryFrom(at),
      countBooking: (row, actor) => this.countBooking(row, actor),
      countOrder: (orderId, actor) => this.countOrder(orderId, actor),
    });
  }

  /**
   * Hooks the members domain to bookings (in the write of each transition), to orders (after a
   * delivery or refund is committed; the daily job catches up on any missed) and the daily job.
   * Call once.
   */
  register(): void {
    this.d.bookings.onTransition(({ row, action, actor }) =>
      this.guarded(() => this.bookingMoved(row, action, actor)),
    );
    this.d.events.subscribe((e) => {
      if (e.type !== 'order.status' || (e.status !== 'delivered' && e.status !== 'refunded'))
        return;
      if (!this.orderOfMember(e.orderId)) return;
      void this.d.writes
        .run(() => this.countOrder(e.orderId, MEMBERS))
        .catch((err: unknown) =>
          logger().error({ err }, 'counting an order for its member failed'),
        );
    });
    this.dailyJob.register();
  }

  // ---- joining and counting --------------------------------------------------------------------

  /** The member with this phone, made a member now if they are not yet. Runs inside a write. */
  join(
    phone: string,
    name: string | null,
    by: MemberRow['joined_by'],
    actor: Actor = MEMBERS,
  ): MemberRow {
    const known = this.d.records.byPhone(phone);
    const member = this.d.records.join(phone, name, by);
    // A level with no threshold is the one every member starts at.
    if (!known) this.evaluate(member.id, actor);
    return member;
  }

  /**
   * The wallet credited a top-up of `principalFen` to `phone`: the "single top-up" level rule
   * counts it. Runs inside the write that credits it.
   */
  noteTopUp(phone: string, principalFen: number, actor: Actor): void {
    if (principalFen <= 0) return;
    const member = this.join(phone, null, 'top_up', actor);
    this.d.activity.append(member.id, `top_up:${this.d.newId()}`, {
      spend: 0,
      visit: 0,
      topUp: principalFen,
    });
    this.evaluate(member.id, actor);
  }

  /** A booking moved: its customer joins when it is paid; a completed one counts. */
  private bookingMoved(row: BookingRow, action: string, actor: Actor): void {
    if (action === 'pay' || row.status === 'completed') {
      this.join(row.customer_phone, row.customer_name, 'booking', actor);
    }
    this.countBooking(row, actor);
  }

  /**
   * Brings what a booking counted (spend, visit, points) to what it is worth now: counted once it
   * completed, less what went back since. Idempotent: a second call changes nothing.
   */
  countBooking(row: BookingRow, actor: Actor): void {
    const member = this.d.records.byPhone(row.customer_phone);
    if (!member) return;
    const ref = `booking:${row.id}`;
    const counted = this.d.activity.ofRef(member.id, ref);
    const completed =
      row.status === 'completed' ||
      this.d.db
        .prepare(
          `SELECT 1 FROM booking_events WHERE booking_id = ? AND to_status = 'completed' LIMIT 1`,
        )
        .get(row.id) !== undefined;
    if (!completed && counted.rows === 0) return;
    const money = Math.max(
      0,
      this.d.ledger.balanceOf(row).refundable - this.d.ledger.voucherPaid(row.id),
    );
    const visited =
      this.d.db
        .prepare(`SELECT 1 FROM booking_events WHERE booking_id = ? AND action = 'finish' LIMIT 1`)
        .get(row.id) !== undefined;
    this.settle(member, ref, { spend: money, visit: visited ? 1 : 0 }, actor);
  }

  /** Whether an order is a member's: their booking's, or one the counter named them for. */
  private orderOfMember(orderId: string): boolean {
    return (
      this.d.db
        .prepare(
          `SELECT 1 FROM orders o LEFT JOIN bookings b ON b.id = o.booking_id
             JOIN members m ON m.phone = COALESCE(o.member_phone, b.customer_phone) WHERE o.id = ?`,
        )
        .get(orderId) !== undefined
    );
  }

  /** Brings what a member's order delivered counted to what it is worth now. */
  countOrder(orderId: string, actor: Actor): void {
    const order = this.d.db
      .prepare(
        `SELECT o.id, COALESCE(o.member_phone, b.customer_phone) AS phone,
                EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'deliver') AS delivered,
                (SELECT COALESCE(SUM(amount), 0) FROM order_money m WHERE m.order_id = o.id AND m.method <> 'points') AS money
           FROM orders o LEFT JOIN bookings b ON b.id = o.booking_id WHERE o.id = ?`,
      )
      .get(orderId) as
      { id: string; phone: string | null; delivered: 0 | 1; money: number } | undefined;
    if (!order?.phone) return;
    const member = this.d.records.byPhone(order.phone);
    if (!member) return;
    const ref = `order:${order.id}`;
    if (!order.delivered && this.d.activity.ofRef(member.id, ref).rows === 0) return;
    this.settle(
      member,
      ref,
      { spend: order.delivered ? Math.max(0, order.money) : 0, visit: 0 },
      actor,
    );
  }

  /**
   * Appends the difference between what `ref` counted and what it is worth, earns or takes back
   * its points at the rate they were earned, and moves the level up by the rule. Runs inside a
   * write; a second call with the same worth changes nothing.
   */
  settle(
    member: MemberRow,
    ref: string,
    worth: { spend: number; visit: number },
    actor: Actor,
  ): void {
    const counted = this.d.activity.ofRef(member.id, ref);
    this.d.activity.append(member.id, ref, {
      spend: worth.spend - counted.spend,
      visit: worth.visit - counted.visit,
    });
    const earned = this.d.points
      .ofRef(ref, ['earned', 'taken_back'])
      .find((e) => e.memberId === member.id);
    const rate = earned?.rate ?? this.d.settings.rules().pointsPerYuan;
    const target = Math.floor((worth.spend * rate) / 100);
    const accounted = (earned?.points ?? 0) - (earned?.forgone ?? 0);
    if (target > accounted) {
      this.d.points.append({
        memberId: member.id,
        kind: 'earned',
        points: target - accounted,
        ref,
        rate,
        reason: `${rate} point(s) per yuan spent`,
        expiresAt: this.expiryFrom(this.d.clock.now()),
        actor,
      });
    } else if (target < accounted) {
      const want = accounted - target;
      const take = Math.min(want, this.d.points.balance(member.id));
      this.d.points.append({
        memberId: member.id,
        kind: 'taken_back',
        points: -take,
        ref,
        forgone: want - take,
        reason: 'money given back after it earned points',
        actor,
      });
    }
    this.evaluate(member.id, actor);
  }

  // ---- levels ----------------------------------------------------------------------------------

  figures(memberId: string): MemberFigures & { lastVisitAt: number | null } {
    return { ...this.d.activity.figures(memberId), pointsEarned: this.d.points.earned(memberId) };
  }

  /** Moves the member up to the level the rule gives them now, with why. Runs inside a write. */
  private evaluate(memberId: string, actor: Actor): void {
    const levels = this.d.settings.levels();
    if (levels.length === 0) return;
    const member = this.d.records.find(memberId)!;
    const rule = this.d.settings.rules().levelRule;
    const figure = figureOf(rule, this.figures(memberId));
    const to = levelUp(levels, member.level_id, figure);
    if (!to) return;
    const from = this.d.settings.level(member.level_id);
    this.d.records.setLevel(member, from, to, 'rule', reached(rule, figure, to), actor);
  }

  // ---- points ----------------------------------------------------------------------------------

  /** What one point takes off a bill now, fen (0: points cannot be spent). */
  fenPerPointNow(): number {
    return this.d.settings.rules().fenPerPoint;
  }

  pointsOf(phone: string): number {
    const m = this.d.records.byPhone(phone);
    return m ? this.d.points.balance(m.id) : 0;
  }

  /** Spends a member's points on what `ref` names. Runs inside the write of the payment. */
  spendPoints(phone: string, points: number, ref: string, actor: Actor, field = 'points'): void {
    const member = this.d.records.byPhone(phone);
    if (!member) {
      throw new DomainError(
        'conflict',
        'not_a_member',
        'this phone number is not a member of the store: no points to spend',
        field,
      );
    }
    const fenPerPoint = this.d.settings.rules().fenPerPoint;
    if (fenPerPoint <= 0) {
      throw new DomainError(
        'conflict',
        'points_not_spendable',
        'the store does not take points as payment',
        field,
      );
    }
    if (!Number.isInteger(points) || points <= 0) {
      throw new DomainError('invalid', 'points_not_whole', 'spend a whole number of points', field);
    }
    const balance = this.d.points.balance(member.id);
    if (points > balance) {
      throw new DomainError(
        'conflict',
        'points_short',
        `the member has ${balance} points, not the ${points} needed`,
        field,
      ).with({ balance, points });
    }
    this.d.points.append({
      memberId: member.id,
      kind: 'spent',
      points: -points,
      ref,
      rate: fenPerPoint,
      reason: `worth ${points * fenPerPoint} fen`,
      actor,
    });
  }

  /**
   * Spends a member's points on a coupon exchanged for them: its price in points, whatever a point
   * takes off a bill. Once per coupon (a replayed exchange takes nothing more). Runs inside the
   * write that issues the coupon; answers the points left.
   */
  spendOnCoupon(phone: string, points: number, couponId: string, actor: Actor): number {
    const member = this.d.records.byPhone(phone);
    const balance = member ? this.d.points.balance(member.id) : 0;
    const key = `exchange:coupon:${couponId}`;
    if (member && this.d.db.prepare('SELECT 1 FROM member_points WHERE key = ?').get(key)) {
      return balance;
    }
    if (!member || points > balance) {
      throw new DomainError(
        'conflict',
        'points_short',
        `the member has ${balance} points, not the ${points} needed`,
        'phone',
      ).with({ balance, points });
    }
    this.d.points.append({
      memberId: member.id,
      kind: 'spent',
      points: -points,
      ref: `coupon:${couponId}`,
      key,
      reason: 'exchanged for a coupon',
      actor,
    });
    return balance - points;
  }

  /**
   * Gives back points spent on `ref`, up to `points` (all that is still out when left out).
   * Idempotent: what went back is not given twice. Runs inside the write.
   */
  returnPoints(ref: string, actor: Actor, points?: number): void {
    for (const out of this.d.points.ofRef(ref, ['spent', 'given_back'])) {
      const back = Math.min(-out.points, points ?? Number.MAX_SAFE_INTEGER);
      if (back <= 0) continue;
      this.d.points.append({
        memberId: out.memberId,
        kind: 'given_back',
        points: back,
        ref,
        reason: 'what the points paid for was given back',
        expiresAt: this.expiryFrom(this.d.clock.now()),
        actor,
      });
    }
  }

  /** The fen one point was worth when spent on `ref`, and how many points are still out on it. */
  spentOn(ref: string): { points: number; fenPerPoint: number } {
    const out = this.d.points.ofRef(ref, ['spent', 'given_back'])[0];
    return { points: out ? -out.points : 0, fenPerPoint: out?.rate ?? 0 };
  }

  /** Points added or taken off by hand, with why; once per request id. Runs inside a write. */
  adjust(
    idOrPhone: string,
    input: z.output<typeof PointsAdjustSchema>,
    actor: Actor,
  ): MemberDetailView {
    const member = this.d.records.get(idOrPhone);
    const balance = this.d.points.balance(member.id);
    const key = input.requestId ? `adjust:${input.requestId}` : null;
    if (key && this.d.db.prepare('SELECT 1 FROM member_points WHERE key = ?').get(key)) {
      return this.d.views.detail(member.id);
    }
    if (balance + input.points < 0) {
      throw new DomainError(
        'conflict',
        'points_short',
        `the member has ${balance} points: at most ${balance} can be taken off`,
        'points',
      ).with({ balance, points: -input.points });
    }
    this.d.points.append({
      memberId: member.id,
      kind: 'adjusted',
      points: input.points,
      key,
      reason: input.reason,
      expiresAt: input.points > 0 ? this.expiryFrom(this.d.clock.now()) : null,
      actor,
    });
    return this.d.views.detail(member.id);
  }

  /** The phones of members born on `monthDay` (MM-DD), for birthday campaigns. */
  phonesWithBirthday(monthDay: string): string[] {
    return this.d.records.bornOn([monthDay]).map((m) => m.phone);
  }

  /** Members whose last visit was before `before`, with it, for win-back campaigns. */
  absentSince(before: number): { phone: string; lastVisitAt: number }[] {
    return this.d.activity.absentSince(before);
  }

  // ---- points expiry ---------------------------------------------------------------------------

  private expiryFrom(at: number): number | null {
    const months = this.d.settings.rules().pointsExpireMonths;
    if (months === null) return null;
    const t = new Date(at);
    t.setUTCMonth(t.getUTCMonth() + months);
    return t.getTime();
  }

  // ---- the owner's settings --------------------------------------------------------------------

  settingsView(): MemberSettingsView {
    const counts = new Map(
      (
        this.d.db
          .prepare('SELECT level_id AS id, COUNT(*) AS n FROM members GROUP BY level_id')
          .all() as { id: string | null; n: number }[]
      ).map((r) => [r.id, r.n]),
    );
    return {
      rules: this.d.settings.rules(),
      levels: this.d.settings.levels().map((l) => ({ ...l, members: counts.get(l.id) ?? 0 })),
    };
  }

  /** New rules; every member moves up to what they reach by them now. Runs inside a write. */
  putRules(rules: MemberRules, actor: Actor): MemberSettingsView {
    this.d.settings.putRules(rules);
    // The cloud prices points online with the store's published worth of a point.
    this.d.outbox.markStoreProfile();
    this.d.outbox.markMemberSettings();
    this.evaluateAll(actor);
    return this.settingsView();
  }

  /** New levels; every member moves up to what they reach now. Runs inside a write. */
  putLevels(input: z.output<typeof MemberLevelsPutSchema>, actor: Actor): MemberSettingsView {
    this.d.settings.putLevels(input);
    this.d.outbox.markMemberSettings();
    this.evaluateAll(actor);
    return this.settingsView();
  }

  /**
   * The rules and the levels together, as the owner's card saves them: both kept first, then every
   * member moved up once by the new rule against the new thresholds (set one at a time, members
   * would be moved by a mix of the old and the new, and a move up is never taken back). A level
   * members hold is refused before anything is kept. Runs inside a write.
   */
  putSettings(
    rules: MemberRules,
    input: z.output<typeof MemberLevelsPutSchema>,
    actor: Actor,
    seenLevelIds?: readonly string[],
  ): MemberSettingsView {
    if (seenLevelIds) this.d.settings.assertLevelsAre(seenLevelIds);
    this.d.settings.putLevels(input);
    this.d.settings.putRules(rules);
    this.d.outbox.markStoreProfile();
    this.d.outbox.markMemberSettings();
    this.evaluateAll(actor);
    return this.settingsView();
  }

  private evaluateAll(actor: Actor): void {
    const ids = this.d.db.prepare('SELECT id FROM members').pluck().all() as string[];
    for (const id of ids) this.evaluate(id, actor);
  }

  // ---- members ---------------------------------------------------------------------------------

  /** A profile change; a level given by hand (up or down) is recorded with its reason. */
  patch(
    idOrPhone: string,
    input: z.output<typeof MemberPatchSchema>,
    actor: Actor,
  ): MemberDetailView {
    const member = this.d.records.get(idOrPhone);
    const profile: { name?: string | null; birthday?: string | null } = {};
    if (input.name !== undefined) profile.name = input.name;
    if (input.birthday !== undefined) profile.birthday = input.birthday;
    if (Object.keys(profile).length > 0) this.d.records.setProfile(member.id, profile);
    if (input.levelId !== undefined && input.levelId !== member.level_id) {
      const to = input.levelId === null ? null : this.d.settings.level(input.levelId);
      if (input.levelId !== null && !to) {
        throw new DomainError(
          'invalid',
          'level_unknown',
          'this level is not one of the store’s levels',
          'levelId',
        );
      }
      this.d.records.setLevel(
        member,
        this.d.settings.level(member.level_id),
        to,
        'staff',
        input.reason!,
        actor,
      );
    }
    return this.d.views.detail(member.id);
  }

  /**
   * Runs a members' step inside someone else's write (a booking's transition) in a savepoint of
   * its own: a fault here is logged and undone, never the booking's change with it.
   */
  private guarded(fn: () => void): void {
    this.d.db.exec('SAVEPOINT members');
    try {
      fn();
      this.d.db.exec('RELEASE members');
    } catch (err) {
      this.d.db.exec('ROLLBACK TO members');
      this.d.db.exec('RELEASE members');
      logger().error({ err }, 'members: counting a booking failed; the booking went ahead');
    }
  }
}

/** Why a level was reached by the rule, in words the owner reads in the history. */
function reached(rule: LevelRule, figure: number, level: MemberLevel): string {
  const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
  switch (rule) {
    case 'spend':
      return `total spend ${yuan(figure)} reached ${level.name} (${yuan(level.threshold)})`;
    case 'visits':
      return `${figure} visits reached ${level.name} (${level.threshold})`;
    case 'points':
      return `${figure} points earned reached ${level.name} (${level.threshold})`;
    case 'top_up':
      return `a top-up of ${yuan(figure)} reached ${level.name} (${yuan(level.threshold)})`;
  }
}
