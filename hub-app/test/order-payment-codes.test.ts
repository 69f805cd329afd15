// A tea-and-snacks order paid by the payer's payment code (付款码) scanned at the counter or the
// kiosk, end to end through a real hub and the WeChat Pay and Alipay simulators: paid at once,
// declined, the payer confirming and then paid, never confirming and reversed, an answer lost to
// the network, a notification while the hub waits; the order's ledger gets one entry only once
// the money is certain, and money given back goes by the channel it came by; a hub restarted in
// the middle finds the charge again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WechatPayChannel } from '@roomhub/payment-gateways';
import { startSimulatedGateway, type SimulatedGateway } from '@roomhub/payment-gateways/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock';
import { startHubServer, type HubServer } from '../src/server';
import { as, asCustomerOf, at, OWNER_PIN, STAFF, startTestHub, T0, type TestHub } from './harness';

let h: TestHub;
let booking: string;
let tea: string;
const CASHIER = as('cashier');

beforeEach(async () => {
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
afterEach(async () => {
  await h.close();
});

async function counterOrder(quantity = 1): Promise<string> {
  const o = await h.api('POST', '/api/orders', { lines: [{ itemId: tea, quantity }] }, CASHIER);
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  return o.body.id;
}

const payByCode = (orderId: string, code: string, who: Record<string, string> = CASHIER) =>
  h.api('POST', `/api/orders/${orderId}/charges`, { method: 'payment_code', code }, who);
const order = async (id: string) =>
  (await h.api('GET', `/api/orders/${id}`, undefined, STAFF)).body;

/** Moves the clock `seconds` on in steps of five, running the jobs due on the way. */
async function wait(seconds: number) {
  for (let s = 0; s < seconds; s += 5) {
    h.clock.advance(5_000);
    await h.runJobs();
  }
}

describe('an order paid by a payment code', () => {
  it('is paid at once at the counter: one ledger entry, method wechat', async () => {
    const id = await counterOrder(2);
    const code = h.gateway!.payerCode();
    const r = await payByCode(id, code);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      orderId: id,
      method: 'wechat',
      amount: 9600,
      status: 'paid',
      code: { status: 'paid', masked: `****${code.slice(-4)}`, reason: null },
    });
    const o = await order(id);
    expect(o).toMatchObject({ paid: 9600, due: 0 });
    expect(o.money).toEqual([
      expect.objectContaining({ kind: 'payment', method: 'wechat', amount: 9600 }),
    ]);
    expect(h.gateway!.charges()).toEqual([
      expect.objectContaining({ outTradeNo: r.body.id, tradeType: 'MICROPAY', state: 'SUCCESS' }),
    ]);
    const again = await payByCode(id, h.gateway!.payerCode());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('order_paid');
  });

  it('is paid by an Alipay code at the kiosk of its booking, and only there', async () => {
    const o = await h.api(
      'POST',
      '/api/orders',
      { bookingId: booking, lines: [{ itemId: tea, quantity: 1 }] },
      asCustomerOf(booking),
    );
    const other = await payByCode(o.body.id, h.alipay!.payerCode(), as('kiosk'));
    expect(other.status).toBe(403);
    const r = await payByCode(o.body.id, h.alipay!.payerCode(), asCustomerOf(booking));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ method: 'alipay', status: 'paid' });
    expect((await order(o.body.id)).paid).toBe(4800);
  });

  it('says why a declined code was not paid, and takes nothing', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.gateway!.payerCode({ outcome: 'declined' }));
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'payment_code_declined', field: 'code' });
    expect(r.body.error.message).toContain("the customer's balance is not enough");
    expect(await order(id)).toMatchObject({ paid: 0, due: 4800, money: [] });
    // Cash still pays it afterwards.
    const cash = await h.api('POST', `/api/orders/${id}/payments`, { method: 'cash' }, CASHIER);
    expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    expect((await order(id)).paid).toBe(4800);
  });

  it('names the field of a code that is neither WeChat nor Alipay, or missing', async () => {
    const id = await counterOrder();
    const bank = await payByCode(id, '6222020200112233445');
    expect(bank.status).toBe(422);
    expect(bank.body.error).toMatchObject({ code: 'payment_code_unknown', field: 'code' });
    const short = await payByCode(id, '1234');
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('code');
    const missing = await h.api(
      'POST',
      `/api/orders/${id}/charges`,
      { method: 'payment_code' },
      CASHIER,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('code');
    expect(h.gateway!.charges()).toEqual([]);
  });

  it('waits while the payer confirms, and records the money once it is paid', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.gateway!.payerCode({ outcome: 'paying', paidAfterQueries: 2 }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    // A second code, or a QR, while this one is being charged would take the money twice.
    const second = await payByCode(id, h.alipay!.payerCode());
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'payment_code_in_progress', field: 'code' });
    const qr = await h.api('POST', `/api/orders/${id}/charges`, { method: 'alipay' }, CASHIER);
    expect(qr.status).toBe(409);
    expect(qr.body.error.code).toBe('payment_code_in_progress');
    await wait(5);
    expect((await order(id)).money).toEqual([]);
    await wait(5);
    expect((await order(id)).money).toHaveLength(1);
    expect(h.hub.orderCharges.get(r.body.id)).toMatchObject({
      status: 'paid',
      code: { status: 'paid' },
    });
    await wait(60);
    expect((await order(id)).money).toHaveLength(1);
  });

  it('reverses a late answer: the payer never confirms within 30 seconds', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.alipay!.payerCode({ outcome: 'paying' }));
    await wait(25);
    expect(h.hub.orderCharges.get(r.body.id).code!.status).toBe('waiting');
    await wait(10);
    expect(h.hub.orderCharges.get(r.body.id)).toMatchObject({
      status: 'closed',
      code: { status: 'reversed' },
    });
    expect(await order(id)).toMatchObject({ paid: 0, money: [] });
    expect(h.alipay!.trades()[0]).toMatchObject({ state: 'TRADE_CLOSED' });
    expect(h.hub.scheduler.pending('payment-code.check')).toEqual([]);
    // Another code may be scanned now.
    const next = await payByCode(id, h.gateway!.payerCode());
    expect(next.body).toMatchObject({ status: 'paid' });
    expect((await order(id)).money).toHaveLength(1);
  });

  it('never credits a charge being reversed: a payer confirming just as the hub gives up gets the money back', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.alipay!.payerCode({ outcome: 'paying' }));
    h.alipay!.failNext('cancel');
    await wait(30);
    expect(h.hub.orderCharges.get(r.body.id).code!.status).toBe('reversing');
    await h.alipay!.pay(r.body.id);
    expect((await order(id)).money).toEqual([]);
    await wait(20);
    expect(await order(id)).toMatchObject({ paid: 0, money: [] });
    expect(h.hub.orderCharges.get(r.body.id)).toMatchObject({
      status: 'closed',
      code: { status: 'reversed' },
    });
    expect(h.alipay!.trades()[0]).toMatchObject({ reversed: true, refunded: 4800 });
  });

  it('credits once a notification that arrives while the hub waits, then the query agrees', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.alipay!.payerCode({ outcome: 'paying' }));
    await wait(10);
    await h.alipay!.pay(r.body.id);
    expect((await order(id)).money).toHaveLength(1);
    await wait(40);
    expect((await order(id)).money).toEqual([
      expect.objectContaining({ method: 'alipay', amount: 4800 }),
    ]);
    expect(h.hub.orderCharges.get(r.body.id).code!.status).toBe('paid');
  });

  it('queries a charge whose answer was lost, and records it paid', async () => {
    const id = await counterOrder();
    const r = await payByCode(id, h.gateway!.payerCode({ outcome: 'paid', dropConnection: true }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    expect((await order(id)).money).toEqual([]);
    await wait(5);
    expect((await order(id)).money).toEqual([
      expect.objectContaining({ method: 'wechat', amount: 4800 }),
    ]);
  });

  it('gives the money back through the channel the code paid by', async () => {
    const id = await counterOrder(2);
    const r = await payByCode(id, h.gateway!.payerCode());
    await h.api('POST', `/api/orders/${id}/deliver`, {}, CASHIER);
    const part = await h.api(
      'POST',
      `/api/orders/${id}/refund`,
      { amount: 4800, reason: '一杯洒了' },
      CASHIER,
    );
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    await h.runJobs();
    expect(h.gateway!.refunds()).toEqual([
      expect.objectContaining({ outTradeNo: r.body.id, amount: 4800 }),
    ]);
  });
});

