// The owner's device schedules (O8): stored, listed, changed and removed. Owns `device_schedules`.
// Decides nothing about devices itself: room-needs.ts reads the schedules, and the caller asks the
// devices to follow after a change. Called inside the route's (or an owner intent's) write, so each
// change is audited with it, and marks the store's schedules for the cloud in the same write.
import {
  DayTypeSchema,
  DEVICE_SCHEDULES_ID,
  DomainError,
  notFound,
  type Clock,
  type DeviceSchedule,
  type DeviceScheduleFields,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { NewId } from '../clock';
import type { StoreService } from '../store/store.service';
import type { Outbox } from '../sync/outbox';

/** The most schedules a store keeps (the remote view's copy holds them in one document). */
export const MAX_SCHEDULES = 200;

interface ScheduleRow {
  id: string;
  room_id: string | null;
  devices: string;
  weekdays: string;
  day_types: string;
  start_time: string;
  end_time: string;
  turns_on: number;
  ac: string | null;
  note: string;
  updated_at: number;
}

const toSchedule = (r: ScheduleRow): DeviceSchedule => ({
  id: r.id,
  roomId: r.room_id,
  devices: JSON.parse(r.devices) as DeviceSchedule['devices'],
  weekdays: JSON.parse(r.weekdays) as number[],
  dayTypes: JSON.parse(r.day_types) as DeviceSchedule['dayTypes'],
  start: r.start_time,
  end: r.end_time,
  on: r.turns_on === 1,
  ac: r.ac ? (JSON.parse(r.ac) as DeviceSchedule['ac']) : null,
  note: r.note,
  updatedAt: r.updated_at,
});

export interface DeviceSchedulesDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  store: StoreService;
  /** The owner's remote view lists the schedules: published on every change. */
  outbox: Outbox;
}

export class DeviceSchedules {
  constructor(private readonly d: DeviceSchedulesDeps) {}

  /** Every schedule, those for every room first, then by room and start time. */
  list(): DeviceSchedule[] {
    const rows = this.d.db
      .prepare(
        'SELECT * FROM device_schedules ORDER BY room_id IS NOT NULL, room_id, start_time, id',
      )
      .all() as ScheduleRow[];
    return rows.map(toSchedule);
  }

  /** The schedules that apply to one room: its own and those for every room. */
  forRoom(all: DeviceSchedule[], roomId: string): DeviceSchedule[] {
    return all.filter((s) => s.roomId === null || s.roomId === roomId);
  }

  create(input: DeviceScheduleFields): DeviceSchedule {
    this.checkRoom(input.roomId);
    const count = this.d.db
      .prepare('SELECT COUNT(*) FROM device_schedules')
      .pluck()
      .get() as number;
    if (count >= MAX_SCHEDULES) {
      // The cloud's copy holds them all in one document; a store never needs more than this.
      throw new DomainError(
        'conflict',
        'too_many_schedules',
        `a store keeps at most ${MAX_SCHEDULES} device schedules: change or remove one first`,
      ).with({ max: MAX_SCHEDULES });
    }
    const id = this.d.newId();
    const now = this.d.clock.now();
    this.d.db
      .prepare(
        `INSERT INTO device_schedules (id, room_id, devices, weekdays, day_types, start_time, end_time, turns_on, ac, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ...this.columns(input), now, now);
    this.d.outbox.mark(DEVICE_SCHEDULES_ID);
    return this.get(id);
  }

  update(id: string, input: DeviceScheduleFields): DeviceSchedule {
    this.get(id);
    this.checkRoom(input.roomId);
    this.d.db
      .prepare(
        `UPDATE device_schedules SET room_id = ?, devices = ?, weekdays = ?, day_types = ?, start_time = ?, end_time = ?,
           turns_on = ?, ac = ?, note = ?, updated_at = ? WHERE id = ?`,
      )
      .run(...this.columns(input), this.d.clock.now(), id);
    this.d.outbox.mark(DEVICE_SCHEDULES_ID);
    return this.get(id);
  }

  /** Removes a schedule; answers what it was, for the audit log. */
  remove(id: string): DeviceSchedule {
    const before = this.get(id);
    this.d.db.prepare('DELETE FROM device_schedules WHERE id = ?').run(id);
    this.d.outbox.mark(DEVICE_SCHEDULES_ID);
    return before;
  }

  get(id: string): DeviceSchedule {
    const row = this.d.db.prepare('SELECT * FROM device_schedules WHERE id = ?').get(id) as
      ScheduleRow | undefined;
    if (!row) throw notFound('device_schedule', id, 'id');
    return toSchedule(row);
  }

  private checkRoom(roomId: string | null): void {
    if (roomId !== null) this.d.store.getRoom(roomId, 'roomId');
  }

  private columns(s: DeviceScheduleFields) {
    return [
      s.roomId,
      JSON.stringify(s.devices),
      JSON.stringify([...s.weekdays].sort()),
      // In the calendar's own order: workday, weekend, holiday.
      JSON.stringify(DayTypeSchema.options.filter((k) => s.dayTypes?.includes(k))),
      s.start,
      s.end,
      s.on ? 1 : 0,
      s.on && s.devices.includes('ac') && s.ac ? JSON.stringify(s.ac) : null,
      s.note,
    ] as const;
  }
}
