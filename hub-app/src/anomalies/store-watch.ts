// What the store's hub flags by itself (B8), from what only it sees: a door that opens while its
// room has no session and no open the hub made (a code, a staff open) just before; power drawn in
// a room with no session (lights or AC left on, something plugged in), once per spell above the
// threshold; and a room held for a paid booking nobody came to (released as a no-show). Each is
// recorded through AnomalyRecords with the facts that explain it. Never switches a device or
// changes a booking: it only watches.
import {
  ANOMALY_RULES,
  MINUTE,
  formatInstant,
  type DeviceState,
  type Clock,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { BookingRecords } from '../booking/booking-records';
import type { EventBus } from '../events/event-bus';
import type { StoreService } from '../store/store.service';
import { logger } from '../log';
import type { AnomalyRecords } from './anomaly-records';

export interface StoreWatchDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  events: EventBus;
  records: BookingRecords;
  store: StoreService;
  anomalies: AnomalyRecords;
  timeZone: () => string;
  /** The thresholds; ANOMALY_RULES unless a test sets its own. */
  rules?: Partial<
    Pick<typeof ANOMALY_RULES, 'idlePowerW' | 'doorOpenGraceSeconds' | 'powerAfterSessionMinutes'>
  >;
}

export class StoreWatch {
  /** Each lock's last door contact: a door counts when it goes from closed (or unknown) to open. */
  private readonly doorClosed = new Map<string, boolean>();
  /** Rooms drawing power above the threshold with no session, flagged already for this spell. */
  private readonly powerSpell = new Set<string>();
  private readonly rules: typeof ANOMALY_RULES;

  constructor(private readonly d: StoreWatchDeps) {
    this.rules = { ...ANOMALY_RULES, ...d.rules };
  }

  /** Watches the devices' states and the bookings released as no-shows. Call once. */
  register(): void {
    this.d.events.subscribe((e) => {
      if (e.type !== 'device.state') return;
      if (e.state.kind === 'lock') this.noteDoor(e.state);
      else if (e.state.kind === 'energy_meter') this.notePower(e.state);
    });
    this.d.records.onTransition(({ row, action }) => {
      if (action !== 'no_show') return;
      const room = this.roomWords(row.room_id);
      const at = (ms: number) => formatInstant(ms, this.d.timeZone());
      this.d.anomalies.raise({
        key: `held:${row.id}`,
        kind: 'room_held_unused',
        at: this.d.clock.now(),
        roomId: row.room_id,
        bookingId: row.id,
        facts: { room, booking: row.number, start: at(row.start_at), end: at(row.end_at) },
      });
    });
  }

  private roomWords(roomId: string): string {
    try {
      const r = this.d.store.getRoom(roomId);
      return `${r.number} ${r.name}`;
    } catch {
      return roomId;
    }
  }

  /** A session is under way in the room (its booking in use, or its refund asked while in use). */
  private inUse(roomId: string): boolean {
    return (
      this.d.db
        .prepare(
          `SELECT 1 FROM bookings WHERE room_id = ?
             AND (status = 'in_use' OR (status = 'refunding' AND refund_from_status = 'in_use'))
           LIMIT 1`,
        )
        .get(roomId) !== undefined
    );
  }

  noteDoor(state: DeviceState): void {
    if (state.doorClosed === undefined || state.doorClosed === null) return;
    const before = this.doorClosed.get(state.deviceId);
    this.doorClosed.set(state.deviceId, state.doorClosed);
    if (state.doorClosed || before === false) return;
    const at = this.d.clock.now();
    this.write(() => {
      for (const roomId of state.rooms) {
        if (this.inUse(roomId)) continue;
        const opened = this.d.db
          .prepare(
            `SELECT 1 FROM door_events WHERE room_id = ? AND outcome = 'opened' AND at >= ? LIMIT 1`,
          )
          .get(roomId, at - this.rules.doorOpenGraceSeconds * 1000);
        if (opened) continue;
        this.d.anomalies.raise({
          key: `door:${state.deviceId}:${roomId}:${at}`,
          kind: 'door_without_session',
          at,
          roomId,
          bookingId: null,
          facts: {
            room: this.roomWords(roomId),
            lock: state.deviceId,
            graceSeconds: this.rules.doorOpenGraceSeconds,
          },
        });
      }
    });
  }

  notePower(state: DeviceState): void {
    const watts = state.meter?.powerW;
    const roomId = state.rooms[0];
    if (watts === undefined || !roomId) return;
    if (watts < this.rules.idlePowerW) {
      this.powerSpell.delete(roomId);
      return;
    }
    if (this.powerSpell.has(roomId)) return;
    const at = this.d.clock.now();
    this.write(() => {
      if (this.inUse(roomId)) return;
      const ended = this.d.db
        .prepare('SELECT 1 FROM sessions WHERE room_id = ? AND ended_at >= ? LIMIT 1')
        .get(roomId, at - this.rules.powerAfterSessionMinutes * MINUTE);
      // A cleaner at work has the lights on.
      const cleaning = this.d.db
        .prepare(`SELECT 1 FROM cleaning_tasks WHERE room_id = ? AND status = 'taken' LIMIT 1`)
        .get(roomId);
      if (ended || cleaning) return;
      this.powerSpell.add(roomId);
      // One per hour at most, across restarts too.
      if (this.d.anomalies.raisedSince('power_without_session', roomId, at - 60 * MINUTE)) return;
      this.d.anomalies.raise({
        key: `power:${roomId}:${at}`,
        kind: 'power_without_session',
        at,
        roomId,
        bookingId: null,
        facts: {
          room: this.roomWords(roomId),
          watts: Math.round(watts),
          thresholdW: this.rules.idlePowerW,
          meter: state.deviceId,
        },
      });
    });
  }

  private write(work: () => void): void {
    this.d.writes.run(work).catch((err: unknown) => {
      logger().error({ err }, 'anomaly not recorded');
    });
  }
}
