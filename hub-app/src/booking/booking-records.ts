// Rows of `bookings` and `booking_events`: reading a booking, and moving it through the state
// machine with a history entry in the same transaction. Every status change goes through
// `transition`; nothing else writes `bookings.status`.
import {
  checkTransition,
  formatInstant,
  TransitionError,
  type Actor,
  type BookingAction,
  type BookingStatus,
  type FeeLine,
} from '@roomhub/shared-types';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { DomainError, notFound } from '@roomhub/shared-types';
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
  package_id: string | null;
  total: number;
  lines: string;
  hold_expires_at: number | null;
  refund_from_status: BookingStatus | null;
  changes: number;
  created_at: number;
  updated_at: number;
}

export interface HistoryEntry {
  action: BookingAction | string;
  from: BookingStatus | null;
  to: BookingStatus;
  actor: Actor;
  reason: string | null;
  data: unknown;
  at: string;
}

/**
 * Customers act on their own bookings only; the store's kiosk acts for walk-ins; staff and the
 * system for anyone. The one place this rule lives.
 */
export function assertCanAct(
  row: Pick<BookingRow, 'customer_phone'>,
  actor: Actor,
  opts: { readOnly?: boolean } = {},
): void {
  if (actor.kind !== 'customer' || actor.id.startsWith('kiosk:') || actor.id === row.customer_phone)
    return;
  // Reading by id is allowed without a name: the id itself is an unguessable 128-bit ticket.
  if (actor.id === 'anonymous' && opts.readOnly) return;
  if (actor.id === 'anonymous') {
    throw new DomainError(
      'forbidden',
      'sign_in_required',
      'say who you are (the phone number of the booking) to act on it',
    );
  }
  throw new DomainError(
    'forbidden',
    'not_your_booking',
    'this booking belongs to another customer',
  );
}

/** Told of every transition inside its transaction, e.g. to schedule a session's steps. */
export type TransitionListener = (
  t: { row: BookingRow; action: BookingAction; from: BookingStatus; actor: Actor },
  afterCommit: AfterCommit,
) => void;

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

  find(id: string): BookingRow | undefined {
    return this.db.prepare('SELECT * FROM bookings WHERE id = ?').get(id) as BookingRow | undefined;
  }

  get(id: string): BookingRow {
    const row = this.find(id);
    if (!row) throw notFound('booking', id, 'id');
    return row;
  }

  /** Money in minus money out, from the ledger: the only source of what a booking has paid. */
  netPaid(bookingId: string): number {
    return (
      this.db
        .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE booking_id = ?')
        .get(bookingId) as {
        s: number;
      }
    ).s;
  }

  /** Checks the state machine, writes the new status and the history entry, emits after commit. */
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
    try {
      checkTransition(row.status, action, actor, to, row.refund_from_status);
    } catch (e) {
      if (e instanceof TransitionError) {
        throw new DomainError(e.code === 'forbidden' ? 'forbidden' : 'conflict', e.code, e.message);
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
    const updated = { ...this.get(row.id), ...set, status: to, updated_at: now };
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
    if (row) this.outbox.markBooking(row, this.timeZone());
    if (['start', 'finish', 'no_show', 'extend'].includes(action))
      this.outbox.markSession(bookingId);
  }

  announce(row: BookingRow, afterCommit: AfterCommit): void {
    // The place a booking leaves (a change of room or time) must be published as free again.
    this.outbox.markBooking(row, this.timeZone());
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

  lines(row: BookingRow): FeeLine[] {
    return JSON.parse(row.lines) as FeeLine[];
  }
}
