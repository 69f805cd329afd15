// Finding players (C14): a table is one booking of a room, held unpaid (the room is nobody
// else's) until every seat's share is paid or the fill deadline passes. Each player's share is a
// cloud payment on that booking, so the last share paid makes the booking paid (the door code
// follows) and a deadline passed lets the booking's own hold expiry release it, refunding every
// share through the ledger in that one write. Owns `game_tables`, `table_players` and
// `table_settings`; never moves money itself (payments and the booking service do), never
// settles anything between players.
import {
  checkTableTimes,
  DEFAULT_TABLE_SETTINGS,
  DomainError,
  formatInstant,
  notFound,
  parseInstant,
  splitShares,
  TABLE_SETTINGS_ID,
  tableDocId,
  type Actor,
  type AnswerBody,
  type Clock,
  type IntentDoc,
  type TableSettings,
  type TableStatus,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { BookingService } from '../booking/booking.service';
import type { PaymentService } from '../payments/payment.service';
import type { StoreService } from '../store/store.service';
import type { Outbox } from '../sync/outbox';
import type { AuditLog } from '../audit/audit-log';

type TableStartIntent = Extract<IntentDoc, { kind: 'table_start' }>;
type TableJoinIntent = Extract<IntentDoc, { kind: 'table_join' }>;

export interface TableDeps {
  db: Db;
  clock: Clock;
  records: BookingRecords;
  bookings: BookingService;
  payments: PaymentService;
  store: StoreService;
  outbox: Outbox;
  audit: AuditLog;
}

interface TableRow {
  id: string;
  booking_id: string;
  title: string;
  seats: number;
  share: number;
  starter_share: number;
  deadline: number;
  created_at: number;
}

interface PlayerRow {
  table_id: string;
  seat: number;
  customer_id: string;
  phone: string;
  name: string;
  share: number;
  payment_id: string;
  intent_id: string;
  joined_at: number;
  refunded: number;
}

/** A table as the hub knows it; times in the store's zone. */
export interface TableState {
  tableId: string;
  bookingId: string;
  roomId: string;
  title: string;
  start: string;
  end: string;
  deadline: string;
  seats: number;
  total: number;
  share: number;
  starterShare: number;
  status: TableStatus;
  players: {
    seat: number;
    customerId: string;
    phone: string;
    name: string;
    share: number;
    refunded: boolean;
  }[];
}

/** A table is what its booking is: held while open, paid once filled, anything else released. */
export function tableStatusOf(booking: Pick<BookingRow, 'status'>): TableStatus {
  if (booking.status === 'pending_payment') return 'open';
  if (booking.status === 'paid' || booking.status === 'in_use' || booking.status === 'completed')
    return 'filled';
  return 'released';
}

export class TableService {
  constructor(private readonly d: TableDeps) {}

  /** Every change of a table's booking (filled, released, started) republishes the table. Call once. */
  register(): void {
    this.d.records.onTransition(({ row }) => {
      const t = this.byBooking(row.id);
      if (t) this.d.outbox.mark(tableDocId(t.id));
    });
  }

  settings(): TableSettings {
    const r = this.d.db.prepare('SELECT * FROM table_settings WHERE id = 1').get() as
      | { enabled: number; age_notice: string; hours_from: string | null; hours_to: string | null }
      | undefined;
    if (!r) return DEFAULT_TABLE_SETTINGS;
    return {
      enabled: r.enabled === 1,
      ageNotice: r.age_notice,
      hours: r.hours_from && r.hours_to ? { from: r.hours_from, to: r.hours_to } : null,
    };
  }

  /** The owner sets the age notice and game hours; audited in the same write. */
  setSettings(next: TableSettings, actor: Actor): TableSettings {
    const before = this.settings();
    this.d.db
      .prepare(
        `INSERT INTO table_settings (id, enabled, age_notice, hours_from, hours_to, updated_at)
         VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, age_notice = excluded.age_notice,
           hours_from = excluded.hours_from, hours_to = excluded.hours_to, updated_at = excluded.updated_at`,
      )
      .run(
        next.enabled ? 1 : 0,
        next.ageNotice,
        next.hours?.from ?? null,
        next.hours?.to ?? null,
        this.d.clock.now(),
      );
    this.d.outbox.mark(TABLE_SETTINGS_ID);
    const after = this.settings();
    this.d.audit.record({ actor, action: 'tables.settings', target: 'tables', before, after });
    return after;
  }

  /**
   * Starts a table for the intent's customer: the room held as one booking until the deadline,
   * the starter's share (with the remainder) taken. Inside the intent's write; throws a
   * DomainError to refuse, and the caller undoes everything.
   */
  start(intent: TableStartIntent, afterCommit: AfterCommit): AnswerBody {
    const { booking, seats, deadline, title, name, payment } = intent.body;
    const tz = this.d.store.getStore().timeZone;
    const deadlineAt = parseInstant(deadline);
    const startAt = parseInstant(booking.start);
    checkTableTimes({
      settings: this.settings(),
      start: startAt,
      // A package's end is the store's to decide; the hours are checked on its span below.
      end: booking.end ? parseInstant(booking.end) : startAt,
      deadline: deadlineAt,
      now: this.d.clock.now(),
      timeZone: tz,
    });
    const actor: Actor = { kind: 'customer', id: `cloud:${intent.customerId}` };
    const made = this.d.bookings.create({ ...booking, partySize: seats }, actor, afterCommit, {
      holdUntil: deadlineAt,
    });
    const { share, starterShare } = splitShares(made.total, seats);
    if (payment.amount !== starterShare) {
      throw new DomainError(
        'conflict',
        'price_changed',
        `the starter's share is now ${starterShare} fen, not ${payment.amount}`,
      ).with({ price: starterShare });
    }
    this.d.records.linkIntent(made.id, intent.customerId, intent.intentId);
    this.d.db
      .prepare(
        `INSERT INTO game_tables (id, booking_id, title, seats, share, starter_share, deadline, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        intent.intentId,
        made.id,
        title,
        seats,
        share,
        starterShare,
        deadlineAt,
        this.d.clock.now(),
      );
    this.seat(
      intent.intentId,
      1,
      intent,
      booking.customer.phone,
      name,
      payment,
      made.id,
      afterCommit,
    );
    return { outcome: 'confirmed', bookingId: made.id };
  }

  /** Seats the intent's customer with their share paid, or refuses with why. Inside a write. */
  join(intent: TableJoinIntent, afterCommit: AfterCommit): AnswerBody {
    const { tableId, phone, name, payment } = intent.body;
    const t = this.row(tableId);
    if (!t) throw notFound('table', tableId, 'tableId');
    const booking = this.d.records.get(t.booking_id);
    const players = this.playersOf(t.id);
    if (players.some((p) => p.customer_id === intent.customerId)) {
      throw new DomainError(
        'conflict',
        'already_at_table',
        'you already have a seat at this table',
      );
    }
    if (booking.status !== 'pending_payment' || this.d.clock.now() >= t.deadline) {
      throw new DomainError(
        'conflict',
        tableStatusOf(booking) === 'filled' ? 'table_full' : 'table_closed',
        tableStatusOf(booking) === 'filled'
          ? 'this table is full'
          : 'this table did not fill in time and was released',
      );
    }
    if (players.length >= t.seats) {
      throw new DomainError('conflict', 'table_full', 'this table is full');
    }
    if (payment.amount !== t.share) {
      throw new DomainError(
        'conflict',
        'price_changed',
        `a share is ${t.share} fen, not ${payment.amount}`,
      ).with({ price: t.share });
    }
    const seat = Math.max(0, ...players.map((p) => p.seat)) + 1;
    this.seat(t.id, seat, intent, phone, name, payment, t.booking_id, afterCommit);
    return { outcome: 'confirmed', bookingId: t.booking_id };
  }

  private seat(
    tableId: string,
    seat: number,
    intent: TableStartIntent | TableJoinIntent,
    phone: string,
    name: string,
    payment: { paymentId: string; amount: number },
    bookingId: string,
    afterCommit: AfterCommit,
  ): void {
    // The money first: the last share makes the booking paid (the table filled). What the
    // table publishes is read when it is sent, with this seat in it.
    this.d.payments.recordCloudPayment(bookingId, payment.paymentId, payment.amount, afterCommit);
    const paid = this.d.db
      .prepare('SELECT id FROM payments WHERE channel_txn_id = ?')
      .get(`cloud:${payment.paymentId}`) as { id: string } | undefined;
    if (!paid) throw new Error(`the payment ${payment.paymentId} was not recorded`);
    this.d.db
      .prepare(
        `INSERT INTO table_players (table_id, seat, customer_id, phone, name, share, payment_id, intent_id, joined_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        tableId,
        seat,
        intent.customerId,
        phone,
        name,
        payment.amount,
        paid.id,
        intent.intentId,
        this.d.clock.now(),
      );
    this.d.outbox.mark(tableDocId(tableId));
  }

  private row(id: string): TableRow | undefined {
    return this.d.db.prepare('SELECT * FROM game_tables WHERE id = ?').get(id) as
      TableRow | undefined;
  }

  private byBooking(bookingId: string): TableRow | undefined {
    return this.d.db.prepare('SELECT * FROM game_tables WHERE booking_id = ?').get(bookingId) as
      TableRow | undefined;
  }

  private playersOf(tableId: string): PlayerRow[] {
    return this.d.db
      .prepare(
        `SELECT p.*, COALESCE((SELECT SUM(r.amount) FROM refunds r
            WHERE r.payment_id = p.payment_id AND r.status = 'succeeded'), 0) AS refunded
         FROM table_players p WHERE p.table_id = ? ORDER BY p.seat`,
      )
      .all(tableId) as PlayerRow[];
  }

  /** One table, or undefined. */
  find(tableId: string): TableState | undefined {
    const t = this.row(tableId);
    return t ? this.state(t) : undefined;
  }

  /** Tables whose game has not ended yet, soonest first (for the store's staff). */
  list(): TableState[] {
    const rows = this.d.db
      .prepare(
        `SELECT t.* FROM game_tables t JOIN bookings b ON b.id = t.booking_id
         WHERE b.end_at > ? ORDER BY b.start_at`,
      )
      .all(this.d.clock.now()) as TableRow[];
    return rows.map((t) => this.state(t));
  }

  private state(t: TableRow): TableState {
    const tz = this.d.store.getStore().timeZone;
    const b = this.d.records.get(t.booking_id);
    return {
      tableId: t.id,
      bookingId: b.id,
      roomId: b.room_id,
      title: t.title,
      start: formatInstant(b.start_at, tz),
      end: formatInstant(b.end_at, tz),
      deadline: formatInstant(t.deadline, tz),
      seats: t.seats,
      total: b.total,
      share: t.share,
      starterShare: t.starter_share,
      status: tableStatusOf(b),
      players: this.playersOf(t.id).map((p) => ({
        seat: p.seat,
        customerId: p.customer_id,
        phone: p.phone,
        name: p.name,
        share: p.share,
        refunded: p.refunded >= p.share,
      })),
    };
  }
}