describe('a hub restarted while an order is paid by a payment code', () => {
  // The gateway lives outside the hub, as a real one does: it keeps the charge across the restart.
  it('finds the charge paid after the restart and credits the order once', async () => {
    const clock = new ManualClock(T0);
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-order-codes-'));
    const wechat: SimulatedGateway = await startSimulatedGateway({ clock });
    let hub: HubServer | null = null;
    const start = () =>
      startHubServer({
        dataDir,
        port: 0,
        clock,
        runScheduler: false,
        devicePollMs: 0,
        simulatedGateway: false,
        channels: {
          wechat: new WechatPayChannel({
            gatewayUrl: wechat.url,
            platformPublicKeyPem: wechat.platformPublicKeyPem,
            platformSerial: wechat.platformSerial,
            apiV3Key: wechat.apiV3Key,
            merchant: wechat.merchant,
            clock,
          }),
        },
        ownerPin: OWNER_PIN,
      });
    const call = async (s: HubServer, method: string, path: string, body?: unknown) => {
      const signIn = await fetch(`${s.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin: OWNER_PIN }),
      });
      const { token } = (await signIn.json()) as { token: string };
      const res = await fetch(`${s.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: res.status, body: (await res.json()) as any };
    };
    try {
      hub = await start();
      const cat = await call(hub, 'POST', '/api/menu/categories', { name: '茶饮' });
      const item = await call(hub, 'POST', '/api/menu/items', {
        categoryId: cat.body.id,
        name: '铁观音',
        price: 4800,
      });
      const o = await call(hub, 'POST', '/api/orders', {
        lines: [{ itemId: item.body.id, quantity: 1 }],
      });
      const r = await call(hub, 'POST', `/api/orders/${o.body.id}/charges`, {
        method: 'payment_code',
        code: wechat.payerCode({ outcome: 'paying', paidAfterQueries: 1 }),
      });
      expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
      await hub.close();
      hub = await start();
      for (let s = 0; s < 10; s += 5) {
        clock.advance(5_000);
        await hub.hub.scheduler.runDue();
      }
      const paid = (await call(hub, 'GET', `/api/orders/${o.body.id}`)).body;
      expect(paid).toMatchObject({ paid: 4800, due: 0 });
      expect(paid.money).toEqual([
        expect.objectContaining({ kind: 'payment', method: 'wechat', amount: 4800 }),
      ]);
    } finally {
      await hub?.close();
      await wechat.close();
    }
  });
});
