// The cloud's change follower over real HTTP against the embedded CouchDB-compatible server: the
// customer index that lets "my orders" find kiosk bookings, refunds paid once across a restart
// and across two instances, the catalogue re-derived for the one store whose profile changed, and
// the owner's board, orders and revenue read through the store's views.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AvailabilityDocSchema,
  SessionDocSchema,
  answerDoc,
  availabilityDocId,
  customerIdForOpenid,
  formerCustomerIdForPhone,
  intentDocId,
  sessionDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '../src/index';
import { createCouchClient, type CouchClient, type CouchDoc } from '../src/couch';
import { startTestCouch, withCredentialsOf, type TestCouch } from './test-couch';
import {
  bearer,
  bookingFact,
  callApi,
  intentRecord,
  ledgerFact,
  seedStoreDocs,
  type StoreSeed,
  CLOUD_SECRETS,
  CUSTOMER_ID_KEY,
  phoneId,
} from './cloud-fixtures';
import { startDbUpdatesFeed } from '@roomhub/cloud-sync/testing';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const AT = new Date(T0).toISOString();

let clock = T0;
let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService;
const sms = new MemorySmsProvider();
const payments = new SimulatedCloudChannel();

const FA: StoreSeed = {
  storeId: 'fa',
  lat: 31.2304,
  lng: 121.4737,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'fa-r1', style: 'tea', capacity: 4, workday: 5000 }],
};
const FB: StoreSeed = {
  storeId: 'fb',
  lat: 31.2404,
  lng: 121.4837,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'fb-r1', style: 'mahjong', capacity: 4, workday: 7000 }],
};

const start = (couchUrl = couch.cloudUrl) =>
  startCloudService({
    couchUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'follower-test-secret-follower-test-secret',
    sms,
    payments,
    // One WeChat user signing in again and again, each time with a new login code.
    wechat: new SimulatedWechatLogin({
      'wx-dave-2': 'sim-wx-dave-1',
      'wx-dave-3': 'sim-wx-dave-1',
      'wx-dave-4': 'sim-wx-dave-1',
      'wx-frank-2': 'sim-wx-frank-1',
    }),
    clock: { now: () => clock },
    sweepMs: 0,
    log: () => {},
  });

const api = (method: string, url: string, body?: unknown, token?: string) =>
  callApi(service.url, method, url, body, bearer(token));

async function signIn(phone: string): Promise<string> {
  clock += 61_000;
  expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
  const verified = await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) });
  expect(verified.status).toBe(200);
  return verified.json.token as string;
}

const put = (storeId: string, doc: CouchDoc) => db.put(storeDbName(storeId), doc);
const ids = (list: { bookingId: string }[]) => list.map((b) => b.bookingId).sort();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-follower-'));
  couch = await startTestCouch(root);
  // Every write as its real writer makes it: facts as the store's hub, the rest as the cloud.
  db = couch.writers;
  await seedStoreDocs(db, FA, T0 - 3_600_000);
  await seedStoreDocs(db, FB, T0 - 3_600_000);
  service = await start();
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('my orders through the customer index', () => {
  it("shows a customer a booking made only at a store's kiosk, and never another customer's", async () => {
    const alice = '13700000001';
    const bob = '13700000002';
    const booking = (bookingId: string, customerId?: string) =>
      bookingFact({
        storeId: 'fb',
        bookingId,
        roomId: 'fb-r1',
        start: '2026-11-24T14:00:00+08:00',
        end: '2026-11-24T16:00:00+08:00',
        amount: 14000,
        at: AT,
        ...(customerId ? { customerId } : {}),
      });
    // As the hub publishes them: no intent, just the customer id derived from the phone.
    await put('fb', booking('kiosk-a', phoneId(alice)));
    await put('fb', booking('kiosk-b', phoneId(bob)));
    await put('fb', booking('kiosk-anon'));
    await put(
      'fb',
      ledgerFact({
        storeId: 'fb',
        bookingId: 'kiosk-a',
        entryId: 'pay1',
        kind: 'payment',
        method: 'cash',
        amount: 14000,
        at: AT,
      }),
    );
    const aliceToken = await signIn(alice);
    const bobToken = await signIn(bob);

    const swept = await service.sweepNow();
    expect(swept.changes).toBeGreaterThanOrEqual(4);
    expect(await db.byPrefix(CLOUD_DBS.customers, `customer:${phoneId(alice)}:`)).toEqual([
      expect.objectContaining({ customerId: phoneId(alice), storeId: 'fb' }),
    ]);

    const mine = await api('GET', '/api/orders', undefined, aliceToken);
    expect(mine.status).toBe(200);
    expect(ids(mine.json.orders)).toEqual(['kiosk-a']);
    const detail = await api('GET', '/api/orders/kiosk-a', undefined, aliceToken);
    expect(detail.status).toBe(200);
    expect(detail.json.booking).toMatchObject({ bookingId: 'kiosk-a', storeId: 'fb' });
    expect(detail.json.ledger).toMatchObject([{ kind: 'payment', amount: 14000 }]);
    expect((await api('GET', '/api/orders/kiosk-b', undefined, aliceToken)).status).toBe(404);
    expect((await api('GET', '/api/orders/kiosk-anon', undefined, aliceToken)).status).toBe(404);
    // The phone typed at the kiosk is unverified: seen online, but the door stays with the store.
    const door = await api('POST', '/api/orders/kiosk-a/door', {}, aliceToken);
    expect(door.status).toBe(409);
    expect(door.json.error).toMatchObject({ code: 'booked_at_store' });

    expect(ids((await api('GET', '/api/orders', undefined, bobToken)).json.orders)).toEqual([
      'kiosk-b',
    ]);
    expect((await api('GET', '/api/orders/kiosk-a', undefined, bobToken)).status).toBe(404);
    // A repeated pass adds no pair twice.
    await put('fb', { ...booking('kiosk-a2', phoneId(alice)) });
    await service.sweepNow();
    expect(await db.byPrefix(CLOUD_DBS.customers, `customer:${phoneId(alice)}:`)).toHaveLength(1);
    expect(ids((await api('GET', '/api/orders', undefined, aliceToken)).json.orders)).toEqual([
      'kiosk-a',
      'kiosk-a2',
    ]);
  });
});

