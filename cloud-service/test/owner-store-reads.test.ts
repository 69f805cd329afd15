// The owner's remote reads of what a store's hub published about its members, tea and snacks and
// invoices. Members and campaigns (GET /api/owner/stores/:storeId/members): the members counted
// by level, those who joined and came in the last 30 days, the points they hold, what the
// wallets owe, each campaign's coupons given out and used; counted, never listed (no phone leaves
// the store). Tea and snacks (GET .../products): the menu with what can be ordered now, and what
// runs low. Invoice requests (GET .../invoices), newest first. One day of the audit log (GET
// .../audit?date=), from the hub's hour documents, newest first. Only an owner of the store reads
// them. Real HTTP against the embedded CouchDB-compatible server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CampaignDocSchema,
  CouponDocSchema,
  AuditHourDocSchema,
  INVOICE_PREFIX,
  InvoiceDocSchema,
  auditDocId,
  MENU_DOC_ID,
  MenuDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
  MemberDocSchema,
  WALLET_OWED_ID,
  WalletOwedDocSchema,
  campaignDocId,
  couponDocId,
  memberDocId,
  storeDbName,
} from '@roomhub/shared-types';
import type { CouchDoc } from '../src/couch';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import { changeOwnerLink } from '../src/auth/owner-links';
import { CLOUD_SECRETS, callApi, bearer, seedStoreDocs } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const OWNER = '13900000791';
const STRANGER = '13900000792';
const OWN = 'ma';
const THEIRS = 'mb';

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;
let now = T0;
let token = '';
let strangerToken = '';

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

/** Writes documents into the store's database as its hub replicates them. */
async function publish(storeId: string, docs: CouchDoc[]): Promise<void> {
  const hub = await couch.hub(storeId);
  for (const doc of docs) await hub.put(storeDbName(storeId), doc);
}

const member = (
  id: string,
  level: string | null,
  points: number,
  joined: number,
  came: number | null,
) =>
  MemberDocSchema.parse({
    _id: memberDocId(id),
    type: 'member',
    storeId: OWN,
    memberId: id,
    customerId: `cust-${id}`,
    level: level === null ? null : { id: level === '金卡' ? 'gold' : 'silver', name: level },
    privileges: null,
    points,
    totalSpend: 10_000,
    visits: came === null ? 0 : 1,
    lastVisitAt: came === null ? null : iso(came),
    joinedAt: iso(joined),
    updatedAt: iso(T0),
  }) as CouchDoc;

const campaign = (id: string, name: string, status: string, claimFrom: string) =>
  CampaignDocSchema.parse({
    _id: campaignDocId(id),
    type: 'campaign',
    storeId: OWN,
    campaignId: id,
    couponName: name,
    terms: { rule: { kind: 'amount', amountOff: 1000 } },
    claimFrom,
    claimTo: '2026-12-31',
    useDays: 30,
    useUntil: null,
    perPerson: 1,
    status,
    soldOut: false,
    updatedAt: iso(T0),
  }) as CouchDoc;

const coupon = (id: string, campaignId: string, bookingId: string | null) =>
  CouponDocSchema.parse({
    _id: couponDocId(id),
    type: 'coupon',
    storeId: OWN,
    couponId: id,
    campaignId,
    customerId: `cust-${id}`,
    name: '立减10元',
    terms: { rule: { kind: 'amount', amountOff: 1000 } },
    useFrom: iso(T0 - DAY),
    useUntil: iso(T0 + 30 * DAY),
    issuedAt: iso(T0 - DAY),
    bookingId,
    updatedAt: iso(T0 + 60_000),
  }) as CouchDoc;

