// Cleaning after a session (O9, the cleaner): when a session ends a task appears for its room
// (once per session, however often the end is told; none for a room the owner marked to skip
// cleaning), a cleaner takes it, and marks it done with a photo if they like; a manager or the
// owner hands it over or calls it off. The room shows `cleaning` from the session's end until the
// task is done or the store's cleaning buffer passes, whichever comes first: a task done early
// (or called off) gives the room back early by moving the booking's block end, which is what the
// board, availability and new bookings already read. Owns `cleaning_rooms`; the tasks' rows
// through CleaningRecords. Never opens doors or touches money.
import {
  DomainError,
  formatInstant,
  instantAt,
  MINUTE,
  nextLocalDate,
  notFound,
  type Actor,
  type CleaningAction,
  type CleaningRoomView,
  type CleaningStaff,
  type CleaningTaskQuery,
  type CleaningTaskStatus,
  type CleaningTaskView,
  type Clock,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { EventBus } from '../events/event-bus';
import type { StaffService } from '../staff/staff.service';
import type { StoreService } from '../store/store.service';
import type { CleaningRecords, CleaningTaskRow } from './cleaning-records';
import { assertPhotoContentType, checkPhoto, type CleaningPhotos } from './cleaning-photos';

const SYSTEM: Actor = { kind: 'system', id: 'cleaning' };
/** A booking in one of these has no session going on any more. */
const ENDED = ['completed', 'cancelled', 'refunded'];
const STILL_TO_DO: readonly CleaningTaskStatus[] = ['open', 'taken'];

export interface CleaningDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  tasks: CleaningRecords;
  bookings: BookingRecords;
  store: StoreService;
  staff: StaffService;
  photos: CleaningPhotos;
  events: EventBus;
}

export class CleaningService {
  constructor(private readonly d: CleaningDeps) {}

  /** Follows the end of every session. Call once, after the sessions have registered theirs. */
  register(): void {
    this.d.bookings.onTransition(({ row }, afterCommit) => this.sessionEnded(row, afterCommit));
  }

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  // ---- a session ends ---------------------------------------------------------------------------

  /** In the write that ended a booking: its room's task, once, if a session took place in it. */
  private sessionEnded(row: BookingRow, afterCommit: AfterCommit): void {
    if (!ENDED.includes(row.status)) return;
    const session = this.d.db
      .prepare('SELECT ended_at FROM sessions WHERE booking_id = ?')
      .get(row.id) as { ended_at: number | null } | undefined;
    // Nobody came (a no-show, a cancellation): the room was never used.
    if (!session) return;
    if (this.d.tasks.ofBooking(row.id)) return;
    const since = session.ended_at ?? this.d.clock.now();
    if (this.skipsCleaning(row.room_id)) {
      // Nobody is coming to clean: the room does not wait out the cleaning buffer.
      this.giveRoomBack(row.id, since, SYSTEM, 'the room skips cleaning', afterCommit);
      return;
    }
    const task = this.d.tasks.create({ roomId: row.room_id, bookingId: row.id, since }, SYSTEM);
    if (task) this.tell(task, 'create', afterCommit);
  }

  /**
   * Frees the room from `at` (not before the session's end) when its cleaning buffer still holds
   * it later: a clean room is bookable at once. The booking's history says why.
   */
  private giveRoomBack(
    bookingId: string,
    at: number,
    actor: Actor,
    reason: string,
    afterCommit: AfterCommit,
  ): void {
    const row = this.d.bookings.find(bookingId);
    if (row?.status !== 'completed') return;
    // A block keeps at least its first instant: a session that ended the moment it started is
    // freed from just after it, never to an empty block (the schema refuses one).
    const from = Math.max(at, row.block_start + 1);
    if (from >= row.block_end) return;
    this.d.bookings.setBlockEnd(row, from);
    this.d.bookings.record(row.id, 'room_cleaned', row.status, row.status, actor, reason, {
      freeFrom: formatInstant(from, this.tz()),
    });
    this.d.bookings.announce(this.d.bookings.get(row.id), afterCommit);
  }

