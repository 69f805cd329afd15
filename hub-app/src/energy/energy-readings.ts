// The meters' counters as the hub keeps them (issue 15): one reading per meter a minute while its
// counter moves, one every quarter hour while it stands still, and at once when it goes backwards
// (a meter reset or replaced), so a day's or a session's energy is known to the minute without a
// row for every poll. Owns `energy_readings`; it must never change or delete a reading, and never
// store a rate: only the counter, from which any window's energy follows.
import { MINUTE } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Reading } from './energy-usage';

/** A moving counter is kept at most this often. */
export const RECORD_EVERY_MS = MINUTE;
/** A counter that stands still is kept again after this long, so its windows stay short. */
export const RECORD_STILL_EVERY_MS = 15 * MINUTE;

export interface MeterOfRoom {
  meterId: string;
  roomId: string;
}

export class EnergyReadings {
  private readonly last = new Map<string, Reading>();

  constructor(private readonly db: Db) {}

  /** Whether this reading is one to keep; marks it kept, so a second call for it says no. */
  take(meterId: string, at: number, wh: number): boolean {
    const last = this.lastOf(meterId);
    const keep =
      !last ||
      (at > last.at &&
        (wh < last.wh ||
          (at - last.at >= RECORD_EVERY_MS && wh !== last.wh) ||
          at - last.at >= RECORD_STILL_EVERY_MS));
    if (keep) this.last.set(meterId, { at, wh });
    return keep;
  }

  /** Keeps a reading; inside the write queue. A reading of that meter at that moment is kept once. */
  record(meterId: string, roomId: string | null, at: number, wh: number): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO energy_readings (meter_id, room_id, at, wh) VALUES (?, ?, ?, ?)',
      )
      .run(meterId, roomId, at, wh);
  }

  /** A write that did not land: the next reading decides again from what is in the table. */
  forget(meterId: string): void {
    this.last.delete(meterId);
  }

  /** The meters that measured rooms, or the one room. */
  meters(roomId?: string): MeterOfRoom[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT meter_id, room_id FROM energy_readings
         WHERE room_id IS NOT NULL AND (? IS NULL OR room_id = ?) ORDER BY room_id, meter_id`,
      )
      .all(roomId ?? null, roomId ?? null) as { meter_id: string; room_id: string }[];
    return rows.map((r) => ({ meterId: r.meter_id, roomId: r.room_id }));
  }

  /**
   * A meter's readings for a room that cover [from, to): those inside, and the one before and the
   * one after, so the steps across the window's edges are whole.
   */
  readings(m: MeterOfRoom, from: number, to: number): Reading[] {
    return this.db
      .prepare(
        `SELECT at, wh FROM energy_readings
         WHERE meter_id = @meter AND room_id = @room
           AND at >= COALESCE((SELECT MAX(at) FROM energy_readings
                               WHERE meter_id = @meter AND room_id = @room AND at <= @from), @from)
           AND at <= COALESCE((SELECT MIN(at) FROM energy_readings
                               WHERE meter_id = @meter AND room_id = @room AND at >= @to), @to)
         ORDER BY at`,
      )
      .all({ meter: m.meterId, room: m.roomId, from, to }) as Reading[];
  }

  private lastOf(meterId: string): Reading | undefined {
    if (!this.last.has(meterId)) {
      const row = this.db
        .prepare('SELECT at, wh FROM energy_readings WHERE meter_id = ? ORDER BY at DESC LIMIT 1')
        .get(meterId) as Reading | undefined;
      if (row) this.last.set(meterId, row);
    }
    return this.last.get(meterId);
  }
}
