// Sessions in the room (C6, C7, O4, O8, H3): who may open which door when, the start of a session
// at the first open, reminders before the end, extensions, overtime, the end of the session, and
// devices that follow all of it. Owns `sessions`, `door_events`, `notifications`, `extensions`.
// Devices are reached only through the capability interface; every decision is read from the
// database, so a restart or a power cut loses nothing.
import {
  formatInstant,
  MINUTE,
  quoteSpan,
  type Actor,
  type BookingRules,
  type FeeLine,
} from '@roomhub/shared-types';
import type { Devices } from '@roomhub/firmware-bridge';
import type { Clock, NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import { DomainError, notFound } from '@roomhub/shared-types';
import { assertCanAct, type BookingRecords, type BookingRow } from '../booking/booking-records';
import type { CalendarService } from '../calendar/calendar.service';
import type { EventBus } from '../events/event-bus';
import type { PaymentService } from '../payments/payment.service';
import type { Scheduler } from '../scheduler/scheduler';
import type { StoreService } from '../store/store.service';
import type { DoorCodes } from './door-codes';
import { nextBoundary, roomNeedsAt, type NeedsBooking } from './room-needs';
import type { Outbox } from '../sync/outbox';

export const END_JOB = 'session.end';
export const REMIND_JOB = 'session.remind';
export const SYNC_JOB = 'devices.sync';
export const EXTENSION_JOB = 'extension.expire';

export type DoorMethod = 'app' | 'code' | 'qr' | 'staff';

export interface SessionDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  store: StoreService;
  calendar: CalendarService;
  payments: PaymentService;
  scheduler: Scheduler;
  events: EventBus;
  doorCodes: DoorCodes;
  outbox: Outbox;
}

export interface SessionView {
  bookingId: string;
  number: string;
  room: { id: string; name: string };
  status: BookingRow['status'];
  start: string;
  end: string;
  startedAt: string | null;
  minutesLeft: number;
  overtime: { minutes: number; amount: number };
  due: number;
}

const SYSTEM: Actor = { kind: 'system', id: 'sessions' };