const get = (path: string, t: string) => callApi(service.url, 'GET', path, undefined, bearer(t));

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'owner-store-reads-')));
  for (const storeId of [OWN, THEIRS]) {
    await seedStoreDocs(
      couch.writers,
      {
        storeId,
        lat: 31.2,
        lng: 121.4,
        hours: { open: '09:00', close: '23:00' },
        rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 3800 }],
      },
      T0,
    );
  }
  await changeOwnerLink(couch.admin, { phone: OWNER, add: [OWN] }, T0);
  await changeOwnerLink(couch.admin, { phone: STRANGER, add: [THEIRS] }, T0);
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
  token = await signIn(OWNER);
  strangerToken = await signIn(STRANGER);
}, 60_000);
afterAll(async () => {
  await service?.close();
  await couch?.close();
});

describe("the owner's remote read of a store's members", () => {
  it('says nothing yet of a store that published no member, campaign or wallet', async () => {
    const res = await get(`/api/owner/stores/${OWN}/members`, token);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toEqual({
      storeId: OWN,
      members: 0,
      levels: [],
      joined30Days: 0,
      visited30Days: 0,
      points: 0,
      wallet: null,
      campaigns: [],
      updatedAt: null,
    });
  });

  it('counts the members by level, the new and the recent ones, their points, wallets and each campaign’s coupons', async () => {
    await publish(OWN, [
      member('m1', '金卡', 300, T0 - 90 * DAY, T0 - 2 * DAY),
      member('m2', '金卡', 50, T0 - 5 * DAY, null),
      member('m3', null, 0, T0 - 200 * DAY, T0 - 60 * DAY),
      member('m4', '银卡', 20, T0 - 10 * DAY, T0 - DAY),
      campaign('c-old', '开业券', 'ended', '2026-10-01'),
      campaign('c-now', '立减10元', 'active', '2026-11-01'),
      coupon('k1', 'c-now', 'bk-1'),
      coupon('k2', 'c-now', null),
      coupon('k3', 'c-now', null),
      coupon('k4', 'c-old', 'bk-2'),
      WalletOwedDocSchema.parse({
        _id: WALLET_OWED_ID,
        type: 'wallet_owed',
        storeId: OWN,
        principal: 50_000,
        bonus: 5_000,
        wallets: 3,
        updatedAt: iso(T0 + 120_000),
      }) as CouchDoc,
    ]);
    const res = await get(`/api/owner/stores/${OWN}/members`, token);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      members: 4,
      joined30Days: 2,
      visited30Days: 2,
      points: 370,
      wallet: { principal: 50_000, bonus: 5_000, wallets: 3 },
      updatedAt: iso(T0 + 120_000),
    });
    // Most members first; the members without a level counted apart.
    expect(res.json.levels[0]).toEqual({ level: '金卡', members: 2 });
    expect(res.json.levels).toHaveLength(3);
    expect(res.json.levels).toEqual(
      expect.arrayContaining([
        { level: null, members: 1 },
        { level: '银卡', members: 1 },
      ]),
    );
    // The running campaign first.
    expect(res.json.campaigns).toMatchObject([
      { campaignId: 'c-now', couponName: '立减10元', status: 'active', issued: 3, used: 1 },
      { campaignId: 'c-old', couponName: '开业券', status: 'ended', issued: 1, used: 1 },
    ]);
    // Counted, never listed: no member or customer id is answered.
    expect(JSON.stringify(res.json)).not.toContain('cust-');
  });

  it("refuses another owner's store and nobody signed in", async () => {
    const theirs = await get(`/api/owner/stores/${THEIRS}/members`, token);
    expect(theirs.status).toBe(403);
    expect(theirs.json.error.code).toBe('not_your_store');
    expect((await get(`/api/owner/stores/${THEIRS}/members`, strangerToken)).status).toBe(200);
    expect((await get(`/api/owner/stores/${OWN}/members`, strangerToken)).status).toBe(403);
    expect((await get(`/api/owner/stores/${OWN}/members`, '')).status).toBe(401);
  });
});

