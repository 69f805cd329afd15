// A merchant never sees another merchant's data, walked over the whole owner API: every owner
// route that names a store is called by an owner on their own store (let through) and on another
// owner's store (refused with not_your_store, no database written), with the body a real call
// would send; the routes that name no store answer the caller's own stores and never
// a figure, a name or an id of the other owner's. Real HTTP against the embedded
// CouchDB-compatible server; a route added since without a sample here fails the walk.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsDayDocSchema, statsDayDocId, storeDbName } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import { changeOwnerLink } from '../src/auth/owner-links';
import { routes } from '../src/http/routes';
import { CLOUD_SECRETS, callApi, bearer, seedStoreDocs } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const DATE = '2026-11-23';
const A_PHONE = '13900000771';
const B_PHONE = '13900000772';
/** Owner A runs `ia`; owner B runs `ib`, whose name and figures must never reach A. */
const OWN = 'ia';
const OTHERS = 'ib';
const OTHERS_NAME = '隔壁茶馆';
const OTHERS_RECEIVED = 987_654;

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;
let now = T0;
let tokenA = '';
let tokenB = '';

/** What a real call of each owner route that names a store sends besides its path. */
const SAMPLES: Record<string, { query?: string; body?: unknown }> = {
  'get /api/owner/stores/:storeId/board': { query: `date=${DATE}` },
  'get /api/owner/stores/:storeId/orders': {},
  'get /api/owner/stores/:storeId/revenue': { query: `from=${DATE}&to=${DATE}` },
  'get /api/owner/stores/:storeId/devices': {},
  'get /api/owner/stores/:storeId/sync': {},
  'get /api/owner/stores/:storeId/profile': {},
  'get /api/owner/stores/:storeId/members': {},
  'get /api/owner/stores/:storeId/products': {},
  'get /api/owner/stores/:storeId/invoices': {},
  'get /api/owner/stores/:storeId/audit': {},
  'get /api/owner/stores/:storeId/calendar': { query: `from=${DATE}&to=${DATE}` },
  'patch /api/owner/stores/:storeId': { body: { name: '改过的店名' } },
  'patch /api/owner/stores/:storeId/rooms/:roomId': { body: { name: '改过的包间' } },
  'patch /api/owner/stores/:storeId/menu/items/:itemId': { body: { soldOut: true } },
  'put /api/owner/stores/:storeId/campaigns/:campaignId/status': { body: { status: 'paused' } },
  'patch /api/owner/stores/:storeId/campaigns/:campaignId': { body: { totalLimit: 500 } },
  'patch /api/owner/stores/:storeId/deals/:dealId': { body: { price: 9900 } },
  'post /api/owner/stores/:storeId/campaigns/:campaignId/coupons': {
    body: { phones: ['13800138000'], note: '补偿' },
  },
  'post /api/owner/stores/:storeId/menu/items': {
    body: { categoryId: 'tea', name: '白毫银针', price: 4800 },
  },
  'post /api/owner/stores/:storeId/menu/items/:itemId/stock': {
    body: { kind: 'received', quantity: 5 },
  },
  'post /api/owner/stores/:storeId/deals': {
    body: {
      source: 'own',
      title: '工作日两小时畅玩',
      entitlement: { kind: 'hours', minutes: 120 },
      price: 8800,
    },
  },
  'get /api/owner/stores/:storeId/member-settings': {},
  'get /api/owner/stores/:storeId/staff': {},
  'patch /api/owner/stores/:storeId/staff/:staffId': { body: { status: 'disabled' } },
  'put /api/owner/stores/:storeId/member-settings': {
    body: {
      rules: { levelRule: 'spend', pointsPerYuan: 1, fenPerPoint: 1, pointsExpireMonths: 12 },
      levels: [{ name: '银卡', threshold: 100000 }],
    },
  },
  'post /api/owner/stores/:storeId/campaigns': {
    body: {
      name: '冬日领券',
      kind: 'claim',
      couponName: '包间立减10元',
      coupon: {
        rule: { kind: 'amount', amountOff: 1000, minSpend: 0 },
        scope: { roomIds: [], roomStyles: [], dayTypes: [], bands: [] },
        stacking: { withMember: true, withVoucher: false, withCoupon: false },
      },
      claimFrom: DATE,
      claimTo: DATE,
      useDays: 30,
    },
  },
  'put /api/owner/stores/:storeId/deals/:dealId/status': { body: { status: 'off_sale' } },
  'post /api/owner/stores/:storeId/invoices/:requestId/reject': { body: { reason: '抬头有误' } },
  'post /api/owner/stores/:storeId/invoices/:requestId/issue': {
    query: `number=24330000000000012345&issuedOn=${DATE}`,
  },
  'put /api/owner/stores/:storeId/calendar/:date': { body: { type: 'holiday', note: '店休' } },
  'delete /api/owner/stores/:storeId/calendar/:date': {},
  'post /api/owner/stores/:storeId/devices/:deviceId/override': {
    body: { on: false, reason: '检修' },
  },
  'get /api/owner/stores/:storeId/intents/:intentId': {},
  'get /api/owner/stores/:storeId/chats': {},
  'get /api/owner/stores/:storeId/chats/:chatId': {},
  'post /api/owner/stores/:storeId/chats/:chatId/lines': { body: { text: '您好' } },
  'get /api/owner/stores/:storeId/deals': {},
  'get /api/owner/stores/:storeId/reviews': {},
  'get /api/owner/stores/:storeId/platforms': {},
  'post /api/owner/stores/:storeId/platforms/:platform/authorise': {},
  'delete /api/owner/stores/:storeId/platforms/:platform': {},
  'get /api/owner/stores/:storeId/message-settings': {},
  'put /api/owner/stores/:storeId/message-settings': {
    body: { off: [], quietHours: null, winBackDays: null },
  },
  'get /api/owner/stores/:storeId/message-templates': {},
  'put /api/owner/stores/:storeId/message-templates/:kind': {
    body: { title: '预订成功', body: '{room} 已为您预留，{when} 见。' },
  },
  'delete /api/owner/stores/:storeId/message-templates/:kind': {},
  'get /api/owner/stores/:storeId/penalties': {},
  'get /api/owner/stores/:storeId/device-schedules': {},
  'post /api/owner/stores/:storeId/device-schedules': {
    body: {
      roomId: null,
      devices: ['freshAir'],
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      start: '10:00',
      end: '10:20',
      on: true,
    },
  },
  'put /api/owner/stores/:storeId/device-schedules/:scheduleId': {
    body: {
      roomId: null,
      devices: ['freshAir'],
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      start: '10:00',
      end: '10:20',
      on: true,
    },
  },
  'delete /api/owner/stores/:storeId/device-schedules/:scheduleId': {},
  'get /api/owner/stores/:storeId/deposit': {},
};

