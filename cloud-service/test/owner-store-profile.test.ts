// The owner's read of what a store's hub last published about itself (GET
// /api/owner/stores/:storeId/profile): the store with its hours and booking rules, each room with
// its price plan, the owner's calendar overrides; and the store's days as its prices count them
// (GET .../calendar?from&to: the override, else the official calendar). Only an owner of that store
// reads them: another owner is refused, a store that never published is not found, nobody signed
// in is turned away. A profile the hub publishes again is read as it now is. Real HTTP against the
// embedded CouchDB-compatible server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnerStoreProfileSchema } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import { changeOwnerLink } from '../src/auth/owner-links';
import {
  CLOUD_SECRETS,
  callApi,
  bearer,
  plan,
  seedStoreDocs,
  type StoreSeed,
} from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const A_PHONE = '13900000781';
const B_PHONE = '13900000782';
const OWN = 'pa';
const OTHERS = 'pb';
/** Linked to owner A, provisioned, but its hub never published. */
const SILENT = 'pc';
const OTHERS_NAME = '别家茶馆';

const ownSeed: StoreSeed = {
  storeId: OWN,
  name: '静安茶舍',
  lat: 31.23,
  lng: 121.47,
  hours: { open: '09:00', close: '23:00' },
  rooms: [{ roomId: 'pa-r1', style: 'tea', capacity: 4, workday: 3800 }],
  calendar: { '2026-11-25': 'holiday' },
};

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;
let now = T0;
let tokenA = '';
let tokenB = '';

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

const get = (path: string, token: string) =>
  callApi(service.url, 'GET', path, undefined, bearer(token));

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'owner-store-profile-')));
  await seedStoreDocs(couch.writers, ownSeed, T0);
  await seedStoreDocs(
    couch.writers,
    {
      storeId: OTHERS,
      name: OTHERS_NAME,
      lat: 31.2,
      lng: 121.4,
      hours: { open: '10:00', close: '22:00' },
      rooms: [{ roomId: 'pb-r1', style: 'mahjong', capacity: 4, workday: 9900 }],
    },
    T0,
  );
  await couch.hub(SILENT);
  await changeOwnerLink(couch.admin, { phone: A_PHONE, add: [OWN, SILENT] }, T0);
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

describe("the owner's read of a store's profile", () => {
  it('answers the store, its rooms with their details and price plans and its calendar overrides', async () => {
    const res = await get(`/api/owner/stores/${OWN}/profile`, tokenA);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const profile = OwnerStoreProfileSchema.parse(res.json);
    expect(profile).toMatchObject({
      storeId: OWN,
      today: '2026-11-23',
      store: {
        name: '静安茶舍',
        address: `${OWN} Road 1`,
        hours: { open: '09:00', close: '23:00' },
        location: { lat: 31.23, lng: 121.47 },
        logoUrl: null,
        theme: null,
        timeZone: 'Asia/Shanghai',
      },
      calendar: { '2026-11-25': 'holiday' },
      updatedAt: '2026-11-23T10:00:00+08:00',
    });
    expect(profile.store.rules.advanceDays).toBeGreaterThan(0);
    expect(profile.rooms).toEqual([
      {
        roomId: 'pa-r1',
        name: 'Room pa-r1',
        status: 'active',
        sort: 0,
        capacity: 4,
        areaSqm: 20,
        style: 'tea',
        facilities: ['wifi'],
        photos: [],
        video: null,
        videoPoster: null,
        pricePlan: { ...plan, rates: { ...plan.rates, workday: 3800 } },
        rules: null,
      },
    ]);
  });

  it("answers the store's days: the owner's override, else the official calendar", async () => {
    const res = await get(
      `/api/owner/stores/${OWN}/calendar?from=2026-10-01&to=2026-11-30`,
      tokenA,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const day = (date: string) => res.json.find((d: { date: string }) => d.date === date);
    expect(res.json).toHaveLength(61);
    expect(day('2026-10-01')).toEqual({
      date: '2026-10-01',
      type: 'holiday',
      source: 'official',
      note: null,
    });
    expect(day('2026-11-24')).toMatchObject({ type: 'workday', source: 'official' });
    expect(day('2026-11-25')).toMatchObject({ type: 'holiday', source: 'override' });
    expect(day('2026-11-28')).toMatchObject({ type: 'weekend', source: 'official' });
    const backwards = await get(
      `/api/owner/stores/${OWN}/calendar?from=2026-11-30&to=2026-11-01`,
      tokenA,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.field).toBe('to');
  });

  it('reads what the hub published again', async () => {
    now += 60_000;
    await seedStoreDocs(
      couch.writers,
      {
        ...ownSeed,
        hours: { open: '10:00', close: '24:00' },
        rooms: [{ roomId: 'pa-r1', style: 'tea', capacity: 4, workday: 4500 }],
        calendar: { '2026-11-26': 'weekend' },
      },
      now,
    );
    const profile = (await get(`/api/owner/stores/${OWN}/profile`, tokenA)).json;
    expect(profile.store.hours).toEqual({ open: '10:00', close: '24:00' });
    expect(profile.rooms[0].pricePlan.rates.workday).toBe(4500);
    expect(profile.calendar).toEqual({ '2026-11-26': 'weekend' });
    const days = (
      await get(`/api/owner/stores/${OWN}/calendar?from=2026-11-25&to=2026-11-26`, tokenA)
    ).json;
    expect(days.map((d: { source: string }) => d.source)).toEqual(['official', 'override']);
  });

  it("refuses another owner's store, a store that never published and nobody signed in", async () => {
    for (const path of [
      `/api/owner/stores/${OTHERS}/profile`,
      `/api/owner/stores/${OTHERS}/calendar?from=2026-11-01&to=2026-11-30`,
    ]) {
      const theirs = await get(path, tokenA);
      expect(theirs.status, path).toBe(403);
      expect(theirs.json.error.code).toBe('not_your_store');
      expect(JSON.stringify(theirs.json)).not.toContain(OTHERS_NAME);
      // Their own owner reads it.
      expect((await get(path, tokenB)).status, path).toBe(200);
      expect((await get(path, '')).status, path).toBe(401);
    }
    const silent = await get(`/api/owner/stores/${SILENT}/profile`, tokenA);
    expect(silent.status).toBe(404);
    expect(silent.json.error.code).toBe('store_not_found');
    // B runs OTHERS alone: not A's store either.
    expect((await get(`/api/owner/stores/${OWN}/profile`, tokenB)).status).toBe(403);
  });
});
