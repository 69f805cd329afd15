// The owner's device schedules against the Modbus simulator over TCP: the relays switch at a
// schedule's start and end on the scheduler's wake-ups alone (the clock moves in steps and only
// the jobs that fall due run), a schedule of workdays follows the store's calendar, an "off"
// schedule never cuts a guest's room, and the routes refuse
// bad input naming the field, keep to managers and are audited.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SYNC_JOB } from '../src/devices/device-control';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let other: string;

beforeEach(async () => {
  h = await startTestHub();
  [room, other] = (await h.roomIds()) as [string, string];
});
afterEach(async () => {
  await h.close();
});

const sim = () => h.devices.simulator!;
const light = (i: number) => sim().coil(2, i);
const acPower = (i: number) => sim().registers(10 + i, 0, 1)[0] === 1;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

async function addSchedule(body: Record<string, unknown>): Promise<string> {
  const r = await h.api('POST', '/api/devices/schedules', body, STAFF);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** The hub has taken the change in and set its next wake-up at `hhmm`. */
async function wakesAt(hhmm: string): Promise<void> {
  await vi.waitFor(() =>
    expect(h.hub.scheduler.pending(SYNC_JOB).map((j) => j.dueAt)).toContain(Date.parse(at(hhmm))),
  );
}

/**
 * Moves the clock to each time in turn, five minutes apart, running only the jobs due by then,
 * and answers what `read` saw at each.
 */
async function walk<T>(from: string, to: string, read: () => T): Promise<Map<string, T>> {
  const seen = new Map<string, T>();
  for (let t = Date.parse(at(from)); t <= Date.parse(at(to)); t += 5 * 60_000) {
    h.clock.set(t);
    await h.runJobs();
    const local = new Date(t + 8 * 3_600_000).toISOString().slice(11, 16);
    seen.set(local, read());
  }
  return seen;
}

describe('device schedules', () => {
  it('switches a room’s light and AC on at the start and off at the end, by the scheduler alone', async () => {
    await addSchedule({
      roomId: room,
      devices: ['lights', 'ac'],
      weekdays: EVERY_DAY,
      start: '11:00',
      end: '11:30',
      on: true,
      ac: { mode: 'cool', setpoint: 24, fan: 'low' },
    });
    await wakesAt('11:00');
    const seen = await walk('10:05', '12:00', () => ({
      light: light(0),
      ac: acPower(0),
      other: light(1),
    }));
    expect(seen.get('10:55')).toEqual({ light: false, ac: false, other: false });
    expect(seen.get('11:00')).toEqual({ light: true, ac: true, other: false });
    expect(seen.get('11:25')).toEqual({ light: true, ac: true, other: false });
    expect(seen.get('11:30')).toEqual({ light: false, ac: false, other: false });
    expect(seen.get('12:00')).toEqual({ light: false, ac: false, other: false });
    // The next day's run is the next wake-up the hub keeps (within its 12-hour look-ahead).
    expect(h.hub.scheduler.pending(SYNC_JOB).map((j) => j.dueAt)[0]).toBeLessThanOrEqual(
      Date.parse(at('11:00', 1)),
    );
  });

  it('runs on the kinds of day the store’s calendar names: not on a Monday the owner made a holiday, again once it is a workday', async () => {
    const lit = await addSchedule({
      roomId: room,
      devices: ['lights'],
      weekdays: EVERY_DAY,
      dayTypes: ['workday'],
      start: '11:00',
      end: '11:30',
      on: true,
    });
    expect((await h.api('GET', '/api/devices/schedules', undefined, STAFF)).body).toEqual([
      expect.objectContaining({ id: lit, dayTypes: ['workday'] }),
    ]);
    await wakesAt('11:00');
    // Monday 2026-11-23 is a workday by the official calendar; the owner closes it as a holiday.
    const holiday = await h.api('PUT', '/api/calendar/2026-11-23', { type: 'holiday' }, STAFF);
    expect(holiday.status, JSON.stringify(holiday.body)).toBe(200);
    const seen = await walk('10:05', '11:10', () => light(0));
    expect(seen.get('11:00')).toBe(false);
    expect(seen.get('11:10')).toBe(false);
    // The holiday taken back: the day is a workday again and the light comes on at once.
    const back = await h.api('DELETE', '/api/calendar/2026-11-23', undefined, STAFF);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await vi.waitFor(() => expect(light(0)).toBe(true));
    const after = await walk('11:15', '11:30', () => light(0));
    expect(after.get('11:25')).toBe(true);
    expect(after.get('11:30')).toBe(false);
    // A kind of day the calendar does not have is refused naming the field.
    const bad = await h.api(
      'PUT',
      `/api/devices/schedules/${lit}`,
      {
        roomId: room,
        devices: ['lights'],
        weekdays: EVERY_DAY,
        dayTypes: ['payday'],
        start: '11:00',
        end: '11:30',
        on: true,
      },
      STAFF,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^dayTypes/);
  });

  it('keeps at most 200 schedules, refusing the next in words', async () => {
    const insert = h.hub.db.prepare(
      `INSERT INTO device_schedules (id, room_id, devices, weekdays, day_types, start_time, end_time, turns_on, ac, note, created_at, updated_at)
       VALUES (?, NULL, '["lights"]', '[1]', '[]', '03:00', '04:00', 0, NULL, '', 0, 0)`,
    );
    for (let i = 0; i < 199; i++) insert.run(`bulk-${i}`);
    const body = {
      roomId: null,
      devices: ['lights'],
      weekdays: [2],
      start: '03:00',
      end: '04:00',
      on: false,
    };
    await addSchedule(body);
    const refused = await h.api('POST', '/api/devices/schedules', body, {
      ...STAFF,
      'accept-language': 'zh-CN',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'too_many_schedules' });
    expect(refused.body.error.message).toContain('最多 200 条');
  });

  it('holds every room off for an hour except the one with a guest in it', async () => {
    // The guest's session, 14:00 to 16:00 in the first room.
    const b = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    // The other room's lights by schedule all afternoon, and everything off 14:30-15:00.
    await addSchedule({
      roomId: other,
      devices: ['lights'],
      weekdays: EVERY_DAY,
      start: '14:00',
      end: '16:00',
      on: true,
    });
    await addSchedule({
      roomId: null,
      devices: ['lights', 'sockets', 'freshAir', 'ac'],
      weekdays: EVERY_DAY,
      start: '14:30',
      end: '15:00',
      on: false,
    });
    await walk('10:05', '14:00', () => null);
    expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).status).toBe(200);
    await h.hub.devices.syncDevices(); // what the door open does by itself
    const seen = await walk('14:05', '16:30', () => ({ guest: light(0), other: light(1) }));
    expect(seen.get('14:25')).toEqual({ guest: true, other: true });
    expect(seen.get('14:30')).toEqual({ guest: true, other: false });
    expect(seen.get('14:55')).toEqual({ guest: true, other: false });
    expect(seen.get('15:00')).toEqual({ guest: true, other: true });
    expect(seen.get('16:00')?.other).toBe(false);
  });

  it('lists, changes and removes a schedule, audited, and refuses bad input by field', async () => {
    const id = await addSchedule({
      roomId: null,
      devices: ['freshAir'],
      weekdays: EVERY_DAY,
      start: '10:00',
      end: '10:20',
      on: true,
      note: 'airing',
    });
    const changed = await h.api(
      'PUT',
      `/api/devices/schedules/${id}`,
      {
        roomId: room,
        devices: ['freshAir', 'sockets'],
        weekdays: [6, 7],
        start: '23:00',
        end: '01:00',
        on: true,
      },
      STAFF,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ roomId: room, weekdays: [6, 7], end: '01:00', note: '' });
    const list = await h.api('GET', '/api/devices/schedules', undefined, as('manager'));
    expect(list.body).toEqual([changed.body]);

    const same = await h.api(
      'POST',
      '/api/devices/schedules',
      { ...changed.body, id: undefined, updatedAt: undefined, end: '23:00' },
      { ...STAFF, 'accept-language': 'zh-CN' },
    );
    expect(same.status).toBe(400);
    expect(same.body.error).toMatchObject({ code: 'invalid_input', field: 'end' });
    expect(same.body.error.message).toBe('结束时间：不能与开始时间相同');
    const noDevice = await h.api(
      'POST',
      '/api/devices/schedules',
      { roomId: null, devices: [], weekdays: [1], start: '10:00', end: '11:00', on: false },
      STAFF,
    );
    expect(noDevice.body.error).toMatchObject({
      field: 'devices',
      message: 'devices: must name at least one device',
    });
    const badDay = await h.api(
      'POST',
      '/api/devices/schedules',
      { roomId: null, devices: ['ac'], weekdays: [0], start: '10:00', end: '11:00', on: false },
      STAFF,
    );
    expect(badDay.body.error.field).toBe('weekdays.0');
    const noRoom = await h.api(
      'POST',
      '/api/devices/schedules',
      { roomId: 'nope', devices: ['ac'], weekdays: [1], start: '10:00', end: '11:00', on: false },
      STAFF,
    );
    expect(noRoom.status).toBe(404);
    expect(
      (
        await h.api(
          'POST',
          '/api/devices/schedules',
          { roomId: null, devices: ['ac'], weekdays: [1], start: '10:00', end: '11:00', on: false },
          as('cashier'),
        )
      ).status,
    ).toBe(403);

    expect((await h.api('DELETE', `/api/devices/schedules/${id}`, undefined, STAFF)).status).toBe(
      200,
    );
    expect((await h.api('GET', '/api/devices/schedules', undefined, STAFF)).body).toEqual([]);
    expect(
      (await h.api('DELETE', `/api/devices/schedules/${id}`, undefined, STAFF)).body.error.code,
    ).toBe('device_schedule_not_found');
    const audit = (await h.api('GET', `/api/audit?target=${id}`, undefined, STAFF)).body as {
      action: string;
      outcome: string;
    }[];
    expect(audit.map((a) => `${a.action} ${a.outcome}`).reverse()).toEqual([
      'PUT /api/devices/schedules/:id done',
      'DELETE /api/devices/schedules/:id done',
      'DELETE /api/devices/schedules/:id refused',
    ]);
  });
});