describe("the owner's remote read of a store's tea and snacks", () => {
  it('answers the menu with what can be ordered and what runs low, for the owner alone', async () => {
    const empty = await get(`/api/owner/stores/${OWN}/products`, token);
    expect(empty.status, JSON.stringify(empty.json)).toBe(200);
    expect(empty.json).toEqual({ storeId: OWN, categories: [], low: [], updatedAt: null });

    const item = (itemId: string, name: string, price: number, available: boolean) => ({
      itemId,
      name,
      description: '',
      photos: [],
      price,
      specs: [],
      available,
    });
    await publish(OWN, [
      MenuDocSchema.parse({
        _id: MENU_DOC_ID,
        type: 'menu',
        storeId: OWN,
        categories: [
          {
            categoryId: 'tea',
            name: '茶',
            items: [
              // As a hub published it before it said its stock, and as it does now: one sold
              // since it fell low, and one received again since.
              item('t1', '金骏眉', 3800, true),
              { ...item('t2', '瓜子', 1500, true), soldOut: false, stock: 1, lowStockAt: 3 },
              { ...item('t3', '花生', 1000, true), soldOut: false, stock: 12, lowStockAt: 3 },
            ],
          },
          { categoryId: 'snack', name: '小食', items: [item('s1', '话梅', 1200, false)] },
        ],
        updatedAt: iso(T0),
      }) as CouchDoc,
      StockLowDocSchema.parse({
        _id: STOCK_LOW_ID,
        type: 'stock_low',
        storeId: OWN,
        items: [
          { itemId: 't2', name: '瓜子', balance: 2, lowStockAt: 3, since: iso(T0 - 60_000) },
          { itemId: 't3', name: '花生', balance: 0, lowStockAt: 3, since: iso(T0 - 90_000) },
        ],
        updatedAt: iso(T0 + 5_000),
      }) as CouchDoc,
    ]);
    const res = await get(`/api/owner/stores/${OWN}/products`, token);
    expect(res.status).toBe(200);
    expect(res.json.categories.map((c: { name: string }) => c.name)).toEqual(['茶', '小食']);
    expect(res.json.categories[0].items.slice(0, 2)).toEqual([
      {
        itemId: 't1',
        name: '金骏眉',
        photos: [],
        price: 3800,
        available: true,
        soldOut: null,
        stock: null,
        lowStockAt: null,
        low: null,
      },
      {
        itemId: 't2',
        name: '瓜子',
        photos: [],
        price: 1500,
        available: true,
        soldOut: false,
        stock: 1,
        lowStockAt: 3,
        // The menu's count, newer than the low list's.
        low: { balance: 1, lowStockAt: 3, since: iso(T0 - 60_000) },
      },
    ]);
    // Received again since the low list was published: no longer low.
    expect(res.json.categories[0].items[2]).toMatchObject({ name: '花生', stock: 12, low: null });
    expect(res.json.categories[1].items[0]).toMatchObject({ name: '话梅', available: false });
    expect(res.json.low).toHaveLength(1);
    expect(res.json.updatedAt).toBe(iso(T0 + 5_000));
    expect((await get(`/api/owner/stores/${OWN}/products`, strangerToken)).status).toBe(403);
  });
});

