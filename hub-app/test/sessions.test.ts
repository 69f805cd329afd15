// Sessions against the Modbus simulator over TCP: doors, door codes, devices that follow the
// booking, reminders, extension, overtime, and recovery after a power cut.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';

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

/** The guest opens the door of their booking from their phone: the session starts. */
async function enter(id: string): Promise<void> {
  expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
}

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

  it('opens with the code as often as the guest comes and goes, and wrong codes never keep the guest out', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    const code = (await h.api('GET', `/api/bookings/${id}/door-code`)).body;
    expect(code.code).toMatch(/^\d{6}$/);
    expect(code.entryCode).toMatch(/^\d{6}$/);
    expect(code.qrPayload).toMatch(/^RH1:\d+:\d{6}$/);
    const door = (body: Record<string, string>) =>
      h.api('POST', `/api/rooms/${room}/door/code`, body);
    expect((await door({ code: code.code })).status).toBe(200);
    // Out for a smoke and back: the same code, and the code on the receipt, open again.
    expect((await door({ code: code.code })).status).toBe(200);
    await setTime('15:10');
    expect((await door({ code: code.entryCode })).status).toBe(200);
    expect((await door({ qr: code.qrPayload.replace(/\d{6}$/, code.entryCode) })).status).toBe(200);

    // Somebody tries codes: after five wrong ones the keypad slows down, one try in 15 s.
    for (let i = 0; i < 4; i++) {
      const r = await door({ code: '000000' });
      expect(r.body.error).toMatchObject({ code: 'wrong_code' });
      expect(r.body.error.message).toContain(`${4 - i} tries left`);
    }
    const fifth = await door({ code: '000001' });
    expect(fifth.body.error.code).toBe('wrong_code');
    expect(fifth.body.error.message).toContain('one try every 15 seconds');
    const tooSoon = await door({ code: '000002' });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('door_locked_out');
    // The guest with the right code is let in as soon as the keypad reads a try again.
    h.clock.advance(15_000);
    expect((await door({ code: code.entryCode })).status).toBe(200);
    // ... and again at once: the slow-down only spaces out the wrong ones.
    expect((await door({ code: code.entryCode })).status).toBe(200);
    expect(lockPulses()).toHaveLength(6);
    // Outside its booking's window the same code opens nothing.
    await h.api('POST', `/api/bookings/${id}/finish`);
    expect((await door({ code: code.entryCode })).status).toBe(403);
    expect(lockPulses()).toHaveLength(6);
  });

  it('uses up and starts nothing when the lock fails to open', async () => {
    const id = await paidBooking();
    await setTime('13:50');
    const code = (await h.api('GET', `/api/bookings/${id}/door-code`)).body.entryCode;
    sim().fault(1, 'exception');
    const failed = await h.api('POST', `/api/rooms/${room}/door/code`, { code });
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('door_failed');
    expect((await h.api('GET', `/api/bookings/${id}`)).body.status).toBe('paid');
    sim().fault(1, null);
    expect((await h.api('POST', `/api/rooms/${room}/door/code`, { code })).status).toBe(200);
    expect((await h.api('GET', `/api/bookings/${id}`)).body.status).toBe('in_use');
  });

  it('lets a booking whose door failed still be cancelled', async () => {
    const id = await paidBooking();
    await setTime('13:50');
    sim().fault(1, 'timeout');
    expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(503);
    sim().fault(1, null);
    const c = await h.api('POST', `/api/bookings/${id}/cancel`, {});
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('refunding');
  });

  it('takes a typed code at the kiosk only with its booking number, and a right code wipes no count', async () => {
    const id = await paidBooking();
    await setTime('13:00');
    const { entryCode } = (await h.api('GET', `/api/bookings/${id}/door-code`)).body;
    const number = (await h.api('GET', `/api/bookings/${id}`)).body.number;
    const prove = (body: Record<string, string>) =>
      h.api('POST', '/api/kiosk/prove', body, as('kiosk'));
    const bare = await prove({ code: entryCode });
    expect(bare.status).toBe(400);
    expect(bare.body.error.field).toBe('number');
    expect((await prove({ code: entryCode, number })).status).toBe(200);
    // Four guesses, the customer's own code, then more guesses: the fifth wrong one slows it.
    for (let i = 0; i < 4; i++) await prove({ code: '000000', number: '20261123999' });
    expect((await prove({ code: entryCode, number })).status).toBe(200);
    const fifth = await prove({ code: '000001', number: '20261123999' });
    expect(fifth.body.error.message).toContain('one try every 15 seconds');
  });

  it('says when a right code opens, without counting it as a guess; takes no code at another room', async () => {
    const id = await paidBooking();
    await setTime('13:00');
    const code = (await h.api('GET', `/api/bookings/${id}/door-code`)).body.entryCode;
    for (let i = 0; i < 6; i++) {
      const early = await h.api('POST', `/api/rooms/${room}/door/code`, { code });
      expect(early.body.error).toMatchObject({ code: 'too_early' });
      expect(early.body.error.message).toContain('13:50');
    }
    await setTime('13:50'); // early entry: not slowed down by the early tries
    expect((await h.api('POST', `/api/rooms/${room}/door/code`, { code })).status).toBe(200);
    expect((await h.api('POST', `/api/rooms/${next}/door/code`, { code })).body.error.code).toBe(
      'wrong_code',
    );
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
  it('pre-cools before the start, lights at the start, everything off when the guest leaves', async () => {
    const id = await paidBooking();
    await setTime('13:40');
    expect([acPower(), lightOn()]).toEqual([false, false]);
    await setTime('13:45'); // fifteen minutes ahead
    expect([acPower(), lightOn()]).toEqual([true, false]);
    await setTime('14:00');
    expect([acPower(), lightOn(), corridor()]).toEqual([true, true, true]);
    await enter(id);
    await setTime('16:05'); // past the end, the guest still in: on, and overtime after the grace
    expect([acPower(), lightOn()]).toEqual([true, true]);
    await h.api('POST', `/api/bookings/${id}/finish`);
    await h.hub.devices.syncDevices();
    expect([acPower(), lightOn(), corridor()]).toEqual([false, false, false]);
  });

  it('releases a paid booking nobody came to: the room goes off and is free again', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    expect(lightOn()).toBe(true);
    await setTime('14:29');
    expect(lightOn()).toBe(true);
    await setTime('14:30'); // thirty minutes after the start, the store's no-show grace
    expect(lightOn()).toBe(false);
    const b = (await h.api('GET', `/api/bookings/${id}`)).body;
    expect(b).toMatchObject({ status: 'completed', paid: 7600 }); // the default gives nothing back
    expect(b.history.at(-1)).toMatchObject({ action: 'no_show', data: { refund: 0, fee: 7600 } });
    const walkIn = await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:30'),
      end: at('15:30'),
      partySize: 2,
      customer: { phone: '13900139000' },
    });
    expect(walkIn.status).toBe(201);
  });

  it('keeps the shared corridor light on until the last room lets it go', async () => {
    const a = await paidBooking('14:00', '15:00', room);
    const b = await paidBooking('14:00', '16:00', next);
    await setTime('14:00');
    await enter(a);
    await enter(b);
    await setTime('14:30');
    expect(corridor()).toBe(true);
    await setTime('15:00');
    await h.api('POST', `/api/bookings/${a}/finish`);
    await setTime('15:10');
    expect([lightOn(), corridor()]).toEqual([false, true]);
    await setTime('16:00');
    await h.api('POST', `/api/bookings/${b}/finish`);
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
    const id = await paidBooking();
    await setTime('14:00');
    await enter(id);
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
    await setTime('14:00');
    await enter(id);
    await setTime('15:45');
    await setTime('15:55');
    const n = (await h.api('GET', `/api/bookings/${id}/notifications`)).body;
    expect(n.map((x: { minutesLeft: number }) => x.minutesLeft)).toEqual([15, 5]);
  });

  it('extends into a free slot, moves the reminders, and takes the time back if it is not paid', async () => {
    const id = await paidBooking();
    await setTime('14:00');
    await enter(id);
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
    await setTime('14:00');
    await enter(id);
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
    expect(fifth.body.error.message).toContain('one try every 15 seconds');
    const sixth = await h.api('POST', `/api/rooms/${room}/door/code`, { code: '000003' });
    expect(sixth.body.error.code).toBe('door_locked_out');
  });
});
