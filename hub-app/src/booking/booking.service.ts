// Bookings (C3, C4, C9, S3): quotes, holds, the no-double-booking check, cancellation and change
// by the rules, refund requests and their review, availability timelines. Owns the `bookings`
// table through BookingRecords. Never talks to a device or a gateway directly.
import {
  cancellationFee,
  formatInstant,
  instantAt,
  localDateOf,
  localMinuteOfDay,
  MINUTE,
  nextLocalDate,
  OCCUPYING_STATUSES,
  parseInstant,
  PricingError,
  quotePackage,
  quoteSpan,
  type Actor,
  type BookingChange,
  type BookingCreate,
  type BookingRules,
  type BookingStatus,
  type FeeLine,
  type LocalDate,
  type Quote,
} from '@roomhub/shared-types';
import type { Clock, NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import { DomainError } from '@roomhub/shared-types';
import type { CalendarService } from '../calendar/calendar.service';
import {
  EXPIRE_JOB,
  type LedgerEntry,
  type PaymentService,
  type PaymentView,
  type RefundView,
} from '../payments/payment.service';
import type { Scheduler } from '../scheduler/scheduler';
import type { Room, StoreService } from '../store/store.service';
import {
  assertCanAct,
  type BookingRecords,
  type BookingRow,
  type HistoryEntry,
} from './booking-records';

const DAY = 24 * 60 * MINUTE;
const OCCUPYING_SQL = `(${OCCUPYING_STATUSES.map((s) => `'${s}'`).join(',')})`;

export interface FeeLineView extends Omit<FeeLine, 'start' | 'end'> {
  start: string;
  end: string;
}

export interface QuoteView {
  roomId: string;
  packageId: string | null;
  start: string;
  end: string;
  minutes: number;
  lines: FeeLineView[];
  total: number;
}

export interface BookingView {
  id: string;
  number: string;
  status: BookingStatus;
  room: { id: string; name: string };
  start: string;
  end: string;
  minutes: number;
  partySize: number;
  customer: { phone: string; name: string | null };
  packageId: string | null;
  lines: FeeLineView[];
  total: number;
  paid: number;
  due: number;
  holdExpiresAt: string | null;
  changes: number;
  createdAt: string;
  updatedAt: string;
}

export interface BookingDetail extends BookingView {
  history: HistoryEntry[];
  payments: PaymentView[];
  refunds: RefundView[];
  ledger: LedgerEntry[];
}

export type SegmentKind = 'free' | 'held' | 'booked' | 'in_use' | 'cleaning';

export interface Segment {
  kind: SegmentKind;
  start: string;
  end: string;
  bookingId?: string;
  number?: string;
}

export interface RoomTimeline {
  room: { id: string; name: string; capacity: number; style: string; status: Room['status'] };
  date: LocalDate;
  now: SegmentKind;
  segments: Segment[];
}

interface SpanRequest {
  roomId: string;
  start: string;
  end?: string | undefined;
  packageId?: string | undefined;
}

export interface BookingDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  records: BookingRecords;
  store: StoreService;
  calendar: CalendarService;
  payments: PaymentService;
  scheduler: Scheduler;
}

const KIND_OF: Record<BookingStatus, SegmentKind> = {
  pending_payment: 'held',
  paid: 'booked',
  in_use: 'in_use',
  completed: 'booked',
  refunding: 'booked',
  cancelled: 'free',
  refunded: 'free',
};

export class BookingService {
  constructor(private readonly d: BookingDeps) {}

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  /** Prices a span or a session package in a room, with the owner's calendar. */
  private price(room: Room, req: SpanRequest): Quote {
    const ctx = { timeZone: this.tz(), dayType: this.d.calendar.resolver() };
    const start = parseInstant(req.start);
    try {
      if (req.packageId !== undefined)
        return quotePackage(room.pricePlan, req.packageId, start, ctx);
      return quoteSpan(room.pricePlan, { start, end: parseInstant(req.end!) }, ctx);
    } catch (e) {
      if (e instanceof PricingError) {
        const kind =
          e.code === 'unknown_package'
            ? 'invalid'
            : e.code === 'package_unavailable'
              ? 'conflict'
              : 'invalid';
        throw new DomainError(kind, e.code, e.message, e.field);
      }
      throw e;
    }
  }