  // ---- the cleaner's steps ----------------------------------------------------------------------

  take(id: string, actor: Actor, afterCommit: AfterCommit): CleaningTaskView {
    return this.step(id, 'take', actor, afterCommit);
  }

  /** The holder gives the task back: it is open for another cleaner. */
  release(id: string, actor: Actor, afterCommit: AfterCommit): CleaningTaskView {
    return this.step(id, 'release', actor, afterCommit);
  }

  /** The holder marks the room clean; the room is free from now if its buffer still held it. */
  finish(
    id: string,
    note: string | undefined,
    actor: Actor,
    afterCommit: AfterCommit,
  ): CleaningTaskView {
    const view = this.step(id, 'finish', actor, afterCommit, { note: note ?? null });
    const task = this.d.tasks.get(id);
    this.giveRoomBack(
      task.booking_id,
      this.d.clock.now(),
      actor,
      'the room was cleaned',
      afterCommit,
    );
    return view;
  }

  /** A manager or the owner hands the task to someone who cleans, with a reason. */
  reassign(
    id: string,
    staffId: string,
    reason: string,
    actor: Actor,
    afterCommit: AfterCommit,
  ): CleaningTaskView {
    const target = this.d.staff.find(staffId);
    if (!target || target.status !== 'active') {
      throw new DomainError(
        'invalid',
        'cleaning_not_a_cleaner',
        `no active staff member with id ${staffId} to hand the task to`,
        'staffId',
      );
    }
    return this.step(id, 'reassign', actor, afterCommit, {
      to: { id: target.id, role: target.role },
      reason,
    });
  }

  /**
   * A manager or the owner calls the task off, with a reason: nobody is coming to clean, so the
   * room does not wait for it either.
   */
  cancel(id: string, reason: string, actor: Actor, afterCommit: AfterCommit): CleaningTaskView {
    const view = this.step(id, 'cancel', actor, afterCommit, { reason });
    const task = this.d.tasks.get(id);
    this.giveRoomBack(task.booking_id, this.d.clock.now(), actor, reason, afterCommit);
    return view;
  }

  /**
   * The photo of the cleaned room, by whoever holds or finished the task; `bytes` as uploaded.
   * The file is written before the row that names it, so a row never names a missing file.
   */
  addPhoto(
    id: string,
    contentType: string | undefined,
    bytes: Buffer,
    actor: Actor,
    afterCommit: AfterCommit,
  ): CleaningTaskView {
    const type = checkPhoto(bytes, assertPhotoContentType(contentType));
    const task = this.d.tasks.get(id);
    const by = this.staffOf(actor);
    if (!(task.status === 'taken' || task.status === 'done') || task.holder_id !== by.id) {
      throw new DomainError(
        'conflict',
        'cleaning_task_not_held',
        task.status === 'open' || task.status === 'cancelled'
          ? 'take this cleaning task before adding its photo'
          : `only ${this.nameOf(task.holder_id ?? '')} can add this task's photo`,
      );
    }
    const file = `${task.id}-${this.d.newId()}.${type === 'image/png' ? 'png' : 'jpg'}`;
    this.d.photos.save(file, bytes);
    this.d.tasks.setPhoto(task, file, type, actor);
    const updated = this.d.tasks.get(id);
    this.tell(updated, 'photo', afterCommit);
    return this.view(updated);
  }

  /** The photo's bytes and type, for staff. */
  photo(id: string): { bytes: Buffer; type: string } {
    const task = this.d.tasks.get(id);
    // No photo was taken of this task, or not yet.
    if (!task.photo || !task.photo_type) throw notFound('cleaning_photo', id, 'id');
    return { bytes: this.d.photos.read(task.photo), type: task.photo_type };
  }

  private step(
    id: string,
    action: CleaningAction,
    actor: Actor,
    afterCommit: AfterCommit,
    opts: { to?: CleaningStaff; reason?: string; note?: string | null } = {},
  ): CleaningTaskView {
    const row = this.d.tasks.get(id);
    const updated = this.d.tasks.transition(row, action, actor, this.staffOf(actor), opts, (who) =>
      this.nameOf(who),
    );
    if (updated !== row) this.tell(updated, action, afterCommit);
    return this.view(updated);
  }

