// Rows of `bookings`, `booking_events` and the booking-number `counters`: the only module that
// writes them. Every status change goes through `transition` (the state machine in shared-types,
// with its history entry in the same transaction); every other change of a booking (its time, its
// room, its bill) is one named method here, and its caller says why with `transition` or `record`
// in the same write, which also marks the outbox. Services decide; this module records. It never
// prices, pays or opens anything.
import {
  checkTransition,
  DomainError,
  formatInstant,
  localDateOf,
  notFound,
  OCCUPYING_STATUSES,
  TransitionError,
  type Actor,
  type BookingAction,
  type BookingStatus,
  type Clock,
  type FeeLine,
  type HistoryEntry,
  type Span,
} from '@roomhub/shared-types';
import { maintenanceClash } from './maintenance-clash';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { Outbox } from '../sync/outbox';

export interface BookingRow {
  id: string;
  number: string;
  room_id: string;
  status: BookingStatus;
  start_at: number;
  end_at: number;
  block_start: number;
  block_end: number;
  party_size: number;
  customer_phone: string;
  customer_name: string | null;
  /** The cloud's customer id, for a booking made online. */
  customer_id: string | null;
  /** The intent that asked for it, for a booking made online. */
  intent_id: string | null;
  package_id: string | null;
  total: number;
  lines: string;
  hold_expires_at: number | null;
  refund_from_status: BookingStatus | null;
  changes: number;
  created_at: number;
  updated_at: number;
}

/**
 * Whether the booking `b` holds its room (SQL): an occupying status, except a cancellation whose
 * money is on its way back (refunding with no refund request behind it). Migration 8's guards
 * say the same.
 */
export const holdsRoom = (b: string) =>
  `(${b}.status IN (${OCCUPYING_STATUSES.map((s) => `'${s}'`).join(',')}) AND NOT (${b}.status = 'refunding' AND ${b}.refund_from_status IS NULL))`;

/** Told of every transition inside its transaction, e.g. to schedule a session's steps. */
export type TransitionListener = (
  t: { row: BookingRow; action: BookingAction; from: BookingStatus; actor: Actor },
  afterCommit: AfterCommit,
) => void;

export interface NewBooking {
  roomId: string;
  start: number;
  end: number;
  /** The span plus its cleaning buffer. */
  block: Span;
  partySize: number;
  customer: { phone: string; name: string | null };
  packageId: string | null;
  total: number;
  lines: FeeLine[];
  holdExpiresAt: number;
}

/** What would take a booking away from the guest at its door. */
const TAKEN_AWAY_BY: readonly BookingAction[] = ['cancel', 'change', 'request_refund', 'no_show'];

