// Sessions against the Modbus simulator over TCP: doors, door codes, devices that follow the
// booking, reminders, extension, overtime, and recovery after a power cut.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let next: string;

beforeEach(async () => {
  h = await startTestHub();
  const ids = await h.roomIds();
  room = ids[0]!; // lock: slave 1 relay 0; light: slave 2 relay 0; AC: slave 10
  next = ids[1]!;
});
afterEach(async () => {
  await h.close();
});

const sim = () => h.devices.simulator!;
const lightOn = () => sim().coil(2, 0);
const acPower = () => sim().registers(10, 0, 1)[0] === 1;
const corridor = () => sim().coil(2, 7);
const lockPulses = () =>
  sim()
    .writes()
    .filter((w) => w.slaveId === 1 && w.address === 0x0200);
const setTime = async (hhmm: string) => {
  h.clock.set(Date.parse(at(hhmm)));
  await h.runJobs();
  await h.hub.devices.syncDevices();
};

async function paidBooking(start = '14:00', end = '16:00', roomId = room): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId,
    start: at(start),
    end: at(end),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  return b.body.id;
}

describe('the door', () => {
  it('opens for a paid booking only inside its window, and the first open starts the session', async () => {
    const id = await paidBooking();
    const early = await h.api('POST', `/api/bookings/${id}/door`);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('too_early');
    expect(lockPulses()).toHaveLength(0);

    await setTime('13:50'); // ten minutes of early entry
    const open = await h.api('POST', `/api/bookings/${id}/door`);
    expect(open.status).toBe(200);
    expect(lockPulses()).toHaveLength(1); // the board's own timed pulse, not on-then-off
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b.status).toBe('in_use');
    expect(b.history.at(-1)).toMatchObject({ action: 'start', to: 'in_use' });
    await h.hub.devices.syncDevices();
    expect(lightOn()).toBe(true);

    const log = (await h.api('GET', `/api/rooms/${room}/door/log`, undefined, STAFF)).body;
    expect(log.map((e: { outcome: string }) => e.outcome)).toEqual(['opened', 'refused']);
  });

  it('refuses an unpaid booking and someone else’s booking', async () => {
    const b = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('10:00'),
      end: at('11:00'),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    expect((await h.api('POST', `/api/bookings/${b.body.id}/door`)).body.error.code).toBe(
      'not_paid',
    );
    const id = await paidBooking();
    await setTime('14:00');
    // The kiosk holds the pass of the unpaid booking, not of this one.
    const other = await h.api(
      'POST',
      `/api/bookings/${id}/door`,
      undefined,
      asCustomerOf(b.body.id),
    );
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('booking_not_proven');
    expect(lockPulses()).toHaveLength(0);
  });

  it('opens with the offline code once, refuses a replay, and locks the keypad after five wrong codes', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    const code = (await h.api('GET', `/api/bookings/${id}/door-code`)).body;
    expect(code.code).toMatch(/^\d{6}$/);
    expect(code.qrPayload).toMatch(/^RH1:\d+:\d{6}$/);
    const ok = await h.api('POST', `/api/rooms/${room}/door/code`, { code: code.code });
    expect(ok.status).toBe(200);
    const replay = await h.api('POST', `/api/rooms/${room}/door/code`, { code: code.code });
    expect(replay.body.error.code).toBe('wrong_code');

    for (let i = 0; i < 3; i++)
      await h.api('POST', `/api/rooms/${room}/door/code`, { code: '000000' });
    const fifth = await h.api('POST', `/api/rooms/${room}/door/code`, { code: '000001' });
    expect(fifth.body.error.code).toBe('door_locked_out');
    h.clock.advance(30_000); // a fresh, valid code: still locked out
    const fresh = (await h.api('GET', `/api/bookings/${id}/door-code`)).body.code;
    expect(
      (await h.api('POST', `/api/rooms/${room}/door/code`, { code: fresh })).body.error.code,
    ).toBe('door_locked_out');
    h.clock.advance(10 * 60_000);
    const later = (await h.api('GET', `/api/bookings/${id}/door-code`)).body;
    expect(
      (await h.api('POST', `/api/rooms/${room}/door/code`, { qr: later.qrPayload })).status,
    ).toBe(200);
    expect(lockPulses()).toHaveLength(2);
  });

  it('does not take a code at another room’s door, nor outside the booking’s window', async () => {
    const id = await paidBooking();
    await setTime('13:00');
    const code = (await h.api('GET', `/api/bookings/${id}/door-code`)).body.code;
    expect((await h.api('POST', `/api/rooms/${room}/door/code`, { code })).body.error.code).toBe(
      'wrong_code',
    );
    await setTime('14:00');
    const now = (await h.api('GET', `/api/bookings/${id}/door-code`)).body.code;
    expect(
      (await h.api('POST', `/api/rooms/${next}/door/code`, { code: now })).body.error.code,
    ).toBe('wrong_code');
  });

  it('lets staff open any door with a logged reason, and says so when the lock does not answer', async () => {
    expect((await h.api('POST', `/api/rooms/${room}/door/open`, { reason: '保洁' })).status).toBe(
      403,
    );
    const open = await h.api('POST', `/api/rooms/${room}/door/open`, { reason: '保洁进场' }, STAFF);
    expect(open.status).toBe(200);
    sim().fault(1, 'timeout');
    const dead = await h.api('POST', `/api/rooms/${room}/door/open`, { reason: '再开一次' }, STAFF);
    expect(dead.status).toBe(503);
    expect(dead.body.error.code).toBe('door_failed');
    sim().fault(1, null);
    const log = (await h.api('GET', `/api/rooms/${room}/door/log`, undefined, STAFF)).body;
    expect(log[0]).toMatchObject({ outcome: 'failed', method: 'staff' });
    expect(log[1]).toMatchObject({
      outcome: 'opened',
      reason: '保洁进场',
      actor: { kind: 'staff', id: await h.staffId('owner') },
    });
  });
});

