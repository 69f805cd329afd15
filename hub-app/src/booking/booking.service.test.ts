// The booking service without HTTP: a real SQLite file, a hand-driven clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { seedDemoStore } from '../demo/seed';
import { createHub, type Hub } from '../hub';
import type { BookingCreate } from '@roomhub/shared-types';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const kiosk = { kind: 'customer', id: 'kiosk:1' } as const;
const staff = { kind: 'staff', id: 's1', role: 'cashier' } as const;

let hub: Hub;
let clock: ManualClock;
let room: string;

beforeEach(async () => {
  clock = new ManualClock(T0);
  hub = createHub({ dataDir: mkdtempSync(join(tmpdir(), 'booking-svc-')), clock });
  await seedDemoStore(hub);
  room = hub.store.listRooms()[0]!.id;
});
afterEach(() => hub.close());

const input = (start: string, end: string, extra: Partial<BookingCreate> = {}): BookingCreate => ({
  roomId: room,
  start: `2026-11-23T${start}:00+08:00`,
  end: `2026-11-23T${end}:00+08:00`,
  partySize: 2,
  customer: { phone: '13800138000' },
  ...extra,
});

const create = (i: BookingCreate) => hub.writes.run((ac) => hub.bookings.create(i, kiosk, ac));

describe('holds', () => {
  it('expire exactly at the hold time, not a moment before', async () => {
    const b = await create(input('14:00', '16:00'));
    // Every job due on the way runs (the store's daily ones too): the hold is still there...
    clock.set(T0 + 15 * 60_000 - 1);
    await hub.scheduler.runDue();
    expect(hub.views.detail(b.id).status).toBe('pending_payment');
    // ...until its time, not a moment later.
    clock.set(T0 + 15 * 60_000);
    await hub.scheduler.runDue();
    expect(hub.views.detail(b.id).status).toBe('cancelled');
  });

  it('a paid booking is not expired by a job left behind', async () => {
    const b = await create(input('14:00', '16:00'));
    await hub.writes.run((ac) => hub.payments.payCash(b.id, staff, ac));
    hub.scheduler.schedule('booking.expire', b.id, T0); // as if a stale job survived
    await hub.scheduler.runDue();
    expect(hub.views.detail(b.id).status).toBe('paid');
  });
});

describe('the rules', () => {
  it('close changes an hour before the start', async () => {
    const b = await create(input('14:00', '16:00'));
    clock.set(Date.parse('2026-11-23T13:01:00+08:00'));
    await expect(
      hub.writes.run((ac) =>
        hub.bookings.change(
          b.id,
          { start: '2026-11-23T18:00:00+08:00', end: '2026-11-23T19:00:00+08:00' },
          staff,
          ac,
        ),
      ),
    ).rejects.toMatchObject({ code: 'change_too_late' });
  });

  it('move a booking onto a span that overlaps its own old span', async () => {
    const b = await create(input('14:00', '16:00'));
    const moved = await hub.writes.run((ac) =>
      hub.bookings.change(
        b.id,
        { start: '2026-11-23T15:00:00+08:00', end: '2026-11-23T17:00:00+08:00' },
        staff,
        ac,
      ),
    );
    expect(moved.start).toBe('2026-11-23T15:00:00+08:00');
    expect(moved.history.at(-1)).toMatchObject({
      action: 'change',
      data: { before: { start: '2026-11-23T14:00:00+08:00' } },
    });
  });

  it('honour a room’s own longer cleaning buffer', async () => {
    await hub.writes.run((ac) => hub.store.patchRoom(room, { rules: { bufferMinutes: 45 } }, ac));
    await create(input('14:00', '16:00'));
    await expect(create(input('16:30', '17:30'))).rejects.toMatchObject({ code: 'slot_taken' });
    await expect(create(input('17:00', '18:00'))).resolves.toMatchObject({
      status: 'pending_payment',
    });
  });
});

describe('the timeline', () => {
  it('splits an overnight booking at midnight between two days', async () => {
    await create({ ...input('22:00', '02:00'), end: '2026-11-24T02:00:00+08:00' });
    const today = hub.availability
      .room(room, '2026-11-23')
      .segments.map((s) => `${s.state} ${s.start.slice(11, 16)}`);
    const tomorrow = hub.availability
      .room(room, '2026-11-24')
      .segments.map((s) => `${s.state} ${s.start.slice(11, 16)}`);
    expect(today).toEqual(['free 00:00', 'held 22:00']);
    expect(tomorrow).toEqual(['held 00:00', 'cleaning 02:00', 'free 02:15']);
  });

  it('says what the room is doing now', async () => {
    await create(input('10:00', '12:00'));
    expect(hub.availability.room(room, '2026-11-23').now).toBe('held');
    clock.set(Date.parse('2026-11-23T12:05:00+08:00'));
    expect(hub.availability.room(room, '2026-11-23').now).toBe('cleaning');
  });
});
