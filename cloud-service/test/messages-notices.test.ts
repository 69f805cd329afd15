// Messages (C13) a customer hears from the cloud's own records, and the owner's notices of what the
// store publishes, over real HTTP against the embedded CouchDB-compatible server with the SMS
// service's simulator: a booking request its store has not answered for half a minute (the store
// offline) is told once to its customer, and never when the answer came in time; an online payment
// the payment channel found paid is told once to the customer whose intent names it, and never
// for a payment made after its order was given up or one no customer's intent names; a tea order
// and a device that stopped answering are told once to the owner. Each is read again by two cloud
// instances. The owner marks a message read and the unread count goes down; another owner cannot
// mark it (404, as a message not in their inbox).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  MESSAGE_TEMPLATES,
  OrderDocSchema,
  answerDoc,
  intentDocId,
  storeDbName,
  storeInboxDbName,
  type MessageKind,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '../src/index';
import { AliyunSmsSimulator } from '../src/messages/aliyun-sms';
import { outTradeNoOf } from '../src/payments/payment-facts';
import type { CouchDoc } from '../src/couch';
import { startTestCouch, type TestCouch } from './test-couch';
import {
  bearer,
  callApi,
  seedStoreDocs,
  CLOUD_SECRETS,
  phoneId,
  type StoreSeed,
} from './cloud-fixtures';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const SEC = 1_000;
const MIN = 60_000;
let clock = T0;
let root: string;
let couch: TestCouch;
let service: CloudService;
let other: CloudService;
const payments = new SimulatedCloudChannel();
const STORE: StoreSeed = {
  storeId: 'mn',
  name: '茶隐',
  lat: 31.23,
  lng: 121.47,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'mn-r1', style: 'tea', capacity: 4, workday: 5000 }],
};
const OWNER_PHONE = '13900000019';
const OTHER_OWNER = '13900000029';

const smsKey = { accessKeyId: 'LTAI-test', accessKeySecret: 'sms-secret-for-tests' };
const templateCodes = Object.fromEntries(
  Object.keys(MESSAGE_TEMPLATES).map((k, i) => [k, `SMS_${465321000 + i}`]),
) as Record<MessageKind, string>;
const sms = new AliyunSmsSimulator(
  smsKey,
  '茶隐',
  new Map(
    Object.entries(MESSAGE_TEMPLATES).map(([k, t]) => [
      templateCodes[k as MessageKind],
      t.body.replace(/\{(\w+)\}/g, '${$1}'),
    ]),
  ),
);

const start = () =>
  startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'notices-test-secret-notices-test-secret',
    sms: new MemorySmsProvider(),
    payments,
    clock: { now: () => clock },
    sweepMs: 0,
    messageChannels: {
      sms: { config: { endpoint: sms.url, ...smsKey, signName: '茶隐' }, templateCodes },
    },
    log: (e) => console.error(e),
  });

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-notices-'));
  couch = await startTestCouch(root);
  await sms.start();
  service = await start();
  other = await start();
  await seedStoreDocs(await couch.hub(STORE.storeId), STORE, T0);
  for (const [username, storeIds] of [
    [OWNER_PHONE, [STORE.storeId]],
    [OTHER_OWNER, ['nz']],
  ] as const) {
    await putOwnerAccount(couch.cloud, {
      username,
      password: 'owner-password',
      storeIds: [...storeIds],
    });
    const doc = await couch.cloud.get('owners', `owner:${username}`);
    await couch.cloud.put('owners', { ...doc!, phone: username });
  }
}, 60_000);

afterAll(async () => {
  await other?.close();
  await service?.close();
  await sms.stop();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

const iso = (ms: number) => new Date(ms).toISOString();
/** Every instance reads everything twice, one after another and at once. */
const sweepBoth = async () => {
  await service.sweepNow();
  await other.sweepNow();
  await Promise.all([service.sweepNow(), other.sweepNow()]);
};
const textsTo = (phone: string, kind: MessageKind) =>
  sms.sent.filter((m) => m.phone === phone && m.templateCode === templateCodes[kind]);

async function publish(doc: CouchDoc): Promise<void> {
  const hub = await couch.hub(STORE.storeId);
  const db = storeDbName(STORE.storeId);
  const existing = await hub.get(db, doc._id);
  await hub.put(db, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) });
}

/** A customer's booking request as the cloud records it and writes it to the store's inbox. */
async function bookingRequest(intentId: string, customerId: string, atMs: number, held?: number) {
  if (held) await payments.authorise({ paymentId: `pay-${intentId}`, amount: held });
  await couch.cloud.put('intents', {
    _id: `intent:${customerId}:${intentId}`,
    type: 'intent_record',
    intentId,
    storeId: STORE.storeId,
    customerId,
    kind: 'booking_request',
    state: 'waiting',
    createdAt: iso(atMs),
    expiresAt: iso(atMs + 2 * MIN),
    ...(held
      ? {
          payment: {
            paymentId: `pay-${intentId}`,
            method: 'wechat',
            amount: held,
            state: 'authorised',
          },
        }
      : {}),
    updatedAt: iso(atMs),
  });
  await couch.cloud.put(storeInboxDbName(STORE.storeId), {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId: STORE.storeId,
    customerId,
    createdAt: iso(atMs),
    expiresAt: iso(atMs + 2 * MIN),
    kind: 'booking_request',
    body: {
      booking: {
        roomId: 'mn-r1',
        start: iso(atMs + 60 * MIN),
        end: iso(atMs + 120 * MIN),
        partySize: 2,
        customer: { name: '王', phone: '13500000011' },
      },
    },
  });
}

