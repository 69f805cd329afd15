// Devices follow the sessions (O8, H3): every room's lights, sockets, fresh air and AC are
// recomputed from the bookings in the database at every boundary, after every booking change and
// at boot, and every device is rewritten at boot (relay boards forget their state in a power cut).
// Staff may switch a device by hand, with a reason, until they give it back; the owner's schedules
// (device-schedules.ts) add to or hold off what the sessions need. Owns `device_overrides` and
// `device_actions`. Reaches devices only through their capabilities.
import {
  countsAsInUse,
  DomainError,
  MINUTE,
  notFound,
  type Actor,
  type Clock,
  type DayType,
  type DeviceState,
  type LocalDate,
} from '@roomhub/shared-types';
import type { Devices } from '@roomhub/firmware-bridge';
import type { Db } from '../db/database';
import type { NewId } from '../clock';
import type { WriteQueue } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { EventBus } from '../events/event-bus';
import type { Scheduler } from '../scheduler/scheduler';
import type { Outbox } from '../sync/outbox';
import type { StoreService } from '../store/store.service';
import { nextBoundary, roomNeedsAt, type NeedsBooking } from './room-needs';
import { RoomAnnouncements } from './room-announcements';
import { DeviceSchedules } from './device-schedules';
import { logger } from '../log';

export const SYNC_JOB = 'devices.sync';

export interface DeviceControlDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  records: BookingRecords;
  store: StoreService;
  scheduler: Scheduler;
  events: EventBus;
  outbox: Outbox;
  newId: NewId;
  /** The kind of a local date by the store's calendar, its overrides first: schedules follow it. */
  dayType: () => (date: LocalDate) => DayType;
}

export class DeviceControl {
  private syncQueued = false;
  private syncing: Promise<void> = Promise.resolve();
  private attached: Devices | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The rooms' speakers: what they announce, how loud, and playing it. */
  readonly announcements: RoomAnnouncements;
  /** The owner's schedules: devices on or off by the time of day. */
  readonly schedules: DeviceSchedules;

  constructor(private readonly d: DeviceControlDeps) {
    this.announcements = new RoomAnnouncements({
      db: d.db,
      clock: d.clock,
      store: d.store,
      devices: () => this.attached,
    });
    this.schedules = new DeviceSchedules({
      db: d.db,
      clock: d.clock,
      newId: d.newId,
      store: d.store,
      outbox: d.outbox,
    });
  }

  /** Every booking change may change what a room needs. Call once. */
  register(): void {
    this.d.records.onTransition((_, afterCommit) => afterCommit(() => this.requestSync()));
    // A day made a holiday (or a workday) changes which schedules run on it.
    this.d.events.subscribe((e) => {
      if (e.type === 'calendar.changed') this.requestSync();
    });
    // The alarm's job stays until a sync succeeds: a successful sync moves it to the next
    // boundary, and a failed one is retried by the scheduler with back-off, so a device fault
    // never leaves the store without its next alarm.
    this.d.scheduler.on(SYNC_JOB, () => this.syncDevices());
  }

  /**
   * The store's devices, once they are up; until then doors answer 503 and nothing is switched.
   * The device file may name a room by its number or its id; a room the store does not have is
   * refused here (throws, naming the file's entry), so a misspelt room stops the start.
   */
  attach(devices: Devices | null): void {
    if (devices?.bindRooms) {
      const rooms = this.d.store.listRooms({ includeRetired: true });
      devices.bindRooms(
        (ref) => this.d.store.roomByRef(ref)?.id,
        rooms.map((r) => `${r.number} ${r.name}`),
      );
    }
    this.unsubscribe?.();
    this.attached = devices;
    this.unsubscribe =
      devices?.subscribe((e) => {
        const at = this.d.clock.now();
        if (e.type === 'state') this.d.events.emit({ type: 'device.state', state: e.state, at });
        if (e.type === 'health') {
          this.d.events.emit({ type: 'device.health', device: e.device, at });
          this.publishHealth();
        }
      }) ?? null;
  }

  /** The owner's remote view shows each device's health: publish it when it changes. */
  private publishHealth(): void {
    void this.d.writes
      .run((afterCommit) => {
        this.d.outbox.markDevicesHealth();
        afterCommit(() => this.d.outbox.notify());
      })
      .catch((e: unknown) => logger().error({ err: e }, 'device health not published'));
  }

  get devices(): Devices | null {
    return this.attached;
  }