  quote(req: SpanRequest): QuoteView {
    const room = this.d.store.bookableRoom(req.roomId);
    const rules = this.d.store.rulesFor(room);
    this.precheck(room, rules, req);
    const q = this.price(room, req);
    this.checkSpan(room, rules, q.start, q.end, req.packageId !== undefined);
    return this.quoteView(room.id, req.packageId ?? null, q);
  }

  /** The cheap checks first, so that no request can make the hub price a span of years. */
  private precheck(room: Room, rules: BookingRules, req: SpanRequest, partySize?: number): void {
    if (req.end === undefined) return; // a package's span is the owner's fixed length
    this.checkSpan(room, rules, parseInstant(req.start), parseInstant(req.end), false, partySize);
  }

  /** The booking rules a new or moved span must meet (O4). Throws a 4xx naming the field. */
  private checkSpan(
    room: Room,
    rules: BookingRules,
    start: number,
    end: number,
    isPackage: boolean,
    partySize?: number,
  ): void {
    const now = this.d.clock.now();
    const tz = this.tz();
    const stepMs = rules.stepMinutes * MINUTE;
    if (end <= start)
      throw new DomainError('invalid', 'invalid_span', 'end must be after start', 'end');
    // A walk-in may take the step that has already begun; anything earlier is in the past.
    if (start + stepMs <= now)
      throw new DomainError('invalid', 'start_in_past', 'start is in the past', 'start');
    if (start > now + rules.advanceDays * DAY) {
      throw new DomainError(
        'invalid',
        'too_far_ahead',
        `bookings open at most ${rules.advanceDays} days ahead`,
        'start',
      );
    }
    if (!isPackage) {
      const minutes = (end - start) / MINUTE;
      if (localMinuteOfDay(start, tz) % rules.stepMinutes !== 0 || (start / MINUTE) % 1 !== 0) {
        throw new DomainError(
          'invalid',
          'off_step',
          `start must fall on a ${rules.stepMinutes}-minute step`,
          'start',
        );
      }
      if (localMinuteOfDay(end, tz) % rules.stepMinutes !== 0 || (end / MINUTE) % 1 !== 0) {
        throw new DomainError(
          'invalid',
          'off_step',
          `end must fall on a ${rules.stepMinutes}-minute step`,
          'end',
        );
      }
      if (minutes < rules.minMinutes) {
        throw new DomainError(
          'invalid',
          'too_short',
          `a booking lasts at least ${rules.minMinutes} minutes`,
          'end',
        );
      }
      if (minutes > rules.maxMinutes) {
        throw new DomainError(
          'invalid',
          'too_long',
          `a booking lasts at most ${rules.maxMinutes} minutes`,
          'end',
        );
      }
    }
    if (partySize !== undefined && partySize > room.capacity) {
      throw new DomainError(
        'invalid',
        'party_too_large',
        `room ${room.name} takes at most ${room.capacity} people`,
        'partySize',
      );
    }
  }

  private assertFree(
    roomId: string,
    blockStart: number,
    blockEnd: number,
    exceptId: string | null,
  ): void {
    const clash = this.d.db
      .prepare(
        `SELECT number FROM bookings WHERE room_id = ? AND status IN ${OCCUPYING_SQL}
           AND block_end > ? AND block_start < ? AND id <> ? LIMIT 1`,
      )
      .get(roomId, blockStart, blockEnd, exceptId ?? '') as { number: string } | undefined;
    if (clash)
      throw new DomainError(
        'conflict',
        'slot_taken',
        'this time is no longer free in this room',
        'start',
      );
  }

