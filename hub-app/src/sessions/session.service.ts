// The session in the room (C7, O4): it starts at the first door open, is reminded before its end,
// ends by the store's end rule (overtime billed until the guest leaves or a cap, or the room
// switched off after a delay), early ends refund by the store's rule, and a paid booking nobody
// came to is released as a no-show. Owns `sessions` and `notifications`. Every step is a scheduled job read back from the
// database, so a restart or a power cut loses nothing. Doors, extensions and devices are their
// own modules beside this one.
import {
  blockOf,
  formatInstant,
  priceExtension,
  reminderAnnouncement,
  keepsSessionSteps,
  MINUTE,
  type Actor,
  type BookingDetail,
  type BookingRules,
  type Clock,
  type FeeLine,
  type AnnouncementKind,
  type NotificationView,
  type SessionView,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { BookingViews } from '../booking/booking-views';
import type { MemberPricing, PromotionBook } from '../booking/discount-sources';
import { assertCanAct } from '../booking/ownership';
import type { RoomPrices } from '../booking/room-prices';
import { earlyEndRefund } from '../booking/ending-early';
import type { EventBus } from '../events/event-bus';
import type { Ledger } from '../payments/ledger';
import type { Refunds } from '../payments/refunds';
import type { Scheduler } from '../scheduler/scheduler';
import type { StoreService } from '../store/store.service';

export const END_JOB = 'session.end';
export const REMIND_JOB = 'session.remind';
export const NO_SHOW_JOB = 'session.no-show';
/** At a booking's end: a session still going hears that its time is up (the room's speaker). */
export const TIME_UP_JOB = 'session.time-up';

/** Something said in the room, on its speaker where it has one. */
export type RoomAnnouncer = (a: {
  roomId: string;
  bookingId: string;
  kind: AnnouncementKind;
}) => void;

const SYSTEM: Actor = { kind: 'system', id: 'sessions' };

export interface SessionDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  records: BookingRecords;
  store: StoreService;
  prices: RoomPrices;
  ledger: Ledger;
  scheduler: Scheduler;
  events: EventBus;
  views: BookingViews;
  refunds: Refunds;
  /** The percentage-off promotions in force, off overtime as off an extension. */
  promotions: PromotionBook;
  /** The customer's member level, off overtime as off the booking's room time. */
  members: () => MemberPricing;
}

export class SessionService {
  /** When this hub started: a job due before then was due while it was off. */
  private readonly bootedAt: number;
  private announcer: RoomAnnouncer = () => undefined;

  constructor(private readonly d: SessionDeps) {
    this.bootedAt = d.clock.now();
  }

  /** Wires the session to booking transitions and the scheduler. Call once. */
  register(): void {
    this.d.records.onTransition(({ row, action }) => {
      // A refund request from a booking that is paid or in use keeps its steps until it is decided.
      if (keepsSessionSteps(row.status, row.refund_from_status)) {
        if (action !== 'request_refund') this.scheduleSteps(row);
      } else {
        this.d.scheduler.done(END_JOB, row.id);
        this.d.scheduler.done(TIME_UP_JOB, row.id);
        this.d.scheduler.cancelAll(REMIND_JOB, `${row.id}:`);
      }
      if (row.status !== 'paid') this.d.scheduler.done(NO_SHOW_JOB, row.id);
      if (['cancelled', 'refunded', 'completed'].includes(row.status)) this.close(row.id, action);
    });
    this.d.scheduler.on(END_JOB, (job) => this.d.writes.run((ac) => this.endOnTime(job.ref, ac)));
    this.d.scheduler.on(REMIND_JOB, (job) => this.d.writes.run((ac) => this.remind(job.ref, ac)));
    this.d.scheduler.on(NO_SHOW_JOB, (job) => this.d.writes.run((ac) => this.noShow(job.ref, ac)));
    this.d.scheduler.on(TIME_UP_JOB, (job) => this.d.writes.run((ac) => this.timeUp(job.ref, ac)));
  }

  /** Where reminders and the time-up are said aloud in the room (the hub wires its speakers). */
  announceWith(announcer: RoomAnnouncer): void {
    this.announcer = announcer;
  }