describe("the owner's remote read of a store's invoice requests", () => {
  it('lists them newest first with how many wait, for the owner alone', async () => {
    const invoice = (requestId: string, minutes: number, fields: Record<string, unknown>) =>
      InvoiceDocSchema.parse({
        _id: `${INVOICE_PREFIX}${requestId}`,
        type: 'invoice',
        storeId: OWN,
        requestId,
        bookingId: `bk-${requestId}`,
        customerId: `cust-${requestId}`,
        amount: 7600,
        requestedAt: iso(T0 + minutes * 60_000),
        updatedAt: iso(T0 + minutes * 60_000),
        ...fields,
      }) as CouchDoc;
    await publish(OWN, [
      invoice('iv1', 1, {
        status: 'issued',
        title: { kind: 'personal', name: '张三' },
        number: '26312000000000000001',
        issuedOn: '2026-11-23',
        decidedAt: iso(T0 + 30 * 60_000),
      }),
      invoice('iv2', 2, {
        status: 'rejected',
        title: { kind: 'personal', name: '李四' },
        reason: '抬头有误',
        decidedAt: iso(T0 + 30 * 60_000),
      }),
      invoice('iv3', 3, {
        status: 'waiting',
        title: { kind: 'company', name: '上海某某有限公司', taxId: '91440300708461136T' },
      }),
    ]);
    const res = await get(`/api/owner/stores/${OWN}/invoices`, token);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.waiting).toBe(1);
    expect(res.json.invoices.map((i: { requestId: string }) => i.requestId)).toEqual([
      'iv3',
      'iv2',
      'iv1',
    ]);
    expect(res.json.invoices[0]).toMatchObject({
      status: 'waiting',
      title: { kind: 'company', taxId: '91440300708461136T' },
      number: null,
    });
    expect(res.json.invoices[1]).toMatchObject({ status: 'rejected', reason: '抬头有误' });
    expect(res.json.invoices[2]).toMatchObject({
      status: 'issued',
      number: '26312000000000000001',
      issuedOn: '2026-11-23',
    });
    expect(JSON.stringify(res.json)).not.toContain('cust-');
    expect((await get(`/api/owner/stores/${OWN}/invoices`, strangerToken)).status).toBe(403);
  });
});

describe("the owner's remote read of a store's audit log", () => {
  it('answers one day, newest first across its hours, for the owner alone', async () => {
    const entry = (id: number, at: string, action: string, outcome: 'done' | 'refused') => ({
      id,
      actor: { kind: 'staff', id: 'st-1', name: '小王', role: 'cashier', screenId: 'counter' },
      action,
      target: `bk-${id}`,
      outcome,
      at,
    });
    const hour = (storeId: string, date: string, h: number, entries: unknown[], more = 0) =>
      AuditHourDocSchema.parse({
        _id: auditDocId(date, h),
        type: 'audit_hour',
        storeId,
        date,
        hour: h,
        entries,
        more,
        updatedAt: iso(T0 + h * 60_000),
      }) as CouchDoc;
    await publish(OWN, [
      hour('ma', '2026-11-23', 9, [
        entry(1, '2026-11-23T09:05:00+08:00', 'booking.create', 'done'),
        entry(2, '2026-11-23T09:40:00+08:00', 'refund.approve', 'refused'),
      ]),
      hour('ma', '2026-11-23', 14, [entry(3, '2026-11-23T14:00:00+08:00', 'door.open', 'done')], 7),
      hour('ma', '2026-11-22', 23, [
        entry(0 + 9, '2026-11-22T23:59:00+08:00', 'door.open', 'done'),
      ]),
    ]);
    const res = await get(`/api/owner/stores/${OWN}/audit?date=2026-11-23`, token);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.entries.map((e: { id: number }) => e.id)).toEqual([3, 2, 1]);
    expect(res.json.entries[1]).toMatchObject({
      action: 'refund.approve',
      outcome: 'refused',
      actor: { name: '小王', role: 'cashier' },
    });
    expect(res.json.more).toBe(7);
    expect(res.json.updatedAt).toBe(iso(T0 + 14 * 60_000));
    // Today in the store's time when no day is named (the cloud's clock is on 2026-11-23).
    const today = await get(`/api/owner/stores/${OWN}/audit`, token);
    expect(today.json.date).toBe('2026-11-23');
    expect(today.json.entries).toHaveLength(3);
    // A day with nothing published says so.
    const empty = await get(`/api/owner/stores/${OWN}/audit?date=2026-11-20`, token);
    expect(empty.json).toMatchObject({ entries: [], more: 0, updatedAt: null });
    const bad = await get(`/api/owner/stores/${OWN}/audit?date=23-11-2026`, token);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('date');
    expect((await get(`/api/owner/stores/${OWN}/audit`, strangerToken)).status).toBe(403);
  });
});