  /** After a schedule's change is committed: the devices follow it, and the cloud hears of it. */
  schedulesChanged(): void {
    this.d.outbox.notify();
    this.requestSync();
  }

  /** Soon (after the current turn), make every room's devices match what its bookings need. */
  requestSync(): void {
    if (this.syncQueued || !this.attached) return;
    this.syncQueued = true;
    setImmediate(() => {
      this.syncQueued = false;
      if (!this.attached) return; // detached while this waited: the hub is stopping
      void this.syncDevices().catch((e: unknown) =>
        logger().error({ err: e }, 'device sync failed'),
      );
    });
  }

  /** Recomputes every room's needs from the database and schedules the next boundary. Serialised. */
  syncDevices(): Promise<void> {
    this.syncing = this.syncing.catch(() => undefined).then(() => this.syncOnce());
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const devices = this.attached;
    if (!devices) return;
    const now = this.d.clock.now();
    const day = 24 * 60 * MINUTE;
    const rows = this.d.db
      .prepare(
        `SELECT b.room_id, b.status, b.refund_from_status, b.start_at, b.end_at, s.ended_at
         FROM bookings b LEFT JOIN sessions s ON s.booking_id = b.id
         WHERE b.status IN ('paid','in_use','refunding') AND b.end_at > ? AND b.start_at < ?`,
      )
      .all(now - day, now + day) as (Pick<
      BookingRow,
      'room_id' | 'status' | 'refund_from_status' | 'start_at' | 'end_at'
    > & { ended_at: number | null })[];
    const byRoom = new Map<string, NeedsBooking[]>();
    for (const b of rows) {
      const list = byRoom.get(b.room_id) ?? [];
      list.push({
        // A refund under review during the session keeps the room as it is.
        status: countsAsInUse(b.status, b.refund_from_status) ? 'in_use' : b.status,
        start: b.start_at,
        end: b.end_at,
        endedAt: b.ended_at,
      });
      byRoom.set(b.room_id, list);
    }
    const schedules = this.schedules.list();
    const timeZone = schedules.length > 0 ? this.d.store.getStore().timeZone : 'UTC';
    const dayType = this.d.dayType();
    let next: number | null = null;
    // Every room's needs are handed over together, so a shared device (the corridor light) is
    // decided on all of them at once, and one dead device does not hold up the other rooms.
    const settled = await Promise.allSettled(
      this.d.store.listRooms({ includeRetired: true }).map((room) => {
        const bookings = byRoom.get(room.id) ?? [];
        const s = this.d.store.rulesFor(room).session;
        const plan = { schedules: this.schedules.forRoom(schedules, room.id), timeZone, dayType };
        const b = nextBoundary(bookings, now, s, plan);
        if (b !== null && (next === null || b < next)) next = b;
        return devices.setRoomNeeds(room.id, roomNeedsAt(bookings, now, s, plan));
      }),
    );
    for (const r of settled) {
      // The bridge keeps what it could not write and retries it on its own.
      if (r.status === 'rejected') logger().warn({ err: r.reason }, 'devices not all set');
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
    const devices = this.attached;
    if (!devices) return;
    const overrides = this.d.db.prepare('SELECT device_id, state FROM device_overrides').all() as {
      device_id: string;
      state: number;
    }[];
    for (const o of overrides)
      await devices.setOverride(o.device_id, o.state === 1).catch(() => undefined);
    await this.syncDevices();
    await devices.reconcile().catch((e: unknown) => {
      logger().warn({ err: e }, 'devices not all reconciled at start');
    });
    this.publishHealth();
  }

  /** Every device with what it should do and what it confirmed, and the buses' health. */
  states() {
    return {
      devices: this.attached?.states() ?? [],
      health: this.attached?.health() ?? { buses: [], devices: [] },
    };
  }

  /** Staff switch one device by hand, or give it back to the sessions with `on: null` (S4). */
  async override(
    deviceId: string,
    on: boolean | null,
    reason: string,
    actor: Actor,
  ): Promise<DeviceState | undefined> {
    const devices = this.attached;
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
    if (state.kind === 'energy_meter') {
      throw new DomainError('invalid', 'meter_read_only', 'an energy meter is only read', 'id');
    }
    if (state.kind === 'speaker') {
      throw new DomainError(
        'invalid',
        'speaker_not_switched',
        'a speaker plays announcements; it is not switched on or off',
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
