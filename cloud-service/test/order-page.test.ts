// What a customer's order page reads beyond the booking itself, against the embedded
// CouchDB-compatible server over HTTP: the booking's offline way in (its entry code and the QR the
// door scanner reads, with the window the door takes them in) shown to the customer who booked it
// online and to nobody else, never in a list; and the price of extending it, asked before paying,
// refused in words when the new end breaks the store's rules; and the store's page lists the
// wallet's top-up packages its hub published, with their bonus.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AvailabilityDocSchema,
  STORE_PROFILE_ID,
  availabilityDocId,
  storeDbName,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import { startTestCouch, type TestCouch } from './test-couch';
import {
  bearer,
  bookingFact,
  callApi,
  seedStoreDocs,
  CLOUD_SECRETS,
  phoneId,
  type StoreSeed,
} from './cloud-fixtures';
import type { CouchDoc } from '../src/couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');

let root: string;
let couch: TestCouch;
let service: CloudService;
const sms = new MemorySmsProvider();

const STORE: StoreSeed = {
  storeId: 'door',
  lat: 31.2304,
  lng: 121.4737,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'door-r1', style: 'tea', capacity: 4, workday: 6000 }],
};
const ALICE = '13600000051';
const BOB = '13600000052';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'order-page-'));
  couch = await startTestCouch(root);
  await seedStoreDocs(couch.writers, STORE, T0 - 3_600_000);
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'order-page-secret-order-page-secret-order-page',
    sms,
    payments: new SimulatedCloudChannel(),
    clock: { now: () => T0 },
    sweepMs: 120_000,
    log: () => {},
  });
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

async function signIn(phone: string): Promise<Record<string, string>> {
  await callApi(service.url, 'POST', '/api/auth/sms/send', { phone });
  const verified = await callApi(service.url, 'POST', '/api/auth/sms/verify', {
    phone,
    code: sms.lastCode(phone),
  });
  return bearer(verified.json.token as string);
}

/** A booking as the hub publishes it, with the way in it publishes for an online booking. */
const withDoor = (doc: CouchDoc, entryCode: string): CouchDoc => ({
  ...doc,
  door: { entryCode, qr: `RH1:2026112300${entryCode.slice(0, 2)}:${entryCode}` },
});