  private staffOf(actor: Actor): CleaningStaff {
    if (actor.kind !== 'staff' || !actor.role) {
      throw new DomainError('forbidden', 'cleaning_not_allowed', 'cleaning tasks are for staff');
    }
    return { id: actor.id, role: actor.role };
  }

  private nameOf(staffId: string): string {
    return this.d.staff.find(staffId)?.name ?? staffId;
  }

  private tell(
    task: CleaningTaskRow,
    action: CleaningAction | 'create' | 'photo',
    afterCommit: AfterCommit,
  ): void {
    if (action === 'photo') return;
    const event = {
      type: 'cleaning.task' as const,
      taskId: task.id,
      roomId: task.room_id,
      action,
      status: task.status,
      holderId: task.holder_id,
      at: this.d.clock.now(),
    };
    afterCommit(() => this.d.events.emit(event));
  }

  // ---- reading ------------------------------------------------------------------------------------

  get(id: string): CleaningTaskView {
    return this.view(this.d.tasks.get(id));
  }

  /** The tasks still to do unless a status is asked for; `mine`: the caller's own. */
  list(q: CleaningTaskQuery, actor: Actor): CleaningTaskView[] {
    const tz = this.tz();
    const day = q.date
      ? { from: instantAt(q.date, 0, tz), to: instantAt(nextLocalDate(q.date), 0, tz) }
      : {};
    return this.d.tasks
      .list({
        statuses: q.status ? [q.status] : STILL_TO_DO,
        ...day,
        roomId: q.roomId,
        holderId: q.mine ? actor.id : undefined,
        limit: q.limit,
      })
      .map((t) => this.view(t));
  }

  view(t: CleaningTaskRow): CleaningTaskView {
    const tz = this.tz();
    const room = this.d.store.getRoom(t.room_id);
    const booking = this.d.bookings.get(t.booking_id);
    const buffer = this.d.store.rulesFor(room).bufferMinutes;
    const at = (ms: number | null) => (ms === null ? null : formatInstant(ms, tz));
    return {
      id: t.id,
      status: t.status,
      room: { id: room.id, name: room.name },
      booking: { id: booking.id, number: booking.number },
      holder: t.holder_id ? { id: t.holder_id, name: this.nameOf(t.holder_id) } : null,
      since: formatInstant(t.since, tz),
      freeBy: formatInstant(t.since + buffer * MINUTE, tz),
      takenAt: at(t.taken_at),
      doneAt: at(t.done_at),
      cancelledAt: at(t.cancelled_at),
      note: t.note,
      reason: t.reason,
      photo: t.photo ? `/api/cleaning/tasks/${t.id}/photo` : null,
      history: this.d.tasks.history(t.id, tz),
    };
  }

  // ---- rooms that skip cleaning -------------------------------------------------------------------

  skipsCleaning(roomId: string): boolean {
    const r = this.d.db
      .prepare('SELECT skip_cleaning FROM cleaning_rooms WHERE room_id = ?')
      .get(roomId) as { skip_cleaning: number } | undefined;
    return r?.skip_cleaning === 1;
  }

  rooms(): CleaningRoomView[] {
    return this.d.store.listRooms().map((r) => this.roomView(r.id, r.name));
  }

  /** The owner marks a room to skip cleaning, or to be cleaned again; sessions ending later follow it. */
  setSkip(roomId: string, skip: boolean): CleaningRoomView {
    const room = this.d.store.getRoom(roomId, 'id');
    this.d.db
      .prepare(
        `INSERT INTO cleaning_rooms (room_id, skip_cleaning, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (room_id) DO UPDATE SET skip_cleaning = excluded.skip_cleaning, updated_at = excluded.updated_at`,
      )
      .run(room.id, skip ? 1 : 0, this.d.clock.now());
    return this.roomView(room.id, room.name);
  }

  private roomView(roomId: string, name: string): CleaningRoomView {
    return { roomId, name, skipCleaning: this.skipsCleaning(roomId) };
  }
}