/** Sample values of the other path parameters, valid in shape so the guard is what answers. */
function pathFor(path: string, storeId: string): string {
  const values: Record<string, string> = {
    storeId,
    roomId: `${storeId}-r1`,
    date: DATE,
    deviceId: 'light1',
    intentId: 'intent1',
    chatId: 'chat1',
    platform: 'meituan',
    kind: 'booking_confirmed',
  };
  return path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? 'nothing-here');
}

/** Every database's update sequence: a write anywhere changes one. */
async function updateSeqs(): Promise<Record<string, unknown>> {
  const admin = new URL(couch.couch.adminUrl);
  const headers = {
    Authorization: `Basic ${Buffer.from(`${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}`).toString('base64')}`,
  };
  const url = `${admin.protocol}//${admin.host}${admin.pathname.replace(/\/$/, '')}`;
  const read = async (path: string) => (await fetch(`${url}${path}`, { headers })).json();
  const dbs = (await read('/_all_dbs')) as string[];
  const seqs: Record<string, unknown> = {};
  for (const db of dbs) {
    const info = (await read(`/${encodeURIComponent(db)}`)) as { update_seq: unknown };
    seqs[db] = info.update_seq;
  }
  return seqs;
}

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

/** A store day as its hub publishes it, with figures that could only be this store's. */
async function publishDay(storeId: string, received: number) {
  const doc = StatsDayDocSchema.parse({
    _id: statsDayDocId(DATE),
    type: 'stats_day',
    storeId,
    date: DATE,
    timeZone: 'Asia/Shanghai',
    revenue: [],
    received,
    refunded: 0,
    net: received,
    bookings: [{ status: 'completed', count: 3, total: received }],
    roomCount: 1,
    rooms: [{ roomId: `${storeId}-r1`, roomName: `包间 ${storeId}`, bookings: 3, hours: 2 }],
    hourMinutes: new Array<number>(24).fill(0),
    slots: [],
    products: [],
    deals: [],
    topUps: [],
    members: { joined: 0, total: 0 },
    campaigns: [],
    refunds: [],
    cancellations: { customer: 0, staff: 0, system: 0 },
    energy: [],
    updatedAt: new Date(now).toISOString(),
  });
  await (await couch.hub(storeId)).put(storeDbName(storeId), doc);
}

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'owner-isolation-')));
  for (const [storeId, name] of [
    [OWN, '静安茶舍'],
    [OTHERS, OTHERS_NAME],
  ] as const) {
    await seedStoreDocs(
      couch.writers,
      {
        storeId,
        name,
        lat: 31.23,
        lng: 121.47,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
      },
      T0,
    );
  }
  await publishDay(OWN, 12_300);
  await publishDay(OTHERS, OTHERS_RECEIVED);
  await changeOwnerLink(couch.admin, { phone: A_PHONE, add: [OWN] }, T0);
  await changeOwnerLink(couch.admin, { phone: B_PHONE, add: [OTHERS] }, T0);
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
}, 60_000);
afterAll(async () => {
  await service?.close();
  await couch?.close();
});

