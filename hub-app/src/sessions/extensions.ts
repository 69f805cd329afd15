// Extensions (C7): the end moves later when the room is free up to the new end plus cleaning,
// priced by the same rules (a percentage-off promotion in force on its own line: shared-types
// priceExtension, as the cloud prices it); the added time is held for the payment hold and,
// unpaid, taken back.
// Owns `extensions`; the booking's new end is recorded by BookingRecords (a change of a booking's
// end belongs to bookings), its steps move with it (SessionService).
import {
  blockOf,
  DomainError,
  formatInstant,
  MINUTE,
  priceExtension,
  type Actor,
  type Clock,
  type ExtensionView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { BookingRecords } from '../booking/booking-records';
import { assertCanAct } from '../booking/ownership';
import type { MemberPricing, PromotionBook } from '../booking/discount-sources';
import type { RoomPrices } from '../booking/room-prices';
import type { Ledger } from '../payments/ledger';
import type { Scheduler } from '../scheduler/scheduler';
import type { StoreService } from '../store/store.service';
import type { SessionService } from './session.service';

export const EXTENSION_JOB = 'extension.expire';

const SYSTEM: Actor = { kind: 'system', id: 'sessions' };
/** The lines of an extension's own bill (priceExtension). */
const EXTENSION_KINDS: readonly string[] = ['extension', 'season', 'promotion'];

interface ExtensionRow {
  id: string;
  booking_id: string;
  from_end: number;
  to_end: number;
  amount: number;
  status: 'pending' | 'paid' | 'expired';
}

export interface ExtensionDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  store: StoreService;
  prices: RoomPrices;
  promotions: PromotionBook;
  /** The customer's member level, off the added time as it is off the booking's. */
  members: () => MemberPricing;
  ledger: Ledger;
  scheduler: Scheduler;
  sessions: SessionService;
}

export class Extensions {
  constructor(private readonly d: ExtensionDeps) {}

  /** Call once. */
  register(): void {
    this.d.scheduler.on(EXTENSION_JOB, (job) =>
      this.d.writes.run((ac) => this.expire(job.ref, ac)),
    );
  }

  /**
   * Moves the end later when the room is free up to the new end plus cleaning; priced by the same
   * rules. The added time is held for the payment hold; unpaid, it is taken back.
   */
  extend(
    bookingId: string,
    minutes: number,
    actor: Actor,
    afterCommit: AfterCommit,
  ): ExtensionView {
    const row = this.d.records.get(bookingId);
    assertCanAct(row, actor);
    if (row.status !== 'paid' && row.status !== 'in_use') {
      throw new DomainError(
        'conflict',
        'illegal_transition',
        `cannot extend a booking that is ${row.status}`,
      ).with({ status: row.status });
    }
    const rules = this.d.store.rulesFor(this.d.store.getRoom(row.room_id));
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
      ).with({ step: rules.stepMinutes });
    }
    if (this.d.ledger.balanceOf(row).due > 0) {
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
      ).with({ minutes: rules.maxMinutes });
    }
    const block = blockOf({ start: row.start_at, end: newEnd }, rules.bufferMinutes);
    const taken = () =>
      new DomainError(
        'conflict',
        'slot_taken',
        'the room is booked right after; it cannot be extended that far',
        'minutes',
      );
    if (!this.d.records.isFree(row.room_id, row.end_at, block.end, row.id)) throw taken();
    const room = this.d.store.getRoom(row.room_id);
    const q = priceExtension(
      this.d.prices.span(row.room_id, row.end_at, newEnd),
      this.d.promotions.enabled(),
      { roomId: room.id, roomStyle: room.style, timeZone: this.d.store.getStore().timeZone },
      this.d.members().discountFor(row.customer_phone),
    );
    try {
      this.d.records.moveEnd(row, newEnd, block.end, {
        lines: [...this.d.records.lines(row), ...q.lines],
        total: row.total + q.total,
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'slot_taken') throw taken();
      throw e;
    }
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
  private expire(extensionId: string, afterCommit: AfterCommit): void {
    this.d.scheduler.done(EXTENSION_JOB, extensionId);
    const ext = this.d.db.prepare('SELECT * FROM extensions WHERE id = ?').get(extensionId) as
      ExtensionRow | undefined;
    if (!ext || ext.status !== 'pending') return;
    const row = this.d.records.get(ext.booking_id);
    if (this.d.ledger.balanceOf(row).due <= 0) {
      this.d.db.prepare(`UPDATE extensions SET status = 'paid' WHERE id = ?`).run(ext.id);
      return;
    }
    // Still owed at the end of its hold. A booking still going (or whose refund is being
    // reviewed) gives the time back; one that is over keeps the debt on its bill.
    const live = ['paid', 'in_use', 'refunding'].includes(row.status) && row.end_at === ext.to_end;
    this.d.db.prepare(`UPDATE extensions SET status = 'expired' WHERE id = ?`).run(ext.id);
    if (!live) return;
    const rules = this.d.store.rulesFor(this.d.store.getRoom(row.room_id));
    this.d.records.moveEnd(
      row,
      ext.from_end,
      blockOf({ start: row.start_at, end: ext.from_end }, rules.bufferMinutes).end,
      {
        // Its time and the season and promotion lines priced with it.
        lines: this.d.records
          .lines(row)
          .filter((l) => !(EXTENSION_KINDS.includes(l.kind) && l.start >= ext.from_end)),
        total: row.total - ext.amount,
      },
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
      this.d.sessions.scheduleSteps(current);
    } else {
      this.d.records.transition(current, 'extend', SYSTEM, row.status, afterCommit, opts);
    }
  }
}