/** The cloud's record of an online payment, as the payment channel keeps it once paid. */
async function paymentFact(
  paymentId: string,
  amount: number,
  description: string,
  paidAtMs: number,
  closed = false,
) {
  const outTradeNo = outTradeNoOf(paymentId);
  await couch.cloud.put('intents', {
    _id: `payment:${outTradeNo}`,
    type: 'payment',
    paymentId,
    method: 'wechat',
    outTradeNo,
    amount,
    description,
    // Paid after its order was closed: held only to be given back.
    state: closed ? 'released' : 'captured',
    ...(closed ? { releasedBy: 'closed' } : {}),
    payBy: iso(paidAtMs + 2 * MIN),
    channelTxnId: `txn-${paymentId}`,
    paidAt: iso(paidAtMs),
    refunds: {},
    claimed: !closed,
    createdAt: iso(paidAtMs - 10 * SEC),
    updatedAt: iso(paidAtMs),
  });
}

async function ownerToken(username: string): Promise<string> {
  const r = await callApi(service.url, 'POST', '/api/owner/login', {
    username,
    password: 'owner-password',
  });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

describe('messages from the cloud’s own records', () => {
  it('tells the customer once that a request waits for the store offline, never when answered in time', async () => {
    const phone = '13500000011';
    const customerId = phoneId(phone);
    await service.cloud.messages.contacts.seen({ customerId, phone });
    clock = T0;
    await bookingRequest('wr1', customerId, T0, 9600);
    await bookingRequest('wr2', customerId, T0);
    // The store answers the second within seconds; the first waits.
    await publish(
      answerDoc('wr2', { outcome: 'confirmed', bookingId: 'wb2' }, T0 + 5 * SEC) as CouchDoc,
    );
    clock = T0 + 20 * SEC;
    await sweepBoth();
    const waiting = async () =>
      (await service.cloud.messages.inbox(`c:${customerId}`, 100)).messages.filter(
        (m) => m.kind === 'booking_waiting',
      );
    expect(await waiting()).toEqual([]);

    clock = T0 + 40 * SEC;
    await sweepBoth();
    clock = T0 + 70 * SEC;
    await sweepBoth();
    const told = await waiting();
    expect(told.map((m) => [m.title, m.body])).toEqual([
      [
        '预订等待门店确认',
        '茶隐暂时离线，你的预订请求（Room mn-r1 11-23 11:00 起）已交给门店，门店恢复联网后会为你确认。10:02 前仍未确认的话，请求会取消，已付的 ¥96.00 原路退回。',
      ],
    ]);
    expect(told[0]!.id).toContain('wr1');
    expect(textsTo(phone, 'booking_waiting')).toHaveLength(1);
    expect(textsTo(phone, 'booking_waiting')[0]!.text).toContain('门店恢复联网后会为你确认');

    // The store comes back and confirms it: nothing more of its waiting.
    await publish(
      answerDoc('wr1', { outcome: 'confirmed', bookingId: 'wb1' }, T0 + 80 * SEC) as CouchDoc,
    );
    clock = T0 + 90 * SEC;
    await sweepBoth();
    expect(await waiting()).toHaveLength(1);
    expect(textsTo(phone, 'booking_waiting')).toHaveLength(1);
    clock = T0;
  });

  it('tells the customer once of an online payment received, and nothing of one given up or nobody’s', async () => {
    const phone = '13500000012';
    const customerId = phoneId(phone);
    await service.cloud.messages.contacts.seen({ customerId, phone });
    clock = T0 + 10 * MIN;
    // A tea order paid online and taken by the store: the cloud's record of the intent names it.
    await couch.cloud.put('intents', {
      _id: `intent:${customerId}:to1`,
      type: 'intent_record',
      intentId: 'to1',
      storeId: STORE.storeId,
      customerId,
      kind: 'tea_order',
      state: 'answered',
      createdAt: iso(clock - 2 * MIN),
      payment: { paymentId: 'pay-to1', method: 'wechat', amount: 7600, state: 'captured' },
      answer: { outcome: 'confirmed', orderId: 'o1', at: iso(clock - MIN) },
      updatedAt: iso(clock - MIN),
    });
    await paymentFact('pay-to1', 7600, '茶隐 · 茶点', clock - 2 * MIN);
    // Paid after its order was closed (refunded at once), and a payment no intent names.
    await couch.cloud.put('intents', {
      _id: `intent:${customerId}:to2`,
      type: 'intent_record',
      intentId: 'to2',
      storeId: STORE.storeId,
      customerId,
      kind: 'tea_order',
      state: 'expired',
      createdAt: iso(clock - 5 * MIN),
      payment: { paymentId: 'pay-to2', method: 'wechat', amount: 3800, state: 'released' },
      updatedAt: iso(clock - MIN),
    });
    await paymentFact('pay-to2', 3800, '茶隐 · 茶点', clock - MIN, true);
    await paymentFact('pay-nobody', 5000, '茶隐 · 团购', clock - MIN);
    await sweepBoth();
    clock += 6 * MIN;
    await sweepBoth();

    const inbox = await service.cloud.messages.inbox(`c:${customerId}`, 100);
    expect(inbox.messages.map((m) => [m.kind, m.title, m.body])).toEqual([
      ['payment_result', '付款成功', '已收到你在茶隐的付款 ¥76.00（茶点）。'],
    ]);
    expect(textsTo(phone, 'payment_result')).toHaveLength(1);
    expect(sms.sent.filter((m) => m.templateCode === templateCodes.payment_result)).toHaveLength(1);
    clock = T0;
  });
});

describe('the owner’s notices', () => {
  it('tells the owner once of a tea order and of a device down, and marks them read', async () => {
    const order = OrderDocSchema.parse({
      _id: 'order:on1',
      type: 'order',
      storeId: STORE.storeId,
      orderId: 'on1',
      number: '17',
      day: '2026-11-23',
      bookingId: null,
      roomId: 'mn-r1',
      status: 'placed',
      lines: [
        { itemId: 'tea', name: '龙井', specs: '', unitPrice: 3800, quantity: 2, amount: 7600 },
      ],
      totals: { amount: 7600, paid: 7600, refunded: 0 },
      money: [{ kind: 'payment', method: 'cash', amount: 7600, at: iso(T0) }],
      history: [
        {
          at: iso(T0),
          action: 'place',
          from: null,
          to: 'placed',
          actor: { kind: 'staff', id: 's' },
        },
      ],
      createdAt: iso(T0),
      updatedAt: iso(T0),
    }) as CouchDoc;
    const health = DevicesHealthDocSchema.parse({
      _id: DEVICES_HEALTH_ID,
      type: 'devices_health',
      storeId: STORE.storeId,
      buses: [],
      devices: [
        {
          deviceId: 'lock1',
          kind: 'lock',
          rooms: ['mn-r1'],
          ok: false,
          lastOkAt: iso(T0 - MIN),
          lastError: 'no answer from the lock',
        },
      ],
      updatedAt: iso(T0),
    }) as CouchDoc;
    for (const instance of [service, other, service]) {
      await publish(order);
      await publish({ ...order, status: 'delivered', updatedAt: iso(T0 + MIN) } as CouchDoc);
      await publish(health);
      await instance.sweepNow();
    }
    await Promise.all([service.sweepNow(), other.sweepNow()]);

    const token = await ownerToken(OWNER_PHONE);
    const inbox = await callApi(
      service.url,
      'GET',
      '/api/owner/messages',
      undefined,
      bearer(token),
    );
    expect(inbox.status).toBe(200);
    const of = (kind: string) =>
      (inbox.json.messages as { id: string; kind: string; body: string }[]).filter(
        (m) => m.kind === kind,
      );
    expect(of('new_order').map((m) => m.body)).toEqual(['茶隐Room mn-r1下了茶点单，¥76.00。']);
    expect(of('device_fault').map((m) => m.body)).toEqual([
      '茶隐Room mn-r1的门锁没有回应：no answer from the lock。',
    ]);
    expect(textsTo(OWNER_PHONE, 'new_order')).toHaveLength(1);
    expect(textsTo(OWNER_PHONE, 'device_fault')).toHaveLength(1);

    // The owner reads the order's: one fewer unread. Another owner cannot mark it: not theirs.
    const unread = inbox.json.unread as number;
    expect(unread).toBeGreaterThanOrEqual(2);
    const orderId = encodeURIComponent(of('new_order')[0]!.id);
    const stranger = await callApi(
      service.url,
      'POST',
      `/api/owner/messages/${orderId}/read`,
      undefined,
      bearer(await ownerToken(OTHER_OWNER)),
    );
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.json)).toContain('messageId');
    const read = await callApi(
      service.url,
      'POST',
      `/api/owner/messages/${orderId}/read`,
      undefined,
      bearer(token),
    );
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ unread: unread - 1 });
    // Read again: nothing changes.
    const again = await callApi(
      service.url,
      'POST',
      `/api/owner/messages/${orderId}/read`,
      undefined,
      bearer(token),
    );
    expect(again.json).toEqual({ unread: unread - 1 });
    const after = await callApi(
      service.url,
      'GET',
      '/api/owner/messages',
      undefined,
      bearer(token),
    );
    expect(
      (after.json.messages as { kind: string; read: boolean }[]).find((m) => m.kind === 'new_order')
        ?.read,
    ).toBe(true);
    const all = await callApi(
      service.url,
      'POST',
      '/api/owner/messages/read',
      undefined,
      bearer(token),
    );
    expect(all.json).toEqual({ unread: 0 });
  });
});
