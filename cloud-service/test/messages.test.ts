// Messages (C13) over real HTTP against the embedded CouchDB-compatible server, with the SMS
// service's and WeChat's simulators speaking their protocols (the SMS signature checked, WeChat's
// one-time authorisations kept as WeChat keeps them): a booking paid at a store becomes the
// customer's message and the owner's, each sent once; a WeChat authorisation is used once, then
// SMS is the fallback; nothing but urgent kinds is sent in quiet hours; reminders before the end;
// a recall offer only to customers who opted in, none while the platform has marketing texts off,
// and a reply of R stops them; two cloud instances
// replaying the same changes in any order send each message once (a property), the low-stock
// notices to the owner and the maintenance notices to the customers it concerns included; a booking
// request the store refused, an online top-up it credited and a voucher redeemed are each told once,
// however often the store's documents are replayed.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BookingDocSchema,
  DEFAULT_PLATFORM_SETTINGS,
  MESSAGE_TEMPLATES,
  REGISTRY_DB,
  CUSTOMER_MESSAGE_KINDS,
  MemberDocSchema,
  HUB_ALIVE_ID,
  HubAliveDocSchema,
  RoomMaintenanceDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
  answerDoc,
  bookingDocId,
  intentDocId,
  LedgerDocSchema,
  ledgerDocId,
  maintenanceDocId,
  storeDbName,
  storeInboxDbName,
  type CustomerMessageKind,
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
import { WechatSubscribeClient, WechatSubscribeSimulator } from '../src/messages/wechat-subscribe';
import type { MessageChannels } from '../src/messages/messages';
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
const MIN = 60_000;
let clock = T0;
let root: string;
let couch: TestCouch;
let service: CloudService;
let other: CloudService;
const codes = new MemorySmsProvider();
const payments = new SimulatedCloudChannel();
const STORE: StoreSeed = {
  storeId: 'ma',
  name: '茶隐',
  lat: 31.23,
  lng: 121.47,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'ma-r1', style: 'tea', capacity: 4, workday: 5000 }],
};
const OWNER_PHONE = '13900000009';
const CUSTOMER = '13800000001';

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
const templateIds = Object.fromEntries(
  CUSTOMER_MESSAGE_KINDS.map((k) => [k, `tmpl-${k}`]),
) as Record<CustomerMessageKind, string>;
const wechat = new WechatSubscribeSimulator(
  { appId: 'wx-app', appSecret: 'wx-secret' },
  new Map(CUSTOMER_MESSAGE_KINDS.map((k) => [`tmpl-${k}`, ['thing1', 'thing2', 'thing3']])),
);

const start = () => {
  const channels: MessageChannels = {
    sms: {
      config: { endpoint: sms.url, ...smsKey, signName: '茶隐' },
      templateCodes,
    },
    wechat: {
      client: new WechatSubscribeClient({
        endpoint: wechat.url,
        appId: 'wx-app',
        appSecret: 'wx-secret',
      }),
      templateIds,
    },
  };
  return startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'messages-test-secret-messages-test-secret',
    sms: codes,
    payments,
    clock: { now: () => clock },
    sweepMs: 0,
    smsLimits: { minIntervalMs: 0, perHour: 1000, senderPerMinute: 1000, senderPerHour: 10_000 },
    messageChannels: channels,
    smsPushToken: 'push-token-0123456789',
    log: (e) => console.error(e),
  });
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-messages-'));
  couch = await startTestCouch(root);
  await sms.start();
  await wechat.start();
  service = await start();
  other = await start();
  sms.replyUrl = `${service.url}/api/messages/sms-replies?token=push-token-0123456789`;
  await seedStoreDocs(await couch.hub(STORE.storeId), STORE, T0);
  await putOwnerAccount(couch.cloud, {
    username: OWNER_PHONE,
    password: 'owner-password',
    storeIds: [STORE.storeId],
  });
  // The owner's account knows their phone (the one a sign-in code goes to).
  const doc = await couch.cloud.get('owners', `owner:${OWNER_PHONE}`);
  await couch.cloud.put('owners', { ...doc!, phone: OWNER_PHONE });
}, 60_000);