describe("a customer's order page", () => {
  it('shows the door code and QR to the online booker alone, and quotes an extension', async () => {
    const alice = await signIn(ALICE);
    const bob = await signIn(BOB);
    const at = new Date(T0).toISOString();
    const db = storeDbName(STORE.storeId);
    // Booked online by Alice, 14:00-16:00; and a kiosk booking under her phone, 17:00-18:00.
    await couch.writers.put(
      db,
      withDoor(
        bookingFact({
          storeId: STORE.storeId,
          bookingId: 'online-1',
          roomId: 'door-r1',
          start: '2026-11-23T14:00:00+08:00',
          end: '2026-11-23T16:00:00+08:00',
          amount: 12000,
          customerId: phoneId(ALICE),
          intentId: 'intent-online-1',
          at,
        }),
        '123456',
      ),
    );
    await couch.writers.put(
      db,
      withDoor(
        bookingFact({
          storeId: STORE.storeId,
          bookingId: 'kiosk-1',
          roomId: 'door-r1',
          start: '2026-11-23T17:00:00+08:00',
          end: '2026-11-23T18:00:00+08:00',
          amount: 6000,
          customerId: phoneId(ALICE),
          at,
        }),
        '654321',
      ),
    );
    const order = async (id: string, who: Record<string, string>) =>
      callApi(service.url, 'GET', `/api/orders/${id}`, undefined, who);
    let mine = await order('online-1', alice);
    for (let i = 0; mine.status !== 200 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      mine = await order('online-1', alice);
    }
    expect(mine.status, JSON.stringify(mine.json)).toBe(200);
    // The door takes it from the store's early-entry grace (10 minutes) to the end.
    expect(mine.json.door).toEqual({
      entryCode: '123456',
      qr: 'RH1:202611230012:123456',
      from: '2026-11-23T13:50:00+08:00',
      until: '2026-11-23T16:00:00+08:00',
    });
    expect(mine.json.booking.door).toBeUndefined();

    // A booking found by the phone typed at the kiosk keeps its code on its receipt.
    const kiosk = await order('kiosk-1', alice);
    expect(kiosk.status).toBe(200);
    expect(kiosk.json.door).toBeNull();

    // The list never carries a code, and another customer finds nothing.
    const list = await callApi(service.url, 'GET', '/api/orders', undefined, alice);
    expect(list.json.orders).toHaveLength(2);
    for (const o of list.json.orders) expect(o.door).toBeUndefined();
    expect((await order('online-1', bob)).status).toBe(404);

    // An hour more is quoted line by line before paying; the store's rules are said in words.
    const quote = (end: string, who = alice) =>
      callApi(
        service.url,
        'GET',
        `/api/orders/online-1/extend/quote?end=${encodeURIComponent(end)}`,
        undefined,
        who,
      );
    const hour = await quote('2026-11-23T17:00:00+08:00');
    expect(hour.status, JSON.stringify(hour.json)).toBe(200);
    expect(hour.json).toMatchObject({
      start: '2026-11-23T16:00:00+08:00',
      end: '2026-11-23T17:00:00+08:00',
      minutes: 60,
      total: 6000,
    });
    expect(hour.json.lines.length).toBeGreaterThan(0);
    const before = await quote('2026-11-23T15:00:00+08:00');
    expect(before.status).toBe(400);
    expect(before.json.error).toMatchObject({ code: 'invalid_input', field: 'end' });
    const offStep = await quote('2026-11-23T16:07:00+08:00');
    expect(offStep.status).toBeGreaterThanOrEqual(400);
    expect(offStep.status).toBeLessThan(500);
    expect(offStep.json.error).toMatchObject({ code: 'off_step', field: 'end' });
    const notAnInstant = await quote('five');
    expect(notAnInstant.status).toBe(400);
    expect(notAnInstant.json.error.field).toBe('end');
    expect((await quote('2026-11-23T17:00:00+08:00', bob)).status).toBe(404);
    // Someone else's booking the store published at 17:00: extending to 16:30 still fits (its
    // 15 minutes' cleaning ends at 16:45); to 18:00 is refused before the customer pays.
    await couch.writers.put(
      db,
      AvailabilityDocSchema.parse({
        _id: availabilityDocId('door-r1', '2026-11-23'),
        type: 'availability',
        storeId: STORE.storeId,
        roomId: 'door-r1',
        date: '2026-11-23',
        segments: [
          { start: '2026-11-23T14:00:00+08:00', end: '2026-11-23T16:00:00+08:00', state: 'booked' },
          {
            start: '2026-11-23T16:00:00+08:00',
            end: '2026-11-23T16:15:00+08:00',
            state: 'cleaning',
          },
          { start: '2026-11-23T17:00:00+08:00', end: '2026-11-23T18:15:00+08:00', state: 'booked' },
        ],
        updatedAt: at,
      }) as CouchDoc,
    );
    expect((await quote('2026-11-23T16:30:00+08:00')).status).toBe(200);
    const taken = await quote('2026-11-23T18:00:00+08:00');
    expect(taken.status).toBe(409);
    expect(taken.json.error).toMatchObject({ code: 'slot_taken', field: 'end' });
    // A kiosk booking is extended at the store.
    const atStore = await callApi(
      service.url,
      'GET',
      `/api/orders/kiosk-1/extend/quote?end=${encodeURIComponent('2026-11-23T19:00:00+08:00')}`,
      undefined,
      alice,
    );
    expect(atStore.status).toBe(409);
    expect(atStore.json.error.code).toBe('booked_at_store');
  });

  it("lists the store's top-up packages on its page, none for a store that published none", async () => {
    const page = async () => callApi(service.url, 'GET', `/api/stores/${STORE.storeId}`);
    expect((await page()).json.store.walletPackages).toEqual([]);
    const db = storeDbName(STORE.storeId);
    const profile = await couch.writers.get(db, STORE_PROFILE_ID);
    const pkg = {
      packageId: 'p200',
      name: '充200送100',
      pay: 20000,
      bonus: 10000,
      bonusValidDays: 90,
    };
    await couch.writers.put(db, { ...profile!, walletPackages: [pkg] });
    let listed = await page();
    for (let i = 0; listed.json.store.walletPackages.length === 0 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      listed = await page();
    }
    expect(listed.json.store.walletPackages).toEqual([pkg]);
  });
});
