// Energy per room against the Modbus simulator over TCP: the hub keeps the meters' counters as
// the bridge reads them, and the owner sees kWh and cost per room per day and per session that
// match what the simulated meters counted; the meter's live power shows with the devices; a
// meter that starts again from a lower counter (the simulator restarted) is listed as a reset and
// never makes a day's energy go below zero.
import { DEMO_METER_BASE, SIMULATED_LOADS } from '@roomhub/firmware-bridge/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let other: string;
let booking: string;
/** What the simulated meters' counters read at each step, kWh. */
const counted = new Map<string, { room: number; other: number }>();

const meterKwh = (i: number) => h.devices.simulator!.meter(DEMO_METER_BASE + i).energyKwh;

/** Moves the store's clock, lets the sessions drive the devices, and reads every meter. */
async function step(hhmm: string, day = 0): Promise<void> {
  h.clock.set(Date.parse(at(hhmm, day)));
  await h.runJobs();
  await h.hub.devices.syncDevices();
  await h.devices.devices!.pollNow();
  await h.hub.writes.run(() => undefined); // the readings the poll handed over are kept
  counted.set(`${day}/${hhmm}`, { room: meterKwh(0), other: meterKwh(1) });
}

const times = (from: number, to: number): string[] =>
  Array.from({ length: (to - from) * 4 + 1 }, (_, i) => {
    const m = from * 60 + i * 15;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  });

beforeAll(async () => {
  h = await startTestHub();
  [room, other] = (await h.roomIds()) as [string, string];
  expect((await h.api('PUT', '/api/energy/price', { fenPerKwh: 105 }, STAFF)).status).toBe(200);
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  booking = b.body.id;
  await h.api('POST', `/api/bookings/${booking}/payments`, { method: 'cash' }, STAFF);
  for (const t of times(10, 14)) await step(t);
  expect((await h.api('POST', `/api/bookings/${booking}/door`)).status).toBe(200);
  await h.hub.devices.syncDevices();
  for (const t of times(14, 16).slice(1)) await step(t);
  await h.api('POST', `/api/bookings/${booking}/finish`);
  for (const t of times(16, 23).slice(1).concat(['23:15', '23:30', '23:45'])) await step(t);
  await step('00:00', 1);
  await step('00:15', 1);
}, 120_000);
afterAll(async () => {
  await h.close();
});

const diff = (a: string, b: string, which: 'room' | 'other' = 'room') =>
  counted.get(b)![which] - counted.get(a)![which];

