// Reminders said aloud on the room's speaker, against the Modbus simulator's voice modules over
// Modbus TCP: the store's clock is moved and the hub's jobs run on the way, and the module's own
// record shows the clip the owner chose for each announcement, at the day or the night volume. A
// room without a speaker, or whose guests have not come in, is left alone; a speaker that does
// not answer is a device fault in the health report and the session goes on (its reminder is
// kept, the room's light stays on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SPEAKER_BASE } from '@roomhub/firmware-bridge/simulator';
import { STAFF, at, startTestHub, type TestHub } from '@roomhub/hub-app/testing';

let h: TestHub;
/** Room ids in the demo layout's order: the first four have a speaker. */
let rooms: string[];
let speakerRooms: string[];

const sim = () => h.devices.simulator!;
const slaveOf = (room: string) => DEMO_SPEAKER_BASE + rooms.indexOf(room);
/** What the module of a room played: clip and volume step (0-30). */
const played = (room: string) =>
  sim()
    .played(slaveOf(room))
    .map((p) => ({ clip: p.clip, volume: p.volume }));

async function moveTo(hhmm: string, day = 0): Promise<void> {
  h.clock.set(Date.parse(at(hhmm, day)));
  await h.runJobs();
  await h.hub.devices.announcements.settled();
}

/** A paid booking whose guests came in at its start. */
async function sessionIn(room: string, from: string, to: string, day = 0): Promise<string> {
  h.clock.set(Date.parse(at(from, day)) - 30 * 60_000);
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at(from, day),
    end: at(to, day),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status).toBe(201);
  const id = b.body.id as string;
  expect(
    (await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF)).status,
  ).toBe(201);
  await moveTo(from, day);
  expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
  return id;
}

beforeAll(async () => {
  h = await startTestHub();
  rooms = await h.roomIds();
  const devices = (await h.api('GET', '/api/devices', undefined, STAFF)).body.devices as {
    kind: string;
    rooms: string[];
  }[];
  speakerRooms = devices.filter((d) => d.kind === 'speaker').flatMap((d) => d.rooms);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('room speakers', () => {
  it('the demo store has rooms with a speaker and rooms without', () => {
    expect(speakerRooms.length).toBeGreaterThan(0);
    expect(speakerRooms.length).toBeLessThan(rooms.length);
  });

  it('the 15- and 5-minute reminders and the time-up play the clips the owner chose', async () => {
    const withSpeaker = speakerRooms[0]!;
    const without = rooms.find((r) => !speakerRooms.includes(r))!;
    const owner = await h.api(
      'PUT',
      '/api/devices/speaker-settings',
      {
        clips: { reminder_15: 4, reminder_5: 5, overtime: 6 },
        volume: 80,
        nightVolume: 30,
        night: { from: '22:00', to: '08:00' },
      },
      STAFF,
    );
    expect(owner.status).toBe(200);
    const a = await sessionIn(withSpeaker, '14:00', '16:00');
    const b = await sessionIn(without, '14:00', '16:00');
    // Paid, but nobody came: the empty room is not spoken to.
    const empty = speakerRooms[3]!;
    const c = await h.api('POST', '/api/bookings', {
      roomId: empty,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138003' },
    });
    expect(
      (await h.api('POST', `/api/bookings/${c.body.id}/payments`, { method: 'cash' }, STAFF))
        .status,
    ).toBe(201);
    sim().clearWrites();

    await moveTo('15:44');
    expect(played(withSpeaker)).toEqual([]);
    await moveTo('15:45');
    expect(played(withSpeaker)).toEqual([{ clip: 4, volume: 24 }]);
    await moveTo('15:55');
    expect(played(withSpeaker)).toEqual([
      { clip: 4, volume: 24 },
      { clip: 5, volume: 24 },
    ]);
    await moveTo('16:00');
    expect(played(withSpeaker).at(-1)).toEqual({ clip: 6, volume: 24 });
    // Running the jobs again says nothing again.
    await moveTo('16:01');
    expect(played(withSpeaker)).toHaveLength(3);

    // Nothing was written to any other speaker; the room without one had its reminders as usual.
    const speakerSlaves = rooms.map((_, i) => DEMO_SPEAKER_BASE + i);
    const speakerWrites = sim()
      .writes()
      .filter((w) => speakerSlaves.includes(w.slaveId));
    expect(new Set(speakerWrites.map((w) => w.slaveId))).toEqual(new Set([slaveOf(withSpeaker)]));
    expect(played(empty)).toEqual([]);
    const told = (await h.api('GET', `/api/bookings/${b}/notifications`)).body as {
      minutesLeft: number;
    }[];
    expect(told.map((n) => n.minutesLeft)).toEqual([15, 5]);
    for (const id of [a, b]) await h.api('POST', `/api/bookings/${id}/finish`);
  }, 60_000);

  it('at night the announcement is quieter', async () => {
    const room = speakerRooms[1]!;
    await sessionIn(room, '21:00', '22:30');
    await moveTo('22:15');
    expect(played(room).at(-1)).toEqual({ clip: 4, volume: 9 });
  }, 60_000);

  it('a speaker that does not answer is a device fault, and the session goes on', async () => {
    const room = speakerRooms[2]!;
    const id = await sessionIn(room, '09:00', '10:00', 1);
    sim().fault(slaveOf(room), 'timeout');
    try {
      await moveTo('09:45', 1);
      const list = (await h.api('GET', '/api/devices', undefined, STAFF)).body as {
        devices: { deviceId: string; kind: string; rooms: string[]; actual: unknown }[];
        health: { devices: { kind: string; rooms: string[]; ok: boolean; lastError: string }[] };
      };
      const health = list.health.devices.find(
        (d) => d.kind === 'speaker' && d.rooms.includes(room),
      );
      expect(health?.ok).toBe(false);
      const light = list.devices.find(
        (d) => d.kind === 'light' && d.rooms.length === 1 && d.rooms[0] === room,
      );
      expect(light?.actual).toBe(true);
      const told = (await h.api('GET', `/api/bookings/${id}/notifications`)).body as unknown[];
      expect(told).toHaveLength(1);
      expect((await h.api('GET', `/api/bookings/${id}`, undefined, STAFF)).body.status).toBe(
        'in_use',
      );
    } finally {
      sim().fault(slaveOf(room), null);
    }
    await moveTo('09:55', 1);
    expect(played(room).at(-1)).toEqual({ clip: 5, volume: 24 });
  }, 60_000);

  it('the owner is told which field is wrong, and nothing is kept', async () => {
    const before = (await h.api('GET', '/api/devices/speaker-settings', undefined, STAFF)).body;
    const bad = await h.api(
      'PUT',
      '/api/devices/speaker-settings',
      { ...before, clips: { ...before.clips, reminder_5: 0 } },
      STAFF,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('clips.reminder_5');
    const louder = await h.api(
      'PUT',
      '/api/devices/speaker-settings',
      { ...before, nightVolume: 90 },
      STAFF,
    );
    expect(louder.status).toBe(400);
    expect(louder.body.error.field).toBe('nightVolume');
    expect((await h.api('GET', '/api/devices/speaker-settings', undefined, STAFF)).body).toEqual(
      before,
    );
    const cashier = await h.api('PUT', '/api/devices/speaker-settings', before, {
      'x-test-as': 'cashier',
    });
    expect(cashier.status).toBe(403);
  });
});
