// What a store trips on, run as a store day would run it: a walk-in at an odd minute, a guest who
// overstays, one who never comes, one who leaves early, a change with a fee, each by the rule the
// owner sets. Every move of the clock runs the jobs that would have fired on the way.
import {
  DEFAULT_BOOKING_RULES,
  DEFAULT_SESSION_RULES,
  type BookingRules,
} from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string; // 听雨: 38 yuan an hour on a weekday daytime, billed per 15 minutes

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const sim = () => h.devices.simulator!;
const lightOn = () => sim().coil(2, 0);
const setTime = async (hhmm: string, day = 0) => {
  h.clock.set(Date.parse(at(hhmm, day)));
  await h.runJobs();
  await h.hub.devices.syncDevices();
};

async function setRules(change: (r: BookingRules) => BookingRules) {
  const r = await h.api('PATCH', '/api/store', { rules: change(DEFAULT_BOOKING_RULES) }, STAFF);
  return r;
}

async function book(start: string, end: string) {
  return h.api('POST', '/api/bookings', {
    roomId: room,
    start,
    end,
    partySize: 2,
    customer: { phone: '13800138000' },
  });
}

async function paidBooking(start: string, end: string): Promise<string> {
  const b = await book(start, end);
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  await h.api('POST', `/api/bookings/${b.body.id}/payments`, { method: 'cash' }, STAFF);
  return b.body.id;
}

const enter = async (id: string) =>
  expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
const detail = async (id: string) => (await h.api('GET', `/api/bookings/${id}`)).body;

describe('a walk-in', () => {
  it('starts now at an odd minute, billed from the next step of the grid', async () => {
    h.clock.set(Date.parse(at('10:21')));
    const b = await book(at('10:21'), at('11:30'));
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ start: at('10:21'), end: at('11:30'), total: 3800 });
    expect(b.body.lines[0]).toMatchObject({ start: at('10:30'), minutes: 60 });
  });

  it('books the slot under way from now, never charging for the time already gone', async () => {
    h.clock.set(Date.parse(at('10:21')));
    const q = await h.api('POST', '/api/quotes', {
      roomId: room,
      start: at('10:00'),
      end: at('11:00'),
    });
    expect(q.body).toMatchObject({ start: at('10:21'), total: 1900 }); // 10:30-11:00
    expect(q.body.terms.cancellation).toEqual(DEFAULT_BOOKING_RULES.cancellation);
    const b = await book(at('10:00'), at('11:00'));
    expect(b.body).toMatchObject({ start: at('10:21'), end: at('11:00'), total: 1900 });
  });

  it('is refused a start in the past when the owner says so, and told when it can start', async () => {
    expect((await setRules((r) => ({ ...r, pastStart: 'refuse' }))).status).toBe(200);
    h.clock.set(Date.parse(at('10:21')));
    const past = await book(at('10:00'), at('11:30'));
    expect(past.status).toBe(422);
    expect(past.body.error).toMatchObject({ code: 'start_in_past', field: 'start' });
    expect(past.body.error.message).toContain('10:21');
    expect((await book(at('10:21'), at('11:30'))).status).toBe(201);
  });
});

