// A store's own words for its messages, and the message of a booking request called off, over
// real HTTP against the embedded CouchDB-compatible server with the SMS service's simulator: the
// owner writes their own title and body for a kind and that store's customer reads them in the
// inbox, while another store's customer reads the default and the SMS keeps its approved
// template; a placeholder the kind does not have, an empty body or one over 200 characters is
// refused (400 naming the field), as is the platform's complaint notice (422) and another owner's
// store (403); a reset goes back to the default and leaves messages already made as they were.
// A booking request its store never answered is called off at expiry with the money held given
// back, and the customer is told once however often two instances read it; a request the store
// answered is never told so.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BookingDocSchema,
  MESSAGE_TEMPLATES,
  answerDoc,
  bookingDocId,
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
const seed = (storeId: string, name: string): StoreSeed => ({
  storeId,
  name,
  lat: 31.23,
  lng: 121.47,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 5000 }],
});
const STORE_A = seed('ta', '茶隐');
const STORE_B = seed('tb', '竹间');
const OWNER_A = '13900000031';
const OWNER_B = '13900000032';

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
    jwtSecret: 'templates-test-secret-templates-test-secret',
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
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-templates-'));
  couch = await startTestCouch(root);
  await sms.start();
  service = await start();
  other = await start();
  for (const [store, owner] of [
    [STORE_A, OWNER_A],
    [STORE_B, OWNER_B],
  ] as const) {
    await seedStoreDocs(await couch.hub(store.storeId), store, T0);
    await putOwnerAccount(couch.cloud, {
      username: owner,
      password: 'owner-password',
      storeIds: [store.storeId],
    });
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

async function ownerToken(username: string): Promise<string> {
  const r = await callApi(service.url, 'POST', '/api/owner/login', {
    username,
    password: 'owner-password',
  });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

async function publish(storeId: string, doc: CouchDoc): Promise<void> {
  const hub = await couch.hub(storeId);
  const db = storeDbName(storeId);
  const existing = await hub.get(db, doc._id);
  await hub.put(db, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) });
}

/** A booking paid at `storeId` for the customer with `phone`, as its hub publishes it. */
function paidBooking(storeId: string, id: string, phone: string, atMs: number): CouchDoc {
  const step = (action: string, from: string | null, to: string, at: number) => ({
    at: iso(at),
    action,
    from,
    to,
    actor: { kind: 'customer', id: 'c' },
  });
  return BookingDocSchema.parse({
    _id: bookingDocId(id),
    type: 'booking',
    storeId,
    bookingId: id,
    roomId: `${storeId}-r1`,
    status: 'paid',
    start: iso(atMs + 60 * MIN),
    end: iso(atMs + 180 * MIN),
    partySize: 2,
    customerId: phoneId(phone),
    totals: { amount: 9600, paid: 9600, refunded: 0 },
    lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: 9600, amount: 9600 }],
    history: [
      step('create', null, 'pending_payment', atMs),
      step('pay', 'pending_payment', 'paid', atMs + SEC),
    ],
    updatedAt: iso(atMs + SEC),
  }) as CouchDoc;
}

/** A customer's booking request as the cloud records it and writes it to the store's inbox. */
async function bookingRequest(intentId: string, customerId: string, atMs: number, held: number) {
  const storeId = STORE_A.storeId;
  const paymentId = `pay-${intentId}`;
  await payments.authorise({ paymentId, amount: held });
  await couch.cloud.put('intents', {
    _id: `intent:${customerId}:${intentId}`,
    type: 'intent_record',
    intentId,
    storeId,
    customerId,
    kind: 'booking_request',
    state: 'waiting',
    createdAt: iso(atMs),
    expiresAt: iso(atMs + 2 * MIN),
    payment: { paymentId, method: 'wechat', amount: held, state: 'authorised' },
    updatedAt: iso(atMs),
  });
  await couch.cloud.put(storeInboxDbName(storeId), {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId,
    createdAt: iso(atMs),
    expiresAt: iso(atMs + 2 * MIN),
    kind: 'booking_request',
    body: {
      booking: {
        roomId: `${storeId}-r1`,
        start: iso(atMs + 60 * MIN),
        end: iso(atMs + 120 * MIN),
        partySize: 2,
        customer: { name: '王', phone: '13500000041' },
      },
    },
  });
}

const templatesPath = (storeId: string, kind?: string) =>
  `/api/owner/stores/${storeId}/message-templates${kind ? `/${kind}` : ''}`;

interface TemplateView {
  kind: string;
  title: string;
  body: string;
  own: boolean;
  placeholders: string[];
}