  private rules(roomId: string): BookingRules {
    return this.d.store.rulesFor(this.d.store.getRoom(roomId));
  }

  /**
   * When a session still going is ended by the hub: at the overtime cap, or after the switch-off
   * delay, by the store's end rule.
   */
  private endDueAt(row: BookingRow): number {
    const s = this.rules(row.room_id).session;
    const after = s.atEnd === 'bill_overtime' ? s.overtimeCapMinutes : s.offDelayMinutes;
    return row.end_at + after * MINUTE;
  }

  /** The end, the no-show check and each reminder, moved to where the booking is now. */
  scheduleSteps(row: BookingRow): void {
    const rules = this.rules(row.room_id);
    const s = rules.session;
    const now = this.d.clock.now();
    this.d.scheduler.cancelAll(REMIND_JOB, `${row.id}:`);
    this.d.scheduler.schedule(END_JOB, row.id, this.endDueAt(row));
    if (row.status === 'paid') {
      this.d.scheduler.schedule(
        NO_SHOW_JOB,
        row.id,
        row.start_at + rules.noShow.graceMinutes * MINUTE,
      );
    }
    for (const m of s.reminderMinutes) {
      const at = row.end_at - m * MINUTE;
      if (at > now) this.d.scheduler.schedule(REMIND_JOB, `${row.id}:${m}`, at);
    }
    if (row.end_at > now) this.d.scheduler.schedule(TIME_UP_JOB, row.id, row.end_at);
  }

