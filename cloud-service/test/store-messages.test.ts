// The store's own inbox (C13) over real HTTP against the embedded CouchDB-compatible server: a
// booking paid at a store becomes a 新预订 notice in that store's inbox, which its hub reads and
// marks read with its own CouchDB user (the owner and managers read it at the hub); another
// store's hub sees only its own notices and cannot mark this store's, a customer's or an owner's
// token is no hub; the store's read state is its own, so the owner's remote inbox stays unread; a
// store with no owner account still hears of its bookings.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingDocSchema, bookingDocId, storeDbName } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchDoc } from '../src/couch';
import { authorizationOf, startTestCouch, type TestCouch } from './test-couch';
import { bearer, callApi, seedStoreDocs, CLOUD_SECRETS, type StoreSeed } from './cloud-fixtures';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const MIN = 60_000;
let clock = T0;
let root: string;
let couch: TestCouch;
let service: CloudService;
const codes = new MemorySmsProvider();
const seed = (storeId: string, name: string): StoreSeed => ({
  storeId,
  name,
  lat: 31.23,
  lng: 121.47,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 5000 }],
});
const A = seed('sia', '茶隐');
const B = seed('sib', '棋乐');
const OWNER = '13900000061';
const CUSTOMER = '13800000061';
/** Each store's hub, as it signs in to the cloud: HTTP Basic with its CouchDB user. */
const hubOf: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-store-messages-'));
  couch = await startTestCouch(root);
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'store-messages-test-secret-store-messages',
    sms: codes,
    payments: new SimulatedCloudChannel(),
    clock: { now: () => clock },
    sweepMs: 0,
    log: (e) => console.error(e),
  });
  for (const s of [A, B]) {
    await seedStoreDocs(await couch.hub(s.storeId), s, T0);
    hubOf[s.storeId] = { authorization: authorizationOf(await couch.hubUrl(s.storeId)) };
  }
  // Only the first store has an owner account.
  await putOwnerAccount(couch.cloud, {
    username: OWNER,
    password: 'owner-password',
    storeIds: [A.storeId],
  });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

const iso = (ms: number) => new Date(ms).toISOString();

/** A booking a store's hub published, created and paid at the counter. */
async function paidBooking(s: StoreSeed, bookingId: string, paidAt: number): Promise<void> {
  const doc = BookingDocSchema.parse({
    _id: bookingDocId(bookingId),
    type: 'booking',
    storeId: s.storeId,
    bookingId,
    roomId: `${s.storeId}-r1`,
    status: 'paid',
    start: iso(T0 + 60 * MIN),
    end: iso(T0 + 180 * MIN),
    partySize: 2,
    totals: { amount: 9600, paid: 9600, refunded: 0 },
    lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: 9600, amount: 9600 }],
    history: [
      { at: iso(paidAt - MIN), action: 'create', from: null, to: 'pending_payment' },
      { at: iso(paidAt), action: 'pay', from: 'pending_payment', to: 'paid' },
    ].map((h) => ({ ...h, actor: { kind: 'staff', id: 'cashier' } })),
    updatedAt: iso(paidAt),
  }) as CouchDoc;
  await (await couch.hub(s.storeId)).put(storeDbName(s.storeId), doc);
}

const asHub = (storeId: string, method: string, url: string) =>
  callApi(service.url, method, url, undefined, hubOf[storeId]);

describe("the store's inbox, read by its hub", () => {
  it("gives a hub its own store's notices only; another hub, a customer or an owner is refused", async () => {
    await paidBooking(A, 'smb1', T0 + MIN);
    clock = T0 + 2 * MIN;
    await service.sweepNow();

    const mine = await asHub(A.storeId, 'GET', '/api/hub/messages');
    expect(mine.status).toBe(200);
    expect(mine.json.unread).toBe(1);
    expect(mine.json.messages).toHaveLength(1);
    expect(mine.json.messages[0]).toMatchObject({
      kind: 'new_booking',
      title: '新预订',
      storeId: A.storeId,
      bookingId: 'smb1',
      read: false,
    });
    expect(mine.json.messages[0].body).toContain('茶隐');
    const id = mine.json.messages[0].id as string;

    // The other store's hub has none of it, and cannot mark it read.
    const theirs = await asHub(B.storeId, 'GET', '/api/hub/messages');
    expect(theirs.status).toBe(200);
    expect(theirs.json).toEqual({ unread: 0, messages: [] });
    const poke = await asHub(B.storeId, 'POST', `/api/hub/messages/${encodeURIComponent(id)}/read`);
    expect(poke.status).toBe(404);
    expect(poke.json.error.code).toBe('message_not_found');
    await asHub(B.storeId, 'POST', '/api/hub/messages/read');
    expect((await asHub(A.storeId, 'GET', '/api/hub/messages')).json.unread).toBe(1);

    // A customer's token and an owner's are no hub's; nor is no sign-in.
    await callApi(service.url, 'POST', '/api/auth/sms/send', { phone: CUSTOMER });
    const signedIn = await callApi(service.url, 'POST', '/api/auth/sms/verify', {
      phone: CUSTOMER,
      code: codes.lastCode(CUSTOMER),
    });
    const login = await callApi(service.url, 'POST', '/api/owner/login', {
      username: OWNER,
      password: 'owner-password',
    });
    const ownerToken = login.json.token as string;
    for (const headers of [bearer(signedIn.json.token as string), bearer(ownerToken), {}]) {
      const r = await callApi(service.url, 'GET', '/api/hub/messages', undefined, headers);
      expect(r.status).toBe(401);
      const mark = await callApi(service.url, 'POST', '/api/hub/messages/read', undefined, headers);
      expect(mark.status).toBe(401);
    }

    // The hub marks it read for the store; the owner's own inbox keeps its copy unread.
    const read = await asHub(A.storeId, 'POST', `/api/hub/messages/${encodeURIComponent(id)}/read`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ unread: 0 });
    expect((await asHub(A.storeId, 'GET', '/api/hub/messages')).json.messages[0].read).toBe(true);
    const remote = await callApi(
      service.url,
      'GET',
      '/api/owner/messages',
      undefined,
      bearer(ownerToken),
    );
    expect(remote.json.unread).toBe(1);
    expect(remote.json.messages[0]).toMatchObject({ kind: 'new_booking', read: false });
  });

  it('tells a store with no owner account of its bookings too, and marks them all read', async () => {
    await paidBooking(B, 'smb2', T0 + 3 * MIN);
    await paidBooking(B, 'smb3', T0 + 4 * MIN);
    clock = T0 + 5 * MIN;
    await service.sweepNow();
    // Read again: still one notice per booking.
    await service.sweepNow();
    const inbox = await asHub(B.storeId, 'GET', '/api/hub/messages');
    expect(inbox.json.unread).toBe(2);
    expect(inbox.json.messages.map((m: { bookingId: string }) => m.bookingId)).toEqual([
      'smb3',
      'smb2',
    ]);
    const all = await asHub(B.storeId, 'POST', '/api/hub/messages/read');
    expect(all.json).toEqual({ unread: 0 });
    // The first store's inbox is untouched by the second's.
    expect((await asHub(A.storeId, 'GET', '/api/hub/messages')).json.messages).toHaveLength(1);
  });
});
