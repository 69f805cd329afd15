// Payment codes (付款码) scanned at the counter and the kiosk, end to end through a real hub and the
// WeChat Pay and Alipay simulators: paid at once, declined, the payer confirming and then paid,
// never confirming and reversed, an answer lost to the network, a hub restarted in the middle;
// the ledger gets one entry only once the money is certain, and a refund goes back by its channel.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipayChannel, WechatPayChannel } from '@roomhub/payment-gateways';
import {
  generateAlipayKeys,
  startSimulatedAlipay,
  type SimulatedAlipay,
} from '@roomhub/payment-gateways/alipay-simulator';
import { startSimulatedGateway, type SimulatedGateway } from '@roomhub/payment-gateways/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock';
import { DEMO_STAFF } from '../src/demo/seed';
import { startHubServer, type HubServer } from '../src/server';
import { as, at, startTestHub, T0, type TestHub } from './harness';

let h: TestHub;
let room: string;

beforeEach(async () => {
  h = await startTestHub();
  room = (await h.roomIds())[0]!;
});
afterEach(async () => {
  await h.close();
});

const CASHIER = as('cashier');

const book = async () =>
  (
    await h.api('POST', '/api/bookings', {
      roomId: room,
      start: at('14:00'),
      end: at('16:00'),
      partySize: 2,
      customer: { phone: '13800138000', name: '王女士' },
    })
  ).body as { id: string; total: number };

const detail = async (id: string) => (await h.api('GET', `/api/bookings/${id}`)).body;

const payByCode = (bookingId: string, code: string, who: Record<string, string> = CASHIER) =>
  h.api('POST', `/api/bookings/${bookingId}/payments`, { method: 'payment_code', code }, who);

/** Moves the clock `seconds` on in steps of five, running the jobs due on the way. */
async function wait(seconds: number) {
  for (let s = 0; s < seconds; s += 5) {
    h.clock.advance(5_000);
    await h.runJobs();
  }
}