describe('customer ids from before they were keyed', () => {
  it('still show the customer their earlier bookings, and ask about them under the id they carry', async () => {
    const carol = '13700000003';
    const former = formerCustomerIdForPhone(carol);
    const booked = (bookingId: string, customerId: string) =>
      bookingFact({
        storeId: 'fb',
        bookingId,
        roomId: 'fb-r1',
        start: '2026-11-25T14:00:00+08:00',
        end: '2026-11-25T16:00:00+08:00',
        amount: 14000,
        customerId,
        intentId: `i-${bookingId}`,
        at: AT,
      });
    await put('fb', booked('before-keys', former));
    await put('fb', booked('after-keys', phoneId(carol)));
    await service.sweepNow();
    const token = await signIn(carol);
    const mine = await api('GET', '/api/orders', undefined, token);
    expect(ids(mine.json.orders)).toEqual(['after-keys', 'before-keys']);
    const door = await api('POST', '/api/orders/before-keys/door', {}, token);
    expect(door.status).toBe(202); // no hub answers here
    // The hub knows that booking's customer by the id it carries: the intent names that one.
    const intent = await db.get(storeInboxDbName('fb'), intentDocId(door.json.intentId));
    expect(intent).toMatchObject({ kind: 'door_open', customerId: former });
    const seen = await api('GET', `/api/intents/${door.json.intentId}`, undefined, token);
    expect(seen.json).toMatchObject({ kind: 'door_open', state: 'waiting' });
    // Someone else's former id is not theirs.
    await put('fb', booked('someone-before', formerCustomerIdForPhone('13700000004')));
    await service.sweepNow();
    expect((await api('GET', '/api/orders/someone-before', undefined, token)).status).toBe(404);
  });
});

