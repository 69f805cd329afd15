// Room maintenance and low stock as the hub publishes them for the cloud's messages: the owner
// marks a room under maintenance for a period over real HTTP; the room is not bookable in it (other
// rooms are), the bookings already in it are listed to move or refund, and the published mark
// names their customers by the id the cloud knows them by. Lifting the mark frees the room. An
// item sold down to its threshold is published with the moment it fell there; a second fall is a
// second moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STOCK_LOW_ID,
  customerIdForPhone,
  maintenanceDocId,
  type MaintenanceView,
  type RoomMaintenanceDoc,
  type StockLowDoc,
} from '@roomhub/shared-types';
import { buildDocument } from '../src/sync/documents';
import { CUSTOMER_ID_KEY, STAFF, as, at, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let other: string;
let booked: string;

const book = (roomId: string, from: string, to: string, phone = '13800138001') =>
  h.api('POST', '/api/bookings', {
    roomId,
    start: at(from, 1),
    end: at(to, 1),
    partySize: 2,
    customer: { phone },
  });

beforeAll(async () => {
  h = await startTestHub();
  [room, other] = (await h.roomIds()) as [string, string];
  const b = await book(room, '14:00', '16:00');
  expect(b.status).toBe(201);
  booked = b.body.id;
  expect(
    (await h.api('POST', `/api/bookings/${booked}/payments`, { method: 'cash' }, STAFF)).status,
  ).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('room maintenance', () => {
  let mark: MaintenanceView;

  it('refuses a period that does not make sense, naming the field', async () => {
    const backwards = await h.api(
      'POST',
      `/api/rooms/${room}/maintenance`,
      { start: at('18:00', 1), end: at('13:00', 1), reason: '空调维修' },
      STAFF,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('end');
    const why = await h.api(
      'POST',
      `/api/rooms/${room}/maintenance`,
      { start: at('13:00', 1), end: at('18:00', 1), reason: ' ' },
      STAFF,
    );
    expect(why.status).toBe(400);
    expect(why.body.error.field).toBe('reason');
    const cashier = await h.api(
      'POST',
      `/api/rooms/${room}/maintenance`,
      { start: at('13:00', 1), end: at('18:00', 1), reason: '空调维修' },
      as('cashier'),
    );
    expect(cashier.status).toBe(403);
    expect((await h.api('GET', '/api/maintenance', undefined, STAFF)).body).toEqual([]);
  });

  it('marks the room and lists the booking in the period to move or refund', async () => {
    const r = await h.api(
      'POST',
      `/api/rooms/${room}/maintenance`,
      { start: at('13:00', 1), end: at('18:00', 1), reason: '空调维修' },
      STAFF,
    );
    expect(r.status).toBe(201);
    mark = r.body;
    expect(mark).toMatchObject({ roomId: room, reason: '空调维修', lifted: false });
    expect(mark.bookings.map((b) => b.id)).toEqual([booked]);
    expect((await h.api('GET', '/api/maintenance', undefined, STAFF)).body).toEqual([mark]);
    const again = await h.api(
      'POST',
      `/api/rooms/${room}/maintenance`,
      { start: at('17:00', 1), end: at('19:00', 1), reason: '再修' },
      STAFF,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('maintenance_overlaps');
  });

  it('the room is not bookable in the period; another room is', async () => {
    const refused = await book(room, '16:30', '17:30');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('room_under_maintenance');
    expect((await book(room, '18:00', '19:00')).status).toBe(201);
    expect((await book(other, '16:30', '17:30')).status).toBe(201);
  });

  it('the room’s day shows the free time in the period closed, the booking kept', async () => {
    const day = at('00:00', 1).slice(0, 10);
    const r = await h.api('GET', `/api/rooms/${room}/availability?date=${day}`, undefined, STAFF);
    expect(r.status).toBe(200);
    const seen = (r.body.segments as { state: string; start: string; end: string }[]).map(
      (s) => `${s.state} ${s.start.slice(11, 16)}-${s.end.slice(11, 16)}`,
    );
    expect(seen).toContain('closed 13:00-14:00');
    expect(seen).toContain('booked 14:00-16:00');
    expect(seen.some((s) => s.startsWith('free') && s.endsWith('-13:00'))).toBe(true);
    expect(
      seen.filter(
        (s) => s.startsWith('free') && s.slice(6, 11) < '18:00' && s.slice(6, 11) >= '13:00',
      ),
    ).toEqual([]);
    // Published for customers as closed, too.
    const doc = buildDocument(h.hub, `availability:${room}:${day}`, undefined) as {
      segments: { state: string }[];
    };
    expect(doc.segments.map((s) => s.state)).toContain('closed');
  });

  it('is published with the customers of the bookings in it, by their cloud ids', () => {
    const doc = buildDocument(
      h.hub,
      maintenanceDocId(mark.id),
      CUSTOMER_ID_KEY,
    ) as RoomMaintenanceDoc;
    expect(doc).toMatchObject({ type: 'room_maintenance', roomId: room, lifted: false });
    expect(doc.bookings).toEqual([
      expect.objectContaining({
        bookingId: booked,
        customerId: customerIdForPhone('13800138001', CUSTOMER_ID_KEY),
      }),
    ]);
    expect(JSON.stringify(doc)).not.toContain('13800138001');
  });

  it('lifted, the room is bookable again', async () => {
    const r = await h.api('POST', `/api/maintenance/${mark.id}/lift`, undefined, STAFF);
    expect(r.status).toBe(200);
    expect(r.body.lifted).toBe(true);
    expect((await book(room, '16:30', '17:30', '13800138002')).status).toBe(201);
    const doc = buildDocument(
      h.hub,
      maintenanceDocId(mark.id),
      CUSTOMER_ID_KEY,
    ) as RoomMaintenanceDoc;
    expect(doc.lifted).toBe(true);
  });
});

describe('low stock', () => {
  it('is published with the moment the item fell to its threshold, each fall its own', async () => {
    const cat = await h.api('POST', '/api/menu/categories', { name: '茶点' }, STAFF);
    const item = (
      await h.api(
        'POST',
        '/api/menu/items',
        { categoryId: cat.body.id, name: '瓜子', price: 1500, stockTracked: true, lowStockAt: 2 },
        STAFF,
      )
    ).body.id as string;
    const move = (kind: string, quantity: number) =>
      h.api('POST', `/api/stock/${item}`, { kind, quantity, reason: '测试' }, STAFF);
    const low = () => (buildDocument(h.hub, STOCK_LOW_ID, undefined) as StockLowDoc).items;
    expect((await move('received', 5)).status).toBe(201);
    expect(low()).toEqual([]);
    const first = h.clock.now() + 60_000;
    h.clock.set(first);
    await move('counted', 2);
    expect(low()).toEqual([
      expect.objectContaining({ itemId: item, name: '瓜子', balance: 2, lowStockAt: 2 }),
    ]);
    const since = low()[0]!.since;
    // Back above, then down again: a second fall, a second moment.
    await move('received', 4);
    expect(low()).toEqual([]);
    h.clock.set(first + 3_600_000);
    await move('counted', 1);
    expect(low()[0]?.since).not.toBe(since);
    expect(low()[0]?.balance).toBe(1);
  });
});
