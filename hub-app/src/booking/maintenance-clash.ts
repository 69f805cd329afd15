// Whether a room maintenance mark is in force over a span: asked by the booking records before
// they take a span, by the marks themselves and by the availability board, which shows the marks
// as closed. SQL only; `room-maintenance.ts` owns the table.
import type { Db } from '../db/database';

/** A mark in force over [from, to) in the room, if any (SQL only: the booking records call it). */
export function maintenanceClash(
  db: Db,
  roomId: string,
  from: number,
  to: number,
): { start_at: number; end_at: number } | undefined {
  return db
    .prepare(
      `SELECT start_at, end_at FROM room_maintenance
        WHERE room_id = ? AND lifted_at IS NULL AND end_at > ? AND start_at < ? LIMIT 1`,
    )
    .get(roomId, from, to) as { start_at: number; end_at: number } | undefined;
}

/** Every mark in force overlapping [from, to) in the room, in start order. */
export function maintenanceIn(
  db: Db,
  roomId: string,
  from: number,
  to: number,
): { start_at: number; end_at: number }[] {
  return db
    .prepare(
      `SELECT start_at, end_at FROM room_maintenance
        WHERE room_id = ? AND lifted_at IS NULL AND end_at > ? AND start_at < ? ORDER BY start_at`,
    )
    .all(roomId, from, to) as { start_at: number; end_at: number }[];
}
