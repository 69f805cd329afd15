// Tea and snacks through a real hub: the owner sets up the menu, the kiosk orders for the booking
// in front of it, the counter's screen hears the order live, a cashier takes the cash, marks it
// prepared and delivered and gives part of it back; wrong input answers 4xx naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubEvent } from '@roomhub/shared-types';
import { as, asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const CASHIER = as('cashier');
const events: HubEvent[] = [];
let booking: string;
let tea: string;
let seeds: string;

beforeAll(async () => {
  h = await startTestHub();
  h.hub.events.subscribe((e) => events.push(e));
  const room = (await h.roomIds())[0]!;
  const b = await h.api('POST', '/api/bookings', {
    roomId: room,
    start: at('10:00'),
    end: at('12:00'),
    partySize: 2,
    customer: { phone: '13800138000' },
  });
  booking = b.body.id;
  await h.api('POST', `/api/bookings/${booking}/payments`, { method: 'cash' }, STAFF);
  const cat = await h.api('POST', '/api/menu/categories', { name: '茶饮' }, STAFF);
  tea = (
    await h.api(
      'POST',
      '/api/menu/items',
      {
        categoryId: cat.body.id,
        name: '铁观音',
        price: 4800,
        photos: ['https://example.com/tgy.jpg'],
        specs: [
          {
            name: '甜度',
            kind: 'sweetness',
            choices: [{ name: '无糖' }, { name: '半糖', priceDelta: 200 }],
            defaultChoice: '无糖',
          },
        ],
      },
      STAFF,
    )
  ).body.id;
  seeds = (
    await h.api(
      'POST',
      '/api/menu/items',
      { categoryId: cat.body.id, name: '瓜子', price: 1500, stockTracked: true, lowStockAt: 2 },
      STAFF,
    )
  ).body.id;
  await h.api('POST', `/api/stock/${seeds}`, { kind: 'received', quantity: 3 }, STAFF);
});
afterAll(async () => {
  await h.close();
});

describe('the menu', () => {
  it('is read by anyone, changed only by the owner and managers', async () => {
    const menu = await h.api('GET', '/api/menu', undefined, as('anonymous'));
    expect(menu.status).toBe(200);
    expect(menu.body.categories[0].items.map((i: { name: string }) => i.name)).toEqual([
      '铁观音',
      '瓜子',
    ]);
    expect(menu.body.categories[0].items[1]).toMatchObject({ stock: 3, available: true });
    const r = await h.api('PATCH', `/api/menu/items/${tea}`, { soldOut: true }, CASHIER);
    expect(r.status).toBe(403);
  });

  it('answers a bad price with 400 naming the field', async () => {
    const r = await h.api('PATCH', `/api/menu/items/${tea}`, { price: 12.5 }, STAFF);
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('price');
  });

  it('tells the screens holding it once a change is written, and not for a change refused', async () => {
    const told = () => events.filter((e) => e.type === 'menu.changed').length;
    await new Promise((r) => setImmediate(r));
    const before = told();
    const refused = await h.api('PATCH', `/api/menu/items/${tea}`, { price: -1 }, STAFF);
    expect(refused.status).toBe(400);
    await new Promise((r) => setImmediate(r));
    expect(told()).toBe(before);
    const r = await h.api('PATCH', `/api/menu/items/${tea}`, { soldOut: true }, STAFF);
    expect(r.status).toBe(200);
    await expect.poll(told).toBe(before + 1);
    expect((await h.api('PATCH', `/api/menu/items/${tea}`, { soldOut: false }, STAFF)).status).toBe(
      200,
    );
    await expect.poll(told).toBe(before + 2);
  });
});

describe('an order', () => {
  it('from the kiosk for its booking, heard live, paid in cash, prepared, delivered, partly refunded', async () => {
    const placed = await h.api(
      'POST',
      '/api/orders',
      {
        bookingId: booking,
        lines: [
          { itemId: tea, quantity: 1, specs: { 甜度: '半糖' }, price: 1 },
          { itemId: seeds, quantity: 1 },
        ],
      },
      asCustomerOf(booking),
    );
    // a price from the client is not a field the order takes
    expect(placed.status).toBe(400);
    expect(placed.body.error.field).toBe('lines.0');

    const o = await h.api(
      'POST',
      '/api/orders',
      {
        bookingId: booking,
        lines: [
          { itemId: tea, quantity: 1, specs: { 甜度: '半糖' } },
          { itemId: seeds, quantity: 1 },
        ],
      },
      asCustomerOf(booking),
    );
    expect(o.status).toBe(201);
    expect(o.body).toMatchObject({ total: 5000 + 1500, status: 'placed', due: 6500 });
    expect(o.body.roomId).toBe((await h.roomIds())[0]);
    expect(events.find((e) => e.type === 'order.status' && e.orderId === o.body.id)).toBeTruthy();

    const kioskCash = await h.api(
      'POST',
      `/api/orders/${o.body.id}/payments`,
      { method: 'cash' },
      as('kiosk'),
    );
    expect(kioskCash.status).toBe(403);
    const paid = await h.api('POST', `/api/orders/${o.body.id}/payments`, {}, CASHIER);
    expect(paid.body).toMatchObject({ paid: 6500, due: 0 });
    await h.api('POST', `/api/orders/${o.body.id}/prepare`, undefined, CASHIER);
    const done = await h.api('POST', `/api/orders/${o.body.id}/deliver`, undefined, CASHIER);
    expect(done.body.status).toBe('delivered');
    const back = await h.api(
      'POST',
      `/api/orders/${o.body.id}/refund`,
      { amount: 7000, reason: '茶太浓' },
      CASHIER,
    );
    expect(back.status).toBe(422);
    expect(back.body.error).toMatchObject({ code: 'refund_over_paid', field: 'amount' });
    const half = await h.api(
      'POST',
      `/api/orders/${o.body.id}/refund`,
      { amount: 2500, reason: '茶太浓' },
      CASHIER,
    );
    expect(half.body).toMatchObject({ status: 'delivered', refunded: 2500 });
    const seen = await h.api('GET', `/api/orders/${o.body.id}`, undefined, asCustomerOf(booking));
    expect(seen.status).toBe(200);
    const audit = h.hub.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE '%/api/orders/%'`)
      .get() as { n: number } | undefined;
    expect(audit?.n ?? 0).toBeGreaterThan(0);
  });

  it('refuses in words when the stock has run out, and tells the screens it ran low', async () => {
    expect(events.some((e) => e.type === 'stock.low' && e.itemId === seeds)).toBe(true);
    const r = await h.api(
      'POST',
      '/api/orders',
      { lines: [{ itemId: seeds, quantity: 5 }] },
      CASHIER,
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'out_of_stock', field: 'lines.0.quantity' });
    const zh = await fetch(`${h.url}/api/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': 'zh-CN',
        ...(await h.headersOf('cashier')),
      },
      body: JSON.stringify({ lines: [{ itemId: seeds, quantity: 5 }] }),
    });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toBe(
      '「瓜子」只剩 2 份了',
    );
  });

  it('ranks the day’s sales for the owner', async () => {
    const r = await h.api(
      'GET',
      '/api/menu/sales?from=2026-11-23&to=2026-11-23&by=revenue',
      undefined,
      STAFF,
    );
    expect(r.body.map((x: { name: string }) => x.name)).toEqual(['铁观音', '瓜子']);
  });
});