export class BookingRecords {
  private readonly listeners: TransitionListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly outbox: Outbox,
    private readonly timeZone: () => string,
  ) {}

  onTransition(fn: TransitionListener): void {
    this.listeners.push(fn);
  }

  // ---- reading --------------------------------------------------------------------------------

  find(id: string): BookingRow | undefined {
    return this.db.prepare('SELECT * FROM bookings WHERE id = ?').get(id) as BookingRow | undefined;
  }

  get(id: string): BookingRow {
    const row = this.find(id);
    if (!row) throw notFound('booking', id, 'id');
    return row;
  }

  lines(row: BookingRow): FeeLine[] {
    return JSON.parse(row.lines) as FeeLine[];
  }

  /** Change fees already on the bill: kept by the store, never given back by a later step. */
  feesKept(row: BookingRow): { lines: FeeLine[]; total: number } {
    const lines = this.lines(row).filter((l) => l.kind === 'change_fee');
    return { lines, total: lines.reduce((sum, l) => sum + l.amount, 0) };
  }

  /** Whether nothing else holds the room in [from, to) (cleaning buffers included). */
  isFree(roomId: string, from: number, to: number, exceptId: string | null): boolean {
    return (
      this.clashIn(roomId, from, to, exceptId) === undefined &&
      maintenanceClash(this.db, roomId, from, to) === undefined
    );
  }

  /** Refuses a span another booking holds, naming that booking. */
  assertFree(roomId: string, block: Span, exceptId: string | null): void {
    const clash = this.clashIn(roomId, block.start, block.end, exceptId);
    if (clash) {
      throw new DomainError(
        'conflict',
        'slot_taken',
        'this time is no longer free in this room',
        'start',
      );
    }
    if (maintenanceClash(this.db, roomId, block.start, block.end)) {
      throw new DomainError(
        'conflict',
        'room_under_maintenance',
        'this room is under maintenance at this time',
        'start',
      );
    }
  }

  private clashIn(roomId: string, from: number, to: number, exceptId: string | null) {
    return this.db
      .prepare(
        `SELECT b.number FROM bookings b WHERE b.room_id = ? AND ${holdsRoom('b')}
           AND b.id <> ? AND b.block_end > ? AND b.block_start < ? LIMIT 1`,
      )
      .get(roomId, exceptId ?? '', from, to) as { number: string } | undefined;
  }

  list(q: {
    status?: BookingStatus | undefined;
    from?: number | undefined;
    to?: number | undefined;
    roomId?: string | undefined;
    phone?: string | undefined;
    limit: number;
  }): BookingRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, ...values: (string | number)[]) => {
      where.push(sql);
      args.push(...values);
    };
    if (q.status) add('status = ?', q.status);
    if (q.from !== undefined && q.to !== undefined)
      add('start_at >= ? AND start_at < ?', q.from, q.to);
    if (q.roomId) add('room_id = ?', q.roomId);
    if (q.phone) add('customer_phone = ?', q.phone);
    return this.db
      .prepare(
        `SELECT * FROM bookings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_at, room_id LIMIT ?`,
      )
      .all(...args, q.limit) as BookingRow[];
  }

  /** Unpaid holds of a phone number, or made by one caller (a kiosk). */
  holdsOf(by: { phone: string } | { actorId: string }): number {
    const q =
      'phone' in by
        ? this.db
            .prepare(
              `SELECT COUNT(*) AS n FROM bookings WHERE status = 'pending_payment' AND customer_phone = ?`,
            )
            .get(by.phone)
        : this.db
            .prepare(
              `SELECT COUNT(*) AS n FROM bookings b JOIN booking_events e ON e.booking_id = b.id AND e.action = 'create'
               WHERE b.status = 'pending_payment' AND e.actor_id = ?`,
            )
            .get(by.actorId);
    return (q as { n: number }).n;
  }

  /** Bookings in one of `statuses` whose time overlaps [from, to), in start order. */
  overlapping(
    statuses: readonly BookingStatus[],
    from: number,
    to: number,
    roomId?: string,
  ): BookingRow[] {
    return this.db
      .prepare(
        `SELECT * FROM bookings WHERE status IN (${statuses.map(() => '?').join(',')})
           AND end_at > ? AND start_at < ? ${roomId ? 'AND room_id = ?' : ''} ORDER BY start_at`,
      )
      .all(...statuses, from, to, ...(roomId ? [roomId] : [])) as BookingRow[];
  }

  inUse(): BookingRow[] {
    return this.db
      .prepare(`SELECT * FROM bookings WHERE status = 'in_use' ORDER BY end_at`)
      .all() as BookingRow[];
  }

  history(bookingId: string, timeZone: string): HistoryEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM booking_events WHERE booking_id = ? ORDER BY id')
      .all(bookingId) as {
      action: string;
      from_status: BookingStatus | null;
      to_status: BookingStatus;
      actor_kind: Actor['kind'];
      actor_id: string;
      reason: string | null;
      data: string | null;
      at: number;
    }[];
    return rows.map((r) => ({
      action: r.action,
      from: r.from_status,
      to: r.to_status,
      actor: { kind: r.actor_kind, id: r.actor_id },
      reason: r.reason,
      data: r.data ? (JSON.parse(r.data) as unknown) : null,
      at: formatInstant(r.at, timeZone),
    }));
  }

  /** The request a refund under review came with, if it came from one. */
  lastRefundRequest(bookingId: string): { amount: number; reason: string } | null {
    const r = this.db
      .prepare(
        `SELECT reason, data FROM booking_events WHERE booking_id = ? AND action = 'request_refund' ORDER BY id DESC LIMIT 1`,
      )
      .get(bookingId) as { reason: string; data: string } | undefined;
    return r
      ? { amount: (JSON.parse(r.data) as { amount: number }).amount, reason: r.reason }
      : null;
  }

  /** When the booking last went into refunding from another status. */
  refundingSince(bookingId: string): number {
    const r = this.db
      .prepare(
        `SELECT MAX(at) AS at FROM booking_events WHERE booking_id = ? AND to_status = 'refunding' AND from_status <> 'refunding'`,
      )
      .get(bookingId) as { at: number | null };
    return r.at ?? 0;
  }

  // ---- writing --------------------------------------------------------------------------------

  /** A new booking, held as pending payment; its history starts here. */
  create(id: string, b: NewBooking, actor: Actor, afterCommit: AfterCommit): BookingRow {
    const now = this.clock.now();
    const row: BookingRow = {
      id,
      number: this.nextNumber(now),
      room_id: b.roomId,
      status: 'pending_payment',
      start_at: b.start,
      end_at: b.end,
      block_start: b.block.start,
      block_end: b.block.end,
      party_size: b.partySize,
      customer_phone: b.customer.phone,
      customer_name: b.customer.name,
      customer_id: null,
      intent_id: null,
      package_id: b.packageId,
      total: b.total,
      lines: JSON.stringify(b.lines),
      hold_expires_at: b.holdExpiresAt,
      refund_from_status: null,
      changes: 0,
      created_at: now,
      updated_at: now,
    };
    guarded(() =>
      this.db
        .prepare(
          `INSERT INTO bookings (id, number, room_id, status, start_at, end_at, block_start, block_end, party_size,
             customer_phone, customer_name, package_id, total, lines, hold_expires_at, created_at, updated_at)
           VALUES (?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.id,
          row.number,
          row.room_id,
          row.start_at,
          row.end_at,
          row.block_start,
          row.block_end,
          row.party_size,
          row.customer_phone,
          row.customer_name,
          row.package_id,
          row.total,
          row.lines,
          row.hold_expires_at,
          row.created_at,
          row.updated_at,
        ),
    );
    this.record(row.id, 'create', null, 'pending_payment', actor, null, { total: row.total });
    this.announce(row, afterCommit);
    return row;
  }

  /** The booking was made online: whose it is and which intent asked for it. */
  linkIntent(id: string, customerId: string, intentId: string): void {
    this.db
      .prepare('UPDATE bookings SET customer_id = ?, intent_id = ? WHERE id = ?')
      .run(customerId, intentId, id);
  }

  /**
   * Moves a booking to another time or room, re-priced (a change, C9). The history entry is the
   * caller's `transition('change', ...)`, which also says before and after.
   */
  reschedule(
    row: BookingRow,
    to: { roomId: string; start: number; end: number; block: Span; packageId: string | null },
    bill: { lines: FeeLine[]; total: number },
  ): void {
    guarded(() =>
      this.db
        .prepare(
          `UPDATE bookings SET room_id = ?, start_at = ?, end_at = ?, block_start = ?, block_end = ?, package_id = ?,
             total = ?, lines = ?, changes = changes + 1, updated_at = ? WHERE id = ?`,
        )
        .run(
          to.roomId,
          to.start,
          to.end,
          to.block.start,
          to.block.end,
          to.packageId,
          bill.total,
          JSON.stringify(bill.lines),
          this.clock.now(),
          row.id,
        ),
    );
  }

  /** Moves the end (an extension, or the end put back when it went unpaid) with the new bill. */
  moveEnd(
    row: BookingRow,
    end: number,
    blockEnd: number,
    bill: { lines: FeeLine[]; total: number },
  ): void {
    guarded(() =>
      this.db
        .prepare(
          'UPDATE bookings SET end_at = ?, block_end = ?, lines = ?, total = ?, updated_at = ? WHERE id = ?',
        )
        .run(end, blockEnd, JSON.stringify(bill.lines), bill.total, this.clock.now(), row.id),
    );
  }

  /** Adds lines to the bill, e.g. overtime when a session ends late. */
  addFeeLines(row: BookingRow, lines: FeeLine[], amount: number): void {
    const all = [...this.lines(row), ...lines];
    this.db
      .prepare('UPDATE bookings SET lines = ?, total = total + ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(all), amount, this.clock.now(), row.id);
  }

  /** When a session ended early or late, the room is free again after its cleaning from then. */
  setBlockEnd(row: BookingRow, blockEnd: number): void {
    guarded(() =>
      this.db.prepare('UPDATE bookings SET block_end = ? WHERE id = ?').run(blockEnd, row.id),
    );
  }

  /** Checks the state machine, writes the new status and the history entry, emits after commit. */
  /**
   * Bookings whose door is being opened this moment (authorised, the lock not yet confirmed).
   * Nothing may take them away until the lock answers: the session starts only once the door has
   * opened, and a cancel must not slip in between the yes and the relay. In memory: a restart
   * ends every pulse.
   */
  private readonly opening = new Map<string, number>();

  /**
   * Marks a booking's door as opening; call inside the write that authorised it. Opens of one
   * booking at once are counted; the returned release ends this one, once.
   */
  openingDoor(bookingId: string): () => void {
    this.opening.set(bookingId, (this.opening.get(bookingId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.opening.get(bookingId) ?? 1) - 1;
      if (n > 0) this.opening.set(bookingId, n);
      else this.opening.delete(bookingId);
    };
  }

  transition(
    row: BookingRow,
    action: BookingAction,
    actor: Actor,
    to: BookingStatus,
    afterCommit: AfterCommit,
    opts: {
      reason?: string | null;
      data?: unknown;
      set?: Partial<Pick<BookingRow, 'refund_from_status' | 'hold_expires_at'>>;
    } = {},
  ): BookingRow {
    if (this.opening.has(row.id) && TAKEN_AWAY_BY.includes(action)) {
      throw new DomainError(
        'conflict',
        'door_opening',
        'the door is opening for this booking right now; try again in a moment',
      );
    }
    try {
      checkTransition(row.status, action, actor, to, row.refund_from_status);
    } catch (e) {
      if (e instanceof TransitionError) {
        throw new DomainError(
          e.code === 'forbidden' ? 'forbidden' : 'conflict',
          e.code,
          e.message,
        ).with({ status: row.status });
      }
      throw e;
    }
    const now = this.clock.now();
    const set = opts.set ?? {};
    this.db
      .prepare(
        `UPDATE bookings SET status = ?, updated_at = ?,
           refund_from_status = CASE WHEN ? THEN ? ELSE refund_from_status END,
           hold_expires_at = CASE WHEN ? THEN ? ELSE hold_expires_at END
         WHERE id = ?`,
      )
      .run(
        to,
        now,
        'refund_from_status' in set ? 1 : 0,
        set.refund_from_status ?? null,
        'hold_expires_at' in set ? 1 : 0,
        set.hold_expires_at ?? null,
        row.id,
      );
    this.record(row.id, action, row.status, to, actor, opts.reason ?? null, opts.data);
    const updated = this.get(row.id);
    if (row.status !== to) this.announce(updated, afterCommit);
    for (const fn of this.listeners)
      fn({ row: updated, action, from: row.status, actor }, afterCommit);
    return updated;
  }

  /** A history entry without a status change (a change of time, a late payment refunded...). */
  record(
    bookingId: string,
    action: string,
    from: BookingStatus | null,
    to: BookingStatus,
    actor: Actor,
    reason: string | null,
    data?: unknown,
  ): void {
    this.db
      .prepare(
        `INSERT INTO booking_events (booking_id, action, from_status, to_status, actor_kind, actor_id, reason, data, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        bookingId,
        action,
        from,
        to,
        actor.kind,
        actor.id,
        reason,
        data === undefined ? null : JSON.stringify(data),
        this.clock.now(),
      );
    // Every change of a booking has a history entry: publish the booking and its days.
    const row = this.find(bookingId);
    if (row) this.outbox.markBooking(published(row), this.timeZone());
    if (['start', 'finish', 'no_show', 'extend'].includes(action))
      this.outbox.markSession(bookingId);
  }

  /** Tells the board and the cloud that the place `row` holds changed. */
  announce(row: BookingRow, afterCommit: AfterCommit): void {
    // The place a booking leaves (a change of room or time) must be published as free again.
    this.outbox.markBooking(published(row), this.timeZone());
    afterCommit(() => this.outbox.notify());
    const at = this.clock.now();
    const event = {
      type: 'booking.status' as const,
      bookingId: row.id,
      number: row.number,
      roomId: row.room_id,
      status: row.status,
      at,
    };
    const board = {
      type: 'board.changed' as const,
      roomId: row.room_id,
      from: row.block_start,
      to: row.block_end,
      at,
    };
    afterCommit(() => {
      this.events.emit(event);
      this.events.emit(board);
    });
  }

  /** The day's next booking number, e.g. 202611230007: short enough to read out at the counter. */
  private nextNumber(now: number): string {
    const day = localDateOf(now, this.timeZone()).replaceAll('-', '');
    const { value } = this.db
      .prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(`booking-number:${day}`) as { value: number };
    return `${day}${String(value).padStart(4, '0')}`;
  }
}

const published = (row: BookingRow) => ({
  id: row.id,
  roomId: row.room_id,
  block: { start: row.block_start, end: row.block_end },
});

/** The schema's own guard against double booking speaks SQLite; turn it into the API's conflict. */
function guarded(write: () => unknown): void {
  try {
    write();
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('slot_taken')) {
      throw new DomainError(
        'conflict',
        'slot_taken',
        'this time is no longer free in this room',
        'start',
      );
    }
    throw e;
  }
}
