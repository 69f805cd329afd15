// Regressions of two session fixes, seen as a customer or the store would see them: a device sync
// that fails once must not stop the lights and AC from following bookings ever after, and a door
// open racing a cancel must never both open the door and cancel (and refund) the booking.
import type { Devices } from '@roomhub/firmware-bridge';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { at, STAFF, startTestHub, type TestHub } from './harness';
import { logger } from '../src/log';

/** The customer, at the kiosk holding their booking's pass (the harness's default caller). */
const PHONE = '13800138000';

let h: TestHub;
let room: string;

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!; // lock: slave 1 relay 0; light: slave 2 relay 0; AC: slave 10
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.close();
});

const sim = () => h.devices.simulator!;
const lightOn = () => sim().coil(2, 0);
const acPower = () => sim().registers(10, 0, 1)[0] === 1;
const lockPulses = () =>
  sim()
    .writes()
    .filter((w) => w.slaveId === 1 && w.address === 0x0200).length;

/** The hub's own devices with two seams a test can work: a sync that breaks, a lock held mid-pulse. */
interface Seams {
  /** Thrown synchronously by the next `setRoomNeeds`, as a device layer that breaks would. */
  breakNextNeeds: Error | null;
  /** Awaited after the hub asked for a pulse and before the relay gets it. */
  beforePulse: (() => Promise<void>) | null;
}

function attachSeams(): Seams {
  const real = h.devices.devices!;
  const seams: Seams = { breakNextNeeds: null, beforePulse: null };
  const devices: Devices = {
    async openDoor(roomId) {
      await seams.beforePulse?.();
      return real.openDoor(roomId);
    },
    setRoomNeeds(roomId, needs) {
      const e = seams.breakNextNeeds;
      seams.breakNextNeeds = null;
      if (e) throw e;
      return real.setRoomNeeds(roomId, needs);
    },
    setOverride: (deviceId, on) => real.setOverride(deviceId, on),
    reconcile: () => real.reconcile(),
    states: () => real.states(),
    health: () => real.health(),
    roomsWithLock: () => real.roomsWithLock(),
    subscribe: (fn) => real.subscribe(fn),
    close: () => real.close(),
  };
  h.hub.devices.attach(devices);
  return seams;
}

/**
 * Waits for the device syncs asked for so far. A change asks for one on the next turn of the event
 * loop after its commit, so one turn first; a chain left rejected by an earlier failure answers at
 * once with that failure, which is all there is to wait for.
 */
async function settled(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await h.hub.devices.syncDevices().catch(() => undefined);
}

/** Moves the clock, runs what the alarm would, and waits for the device syncs to be done. */
async function setTime(hhmm: string, day = 0): Promise<void> {
  await settled();
  h.clock.set(Date.parse(at(hhmm, day)));
  await h.runJobs();
  await settled();
}

async function book(start: string, end: string, day = 0): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at(start, day),
    end: at(end, day),
    partySize: 2,
    customer: { phone: PHONE },
  });
  expect(b.status).toBe(201);
  return b.body.id;
}

async function pay(id: string): Promise<void> {
  const p = await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
  expect(p.status).toBe(201);
}

/** Only the alarm from here on, as in the store: every five minutes, run what is due. */
async function alarmUntil(hhmm: string): Promise<void> {
  const end = Date.parse(at(hhmm));
  for (let t = h.clock.now() + 5 * 60_000; t <= end; t += 5 * 60_000) {
    h.clock.set(t);
    await h.runJobs();
  }
}

describe('devices after a failed sync', () => {
  it('keep following bookings once a sync has failed', async () => {
    const seams = attachSeams();
    const errors = vi.spyOn(logger(), 'error');
    const crash = new Error('relay board driver crashed');
    const first = await book('14:00', '16:00');
    seams.breakNextNeeds = crash;
    await pay(first); // the payment asks for a sync: that one fails
    await vi.waitFor(
      () => expect(errors).toHaveBeenCalledWith({ err: crash }, 'device sync failed'),
      {
        timeout: 10_000,
      },
    );
    // The next booking paid asks for a sync again; that one must run, and set the alarm for the
    // first booking's pre-cooling.
    await pay(await book('17:00', '18:00'));
    await settled();

    await alarmUntil('13:40');
    expect([acPower(), lightOn()]).toEqual([false, false]);
    await alarmUntil('13:45'); // fifteen minutes ahead
    expect([acPower(), lightOn()]).toEqual([true, false]);
    await alarmUntil('14:00');
    expect([acPower(), lightOn()]).toEqual([true, true]);
    expect((await h.api('POST', `/api/bookings/${first}/door`)).status).toBe(200);
    await setTime('16:10'); // the guest still in, billed overtime: still on
    expect([acPower(), lightOn()]).toEqual([true, true]);
    expect((await h.api('POST', `/api/bookings/${first}/finish`)).status).toBe(200);
    await settled();
    expect([acPower(), lightOn()]).toEqual([false, false]);
  });

  // The alarm's own run failing must not lose the alarm: its job stays and is retried.
  it('keep following bookings when the failed sync was the alarm’s own', async () => {
    const seams = attachSeams();
    const id = await book('14:00', '16:00');
    await pay(id);
    await setTime('13:00');
    expect(h.hub.scheduler.pending('devices.sync').map((j) => j.dueAt)).toEqual([
      Date.parse(at('13:45')),
    ]);
    seams.breakNextNeeds = new Error('relay board driver crashed');
    await alarmUntil('13:45');
    expect(seams.breakNextNeeds).toBeNull(); // the alarm's 13:45 sync did fail
    await alarmUntil('14:00');
    expect([acPower(), lightOn()]).toEqual([true, true]);
  });
});

