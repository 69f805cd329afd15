// The cloud's payment holds against the WeChat Pay gateway simulator over real HTTP, with the
// cloud service on the embedded CouchDB-compatible server and wired as its start wires it
// (payment-setup.ts): a booking request's money is held once the payer has paid the Native
// order, the cloud service stops and starts again with the money held and the store not yet
// answered, and the store's answer then ends it right, exactly once at the gateway: captured on
// a confirmation, refunded on a rejection or an expiry, closed when nobody paid. The gateway
// stands for WeChat Pay: it outlives the cloud, as the real one does. Two instances sweeping at the
// deadline take every answer the hub made by it and give the rest back once.
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WechatPayChannel } from '@roomhub/payment-gateways';
import { startSimulatedGateway, type SimulatedGateway } from '@roomhub/payment-gateways/simulator';
import {
  CLOUD_DBS,
  DealDocSchema,
  EntitlementSchema,
  answerDoc,
  dealDocId,
  entitlementRev,
  storeDbName,
  storeInboxDbName,
  type AnswerBody,
} from '@roomhub/shared-types';
import { createCouchClient, type CouchClient, type CouchDoc } from '../src/couch';
import { MemorySmsProvider, startCloudService, type CloudService } from '../src/index';
import { PaymentFacts, outTradeNoOf } from '../src/payments/payment-facts';
import { startCloudPayments, type CloudPayments } from '../src/payments/payment-setup';
import {
  type Json,
  bearer,
  bookingFact,
  callApi,
  ledgerFact,
  seedStoreDocs,
  CLOUD_SECRETS,
} from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const CONFIRM_TIMEOUT_MS = 120_000;
const STORE = 'pa';
const span = { start: '2026-11-24T14:00:00+08:00', end: '2026-11-24T16:00:00+08:00' };
/** Two hours of room pa-r1 on a workday. */
const PRICE = 10_000;

let clock = T0;
const now = { now: () => clock };
let root: string;
let couch: TestCouch;
let db: CouchClient;
let gateway: SimulatedGateway;
let port: number;
const sms = new MemorySmsProvider();

/** A cloud service as `npm start` runs one: its payments through the WeChat Pay v3 client. */
interface RunningCloud {
  service: CloudService;
  payments: CloudPayments;
  stop(): Promise<void>;
}
const running = new Set<RunningCloud>();

async function startCloud(
  options: { port?: number; payWindowMs?: number; graceMs?: number } = {},
): Promise<RunningCloud> {
  let url = '';
  const payments = await startCloudPayments(
    {
      kind: 'wechat',
      gatewayUrl: gateway.url,
      merchant: gateway.merchant,
      platformPublicKeyPem: gateway.platformPublicKeyPem,
      platformSerial: gateway.platformSerial,
      apiV3Key: gateway.apiV3Key,
    },
    {
      couch: createCouchClient(couch.cloudUrl),
      clock: now,
      notifyUrl: () => `${url}/api/payments/notify/wechat`,
      payWindowMs: options.payWindowMs ?? 30_000,
      queryEveryMs: 200,
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    },
  );
  const service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'holds-test-secret-holds-test-secret-0123',
    sms,
    payments: payments.channel,
    clock: now,
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    answerWaitMs: 300,
    intentWaitMs: 300,
    sweepMs: 0,
    smsLimits: { senderPerMinute: 10_000, senderPerHour: 10_000 },
    port: options.port ?? port,
    log: () => {},
  });
  url = service.url;
  const cloud: RunningCloud = {
    service,
    payments,
    async stop() {
      running.delete(cloud);
      await service.close();
      await payments.close();
    },
  };
  running.add(cloud);
  return cloud;
}