describe('energy per room', () => {
  it('shows each meter’s live power with the devices', async () => {
    const devices = (await h.api('GET', '/api/devices', undefined, STAFF)).body.devices as {
      deviceId: string;
      kind: string;
      meter?: { powerW: number; energyKwh: number };
    }[];
    const meter = devices.find((d) => d.kind === 'energy_meter' && d.deviceId.startsWith(room));
    expect(meter?.meter?.powerW).toBeCloseTo(SIMULATED_LOADS.standby, 1);
    expect(meter?.meter?.energyKwh).toBeCloseTo(counted.get('1/00:15')!.room, 2);
    // A meter is only read: staff cannot switch it.
    const press = await h.api(
      'POST',
      `/api/devices/${meter!.deviceId}/override`,
      { on: false, reason: '省电' },
      STAFF,
    );
    expect(press.status).toBe(422);
    expect(press.body.error).toMatchObject({ code: 'meter_read_only', field: 'id' });
  });

  it('counts kWh and cost per room per store day as the meters counted them', async () => {
    const r = await h.api(
      'GET',
      '/api/energy/days?from=2026-11-23&to=2026-11-24',
      undefined,
      as('manager'),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.price).toMatchObject({ fenPerKwh: 105 });
    const row = (roomId: string, date: string) =>
      r.body.rows.find(
        (x: { room: { id: string }; date: string }) => x.room.id === roomId && x.date === date,
      );
    // The first reading was at 10:00: the day's energy is what the counter grew from then to midnight.
    const day = diff('0/10:00', '1/00:00');
    expect(row(room, '2026-11-23').kwh).toBeCloseTo(day, 2);
    expect(row(room, '2026-11-23').costFen).toBe(Math.round(row(room, '2026-11-23').kwh * 105));
    // The session drew far more than the standby of the room beside it.
    expect(row(room, '2026-11-23').kwh).toBeGreaterThan(1);
    expect(row(other, '2026-11-23').kwh).toBeCloseTo(diff('0/10:00', '1/00:00', 'other'), 2);
    expect(row(other, '2026-11-23').kwh).toBeCloseTo((14 * SIMULATED_LOADS.standby) / 1000, 2);
    expect(row(room, '2026-11-24').kwh).toBeCloseTo(diff('1/00:00', '1/00:15'), 2);
    expect(r.body.resets).toEqual([]);
  });

  it("counts a session's kWh and cost over its booking's span", async () => {
    const r = await h.api(
      'GET',
      `/api/energy/sessions?from=2026-11-23&to=2026-11-23&roomId=${room}`,
      undefined,
      STAFF,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toHaveLength(1);
    const s = r.body.rows[0];
    expect(s.booking.id).toBe(booking);
    expect(s.start).toBe('2026-11-23T14:00:00+08:00');
    expect(s.end).toBe('2026-11-23T16:00:00+08:00');
    expect(s.kwh).toBeCloseTo(diff('0/14:00', '0/16:00'), 2);
    // Light and air conditioning on for two hours.
    expect(s.kwh).toBeGreaterThan(2);
    expect(s.costFen).toBe(Math.round(s.kwh * 105));
  });

  it('names the field and the rule for a bad range or room, and only the owner and managers see it', async () => {
    const backwards = await h.api(
      'GET',
      '/api/energy/days?from=2026-11-24&to=2026-11-23',
      undefined,
      STAFF,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({ field: 'to' });
    const long = await h.api(
      'GET',
      '/api/energy/days?from=2026-01-01&to=2026-11-23',
      undefined,
      STAFF,
    );
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/92 days/);
    const unknown = await h.api(
      'GET',
      '/api/energy/days?from=2026-11-23&to=2026-11-23&roomId=nope',
      undefined,
      STAFF,
    );
    expect(unknown.status).toBe(404);
    expect(
      (
        await h.api(
          'GET',
          '/api/energy/days?from=2026-11-23&to=2026-11-23',
          undefined,
          as('cashier'),
        )
      ).status,
    ).toBe(403);
    expect((await h.api('PUT', '/api/energy/price', { fenPerKwh: 90 }, as('manager'))).status).toBe(
      403,
    );
    const bad = await h.api('PUT', '/api/energy/price', { fenPerKwh: 1.5 }, STAFF);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('fenPerKwh');
  });

  it('are described in the API document with their query and body', async () => {
    const doc = (await h.api('GET', '/api/openapi.json')).body;
    const names = (path: string) =>
      (doc.paths[path].get.parameters as { name: string; in: string }[])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
    expect(names('/api/energy/days')).toEqual(['from', 'to', 'roomId']);
    expect(names('/api/energy/sessions')).toEqual(['from', 'to', 'roomId']);
    expect(doc.paths['/api/energy/price'].put.requestBody).toBeTruthy();
  });

  it('lists a meter that starts again lower as a reset, and counts that step as nothing', async () => {
    // The simulator keeps no state: after a restart every meter counts again from its start.
    h = await h.restart();
    const before = h.hub.db
      .prepare('SELECT MAX(wh) AS wh FROM energy_readings WHERE meter_id = ?')
      .get(`${room}-meter`) as { wh: number };
    await step('00:30', 1);
    await step('00:45', 1);
    const r = await h.api(
      'GET',
      '/api/energy/days?from=2026-11-24&to=2026-11-24',
      undefined,
      STAFF,
    );
    expect(r.status).toBe(200);
    const reset = r.body.resets.find((x: { meterId: string }) => x.meterId === `${room}-meter`);
    expect(reset).toMatchObject({ at: '2026-11-24T00:30:00+08:00', fromKwh: before.wh / 1000 });
    expect(reset.toKwh).toBeLessThan(reset.fromKwh);
    const day = r.body.rows.find((x: { room: { id: string } }) => x.room.id === room);
    // 00:00 to 00:15 before the restart, nothing for the step back, 00:30 to 00:45 after it.
    expect(day.kwh).toBeCloseTo(diff('1/00:00', '1/00:15') + diff('1/00:30', '1/00:45'), 2);
    expect(day.kwh).toBeGreaterThanOrEqual(0);
    // The price set before the restart still holds.
    expect((await h.api('GET', '/api/energy/price', undefined, STAFF)).body.price.fenPerKwh).toBe(
      105,
    );
  });
});