describe('a WeChat customer who links a phone', () => {
  it('is that phone’s customer from then on, at every WeChat sign-in, with what they booked before', async () => {
    const dave = '13700000005';
    const wechatId = customerIdForOpenid('sim-wx-dave-1', CUSTOMER_ID_KEY);
    const booked = (bookingId: string, customerId: string) =>
      bookingFact({
        storeId: 'fb',
        bookingId,
        roomId: 'fb-r1',
        start: '2026-11-20T14:00:00+08:00',
        end: '2026-11-20T16:00:00+08:00',
        amount: 14000,
        customerId,
        status: 'completed',
        at: AT,
      });
    const wechat = await api('POST', '/api/auth/wechat', { code: 'wx-dave-1' });
    expect(wechat.json.customerId).toBe(wechatId);
    const asWechat = wechat.json.token as string;
    await api('PUT', '/api/me/profile', { name: '大卫', preferences: {} }, asWechat);
    // Without a phone, what the stores keep by phone is refused in words naming what to do.
    const code = await api('POST', '/api/me/member-code', { storeId: 'fb' }, asWechat);
    expect(code.status).toBe(422);
    expect(code.json.error).toMatchObject({ code: 'phone_not_linked', field: 'phone' });
    await put('fb', booked('by-wechat', wechatId));
    await put('fb', booked('at-kiosk', phoneId(dave)));
    await service.sweepNow();

    // A code texted for signing in links nothing, nor does a wrong one.
    clock += 61_000;
    expect((await api('POST', '/api/auth/sms/send', { phone: dave })).status).toBe(202);
    const signInCode = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: dave, code: sms.lastCode(dave) },
      asWechat,
    );
    expect(signInCode.status).toBe(422);
    expect(signInCode.json.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    clock += 61_000;
    const linkSend = await api('POST', '/api/auth/sms/send', {
      phone: dave,
      purpose: 'link_wechat',
    });
    expect(linkSend.status).toBe(202);
    // Its text says what it is for.
    expect(sms.sent.at(-1)?.text).toContain('绑定到本手机号');
    const wrong = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: dave, code: '000000' },
      asWechat,
    );
    // Refused as a wrong code, not as signed out: the customer stays signed in with WeChat.
    expect(wrong.status).toBe(422);
    expect(wrong.json.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    expect((await api('GET', '/api/me/profile', undefined, asWechat)).json.phone).toBeUndefined();
    const linked = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: dave, code: sms.lastCode(dave) },
      asWechat,
    );
    expect(linked.status).toBe(200);
    expect(linked.json.customerId).toBe(phoneId(dave));
    const asDave = linked.json.token as string;
    // The phone's customer: the kiosk's booking and the one made under WeChat, the profile kept.
    expect(ids((await api('GET', '/api/orders', undefined, asDave)).json.orders)).toEqual([
      'at-kiosk',
      'by-wechat',
    ]);
    expect((await api('GET', '/api/orders/by-wechat', undefined, asDave)).status).toBe(200);
    expect((await api('GET', '/api/me/profile', undefined, asDave)).json).toMatchObject({
      name: '大卫',
      phone: '137****0005',
      customerId: phoneId(dave),
    });
    const memberCode = await api('POST', '/api/me/member-code', { storeId: 'fb' }, asDave);
    expect(memberCode.status).toBe(201);

    // The next WeChat sign-in of the same WeChat user is the phone's customer at once.
    const again = await api('POST', '/api/auth/wechat', { code: 'wx-dave-2' });
    expect(again.json.customerId).toBe(phoneId(dave));
    expect(ids((await api('GET', '/api/orders', undefined, again.json.token)).json.orders)).toEqual(
      ['at-kiosk', 'by-wechat'],
    );
    // A customer signed in with their phone has nothing to link.
    const byPhone = await signIn(dave);
    const erin = '13700000006';
    clock += 61_000;
    await api('POST', '/api/auth/sms/send', { phone: erin });
    const nothing = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: erin, code: sms.lastCode(erin) },
      byPhone,
    );
    expect(nothing.status).toBe(409);
    expect(nothing.json.error).toMatchObject({ code: 'phone_known' });

    // The WeChat user links another phone they prove: that phone's customer from then on, and
    // deleting the first phone's account leaves the new link alone.
    clock += 61_000;
    await api('POST', '/api/auth/sms/send', { phone: erin, purpose: 'link_wechat' });
    const relinked = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: erin, code: sms.lastCode(erin) },
      again.json.token,
    );
    expect(relinked.json.customerId).toBe(phoneId(erin));
    expect((await db.byPrefix(CLOUD_DBS.customers, 'linked-wechat:')).map((d) => d._id)).toEqual([
      `linked-wechat:${phoneId(erin)}:${wechatId}`,
    ]);
    const deleted = await api('POST', '/api/me/deletion', { confirm: '注销' }, byPhone);
    expect(deleted.status).toBe(200);
    const stillErin = await api('POST', '/api/auth/wechat', { code: 'wx-dave-3' });
    expect(stillErin.json.customerId).toBe(phoneId(erin));

    // Deleting the account of the phone it links to undoes the link: WeChat signs in as itself.
    const gone = await api('POST', '/api/me/deletion', { confirm: '注销' }, await signIn(erin));
    expect(gone.status).toBe(200);
    expect(await db.byPrefix(CLOUD_DBS.customers, 'phone-link:')).toEqual([]);
    expect(await db.byPrefix(CLOUD_DBS.customers, 'linked-wechat:')).toEqual([]);
    const after = await api('POST', '/api/auth/wechat', { code: 'wx-dave-4' });
    expect(after.json.customerId).toBe(wechatId);
  });

  it('is seen by the phone’s holder, who may remove it: WeChat then signs in as itself', async () => {
    // A number that changed hands: the former holder's WeChat still signs in as the phone.
    const frank = '13700000007';
    const wechatId = customerIdForOpenid('sim-wx-frank-1', CUSTOMER_ID_KEY);
    const wechat = await api('POST', '/api/auth/wechat', { code: 'wx-frank-1' });
    clock += 61_000;
    await api('POST', '/api/auth/sms/send', { phone: frank, purpose: 'link_wechat' });
    const linked = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: frank, code: sms.lastCode(frank) },
      wechat.json.token,
    );
    expect(linked.json.customerId).toBe(phoneId(frank));
    const asWechat = linked.json.token as string;

    // The new holder signs in with the phone and sees the link; the WeChat session sees itself.
    const holder = await signIn(frank);
    const seen = await api('GET', '/api/me/wechat-links', undefined, holder);
    expect(seen.json).toEqual([{ wechatId, linkedAt: expect.any(String), current: false }]);
    expect((await api('GET', '/api/me/wechat-links', undefined, asWechat)).json).toEqual([
      { wechatId, linkedAt: expect.any(String), current: true },
    ]);
    expect((await api('GET', '/api/me/data', undefined, holder)).json.wechatLinks).toHaveLength(1);
    // A second WeChat account linked to the phone: the first, signed in through its link, may
    // not remove it (that needs the phone's own code), only its own link.
    const second = await api('POST', '/api/auth/wechat', { code: 'wx-frank-b' });
    clock += 61_000;
    await api('POST', '/api/auth/sms/send', { phone: frank, purpose: 'link_wechat' });
    const secondLinked = await api(
      'POST',
      '/api/auth/phone-link',
      { phone: frank, code: sms.lastCode(frank) },
      second.json.token,
    );
    expect(secondLinked.status).toBe(200);
    const secondId = customerIdForOpenid('sim-wx-frank-b', CUSTOMER_ID_KEY);
    const notYours = await api('DELETE', `/api/me/wechat-links/${secondId}`, undefined, asWechat);
    expect(notYours.status).toBe(403);
    expect(notYours.json.error.code).toBe('phone_proof_needed');
    const byHolder = await api('DELETE', `/api/me/wechat-links/${secondId}`, undefined, holder);
    expect(byHolder.json).toEqual([{ wechatId, linkedAt: expect.any(String), current: false }]);
    // Nobody else removes it, nor a WeChat customer without a phone.
    const stranger = await signIn('13700000008');
    const theirs = await api('DELETE', `/api/me/wechat-links/${wechatId}`, undefined, stranger);
    expect(theirs.status).toBe(404);
    expect(theirs.json.error).toMatchObject({ code: 'wechat_link_not_found', field: 'wechatId' });
    const loose = (await api('POST', '/api/auth/wechat', { code: 'wx-loose-1' })).json.token;
    expect((await api('GET', '/api/me/wechat-links', undefined, loose)).json).toEqual([]);
    expect((await api('GET', '/api/me/wechat-links', undefined, asWechat)).status).toBe(200);

    const removed = await api('DELETE', `/api/me/wechat-links/${wechatId}`, undefined, holder);
    expect(removed.status).toBe(200);
    expect(removed.json).toEqual([]);
    // The WeChat session as the phone ends at once; WeChat signs in as itself again.
    const ended = await api('GET', '/api/orders', undefined, asWechat);
    expect(ended.status).toBe(401);
    expect(ended.json.error.code).toBe('phone_unlinked');
    const itself = await api('POST', '/api/auth/wechat', { code: 'wx-frank-2' });
    expect(itself.json.customerId).toBe(wechatId);
    expect((await api('GET', '/api/me/wechat-links', undefined, holder)).json).toEqual([]);
    const twice = await api('DELETE', `/api/me/wechat-links/${wechatId}`, undefined, holder);
    expect(twice.status).toBe(404);
  });
});