/** The customer in front of the cashier page: pays every new order while `paying`. */
const payer = {
  paying: true,
  paid: new Set<string>(),
  stopped: false,
  async run() {
    while (!this.stopped) {
      for (const c of gateway.charges()) {
        if (!this.paying || c.state !== 'NOTPAY' || this.paid.has(c.outTradeNo)) continue;
        this.paid.add(c.outTradeNo);
        void gateway.pay(c.outTradeNo).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  },
};

let phoneSeq = 0;
async function signIn(cloud: RunningCloud): Promise<string> {
  const phone = `1370000${String((phoneSeq += 1)).padStart(4, '0')}`;
  await callApi(cloud.service.url, 'POST', '/api/auth/sms/send', { phone });
  const verified = await callApi(cloud.service.url, 'POST', '/api/auth/sms/verify', {
    phone,
    code: sms.lastCode(phone),
  });
  return verified.json.token as string;
}

/** Asks for a booking while the store is offline: the money is held, the request waits. */
async function heldBooking(cloud: RunningCloud, room = 'pa-r1') {
  const token = await signIn(cloud);
  const res = await callApi(
    cloud.service.url,
    'POST',
    '/api/bookings',
    { storeId: STORE, roomId: room, ...span, partySize: 2 },
    bearer(token),
  );
  expect(res.status).toBe(202);
  expect(res.json).toMatchObject({ state: 'waiting', payment: { state: 'authorised' } });
  const intentId = res.json.intentId as string;
  const paymentId = `pay-${intentId}`;
  return { token, intentId, paymentId, outTradeNo: outTradeNoOf(paymentId) };
}

/** The store's hub answers, as the hub writes it into its store's database. */
async function hubAnswers(intentId: string, body: AnswerBody): Promise<void> {
  if (body.outcome === 'confirmed' && body.bookingId) {
    await db.put(
      storeDbName(STORE),
      bookingFact({
        storeId: STORE,
        bookingId: body.bookingId,
        roomId: 'pa-r1',
        ...span,
        amount: PRICE,
        intentId,
        at: new Date(clock).toISOString(),
      }),
    );
  }
  await db.put(storeDbName(STORE), answerDoc(intentId, body, clock) as CouchDoc);
}

const chargeOf = (outTradeNo: string) =>
  gateway.charges().filter((c) => c.outTradeNo === outTradeNo);
const refundsOf = (outTradeNo: string) =>
  gateway.refunds().filter((r) => r.outTradeNo === outTradeNo);
const factOf = (outTradeNo: string) => new PaymentFacts(couch.cloud, now).get(outTradeNo);
const intentOf = (cloud: RunningCloud, token: string, intentId: string) =>
  callApi(cloud.service.url, 'GET', `/api/intents/${intentId}`, undefined, bearer(token));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'payment-holds-'));
  couch = await startTestCouch(root);
  db = couch.writers;
  await seedStoreDocs(
    db,
    {
      storeId: STORE,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '09:00', close: '23:00' },
      rooms: [
        { roomId: 'pa-r1', style: 'tea', capacity: 4, workday: 5000 },
        { roomId: 'pa-r2', style: 'tea', capacity: 4, workday: 5000 },
      ],
    },
    T0 - 3_600_000,
  );
  gateway = await startSimulatedGateway({ clock: now, retryDelaysMs: [50, 100, 200] });
  // The notify URL names this port: the cloud comes back on it, as it would behind its domain.
  port = await freePort();
  void payer.run();
});

afterEach(async () => {
  for (const cloud of [...running]) await cloud.stop();
  payer.paying = true;
  clock = T0;
});

