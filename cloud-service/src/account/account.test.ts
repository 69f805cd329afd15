// The customer's own account over real HTTP against the embedded CouchDB-compatible server: the
// profile and preferences saved and read back (a bad field refused by name), "my data" with what
// the store published about them, and deleting the account: refused while the wallet holds money,
// done once it is empty, after which the phone is nowhere in the cloud's databases (its own and
// the store's inbox it writes) and the store has a signed erasure intent naming no phone.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  IntentDocSchema,
  MemberDocSchema,
  answerDoc,
  memberDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../index';
import type { CouchClient, CouchDoc } from '../couch';
import {
  CLOUD_SECRETS,
  bookingFact,
  callApi,
  ledgerFact,
  phoneId,
  seedStoreDocs,
  type Json,
} from '../../test/cloud-fixtures';
import { startTestCouch, type TestCouch } from '../../test/test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const STORE = 'acct';
const PHONE = '13912348888';

let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService;
const sms = new MemorySmsProvider();

const api = (method: string, url: string, body?: unknown, token?: string) =>
  callApi(service.url, method, url, body, token ? { Authorization: `Bearer ${token}` } : {});

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-account-'));
  couch = await startTestCouch(root);
  db = couch.writers;
  await seedStoreDocs(
    db,
    {
      storeId: STORE,
      lat: 31.23,
      lng: 121.47,
      hours: { open: '09:00', close: '23:00' },
      rooms: [{ roomId: 'acct-r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    T0 - 3_600_000,
  );
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'account-test-secret-account-test-secret-01',
    sms,
    payments: new SimulatedCloudChannel(),
    clock: { now: () => T0 },
    intentWaitMs: 300,
    sweepMs: 0,
    log: () => {},
  });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

async function signIn(phone: string): Promise<string> {
  expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
  const verified = await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) });
  expect(verified.status).toBe(200);
  return verified.json.token as string;
}

/** The member document the store's hub publishes for the customer, with this wallet. */
async function publishMember(principal: number): Promise<void> {
  const id = memberDocId('m-acct');
  const existing = await db.get(storeDbName(STORE), id);
  await db.put(storeDbName(STORE), {
    ...(MemberDocSchema.parse({
      _id: id,
      type: 'member',
      storeId: STORE,
      memberId: 'm-acct',
      customerId: phoneId(PHONE),
      level: null,
      privileges: null,
      points: 120,
      totalSpend: 12000,
      visits: 1,
      lastVisitAt: '2026-11-20T12:00:00.000Z',
      joinedAt: '2026-11-20T10:00:00.000Z',
      wallet: { principal, bonus: 0 },
      updatedAt: new Date(T0).toISOString(),
    }) as CouchDoc),
    ...(existing?._rev ? { _rev: existing._rev } : {}),
  });
}

/** Every document of the cloud's own databases and of the store's inbox, as one text. */
async function everything(): Promise<string> {
  const dbs = [...Object.values(CLOUD_DBS), storeInboxDbName(STORE)];
  const all = await Promise.all(dbs.map((name) => couch.admin.byPrefix(name, '')));
  return JSON.stringify(all);
}

