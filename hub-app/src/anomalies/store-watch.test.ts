// The store's own anomalies (B8) against the Modbus simulator over TCP: a door whose contact opens
// with no session and no open by the hub, a light switched on at the board with nobody booked,
// and a paid booking nobody came to are each flagged once, with the facts that explain them, in
// the owner's list and as sync documents; a door opened with the booking's code, and power drawn
// during a session, are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomalyDocId, MINUTE, type AnomalyView } from '@roomhub/shared-types';
import { as, at, STAFF, startTestHub, type TestHub } from '../../test/harness';
import { buildDocument } from '../sync/documents';

let h: TestHub;
let room: string;
let other: string;

/** Reads every device and waits for what the watch records. */
async function poll(): Promise<void> {
  await h.devices.devices!.pollNow();
  await h.hub.writes.run(() => undefined);
  await h.hub.writes.run(() => undefined);
}

async function listed(): Promise<AnomalyView[]> {
  const res = await h.api('GET', '/api/anomalies', undefined, STAFF);
  expect(res.status).toBe(200);
  return res.body.anomalies as AnomalyView[];
}

async function paidBooking(roomId: string, from: string, to: string): Promise<string> {
  const b = await h.api('POST', '/api/bookings', {
    roomId,
    start: at(from),
    end: at(to),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status).toBe(201);
  const paid = await h.api(
    'POST',
    `/api/bookings/${b.body.id}/payments`,
    { method: 'cash' },
    STAFF,
  );
  expect(paid.status).toBeLessThan(300);
  return b.body.id as string;
}

beforeAll(async () => {
  h = await startTestHub();
  [room, other] = (await h.roomIds()) as [string, string];
  await h.hub.devices.syncDevices();
  await poll();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('the store flags what it sees by itself', () => {
  it('flags a door opened with no session, once, and explains it', async () => {
    const sim = h.devices.simulator!;
    expect(await listed()).toEqual([]);
    // Someone forces room 1's door: its contact opens with nobody booked and no open by the hub.
    sim.setInput(1, 0, false);
    await poll();
    await poll();
    const door = (await listed()).filter((a) => a.kind === 'door_without_session');
    expect(door).toHaveLength(1);
    expect(door[0]).toMatchObject({ roomId: room, raisedBy: 'store', bookingId: null });
    expect(door[0]!.facts.lock).toBe(`${room}-lock`);
    // Published for the platform as the store's own document.
    const doc = buildDocument(h.hub, anomalyDocId(door[0]!.id), undefined) as {
      kind: string;
      roomId: string;
      type: string;
    };
    expect(doc).toMatchObject({ type: 'anomaly', kind: 'door_without_session', roomId: room });
    sim.setInput(1, 0, true);
    await poll();
  });

  it('does not flag a door the booking’s guest opened', async () => {
    const sim = h.devices.simulator!;
    h.clock.set(Date.parse(at('11:00')));
    const id = await paidBooking(other, '11:00', '12:00');
    expect((await h.api('POST', `/api/bookings/${id}/door`)).status).toBe(200);
    sim.setInput(1, 1, false);
    await poll();
    sim.setInput(1, 1, true);
    await poll();
    expect((await listed()).filter((a) => a.roomId === other)).toEqual([]);
    await h.api('POST', `/api/bookings/${id}/finish`);
  });

  it('flags a light left on in a room with no session, once per spell', async () => {
    const sim = h.devices.simulator!;
    h.clock.set(Date.parse(at('13:00')));
    // The room booked before is switched off by the hub's own schedule first.
    await h.runJobs();
    await h.hub.devices.syncDevices();
    await poll();
    // Switched on at the board by hand: the meter sees the light's 60 W over its standby.
    sim.setCoil(2, 0, true);
    await poll();
    await poll();
    const power = (await listed()).filter((a) => a.kind === 'power_without_session');
    expect(power).toHaveLength(1);
    expect(power[0]!.roomId).toBe(room);
    expect(Number(power[0]!.facts.watts)).toBeGreaterThanOrEqual(50);
    expect(power[0]!.facts.thresholdW).toBe(50);
    expect(power[0]!.facts.meter).toBe(`${room}-meter`);
    sim.setCoil(2, 0, false);
    await poll();
  });

  it('flags a room held for a paid booking nobody came to', async () => {
    h.clock.set(Date.parse(at('14:00')));
    const id = await paidBooking(room, '15:00', '16:00');
    h.clock.set(Date.parse(at('15:00')) + 60 * MINUTE);
    await h.runJobs();
    await h.hub.writes.run(() => undefined);
    const held = (await listed()).filter((a) => a.kind === 'room_held_unused');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ roomId: room, bookingId: id });
    expect(held[0]!.facts.start).toBe(at('15:00'));
    // Jobs run again: still one.
    await h.runJobs();
    expect((await listed()).filter((a) => a.kind === 'room_held_unused')).toHaveLength(1);
  });

  it('is the owner’s and the manager’s to read, not the cashier’s', async () => {
    expect((await h.api('GET', '/api/anomalies', undefined, as('cashier'))).status).toBe(403);
    expect((await h.api('GET', '/api/anomalies?days=0', undefined, STAFF)).status).toBe(400);
  });
});