describe('refunds from the change feed', () => {
  /** A payment the cloud took for a booking request of store `fa` the store confirmed. */
  const captured = async (paymentId: string, amount: number, bookingId = 'online-1') => {
    await payments.authorise({ paymentId, amount });
    await payments.capture(paymentId);
    await db.put(
      CLOUD_DBS.intents,
      intentRecord({
        storeId: 'fa',
        intentId: `i-${paymentId}`,
        bookingId,
        paymentId,
        amount,
        payment: 'captured',
        at: AT,
      }),
    );
  };
  const refund = (
    entryId: string,
    paymentRef: string,
    amount: number,
    f: { storeId?: string; bookingId?: string } = {},
  ) =>
    ledgerFact({
      storeId: f.storeId ?? 'fa',
      bookingId: f.bookingId ?? 'online-1',
      entryId,
      kind: 'refund',
      method: 'cloud',
      amount: -amount,
      paymentRef,
      at: AT,
    });

  it('pays a refund recorded while the service was down exactly once, resuming from its checkpoint', async () => {
    await captured('pay-r1', 9000);
    await put(
      'fa',
      bookingFact({
        storeId: 'fa',
        bookingId: 'online-1',
        roomId: 'fa-r1',
        start: '2026-11-24T14:00:00+08:00',
        end: '2026-11-24T16:00:00+08:00',
        amount: 9000,
        at: AT,
      }),
    );
    expect((await service.sweepNow()).refunded).toBe(0);
    await service.close();

    await put('fa', refund('rf1', 'pay-r1', 9000));

    service = await start();
    const first = await service.sweepNow();
    // Only what was written while it was down is read again.
    expect(first).toMatchObject({ refunded: 1, changes: 1 });
    expect(payments.refunds.get('fa-rf1')).toEqual({ paymentId: 'pay-r1', amount: 9000 });
    expect(await db.get(CLOUD_DBS.intents, 'refund-paid:fa:rf1')).toMatchObject({ amount: 9000 });
    expect(await service.sweepNow()).toMatchObject({ refunded: 0, changes: 0 });
    expect(payments.refunds.size).toBe(1);
  });

  it('pays once when two cloud instances follow the same refund at the same moment', async () => {
    await captured('pay-r2', 4000);
    await put('fa', refund('rf2', 'pay-r2', 4000));
    const other = await start();
    try {
      const [a, b] = await Promise.all([service.sweepNow(), other.sweepNow()]);
      expect(a.refunded + b.refunded).toBe(1);
      expect(payments.refunds.get('fa-rf2')).toEqual({ paymentId: 'pay-r2', amount: 4000 });
      expect(payments.refunds.size).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('keeps a refund the channel refuses and pays it once it can', async () => {
    await captured('pay-r3', 3000);
    // The channel has lost the capture (a gateway's own hiccup): it refuses, the follower moves on.
    payments.payments.get('pay-r3')!.state = 'authorised';
    await put('fa', refund('rf3', 'pay-r3', 3000));
    expect(await service.sweepNow()).toMatchObject({ refunded: 0, changes: 1 });
    expect(await db.byPrefix(CLOUD_DBS.intents, 'refund-due:')).toHaveLength(1);
    await payments.capture('pay-r3');
    expect((await service.sweepNow()).refunded).toBe(1);
    expect(await db.byPrefix(CLOUD_DBS.intents, 'refund-due:')).toEqual([]);
    expect((await service.sweepNow()).refunded).toBe(0);
    expect(payments.refunds.get('fa-rf3')).toEqual({ paymentId: 'pay-r3', amount: 3000 });
  });

  it('settles without paying a refund of a payment that was released before it was taken', async () => {
    // A confirmation that came after its request expired: the hold was given back, the hub
    // booked, then cancelled that booking and recorded the refund of the cloud's payment.
    await payments.authorise({ paymentId: 'pay-r4', amount: 2500 });
    await payments.release('pay-r4');
    await db.put(
      CLOUD_DBS.intents,
      intentRecord({
        storeId: 'fa',
        intentId: 'i-pay-r4',
        bookingId: 'online-1',
        paymentId: 'pay-r4',
        amount: 2500,
        payment: 'released',
        late: true,
        at: AT,
      }),
    );
    await put('fa', refund('rf4', 'pay-r4', 2500));
    expect(await service.sweepNow()).toMatchObject({ refunded: 0, changes: 1 });
    expect(await db.get(CLOUD_DBS.intents, 'refund-paid:fa:rf4')).toMatchObject({
      settledBy: 'released',
      amount: 2500,
    });
    expect(await db.byPrefix(CLOUD_DBS.intents, 'refund-due:')).toEqual([]);
    expect(payments.refunds.has('fa-rf4')).toBe(false);
    expect((await service.sweepNow()).refunded).toBe(0);
  });

  it('pays nothing for a refund fact that does not match a payment it took for that booking and store', async () => {
    await captured('pay-r5', 5000, 'online-5');
    // Forged facts: another booking of the store, another store's database, a payment the
    // cloud never took, and more than was captured.
    await put('fa', refund('rf5a', 'pay-r5', 5000, { bookingId: 'someone-else' }));
    await put('fb', refund('rf5b', 'pay-r5', 5000, { storeId: 'fb', bookingId: 'online-5' }));
    await put('fa', refund('rf5c', 'pay-made-up', 5000, { bookingId: 'online-5' }));
    await put('fa', refund('rf5d', 'pay-r5', 5001, { bookingId: 'online-5' }));
    expect((await service.sweepNow()).refunded).toBe(0);
    expect([...payments.refunds.values()].filter((r) => r.paymentId === 'pay-r5')).toEqual([]);
    const refused = await db.byPrefix(CLOUD_DBS.intents, 'refund-refused:');
    expect(refused.map((d) => d._id).sort()).toEqual([
      'refund-refused:fa:rf5a',
      'refund-refused:fa:rf5c',
      'refund-refused:fa:rf5d',
      'refund-refused:fb:rf5b',
    ]);
    // Never retried: none is kept as due.
    expect(await db.byPrefix(CLOUD_DBS.intents, 'refund-due:')).toEqual([]);

    // The store's own partial refunds are paid up to what was taken; a copy of one is not.
    await put('fa', refund('rf5e', 'pay-r5', 3000, { bookingId: 'online-5' }));
    await put('fa', refund('rf5f', 'pay-r5', 2000, { bookingId: 'online-5' }));
    expect((await service.sweepNow()).refunded).toBe(2);
    await put('fa', refund('rf5g', 'pay-r5', 2000, { bookingId: 'online-5' }));
    expect((await service.sweepNow()).refunded).toBe(0);
    expect(await db.get(CLOUD_DBS.intents, 'refund-refused:fa:rf5g')).toMatchObject({
      reason: expect.stringContaining('more than is left'),
    });
    expect(await db.get(CLOUD_DBS.intents, 'refunded:pay-r5')).toMatchObject({
      captured: 5000,
      entries: { 'fa:rf5e': 3000, 'fa:rf5f': 2000 },
    });
  });

  it('pays at most what was taken when two instances pay two refunds of one payment at once', async () => {
    await captured('pay-r6', 4000, 'online-6');
    await put('fa', refund('rf6a', 'pay-r6', 3000, { bookingId: 'online-6' }));
    await put('fa', refund('rf6b', 'pay-r6', 3000, { bookingId: 'online-6' }));
    const other = await start();
    try {
      const [a, b] = await Promise.all([service.sweepNow(), other.sweepNow()]);
      expect(a.refunded + b.refunded).toBe(1);
      const paid = [...payments.refunds.values()].filter((r) => r.paymentId === 'pay-r6');
      expect(paid).toEqual([{ paymentId: 'pay-r6', amount: 3000 }]);
    } finally {
      await other.close();
    }
  });
});

describe('reviews on the room page', () => {
  it('lists a review once the hub accepts it, never one it rejected, and each once', async () => {
    await put(
      'fa',
      bookingFact({
        storeId: 'fa',
        bookingId: 'visit-1',
        roomId: 'fa-r1',
        start: '2026-11-20T14:00:00+08:00',
        end: '2026-11-20T16:00:00+08:00',
        amount: 5000,
        status: 'completed',
        at: AT,
      }),
    );
    const review = (intentId: string, service: number, text: string) => ({
      _id: intentDocId(intentId),
      type: 'intent',
      intentId,
      storeId: 'fa',
      customerId: phoneId('13600000001'),
      createdAt: AT,
      kind: 'review',
      body: {
        bookingId: 'visit-1',
        ratings: { environment: 5, facilities: 4, teaSnacks: 4, service },
        text,
      },
    });
    // Read before any review: the room page's summary must still follow the reviews listed later.
    expect((await api('GET', '/api/stores/fa/rooms/fa-r1/reviews')).json.count).toBe(0);
    await db.put(storeInboxDbName('fa'), review('rv-ok', 2, '服务一般'));
    await db.put(storeInboxDbName('fa'), review('rv-no', 5, 'not mine to review'));
    await put(
      'fa',
      answerDoc('rv-no', { outcome: 'rejected', reason: 'not yours' }, T0) as CouchDoc,
    );
    await put('fa', answerDoc('rv-ok', { outcome: 'done', bookingId: 'visit-1' }, T0) as CouchDoc);
    await service.sweepNow();
    await service.sweepNow();
    const page = (await api('GET', '/api/stores/fa/rooms/fa-r1/reviews')).json;
    expect(page).toMatchObject({ count: 1, average: { service: 2 } });
    expect(page.reviews).toEqual([
      {
        ratings: { environment: 5, facilities: 4, teaSnacks: 4, service: 2 },
        text: '服务一般',
        // Read in the store's zone.
        at: '2026-11-23T10:00:00+08:00',
      },
    ]);
    expect((await api('GET', '/api/stores/fa/rooms/fa-r2/reviews')).json.count).toBe(0);

    // A second review, later: counted in the averages and listed first.
    await db.put(storeInboxDbName('fa'), {
      ...review('rv-two', 5, ''),
      createdAt: '2026-11-24T02:00:00.000Z',
    });
    await put('fa', answerDoc('rv-two', { outcome: 'done', bookingId: 'visit-1' }, T0) as CouchDoc);
    await service.sweepNow();
    await service.sweepNow();
    const again = (await api('GET', '/api/stores/fa/rooms/fa-r1/reviews')).json;
    expect(again).toMatchObject({
      count: 2,
      average: { environment: 5, facilities: 4, teaSnacks: 4, service: 3.5 },
    });
    expect(again.reviews.map((r: { at: string }) => r.at)).toEqual([
      '2026-11-24T10:00:00+08:00',
      '2026-11-23T10:00:00+08:00',
    ]);
  });
});

describe('the catalogue from the change feed', () => {
  const listed = async () =>
    (await api('GET', '/api/stores')).json.stores as {
      storeId: string;
      name: string;
      fromPricePerHour: number;
    }[];

  it('re-derives only the store whose profile changed, and lists a new store', async () => {
    await service.sweepNow();
    expect((await listed()).map((s) => s.storeId)).toEqual(['fa', 'fb']);

    await seedStoreDocs(
      db,
      { ...FA, name: 'Store FA renamed', rooms: [{ ...FA.rooms[0]!, workday: 5500 }] },
      T0,
    );
    expect((await service.sweepNow()).catalogued).toEqual(['fa']);
    expect((await listed()).find((s) => s.storeId === 'fa')).toMatchObject({
      name: 'Store FA renamed',
      fromPricePerHour: 5500,
    });
    expect((await service.sweepNow()).catalogued).toEqual([]);

    await seedStoreDocs(
      db,
      {
        ...FB,
        storeId: 'fc',
        rooms: [{ roomId: 'fc-r1', style: 'tea', capacity: 2, workday: 3000 }],
      },
      T0,
    );
    expect((await service.sweepNow()).catalogued).toEqual(['fc']);
    expect((await listed()).map((s) => s.storeId).sort()).toEqual(['fa', 'fb', 'fc']);

    // A full re-derive takes each provisioned store once (its inbox is no store).
    expect(await service.refreshCatalogue()).toBe(3);
  });
});

describe("the owner's views", () => {
  const FO: StoreSeed = {
    storeId: 'fo',
    lat: 31.2,
    lng: 121.4,
    hours: { open: '00:00', close: '24:00' },
    rooms: [
      { roomId: 'fo-r1', style: 'tea', capacity: 4, workday: 5000 },
      { roomId: 'fo-r2', style: 'tea', capacity: 4, workday: 5000 },
    ],
  };

  it('reads the day board, dated and status orders and revenue ranges by local day', async () => {
    await seedStoreDocs(db, FO, T0);
    const facts: [string, string, string, 'paid' | 'completed', number][] = [
      ['b-prev', 'fo-r1', '2026-11-23T23:59:00+08:00', 'completed', 1000],
      ['b-early', 'fo-r1', '2026-11-24T00:30:00+08:00', 'paid', 2000],
      ['b-utc', 'fo-r2', '2026-11-24T03:00:00.000Z', 'paid', 4000],
      ['b-late', 'fo-r2', '2026-11-24T23:30:00+08:00', 'completed', 8000],
      ['b-next', 'fo-r1', '2026-11-25T00:00:00+08:00', 'paid', 16000],
    ];
    for (const [bookingId, roomId, startAt, status, amount] of facts) {
      const end = new Date(Date.parse(startAt) + 3_600_000).toISOString();
      await put(
        'fo',
        bookingFact({
          storeId: 'fo',
          bookingId,
          roomId,
          start: startAt,
          end,
          amount,
          status,
          at: AT,
        }),
      );
      await put(
        'fo',
        ledgerFact({
          storeId: 'fo',
          bookingId,
          entryId: 'pay1',
          kind: 'payment',
          method: bookingId === 'b-utc' ? 'wechat' : 'cash',
          amount,
          at: startAt,
        }),
      );
    }
    await put(
      'fo',
      ledgerFact({
        storeId: 'fo',
        bookingId: 'b-early',
        entryId: 'refund1',
        kind: 'refund',
        method: 'cash',
        amount: -500,
        at: '2026-11-24T12:00:00+08:00',
      }),
    );
    await put(
      'fo',
      SessionDocSchema.parse({
        _id: sessionDocId('b-utc'),
        type: 'session',
        storeId: 'fo',
        bookingId: 'b-utc',
        roomId: 'fo-r2',
        status: 'active',
        start: '2026-11-24T03:00:00.000Z',
        end: '2026-11-24T04:00:00.000Z',
        startedAt: '2026-11-24T03:00:00.000Z',
        endedAt: null,
        doorOpens: [],
        updatedAt: '2026-11-24T03:00:00.000Z',
      }) as CouchDoc,
    );
    await put(
      'fo',
      AvailabilityDocSchema.parse({
        _id: availabilityDocId('fo-r1', '2026-11-24'),
        type: 'availability',
        storeId: 'fo',
        roomId: 'fo-r1',
        date: '2026-11-24',
        segments: [
          { start: '2026-11-23T16:30:00.000Z', end: '2026-11-23T17:30:00.000Z', state: 'booked' },
        ],
        updatedAt: AT,
      }) as CouchDoc,
    );
    await putOwnerAccount(db, {
      username: 'owner-fo',
      password: 'correct horse',
      storeIds: ['fo'],
    });
    const token = (
      await api('POST', '/api/owner/login', { username: 'owner-fo', password: 'correct horse' })
    ).json.token as string;
    const get = async (url: string) => (await api('GET', url, undefined, token)).json;

    const board = await get('/api/owner/stores/fo/board?date=2026-11-24');
    const room = (id: string) => board.rooms.find((r: { roomId: string }) => r.roomId === id);
    expect(ids(room('fo-r1').bookings)).toEqual(['b-early']);
    expect(ids(room('fo-r2').bookings)).toEqual(['b-late', 'b-utc']);
    // Its one booked stretch, with the free ones around it.
    expect(room('fo-r1').segments.map((s: { state: string }) => s.state)).toEqual([
      'free',
      'booked',
      'free',
    ]);
    expect(room('fo-r1').session).toBeNull();
    expect(room('fo-r2').session).toMatchObject({ bookingId: 'b-utc', status: 'active' });

    expect(ids((await get('/api/owner/stores/fo/orders?date=2026-11-24')).orders)).toEqual([
      'b-early',
      'b-late',
      'b-utc',
    ]);
    expect(ids((await get('/api/owner/stores/fo/orders?status=completed')).orders)).toEqual([
      'b-late',
      'b-prev',
    ]);
    expect(
      ids((await get('/api/owner/stores/fo/orders?date=2026-11-24&status=paid')).orders),
    ).toEqual(['b-early', 'b-utc']);
    const all = (await get('/api/owner/stores/fo/orders')).orders as { start: string }[];
    expect(all).toHaveLength(5);
    // Page by page, newest start first, each order once.
    const pages: string[][] = [];
    let url = '/api/owner/stores/fo/orders?limit=2';
    for (;;) {
      const page = await get(url);
      pages.push((page.orders as { bookingId: string }[]).map((o) => o.bookingId));
      if (!page.next) break;
      url = `/api/owner/stores/fo/orders?limit=2&before=${encodeURIComponent(page.next)}`;
    }
    expect(pages).toEqual([['b-next', 'b-late'], ['b-utc', 'b-early'], ['b-prev']]);
    // Two rooms booked for the same start: a page boundary between them loses neither.
    for (const [bookingId, roomId] of [
      ['b.tie1', 'fo-r1'],
      ['b.tie2', 'fo-r2'],
    ] as const) {
      await put(
        'fo',
        bookingFact({
          storeId: 'fo',
          bookingId,
          roomId,
          start: '2026-12-01T14:00:00+08:00',
          end: '2026-12-01T15:00:00+08:00',
          amount: 3000,
          at: AT,
        }),
      );
    }
    const first = await get('/api/owner/stores/fo/orders?limit=1');
    const second = await get(
      `/api/owner/stores/fo/orders?limit=1&before=${encodeURIComponent(first.next)}`,
    );
    const third = await get(
      `/api/owner/stores/fo/orders?limit=1&before=${encodeURIComponent(second.next)}`,
    );
    expect([first, second, third].map((p) => p.orders[0].bookingId)).toEqual([
      'b.tie2',
      'b.tie1',
      'b-next',
    ]);
    const bad = await api('GET', '/api/owner/stores/fo/orders?limit=0&before=x', undefined, token);
    expect(bad.status).toBe(400);
    const forged = Buffer.from(JSON.stringify(['not a time', 'b-late'])).toString('base64url');
    const refused = await api(
      'GET',
      `/api/owner/stores/fo/orders?before=${forged}`,
      undefined,
      token,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error.field).toBe('before');

    expect(await get('/api/owner/stores/fo/revenue?from=2026-11-24&to=2026-11-24')).toMatchObject({
      net: 2000 + 4000 + 8000 - 500,
      byMethod: { cash: 2000 + 8000 - 500, wechat: 4000 },
      days: [{ date: '2026-11-24', payments: 14000, refunds: -500, adjustments: 0, net: 13500 }],
    });
    const range = await get('/api/owner/stores/fo/revenue?from=2026-11-23&to=2026-11-25');
    expect(range.net).toBe(1000 + 2000 + 4000 + 8000 + 16000 - 500);
    expect(range.days.map((d: { date: string }) => d.date)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
    ]);

    // A booking written after the views were first read shows up on the next read.
    await put(
      'fo',
      bookingFact({
        storeId: 'fo',
        bookingId: 'b-new',
        roomId: 'fo-r1',
        start: '2026-11-24T20:00:00+08:00',
        end: '2026-11-24T21:00:00+08:00',
        amount: 100,
        at: AT,
      }),
    );
    const again = await get('/api/owner/stores/fo/board?date=2026-11-24');
    expect(ids(again.rooms.find((r: { roomId: string }) => r.roomId === 'fo-r1').bookings)).toEqual(
      ['b-early', 'b-new'],
    );

    const sync = await get('/api/owner/stores/fo/sync');
    // In the store's zone, as the hub gives its times.
    expect(sync.latest).toMatchObject({
      ledger: '2026-11-25T00:00:00+08:00',
      sessions: '2026-11-24T11:00:00+08:00',
      bookings: '2026-11-23T10:00:00+08:00',
    });
    expect(sync).toMatchObject({ unansweredIntents: 0, oldestUnansweredAt: null });
  });
});

describe('a page of changes at once', () => {
  it("writes every customer's pair once and makes every booking's message once, read again or not", async () => {
    await service.sweepNow();
    const phones = ['13700000031', '13700000032', '13700000033', '13700000034'];
    const customers = phones.map((phone) => phoneId(phone));
    // A burst as a hub replicates it: twelve paid bookings of four customers new to the store,
    // each with its ledger entry and its room's availability, in one page of the feed.
    const bookingIds = Array.from({ length: 12 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    const paidAt = new Date(T0 + 60_000).toISOString();
    for (const [i, bookingId] of bookingIds.entries()) {
      const start = `2026-11-27T${String(8 + i).padStart(2, '0')}:00:00+08:00`;
      const end = `2026-11-27T${String(9 + i).padStart(2, '0')}:00:00+08:00`;
      const fact = bookingFact({
        storeId: 'fa',
        bookingId,
        roomId: 'fa-r1',
        start,
        end,
        amount: 5000,
        customerId: customers[i % customers.length]!,
        at: AT,
      });
      const history = [
        ...(fact.history as object[]),
        {
          at: paidAt,
          action: 'pay',
          from: 'pending_payment',
          to: 'paid',
          actor: { kind: 'staff', id: 'kiosk' },
        },
      ];
      await put('fa', { ...fact, history, updatedAt: paidAt });
      await put(
        'fa',
        ledgerFact({
          storeId: 'fa',
          bookingId,
          entryId: 'pay1',
          kind: 'payment',
          method: 'cash',
          amount: 5000,
          at: paidAt,
        }),
      );
    }
    await put('fa', {
      _id: availabilityDocId('fa-r1', '2026-11-27'),
      type: 'availability',
      storeId: 'fa',
      roomId: 'fa-r1',
      date: '2026-11-27',
      segments: [],
      updatedAt: paidAt,
    });
    // Both lanes' checkpoints: the customers' and the platform's (the messages are made there).
    const checkpoints = [
      `checkpoint:${storeDbName('fa')}`,
      `platform-checkpoint:${storeDbName('fa')}`,
    ];
    const before = await Promise.all(
      checkpoints.map((id) => db.get<CouchDoc & { since?: unknown }>(CLOUD_DBS.follower, id)),
    );
    // The platform counts each customer once, however many of their bookings come at once.
    const users = async () =>
      Number((await db.get(CLOUD_DBS.analytics, 'users:total'))?.count ?? 0);
    const usersBefore = await users();

    const pass = await service.cloud.follower.followNow();
    expect(pass).toMatchObject({ changes: 25, customers: customers.length });
    const pairsOf = async (customerId: string) =>
      (await db.byPrefix(CLOUD_DBS.customers, `customer:${customerId}:`)).map((d) => d.storeId);
    const confirmations = async () =>
      (await db.byPrefix(CLOUD_DBS.messages, 'msg:'))
        .filter((m) => m.kind === 'booking_confirmed' && bookingIds.includes(String(m.bookingId)))
        .map((m) => {
          const i = bookingIds.indexOf(String(m.bookingId));
          // Each to the customer of its booking.
          expect(String(m.recipient)).toContain(customers[i % customers.length]!);
          return String(m.bookingId);
        })
        .sort();
    const expected = bookingIds;
    for (const customerId of customers) expect(await pairsOf(customerId)).toEqual(['fa']);
    expect(await confirmations()).toEqual(expected);
    expect(await users()).toBe(usersBefore + customers.length);

    // Another instance reads the same page again, as one may that never saw it: nothing new.
    for (const [i, id] of checkpoints.entries()) {
      await db.put(CLOUD_DBS.follower, {
        ...(await db.get(CLOUD_DBS.follower, id))!,
        since: before[i]?.since ?? 0,
      });
    }
    const other = await start();
    try {
      expect(await other.cloud.follower.followNow()).toMatchObject({ changes: 25, customers: 0 });
    } finally {
      await other.close();
    }
    for (const customerId of customers) expect(await pairsOf(customerId)).toEqual(['fa']);
    expect(await confirmations()).toEqual(expected);
    expect(await users()).toBe(usersBefore + customers.length);
  });
});

describe('the two lanes', () => {
  it("start the platform's lane where the one checkpoint before them stood, once", async () => {
    await service.cloud.follower.followNow();
    const id = (lane: string) => `${lane}${storeDbName('fb')}`;
    const since = async (docId: string) =>
      (await db.get<CouchDoc & { since?: unknown }>(CLOUD_DBS.follower, docId))?.since;
    const stood = await since(id('checkpoint:'));
    expect(stood).toBeDefined();
    // The follower as it was before the lanes: one checkpoint, no platform's one, never split.
    for (const docId of [id('platform-checkpoint:'), 'lanes:split']) {
      const doc = await db.get(CLOUD_DBS.follower, docId);
      if (doc) await db.bulkDocs(CLOUD_DBS.follower, [{ ...doc, _deleted: true }]);
    }
    // Another instance that split first already moved the customers' lane of a store new to it:
    // that store's platform work is still to do, so its position is not copied.
    const newer = `checkpoint:${storeDbName('fnew')}`;
    await db.put(CLOUD_DBS.follower, {
      _id: newer,
      type: 'checkpoint',
      since: 3,
      updatedAt: new Date(clock + 60_000).toISOString(),
    });
    const other = await start();
    try {
      expect(await since(id('platform-checkpoint:'))).toEqual(stood);
      expect(await since(`platform-${newer}`)).toBeUndefined();
      // Split once: a platform checkpoint lost later is not put back (that store is read again).
      const doc = (await db.get(CLOUD_DBS.follower, id('platform-checkpoint:')))!;
      await db.bulkDocs(CLOUD_DBS.follower, [{ ...doc, _deleted: true }]);
      const again = await start();
      await again.close();
      expect(await since(id('platform-checkpoint:'))).toBeUndefined();
      await other.cloud.follower.followNow();
      expect(await since(id('platform-checkpoint:'))).toEqual(stood);
    } finally {
      await other.close();
    }
  });
});

describe("following every store's feed live", () => {
  it('reads in a pass only the stores whose feed woke, and a store that wakes', async () => {
    await service.sweepNow();
    const watcher = await start();
    try {
      watcher.cloud.follower.follow({ longPollMs: 2_000 });
      // Its first pass reads every store, and each store's feed opening wakes it once; after
      // that, with nothing written, a pass reads no store at all.
      await expect
        .poll(async () => (await watcher.cloud.follower.followNow()).stores, { timeout: 30_000 })
        .toBe(0);
      const customerId = phoneId('13700000078');
      await put(
        'fb',
        bookingFact({
          storeId: 'fb',
          bookingId: 'woke-1',
          roomId: 'fb-r1',
          start: '2026-11-27T14:00:00+08:00',
          end: '2026-11-27T15:00:00+08:00',
          amount: 7000,
          customerId,
          at: AT,
        }),
      );
      // The feed wakes the follower, which reads that store: the customer is indexed there.
      await expect
        .poll(() => couch.cloud.get(CLOUD_DBS.customers, `customer:${customerId}:fb`))
        .toBeDefined();
    } finally {
      await watcher.close();
    }
  });
});

describe('following a server that reports database updates', () => {
  it('reads only the store databases the server names, from where it stopped', async () => {
    await service.sweepNow();
    // It stands in for a CouchDB that shows `_db_updates` to the cloud (as to an admin).
    const feed = await startDbUpdatesFeed(couch.couch.url);
    const viaFeed = createCouchClient(withCredentialsOf(await couch.hubUrl('fb'), feed.url));
    const cloudViaFeed = withCredentialsOf(couch.cloudUrl, feed.url);
    let watcher = await start(cloudViaFeed);
    try {
      // No position yet: every store once (all read already by the other instance), then the
      // server's position is kept.
      const first = await watcher.cloud.follower.followNow();
      const storeDbs = (await couch.admin.allDbs('store-')).filter(
        (name) => !name.endsWith('-inbox'),
      );
      expect(first.stores).toBe(storeDbs.length);
      expect(first.changes).toBe(0);
      expect(feed.reads).toBeGreaterThan(0);

      const customerId = phoneId('13700000077');
      await viaFeed.put(
        storeDbName('fb'),
        bookingFact({
          storeId: 'fb',
          bookingId: 'feed-1',
          roomId: 'fb-r1',
          start: '2026-11-26T14:00:00+08:00',
          end: '2026-11-26T15:00:00+08:00',
          amount: 7000,
          customerId,
          at: AT,
        }),
      );
      expect(await watcher.cloud.follower.followNow()).toMatchObject({
        stores: 1,
        changes: 1,
        customers: 1,
      });
      expect(await watcher.cloud.follower.followNow()).toMatchObject({ stores: 0, changes: 0 });

      // A restart resumes from the kept position instead of reading every store again.
      await watcher.close();
      watcher = await start(cloudViaFeed);
      expect(await watcher.cloud.follower.followNow()).toMatchObject({ stores: 0, changes: 0 });
    } finally {
      await watcher.close();
      await feed.close();
    }
  });
});
