// A bundle promotion's tea set through a real hub: the booking that got the bundle is paid and its
// tea order reaches the order queue, to its room, nothing left to pay; once however often the
// payment is told; called off, its tea back on the shelf, when the booking is cancelled before the
// tea was made; kept when it was. A promotion naming an item not on the menu is refused.
import type { HubEvent } from '@roomhub/shared-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
let room: string;
let tea: string;
const events: HubEvent[] = [];
const CASHIER = as('cashier');

beforeEach(async () => {
  h = await startTestHub();
  events.length = 0;
  h.hub.events.subscribe((e) => events.push(e));
  room = (await h.roomIds())[0]!;
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
  tea = (
    await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '龙井茶套', price: 3800, stockTracked: true },
      STAFF,
    )
  ).body.id;
  await h.api('POST', `/api/stock/${tea}`, { kind: 'received', quantity: 5 }, STAFF);
});
afterEach(async () => {
  await h.close();
});

const bundle = (itemId: string = tea) =>
  h.api(
    'POST',
    '/api/promotions',
    {
      name: '茶室套餐',
      from: '2026-11-01',
      to: '2026-11-30',
      rule: {
        kind: 'bundle',
        minutes: 120,
        price: 6800,
        item: { name: '龙井茶套', price: 3800, itemId },
      },
    },
    as('manager'),
  );

const book = async () => {
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('14:00'),
    end: at('16:00'),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  return b.body as { id: string; number: string; total: number };
};

const ordersOf = async (bookingId: string) =>
  (await h.api('GET', `/api/orders?bookingId=${bookingId}`, undefined, STAFF)).body as {
    id: string;
    status: string;
    total: number;
    due: number;
    roomId: string;
    note: string;
    lines: { itemId: string; quantity: number; amount: number }[];
  }[];
const shelf = async () => (await h.api('GET', `/api/stock/${tea}`, undefined, STAFF)).body.at(-1);

describe("a bundle's tea set", () => {
  it('is ordered to the room when the booking is paid, with nothing left to pay, and reaches the queue live', async () => {
    expect((await bundle()).status).toBe(201);
    const b = await book();
    expect(b.total).toBe(6800);
    expect(await ordersOf(b.id)).toEqual([]);
    const paid = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const orders = await ordersOf(b.id);
    expect(orders).toEqual([
      expect.objectContaining({
        status: 'placed',
        total: 0,
        due: 0,
        roomId: room,
        lines: [expect.objectContaining({ itemId: tea, quantity: 1, amount: 0 })],
      }),
    ]);
    expect(orders[0]!.note).toContain('茶室套餐');
    expect(orders[0]!.note).toContain(b.number);
    expect(events.some((e) => e.type === 'order.status' && e.orderId === orders[0]!.id)).toBe(true);
    expect((await shelf()).balance).toBe(4);
  });

  it('is ordered once however often the gateway tells the payment', async () => {
    await bundle();
    const b = await book();
    const p = await h.api(
      'POST',
      `/api/bookings/${b.id}/payments`,
      { method: 'wechat' },
      asCustomerOf(b.id),
    );
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    await h.gateway!.pay(p.body.id);
    await h.gateway!.resend(p.body.id);
    await h.gateway!.resend(p.body.id);
    expect(await ordersOf(b.id)).toHaveLength(1);
    expect((await shelf()).balance).toBe(4);
  });

  it('is called off, its tea back on the shelf, when the booking is cancelled before it is made', async () => {
    await bundle();
    const b = await book();
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    const c = await h.api('POST', `/api/bookings/${b.id}/cancel`, { reason: '改天再来' }, CASHIER);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    await h.runJobs();
    const status = (await h.api('GET', `/api/bookings/${b.id}`, undefined, STAFF)).body.status;
    expect(['cancelled', 'refunded']).toContain(status);
    expect((await ordersOf(b.id)).map((o) => o.status)).toEqual(['cancelled']);
    expect((await shelf()).balance).toBe(5);
  });

  it('stays when the tea was already being made', async () => {
    await bundle();
    const b = await book();
    await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    const [o] = await ordersOf(b.id);
    await h.api('POST', `/api/orders/${o!.id}/prepare`, {}, CASHIER);
    await h.api('POST', `/api/bookings/${b.id}/cancel`, { reason: '改天再来' }, CASHIER);
    await h.runJobs();
    expect((await ordersOf(b.id)).map((x) => x.status)).toEqual(['prepared']);
    expect((await shelf()).balance).toBe(4);
  });

  it('leaves the payment standing and tells staff on the booking when the tea is out', async () => {
    await bundle();
    await h.api('POST', `/api/stock/${tea}`, { kind: 'counted', quantity: 0 }, STAFF);
    const b = await book();
    const paid = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'cash' }, CASHIER);
    expect(paid.status).toBe(201);
    const d = (await h.api('GET', `/api/bookings/${b.id}`, undefined, STAFF)).body;
    expect(d.status).toBe('paid');
    expect(await ordersOf(b.id)).toEqual([]);
    expect(d.history.map((e: { action: string }) => e.action)).toContain('bundle_order_not_placed');
  });

  it('names an item that is on the menu, or the answer names the field', async () => {
    const r = await bundle('no-such-item');
    expect(r.status).toBe(404);
    expect(r.body.error.field).toBe('rule.item.itemId');
  });
});
