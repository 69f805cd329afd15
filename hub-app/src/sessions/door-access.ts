// Door access (C6, S4): who may open which door when. A customer's phone or the kiosk for their
// own booking, a code typed at the room's keypad or a QR read by its door scanner (checked with no
// network), or staff with a reason. Owns `door_events`: every open, refusal and failure is logged.
// The first open starts the session (SessionService); the lock is reached only through devices.
import {
  countsAsInUse,
  DomainError,
  formatInstant,
  MINUTE,
  type Actor,
  type BookingPassView,
  type Clock,
  type DoorCodeView,
  type DoorLogEntry,
  type DoorMethod,
  type DoorOpened,
  type SessionRules,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import { assertCanAct } from '../booking/ownership';
import type { DeviceControl } from '../devices/device-control';
import type { EventBus } from '../events/event-bus';
import type { Ledger } from '../payments/ledger';
import type { StoreService } from '../store/store.service';
import type { Outbox } from '../sync/outbox';
import type { BookingPasses } from '../booking/booking-passes';
import type { DoorCodes } from './door-codes';
import type { SessionService } from './session.service';

export interface DoorAccessDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  records: BookingRecords;
  store: StoreService;
  ledger: Ledger;
  sessions: SessionService;
  devices: DeviceControl;
  doorCodes: DoorCodes;
  events: EventBus;
  outbox: Outbox;
  passes: BookingPasses;
}

type CodeInput = {
  code?: string | undefined;
  qr?: string | undefined;
  /** The booking number typed with a code at the kiosk. */
  number?: string | undefined;
};

export class DoorAccess {
  constructor(private readonly d: DoorAccessDeps) {}

  /** A paid booking gets its offline door code. Call once. */
  register(): void {
    this.d.records.onTransition(({ row, action }) => {
      if (action === 'pay') this.d.doorCodes.ensure(row.id);
    });
  }

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  /** The time a booking's door opens for it: early entry before, the overtime grace after. */
  private window(row: BookingRow): { from: number; until: number } {
    const rules = this.d.store.rulesFor(this.d.store.getRoom(row.room_id));
    // A guest billed overtime may step out and back in until the session ends.
    const overtime =
      countsAsInUse(row.status, row.refund_from_status) && rules.session.atEnd === 'bill_overtime';
    return {
      from: row.start_at - rules.earlyEntryMinutes * MINUTE,
      until:
        row.end_at +
        (overtime ? rules.session.overtimeCapMinutes : rules.overtimeGraceMinutes) * MINUTE,
    };
  }

  /** A time as a guest reads it at the door: 13:50, or 11-24 13:50 on another day. */
  private readable(at: number): string {
    const tz = this.tz();
    const t = formatInstant(at, tz);
    const today = formatInstant(this.d.clock.now(), tz).slice(0, 10);
    return t.slice(0, 10) === today ? t.slice(11, 16) : `${t.slice(5, 10)} ${t.slice(11, 16)}`;
  }

  /** Whether a booking lets its customer in now; throws the reason when not. */
  private authorise(row: BookingRow, now: number): void {
    const { from, until } = this.window(row);
    // A refund asked for during the session does not lock the customer out while it is reviewed.
    if (countsAsInUse(row.status, row.refund_from_status)) {
      if (this.d.sessions.record(row.id)?.endedAt != null) {
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
      ).with({ status: row.status });
    }
    if (this.d.ledger.balanceOf(row).due > 0) {
      throw new DomainError('forbidden', 'payment_due', 'pay what is due before entering');
    }
    if (now < from) {
      throw new DomainError(
        'forbidden',
        'too_early',
        `this booking opens the door from ${this.readable(from)}`,
      ).with({ from: this.readable(from) });
    }
    if (now > until)
      throw new DomainError('forbidden', 'booking_over', 'the time of this booking is over');
  }