export class SessionService {
  private syncQueued = false;
  private syncing: Promise<void> = Promise.resolve();
  private devicesOf: Devices | null = null;
  private healthPublishedAt = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly d: SessionDeps) {}

  /** The store's devices, once they are up; until then doors answer 503 and nothing is switched. */
  attach(devices: Devices | null): void {
    this.unsubscribe?.();
    this.devicesOf = devices;
    this.unsubscribe =
      devices?.subscribe((e) => {
        const at = this.d.clock.now();
        if (e.type === 'state') this.d.events.emit({ type: 'device.state', state: e.state, at });
        if (e.type === 'health')
          this.d.events.emit({ type: 'device.health', device: e.device, at });
      }) ?? null;
  }

  get devices(): Devices | null {
    return this.devicesOf;
  }

  /** Wires the session to booking transitions and the scheduler. Call once. */
  register(): void {
    this.d.records.onTransition(({ row, action }, afterCommit) => {
      if (action === 'pay') this.d.doorCodes.ensure(row.id);
      // A refund request from a booking that is paid or in use keeps its steps until it is decided.
      const live =
        row.status === 'paid' ||
        row.status === 'in_use' ||
        (row.status === 'refunding' &&
          (row.refund_from_status === 'paid' || row.refund_from_status === 'in_use'));
      if (live) {
        if (action !== 'request_refund') this.scheduleSteps(row);
      } else this.unscheduleSteps(row.id);
      if (['cancelled', 'refunded', 'completed'].includes(row.status))
        this.closeSession(row.id, action);
      afterCommit(() => this.requestSync());
    });
    this.d.scheduler.on(END_JOB, (job) => this.d.writes.run((ac) => this.endOnTime(job.ref, ac)));
    this.d.scheduler.on(REMIND_JOB, (job) => this.d.writes.run((ac) => this.remind(job.ref, ac)));
    this.d.scheduler.on(EXTENSION_JOB, (job) =>
      this.d.writes.run((ac) => this.expireExtension(job.ref, ac)),
    );
    // The alarm's job stays until a sync succeeds: a successful sync moves it to the next
    // boundary, and a failed one is retried by the scheduler with back-off, so a device fault
    // never leaves the store without its next alarm.
    this.d.scheduler.on(SYNC_JOB, () => this.syncDevices());
  }

  private rules(roomId: string): BookingRules {
    return this.d.store.rulesFor(this.d.store.getRoom(roomId));
  }

  // ---- scheduled steps ------------------------------------------------------------------------

  private scheduleSteps(row: BookingRow): void {
    const s = this.rules(row.room_id).session;
    const now = this.d.clock.now();
    this.unscheduleSteps(row.id);
    this.d.scheduler.schedule(END_JOB, row.id, row.end_at + s.offDelayMinutes * MINUTE);
    for (const m of s.reminderMinutes) {
      const at = row.end_at - m * MINUTE;
      if (at > now) this.d.scheduler.schedule(REMIND_JOB, `${row.id}:${m}`, at);
    }
  }

  private unscheduleSteps(bookingId: string): void {
    this.d.db
      .prepare(`DELETE FROM jobs WHERE (kind = ? AND ref = ?) OR (kind = ? AND ref LIKE ?)`)
      .run(END_JOB, bookingId, REMIND_JOB, `${bookingId}:%`);
  }

  private closeSession(bookingId: string, reason: string): void {
    this.d.db
      .prepare(
        `UPDATE sessions SET ended_at = ?, end_reason = ? WHERE booking_id = ? AND ended_at IS NULL`,
      )
      .run(this.d.clock.now(), reason, bookingId);
  }

  // ---- doors ----------------------------------------------------------------------------------

  /** Whether a booking lets its customer in now; throws the reason when not. */
  private authorise(row: BookingRow, now: number): void {
    const rules = this.rules(row.room_id);
    const until = row.end_at + rules.overtimeGraceMinutes * MINUTE;
    // A refund asked for during the session does not lock the customer out while it is reviewed.
    const inUse =
      row.status === 'in_use' ||
      (row.status === 'refunding' && row.refund_from_status === 'in_use');
    if (inUse) {
      const open = this.d.db
        .prepare('SELECT ended_at FROM sessions WHERE booking_id = ?')
        .get(row.id) as { ended_at: number | null } | undefined;
      if (open && open.ended_at !== null) {
        throw new DomainError('forbidden', 'session_ended', 'this session has ended');
      }
      if (now > until)
        throw new DomainError('forbidden', 'booking_over', 'the time of this booking is over');
      return;
    }
    if (row.status !== 'paid') {
      throw new DomainError(
        'forbidden',
        'not_paid',
        `a booking that is ${row.status} does not open the door`,
      );
    }
    if (this.d.payments.due(row) > 0) {
      throw new DomainError('forbidden', 'payment_due', 'pay what is due before entering');
    }
    const from = row.start_at - rules.earlyEntryMinutes * MINUTE;
    if (now < from) {
      const tz = this.d.store.getStore().timeZone;
      throw new DomainError(
        'forbidden',
        'too_early',
        `the door opens for this booking from ${formatInstant(from, tz)}`,
      );
    }
    if (now > until)
      throw new DomainError('forbidden', 'booking_over', 'the time of this booking is over');
  }

  /** A customer (phone or kiosk) opens the door of their own booking (C6). */
  async openForBooking(
    bookingId: string,
    actor: Actor,
  ): Promise<{ opened: true; roomId: string; confirmedAt: string }> {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    return this.open(
      row.room_id,
      () => {
        const current = this.d.records.get(bookingId);
        this.authorise(current, this.d.clock.now());
        return current;
      },
      'app',
      actor,
      null,
    );
  }

  /**
   * A code typed at the room's keypad, or read from a QR by its door scanner, with no network.
   * Five wrong codes in a row lock that input out for a while.
   */
  async openWithCode(
    roomId: string,
    input: { code?: string | undefined; qr?: string | undefined },
    actor: Actor,
  ) {
    const room = this.d.store.getRoom(roomId, 'id');
    const method: DoorMethod = input.qr !== undefined ? 'qr' : 'code';
    // One count per door: switching between keypad and QR must not buy more guesses.
    const inputKey = `door:${room.id}`;
    const s = this.rules(room.id).session;
    return this.open(
      room.id,
      () => {
        this.d.doorCodes.assertNotLocked(inputKey);
        const now = this.d.clock.now();
        let code = input.code ?? '';
        let number: string | null = null;
        if (input.qr !== undefined) {
          const m = /^RH1:(\d{8,16}):(\d{6})$/.exec(input.qr.trim());
          if (m) [number, code] = [m[1]!, m[2]!];
        }
        const candidates = this.d.db
          .prepare(
            `SELECT * FROM bookings WHERE room_id = ? AND status IN ('paid','in_use','refunding') AND start_at <= ? AND end_at >= ?
             ${number ? 'AND number = ?' : ''} ORDER BY start_at`,
          )
          .all(
            room.id,
            now + 24 * 60 * MINUTE,
            now - 24 * 60 * MINUTE,
            ...(number ? [number] : []),
          ) as BookingRow[];
        for (const b of candidates) {
          try {
            this.authorise(b, now);
          } catch {
            continue; // a code of a booking outside its window is no better than a wrong one
          }
          if (this.d.doorCodes.check(b.id, code)) {
            this.d.doorCodes.right(inputKey);
            return b;
          }
        }
        const { lockedUntil, left } = this.d.doorCodes.wrong(
          inputKey,
          s.maxWrongCodes,
          s.lockoutMinutes,
        );
        return new DomainError(
          'forbidden',
          lockedUntil ? 'door_locked_out' : 'wrong_code',
          lockedUntil
            ? `too many wrong codes; the ${method === 'qr' ? 'scanner' : 'keypad'} is locked for ${s.lockoutMinutes} minutes`
            : `wrong or expired code; ${left} tries left`,
          method === 'qr' ? 'qr' : 'code',
        );
      },
      method,
      actor,
      null,
    );
  }

  /** Staff open any door, with a reason that is logged (S4). */
  async openByStaff(roomId: string, reason: string, actor: Actor) {
    if (actor.kind !== 'staff')
      throw new DomainError('forbidden', 'staff_only', 'only store staff may do this');
    this.d.store.getRoom(roomId, 'id');
    return this.open(roomId, () => null, 'staff', actor, reason);
  }

  /**
   * Authorises inside a write, pulses the lock, then records the opening and starts the session at
   * the first open. Every refusal and failure is logged. A lock that does not answer is a 503,
   * never a silent yes. `authorise` throws to refuse, or returns a refusal whose write (a wrong-code
   * count) must be kept.
   */
  private async open(
    roomId: string,
    authorise: () => BookingRow | null | DomainError,
    method: DoorMethod,
    actor: Actor,
    reason: string | null,
  ): Promise<{ opened: true; roomId: string; confirmedAt: string }> {
    const devices = this.devicesOf;
    if (!devices || !devices.roomsWithLock().includes(roomId)) {
      throw new DomainError('unavailable', 'no_lock', 'this room has no door lock configured');
    }
    let outcome: BookingRow | null | DomainError;
    try {
      outcome = await this.d.writes.run((afterCommit) => {
        const r = authorise();
        if (r instanceof DomainError)
          this.logDoor(roomId, null, method, 'refused', r.message, actor);
        // The session starts in the same write that authorised it, so a cancel cannot slip in
        // between the yes and the relay (a cancel is refused once the booking is in use).
        else if (r) this.startIfFirst(r.id, actor, afterCommit);
        return r;
      });
    } catch (e) {
      if (e instanceof DomainError) {
        await this.d.writes.run(() =>
          this.logDoor(roomId, null, method, 'refused', e.message, actor),
        );
      }
      throw e;
    }
    if (outcome instanceof DomainError) throw outcome;
    const booking = outcome;
    let confirmedAt: number;
    try {
      confirmedAt = (await devices.openDoor(roomId)).confirmedAt;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.d.writes.run(() =>
        this.logDoor(roomId, booking?.id ?? null, method, 'failed', message, actor),
      );
      throw new DomainError('unavailable', 'door_failed', `the lock did not answer: ${message}`);
    }
    await this.d.writes.run((afterCommit) => {
      this.logDoor(roomId, booking?.id ?? null, method, 'opened', reason, actor);
      const at = this.d.clock.now();
      afterCommit(() =>
        this.d.events.emit({
          type: 'door.opened',
          roomId,
          bookingId: booking?.id ?? null,
          method,
          at,
        }),
      );
    });
    return {
      opened: true,
      roomId,
      confirmedAt: formatInstant(confirmedAt, this.d.store.getStore().timeZone),
    };
  }

  private startIfFirst(bookingId: string, actor: Actor, afterCommit: AfterCommit): void {
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

  private logDoor(
    roomId: string,
    bookingId: string | null,
    method: DoorMethod,
    outcome: string,
    reason: string | null,
    actor: Actor,
  ): void {
    this.d.db
      .prepare(
        `INSERT INTO door_events (room_id, booking_id, method, outcome, reason, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(roomId, bookingId, method, outcome, reason, actor.kind, actor.id, this.d.clock.now());
    if (bookingId && outcome === 'opened') this.d.outbox.markSession(bookingId);
  }

  doorLog(roomId: string, limit = 50): unknown[] {
    const tz = this.d.store.getStore().timeZone;
    const rows = this.d.db
      .prepare('SELECT * FROM door_events WHERE room_id = ? ORDER BY id DESC LIMIT ?')
      .all(roomId, limit) as {
      at: number;
      actor_kind: string;
      actor_id: string;
      [k: string]: unknown;
    }[];
    return rows.map(({ at, actor_kind, actor_id, ...r }) => ({
      ...r,
      actor: { kind: actor_kind, id: actor_id },
      at: formatInstant(at, tz),
    }));
  }

  /** The code and QR a paid booking's customer shows at the door. */
  doorCode(bookingId: string, actor: Actor) {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    const inside =
      row.status === 'paid' ||
      row.status === 'in_use' ||
      (row.status === 'refunding' && row.refund_from_status === 'in_use');
    if (!inside) {
      throw new DomainError(
        'conflict',
        'no_door_code',
        `a booking that is ${row.status} has no door code`,
      );
    }
    const c = this.d.doorCodes.current(row.id, row.number);
    if (!c) throw new DomainError('conflict', 'no_door_code', 'this booking has no door code yet');
    const rules = this.rules(row.room_id);
    const tz = this.d.store.getStore().timeZone;
    return {
      ...c,
      validUntil: formatInstant(c.validUntil, tz),
      window: {
        from: formatInstant(row.start_at - rules.earlyEntryMinutes * MINUTE, tz),
        until: formatInstant(row.end_at + rules.overtimeGraceMinutes * MINUTE, tz),
      },
    };
  }

  // ---- the end of a session -------------------------------------------------------------------

  /** The customer or staff end a session; early ends free the room, late ones bill overtime. */
  finish(bookingId: string, actor: Actor, afterCommit: AfterCommit): void {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    this.end(row, actor, 'ended by ' + actor.kind, afterCommit);
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
        'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE booking_id = ? AND ended_at IS NULL',
      )
      .run(now, reason, row.id);
    if (overtime.minutes > 0) {
      this.addLines(row, overtime.lines, overtime.amount);
      this.d.db
        .prepare('UPDATE sessions SET overtime_minutes = ? WHERE booking_id = ?')
        .run(overtime.minutes, row.id);
    }
    // The room is free again after its cleaning: earlier if they left early, later if they overstayed
    // and nobody has the room next.
    const blockEnd = Math.max(now, row.start_at + MINUTE) + rules.bufferMinutes * MINUTE;
    if (blockEnd < row.block_end) {
      this.d.db.prepare('UPDATE bookings SET block_end = ? WHERE id = ?').run(blockEnd, row.id);
    } else if (blockEnd > row.block_end && this.freeBetween(row, row.block_end, blockEnd)) {
      this.d.db.prepare('UPDATE bookings SET block_end = ? WHERE id = ?').run(blockEnd, row.id);
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

  private freeBetween(row: BookingRow, from: number, to: number): boolean {
    const clash = this.d.db
      .prepare(
        `SELECT 1 FROM bookings WHERE room_id = ? AND id <> ? AND status IN ('pending_payment','paid','in_use','completed','refunding')
           AND block_end > ? AND block_start < ? LIMIT 1`,
      )
      .get(row.room_id, row.id, from, to);
    return clash === undefined;
  }

  /** Job at the end plus the switch-off delay: a session still going is ended; a no-show is closed. */
  private endOnTime(bookingId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(END_JOB, bookingId);
    const row = this.d.records.find(bookingId);
    if (!row) return;
    // A hub that was off when the session should have ended bills no one for its downtime.
    const dueAt = row.end_at + this.rules(row.room_id).session.offDelayMinutes * MINUTE;
    if (row.status === 'in_use') {
      this.end(
        row,
        SYSTEM,
        'the booked time is over',
        afterCommit,
        Math.min(this.d.clock.now(), dueAt),
      );
    } else if (row.status === 'paid') {
      this.d.records.transition(row, 'no_show', SYSTEM, 'completed', afterCommit, {
        reason: 'nobody came',
      });
    }
  }

  /** Overtime (O4): after the end and its grace, billed per billing step at the room's prices. */
  private overtimeAt(
    row: BookingRow,
    now: number,
  ): { minutes: number; amount: number; lines: FeeLine[] } {
    const rules = this.rules(row.room_id);
    if (row.status !== 'in_use' || now <= row.end_at + rules.overtimeGraceMinutes * MINUTE) {
      return { minutes: 0, amount: 0, lines: [] };
    }
    const q = this.price(row.room_id, row.end_at, now);
    return {
      minutes: q.minutes,
      amount: q.total,
      lines: q.lines.map((l) => ({ ...l, kind: 'overtime' as const })),
    };
  }

  private price(roomId: string, start: number, end: number) {
    const room = this.d.store.getRoom(roomId);
    return quoteSpan(
      room.pricePlan,
      { start, end },
      { timeZone: this.d.store.getStore().timeZone, dayType: this.d.calendar.resolver() },
    );
  }

  private addLines(row: BookingRow, lines: FeeLine[], amount: number): void {
    const all = [...this.d.records.lines(row), ...lines];
    this.d.db
      .prepare('UPDATE bookings SET lines = ?, total = total + ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(all), amount, this.d.clock.now(), row.id);
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
    afterCommit(() =>
      this.d.events.emit({
        type: 'session.reminder',
        bookingId: row.id,
        roomId: row.room_id,
        minutesLeft,
        message,
        at: now,
      }),
    );
  }

  notifications(bookingId: string): unknown[] {
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

  // ---- extension (C7) ---------------------------------------------------------------------------

  /**
   * Moves the end later when the room is free up to the new end plus cleaning; priced by the same
   * rules. The added time is held for the payment hold; unpaid, it is taken back.
   */
  extend(bookingId: string, minutes: number, actor: Actor, afterCommit: AfterCommit) {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    if (row.status !== 'paid' && row.status !== 'in_use') {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot extend a booking that is ${row.status}`,
      );
    }
    const rules = this.rules(row.room_id);
    const now = this.d.clock.now();
    if (now > row.end_at + rules.overtimeGraceMinutes * MINUTE) {
      throw new DomainError(
        'conflict',
        'booking_over',
        'the booking is over; it can no longer be extended',
      );
    }
    if (minutes % rules.stepMinutes !== 0) {
      throw new DomainError(
        'invalid',
        'off_step',
        `extend by a multiple of ${rules.stepMinutes} minutes`,
        'minutes',
      );
    }
    if (this.d.payments.due(row) > 0) {
      // Each extension is paid before the next: an unpaid one is taken back as a whole.
      throw new DomainError(
        'conflict',
        'payment_due',
        'pay what is due (the last extension) before extending again',
      );
    }
    const newEnd = row.end_at + minutes * MINUTE;
    if ((newEnd - row.start_at) / MINUTE > rules.maxMinutes) {
      throw new DomainError(
        'invalid',
        'too_long',
        `a booking lasts at most ${rules.maxMinutes} minutes`,
        'minutes',
      );
    }
    const blockEnd = newEnd + rules.bufferMinutes * MINUTE;
    if (!this.freeBetween(row, row.end_at, blockEnd)) {
      throw new DomainError(
        'conflict',
        'slot_taken',
        'the room is booked right after; it cannot be extended that far',
        'minutes',
      );
    }
    const q = this.price(row.room_id, row.end_at, newEnd);
    const lines = q.lines.map((l) => ({ ...l, kind: 'extension' as const }));
    try {
      this.d.db
        .prepare('UPDATE bookings SET end_at = ?, block_end = ? WHERE id = ?')
        .run(newEnd, blockEnd, row.id);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('slot_taken')) {
        throw new DomainError(
          'conflict',
          'slot_taken',
          'the room is booked right after; it cannot be extended that far',
          'minutes',
        );
      }
      throw e;
    }
    this.addLines(row, lines, q.total);
    const id = this.d.newId();
    const holdUntil = now + rules.holdMinutes * MINUTE;
    this.d.db
      .prepare(
        `INSERT INTO extensions (id, booking_id, from_end, to_end, amount, status, hold_expires_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(id, row.id, row.end_at, newEnd, q.total, holdUntil, now);
    this.d.scheduler.schedule(EXTENSION_JOB, id, holdUntil);
    const tz = this.d.store.getStore().timeZone;
    const updated = this.d.records.transition(
      this.d.records.get(row.id),
      'extend',
      actor,
      row.status,
      afterCommit,
      {
        data: {
          extensionId: id,
          from: formatInstant(row.end_at, tz),
          to: formatInstant(newEnd, tz),
          amount: q.total,
        },
      },
    );
    this.d.records.announce(updated, afterCommit);
    return {
      extensionId: id,
      end: formatInstant(newEnd, tz),
      amount: q.total,
      payBy: formatInstant(holdUntil, tz),
    };
  }

  /** Job: an extension still unpaid at the end of its hold is taken back; the end returns. */
  private expireExtension(extensionId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(EXTENSION_JOB, extensionId);
    const ext = this.d.db.prepare('SELECT * FROM extensions WHERE id = ?').get(extensionId) as
      | {
          id: string;
          booking_id: string;
          from_end: number;
          to_end: number;
          amount: number;
          status: string;
        }
      | undefined;
    if (!ext || ext.status !== 'pending') return;
    const row = this.d.records.get(ext.booking_id);
    if (this.d.payments.due(row) <= 0) {
      this.d.db.prepare(`UPDATE extensions SET status = 'paid' WHERE id = ?`).run(ext.id);
      return;
    }
    // Still owed at the end of its hold. A booking still going (or whose refund is being
    // reviewed) gives the time back; one that is over keeps the debt on its bill.
    const live = ['paid', 'in_use', 'refunding'].includes(row.status) && row.end_at === ext.to_end;
    this.d.db.prepare(`UPDATE extensions SET status = 'expired' WHERE id = ?`).run(ext.id);
    if (!live) return;
    const rules = this.rules(row.room_id);
    const lines = this.d.records
      .lines(row)
      .filter((l) => !(l.kind === 'extension' && l.start >= ext.from_end));
    this.d.db
      .prepare(
        'UPDATE bookings SET end_at = ?, block_end = ?, total = total - ?, lines = ? WHERE id = ?',
      )
      .run(
        ext.from_end,
        ext.from_end + rules.bufferMinutes * MINUTE,
        ext.amount,
        JSON.stringify(lines),
        row.id,
      );
    const tz = this.d.store.getStore().timeZone;
    const opts = {
      reason: 'the extension was not paid in time',
      data: { extensionId: ext.id, back: formatInstant(ext.from_end, tz) },
    };
    const current = this.d.records.get(row.id);
    if (row.status === 'refunding') {
      // No status change is possible while a refund is reviewed; the history still says why.
      this.d.records.record(
        row.id,
        'extend',
        row.status,
        row.status,
        SYSTEM,
        opts.reason,
        opts.data,
      );
      this.d.records.announce(current, afterCommit);
      this.scheduleSteps(current);
    } else {
      this.d.records.transition(current, 'extend', SYSTEM, row.status, afterCommit, opts);
    }
  }

  // ---- views -------------------------------------------------------------------------------------

  active(): SessionView[] {
    const rows = this.d.db
      .prepare(`SELECT * FROM bookings WHERE status = 'in_use' ORDER BY end_at`)
      .all() as BookingRow[];
    return rows.map((r) => this.view(r));
  }

  view(row: BookingRow): SessionView {
    const now = this.d.clock.now();
    const tz = this.d.store.getStore().timeZone;
    const s = this.d.db
      .prepare('SELECT started_at FROM sessions WHERE booking_id = ?')
      .get(row.id) as { started_at: number } | undefined;
    const o = this.overtimeAt(row, now);
    return {
      bookingId: row.id,
      number: row.number,
      room: { id: row.room_id, name: this.d.store.getRoom(row.room_id).name },
      status: row.status,
      start: formatInstant(row.start_at, tz),
      end: formatInstant(row.end_at, tz),
      startedAt: s ? formatInstant(s.started_at, tz) : null,
      minutesLeft: Math.max(0, Math.ceil((row.end_at - now) / MINUTE)),
      overtime: { minutes: o.minutes, amount: o.amount },
      due: Math.max(0, this.d.payments.due(row)) + o.amount,
    };
  }

  // ---- devices follow sessions (O8, H3) ---------------------------------------------------------

  /** Soon (after the current turn), make every room's devices match what its bookings need. */
  requestSync(): void {
    if (this.syncQueued || !this.devicesOf) return;
    this.syncQueued = true;
    setImmediate(() => {
      this.syncQueued = false;
      if (!this.devicesOf) return; // detached while this waited: the hub is stopping
      void this.syncDevices().catch((e: unknown) => console.error('device sync failed', e));
    });
  }

  /** Recomputes every room's needs from the database and schedules the next boundary. Serialised. */
  syncDevices(): Promise<void> {
    this.syncing = this.syncing.catch(() => undefined).then(() => this.syncOnce());
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const devices = this.devicesOf;
    if (!devices) return;
    const now = this.d.clock.now();
    const rows = this.d.db
      .prepare(
        `SELECT b.room_id, b.start_at, b.end_at, s.ended_at,
           CASE WHEN b.status = 'refunding' AND b.refund_from_status = 'in_use' THEN 'in_use' ELSE b.status END AS status
         FROM bookings b LEFT JOIN sessions s ON s.booking_id = b.id
         WHERE b.status IN ('paid','in_use','refunding') AND b.end_at > ? AND b.start_at < ?`,
      )
      .all(now - 24 * 60 * MINUTE, now + 24 * 60 * MINUTE) as {
      room_id: string;
      start_at: number;
      end_at: number;
      ended_at: number | null;
      status: NeedsBooking['status'];
    }[];
    const byRoom = new Map<string, NeedsBooking[]>();
    for (const r of rows) {
      const list = byRoom.get(r.room_id) ?? [];
      list.push({ status: r.status, start: r.start_at, end: r.end_at, endedAt: r.ended_at });
      byRoom.set(r.room_id, list);
    }
    let next: number | null = null;
    const rooms = new Set([...this.d.store.listRooms({ includeRetired: true }).map((r) => r.id)]);
    // Every room's needs are handed over together, so a shared device (the corridor light) is
    // decided on all of them at once, and one dead device does not hold up the other rooms.
    const settled = await Promise.allSettled(
      [...rooms].map((roomId) => {
        const bookings = byRoom.get(roomId) ?? [];
        const s = this.rules(roomId).session;
        const b = nextBoundary(bookings, now, s);
        if (b !== null && (next === null || b < next)) next = b;
        return devices.setRoomNeeds(roomId, roomNeedsAt(bookings, now, s));
      }),
    );
    for (const r of settled) {
      // The bridge keeps what it could not write and retries it on its own.
      if (r.status === 'rejected')
        console.error(
          'devices not all set:',
          r.reason instanceof Error ? r.reason.message : r.reason,
        );
    }
    // Bookings more than a day ahead are not read here; look again well before they can matter.
    const due = Math.min(next ?? Infinity, now + 12 * 60 * MINUTE);
    await this.d.writes.run((afterCommit) => {
      this.d.scheduler.schedule(SYNC_JOB, 'next', due);
      afterCommit(() => this.d.scheduler.poke());
    });
  }

  /** At boot and after a bus fault: staff overrides back, needs recomputed, every device rewritten. */
  async boot(): Promise<void> {
    const devices = this.devicesOf;
    if (!devices) return;
    const overrides = this.d.db.prepare('SELECT device_id, state FROM device_overrides').all() as {
      device_id: string;
      state: number;
    }[];
    for (const o of overrides)
      await devices.setOverride(o.device_id, o.state === 1).catch(() => undefined);
    await this.syncDevices();
    await devices.reconcile().catch((e: unknown) => {
      console.error('devices not all reconciled at start:', e instanceof Error ? e.message : e);
    });
  }

  /** Staff switch one device by hand, or give it back to the sessions with `on: null` (S4). */
  async override(deviceId: string, on: boolean | null, reason: string, actor: Actor) {
    const devices = this.devicesOf;
    if (!devices)
      throw new DomainError('unavailable', 'no_devices', 'no devices are configured on this hub');
    const state = devices.states().find((s) => s.deviceId === deviceId);
    if (!state) throw notFound('device', deviceId, 'id');
    if (state.kind === 'lock') {
      throw new DomainError(
        'invalid',
        'use_door_open',
        'a lock is opened with the door route, not switched',
        'id',
      );
    }
    await this.d.writes.run(() => {
      if (on === null)
        this.d.db.prepare('DELETE FROM device_overrides WHERE device_id = ?').run(deviceId);
      else {
        this.d.db
          .prepare(
            `INSERT INTO device_overrides (device_id, state, reason, actor_id, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(device_id) DO UPDATE SET state = excluded.state, reason = excluded.reason, actor_id = excluded.actor_id, at = excluded.at`,
          )
          .run(deviceId, on ? 1 : 0, reason, actor.id, this.d.clock.now());
      }
    });
    let outcome = 'done';
    try {
      await devices.setOverride(deviceId, on);
    } catch (e) {
      outcome = `failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    await this.d.writes.run(() =>
      this.d.db
        .prepare(
          `INSERT INTO device_actions (device_id, room_id, action, reason, actor_kind, actor_id, outcome, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          deviceId,
          state.rooms.join(','),
          on === null ? 'release' : on ? 'on' : 'off',
          reason,
          actor.kind,
          actor.id,
          outcome,
          this.d.clock.now(),
        ),
    );
    if (outcome !== 'done')
      throw new DomainError(
        'unavailable',
        'device_failed',
        `the device did not take it: ${outcome}`,
      );
    return devices.states().find((s) => s.deviceId === deviceId);
  }
}