describe('devices follow the session', () => {
  it('pre-cools before the start, lights at the start, everything off after the end', async () => {
    await paidBooking();
    await setTime('13:40');
    expect([acPower(), lightOn()]).toEqual([false, false]);
    await setTime('13:45'); // fifteen minutes ahead
    expect([acPower(), lightOn()]).toEqual([true, false]);
    await setTime('14:00');
    expect([acPower(), lightOn(), corridor()]).toEqual([true, true, true]);
    await setTime('16:05'); // ten minutes after the end they go off
    expect([acPower(), lightOn()]).toEqual([true, true]);
    await setTime('16:10');
    expect([acPower(), lightOn(), corridor()]).toEqual([false, false, false]);
    expect(
      (await h.api('GET', '/api/bookings?status=completed', undefined, STAFF)).body,
    ).toHaveLength(1); // a no-show is closed
  });

  it('keeps the shared corridor light on until the last room lets it go', async () => {
    await paidBooking('14:00', '15:00', room);
    await paidBooking('14:00', '16:00', next);
    await setTime('14:30');
    expect(corridor()).toBe(true);
    await setTime('15:10');
    expect([lightOn(), corridor()]).toEqual([false, true]);
    await setTime('16:10');
    expect(corridor()).toBe(false);
  });

  it('turns a room off when its booking is refunded while in use', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    await h.api('POST', `/api/bookings/${id}/door`);
    await h.api('POST', `/api/bookings/${id}/refund`, { reason: '空调不制冷' });
    await h.hub.devices.syncDevices();
    expect(lightOn()).toBe(true); // a request alone does not put the customer in the dark
    await h.api('POST', `/api/bookings/${id}/refund/approve`, {}, STAFF);
    await h.hub.devices.syncDevices();
    expect([lightOn(), acPower()]).toEqual([false, false]);
  });

  it('puts every relay back after a power cut and after a restart', async () => {
    await paidBooking();
    await setTime('14:30');
    expect(lightOn()).toBe(true);
    sim().powerCut();
    expect(lightOn()).toBe(false);
    h = await h.restart();
    expect(h.devices.simulator!.coil(2, 0)).toBe(true);
    expect(h.devices.simulator!.registers(10, 0, 1)[0]).toBe(1);
  });

  it('lets staff switch a device by hand and give it back, with the reason kept', async () => {
    const r = await h.api(
      'POST',
      `/api/devices/${room}-light/override`,
      { on: true, reason: '检修' },
      STAFF,
    );
    expect(r.status).toBe(200);
    expect(lightOn()).toBe(true);
    await setTime('11:00');
    expect(lightOn()).toBe(true); // an override outlives the sessions' own decisions
    await h.api(
      'POST',
      `/api/devices/${room}-light/override`,
      { on: null, reason: '检修完成' },
      STAFF,
    );
    expect(lightOn()).toBe(false);
    expect(
      (await h.api('POST', `/api/devices/${room}-light/override`, { on: true, reason: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (await h.api('POST', `/api/devices/nope/override`, { on: true, reason: 'x' }, STAFF)).status,
    ).toBe(404);
    const list = (await h.api('GET', '/api/devices', undefined, STAFF)).body;
    expect(list.devices.length).toBeGreaterThan(6);
    expect(list.health.buses[0]).toMatchObject({ ok: true });
  });
});

describe('reminders, extension and overtime', () => {
  it('reminds fifteen and five minutes before the end', async () => {
    const id = await paidBooking();
    await setTime('15:45');
    await setTime('15:55');
    const n = (await h.api('GET', `/api/bookings/${id}/notifications`)).body;
    expect(n.map((x: { minutesLeft: number }) => x.minutesLeft)).toEqual([15, 5]);
  });

  it('extends into a free slot, moves the reminders, and takes the time back if it is not paid', async () => {
    const id = await paidBooking();
    await setTime('15:00');
    const ext = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 60 });
    expect(ext.status).toBe(201);
    expect(ext.body).toMatchObject({ end: at('17:00'), amount: 3800 }); // 16:00-17:00 at the weekday base rate
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b).toMatchObject({ end: at('17:00'), due: ext.body.amount });
    expect(b.lines.at(-1)).toMatchObject({ kind: 'extension' });
    expect(h.hub.scheduler.pending('session.remind').map((j) => j.dueAt)).toContain(
      Date.parse(at('16:45')),
    );

    await setTime('15:16'); // the hold ran out unpaid
    const back = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(back).toMatchObject({ end: at('16:00'), due: 0, total: 7600 });
  });

  it('lets exactly one of an extension and a booking of the next slot win', async () => {
    const id = await paidBooking();
    await setTime('15:00');
    const [ext, other] = await Promise.all([
      h.api('POST', `/api/bookings/${id}/extend`, { minutes: 60 }),
      h.api('POST', '/api/bookings', {
        roomId: room,
        start: at('16:30'),
        end: at('17:30'),
        partySize: 2,
        customer: { phone: '13900139000' },
      }),
    ]);
    expect([ext.status, other.status].sort()).toEqual([201, 409]);
  });

  it('bills overtime per step after the grace, shown live and added when the session ends', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    await h.api('POST', `/api/bookings/${id}/door`);
    await setTime('16:08');
    expect((await h.api('GET', '/api/sessions', undefined, STAFF)).body[0].overtime).toEqual({
      minutes: 0,
      amount: 0,
    });
    h.clock.set(Date.parse(at('16:09')));
    const live = (await h.api('GET', '/api/sessions', undefined, STAFF)).body[0];
    expect(live.overtime.minutes).toBe(0); // still within the ten-minute grace
    h.clock.set(Date.parse(at('16:12')));
    const over = (await h.api('GET', '/api/sessions', undefined, STAFF)).body[0];
    expect(over.overtime).toEqual({ minutes: 15, amount: 950 }); // one 15-minute step at 38 yuan an hour
    const done = await h.api('POST', `/api/bookings/${id}/finish`);
    expect(done.body).toMatchObject({ status: 'completed', due: 950 });
    expect(done.body.lines.at(-1)).toMatchObject({ kind: 'overtime', minutes: 15 });
  });

  it('frees the rest of the slot when the customer leaves early', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    await h.api('POST', `/api/bookings/${id}/door`);
    await setTime('15:00');
    const done = await h.api('POST', `/api/bookings/${id}/finish`);
    expect(done.body.status).toBe('completed');
    await h.hub.devices.syncDevices();
    expect(lightOn()).toBe(false);
    const t = (await h.api('GET', `/api/rooms/${room}/availability?date=2026-11-23`)).body;
    expect(
      t.segments.map(
        (s: { state: string; start: string }) => `${s.state} ${s.start.slice(11, 16)}`,
      ),
    ).toContain('cleaning 15:00');
    expect(
      (
        await h.api('POST', '/api/bookings', {
          roomId: room,
          start: at('15:30'),
          end: at('16:30'),
          partySize: 2,
          customer: { phone: '13900139000' },
        })
      ).status,
    ).toBe(201);
  });
});