afterAll(async () => {
  payer.stopped = true;
  await gateway?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('a payment held across a restart of the cloud service', () => {
  it('is captured once when the store confirms after the restart, and refunded through the gateway later', async () => {
    const before = await startCloud();
    const { token, intentId, paymentId, outTradeNo } = await heldBooking(before);
    expect(chargeOf(outTradeNo)).toMatchObject([{ state: 'SUCCESS', total: PRICE }]);
    expect(await factOf(outTradeNo)).toMatchObject({ paymentId, state: 'held' });
    // The intent went to the store with the money held, as the hub checks it.
    const [sent] = await db.byPrefix(storeInboxDbName(STORE), `intent:${intentId}`);
    expect(sent).toMatchObject({
      body: { payment: { paymentId, method: 'wechat', amount: PRICE } },
    });

    await before.stop();
    const after = await startCloud();
    await hubAnswers(intentId, { outcome: 'confirmed', bookingId: 'b-confirmed' });
    const answered = await intentOf(after, token, intentId);
    expect(answered.json).toMatchObject({ state: 'confirmed', payment: { state: 'captured' } });
    // A second instance and more sweeps find nothing left to do.
    const other = await startCloud({ port: 0 });
    await Promise.all([after.service.sweepNow(), other.service.sweepNow()]);
    expect(await factOf(outTradeNo)).toMatchObject({ state: 'captured' });
    expect(chargeOf(outTradeNo)).toMatchObject([{ state: 'SUCCESS', refunded: 0 }]);
    expect(refundsOf(outTradeNo)).toEqual([]);

    // The store refunds part of it (a cancellation fee kept): paid back once through the gateway,
    // however many instances follow the store's ledger.
    await db.put(
      storeDbName(STORE),
      ledgerFact({
        storeId: STORE,
        bookingId: 'b-confirmed',
        entryId: 'rf1',
        kind: 'refund',
        method: 'cloud',
        amount: -6000,
        paymentRef: paymentId,
        at: new Date(clock).toISOString(),
      }),
    );
    await Promise.all([after.service.sweepNow(), other.service.sweepNow()]);
    await after.stop();
    const again = await startCloud();
    await again.service.sweepNow();
    expect(refundsOf(outTradeNo)).toMatchObject([{ amount: 6000, total: PRICE }]);
    expect(chargeOf(outTradeNo)).toMatchObject([{ refunded: 6000 }]);
  });

  it('is refunded once when the store rejects after the restart', async () => {
    const before = await startCloud();
    const { token, intentId, outTradeNo } = await heldBooking(before);
    await before.stop();

    const after = await startCloud();
    await hubAnswers(intentId, { outcome: 'rejected', reason: 'the room is taken then' });
    const other = await startCloud({ port: 0 });
    await Promise.all([
      after.service.sweepNow(),
      other.service.sweepNow(),
      intentOf(after, token, intentId),
      intentOf(other, token, intentId),
    ]);
    const rejected = await intentOf(after, token, intentId);
    expect(rejected.json).toMatchObject({ state: 'rejected', payment: { state: 'released' } });
    expect(refundsOf(outTradeNo)).toMatchObject([{ amount: PRICE, total: PRICE }]);
    expect(await factOf(outTradeNo)).toMatchObject({ state: 'released', releasedBy: 'refunded' });
    await after.service.sweepNow();
    expect(refundsOf(outTradeNo)).toHaveLength(1);
  });

  it('is refunded once when the request expires while the cloud is down', async () => {
    const before = await startCloud();
    const { token, intentId, outTradeNo } = await heldBooking(before);
    await before.stop();

    // Past the expiry and the grace the cloud gives the hub's answer to arrive.
    clock = T0 + CONFIRM_TIMEOUT_MS + 15_000;
    const after = await startCloud();
    const other = await startCloud({ port: 0 });
    await Promise.all([
      after.service.sweepNow(),
      other.service.sweepNow(),
      after.service.sweepNow(),
    ]);
    const expired = await intentOf(after, token, intentId);
    expect(expired.json).toMatchObject({ state: 'expired', payment: { state: 'released' } });
    expect(refundsOf(outTradeNo)).toMatchObject([{ amount: PRICE }]);
    expect(chargeOf(outTradeNo)).toMatchObject([{ refunded: PRICE }]);
  });
});

describe('holds nobody paid or nobody recorded', () => {
  it('closes the order and declines when the customer does not pay in time; no intent is sent', async () => {
    payer.paying = false;
    const cloud = await startCloud({ payWindowMs: 600 });
    const token = await signIn(cloud);
    const inbox = (await db.byPrefix(storeInboxDbName(STORE), 'intent:')).length;
    const res = await callApi(
      cloud.service.url,
      'POST',
      '/api/bookings',
      { storeId: STORE, roomId: 'pa-r2', ...span, partySize: 2 },
      bearer(token),
    );
    expect(res.status).toBe(402);
    expect(res.json.error.code).toBe('payment_declined');
    expect((await db.byPrefix(storeInboxDbName(STORE), 'intent:')).length).toBe(inbox);
    const closed = gateway.charges().filter((c) => c.state === 'CLOSED');
    expect(closed).toHaveLength(1);
    const fact = await factOf(closed[0]!.outTradeNo);
    expect(fact).toMatchObject({ state: 'released', releasedBy: 'closed' });
    await expect(gateway.pay(closed[0]!.outTradeNo)).rejects.toThrow('订单已关闭');
    expect(
      await db.get(CLOUD_DBS.intents, `payment-open:${closed[0]!.outTradeNo}`),
    ).toBeUndefined();
  });

  it('gives back money paid for an order whose hold was never recorded, once', async () => {
    const cloud = await startCloud({ graceMs: 60_000 });
    // A cloud that stopped after the order was made and before anything recorded it: the fact
    // and the order exist, nothing names the payment.
    const paymentId = 'pay-orphan-1';
    const outTradeNo = outTradeNoOf(paymentId);
    await new PaymentFacts(couch.cloud, now).create({
      paymentId,
      method: 'wechat',
      outTradeNo,
      amount: 4200,
      description: 'orphan',
      state: 'ordered',
      payBy: new Date(T0 + 30_000).toISOString(),
    });
    const order = await callGatewayOrder(cloud, outTradeNo, 4200);
    expect(order).toBe(true);
    await vi.waitFor(async () => expect(await factOf(outTradeNo)).toMatchObject({ state: 'held' }));

    await cloud.service.sweepNow();
    expect(refundsOf(outTradeNo)).toEqual([]); // still within the grace a recording call may take
    clock = T0 + 61_000;
    const other = await startCloud({ port: 0, graceMs: 60_000 });
    await Promise.all([cloud.service.sweepNow(), other.service.sweepNow()]);
    expect(refundsOf(outTradeNo)).toMatchObject([{ amount: 4200 }]);
    expect(await factOf(outTradeNo)).toMatchObject({ state: 'released', releasedBy: 'refunded' });
  });
});

describe("a deal purchase's payment", () => {
  it('is not given back by the sweep as money nobody recorded when the cloud stopped before taking it', async () => {
    const cloud = await startCloud({ graceMs: 60_000 });
    const entitlement = EntitlementSchema.parse({ kind: 'hours', minutes: 120 });
    await db.put(
      storeDbName(STORE),
      DealDocSchema.parse({
        _id: dealDocId('group-1'),
        type: 'deal',
        storeId: STORE,
        dealId: 'group-1',
        source: 'own',
        platformDealId: null,
        title: '两人拼团 2 小时',
        description: '',
        photos: [],
        entitlement,
        rev: entitlementRev(entitlement),
        price: 6600,
        originalPrice: null,
        groupSize: 2,
        groupHours: 24,
        validDays: 30,
        perCustomerLimit: null,
        stock: null,
        refundAnyTime: true,
        refundOnExpiry: true,
        status: 'on_sale',
        updatedAt: new Date(clock).toISOString(),
      }) as CouchDoc,
    );
    await cloud.service.cloud.follower.followNow();
    const token = await signIn(cloud);
    const bought = await callApi(
      cloud.service.url,
      'POST',
      '/api/deals/group-1/purchases',
      {},
      bearer(token),
    );
    expect(bought.status, JSON.stringify(bought.json)).toBe(201);
    expect(bought.json).toMatchObject({ state: 'grouping' });
    const outTradeNo = outTradeNoOf(`dp-${bought.json.purchaseId as string}`);
    await vi.waitFor(async () =>
      expect(await factOf(outTradeNo)).toMatchObject({ state: 'captured' }),
    );
    // As if the cloud had stopped between holding the money and taking it for the purchase.
    await new PaymentFacts(couch.cloud, now).change(outTradeNo, (f) => ({
      ...f,
      state: 'held',
      claimed: false,
    }));
    // Long past the grace a recording call may take: the money is the purchase's, not nobody's.
    clock = T0 + 2 * 3_600_000;
    await cloud.service.sweepNow();
    expect(refundsOf(outTradeNo)).toEqual([]);
  });
});

describe('the notify route', () => {
  it('records a payment once however often it is told, and refuses a forged notification', async () => {
    const cloud = await startCloud();
    const { outTradeNo } = await heldBooking(cloud);
    await gateway.resend(outTradeNo);
    const deliveries = gateway.deliveries().filter((d) => d.outTradeNo === outTradeNo);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(await factOf(outTradeNo)).toMatchObject({ state: 'held' });

    const forged = await fetch(`${cloud.service.url}/api/payments/notify/wechat`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': String(Math.floor(clock / 1000)),
        'wechatpay-nonce': 'n',
        'wechatpay-serial': gateway.platformSerial,
        'wechatpay-signature': 'AAAA',
      },
      body: JSON.stringify({ id: 'x', event_type: 'TRANSACTION.SUCCESS' }),
    });
    expect(forged.status).toBe(422);
    expect(((await forged.json()) as Json).error.code).toBe('bad_signature');
    const other = await fetch(`${cloud.service.url}/api/payments/notify/alipay`, {
      method: 'POST',
      body: '{}',
    });
    expect(other.status).toBe(404);
  });
});