describe('a store’s own message words', () => {
  it('reach that store’s customers and not another store’s, are checked, and reset', async () => {
    clock = T0;
    const owner = bearer(await ownerToken(OWNER_A));
    const list = await callApi(service.url, 'GET', templatesPath('ta'), undefined, owner);
    expect(list.status).toBe(200);
    const confirmed = (list.json.templates as TemplateView[]).find(
      (t) => t.kind === 'booking_confirmed',
    );
    expect(confirmed).toMatchObject({
      title: '预订成功',
      own: false,
      placeholders: ['store', 'room', 'when'],
    });
    // The platform's complaint notices are not listed: they are the platform's words.
    expect((list.json.templates as TemplateView[]).map((t) => t.kind)).not.toContain(
      'complaint_joined',
    );

    // Refused: a placeholder the kind does not have, an empty body, one over 200 characters.
    const put = (body: unknown, headers = owner, kind = 'booking_confirmed', store = 'ta') =>
      callApi(service.url, 'PUT', templatesPath(store, kind), body, headers);
    const unknown = await put(
      { title: '订好啦', body: '{store}送你{coupon}' },
      { ...owner, 'Accept-Language': 'zh-CN' },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'unknown_placeholder', field: 'body' });
    expect(unknown.json.error.message).toBe(
      '正文里的 {coupon} 不是这类消息能用的占位符，只能用：{store} {room} {when}',
    );
    const english = await put({ title: '订好啦', body: '{store}送你{coupon}' });
    expect(english.json.error.message).toBe(
      'body: {coupon} is not a placeholder of this kind; use only {store} {room} {when}',
    );
    const empty = await put({ title: '订好啦', body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.json.error).toMatchObject({ code: 'invalid_input', field: 'body' });
    const long = await put({ title: '订好啦', body: '好'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.json.error).toMatchObject({ field: 'body' });
    expect(long.json.error.message).toContain('200');
    const platform = await put({ title: '平台', body: '{store}' }, owner, 'complaint_joined');
    expect(platform.status).toBe(422);
    expect(platform.json.error).toMatchObject({ code: 'platform_message_words', field: 'kind' });
    const badKind = await put({ title: 'x', body: 'y' }, owner, 'no_such_kind');
    expect(badKind.status).toBe(400);
    const stranger = await put(
      { title: '订好啦', body: '{store}' },
      bearer(await ownerToken(OWNER_B)),
    );
    expect(stranger.status).toBe(403);

    const saved = await put({
      title: '订好啦',
      body: '{room}给你留好了，{when}，{store}等你来喝茶。',
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ kind: 'booking_confirmed', own: true, title: '订好啦' });

    // A customer of each store pays a booking: A's reads A's words, B's the default.
    const [phoneA, phoneB] = ['13500000041', '13500000042'];
    for (const phone of [phoneA, phoneB])
      await service.cloud.messages.contacts.seen({ customerId: phoneId(phone), phone });
    await publish('ta', paidBooking('ta', 'tba1', phoneA, T0));
    await publish('tb', paidBooking('tb', 'tbb1', phoneB, T0));
    await sweepBoth();
    const confirmedOf = async (phone: string) =>
      (await service.cloud.messages.inbox(`c:${phoneId(phone)}`, 100)).messages
        .filter((m) => m.kind === 'booking_confirmed')
        .map((m) => [m.storeId, m.title, m.body]);
    expect(await confirmedOf(phoneA)).toEqual([
      ['ta', '订好啦', 'Room ta-r1给你留好了，11-23 11:00–13:00，茶隐等你来喝茶。'],
    ]);
    expect(await confirmedOf(phoneB)).toEqual([
      [
        'tb',
        '预订成功',
        '竹间Room tb-r1已为你预留 11-23 11:00–13:00，开始前 15 分钟起可以开门进房。',
      ],
    ]);
    // The SMS goes out through the approved template, as before.
    expect(textsTo(phoneA, 'booking_confirmed')).toHaveLength(1);
    expect(textsTo(phoneA, 'booking_confirmed')[0]!.text).toBe(
      '【茶隐】茶隐Room ta-r1已为你预留 11-23 11:00–13:00，开始前 15 分钟起可以开门进房。',
    );

    // Reset: back to the default; the message already made keeps its words.
    const reset = await callApi(
      service.url,
      'DELETE',
      templatesPath('ta', 'booking_confirmed'),
      undefined,
      owner,
    );
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ own: false, title: '预订成功' });
    expect(reset.json.body).toBe(MESSAGE_TEMPLATES.booking_confirmed.body);
    await publish('ta', paidBooking('ta', 'tba2', phoneA, T0 + MIN));
    await sweepBoth();
    expect((await confirmedOf(phoneA)).map((m) => m[1]).sort()).toEqual(['订好啦', '预订成功']);
  });
});

describe('a booking request called off at expiry', () => {
  it('tells the customer once that it was called off and the money goes back, never when answered', async () => {
    const phone = '13500000043';
    const customerId = phoneId(phone);
    await service.cloud.messages.contacts.seen({ customerId, phone });
    clock = T0 + 10 * MIN;
    const at = clock;
    await bookingRequest('tx1', customerId, at, 9600);
    await bookingRequest('tx2', customerId, at, 4800);
    // The store answers the second within seconds; the first is never answered.
    await publish(
      'ta',
      answerDoc('tx2', { outcome: 'confirmed', bookingId: 'tbx2' }, at + 5 * SEC) as CouchDoc,
    );
    clock = at + 60 * SEC;
    await sweepBoth();
    const expired = async () =>
      (await service.cloud.messages.inbox(`c:${customerId}`, 100)).messages.filter(
        (m) => m.kind === 'booking_expired',
      );
    expect(await expired()).toEqual([]);

    // Past its expiry: the cloud calls it off and gives the money back, then tells the customer.
    clock = at + 3 * MIN;
    await sweepBoth();
    clock = at + 4 * MIN;
    await sweepBoth();
    const told = await expired();
    expect(told.map((m) => [m.title, m.body])).toEqual([
      [
        '预订请求已取消',
        '茶隐一直没有确认你的预订请求（Room ta-r1 11-23 11:10 起），请求已取消。已付的 ¥96.00 会原路退回。',
      ],
    ]);
    expect(told[0]!.id).toContain('tx1');
    const record = await couch.cloud.get('intents', `intent:${customerId}:tx1`);
    expect(record).toMatchObject({ state: 'expired', payment: { state: 'released' } });
    expect(textsTo(phone, 'booking_expired')).toHaveLength(1);
    expect(textsTo(phone, 'booking_expired')[0]!.text).toContain('请求已取消');
    clock = T0;
  });
});