describe('a payment code at the counter', () => {
  it('pays a WeChat code at once: one ledger entry, method wechat', async () => {
    const b = await book();
    const code = h.gateway!.payerCode();
    const r = await payByCode(b.id, code);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      method: 'wechat',
      status: 'succeeded',
      amount: b.total,
      code: { status: 'paid', masked: `****${code.slice(-4)}`, reason: null },
    });
    const d = await detail(b.id);
    expect(d.status).toBe('paid');
    expect(d.ledger).toEqual([expect.objectContaining({ method: 'wechat', amount: b.total })]);
    expect(h.gateway!.charges()).toEqual([
      expect.objectContaining({ outTradeNo: r.body.id, tradeType: 'MICROPAY', state: 'SUCCESS' }),
    ]);
  });

  it('pays an Alipay code at the kiosk too', async () => {
    const b = await book();
    const r = await payByCode(b.id, h.alipay!.payerCode(), {});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ method: 'alipay', status: 'succeeded' });
    expect((await detail(b.id)).ledger).toEqual([
      expect.objectContaining({ method: 'alipay', amount: b.total }),
    ]);
  });

  it('says why a declined code was not paid, and takes nothing', async () => {
    const b = await book();
    const r = await payByCode(b.id, h.gateway!.payerCode({ outcome: 'declined' }));
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'payment_code_declined', field: 'code' });
    expect(r.body.error.message).toContain("the customer's balance is not enough");
    const d = await detail(b.id);
    expect(d.status).toBe('pending_payment');
    expect(d.ledger).toEqual([]);
    expect(d.payments[0]).toMatchObject({ status: 'closed', code: { status: 'declined' } });
    // In the customer's language too.
    const zh = await h.api(
      'POST',
      `/api/bookings/${b.id}/payments`,
      { method: 'payment_code', code: h.alipay!.payerCode({ outcome: 'declined' }) },
      { ...CASHIER, 'accept-language': 'zh-CN' },
    );
    expect(zh.body.error.message).toMatch(/^付款码没有付成功/);
  });

  it('tells a code that is neither WeChat nor Alipay, and refuses a QR channel at the counter', async () => {
    const b = await book();
    const bank = await payByCode(b.id, '6222020200112233445');
    expect(bank.status).toBe(422);
    expect(bank.body.error).toMatchObject({ code: 'payment_code_unknown', field: 'code' });
    expect(bank.body.error.message).toContain('neither a WeChat nor an Alipay payment code');
    const short = await payByCode(b.id, '1234');
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('code');
    const missing = await h.api(
      'POST',
      `/api/bookings/${b.id}/payments`,
      { method: 'payment_code' },
      CASHIER,
    );
    expect(missing.body.error).toMatchObject({ field: 'code' });
    const qr = await h.api('POST', `/api/bookings/${b.id}/payments`, { method: 'alipay' }, CASHIER);
    expect(qr.status).toBe(422);
    expect(qr.body.error).toMatchObject({ code: 'method_not_offered', field: 'method' });
    expect((await detail(b.id)).payments).toEqual([]);
  });

  it('waits while the payer confirms, queries, and records the money once it is paid', async () => {
    const b = await book();
    const r = await payByCode(
      b.id,
      h.gateway!.payerCode({ outcome: 'paying', paidAfterQueries: 2 }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    expect((await detail(b.id)).ledger).toEqual([]);
    await wait(5);
    expect((await detail(b.id)).ledger).toEqual([]);
    await wait(5);
    const d = await detail(b.id);
    expect(d.status).toBe('paid');
    expect(d.ledger).toHaveLength(1);
    expect(d.payments[0]).toMatchObject({ status: 'succeeded', code: { status: 'paid' } });
    await wait(60);
    expect((await detail(b.id)).ledger).toHaveLength(1);
  });

  it('refuses a second code while the first is still being charged', async () => {
    const b = await book();
    const first = await payByCode(b.id, h.gateway!.payerCode({ outcome: 'paying' }));
    expect(first.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    const second = await payByCode(b.id, h.alipay!.payerCode());
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'payment_code_in_progress', field: 'code' });
    expect(second.body.error.message).toContain(first.body.code.masked);
    expect(h.alipay!.trades()).toEqual([]);
    // Once the first is reversed, a new code may be scanned.
    await wait(35);
    const third = await payByCode(b.id, h.alipay!.payerCode());
    expect(third.body).toMatchObject({ method: 'alipay', status: 'succeeded' });
    expect((await detail(b.id)).ledger).toHaveLength(1);
  });

  it('reverses a charge the payer never confirms within 30 seconds', async () => {
    const b = await book();
    const r = await payByCode(b.id, h.alipay!.payerCode({ outcome: 'paying' }));
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    await wait(25);
    expect((await detail(b.id)).payments[0].code.status).toBe('waiting');
    await wait(10);
    const d = await detail(b.id);
    expect(d.status).toBe('pending_payment');
    expect(d.ledger).toEqual([]);
    expect(d.payments[0]).toMatchObject({ status: 'closed', code: { status: 'reversed' } });
    expect(h.alipay!.trades()[0]).toMatchObject({ state: 'TRADE_CLOSED' });
    expect(h.hub.scheduler.pending('payment-code.check')).toEqual([]);
  });

  it('credits once a notification that arrives while the hub waits, then the query agrees', async () => {
    const b = await book();
    const r = await payByCode(b.id, h.alipay!.payerCode({ outcome: 'paying' }));
    await wait(10);
    await h.alipay!.pay(r.body.id);
    expect((await detail(b.id)).ledger).toHaveLength(1);
    await wait(10);
    const d = await detail(b.id);
    expect(d.ledger).toEqual([expect.objectContaining({ method: 'alipay', amount: b.total })]);
    expect(d.payments[0]).toMatchObject({ status: 'succeeded', code: { status: 'paid' } });
  });

  it('never credits a charge being reversed, and its money goes back to the customer', async () => {
    const b = await book();
    const r = await payByCode(b.id, h.alipay!.payerCode({ outcome: 'paying' }));
    h.alipay!.failNext('cancel');
    await wait(30);
    expect((await detail(b.id)).payments[0].code.status).toBe('reversing');
    // The payer confirms just as the hub gives up: the gateway's notification is not believed.
    await h.alipay!.pay(r.body.id);
    expect((await detail(b.id)).ledger).toEqual([]);
    await wait(20);
    const d = await detail(b.id);
    expect(d.ledger).toEqual([]);
    expect(d.payments[0]).toMatchObject({ status: 'closed', code: { status: 'reversed' } });
    expect(d.payments[0].code.reason).toContain('money given back');
    expect(h.alipay!.trades()[0]).toMatchObject({ reversed: true, refunded: b.total });
  });

  it('queries a charge whose answer was lost, and records it paid', async () => {
    const b = await book();
    const r = await payByCode(
      b.id,
      h.gateway!.payerCode({ outcome: 'paid', dropConnection: true }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    expect((await detail(b.id)).ledger).toEqual([]);
    await wait(5);
    expect((await detail(b.id)).ledger).toEqual([
      expect.objectContaining({ method: 'wechat', amount: b.total }),
    ]);
  });

  it('refunds a payment-code payment through its channel', async () => {
    const b = await book();
    const p = (await payByCode(b.id, h.gateway!.payerCode())).body;
    const r = await h.api(
      'POST',
      `/api/bookings/${b.id}/refunds`,
      { amount: 500, reason: '少用了半小时' },
      CASHIER,
    );
    expect(r.status).toBe(201);
    await h.runJobs();
    expect((await detail(b.id)).refunds).toMatchObject([
      { method: 'wechat', amount: 500, status: 'succeeded' },
    ]);
    expect(h.gateway!.refunds()).toEqual([
      expect.objectContaining({ outTradeNo: p.id, amount: 500 }),
    ]);
  });
});

describe('a hub restarted in the middle of a payment code', () => {
  // The gateways live outside the hub, as real ones do: they keep the charge across the restart.
  let wechat: SimulatedGateway;
  let alipay: SimulatedAlipay;
  let clock: ManualClock;
  let dataDir: string;
  let hub: HubServer | null = null;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    dataDir = mkdtempSync(join(tmpdir(), 'hub-codes-'));
    wechat = await startSimulatedGateway({ clock });
    alipay = await startSimulatedAlipay({ clock, keys: await generateAlipayKeys() });
  });
  afterEach(async () => {
    await hub?.close();
    await wechat.close();
    await alipay.close();
  });

  const start = async () =>
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
        alipay: new AlipayChannel({
          gatewayUrl: alipay.gatewayUrl,
          appId: alipay.appId,
          appPrivateKeyPem: alipay.appPrivateKeyPem,
          alipayPublicKeyPem: alipay.alipayPublicKeyPem,
        }),
      },
      ownerPin: '900000',
    });

  const call = async (s: HubServer, method: string, path: string, body?: unknown) => {
    const signIn = await fetch(`${s.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: DEMO_STAFF.find((d) => d.role === 'cashier')!.pin }),
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

  async function bookAndScan(code: string) {
    hub = await start();
    const rooms = (await call(hub, 'GET', '/api/rooms')).body as { id: string }[];
    const b = (
      await call(hub, 'POST', '/api/bookings', {
        roomId: rooms[0]!.id,
        start: at('14:00'),
        end: at('16:00'),
        partySize: 2,
        customer: { phone: '13800138000' },
      })
    ).body as { id: string; total: number };
    const r = await call(hub, 'POST', `/api/bookings/${b.id}/payments`, {
      method: 'payment_code',
      code,
    });
    expect(r.body).toMatchObject({ status: 'pending', code: { status: 'waiting' } });
    await hub.close();
    hub = null;
    return b;
  }

  async function restartAndWait(seconds: number) {
    hub = await start();
    for (let s = 0; s < seconds; s += 5) {
      clock.advance(5_000);
      await hub.hub.scheduler.runDue();
    }
    return hub;
  }

  it('finds the charge paid after the restart and records it once', async () => {
    const b = await bookAndScan(wechat.payerCode({ outcome: 'paying', paidAfterQueries: 1 }));
    const s = await restartAndWait(10);
    const d = (await call(s, 'GET', `/api/bookings/${b.id}`)).body;
    expect(d.status).toBe('paid');
    expect(d.ledger).toEqual([expect.objectContaining({ method: 'wechat', amount: b.total })]);
  });

  it('reverses the charge after the restart when the payer never confirms', async () => {
    const b = await bookAndScan(alipay.payerCode({ outcome: 'paying' }));
    // The hub was off for a minute: past the limit, the first query is followed by the reverse.
    clock.advance(60_000);
    const s = await restartAndWait(5);
    const d = (await call(s, 'GET', `/api/bookings/${b.id}`)).body;
    expect(d.ledger).toEqual([]);
    expect(d.payments[0]).toMatchObject({ status: 'closed', code: { status: 'reversed' } });
    expect(alipay.trades()[0]).toMatchObject({ state: 'TRADE_CLOSED' });
  });
});

describe('the ways to pay listed where the caller is', () => {
  it('lists cash and payment codes at the counter, QR channels and codes at the kiosk', async () => {
    const counter = await h.api('GET', '/api/payment-methods', undefined, CASHIER);
    expect(counter.body).toEqual({
      surface: 'counter',
      methods: ['cash', 'payment_code', 'wallet'],
      // What the counter takes now, and what pays a wallet top-up there.
      counter: ['cash', 'payment_code', 'wallet'],
      topUps: ['cash', 'wechat', 'alipay', 'unionpay'],
    });
    const kiosk = await h.api('GET', '/api/payment-methods');
    expect(kiosk.body).toMatchObject({
      surface: 'kiosk',
      methods: ['wechat', 'alipay', 'unionpay', 'payment_code', 'wallet'],
      counter: ['cash', 'payment_code', 'wallet'],
    });
    expect((await h.api('GET', '/api/payment-methods', undefined, as('anonymous'))).status).toBe(
      401,
    );
  });
});
