// The owner's statistics through the cloud, read from the day documents each store's hub publishes
// (written here as the hub's replication writes them, on its own CouchDB user, into a real
// CouchDB-compatible server): an owner of two stores sees each and their total; a third store, of
// another owner, never shows, not in the total, not by asking for it by id; a day the hub publishes
// again replaces itself; CSV export; bad input named.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  StatsDayDocSchema,
  statsDayDocId,
  storeDbName,
  type StatsDayDoc,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../index';
import { changeOwnerLink } from '../auth/owner-links';
import { CLOUD_SECRETS, callApi, bearer, seedStoreDocs } from '../../test/cloud-fixtures';
import { startTestCouch, type TestCouch } from '../../test/test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const A_PHONE = '13900000881';
const B_PHONE = '13900000882';

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;
let now = T0;
let tokenA = '';
let tokenB = '';

/** A store day as its hub publishes it: a WeChat booking's money, a room's hours, members. */
function dayDoc(
  storeId: string,
  date: string,
  f: { wechat: number; refunded?: number; hours: number; joined: number; total: number },
): StatsDayDoc {
  const refunded = f.refunded ?? 0;
  const minutes = new Array<number>(24).fill(0);
  minutes[14] = Math.min(60, f.hours * 60);
  minutes[15] = Math.max(0, f.hours * 60 - 60);
  return StatsDayDocSchema.parse({
    _id: statsDayDocId(date),
    type: 'stats_day',
    storeId,
    date,
    timeZone: 'Asia/Shanghai',
    revenue: [
      {
        channel: 'wechat',
        bookings: f.wechat,
        orders: 0,
        refunded,
        net: f.wechat - refunded,
        faceValue: null,
        settled: null,
      },
      {
        channel: 'meituan',
        bookings: 6000,
        orders: 0,
        refunded: 0,
        net: 6000,
        faceValue: 9900,
        settled: 5400,
      },
    ],
    received: f.wechat + 6000,
    refunded,
    net: f.wechat + 6000 - refunded,
    bookings: [{ status: 'completed', count: 2, total: f.wechat + 6000 }],
    roomCount: 1,
    rooms: [{ roomId: `${storeId}-r1`, roomName: `包间 ${storeId}`, bookings: 2, hours: f.hours }],
    hourMinutes: minutes,
    slots: [{ hour: 14, bookings: 2, hours: f.hours }],
    products: [{ itemId: 'tea', name: '龙井', quantity: 3, revenue: 5400 }],
    deals: [
      {
        source: 'meituan',
        dealId: null,
        dealTitle: '美团 2 小时',
        redeemed: 1,
        faceValue: 9900,
        settled: 5400,
      },
    ],
    topUps: [{ method: 'wechat', count: 1, principal: 50000, bonus: 5000 }],
    members: { joined: f.joined, total: f.total },
    campaigns: [],
    refunds: refunded ? [{ of: 'booking', purpose: 'staff', count: 1, amount: refunded }] : [],
    cancellations: { customer: 1, staff: 0, system: 0 },
    energy: [{ roomId: `${storeId}-r1`, roomName: `包间 ${storeId}`, kwh: 3.5, costFen: 368 }],
    updatedAt: new Date(now).toISOString(),
  });
}

/** Publishes (or publishes again) a store day as the store's hub, on its own user. */
async function publish(doc: StatsDayDoc) {
  const hub = await couch.hub(doc.storeId);
  const db = storeDbName(doc.storeId);
  const had = await hub.get(db, doc._id);
  await hub.put(db, { ...doc, ...(had?._rev ? { _rev: had._rev } : {}) });
}

const api = (path: string, token?: string) =>
  callApi(service.url, 'GET', path, undefined, bearer(token));

async function signIn(phone: string): Promise<string> {
  now += 2 * 60_000;
  expect((await callApi(service.url, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
  const login = await callApi(service.url, 'POST', '/api/owner/login', {
    phone,
    code: sms.lastCode(phone),
  });
  expect(login.status).toBe(200);
  return login.json.token as string;
}

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'owner-stats-')));
  for (const storeId of ['sa', 'sb', 'sc']) {
    await seedStoreDocs(
      couch.writers,
      {
        storeId,
        name: { sa: '静安店', sb: '徐汇店', sc: '别家店' }[storeId]!,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
      },
      T0,
    );
  }
  await publish(dayDoc('sa', '2026-11-22', { wechat: 20000, hours: 2, joined: 1, total: 10 }));
  await publish(dayDoc('sa', '2026-11-23', { wechat: 30000, hours: 1.5, joined: 2, total: 12 }));
  await publish(dayDoc('sb', '2026-11-23', { wechat: 11100, hours: 2, joined: 0, total: 5 }));
  // Another owner's store: its figures must never reach owner A.
  await publish(dayDoc('sc', '2026-11-23', { wechat: 77700, hours: 2, joined: 9, total: 99 }));
  await changeOwnerLink(couch.admin, { phone: A_PHONE, add: ['sa', 'sb'] }, T0);
  await changeOwnerLink(couch.admin, { phone: B_PHONE, add: ['sc'] }, T0);
  sms = new MemorySmsProvider();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms,
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock: { now: () => now },
    sweepMs: 0,
  });
  tokenA = await signIn(A_PHONE);
  tokenB = await signIn(B_PHONE);
});
afterAll(async () => {
  await service?.close();
  await couch?.close();
});

const TWO_DAYS = 'range=custom&from=2026-11-22&to=2026-11-23';