describe('the end of a session', () => {
  it('bills overtime by the store’s own rules (the store day that billed none)', async () => {
    h.clock.set(Date.parse(at('09:00', 1)));
    const id = await paidBooking(at('10:00', 1), at('11:00', 1));
    await setTime('09:50', 1);
    await enter(id);
    await setTime('10:57', 1);
    const ext = await h.api('POST', `/api/bookings/${id}/extend`, { minutes: 30 });
    expect(ext.status).toBe(201);
    await h.api('POST', `/api/bookings/${id}/payments`, { method: 'cash' }, STAFF);
    await setTime('11:40', 1);
    expect((await detail(id)).status).toBe('in_use'); // still billed, never completed behind them
    expect(lightOn()).toBe(true);
    await setTime('11:45', 1);
    const done = await h.api('POST', `/api/bookings/${id}/finish`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', due: 950 });
    expect(done.body.lines.at(-1)).toMatchObject({ kind: 'overtime', minutes: 15, amount: 950 });
  });

  it('keeps the lights on a guest being billed, up to the cap, where it ends the session', async () => {
    const id = await paidBooking(at('14:00'), at('15:00'));
    await setTime('14:00');
    await enter(id);
    await setTime('16:59');
    expect(lightOn()).toBe(true);
    expect((await detail(id)).status).toBe('in_use');
    await setTime('17:00'); // the two-hour cap
    expect(lightOn()).toBe(false);
    const b = await detail(id);
    expect(b).toMatchObject({ status: 'completed', due: 7600 });
    expect(b.lines.at(-1)).toMatchObject({ kind: 'overtime', minutes: 120 });
  });

  it('switches off after the delay and bills up to then, when the owner chooses that', async () => {
    const r = await setRules((x) => ({
      ...x,
      session: { ...DEFAULT_SESSION_RULES, atEnd: 'switch_off', offDelayMinutes: 20 },
    }));
    expect(r.status).toBe(200);
    const id = await paidBooking(at('14:00'), at('15:00'));
    await setTime('14:00');
    await enter(id);
    await setTime('15:19');
    expect(lightOn()).toBe(true);
    await setTime('15:20');
    expect(lightOn()).toBe(false);
    const b = await detail(id);
    expect(b.status).toBe('completed');
    // 20 minutes over, the grace passed: billed in 15-minute steps, rounded up.
    expect(b.lines.at(-1)).toMatchObject({ kind: 'overtime', minutes: 30, amount: 1900 });
    expect(b.terms.atEnd).toEqual({
      rule: 'switch_off',
      overtimeGraceMinutes: 10,
      overtimeCapMinutes: null,
      offDelayMinutes: 20,
    });
  });

  it('refuses end settings that contradict each other, naming the setting', async () => {
    const r = await setRules((x) => ({
      ...x,
      overtimeGraceMinutes: 30,
      session: { ...DEFAULT_SESSION_RULES, overtimeCapMinutes: 20 },
    }));
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('rules.session.overtimeCapMinutes');
    expect(r.body.error.message).toContain('never billed');
  });

  it('refunds the unused whole steps of an early end when the owner chooses that, shown first', async () => {
    await setRules((x) => ({ ...x, earlyEnd: 'unused_steps' }));
    const id = await paidBooking(at('14:00'), at('16:00'));
    await setTime('14:00');
    await enter(id);
    await setTime('14:50');
    expect((await detail(id)).ifNow.endRefund).toBe(3800); // 15:00-16:00
    const done = await h.api('POST', `/api/bookings/${id}/finish`);
    expect(done.body.refunds).toMatchObject([
      { purpose: 'early_end', amount: 3800, status: 'owed' }, // cash: handed back at the counter
    ]);
  });

  it('refunds pro rata, and nothing by default', async () => {
    const plain = await paidBooking(at('12:00'), at('13:00'));
    await setTime('12:00');
    await enter(plain);
    await setTime('12:30');
    expect((await detail(plain)).ifNow.endRefund).toBe(0);
    expect((await h.api('POST', `/api/bookings/${plain}/finish`)).body.refunds).toEqual([]);
    await setRules((x) => ({ ...x, earlyEnd: 'pro_rata' }));
    const id = await paidBooking(at('14:00'), at('16:00'));
    await setTime('14:00');
    await enter(id);
    await setTime('14:30');
    const done = await h.api('POST', `/api/bookings/${id}/finish`, {}, as('cashier'));
    expect(done.body.refunds).toMatchObject([
      { purpose: 'early_end', amount: 5700, status: 'succeeded' },
    ]);
  });
});

describe('a no-show', () => {
  it('is released after the owner’s grace, giving back the owner’s share', async () => {
    await setRules((x) => ({ ...x, noShow: { graceMinutes: 20, refundPercent: 50 } }));
    const id = await paidBooking(at('14:00'), at('16:00'));
    await setTime('14:19');
    expect((await detail(id)).status).toBe('paid');
    await setTime('14:20');
    const b = await detail(id);
    expect(b.status).toBe('completed');
    expect(b.refunds).toMatchObject([{ purpose: 'no_show', amount: 3800, status: 'owed' }]);
    expect((await book(at('14:30'), at('16:00'))).status).toBe(201); // the room is free again
  });
});

describe('a change', () => {
  it('costs the fee the owner set for its notice, shown before it is confirmed', async () => {
    await setRules((x) => ({
      ...x,
      change: {
        ...x.change,
        fees: [
          { minNoticeMinutes: 24 * 60, feePercent: 0 },
          { minNoticeMinutes: 0, feePercent: 10 },
        ],
      },
    }));
    const id = await paidBooking(at('14:00'), at('16:00'));
    expect((await detail(id)).ifNow.change).toEqual({ fee: 760, feePercent: 10 });
    const move = { start: at('12:00'), end: at('14:00') };
    const kiosk = await h.api('POST', `/api/bookings/${id}/change`, move, as('cashier'));
    expect(kiosk.body.error.code).toBe('difference_due');
    const staff = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { ...move, collect: 'cash', expectedFee: 760 },
      as('cashier'),
    );
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ start: at('12:00'), total: 8360, due: 0 });
    expect(staff.body.lines.at(-1)).toMatchObject({ kind: 'change_fee', amount: 760 });
    // A second change costs its own fee and keeps the first: no fee paid comes back.
    const second = await h.api(
      'POST',
      `/api/bookings/${id}/change`,
      { start: at('16:00'), end: at('18:00'), collect: 'cash' },
      as('cashier'),
    );
    expect(second.status).toBe(200);
    expect(second.body.lines.filter((l: { kind: string }) => l.kind === 'change_fee')).toHaveLength(
      2,
    );
    const total = second.body.total;
    // Cancelled inside two hours: 20 % of what paid the time; the change fees stay kept.
    const shown = (await detail(id)).ifNow.cancel;
    expect(shown.refund + shown.fee).toBe(total - 1520);
  });
});

describe('the store on the map', () => {
  it('takes its location from the owner, so customers nearby find it', async () => {
    const r = await h.api(
      'PATCH',
      '/api/store',
      { location: { lat: 31.2304, lng: 121.4737 } },
      STAFF,
    );
    expect(r.status).toBe(200);
    expect(r.body.location).toEqual({ lat: 31.2304, lng: 121.4737 });
    expect((await h.api('GET', '/api/store')).body.location).toEqual({
      lat: 31.2304,
      lng: 121.4737,
    });
    const bad = await h.api('PATCH', '/api/store', { location: { lat: 91, lng: 0 } }, STAFF);
    expect(bad.body.error).toMatchObject({
      field: 'location.lat',
      message: 'location.lat: must be at most 90',
    });
  });
});