describe('what a restart or an impatient customer must not get wrong', () => {
  it('bills no overtime for the hours the hub was off when the session should have ended', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    await h.api('POST', `/api/bookings/${id}/door`);
    h.clock.set(Date.parse(at('15:59')));
    await h.close();
    h.clock.set(Date.parse(at('19:00')));
    h = await h.restart();
    await h.runJobs();
    expect((await h.api('GET', `/api/bookings/${id}`)).body).toMatchObject({
      status: 'completed',
      total: 7600,
      due: 0,
    });
  });

  it('takes one extension at a time: the next waits until the last is paid', async () => {
    const id = await paidBooking();
    await setTime('15:00');
    expect((await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 30 })).status).toBe(201);
    const second = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 30 });
    expect(second.body.error.code).toBe('payment_due');
    await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
    expect((await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 30 })).status).toBe(201);
  });

  it('pre-cools a booking made days ahead on the scheduler alone', async () => {
    await paidBooking('14:00', '16:00');
    const b = await h.api('POST', '/api/bookings', {
      roomId: next,
      start: at('14:00', 2),
      end: at('16:00', 2),
      partySize: 2,
      customer: { phone: '13800138000' },
    });
    await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
    await h.hub.devices.syncDevices();
    const acNext = () => sim().registers(11, 0, 1)[0] === 1;
    // Only the alarm from here on: every hour, run what is due.
    for (let t = Date.parse(at('11:00')); t <= Date.parse(at('13:50', 2)); t += 60 * 60_000) {
      h.clock.set(t);
      await h.runJobs();
    }
    h.clock.set(Date.parse(at('13:50', 2)));
    await h.runJobs();
    expect(acNext()).toBe(true); // switched by the devices.sync job, nothing else
  });

  it('counts wrong codes per door, whether typed or scanned', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    const number = (await h.api('GET', `/api/bookings/${id}`)).body.number;
    for (let i = 0; i < 3; i++)
      await h.api('POST', `/api/rooms/${room}/door/code`, { code: '000000' });
    await h.api('POST', `/api/rooms/${room}/door/code`, { qr: `RH1:${number}:000000` });
    const fifth = await h.api('POST', `/api/rooms/${room}/door/code`, {
      qr: `RH1:${number}:000001`,
    });
    expect(fifth.body.error.code).toBe('door_locked_out');
  });
});