  /** A customer (phone or kiosk) opens the door of their own booking (C6). */
  async openForBooking(bookingId: string, actor: Actor): Promise<DoorOpened> {
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
   * The right code at the wrong time says when the door opens for it, and is never counted as a
   * guess; wrong codes slow that door's input down, and a right code still opens through it.
   */
  async openWithCode(roomId: string, input: CodeInput, actor: Actor): Promise<DoorOpened> {
    const room = this.d.store.getRoom(roomId, 'id');
    const method: DoorMethod = input.qr !== undefined ? 'qr' : 'code';
    // One count per door: switching between keypad and QR must not buy more guesses.
    const inputKey = `door:${room.id}`;
    const s = this.d.store.rulesFor(room).session;
    return this.open(
      room.id,
      () => {
        this.d.doorCodes.assertTryAllowed(inputKey, s);
        const now = this.d.clock.now();
        const day = 24 * 60 * MINUTE;
        const matches = this.matching(
          input,
          this.d.records.overlapping(
            ['paid', 'in_use', 'refunding'],
            now - day,
            now + day,
            room.id,
          ),
        );
        if (matches.length === 0) {
          return this.wrongCode(inputKey, s, method === 'qr' ? 'scanner' : 'keypad', method);
        }
        // A code of two bookings at once (a guest leaving, the next arriving) opens for the one
        // whose time it is.
        let refusal: DomainError | null = null;
        for (const b of matches) {
          try {
            this.authorise(b, now);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            refusal ??= e;
            continue;
          }
          return b;
        }
        return refusal!;
      },
      method,
      actor,
      null,
    );
  }

  /** The bookings among `candidates` whose code (or QR) this is. */
  private matching(input: CodeInput, candidates: BookingRow[]): BookingRow[] {
    let code = input.code ?? '';
    let number: string | null = input.number ?? null;
    if (input.qr !== undefined) {
      const m = /^RH1:(\d{8,16}):(\d{6})$/.exec(input.qr.trim());
      if (!m) return [];
      [number, code] = [m[1]!, m[2]!];
    }
    return candidates
      .filter((b) => number === null || b.number === number)
      .filter((b) => this.d.doorCodes.check(b.id, code));
  }

  /** Counts a wrong code at `inputKey` and says how many tries are left, or that it slowed down. */
  private wrongCode(
    inputKey: string,
    s: SessionRules,
    what: 'keypad' | 'scanner' | 'kiosk',
    method: DoorMethod,
  ): DomainError {
    const { slowedUntil, left } = this.d.doorCodes.wrong(
      inputKey,
      s.maxWrongCodes,
      s.lockoutMinutes,
    );
    return new DomainError(
      'forbidden',
      'wrong_code',
      slowedUntil
        ? `wrong or expired code; after too many wrong codes this ${what} takes one try every ${s.lockoutTrySeconds} seconds for ${s.lockoutMinutes} minutes`
        : `wrong or expired code; ${left} tries left`,
      method === 'qr' ? 'qr' : 'code',
    ).with(
      slowedUntil ? { seconds: s.lockoutTrySeconds } : { left },
      slowedUntil ? 'wrong_code_slowed' : undefined,
    );
  }

  /**
   * A customer at the kiosk proves a booking with its door code or QR: the kiosk gets a pass to act
   * on that booking (extend it, open its door, end it). Wrong codes slow that kiosk down as they
   * slow a keypad.
   */
  async prove(input: CodeInput, actor: Actor): Promise<BookingPassView> {
    // A wrong code is counted in the write, and refused once that write is on disk.
    const r = await this.d.writes.run(() => this.tryProof(input, actor));
    if (r instanceof DomainError) throw r;
    return r;
  }

  private tryProof(input: CodeInput, actor: Actor): BookingPassView | DomainError {
    const screen = actor.screen;
    if (!screen || screen.kind !== 'kiosk')
      throw new DomainError('forbidden', 'kiosk_only', 'only a paired kiosk proves a booking');
    const inputKey = `kiosk:${screen.id}`;
    const s = this.d.store.getStore().rules.session;
    this.d.doorCodes.assertTryAllowed(inputKey, s);
    const now = this.d.clock.now();
    const day = 24 * 60 * MINUTE;
    const candidates = this.d.records
      .overlapping(['paid', 'in_use', 'refunding'], now - day, now + 7 * day)
      .filter((b) => b.status === 'paid' || countsAsInUse(b.status, b.refund_from_status));
    const found = this.matching(input, candidates)[0];
    if (!found) return this.wrongCode(inputKey, s, 'kiosk', input.qr !== undefined ? 'qr' : 'code');
    const { pass, expiresAt } = this.d.passes.issue(found.id, screen.id);
    const tz = this.tz();
    return {
      pass,
      expiresAt: formatInstant(expiresAt, tz),
      booking: {
        id: found.id,
        number: found.number,
        room: { id: found.room_id, name: this.d.store.getRoom(found.room_id).name },
        start: formatInstant(found.start_at, tz),
        end: formatInstant(found.end_at, tz),
      },
    };
  }

  /** Staff open any door, with a reason that is logged (S4). */
  async openByStaff(roomId: string, reason: string, actor: Actor): Promise<DoorOpened> {
    if (actor.kind !== 'staff')
      throw new DomainError('forbidden', 'staff_only', 'only store staff may do this');
    this.d.store.getRoom(roomId, 'id');
    return this.open(roomId, () => null, 'staff', actor, reason);
  }

  /**
   * Authorises inside a write, pulses the lock, then records the opening and starts the session at
   * the first open, once the lock confirmed it. Every refusal and failure is logged. A lock that does not answer is a 503,
   * never a silent yes. `authorise` throws to refuse, or returns a refusal whose write (a wrong-code
   * count) must be kept.
   */
  private async open(
    roomId: string,
    authorise: () => BookingRow | null | DomainError,
    method: DoorMethod,
    actor: Actor,
    reason: string | null,
  ): Promise<DoorOpened> {
    const devices = this.d.devices.devices;
    if (!devices || !devices.roomsWithLock().includes(roomId)) {
      throw new DomainError('unavailable', 'no_lock', 'this room has no door lock configured');
    }
    let outcome: BookingRow | null | DomainError;
    let done = () => {};
    try {
      outcome = await this.d.writes.run(() => {
        const r = authorise();
        if (r instanceof DomainError) this.log(roomId, null, method, 'refused', r.message, actor);
        // From the yes to the lock's answer nothing may take the booking away (a cancel waits).
        else if (r) done = this.d.records.openingDoor(r.id);
        return r;
      });
    } catch (e) {
      // The write that marked the door as opening did not commit (or refused): nothing opens.
      done();
      if (e instanceof DomainError) {
        await this.d.writes.run(() => this.log(roomId, null, method, 'refused', e.message, actor));
      }
      throw e;
    }
    if (outcome instanceof DomainError) throw outcome;
    try {
      return await this.pulse(roomId, outcome, method, actor, reason);
    } finally {
      done();
    }
  }

  /** Pulses the lock; once it confirmed, records the open and starts the session, in one write. */
  private async pulse(
    roomId: string,
    booking: BookingRow | null,
    method: DoorMethod,
    actor: Actor,
    reason: string | null,
  ): Promise<DoorOpened> {
    const devices = this.d.devices.devices!;
    let confirmedAt: number;
    try {
      confirmedAt = (await devices.openDoor(roomId)).confirmedAt;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.d.writes.run(() =>
        this.log(roomId, booking?.id ?? null, method, 'failed', message, actor),
      );
      throw new DomainError('unavailable', 'door_failed', `the lock did not answer: ${message}`);
    }
    // Nothing is started or used up unless the door opened: a lock that failed leaves the booking
    // as it was, still paid and still cancellable. The session starts with the open, in one write.
    await this.d.writes.run((afterCommit) => {
      this.log(roomId, booking?.id ?? null, method, 'opened', reason, actor);
      if (booking) this.d.sessions.startIfFirst(booking.id, actor, afterCommit);
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
    return { opened: true, roomId, confirmedAt: formatInstant(confirmedAt, this.tz()) };
  }

  private log(
    roomId: string,
    bookingId: string | null,
    method: DoorMethod,
    outcome: DoorLogEntry['outcome'],
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

  /** Who opened a room's door, or was refused, and how: newest first. */
  doorLog(roomId: string, limit = 50): DoorLogEntry[] {
    this.d.store.getRoom(roomId, 'id');
    const tz = this.tz();
    const rows = this.d.db
      .prepare('SELECT * FROM door_events WHERE room_id = ? ORDER BY id DESC LIMIT ?')
      .all(roomId, limit) as {
      id: number;
      room_id: string;
      booking_id: string | null;
      method: DoorMethod;
      outcome: DoorLogEntry['outcome'];
      reason: string | null;
      actor_kind: Actor['kind'];
      actor_id: string;
      at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      roomId: r.room_id,
      bookingId: r.booking_id,
      method: r.method,
      outcome: r.outcome,
      reason: r.reason,
      actor: { kind: r.actor_kind, id: r.actor_id },
      at: formatInstant(r.at, tz),
    }));
  }

  /** Who opened a booking's door, for its session document. */
  opensOf(bookingId: string): { at: number; actor_kind: Actor['kind'] }[] {
    return this.d.db
      .prepare(
        `SELECT at, actor_kind FROM door_events WHERE booking_id = ? AND outcome = 'opened' ORDER BY id`,
      )
      .all(bookingId) as { at: number; actor_kind: Actor['kind'] }[];
  }

  /** The code and QR a paid booking's customer shows at the door. */
  doorCode(bookingId: string, actor: Actor): DoorCodeView {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    if (row.status !== 'paid' && !countsAsInUse(row.status, row.refund_from_status)) {
      throw new DomainError(
        'conflict',
        'no_door_code',
        `a booking that is ${row.status} has no door code`,
      );
    }
    const c = this.d.doorCodes.current(row.id, row.number);
    if (!c) throw new DomainError('conflict', 'no_door_code', 'this booking has no door code yet');
    const tz = this.tz();
    const { from, until } = this.window(row);
    return {
      ...c,
      validUntil: formatInstant(c.validUntil, tz),
      window: { from: formatInstant(from, tz), until: formatInstant(until, tz) },
    };
  }
}