describe("the owner's statistics through the cloud", () => {
  it("adds up every store the owner runs, with a line per store, and nobody else's", async () => {
    const r = await api(`/api/owner/stats?storeId=all&${TWO_DAYS}`, tokenA);
    expect(r.status).toBe(200);
    const v = r.json;
    expect(v.storeId).toBe('all');
    expect(v.range).toMatchObject({ from: '2026-11-22', to: '2026-11-23', days: 2 });
    expect(v.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['sa', 'sb']);
    expect(v.stores[0]).toMatchObject({
      name: '静安店',
      net: 62000,
      bookings: 4,
      daysPublished: 2,
    });
    expect(v.stores[1]).toMatchObject({ name: '徐汇店', net: 17100, daysPublished: 1 });
    expect(v.revenue.total.net).toBe(62000 + 17100);
    expect(v.revenue.rows).toEqual([
      expect.objectContaining({ channel: 'wechat', bookings: 61100, net: 61100 }),
      expect.objectContaining({ channel: 'meituan', net: 18000, faceValue: 29700, settled: 16200 }),
    ]);
    expect(v.revenueByDay).toEqual([
      { date: '2026-11-22', received: 26000, refunded: 0, net: 26000 },
      { date: '2026-11-23', received: 53100, refunded: 0, net: 53100 },
    ]);
    expect(v.members).toEqual([
      { date: '2026-11-22', joined: 1, total: 10 },
      { date: '2026-11-23', joined: 2, total: 17 },
    ]);
    expect(v.rooms).toEqual([
      expect.objectContaining({ roomName: '静安店 · 包间 sa', hours: 3.5 }),
      expect.objectContaining({ roomName: '徐汇店 · 包间 sb', hours: 2 }),
    ]);
    expect(v.energy).toHaveLength(2);
    // Not a figure of the other owner's store anywhere in the answer.
    const text = JSON.stringify(v);
    expect(text).not.toMatch(/77700|别家店|"sc"/);
  });

  it('answers one store alone, in the shape the hub answers', async () => {
    const r = await api(`/api/owner/stats?storeId=sb&range=today`, tokenA);
    expect(r.status).toBe(200);
    expect(r.json.range).toMatchObject({ range: 'today', from: '2026-11-23', to: '2026-11-23' });
    expect(r.json.revenue.total.net).toBe(17100);
    expect(r.json.stores).toHaveLength(1);
    expect(r.json.rooms).toEqual([
      { roomId: 'sb-r1', roomName: '包间 sb', bookings: 2, hours: 2, share: 0.0833 },
    ]);
    const monday = r.json.heatmap.find(
      (c: { weekday: number; hour: number }) => c.weekday === 1 && c.hour === 14,
    );
    expect(monday.share).toBe(1);
    for (const key of ['bookings', 'slots', 'products', 'deals', 'wallet', 'campaigns', 'refunds'])
      expect(r.json).toHaveProperty(key);
  });

  it("refuses another owner's store, and a guessed one, in the same words", async () => {
    const theirs = await api(`/api/owner/stats?storeId=sc&range=today`, tokenA);
    expect(theirs.status).toBe(403);
    expect(theirs.json.error).toMatchObject({
      code: 'not_your_store',
      message: 'this account does not run that store',
    });
    const guessed = await api(`/api/owner/stats?storeId=zz-nowhere&range=today`, tokenA);
    expect(guessed.status).toBe(403);
    expect(guessed.json.error.message).toBe(theirs.json.error.message);
    const csv = await api(`/api/owner/stats/export.csv?storeId=sc&table=revenue`, tokenA);
    expect(csv.status).toBe(403);
    // Its own owner reads it; they in turn see nothing of owner A's.
    const own = await api(`/api/owner/stats?storeId=all&range=today`, tokenB);
    expect(own.json.revenue.total.net).toBe(77700 + 6000);
    expect(JSON.stringify(own.json)).not.toMatch(/静安店|徐汇店/);
    expect((await api(`/api/owner/stats?storeId=all&range=today`)).status).toBe(401);
  });

  it('names the field and the rule of a bad query', async () => {
    const noFrom = await api(`/api/owner/stats?range=custom&to=2026-11-23`, tokenA);
    expect(noFrom.status).toBe(400);
    expect(noFrom.json.error.field).toBe('from');
    expect(noFrom.json.error.message).toMatch(/custom range needs from and to/);
    const badStore = await api(`/api/owner/stats?storeId=Not%20A%20Store`, tokenA);
    expect(badStore.status).toBe(400);
    expect(badStore.json.error.field).toBe('storeId');
  });

  it('takes a day the hub publishes again (a late refund) in place of the old one', async () => {
    await publish(
      dayDoc('sa', '2026-11-22', { wechat: 20000, refunded: 5000, hours: 2, joined: 1, total: 10 }),
    );
    const r = await api(`/api/owner/stats?storeId=sa&${TWO_DAYS}`, tokenA);
    expect(r.json.revenue.total).toMatchObject({ refunded: 5000, net: 62000 - 5000 });
    expect(r.json.revenueByDay[0]).toEqual({
      date: '2026-11-22',
      received: 26000,
      refunded: 5000,
      net: 21000,
    });
    expect(r.json.refunds.rows).toEqual([
      { of: 'booking', purpose: 'staff', count: 1, amount: 5000 },
    ]);
  });

  it('exports a table of all the stores as the CSV the hub writes', async () => {
    const res = await fetch(
      `${service.url}/api/owner/stats/export.csv?storeId=all&table=revenue_by_day&${TWO_DAYS}`,
      { headers: bearer(tokenA) },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /revenue_by_day-all-2026-11-22-2026-11-23\.csv/,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // The byte-order mark a spreadsheet reads the Chinese header by.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toMatch(/日期/);
    expect(text).toMatch(/2026-11-23,531\.00,0\.00,531\.00/);
  });
});