describe("a merchant and another merchant's store", () => {
  it('is refused on every owner route that names a store, reads and writes alike', async () => {
    const table = routes(service.cloud).filter(
      (r) => r.access === 'owner' && r.path.includes(':storeId'),
    );
    const walked = table.map((r) => `${r.method} ${r.path}`);
    // Every such route has a sample above, so a route added later is walked too.
    expect(walked.filter((k) => !(k in SAMPLES))).toEqual([]);
    expect(walked.length).toBeGreaterThanOrEqual(15);
    const call = (method: string, path: string, storeId: string, token: string) => {
      const sample = SAMPLES[`${method} ${path}`]!;
      const url = pathFor(path, storeId) + (sample.query ? `?${sample.query}` : '');
      return callApi(service.url, method.toUpperCase(), url, sample.body, bearer(token));
    };
    const refusedWrongly: string[] = [];
    const letThrough: string[] = [];
    const ownWrites: string[] = [];
    for (const r of table) {
      // Their own store: the guard lets each owner through (the route may still find nothing).
      const seqs = await updateSeqs();
      const own = await call(r.method, r.path, OWN, tokenA);
      if (JSON.stringify(await updateSeqs()) !== JSON.stringify(seqs)) ownWrites.push(r.path);
      if (own.status === 401 || own.status === 403) {
        refusedWrongly.push(`${r.method} ${r.path} ${own.status}`);
      }
      const theirs = await call(r.method, r.path, OTHERS, tokenB);
      if (theirs.status === 401 || theirs.status === 403) {
        refusedWrongly.push(`${r.method} ${r.path} as B ${theirs.status}`);
      }
      // Another owner's store: refused in words, never a word of that store in the answer, and
      // not a document written anywhere.
      const before = await updateSeqs();
      const other = await call(r.method, r.path, OTHERS, tokenA);
      expect(await updateSeqs(), `${r.method} ${r.path} wrote`).toEqual(before);
      if (other.status !== 403 || other.json?.error?.code !== 'not_your_store') {
        letThrough.push(`${r.method} ${r.path} ${other.status} ${JSON.stringify(other.json)}`);
      }
      expect(JSON.stringify(other.json ?? '')).not.toContain(OTHERS_NAME);
      // Nobody signed in is turned away before anything runs.
      expect((await call(r.method, r.path, OWN, '')).status).toBe(401);
    }
    expect(refusedWrongly).toEqual([]);
    expect(letThrough).toEqual([]);
    // The owner's own changes did write (sent to the hub as intents): the check above sees writes.
    expect(ownWrites).toEqual(
      expect.arrayContaining([
        '/api/owner/stores/:storeId',
        '/api/owner/stores/:storeId/rooms/:roomId',
      ]),
    );
  });

  it('answers the routes that name no store with the caller’s own stores alone', async () => {
    const reads = [
      `/api/owner/stats?range=custom&from=${DATE}&to=${DATE}`,
      `/api/owner/stats/export.csv?range=custom&from=${DATE}&to=${DATE}&table=revenue`,
      '/api/owner/messages',
      '/api/owner/wallet/owed',
    ];
    const other = [OTHERS_NAME, `"${OTHERS}"`, `包间 ${OTHERS}`, String(OTHERS_RECEIVED)];
    for (const path of reads) {
      const res = await fetch(`${service.url}${path}`, { headers: bearer(tokenA) });
      const text = await res.text();
      expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
      for (const word of other) expect(text, path).not.toContain(word);
    }
    // The same reads as B do show B's store, so the words above are the ones to look for.
    const mine = await fetch(`${service.url}${reads[0]}`, { headers: bearer(tokenB) });
    expect(await mine.text()).toContain(String(OTHERS_RECEIVED));
  });
});
