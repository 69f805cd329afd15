// A tea-and-snacks order paid online, through a real hub and the gateways' simulators speaking
// their signed protocols: the kiosk shows the QR for the order in front of it, the order is
// credited once however often the gateway tells it, money given back goes through the channel it
// came by, a QR paid after the order was called off goes straight back, an unpaid QR closes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, asCustomerOf, at, STAFF, startTestHub, type TestHub } from './harness';

let h: TestHub;
const CASHIER = as('cashier');
let booking: string;
let tea: string;

beforeAll(async () => {
  h = await startTestHub();
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
      { categoryId: cat.body.id, name: '铁观音', price: 4800 },
      STAFF,
    )
  ).body.id;
});
afterAll(async () => {
  await h.close();
});

/** A kiosk order of `quantity` teas for the booking in front of it. */
async function kioskOrder(quantity = 1): Promise<string> {
  const o = await h.api(
    'POST',
    '/api/orders',
    { bookingId: booking, lines: [{ itemId: tea, quantity }] },
    asCustomerOf(booking),
  );
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  return o.body.id;
}

const charge = (orderId: string, method: string, who: Record<string, string>) =>
  h.api('POST', `/api/orders/${orderId}/charges`, { method }, who);
const order = async (id: string) =>
  (await h.api('GET', `/api/orders/${id}`, undefined, STAFF)).body;

describe('an order paid by the QR on the kiosk', () => {
  it('is credited once however often the gateway tells it; only the kiosk of its booking sees it', async () => {
    const id = await kioskOrder(2);
    const other = await charge(id, 'wechat', as('kiosk'));
    expect(other.status).toBe(403);
    const c = await charge(id, 'wechat', asCustomerOf(booking));
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({
      orderId: id,
      method: 'wechat',
      amount: 9600,
      status: 'pending',
    });
    expect(c.body.qrPayload).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

    await h.gateway!.pay(c.body.id);
    await h.gateway!.resend(c.body.id);
    const followed = await h.api(
      'GET',
      `/api/orders/charges/${c.body.id}`,
      undefined,
      asCustomerOf(booking),
    );
    expect(followed.body.status).toBe('paid');
    const paid = await order(id);
    expect(paid).toMatchObject({ paid: 9600, due: 0 });
    expect(paid.money).toEqual([
      expect.objectContaining({ kind: 'payment', method: 'wechat', amount: 9600 }),
    ]);
    // Nothing left to pay: no second QR.
    const again = await charge(id, 'wechat', STAFF);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('order_paid');
  });

  it('gives money back through the channel it came by, in part and then the rest', async () => {
    const id = await kioskOrder(2);
    const c = await charge(id, 'alipay', asCustomerOf(booking));
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    await h.alipay!.pay(c.body.id);
    expect((await order(id)).paid).toBe(9600);
    await h.api('POST', `/api/orders/${id}/deliver`, {}, CASHIER);

    const part = await h.api(
      'POST',
      `/api/orders/${id}/refund`,
      { amount: 4800, reason: '一杯洒了' },
      CASHIER,
    );
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body).toMatchObject({ refunded: 4800, status: 'delivered' });
    expect(part.body.money.at(-1)).toMatchObject({
      kind: 'refund',
      method: 'alipay',
      amount: -4800,
    });
    await h.runJobs();
    const rest = await h.api('POST', `/api/orders/${id}/refund`, { reason: '不要了' }, CASHIER);
    expect(rest.body).toMatchObject({ refunded: 9600, status: 'refunded' });
    await h.runJobs();
    const trade = h.alipay!.trades().find((t) => t.outTradeNo === c.body.id)!;
    expect(trade.refunded).toBe(9600);
    const refunds = h.hub.orderCharges.refundsOf(id);
    expect(refunds.map((r) => [r.amount, r.status])).toEqual([
      [4800, 'succeeded'],
      [4800, 'succeeded'],
    ]);
  });

  it('paid after the order was called off: the money goes straight back, the order untouched', async () => {
    const id = await kioskOrder();
    const c = await charge(id, 'wechat', asCustomerOf(booking));
    const cancelled = await h.api(
      'POST',
      `/api/orders/${id}/cancel`,
      { reason: '点错了' },
      CASHIER,
    );
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await h.gateway!.pay(c.body.id);
    await h.gateway!.resend(c.body.id);
    expect(await order(id)).toMatchObject({ status: 'cancelled', paid: 0 });
    await h.runJobs();
    expect(h.hub.orderCharges.get(c.body.id).status).toBe('returned');
    const back = h.gateway!.refunds().filter((r) => r.outTradeNo === c.body.id);
    expect(back.map((r) => r.amount)).toEqual([4800]);
  });

  it('closes an unpaid QR at its expiry; online methods are not taken as cash', async () => {
    const id = await kioskOrder();
    const c = await charge(id, 'unionpay', STAFF);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    h.clock.advance(16 * 60_000);
    await h.runJobs();
    expect(h.hub.orderCharges.get(c.body.id).status).toBe('closed');
    const cash = await h.api('POST', `/api/orders/${id}/payments`, { method: 'wechat' }, CASHIER);
    expect(cash.status).toBe(400);
    expect(cash.body.error.field).toBe('method');
    const unknown = await charge(id, 'bitcoin', STAFF);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('method');
  });
});