  /** Creates a held booking; the caller runs it inside a write. The check and insert share one transaction. */
  create(input: BookingCreate, actor: Actor, afterCommit: AfterCommit): BookingView {
    const room = this.d.store.bookableRoom(input.roomId);
    const rules = this.d.store.rulesFor(room);
    this.precheck(room, rules, input, input.partySize);
    const q = this.price(room, input);
    this.checkSpan(room, rules, q.start, q.end, input.packageId !== undefined, input.partySize);
    const blockEnd = q.end + rules.bufferMinutes * MINUTE;
    this.assertFree(room.id, q.start, blockEnd, null);
    const now = this.d.clock.now();
    const id = this.d.newId();
    const holdExpiresAt = now + rules.holdMinutes * MINUTE;
    const number = this.nextNumber(now);
    const lines = JSON.stringify(q.lines);
    try {
      this.d.db
        .prepare(
          `INSERT INTO bookings (id, number, room_id, status, start_at, end_at, block_start, block_end, party_size,
             customer_phone, customer_name, package_id, total, lines, hold_expires_at, created_at, updated_at)
           VALUES (?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          number,
          room.id,
          q.start,
          q.end,
          q.start,
          blockEnd,
          input.partySize,
          input.customer.phone,
          input.customer.name ?? null,
          input.packageId ?? null,
          q.total,
          lines,
          holdExpiresAt,
          now,
          now,
        );
    } catch (e) {
      throw mapGuard(e);
    }
    const row: BookingRow = {
      id,
      number,
      room_id: room.id,
      status: 'pending_payment',
      start_at: q.start,
      end_at: q.end,
      block_start: q.start,
      block_end: blockEnd,
      party_size: input.partySize,
      customer_phone: input.customer.phone,
      customer_name: input.customer.name ?? null,
      package_id: input.packageId ?? null,
      total: q.total,
      lines,
      hold_expires_at: holdExpiresAt,
      refund_from_status: null,
      changes: 0,
      created_at: now,
      updated_at: now,
    };
    this.d.records.record(id, 'create', null, 'pending_payment', actor, null, { total: q.total });
    this.d.records.announce(row, afterCommit);
    this.d.scheduler.schedule(EXPIRE_JOB, id, holdExpiresAt);
    afterCommit(() => this.d.scheduler.poke());
    return this.view(row, 0, 0);
  }

  /** The day's next booking number, e.g. 202611230007: short enough to read out at the counter. */
  private nextNumber(now: number): string {
    const day = localDateOf(now, this.tz()).replaceAll('-', '');
    const { value } = this.d.db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(`booking-number:${day}`) as { value: number };
    return `${day}${String(value).padStart(4, '0')}`;
  }

  /** A room with bookings still to come cannot be retired: those customers would be stranded. */
  assertRoomCanRetire(roomId: string): void {
    const { n } = this.d.db
      .prepare(
        `SELECT COUNT(*) AS n FROM bookings WHERE room_id = ? AND status IN ${OCCUPYING_SQL} AND block_end > ?`,
      )
      .get(roomId, this.d.clock.now()) as { n: number };
    if (n > 0) {
      throw new DomainError(
        'conflict',
        'room_has_bookings',
        `the room has ${n} booking(s) still to come; move or cancel them first`,
        'status',
      );
    }
  }

  /** Job: a hold that was not paid in time lets its slot go. */
  expire(bookingId: string, afterCommit: AfterCommit): void {
    const row = this.d.records.find(bookingId);
    this.d.scheduler.done(EXPIRE_JOB, bookingId);
    if (!row || row.status !== 'pending_payment') return;
    this.d.payments.closePending(bookingId);
    const system = { kind: 'system', id: 'hold-expiry' } as const;
    this.d.records.transition(row, 'expire', system, 'cancelled', afterCommit, {
      reason: 'not paid within the hold time',
    });
    this.returnHeld(row, 'the hold expired before it was paid in full', system, afterCommit);
  }

  cancel(id: string, actor: Actor, reason: string | null, afterCommit: AfterCommit): BookingDetail {
    const row = this.d.records.get(id);
    this.assertCanAct(row, actor);
    if (row.status === 'pending_payment') {
      this.d.payments.closePending(id);
      this.d.scheduler.done(EXPIRE_JOB, id);
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit, { reason });
      this.returnHeld(row, 'cancelled before it was paid in full', actor, afterCommit);
      return this.detail(id);
    }
    if (row.status !== 'paid') {
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit); // throws the 409
    }
    const refundable = this.refundable(row);
    const fee = cancellationFee(this.rulesOf(row), refundable, this.d.clock.now(), row.start_at);
    if (fee === null) {
      throw new DomainError(
        'conflict',
        'already_started',
        'the booking has started; ask for a refund instead',
      );
    }
    const refund = refundable - fee;
    if (refund > 0) {
      this.d.records.transition(row, 'cancel', actor, 'refunding', afterCommit, {
        reason,
        data: { fee, refund },
      });
      this.d.payments.refund(
        this.d.records.get(id),
        refund,
        'cancel',
        reason ?? 'cancelled',
        actor,
        afterCommit,
      );
    } else {
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit, {
        reason,
        data: { fee, refund: 0 },
      });
    }
    return this.detail(id);
  }

  /** Reschedule or change room within the rules; re-priced, the difference paid or refunded. */
  change(id: string, input: BookingChange, actor: Actor, afterCommit: AfterCommit): BookingDetail {
    const row = this.d.records.get(id);
    this.assertCanAct(row, actor);
    if (row.status !== 'pending_payment' && row.status !== 'paid') {
      this.d.records.transition(row, 'change', actor, row.status, afterCommit); // throws the 409
    }
    const rules = this.rulesOf(row);
    const now = this.d.clock.now();
    if (!rules.change.allowed)
      throw new DomainError('conflict', 'changes_not_allowed', 'this store does not allow changes');
    if (row.changes >= rules.change.maxChanges) {
      throw new DomainError(
        'conflict',
        'too_many_changes',
        `a booking may be changed at most ${rules.change.maxChanges} times`,
      );
    }
    if (now > row.start_at - rules.change.minNoticeMinutes * MINUTE) {
      throw new DomainError(
        'conflict',
        'change_too_late',
        `changes close ${rules.change.minNoticeMinutes} minutes before the start`,
      );
    }
    const room = this.d.store.bookableRoom(input.roomId ?? row.room_id);
    const roomRules = this.d.store.rulesFor(room);
    const span = {
      roomId: room.id,
      start: input.start,
      end: input.end,
      packageId: input.packageId,
    };
    this.precheck(room, roomRules, span, row.party_size);
    const q = this.price(room, span);
    this.checkSpan(room, roomRules, q.start, q.end, input.packageId !== undefined, row.party_size);
    const blockEnd = q.end + roomRules.bufferMinutes * MINUTE;
    this.assertFree(room.id, q.start, blockEnd, id);
    try {
      this.d.db
        .prepare(
          `UPDATE bookings SET room_id = ?, start_at = ?, end_at = ?, block_start = ?, block_end = ?, package_id = ?,
             total = ?, lines = ?, changes = changes + 1, updated_at = ? WHERE id = ?`,
        )
        .run(
          room.id,
          q.start,
          q.end,
          q.start,
          blockEnd,
          input.packageId ?? null,
          q.total,
          JSON.stringify(q.lines),
          now,
          id,
        );
    } catch (e) {
      throw mapGuard(e);
    }
    const tz = this.tz();
    const updated = this.d.records.transition(row, 'change', actor, row.status, afterCommit, {
      reason: input.reason ?? null,
      data: {
        before: {
          roomId: row.room_id,
          start: formatInstant(row.start_at, tz),
          end: formatInstant(row.end_at, tz),
          total: row.total,
        },
        after: {
          roomId: room.id,
          start: formatInstant(q.start, tz),
          end: formatInstant(q.end, tz),
          total: q.total,
        },
      },
    });
    // Both the old and the new place on the board changed.
    this.d.records.announce(row, afterCommit);
    this.d.records.announce(
      { ...updated, room_id: room.id, block_start: q.start, block_end: blockEnd },
      afterCommit,
    );
    // A hold paid in part before the change (an old QR) may be paid in full at the new price.
    if (row.status === 'pending_payment') {
      this.d.payments.applyAfterRepricing(this.d.records.get(id), actor, afterCommit);
    }
    if (row.status === 'paid') {
      const over = this.refundable(row) - q.total;
      if (over > 0)
        this.d.payments.refund(
          this.d.records.get(id),
          over,
          'change',
          'the changed booking costs less',
          actor,
          afterCommit,
        );
      if (over < 0) {
        // A paid booking never holds time it has not paid for: the difference is taken now or the
        // change is refused, and this whole write rolls back.
        if (input.collect !== 'cash') {
          throw new DomainError(
            'conflict',
            'difference_due',
            `the new time costs ${-over} fen more; staff can take it in cash (collect: "cash"), or cancel and book again`,
            'collect',
          );
        }
        this.d.payments.payCash(id, actor, afterCommit);
      }
    }
    return this.detail(id);
  }

  requestRefund(
    id: string,
    input: { reason: string; amount?: number | undefined },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    this.assertCanAct(row, actor);
    const refundable = this.refundable(row);
    const amount = input.amount ?? refundable;
    if (['paid', 'in_use', 'completed'].includes(row.status)) {
      if (refundable <= 0)
        throw new DomainError(
          'conflict',
          'nothing_to_refund',
          'nothing paid on this booking is left to refund',
        );
      assertWithin(amount, refundable);
    }
    this.d.records.transition(row, 'request_refund', actor, 'refunding', afterCommit, {
      reason: input.reason,
      data: { amount },
      set: { refund_from_status: row.status },
    });
    return this.detail(id);
  }

  approveRefund(
    id: string,
    input: { amount?: number | undefined; note?: string | undefined },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    this.assertNoRefundOnItsWay(row);
    const requested = this.lastRequest(id);
    const refundable = this.refundable(row);
    const amount = input.amount ?? requested?.amount ?? refundable;
    if (row.status === 'refunding') assertWithin(amount, refundable);
    this.d.records.transition(row, 'approve_refund', actor, 'refunding', afterCommit, {
      reason: input.note ?? null,
      data: { amount },
    });
    this.d.payments.refund(
      row,
      amount,
      'approved',
      requested?.reason ?? input.note ?? 'approved by staff',
      actor,
      afterCommit,
    );
    return this.detail(id);
  }

  rejectRefund(
    id: string,
    input: { reason: string },
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingDetail {
    const row = this.d.records.get(id);
    this.assertNoRefundOnItsWay(row);
    if (row.status === 'refunding' && row.refund_from_status === null) {
      throw new DomainError(
        'conflict',
        'nothing_to_reject',
        'this refund comes from a cancellation, not a request',
      );
    }
    this.d.records.transition(
      row,
      'reject_refund',
      actor,
      row.refund_from_status ?? row.status,
      afterCommit,
      {
        reason: input.reason,
        set: { refund_from_status: null },
      },
    );
    return this.detail(id);
  }

  /** A refund under review can be decided only while no money of an earlier decision is still on its way. */
  private assertNoRefundOnItsWay(row: BookingRow): void {
    if (row.status === 'refunding' && this.d.payments.hasPendingRefunds(row.id)) {
      throw new DomainError(
        'conflict',
        'refund_in_progress',
        'a refund for this booking is already on its way',
      );
    }
  }

  private lastRequest(id: string): { amount: number; reason: string } | null {
    const r = this.d.db
      .prepare(
        `SELECT reason, data FROM booking_events WHERE booking_id = ? AND action = 'request_refund' ORDER BY id DESC LIMIT 1`,
      )
      .get(id) as { reason: string; data: string } | undefined;
    return r
      ? { amount: (JSON.parse(r.data) as { amount: number }).amount, reason: r.reason }
      : null;
  }

  /** A hold that ends unpaid gives back any part of it that was paid (an old QR paid after a change). */
  private returnHeld(
    row: BookingRow,
    reason: string,
    actor: Actor,
    afterCommit: AfterCommit,
  ): void {
    const held = this.refundable(row);
    if (held > 0)
      this.d.payments.refund(
        this.d.records.get(row.id),
        held,
        'cancel',
        reason,
        actor,
        afterCommit,
      );
  }

  /** What could still go back: the ledger's net less refunds already on their way. */
  private refundable(row: BookingRow): number {
    return row.total - this.d.payments.due(row);
  }

  private rulesOf(row: BookingRow): BookingRules {
    return this.d.store.rulesFor(this.d.store.getRoom(row.room_id));
  }

  private assertCanAct(row: BookingRow, actor: Actor): void {
    assertCanAct(row, actor);
  }

  get(id: string): BookingDetail {
    return this.detail(id);
  }

  detail(id: string): BookingDetail {
    const row = this.d.records.get(id);
    const tz = this.tz();
    return {
      ...this.view(row),
      history: this.d.records.history(id, tz),
      payments: this.d.payments.paymentsOf(id),
      refunds: this.d.payments.refundsOf(id),
      ledger: this.d.payments.ledgerOf(id),
    };
  }

  list(q: {
    status?: BookingStatus | undefined;
    date?: LocalDate | undefined;
    roomId?: string | undefined;
    phone?: string | undefined;
    limit: number;
  }): BookingView[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.date) {
      where.push('start_at >= ? AND start_at < ?');
      args.push(instantAt(q.date, 0, this.tz()), instantAt(nextLocalDate(q.date), 0, this.tz()));
    }
    if (q.roomId) {
      where.push('room_id = ?');
      args.push(q.roomId);
    }
    if (q.phone) {
      where.push('customer_phone = ?');
      args.push(q.phone);
    }
    const rows = this.d.db
      .prepare(
        `SELECT * FROM bookings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_at, room_id LIMIT ?`,
      )
      .all(...args, q.limit) as BookingRow[];
    return rows.map((r) => this.view(r));
  }

  /** A room's day as segments: free, held, booked, in use and cleaning (C3). */
  availability(roomId: string, date: LocalDate): RoomTimeline {
    const room = this.d.store.getRoom(roomId, 'id');
    return this.timeline(room, date);
  }

  board(date: LocalDate): { date: LocalDate; now: string; rooms: RoomTimeline[] } {
    return {
      date,
      now: formatInstant(this.d.clock.now(), this.tz()),
      rooms: this.d.store.listRooms().map((room) => this.timeline(room, date)),
    };
  }

  private timeline(room: Room, date: LocalDate): RoomTimeline {
    const tz = this.tz();
    const dayStart = instantAt(date, 0, tz);
    const dayEnd = instantAt(nextLocalDate(date), 0, tz);
    const now = this.d.clock.now();
    const rows = this.d.db
      .prepare(
        // A session that ended early or late occupied the room until it actually ended.
        `SELECT b.id, b.number, b.status, b.start_at, COALESCE(s.ended_at, b.end_at) AS end_at, b.block_end
         FROM bookings b LEFT JOIN sessions s ON s.booking_id = b.id
         WHERE b.room_id = ? AND b.status IN ${OCCUPYING_SQL} AND b.block_end > ? AND b.block_start < ? ORDER BY b.start_at`,
      )
      .all(room.id, dayStart, dayEnd) as Pick<
      BookingRow,
      'id' | 'number' | 'status' | 'start_at' | 'end_at' | 'block_end'
    >[];
    const raw: {
      kind: SegmentKind;
      start: number;
      end: number;
      bookingId?: string;
      number?: string;
    }[] = [];
    let cursor = dayStart;
    let nowKind: SegmentKind = 'free';
    const push = (
      kind: SegmentKind,
      start: number,
      end: number,
      b?: { id: string; number: string },
    ) => {
      const s = Math.max(start, dayStart);
      const e = Math.min(end, dayEnd);
      if (now >= start && now < end) nowKind = kind;
      if (e <= s) return;
      raw.push({ kind, start: s, end: e, ...(b ? { bookingId: b.id, number: b.number } : {}) });
    };
    for (const b of rows) {
      if (b.start_at > cursor) push('free', cursor, b.start_at);
      push(KIND_OF[b.status], b.start_at, b.end_at, b);
      if (b.block_end > b.end_at) push('cleaning', b.end_at, b.block_end, b);
      cursor = Math.max(cursor, b.block_end);
    }
    if (cursor < dayEnd) push('free', cursor, dayEnd);
    return {
      room: {
        id: room.id,
        name: room.name,
        capacity: room.capacity,
        style: room.style,
        status: room.status,
      },
      date,
      now: nowKind,
      segments: raw.map((s) => ({
        ...s,
        start: formatInstant(s.start, tz),
        end: formatInstant(s.end, tz),
      })),
    };
  }

  /** `net` and `pending` may be passed when known, e.g. for a booking created this instant. */
  private view(row: BookingRow, net?: number, pending?: number): BookingView {
    const tz = this.tz();
    const room = this.d.store.getRoom(row.room_id);
    const paid = net ?? this.d.records.netPaid(row.id);
    const due = row.total - paid + (pending ?? this.d.payments.pendingRefunds(row.id));
    return {
      id: row.id,
      number: row.number,
      status: row.status,
      room: { id: room.id, name: room.name },
      start: formatInstant(row.start_at, tz),
      end: formatInstant(row.end_at, tz),
      minutes: Math.round((row.end_at - row.start_at) / MINUTE),
      partySize: row.party_size,
      customer: { phone: row.customer_phone, name: row.customer_name },
      packageId: row.package_id,
      lines: this.d.records.lines(row).map((l) => lineView(l, tz)),
      total: row.total,
      paid,
      // A completed booking can still owe its overtime.
      due: Math.max(
        0,
        ['pending_payment', 'paid', 'in_use', 'completed'].includes(row.status) ? due : 0,
      ),
      holdExpiresAt: row.hold_expires_at === null ? null : formatInstant(row.hold_expires_at, tz),
      changes: row.changes,
      createdAt: formatInstant(row.created_at, tz),
      updatedAt: formatInstant(row.updated_at, tz),
    };
  }

  private quoteView(roomId: string, packageId: string | null, q: Quote): QuoteView {
    const tz = this.tz();
    return {
      roomId,
      packageId,
      start: formatInstant(q.start, tz),
      end: formatInstant(q.end, tz),
      minutes: q.minutes,
      lines: q.lines.map((l) => lineView(l, tz)),
      total: q.total,
    };
  }
}

function assertWithin(amount: number, refundable: number): void {
  if (amount > refundable) {
    throw new DomainError(
      'invalid',
      'refund_exceeds_paid',
      `at most ${refundable} fen can be refunded`,
      'amount',
    );
  }
}

function lineView(l: FeeLine, tz: string): FeeLineView {
  return { ...l, start: formatInstant(l.start, tz), end: formatInstant(l.end, tz) };
}

/** The schema's own guard speaks SQLite; turn it into the API's conflict. */
function mapGuard(e: unknown): unknown {
  if (e instanceof Error && e.message.startsWith('slot_taken')) {
    return new DomainError(
      'conflict',
      'slot_taken',
      'this time is no longer free in this room',
      'start',
    );
  }
  return e;
}