  /** Starts the session at the first door open, in the write that authorised it. */
  startIfFirst(bookingId: string, actor: Actor, afterCommit: AfterCommit): void {
    const row = this.d.records.get(bookingId);
    if (row.status !== 'paid') return;
    this.d.db
      .prepare(
        `INSERT INTO sessions (booking_id, room_id, started_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(row.id, row.room_id, this.d.clock.now());
    this.d.records.transition(row, 'start', actor, 'in_use', afterCommit, {
      reason: 'first door open',
    });
  }

  /** When a booking's session started and ended; null before the first door open. */
  record(bookingId: string): { startedAt: number; endedAt: number | null } | null {
    const s = this.d.db
      .prepare('SELECT started_at, ended_at FROM sessions WHERE booking_id = ?')
      .get(bookingId) as { started_at: number; ended_at: number | null } | undefined;
    return s ? { startedAt: s.started_at, endedAt: s.ended_at } : null;
  }

  private close(bookingId: string, reason: string): void {
    this.d.db
      .prepare(
        `UPDATE sessions SET ended_at = ?, end_reason = ? WHERE booking_id = ? AND ended_at IS NULL`,
      )
      .run(this.d.clock.now(), reason, bookingId);
  }

  // ---- the end of a session -------------------------------------------------------------------

  /**
   * The customer or staff end a session; early ends free the room and refund what the store's
   * rule gives back, late ones bill overtime.
   */
  finish(bookingId: string, actor: Actor, afterCommit: AfterCommit): BookingDetail {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    this.end(row, actor, 'ended by ' + actor.kind, afterCommit);
    const back = this.earlyEndRefund(row, this.d.clock.now());
    if (back > 0) {
      this.d.refunds.refund(
        this.d.records.get(row.id),
        back,
        'early_end',
        'the session ended before its booked end',
        actor,
        afterCommit,
      );
    }
    return this.d.views.detail(bookingId);
  }

  /** What ending the session now gives back by the store's rule; 0 when it is not going on. */
  earlyEndRefund(row: BookingRow, now: number): number {
    if (row.status !== 'in_use') return 0;
    return earlyEndRefund({
      rule: this.rules(row.room_id).earlyEnd,
      start: row.start_at,
      end: row.end_at,
      billedFrom: this.d.records.lines(row)[0]?.start ?? row.start_at,
      now,
      refundable: this.d.ledger.balanceOf(row).refundable,
      billingStepMinutes: this.d.store.getRoom(row.room_id).pricePlan.stepMinutes,
      priceOf: (from, to) => this.d.prices.span(row.room_id, from, to).total,
    });
  }

  /** `at`: when the session ended; the clock's own end passes its due time, not a late run's. */
  private end(
    row: BookingRow,
    actor: Actor,
    reason: string,
    afterCommit: AfterCommit,
    at?: number,
  ): void {
    const now = at ?? this.d.clock.now();
    const rules = this.rules(row.room_id);
    const overtime = this.overtimeAt(row, now);
    this.d.db
      .prepare(
        'UPDATE sessions SET ended_at = ?, end_reason = ?, overtime_minutes = ? WHERE booking_id = ? AND ended_at IS NULL',
      )
      .run(now, reason, overtime.minutes, row.id);
    if (overtime.minutes > 0) this.d.records.addFeeLines(row, overtime.lines, overtime.amount);
    // The room is free again after its cleaning: earlier if they left early, later if they
    // overstayed and nobody has the room next.
    const blockEnd = blockOf(
      { start: row.start_at, end: Math.max(now, row.start_at + MINUTE) },
      rules.bufferMinutes,
    ).end;
    if (
      blockEnd < row.block_end ||
      (blockEnd > row.block_end &&
        this.d.records.isFree(row.room_id, row.block_end, blockEnd, row.id))
    ) {
      this.d.records.setBlockEnd(row, blockEnd);
    }
    this.d.records.transition(
      this.d.records.get(row.id),
      'finish',
      actor,
      'completed',
      afterCommit,
      {
        reason,
        ...(overtime.minutes > 0
          ? { data: { overtimeMinutes: overtime.minutes, overtimeFee: overtime.amount } }
          : {}),
      },
    );
  }

  /**
   * Job at the overtime cap or the switch-off delay: a session still going is ended, billed to
   * then; a paid booking nobody came to is closed, if its no-show check has not.
   */
  private endOnTime(bookingId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(END_JOB, bookingId);
    const row = this.d.records.find(bookingId);
    if (!row) return;
    const dueAt = this.endDueAt(row);
    if (row.status === 'in_use') {
      // A hub that was off when the session should have ended cannot know when the guest left
      // (nobody could end it): it bills nobody for its downtime, and ends at the booked end.
      const at = dueAt < this.bootedAt ? row.end_at : Math.min(this.d.clock.now(), dueAt);
      const reason =
        this.rules(row.room_id).session.atEnd === 'bill_overtime' && at === dueAt
          ? 'the overtime cap was reached'
          : 'the booked time is over';
      this.end(row, SYSTEM, reason, afterCommit, at);
    } else if (row.status === 'paid') {
      this.noShow(bookingId, afterCommit);
    }
  }

  /**
   * Job at the start plus the no-show grace: a paid booking whose door never opened is released
   * (the room frees for others) and the share of the payment the store's rule gives back goes
   * back through its channel.
   */
  private noShow(bookingId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(NO_SHOW_JOB, bookingId);
    const row = this.d.records.find(bookingId);
    if (!row || row.status !== 'paid') return;
    const rules = this.rules(row.room_id);
    const now = this.d.clock.now();
    const { refundable } = this.d.ledger.balanceOf(row);
    const back = Math.floor((refundable * rules.noShow.refundPercent) / 100);
    // The rest of the slot is free again at once (after its cleaning buffer, which nobody needs).
    const releasedAt = Math.max(now, row.start_at);
    if (releasedAt < row.block_end) this.d.records.setBlockEnd(row, releasedAt);
    const done = this.d.records.transition(
      this.d.records.get(row.id),
      'no_show',
      SYSTEM,
      'completed',
      afterCommit,
      {
        reason: `nobody came within ${rules.noShow.graceMinutes} minutes of the start`,
        data: { refund: back, fee: refundable - back },
      },
    );
    if (back > 0) {
      this.d.refunds.refund(
        done,
        back,
        'no_show',
        'a no-show: the store gives back its share',
        SYSTEM,
        afterCommit,
      );
    }
  }

  /**
   * Overtime (O4): after the end and its grace, billed per billing step at the room's prices, less
   * what an extension of that time would get off (the percentage promotion in force, the member's
   * level), each as its own line.
   */
  private overtimeAt(
    row: BookingRow,
    now: number,
  ): { minutes: number; amount: number; lines: FeeLine[] } {
    const rules = this.rules(row.room_id);
    if (row.status !== 'in_use' || now <= row.end_at + rules.overtimeGraceMinutes * MINUTE) {
      return { minutes: 0, amount: 0, lines: [] };
    }
    // Never past the end the store's rule sets (the cap), however late the end is recorded.
    const span = this.d.prices.span(row.room_id, row.end_at, Math.min(now, this.endDueAt(row)));
    const room = this.d.store.getRoom(row.room_id);
    const q = priceExtension(
      span,
      this.d.promotions.enabled(),
      { roomId: room.id, roomStyle: room.style, timeZone: this.d.store.getStore().timeZone },
      this.d.members().discountFor(row.customer_phone),
    );
    return {
      minutes: q.minutes,
      amount: q.total,
      lines: q.lines.map((l) => (l.kind === 'extension' ? { ...l, kind: 'overtime' as const } : l)),
    };
  }

  // ---- reminders (C7) ---------------------------------------------------------------------------

  private remind(ref: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(REMIND_JOB, ref);
    const [bookingId, m] = ref.split(':') as [string, string];
    const row = this.d.records.find(bookingId);
    const now = this.d.clock.now();
    if (!row || (row.status !== 'in_use' && row.status !== 'paid') || now >= row.end_at) return;
    const minutesLeft = Math.round((row.end_at - now) / MINUTE);
    const message = `您的预订将在 ${minutesLeft} 分钟后结束，如需续时请尽快操作。`;
    this.d.db
      .prepare(
        `INSERT INTO notifications (booking_id, room_id, kind, minutes_left, message, at) VALUES (?, ?, 'end_reminder', ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(row.id, row.room_id, Number(m), message, now);
    afterCommit(() => {
      this.d.events.emit({
        type: 'session.reminder',
        bookingId: row.id,
        roomId: row.room_id,
        minutesLeft,
        message,
        at: now,
      });
      // Said aloud only to guests in the room: before the first door open nobody is there.
      if (row.status === 'in_use') {
        this.announcer({
          roomId: row.room_id,
          bookingId: row.id,
          kind: reminderAnnouncement(Number(m)),
        });
      }
    });
  }

  /** At the booking's end: a session still in the room hears that its time is up. */
  private timeUp(bookingId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(TIME_UP_JOB, bookingId);
    const row = this.d.records.find(bookingId);
    const now = this.d.clock.now();
    // Said only near the end: a hub that was off at the end does not announce it late.
    if (!row || row.status !== 'in_use' || now < row.end_at || now > row.end_at + 10 * MINUTE) {
      return;
    }
    const s = this.record(row.id);
    if (!s || s.endedAt !== null) return;
    afterCommit(() => this.announcer({ roomId: row.room_id, bookingId: row.id, kind: 'overtime' }));
  }

  notifications(bookingId: string): NotificationView[] {
    this.d.records.get(bookingId);
    const tz = this.d.store.getStore().timeZone;
    const rows = this.d.db
      .prepare(
        'SELECT kind, minutes_left, message, at FROM notifications WHERE booking_id = ? ORDER BY id',
      )
      .all(bookingId) as { kind: string; minutes_left: number; message: string; at: number }[];
    return rows.map((r) => ({
      kind: r.kind,
      minutesLeft: r.minutes_left,
      message: r.message,
      at: formatInstant(r.at, tz),
    }));
  }

  // ---- views -------------------------------------------------------------------------------------

  active(): SessionView[] {
    return this.d.records.inUse().map((r) => this.view(r));
  }

  view(row: BookingRow): SessionView {
    const now = this.d.clock.now();
    const tz = this.d.store.getStore().timeZone;
    const s = this.record(row.id);
    const o = this.overtimeAt(row, now);
    return {
      bookingId: row.id,
      number: row.number,
      room: { id: row.room_id, name: this.d.store.getRoom(row.room_id).name },
      status: row.status,
      start: formatInstant(row.start_at, tz),
      end: formatInstant(row.end_at, tz),
      startedAt: s ? formatInstant(s.startedAt, tz) : null,
      minutesLeft: Math.max(0, Math.ceil((row.end_at - now) / MINUTE)),
      overtime: { minutes: o.minutes, amount: o.amount },
      due: Math.max(0, this.d.ledger.balanceOf(row).due) + o.amount,
    };
  }
}