afterAll(async () => {
  await other?.close();
  await service?.close();
  await sms.stop();
  await wechat.stop();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

const iso = (ms: number) => new Date(ms).toISOString();

async function customerToken(phone: string): Promise<string> {
  await callApi(service.url, 'POST', '/api/auth/sms/send', { phone });
  const r = await callApi(service.url, 'POST', '/api/auth/sms/verify', {
    phone,
    code: codes.lastCode(phone),
  });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

async function ownerToken(): Promise<string> {
  const r = await callApi(service.url, 'POST', '/api/owner/login', {
    username: OWNER_PHONE,
    password: 'owner-password',
  });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

type Step = { action: string; from: string | null; to: string; at: number; reason?: string };

/** A booking as the store's hub publishes it after `steps`. */
function booking(
  id: string,
  customerPhone: string,
  startMs: number,
  endMs: number,
  steps: Step[],
): CouchDoc {
  const last = steps.at(-1)!;
  return BookingDocSchema.parse({
    _id: bookingDocId(id),
    type: 'booking',
    storeId: STORE.storeId,
    bookingId: id,
    roomId: 'ma-r1',
    status: last.to,
    start: iso(startMs),
    end: iso(endMs),
    partySize: 2,
    customerId: phoneId(customerPhone),
    totals: { amount: 9600, paid: 9600, refunded: last.to === 'refunded' ? 9600 : 0 },
    lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: 9600, amount: 9600 }],
    history: steps.map((s) => ({
      at: iso(s.at),
      action: s.action,
      from: s.from,
      to: s.to,
      actor: { kind: 'customer', id: 'c' },
      ...(s.reason ? { reason: s.reason } : {}),
    })),
    updatedAt: iso(last.at),
  }) as CouchDoc;
}

async function publish(doc: CouchDoc): Promise<void> {
  const hub = await couch.hub(STORE.storeId);
  const db = storeDbName(STORE.storeId);
  const existing = await hub.get(db, doc._id);
  await hub.put(db, { ...doc, ...(existing?._rev ? { _rev: existing._rev } : {}) });
}

const created = (at: number): Step => ({ action: 'create', from: null, to: 'pending_payment', at });
const paid = (at: number): Step => ({ action: 'pay', from: 'pending_payment', to: 'paid', at });

describe('messages', () => {
  it('tells the customer and the owner of a booking paid, each once, by SMS, in the inbox', async () => {
    const token = await customerToken(CUSTOMER);
    const before = sms.sent.length;
    await publish(
      booking('mb1', CUSTOMER, T0 + 60 * MIN, T0 + 180 * MIN, [created(T0), paid(T0 + MIN)]),
    );
    await service.sweepNow();
    await service.sweepNow();
    await other.sweepNow();

    const inbox = await callApi(service.url, 'GET', '/api/me/messages', undefined, bearer(token));
    expect(inbox.status).toBe(200);
    expect(inbox.json.unread).toBe(1);
    expect(inbox.json.messages[0]).toMatchObject({
      kind: 'booking_confirmed',
      title: '预订成功',
      bookingId: 'mb1',
    });
    expect(inbox.json.messages[0].body).toContain('茶隐Room ma-r1已为你预留 11-23 11:00–13:00');

    const texts = sms.sent.slice(before);
    expect(texts.map((t) => [t.phone, t.templateCode])).toEqual(
      expect.arrayContaining([
        [CUSTOMER, templateCodes.booking_confirmed],
        [OWNER_PHONE, templateCodes.new_booking],
      ]),
    );
    expect(texts).toHaveLength(2);
    expect(sms.lastTo(CUSTOMER)!.text).toMatch(/^【茶隐】茶隐Room ma-r1已为你预留/);

    const owner = await ownerToken();
    const o = await callApi(service.url, 'GET', '/api/owner/messages', undefined, bearer(owner));
    expect(o.json.messages.map((m: { kind: string }) => m.kind)).toContain('new_booking');
    const read = await callApi(
      service.url,
      'POST',
      `/api/me/messages/${encodeURIComponent(inbox.json.messages[0].id)}/read`,
      undefined,
      bearer(token),
    );
    expect(read.json).toEqual({ unread: 0 });
  });

  it('uses a WeChat authorisation once, then falls back to SMS', async () => {
    const phone = '13800000002';
    const token = await customerToken(phone);
    const openid = 'openid-mb2';
    await service.cloud.messages.contacts.seen({ customerId: phoneId(phone), openid });
    // The customer allows the refund template once in the mini-program, and the page says so.
    wechat.authorise(openid, [templateIds.refund_requested]);
    const g = await callApi(
      service.url,
      'POST',
      '/api/me/message-grants',
      { kinds: ['refund_requested'] },
      bearer(token),
    );
    expect(g.status).toBe(200);
    expect(g.json.grants.refund_requested).toBe(1);

    const steps = [
      created(T0),
      paid(T0 + MIN),
      { action: 'request_refund', from: 'paid', to: 'refunding', at: T0 + 2 * MIN },
    ];
    await publish(booking('mb2', phone, T0 + 60 * MIN, T0 + 120 * MIN, steps));
    await service.sweepNow();
    expect(wechat.sent.filter((s) => s.openid === openid)).toHaveLength(1);
    expect(wechat.sent.at(-1)).toMatchObject({
      templateId: templateIds.refund_requested,
      data: { thing1: '退款申请已提交', thing2: '茶隐' },
    });
    // booking_confirmed had no authorisation: SMS.
    expect(sms.sent.filter((s) => s.phone === phone).map((s) => s.templateCode)).toEqual([
      templateCodes.booking_confirmed,
    ]);

    // A second refund request of another booking: the authorisation is used up, SMS takes it.
    await publish(booking('mb3', phone, T0 + 60 * MIN, T0 + 120 * MIN, steps));
    await service.sweepNow();
    expect(wechat.sent.filter((s) => s.openid === openid)).toHaveLength(1);
    expect(sms.sent.filter((s) => s.phone === phone).map((s) => s.templateCode)).toContain(
      templateCodes.refund_requested,
    );

    const bad = await callApi(
      service.url,
      'POST',
      '/api/me/message-grants',
      { kinds: ['new_booking'] },
      bearer(token),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('kinds');
  });

  it('the reminders the customer allowed at payment go by WeChat, one each, then by SMS', async () => {
    const phone = '13800000005';
    const token = await customerToken(phone);
    const openid = 'openid-mb5';
    await service.cloud.messages.contacts.seen({ customerId: phoneId(phone), openid });
    expect((await callApi(service.url, 'GET', '/api/me/message-templates')).status).toBe(401);
    // The mini-program's subscribe page asks for what the cloud names, as the H5 hands over.
    const asked = await callApi(
      service.url,
      'GET',
      '/api/me/message-templates',
      undefined,
      bearer(token),
    );
    expect(asked.status).toBe(200);
    expect(asked.json).toEqual({
      channel: 'wechat',
      templates: [
        { kind: 'reminder_15', templateId: templateIds.reminder_15 },
        { kind: 'reminder_5', templateId: templateIds.reminder_5 },
        { kind: 'maintenance_notice', templateId: templateIds.maintenance_notice },
      ],
    });
    // WeChat records what the customer allowed; the page reports the kinds allowed, once.
    const allowed = (asked.json.templates as { kind: string; templateId: string }[]).filter(
      (x) => x.kind !== 'maintenance_notice',
    );
    wechat.authorise(
      openid,
      allowed.map((x) => x.templateId),
    );
    const g = await callApi(
      service.url,
      'POST',
      '/api/me/message-grants',
      { kinds: allowed.map((x) => x.kind) },
      bearer(token),
    );
    expect(g.status).toBe(200);
    expect(g.json.grants).toMatchObject({ reminder_15: 1, reminder_5: 1 });

    const reminded = async (id: string, startMs: number) => {
      const endMs = startMs + 60 * MIN;
      await publish(
        booking(id, phone, startMs, endMs, [
          created(startMs - 60 * MIN),
          paid(startMs - 59 * MIN),
          { action: 'start', from: 'paid', to: 'in_use', at: startMs },
        ]),
      );
      clock = endMs - 15 * MIN;
      await service.sweepNow();
      clock = endMs - 5 * MIN;
      await service.sweepNow();
    };
    const wechatKinds = () =>
      wechat.sent.filter((x) => x.openid === openid).map((x) => x.templateId);
    const texts = () => sms.sent.filter((x) => x.phone === phone).map((x) => x.templateCode);
    await reminded('mb5', T0 + 60 * MIN);
    expect(wechatKinds()).toEqual([templateIds.reminder_15, templateIds.reminder_5]);
    expect(texts()).not.toContain(templateCodes.reminder_15);
    // The next booking's reminders: each authorisation was one message, so SMS takes them.
    await reminded('mb6', T0 + 180 * MIN);
    expect(wechatKinds()).toHaveLength(2);
    expect(texts()).toEqual(
      expect.arrayContaining([templateCodes.reminder_15, templateCodes.reminder_5]),
    );
    clock = T0;
  });

  it('keeps all but urgent messages for the end of quiet hours, and reminds before the end', async () => {
    const phone = '13800000003';
    await customerToken(phone);
    // 23:00 in Shanghai: within the default quiet hours 22:00-08:00.
    clock = Date.parse('2026-11-23T23:00:00+08:00');
    const start = clock - 30 * MIN;
    const end = clock + 20 * MIN;
    await publish(
      booking('mb4', phone, start, end, [
        created(start - 60 * MIN),
        paid(start - 59 * MIN),
        { action: 'start', from: 'paid', to: 'in_use', at: start },
      ]),
    );
    await service.sweepNow();
    const mine = () => sms.sent.filter((s) => s.phone === phone).map((s) => s.templateCode);
    expect(mine()).toEqual([]);
    // 15 minutes before the end the reminder goes at once, quiet hours or not.
    clock = end - 15 * MIN;
    await service.sweepNow();
    expect(mine()).toEqual([templateCodes.reminder_15]);
    await service.sweepNow();
    clock = end - 4 * MIN;
    await service.sweepNow();
    expect(mine()).toEqual([templateCodes.reminder_15, templateCodes.reminder_5]);
    // At 08:00 the confirmation kept overnight goes.
    clock = Date.parse('2026-11-24T08:00:00+08:00');
    await service.sweepNow();
    expect(mine()).toEqual([
      templateCodes.reminder_15,
      templateCodes.reminder_5,
      templateCodes.booking_confirmed,
    ]);
    clock = T0;
  });

  it('keeps a kind the owner switched off in the inbox, sent to nobody', async () => {
    const phone = '13800000006';
    const token = await customerToken(phone);
    const owner = await ownerToken();
    const settings = (body: Record<string, unknown>) =>
      callApi(
        service.url,
        'PUT',
        `/api/owner/stores/${STORE.storeId}/message-settings`,
        body,
        bearer(owner),
      );
    expect((await settings({ off: ['booking_confirmed'], quietHours: null })).status).toBe(200);
    const before = sms.sent.length;
    await publish(
      booking('mb9', phone, T0 + 60 * MIN, T0 + 120 * MIN, [created(T0), paid(T0 + MIN)]),
    );
    await service.sweepNow();
    await service.sweepNow();
    const inbox = await callApi(service.url, 'GET', '/api/me/messages', undefined, bearer(token));
    expect(inbox.json.messages.map((m: { kind: string }) => m.kind)).toEqual(['booking_confirmed']);
    const texts = sms.sent.slice(before).map((t) => [t.phone, t.templateCode]);
    // The owner's new booking still goes; the customer's switched-off confirmation does not.
    expect(texts).toEqual([[OWNER_PHONE, templateCodes.new_booking]]);
    expect((await settings({ off: [] })).status).toBe(200);
  });

  it('sends a recall offer only to customers who opted in, none while the platform stops marketing texts; a reply of R stops them', async () => {
    const owner = await ownerToken();
    const bad = await callApi(
      service.url,
      'PUT',
      `/api/owner/stores/${STORE.storeId}/message-settings`,
      { quietHours: { from: '25:00', to: '08:00' } },
      bearer(owner),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('HH:MM');
    const notYours = await callApi(
      service.url,
      'PUT',
      '/api/owner/stores/zz/message-settings',
      {},
      bearer(owner),
    );
    expect(notYours.status).toBe(403);
    const put = await callApi(
      service.url,
      'PUT',
      `/api/owner/stores/${STORE.storeId}/message-settings`,
      { winBackDays: 30, winBackOffer: '本周来店 8 折', quietHours: null },
      bearer(owner),
    );
    expect(put.status).toBe(200);

    const [yes, no] = ['13800000004', '13800000005'];
    const yesToken = await customerToken(yes);
    await customerToken(no);
    expect(
      (await callApi(service.url, 'PUT', '/api/me/promotions', { optIn: true }, bearer(yesToken)))
        .json,
    ).toEqual({ optIn: true });
    const hub = await couch.hub(STORE.storeId);
    for (const phone of [yes, no]) {
      await hub.put(
        storeDbName(STORE.storeId),
        MemberDocSchema.parse({
          _id: `member:${phoneId(phone)}`,
          type: 'member',
          storeId: STORE.storeId,
          memberId: phoneId(phone),
          customerId: phoneId(phone),
          level: null,
          privileges: null,
          points: 0,
          totalSpend: 0,
          visits: 3,
          lastVisitAt: iso(T0 - 40 * 86_400_000),
          joinedAt: iso(T0 - 100 * 86_400_000),
          updatedAt: iso(T0),
        }) as CouchDoc,
      );
    }
    // While the platform has marketing texts switched off, nobody is recalled.
    const settings = (marketing: boolean, at: number) => ({
      _id: 'platform:settings',
      type: 'platform_settings',
      settings: {
        ...DEFAULT_PLATFORM_SETTINGS,
        sms: { ...DEFAULT_PLATFORM_SETTINGS.sms, marketing },
      },
      updatedAt: iso(at),
      updatedBy: '13900000000',
    });
    await couch.admin.put(REGISTRY_DB, settings(false, T0));
    clock = Date.parse('2026-11-24T10:00:00+08:00');
    await service.sweepNow();
    expect(sms.lastTo(yes)?.templateCode).not.toBe(templateCodes.win_back);
    const off = await couch.admin.get(REGISTRY_DB, 'platform:settings');
    await couch.admin.put(REGISTRY_DB, { ...settings(true, clock), _rev: off!._rev });
    // Two hours later, past the last hourly look at the store and the settings read before.
    clock = Date.parse('2026-11-24T12:00:00+08:00');
    await service.sweepNow();
    const offer = sms.lastTo(yes);
    expect(offer?.templateCode).toBe(templateCodes.win_back);
    expect(offer?.text).toContain('本周来店 8 折');
    const before = await callApi(
      service.url,
      'GET',
      '/api/me/messages',
      undefined,
      bearer(yesToken),
    );
    expect(before.json.offers).toBe(true);
    expect(sms.lastTo(no)?.templateCode).not.toBe(templateCodes.win_back);
    const noInbox = await callApi(
      service.url,
      'GET',
      '/api/me/messages',
      undefined,
      bearer(await customerToken(no)),
    );
    expect(noInbox.json.messages.map((m: { kind: string }) => m.kind)).toContain('win_back');
    expect(noInbox.json.messages[0].body).toContain('拒收请回复R');

    // The customer replies R; the push with a wrong token is refused.
    await sms.reply(yes, 'R');
    const forged = await callApi(service.url, 'POST', '/api/messages/sms-replies?token=nope', [
      { phone_number: no, content: 'R' },
    ]);
    expect(forged.status).toBe(401);
    const after = await callApi(
      service.url,
      'GET',
      '/api/me/messages',
      undefined,
      bearer(yesToken),
    );
    expect(after.json.offers).toBe(false);
    const contact = await couch.cloud.get('messages', `contact:${phoneId(yes)}`);
    expect(contact).toMatchObject({ promotions: false });
    expect(contact?.unsubscribedAt).toBeTruthy();
    clock = T0;
  });

  it('tells the owner once when the store has not been heard from for longer than set', async () => {
    const hub = await couch.hub(STORE.storeId);
    const db = storeDbName(STORE.storeId);
    const alive = async (atMs: number) => {
      const existing = await hub.get(db, HUB_ALIVE_ID);
      await hub.put(db, {
        ...HubAliveDocSchema.parse({
          _id: HUB_ALIVE_ID,
          type: 'hub_alive',
          storeId: STORE.storeId,
          at: iso(atMs),
        }),
        ...(existing?._rev ? { _rev: existing._rev } : {}),
      });
    };
    const base = Date.parse('2026-11-25T14:00:00+08:00');
    const alerts = () =>
      sms.sent.filter(
        (m) => m.phone === OWNER_PHONE && m.templateCode === templateCodes.store_offline,
      );
    await alive(base);
    clock = base + 20 * MIN;
    await service.sweepNow();
    expect(alerts()).toHaveLength(0);
    clock = base + 31 * MIN;
    await service.sweepNow();
    await other.sweepNow();
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.text).toContain('已有 31 分钟没有连上云端');
    clock = base + 50 * MIN;
    await service.sweepNow();
    expect(alerts()).toHaveLength(1);
    // Back, then silent again: a second silence, a second message.
    await alive(base + 55 * MIN);
    clock = base + 90 * MIN;
    await service.sweepNow();
    expect(alerts()).toHaveLength(2);
    clock = T0;
  });

  it('tells the customer once that the store refused their booking request, with its reason', async () => {
    const phone = '13500000007';
    const customerId = phoneId(phone);
    await service.cloud.messages.contacts.seen({ customerId, phone });
    // The cloud's record of the request (the customer's) and the request in the store's inbox.
    await couch.cloud.put('intents', {
      _id: `intent:${customerId}:ir1`,
      type: 'intent_record',
      intentId: 'ir1',
      storeId: STORE.storeId,
      customerId,
      kind: 'booking_request',
      state: 'waiting',
      createdAt: iso(T0),
      updatedAt: iso(T0),
    });
    await couch.cloud.put(storeInboxDbName(STORE.storeId), {
      _id: intentDocId('ir1'),
      type: 'intent',
      intentId: 'ir1',
      storeId: STORE.storeId,
      customerId,
      createdAt: iso(T0),
      kind: 'booking_request',
      body: {
        booking: {
          roomId: 'ma-r1',
          start: iso(T0 + 60 * MIN),
          end: iso(T0 + 120 * MIN),
          partySize: 2,
          customer: { name: '王', phone },
        },
      },
    });
    // The hub's answer, written again (a replay) and read by both instances.
    const answer = answerDoc(
      'ir1',
      { outcome: 'rejected', reason: 'the room is already booked then' },
      T0 + MIN,
    ) as CouchDoc;
    for (const instance of [service, other, service]) {
      await publish(answer);
      await instance.sweepNow();
    }
    await other.sweepNow();

    const inbox = await service.cloud.messages.inbox(`c:${customerId}`, 100);
    expect(inbox.messages.map((m) => [m.kind, m.title])).toEqual([
      ['booking_refused', '预订未成功'],
    ]);
    expect(inbox.messages[0]!.body).toBe(
      '茶隐没有接下你的预订（Room ma-r1 11-23 11:00 起）：the room is already booked then。',
    );
    const texts = sms.sent.filter((m) => m.phone === phone);
    expect(texts.map((m) => m.templateCode)).toEqual([templateCodes.booking_refused]);
    expect(texts[0]!.text).toContain('the room is already booked then');
  });

  it('tells of an online top-up credited and of a voucher redeemed once each, however replayed', async () => {
    const phone = '13500000008';
    const customerId = phoneId(phone);
    await service.cloud.messages.contacts.seen({ customerId, phone });
    // A top-up the cloud took the money for, and the store's answer crediting it.
    await couch.cloud.put('intents', {
      _id: `intent:${customerId}:tu1`,
      type: 'intent_record',
      intentId: 'tu1',
      storeId: STORE.storeId,
      customerId,
      kind: 'wallet_topup',
      state: 'answered',
      payment: { paymentId: 'pay-tu1', method: 'wechat', amount: 50000, state: 'captured' },
      answer: { outcome: 'confirmed', at: iso(T0 + MIN) },
      createdAt: iso(T0),
      updatedAt: iso(T0 + MIN),
    });
    const credited = answerDoc('tu1', { outcome: 'confirmed' }, T0 + MIN) as CouchDoc;
    // A booking paid by a voucher at the counter: its ledger entry, published after it.
    const vb = booking('vb1', phone, T0 + 60 * MIN, T0 + 120 * MIN, [created(T0), paid(T0 + MIN)]);
    const redeemed = LedgerDocSchema.parse({
      _id: ledgerDocId('vb1', '1'),
      type: 'ledger',
      storeId: STORE.storeId,
      bookingId: 'vb1',
      entryId: '1',
      kind: 'payment',
      method: 'voucher',
      amount: 9600,
      at: iso(T0 + MIN),
    }) as CouchDoc;
    await publish(vb);
    for (const instance of [service, other, service]) {
      await publish(credited);
      await publish(redeemed);
      await instance.sweepNow();
    }
    await Promise.all([service.sweepNow(), other.sweepNow()]);

    const inbox = await service.cloud.messages.inbox(`c:${customerId}`, 100);
    const of = (kind: string) => inbox.messages.filter((m) => m.kind === kind);
    expect(of('topup_done').map((m) => m.body)).toEqual([
      '你在茶隐的充值 ¥500.00 已到账，可在本店预订和点单时使用。',
    ]);
    expect(of('voucher_redeemed').map((m) => m.body)).toEqual([
      '你的团购券已在茶隐核销，抵扣 ¥96.00（Room ma-r1 11-23 11:00–12:00）。',
    ]);
    const owner = await service.cloud.messages.inbox(`o:${OWNER_PHONE}`, 1000);
    expect(
      owner.messages.filter((m) => m.kind === 'store_voucher_redeemed').map((m) => m.body),
    ).toEqual(['茶隐Room ma-r1 11-23 11:00–12:00 的预订核销了一张团购券，抵扣 ¥96.00。']);
    const texts = sms.sent.filter((m) => m.phone === phone).map((m) => m.templateCode);
    expect(texts).toEqual(
      expect.arrayContaining([templateCodes.topup_done, templateCodes.voucher_redeemed]),
    );
    // Each once: plus the booking's own confirmation.
    expect(texts).toHaveLength(3);
    expect(
      sms.sent.filter(
        (m) => m.phone === OWNER_PHONE && m.templateCode === templateCodes.store_voucher_redeemed,
      ),
    ).toHaveLength(1);
  });

  it('makes and sends each message once however the changes are replayed, on two instances', async () => {
    let run = 0;
    const kinds = ['pay', 'extend', 'request_refund', 'reject_refund', 'cancel'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(5), fc.boolean()), { minLength: 1, maxLength: 8 }),
        async (actions, replays) => {
          run += 1;
          const phone = `1370000${String(run).padStart(4, '0')}`;
          // Signed in once by SMS: the cloud knows where to text them.
          await service.cloud.messages.contacts.seen({ customerId: phoneId(phone), phone });
          const id = `mp${run}`;
          const steps: Step[] = [created(T0), paid(T0 + MIN)];
          for (const [i, a] of actions.filter((a) => a !== 'pay').entries()) {
            steps.push({
              action: a,
              from: 'paid',
              to: a === 'cancel' ? 'cancelled' : a === 'request_refund' ? 'refunding' : 'paid',
              at: T0 + (i + 2) * MIN,
            });
          }
          // The booking as published after each step, written again and again in any order.
          const versions = steps.map((_, i) =>
            booking(id, phone, T0 + 300 * MIN, T0 + 400 * MIN, steps.slice(0, i + 1)),
          );
          for (const [v, onOther] of [...replays, [versions.length - 1, false] as const]) {
            await publish(versions[Math.min(v, versions.length - 1)]!);
            await (onOther ? other : service).sweepNow();
          }
          await Promise.all([service.sweepNow(), other.sweepNow()]);
          const inbox = await service.cloud.messages.inbox(`c:${phoneId(phone)}`, 100);
          // One message per event, one text per message.
          const ids = inbox.messages.map((m) => m.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(steps.filter((s) => s.action !== 'create').length);
          const texts = sms.sent.filter((s) => s.phone === phone);
          expect(texts).toHaveLength(ids.length);
        },
      ),
      { numRuns: 8 },
    );
  }, 240_000);

  it('tells of each fall to low stock and each maintenance once however replayed, on two instances', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(5), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 8 }),
        async (falls, customers, liftedLater, replays) => {
          run += 1;
          const itemId = `tea${run}`;
          // The stock document after each fall to the threshold: the item low since that fall.
          const stock = Array.from(
            { length: falls },
            (_, k) =>
              StockLowDocSchema.parse({
                _id: STOCK_LOW_ID,
                type: 'stock_low',
                storeId: STORE.storeId,
                items: [
                  {
                    itemId,
                    name: `龙井${run}`,
                    balance: 1,
                    lowStockAt: 2,
                    since: iso(T0 + k * 60 * MIN),
                  },
                ],
                updatedAt: iso(T0 + k * 60 * MIN),
              }) as CouchDoc,
          );
          const phones = Array.from(
            { length: customers },
            (_, c) => `1360000${String(run * 10 + c).padStart(4, '0')}`,
          );
          for (const phone of phones) {
            await service.cloud.messages.contacts.seen({ customerId: phoneId(phone), phone });
          }
          const mark = (lifted: boolean, k: number) =>
            RoomMaintenanceDocSchema.parse({
              _id: maintenanceDocId(`mt${run}`),
              type: 'room_maintenance',
              storeId: STORE.storeId,
              maintenanceId: `mt${run}`,
              roomId: 'ma-r1',
              start: iso(T0 + 24 * 60 * MIN),
              end: iso(T0 + 30 * 60 * MIN),
              reason: '空调维修',
              lifted,
              bookings: phones.map((phone, c) => ({
                bookingId: `mb${run}-${c}`,
                customerId: phoneId(phone),
                start: iso(T0 + (25 + c) * 60 * MIN),
                end: iso(T0 + (26 + c) * 60 * MIN),
              })),
              updatedAt: iso(T0 + k * MIN),
            }) as CouchDoc;
          const marks = [mark(false, 0), mark(false, 1), ...(liftedLater ? [mark(true, 2)] : [])];
          // Every version once in order, then any of them again, on either instance.
          const inOrder: [number, boolean, boolean][] = [
            ...stock.map((_, k): [number, boolean, boolean] => [k, false, true]),
            ...marks.map((_, k): [number, boolean, boolean] => [k, true, false]),
          ];
          for (const [v, onOther, isStock] of [...inOrder, ...replays]) {
            const versions = isStock ? stock : marks;
            await publish(versions[Math.min(v, versions.length - 1)]!);
            await (onOther ? other : service).sweepNow();
          }
          await Promise.all([service.sweepNow(), other.sweepNow()]);

          const owner = await service.cloud.messages.inbox(`o:${OWNER_PHONE}`, 1000);
          const low = owner.messages.filter(
            (m) => m.kind === 'low_stock' && m.body.includes(`龙井${run}`),
          );
          expect(low).toHaveLength(falls);
          expect(low[0]?.body).toContain('只剩 1 份');
          for (const phone of phones) {
            const inbox = await service.cloud.messages.inbox(`c:${phoneId(phone)}`, 100);
            const notices = inbox.messages.filter((m) => m.kind === 'maintenance_notice');
            expect(notices).toHaveLength(1);
            expect(notices[0]?.body).toContain('维护');
            expect(sms.sent.filter((x) => x.phone === phone)).toHaveLength(1);
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 240_000);
});
