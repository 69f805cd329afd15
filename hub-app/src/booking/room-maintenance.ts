// Room maintenance marks (C13): the owner takes a room out for a period; the room is not bookable
// in it (the booking records ask `maintenance-clash.ts` before they take a span), the bookings already in it are
// listed for the owner to move or refund, and the mark is published so their customers hear of it.
// Owns `room_maintenance`. It must never move or refund a booking itself: that is the owner's call.
import {
  availabilityDocId,
  DomainError,
  localDateOf,
  nextLocalDate,
  formatInstant,
  maintenanceDocId,
  notFound,
  parseInstant,
  type Actor,
  type BookingStatus,
  type Clock,
  type MaintenanceCreate,
  type MaintenanceView,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { Outbox } from '../sync/outbox';
import type { StoreService } from '../store/store.service';
import type { NewId } from '../clock';
import { holdsRoom } from './booking-records';
import { maintenanceClash } from './maintenance-clash';

interface MaintenanceRow {
  id: string;
  room_id: string;
  start_at: number;
  end_at: number;
  reason: string;
  lifted_at: number | null;
}

export class RoomMaintenance {
  constructor(
    private readonly d: {
      db: Db;
      clock: Clock;
      newId: NewId;
      store: StoreService;
      outbox: Outbox;
    },
  ) {}

  /** Marks the room; call inside a write. Answers the mark with the bookings it covers. */
  mark(
    roomId: string,
    body: MaintenanceCreate,
    actor: Actor,
    afterCommit: AfterCommit,
  ): MaintenanceView {
    const room = this.d.store.getRoom(roomId, 'id');
    const start = parseInstant(body.start);
    const end = parseInstant(body.end);
    if (end <= this.d.clock.now()) {
      throw new DomainError('invalid', 'maintenance_in_past', 'the period is already over', 'end');
    }
    const overlap = maintenanceClash(this.d.db, room.id, start, end);
    if (overlap) {
      throw new DomainError(
        'conflict',
        'maintenance_overlaps',
        'this room is already under maintenance in part of this period',
        'start',
      );
    }
    const id = this.d.newId();
    this.d.db
      .prepare(
        `INSERT INTO room_maintenance (id, room_id, start_at, end_at, reason, actor_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, room.id, start, end, body.reason, actor.id, this.d.clock.now());
    this.publish(id, afterCommit);
    return this.view(this.row(id));
  }

  /** Lifts a mark (the room is bookable again); call inside a write. */
  lift(id: string, afterCommit: AfterCommit): MaintenanceView {
    const row = this.row(id);
    if (row.lifted_at === null) {
      this.d.db
        .prepare('UPDATE room_maintenance SET lifted_at = ? WHERE id = ?')
        .run(this.d.clock.now(), id);
      this.publish(id, afterCommit);
    }
    return this.view(this.row(id));
  }

  /** Marks not yet over (lifted ones too), soonest first. */
  list(): MaintenanceView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM room_maintenance WHERE end_at > ? ORDER BY start_at, id')
      .all(this.d.clock.now()) as MaintenanceRow[];
    return rows.map((r) => this.view(r));
  }

  /** A mark as published: its period and the bookings' customers (ids only, never phones). */
  published(id: string): {
    row: MaintenanceRow;
    bookings: {
      id: string;
      customerId: string | null;
      phone: string | null;
      start: number;
      end: number;
    }[];
  } | null {
    const row = this.d.db.prepare('SELECT * FROM room_maintenance WHERE id = ?').get(id) as
      MaintenanceRow | undefined;
    if (!row) return null;
    return { row, bookings: this.covered(row) };
  }

  private covered(row: MaintenanceRow) {
    return (
      this.d.db
        .prepare(
          `SELECT b.id, b.number, b.status, b.start_at, b.end_at, b.customer_id, b.customer_phone
             FROM bookings b
            WHERE b.room_id = ? AND ${holdsRoom('b')} AND b.end_at > ? AND b.start_at < ?
            ORDER BY b.start_at`,
        )
        .all(row.room_id, row.start_at, row.end_at) as {
        id: string;
        number: string;
        status: BookingStatus;
        start_at: number;
        end_at: number;
        customer_id: string | null;
        customer_phone: string | null;
      }[]
    ).map((b) => ({
      id: b.id,
      number: b.number,
      status: b.status,
      start: b.start_at,
      end: b.end_at,
      customerId: b.customer_id,
      phone: b.customer_phone,
    }));
  }

  private publish(id: string, afterCommit: AfterCommit): void {
    this.d.outbox.mark(maintenanceDocId(id));
    // The customers' view of the room's days shows the period closed (or free again).
    const row = this.row(id);
    const tz = this.d.store.getStore().timeZone;
    const last = localDateOf(row.end_at - 1, tz);
    for (let day = localDateOf(row.start_at, tz); day <= last; day = nextLocalDate(day)) {
      this.d.outbox.mark(availabilityDocId(row.room_id, day));
    }
    afterCommit(() => this.d.outbox.notify());
  }

  private row(id: string): MaintenanceRow {
    const row = this.d.db.prepare('SELECT * FROM room_maintenance WHERE id = ?').get(id) as
      MaintenanceRow | undefined;
    if (!row) throw notFound('maintenance', id, 'id');
    return row;
  }

  private view(r: MaintenanceRow): MaintenanceView {
    const tz = this.d.store.getStore().timeZone;
    const at = (ms: number) => formatInstant(ms, tz);
    return {
      id: r.id,
      roomId: r.room_id,
      roomName: this.d.store.getRoom(r.room_id, 'roomId').name,
      start: at(r.start_at),
      end: at(r.end_at),
      reason: r.reason,
      lifted: r.lifted_at !== null,
      bookings:
        r.lifted_at !== null
          ? []
          : this.covered(r).map((b) => ({
              id: b.id,
              number: b.number,
              start: at(b.start),
              end: at(b.end),
              status: b.status,
            })),
    };
  }
}