describe('the customer’s account', () => {
  let token: string;

  it('keeps the profile and preferences, refusing a bad field by name', async () => {
    token = await signIn(PHONE);
    const empty = await api('GET', '/api/me/profile', undefined, token);
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ phone: '139****8888', updatedAt: null });

    const bad = await api('PUT', '/api/me/profile', { avatarUrl: 'ftp://x/y.png' }, token);
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('avatarUrl');
    const badDay = await api('PUT', '/api/me/profile', { birthday: '1990-13-01' }, token);
    expect(badDay.status).toBe(400);
    expect(badDay.json.error.field).toBe('birthday');

    const saved = await api(
      'PUT',
      '/api/me/profile',
      {
        name: '王小明',
        gender: 'male',
        birthday: '1990-05-04',
        avatarUrl: 'https://img.example/a.png',
        signature: '喝茶打牌',
        preferences: { teas: ['龙井', '普洱'], areas: ['静安'], styles: ['tea'] },
      },
      token,
    );
    expect(saved.status).toBe(200);
    const read: Json = (await api('GET', '/api/me/profile', undefined, token)).json;
    expect(read).toMatchObject({
      name: '王小明',
      gender: 'male',
      birthday: '1990-05-04',
      preferences: { teas: ['龙井', '普洱'], areas: ['静安'], styles: ['tea'] },
    });
    expect(read.updatedAt).toBeTruthy();
    // without a token: a 401, not somebody's profile
    expect((await api('GET', '/api/me/profile')).status).toBe(401);
  });

  it('shows my data with what the store published, and refuses deletion while money is held', async () => {
    // a past booking and a membership at the store, as its hub publishes them
    const at = '2026-11-20T12:00:00.000Z';
    await db.put(
      storeDbName(STORE),
      bookingFact({
        storeId: STORE,
        bookingId: 'b-acct-1',
        roomId: 'acct-r1',
        start: '2026-11-20T10:00:00.000Z',
        end: '2026-11-20T12:00:00.000Z',
        amount: 12000,
        customerId: phoneId(PHONE),
        status: 'completed',
        at,
      }),
    );
    await db.put(
      storeDbName(STORE),
      ledgerFact({
        storeId: STORE,
        bookingId: 'b-acct-1',
        entryId: 'p1',
        kind: 'payment',
        method: 'wechat',
        amount: 12000,
        at,
      }),
    );
    await publishMember(5000);
    // joining online writes the phone into an intent; the store answers it
    const join = await api('POST', `/api/stores/${STORE}/membership`, { name: '王小明' }, token);
    expect([200, 202]).toContain(join.status);
    const intentId = join.json.intentId as string;
    await db.put(storeDbName(STORE), answerDoc(intentId, { outcome: 'done' }, T0) as CouchDoc);
    await service.sweepNow();

    const data = await api('GET', '/api/me/data?download=1', undefined, token);
    expect(data.status).toBe(200);
    expect(data.json).toMatchObject({
      phone: PHONE,
      profile: { name: '王小明' },
      stores: [STORE],
    });
    expect(data.json.orders.orders.map((o: Json) => o.bookingId)).toEqual(['b-acct-1']);
    expect(data.json.memberships).toHaveLength(1);
    expect(data.json.memberships[0].wallet).toEqual({ principal: 5000, bonus: 0 });

    // recommended: the room booked before, at the hour it was booked, for its liked style too
    await service.refreshCatalogue();
    const recs = await api('GET', '/api/me/recommendations?lat=31.23&lng=121.47', undefined, token);
    expect(recs.status).toBe(200);
    expect(recs.json.recommendations[0]).toMatchObject({
      kind: 'room',
      roomId: 'acct-r1',
      usualStart: '18:00',
      reasons: ['booked_before', 'usual_store', 'favourite_style', 'near'],
    });
    const halfPlace = await api('GET', '/api/me/recommendations?lat=31.23', undefined, token);
    expect(halfPlace.status).toBe(400);
    expect(halfPlace.json.error.field).toBe('lng');

    const check = await api('GET', '/api/me/deletion', undefined, token);
    expect(check.json).toEqual({
      allowed: false,
      blockers: [{ code: 'wallet_not_empty', storeId: STORE, amount: 5000 }],
    });
    const refused = await api('POST', '/api/me/deletion', { confirm: '注销' }, token);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('wallet_not_empty');
    // not confirmed: refused by the field
    const unconfirmed = await api('POST', '/api/me/deletion', { confirm: 'yes' }, token);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.json.error.field).toBe('confirm');
    expect(await everything()).toContain(PHONE);
  });

  it('deletes the account once the wallet is empty: the phone is nowhere in the cloud', async () => {
    await publishMember(0);
    expect((await api('GET', '/api/me/deletion', undefined, token)).json).toEqual({
      allowed: true,
      blockers: [],
    });
    const done = await api('POST', '/api/me/deletion', { confirm: '注销' }, token);
    expect(done.status).toBe(200);
    expect(done.json).toEqual({ deleted: true, storesTold: [STORE] });

    const text = await everything();
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('王小明');
    // the store is told, by an intent the cloud signed, which spells no phone
    const inbox = await db.byPrefix(storeInboxDbName(STORE), 'intent:');
    const erasure = inbox
      .map((d) => IntentDocSchema.parse(d))
      .find((i) => i.kind === 'customer_erasure');
    expect(erasure).toMatchObject({
      customerId: phoneId(PHONE),
      body: { customerIds: expect.arrayContaining([phoneId(PHONE)]) },
    });
    expect(erasure?.signature).toBeDefined();
    // the profile is gone; asking again tells the store once
    expect((await api('GET', '/api/me/profile', undefined, token)).json.name).toBeUndefined();
    await api('POST', '/api/me/deletion', { confirm: '注销' }, token);
    const again = await db.byPrefix(storeInboxDbName(STORE), 'intent:');
    expect(again.filter((d) => d.kind === 'customer_erasure')).toHaveLength(1);
    // the money record stays, under the id that no longer names anyone
    expect(await db.byPrefix(storeDbName(STORE), 'ledger:')).toHaveLength(1);
  });
});