describe('a door open racing a cancel', () => {
  /** Cancelling is free up to the start, so a cancel that wins gives every fen back. */
  async function freeCancellation(): Promise<void> {
    const rules = (await h.api('GET', '/api/store')).body.rules;
    const r = await h.api(
      'PATCH',
      '/api/store',
      { rules: { ...rules, cancellation: [{ minNoticeMinutes: 0, feePercent: 0 }] } },
      STAFF,
    );
    expect(r.status).toBe(200);
  }

  const sessionOf = (id: string) =>
    h.hub.db.prepare('SELECT started_at, ended_at FROM sessions WHERE booking_id = ?').get(id) as
      { started_at: number; ended_at: number | null } | undefined;
  const refundedFor = (id: string) =>
    (
      h.hub.db
        .prepare(`SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE booking_id = ?`)
        .get(id) as { n: number }
    ).n;
  const doorOpenedFor = (id: string) =>
    (
      h.hub.db
        .prepare(
          `SELECT COUNT(*) AS n FROM door_events WHERE booking_id = ? AND outcome = 'opened'`,
        )
        .get(id) as { n: number }
    ).n;

  it('refuses a cancel that arrives while the lock is being pulsed', async () => {
    await freeCancellation();
    const seams = attachSeams();
    const id = await book('14:00', '15:00');
    await pay(id);
    await setTime('13:55'); // inside the door window, before the start: cancellable in full

    let pulsing!: () => void;
    const atRelay = new Promise<void>((r) => (pulsing = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    seams.beforePulse = () => {
      pulsing();
      return held;
    };
    const door = h.api('POST', `/api/bookings/${id}/door`);
    await atRelay; // the door said yes; the relay has not clicked yet
    const cancel = await h.api('POST', `/api/bookings/${id}/cancel`, { reason: '临时有事' });
    release();
    const opened = await door;

    expect(opened.status).toBe(200);
    expect(lockPulses()).toBe(1);
    expect(cancel.status).toBe(409);
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b.status).toBe('in_use');
    expect(sessionOf(id)).toMatchObject({ ended_at: null });
    expect(refundedFor(id)).toBe(0);
  });

  it('never both opens the door and cancels the booking, over 20 races', async () => {
    await freeCancellation();
    for (let day = 0; day < 20; day++) {
      await setTime('13:00', day);
      const id = await book('14:00', '15:00', day);
      await pay(id);
      const paid = (await h.api('GET', `/api/bookings/${id}`)).body.total;
      await setTime('13:55', day);
      const pulsesBefore = lockPulses();

      const open = () => h.api('POST', `/api/bookings/${id}/door`);
      const cancel = () => h.api('POST', `/api/bookings/${id}/cancel`, { reason: '临时有事' });
      // From the door leading by ten turns of the event loop to the cancel leading by nine, so the
      // race is run at many offsets, both in one write batch and in batches one after the other.
      const lead = day - 10;
      const later = async <T>(turns: number, fn: () => Promise<T>) => {
        for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
        return fn();
      };
      const [door, cancelled] = await Promise.all([
        later(Math.max(0, lead), open),
        later(Math.max(0, -lead), cancel),
      ]);

      const b = (await h.api('GET', `/api/bookings/${id}`)).body;
      const pulses = lockPulses() - pulsesBefore;
      const seen = {
        day,
        door: door.status,
        cancel: cancelled.status,
        status: b.status,
        pulses,
        doorLog: doorOpenedFor(id),
        session: sessionOf(id) ?? null,
        refunded: refundedFor(id),
      };
      const tag = JSON.stringify(seen);
      // Exactly one of the two wins.
      expect([door.status, cancelled.status].sort(), tag).toEqual(
        door.status === 200 ? [200, 409] : [200, 403],
      );
      if (door.status === 200) {
        expect(seen, tag).toMatchObject({
          status: 'in_use',
          pulses: 1,
          doorLog: 1,
          session: { ended_at: null },
          refunded: 0,
        });
      } else {
        expect(door.body.error.code, tag).toBe('not_paid');
        expect(['refunding', 'refunded', 'cancelled'], tag).toContain(b.status);
        expect(seen, tag).toMatchObject({ pulses: 0, doorLog: 0, session: null, refunded: paid });
      }
    }
  });
});
