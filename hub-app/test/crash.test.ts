// The power cut: a hub process is killed (SIGKILL, no shutdown code runs) in the middle of a burst
// of bookings. On restart the database must open cleanly and be intact, every booking the hub
// answered 201 must still be there, and no room may be double booked.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHub, type ChildServer } from './hub-process';

const MINUTE = 60_000;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE;
const SLOTS = 300;
const IN_FLIGHT = 20;
const KILL_AFTER = 100;

const children: ChildServer[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'roomhub-crash-'));

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  rmSync(dataDir, { recursive: true, force: true });
});

const shanghaiIso = (t: number) =>
  new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 19) + '+08:00';

interface Attempt {
  roomId: string;
  start: string;
  end: string;
}

/**
 * 300 distinct free slots over the demo rooms (a 60-minute booking blocks 75 minutes, so starts
 * 90 minutes apart never touch), and after every tenth one a request that overlaps it, so the
 * overlap guard has something to refuse while the process dies.
 */
function plan(roomIds: string[], now: number): Attempt[] {
  const base = Math.ceil((now + 2 * 60 * MINUTE) / (30 * MINUTE)) * (30 * MINUTE);
  const out: Attempt[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const roomId = roomIds[i % roomIds.length]!;
    const start = base + Math.floor(i / roomIds.length) * 90 * MINUTE;
    out.push({ roomId, start: shanghaiIso(start), end: shanghaiIso(start + 60 * MINUTE) });
    if (i % 10 === 9) {
      const clash = start + 30 * MINUTE;
      out.push({ roomId, start: shanghaiIso(clash), end: shanghaiIso(clash + 60 * MINUTE) });
    }
  }
  return out;
}

describe('a hub killed during a burst of bookings', () => {
  it(
    'restarts with every confirmed booking and no double booking',
    { timeout: 90_000 },
    async () => {
      const first = await startHub(dataDir, 40_000);
      children.push(first);
      const rooms = (await (await fetch(`${first.url}/api/rooms`)).json()) as { id: string }[];
      // The demo store's cashier takes the bookings at the counter.
      const signIn = await fetch(`${first.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin: '333333' }),
      });
      const { token } = (await signIn.json()) as { token: string };
      expect(rooms.length).toBeGreaterThan(0);
      const attempts = plan(
        rooms.map((r) => r.id),
        Date.now(),
      );

      const created = new Map<string, Attempt>(); // booking id -> what was asked
      const statuses: number[] = [];
      let next = 0;
      let responses = 0;
      let killed: Promise<unknown> | null = null;
      const worker = async () => {
        while (next < attempts.length && killed === null) {
          const a = attempts[next++]!;
          try {
            const res = await fetch(`${first.url}/api/bookings`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({
                ...a,
                partySize: 2,
                // one phone per booking: a phone may hold only two unpaid bookings
                customer: { phone: `138${String(next).padStart(8, '0')}` },
              }),
            });
            const text = await res.text();
            statuses.push(res.status);
            if (res.status === 201) created.set((JSON.parse(text) as { id: string }).id, a);
          } catch {
            continue; // the connection died with the process
          }
          responses += 1;
          if (responses === KILL_AFTER) killed = first.kill();
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const exit = await first.exited;

      // The kill landed mid-burst: the process died by SIGKILL, not all requests were answered.
      expect(exit.signal).toBe('SIGKILL');
      expect(responses).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(responses).toBeLessThan(attempts.length);
      // Only bookings and refusals of the overlapping ones; never a server error.
      expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      expect(created.size).toBeGreaterThan(KILL_AFTER / 2);

      // Restart on the same folder: the database opens (WAL recovery) and the hub serves.
      const second = await startHub(dataDir, 40_000);
      children.push(second);
      const health = await fetch(`${second.url}/api/health`);
      expect(health.status).toBe(200);

      const missing: string[] = [];
      const entries = [...created];
      let k = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (k < entries.length) {
            const [id, a] = entries[k++]!;
            const res = await fetch(`${second.url}/api/bookings/${id}`, {
              headers: { authorization: `Bearer ${token}` },
            });
            const b = (await res.json()) as {
              status?: string;
              start?: string;
              room?: { id: string };
            };
            if (
              res.status !== 200 ||
              b.status !== 'pending_payment' ||
              b.start !== a.start ||
              b.room?.id !== a.roomId
            ) {
              missing.push(`${id}: ${res.status} ${JSON.stringify(b).slice(0, 200)}`);
            }
          }
        }),
      );
      expect(missing).toEqual([]);

      const stopped = await second.stop();
      expect(stopped.code).toBe(0);

      const db = new Database(join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number };
        expect(rows.n).toBeGreaterThanOrEqual(created.size);
        const overlaps = db
          .prepare(
            `SELECT a.id AS a, b.id AS b FROM bookings a JOIN bookings b
             ON a.room_id = b.room_id AND a.id < b.id
            AND a.block_start < b.block_end AND b.block_start < a.block_end
          WHERE a.status IN ('pending_payment','paid','in_use','completed','refunding')
            AND b.status IN ('pending_payment','paid','in_use','completed','refunding')`,
          )
          .all();
        expect(overlaps).toEqual([]);
      } finally {
        db.close();
      }
    },
  );
});