/** Makes the gateway order for a fact as the channel would have; the payer pays it. */
async function callGatewayOrder(
  cloud: RunningCloud,
  outTradeNo: string,
  amount: number,
): Promise<boolean> {
  const client = new WechatPayChannel({
    gatewayUrl: gateway.url,
    platformPublicKeyPem: gateway.platformPublicKeyPem,
    apiV3Key: gateway.apiV3Key,
    merchant: gateway.merchant,
    clock: now,
  });
  const ticket = await client.createCharge({
    paymentId: outTradeNo,
    amount,
    description: 'orphan',
    notifyUrl: `${cloud.service.url}/api/payments/notify/wechat`,
    expiresAt: T0 + 30_000,
  });
  return ticket.qrPayload.startsWith('weixin://');
}

describe('two instances sweeping one CouchDB at the deadline', () => {
  it('take every answer the hub made by the deadline and give back the rest once, whoever sweeps', async () => {
    const RACE = 'pr';
    const rooms = Array.from({ length: 12 }, (_, i) => `pr-r${i}`);
    await seedStoreDocs(
      db,
      {
        storeId: RACE,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: rooms.map((roomId) => ({ roomId, style: 'tea', capacity: 4, workday: 5000 })),
      },
      T0 - 3_600_000,
    );
    const a = await startCloud();
    const b = await startCloud({ port: 0 });
    // Twelve customers, half through each instance, each request waiting with its money held.
    const tokens: string[] = [];
    for (const [i] of rooms.entries()) tokens.push(await signIn(i % 2 === 0 ? a : b));
    const asked = await Promise.all(
      rooms.map(async (roomId, i) => {
        const via = i % 2 === 0 ? a : b;
        const token = tokens[i]!;
        const res = await callApi(
          via.service.url,
          'POST',
          '/api/bookings',
          { storeId: RACE, roomId, ...span, partySize: 2 },
          bearer(token),
        );
        expect(res.status, JSON.stringify(res.json)).toBe(202);
        const intentId = res.json.intentId as string;
        const fate = (['confirmed', 'rejected', 'unanswered'] as const)[i % 3]!;
        return { token, intentId, roomId, fate, outTradeNo: outTradeNoOf(`pay-${intentId}`) };
      }),
    );

    // The deadline: both instances sweep at the same moment. The hub's answers, made at the last
    // moment it still answers by its clock (the replicator refuses an intent from its expiry on),
    // land in CouchDB seconds later, while both sweep again.
    const deadline = T0 + CONFIRM_TIMEOUT_MS;
    const answeredAt = deadline - 1;
    clock = deadline;
    await Promise.all([a.service.sweepNow(), b.service.sweepNow()]);
    clock = deadline + 5_000;
    const answers = asked
      .filter((r) => r.fate !== 'unanswered')
      .map(async (r) => {
        const bookingId = `b-${r.roomId}`;
        if (r.fate === 'confirmed') {
          await db.put(
            storeDbName(RACE),
            bookingFact({
              storeId: RACE,
              bookingId,
              roomId: r.roomId,
              ...span,
              amount: PRICE,
              intentId: r.intentId,
              at: new Date(answeredAt).toISOString(),
            }),
          );
        }
        const body: AnswerBody =
          r.fate === 'confirmed'
            ? { outcome: 'confirmed', bookingId }
            : { outcome: 'rejected', reason: 'room taken' };
        await db.put(storeDbName(RACE), answerDoc(r.intentId, body, answeredAt) as CouchDoc);
      });
    await Promise.all([...answers, a.service.sweepNow(), b.service.sweepNow()]);
    // Past the grace: both sweep at once, twice over, and once more each after.
    clock = deadline + 15_000;
    await Promise.all([
      a.service.sweepNow(),
      b.service.sweepNow(),
      a.service.sweepNow(),
      b.service.sweepNow(),
    ]);
    await Promise.all([a.service.sweepNow(), b.service.sweepNow()]);

    for (const r of asked) {
      const onA = (await intentOf(a, r.token, r.intentId)).json;
      const onB = (await intentOf(b, r.token, r.intentId)).json;
      // Both instances give the customer the same answer.
      expect(onB).toEqual(onA);
      const refunds = refundsOf(r.outTradeNo);
      if (r.fate === 'confirmed') {
        expect(onA, r.roomId).toMatchObject({
          state: 'confirmed',
          payment: { state: 'captured' },
        });
        expect(refunds, r.roomId).toEqual([]);
        expect(await factOf(r.outTradeNo)).toMatchObject({ state: 'captured' });
      } else {
        expect(onA, r.roomId).toMatchObject({
          state: r.fate === 'rejected' ? 'rejected' : 'expired',
          payment: { state: 'released' },
        });
        // Given back once, whole, however many sweeps of however many instances ran.
        expect(refunds, r.roomId).toMatchObject([{ amount: PRICE }]);
        expect(chargeOf(r.outTradeNo)).toMatchObject([{ refunded: PRICE }]);
      }
    }
    // No confirmed booking was expired and then cancelled as a late confirmation.
    expect(await db.byPrefix(storeInboxDbName(RACE), 'intent:late-')).toEqual([]);
  });
});
