// The cloud service over real HTTP against the embedded CouchDB-compatible server: sign-in,
// discovery, quotes, booking requests answered (or not) by a fake hub, expiry and payment release,
// the intents about an order, the owner's view, and fuzzed bodies that must never cause a 5xx.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verify } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDayTypeResolver, quotePackage, quoteSpan } from '@roomhub/shared-types';
import {
  AvailabilityDocSchema,
  BookingDocSchema,
  IntentDocSchema,
  LedgerDocSchema,
  answerDoc,
  intentDocId,
  intentSigningText,
  availabilityDocId,
  bookingDocId,
  ledgerDocId,
  storeDbName,
  storeInboxDbName,
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  type AnswerBody,
  type IntentDoc,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  putOwnerAccount,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchClient, CouchDoc } from '../src/couch';
import {
  SH,
  callApi,
  plan,
  seedStoreDocs,
  type Json,
  type StoreSeed,
  CLOUD_KEYS,
  CLOUD_SECRETS,
  phoneId,
} from './cloud-fixtures';
import { authorizationOf, startTestCouch, type TestCouch } from './test-couch';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const CONFIRM_TIMEOUT_MS = 120_000;

let clock = T0;
let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService;
let sms: MemorySmsProvider;
let payments: SimulatedCloudChannel;
const stops: (() => void)[] = [];

const STORES: StoreSeed[] = [
  {
    storeId: 'sa',
    lat: 31.2304,
    lng: 121.4737,
    hours: { open: '09:00', close: '23:00' },
    rooms: [
      { roomId: 'sa-r1', style: 'tea', capacity: 4, workday: 6000 },
      { roomId: 'sa-r2', style: 'mahjong', capacity: 6, workday: 8000 },
    ],
    calendar: { '2026-11-25': 'holiday' },
  },
  {
    storeId: 'sb',
    lat: 31.2304,
    lng: 121.5263, // about 5 km east
    hours: { open: '10:00', close: '02:00' },
    rooms: [{ roomId: 'sb-r1', style: 'mahjong', capacity: 4, workday: 4000 }],
  },
  {
    storeId: 'sc',
    lat: 31.6804, // about 50 km north
    lng: 121.4737,
    hours: { open: '22:00', close: '06:00' },
    rooms: [{ roomId: 'sc-r1', style: 'tea', capacity: 4, workday: 3000 }],
  },
];

/** Writes a store's documents as its hub would (checked against the sync schemas). */
const seedStore = (seed: StoreSeed) => seedStoreDocs(db, seed, T0 - 3_600_000);

const api = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  callApi(service.url, method, url, body, headers);

const auth = (token: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${token}`,
  ...extra,
});

let phoneSeq = 100;
/** Signs a fresh customer in by SMS and returns the token. */
async function signIn(): Promise<{ token: string; phone: string }> {
  const phone = `1390000${String((phoneSeq += 1)).padStart(4, '0')}`;
  expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
  const code = sms.lastCode(phone)!;
  const verified = await api('POST', '/api/auth/sms/verify', { phone, code });
  expect(verified.status).toBe(200);
  return { token: verified.json.token as string, phone };
}

type Decide = (intent: IntentDoc) => AnswerBody | undefined;

/**
 * A stand-in hub: watches the store's intents and writes one answer per intent; a confirmed
 * booking request also gets the booking document and its payment in the ledger.
 */
function fakeHub(storeId: string, decide: Decide): { stop(): void; answered: Set<string> } {
  const name = storeDbName(storeId);
  const answered = new Set<string>();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      for (const raw of await db.byPrefix(storeInboxDbName(storeId), 'intent:')) {
        const parsed = IntentDocSchema.safeParse(raw);
        if (!parsed.success || answered.has(parsed.data.intentId)) continue;
        const intent = parsed.data;
        if (await db.get(name, `answer:${intent.intentId}`)) {
          answered.add(intent.intentId);
          continue;
        }
        const body = decide(intent);
        if (!body) continue;
        if (intent.kind === 'booking_request' && body.outcome === 'confirmed' && body.bookingId) {
          await putBooking(storeId, body.bookingId, 'paid', {
            intentId: intent.intentId,
            customerId: intent.customerId,
            amount: intent.body.payment?.amount ?? 0,
            start: intent.body.booking.start,
            end: intent.body.booking.end ?? intent.body.booking.start,
            roomId: intent.body.booking.roomId,
          });
        }
        await db.put(name, answerDoc(intent.intentId, body, clock) as CouchDoc);
        answered.add(intent.intentId);
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  void loop();
  const hub = { stop: () => (stopped = true), answered };
  stops.push(hub.stop);
  return hub;
}

async function putBooking(
  storeId: string,
  bookingId: string,
  status: 'paid' | 'in_use' | 'completed',
  f: {
    intentId?: string;
    customerId: string;
    amount: number;
    start: string;
    end: string;
    roomId: string;
  },
): Promise<void> {
  const name = storeDbName(storeId);
  const existing = await db.get(name, bookingDocId(bookingId));
  const at = new Date(clock).toISOString();
  await db.put(name, {
    ...(BookingDocSchema.parse({
      _id: bookingDocId(bookingId),
      type: 'booking',
      storeId,
      bookingId,
      roomId: f.roomId,
      status,
      start: f.start,
      end: f.end,
      partySize: 2,
      ...(f.intentId ? { intentId: f.intentId } : {}),
      customerId: f.customerId,
      totals: { amount: f.amount, paid: f.amount, refunded: 0 },
      lines: [{ kind: 'time', label: 'Room', quantity: 1, unitPrice: f.amount, amount: f.amount }],
      history: [
        {
          at,
          action: 'create',
          from: null,
          to: 'pending_payment',
          actor: { kind: 'customer', id: 'c' },
        },
        {
          at,
          action: 'pay',
          from: 'pending_payment',
          to: 'paid',
          actor: { kind: 'system', id: 'cloud' },
        },
      ],
      updatedAt: at,
    }) as CouchDoc),
    ...(existing?._rev ? { _rev: existing._rev } : {}),
  });
  const ledgerId = ledgerDocId(bookingId, 'pay1');
  if (!(await db.get(name, ledgerId))) {
    await db.put(
      name,
      LedgerDocSchema.parse({
        _id: ledgerId,
        type: 'ledger',
        storeId,
        bookingId,
        entryId: 'pay1',
        kind: 'payment',
        method: 'wechat',
        amount: f.amount,
        at,
      }) as CouchDoc,
    );
  }
}

async function intentsOf(storeId: string): Promise<IntentDoc[]> {
  return (await db.byPrefix(storeInboxDbName(storeId), 'intent:')).map((d) =>
    IntentDocSchema.parse(d),
  );
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-service-'));
  couch = await startTestCouch(root);
  // Every write as its real writer makes it: facts as the store's hub, the rest as the cloud.
  db = couch.writers;
  for (const store of STORES) await seedStore(store);
  await db.put(
    storeDbName('sa'),
    AvailabilityDocSchema.parse({
      _id: availabilityDocId('sa-r1', '2026-11-24'),
      type: 'availability',
      storeId: 'sa',
      roomId: 'sa-r1',
      date: '2026-11-24',
      segments: [
        { start: '2026-11-24T06:00:00.000Z', end: '2026-11-24T08:00:00.000Z', state: 'booked' },
      ],
      updatedAt: new Date(T0).toISOString(),
    }) as CouchDoc,
  );
  sms = new MemorySmsProvider();
  payments = new SimulatedCloudChannel();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    sms,
    payments,
    clock: { now: () => clock },
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    answerWaitMs: 1_500,
    intentWaitMs: 1_500,
    sweepMs: 0,
    catalogueRefreshMs: 0,
    // Every test signs its customers in from this one address: the sender limit has its own test.
    smsLimits: { senderPerMinute: 10_000, senderPerHour: 10_000 },
    log: () => {},
  });
  expect(await service.refreshCatalogue()).toBe(3);
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  clock = T0;
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('sign-in', () => {
  it('signs in by SMS code, once per code, with the error shape on failure', async () => {
    const phone = '13812345678';
    expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const code = sms.lastCode(phone)!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await api('POST', '/api/auth/sms/verify', {
      phone,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    const ok = await api('POST', '/api/auth/sms/verify', { phone, code });
    expect(ok.status).toBe(200);
    expect(ok.json.customerId).toBe(phoneId(phone));
    expect((await api('POST', '/api/auth/sms/verify', { phone, code })).status).toBe(401);
    const orders = await api('GET', '/api/orders', undefined, auth(ok.json.token));
    expect(orders.status).toBe(200);
  });

  it('rate-limits codes per phone (1 a minute, 5 an hour) and expires them after 5 minutes', async () => {
    const phone = '13912345678';
    expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const again = await api('POST', '/api/auth/sms/send', { phone });
    expect(again.status).toBe(429);
    expect(again.json.error).toMatchObject({ code: 'rate_limited', field: 'phone' });
    for (let n = 2; n <= 5; n += 1) {
      clock += 61_000;
      expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    }
    clock += 61_000;
    const hourly = await api('POST', '/api/auth/sms/send', { phone });
    expect(hourly.status).toBe(429);
    expect(hourly.json.error.message).toMatch(/5 codes an hour/);
    const code = sms.lastCode(phone)!;
    clock += 5 * 60_000;
    expect((await api('POST', '/api/auth/sms/verify', { phone, code })).status).toBe(401);
  });

  it('limits codes per sender too: twenty phones from one address get three codes a minute', async () => {
    // Its own instance, with the default limits and its own key (so its own count of senders).
    const limited = await startCloudService({
      couchUrl: couch.cloudUrl,
      ...CLOUD_SECRETS,
      jwtSecret: 'sender-test-secret-sender-test-secret-0123',
      sms,
      payments,
      clock: { now: () => clock },
      sweepMs: 0,
      log: () => {},
    });
    try {
      const send = (i: number, headers: Record<string, string> = {}) =>
        callApi(
          limited.url,
          'POST',
          '/api/auth/sms/send',
          { phone: `1350000${1000 + i}` },
          headers,
        );
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await send(i)).status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(3);
      const refused = await send(20);
      expect(refused.status).toBe(429);
      expect(refused.json.error).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(/from here/),
      });
      // Without a trusted proxy, a forwarded-for header is the caller's own word: ignored.
      expect((await send(21, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
      clock += 61_000;
      expect((await send(22)).status).toBe(202);
      // Nothing was texted to the phones the sender's limit refused.
      expect(sms.sent.filter((m) => m.phone === '13500001021')).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('tells senders apart behind a trusted proxy by the address it forwards', async () => {
    const behind = await startCloudService({
      couchUrl: couch.cloudUrl,
      ...CLOUD_SECRETS,
      jwtSecret: 'proxy-test-secret-proxy-test-secret-0123',
      sms,
      payments,
      clock: { now: () => clock },
      trustProxy: 'loopback',
      sweepMs: 0,
      log: () => {},
    });
    try {
      const send = (i: number, from: string) =>
        callApi(
          behind.url,
          'POST',
          '/api/auth/sms/send',
          { phone: `1350001${1000 + i}` },
          { 'X-Forwarded-For': from },
        );
      const one = [];
      for (let i = 0; i < 4; i += 1) one.push((await send(i, '203.0.113.1')).status);
      expect(one).toEqual([202, 202, 202, 429]);
      expect((await send(4, '203.0.113.2')).status).toBe(202);
    } finally {
      await behind.close();
    }
  });

  it('signs in through the simulated WeChat adapter and refuses missing or bad tokens', async () => {
    const first = await api('POST', '/api/auth/wechat', { code: 'wx-code-1' });
    expect(first.status).toBe(200);
    expect(first.json.customerId).toMatch(/^w/);
    expect((await api('POST', '/api/auth/wechat', { code: 'wx-code-1' })).status).toBe(401);
    const none = await api('GET', '/api/orders');
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: { code: 'sign_in_required', message: expect.any(String) } });
    expect((await api('GET', '/api/orders', undefined, auth('not.a.token'))).status).toBe(401);
    // A WeChat customer without a phone must give one to book.
    const booking = await api(
      'POST',
      '/api/bookings',
      {
        storeId: 'sa',
        roomId: 'sa-r1',
        start: '2026-11-24T14:00:00+08:00',
        end: '2026-11-24T16:00:00+08:00',
        partySize: 2,
      },
      auth(first.json.token),
    );
    expect(booking.status).toBe(400);
    expect(booking.json.error.field).toBe('phone');
  });
});

describe('discovery and quotes', () => {
  const here = 'lat=31.2304&lng=121.4737';
  const ids = (json: Json) => (json.stores as { storeId: string }[]).map((s) => s.storeId);

  it('leaves unchanged catalogue entries alone when it refreshes', async () => {
    const revs = async () =>
      (
        (await (
          await fetch(`${couch.couch.url}/catalogue/_all_docs`, {
            headers: { authorization: authorizationOf(couch.cloudUrl) },
          })
        ).json()) as {
          rows: { id: string; value: { rev: string } }[];
        }
      ).rows
        .map((r) => `${r.id}@${r.value.rev}`)
        .sort();
    const before = await revs();
    await service.refreshCatalogue();
    expect(await revs()).toEqual(before);
  });

  it('lists stores nearest first with distance, and filters them', async () => {
    const all = await api('GET', `/api/stores?${here}`);
    expect(all.status).toBe(200);
    expect(ids(all.json)).toEqual(['sa', 'sb', 'sc']);
    const [a, b, c] = all.json.stores;
    expect(a.distanceKm).toBe(0);
    expect(b.distanceKm).toBeGreaterThan(4.5);
    expect(b.distanceKm).toBeLessThan(5.5);
    expect(c.distanceKm).toBeGreaterThan(49);
    expect(ids((await api('GET', `/api/stores?${here}&maxKm=10`)).json)).toEqual(['sa', 'sb']);
    // At most `limit` of them, the nearest first.
    expect(ids((await api('GET', `/api/stores?${here}&limit=2`)).json)).toEqual(['sa', 'sb']);
    expect(ids((await api('GET', `/api/stores?${here}&maxKm=100&limit=1`)).json)).toEqual(['sa']);
    expect(ids((await api('GET', `/api/stores?${here}&style=mahjong`)).json)).toEqual(['sa', 'sb']);
    expect(ids((await api('GET', `/api/stores?${here}&capacity=6`)).json)).toEqual(['sa']);
    expect(ids((await api('GET', `/api/stores?${here}&priceMax=5000`)).json)).toEqual(['sb', 'sc']);
    expect(ids((await api('GET', `/api/stores?${here}&priceMin=7000`)).json)).toEqual(['sa']);
    // 10:00 in Shanghai: the night store is closed.
    expect(ids((await api('GET', `/api/stores?${here}&openNow=true`)).json)).toEqual(['sa', 'sb']);
    clock = Date.parse('2026-11-23T23:30:00+08:00');
    expect(ids((await api('GET', `/api/stores?${here}&openNow=1`)).json)).toEqual(['sb', 'sc']);
  });

  it('answers bad queries with 400 naming the field', async () => {
    for (const [query, field] of [
      ['lat=abc&lng=1', 'lat'],
      ['lat=95&lng=1', 'lat'],
      ['lat=31', 'lng'],
      ['maxKm=5', 'maxKm'],
      ['openNow=maybe', 'openNow'],
      [`${here}&capacity=0`, 'capacity'],
      [`${here}&style=a&style=b`, 'style'],
      [`${here}&limit=0`, 'limit'],
      [`${here}&limit=2.5`, 'limit'],
      [`${here}&limit=201`, 'limit'],
    ] as const) {
      const res = await api('GET', `/api/stores?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error.field, query).toBe(field);
    }
  });

  it('shows a store with its rooms, a room day from the hub, and 404 for unknown ones', async () => {
    const store = await api('GET', '/api/stores/sa');
    expect(store.status).toBe(200);
    expect(store.json.rooms.map((r: { roomId: string }) => r.roomId)).toEqual(['sa-r1', 'sa-r2']);
    expect((await api('GET', '/api/stores/nope')).status).toBe(404);
    expect((await api('GET', '/api/stores/Bad_Id!')).status).toBe(400);
    const day = await api('GET', '/api/stores/sa/rooms/sa-r1/availability?date=2026-11-24');
    // The whole day in the store's zone, the free stretches too.
    expect(day.json.segments).toEqual([
      { start: '2026-11-24T00:00:00+08:00', end: '2026-11-24T14:00:00+08:00', state: 'free' },
      { start: '2026-11-24T14:00:00+08:00', end: '2026-11-24T16:00:00+08:00', state: 'booked' },
      { start: '2026-11-24T16:00:00+08:00', end: '2026-11-25T00:00:00+08:00', state: 'free' },
    ]);
    // Nothing taken that day, as of the store's last sync: all free, not "nothing known".
    const free = await api('GET', '/api/stores/sa/rooms/sa-r1/availability?date=2026-11-26');
    expect(free.json).toMatchObject({
      segments: [
        { start: '2026-11-26T00:00:00+08:00', end: '2026-11-27T00:00:00+08:00', state: 'free' },
      ],
      updatedAt: null,
      syncedAt: expect.stringMatching(/\+08:00$/),
    });
    const bad = await api('GET', '/api/stores/sa/rooms/sa-r1/availability?date=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('date');

    // The hub publishes the day again: "last synced" is never older than the day as read, even
    // while the store's index has not taken the new document in yet.
    const later = new Date(T0 + 3_600_000).toISOString();
    const id = availabilityDocId('sa-r1', '2026-11-24');
    const before = (await db.get(storeDbName('sa'), id))!;
    await db.put(storeDbName('sa'), { ...before, segments: [], updatedAt: later });
    try {
      const again = await api('GET', '/api/stores/sa/rooms/sa-r1/availability?date=2026-11-24');
      expect(again.json.segments).toEqual([
        { start: '2026-11-24T00:00:00+08:00', end: '2026-11-25T00:00:00+08:00', state: 'free' },
      ]);
      expect(Date.parse(again.json.syncedAt)).toBeGreaterThanOrEqual(Date.parse(later));
    } finally {
      // The other tests (and a retry) see the day as it was.
      const { _rev } = (await db.get(storeDbName('sa'), id))!;
      await db.put(storeDbName('sa'), { ...before, _rev });
    }
  });

  it('quotes exactly what shared-types quotes, calendar overrides included', async () => {
    const ctx = { timeZone: SH, dayType: makeDayTypeResolver({ '2026-11-25': 'holiday' }) };
    const at = (s: string) => Date.parse(s);
    for (const [start, end] of [
      ['2026-11-24T17:00:00+08:00', '2026-11-24T20:30:00+08:00'],
      ['2026-11-25T10:00:00+08:00', '2026-11-25T12:00:00+08:00'], // overridden to a holiday
      ['2026-11-28T21:00:00+08:00', '2026-11-29T01:00:00+08:00'],
    ] as const) {
      const res = await api('POST', '/api/quotes', { storeId: 'sa', roomId: 'sa-r1', start, end });
      expect(res.status).toBe(200);
      expect(res.json.quote.total).toBe(
        quoteSpan(plan, { start: at(start), end: at(end) }, ctx).total,
      );
    }
    const holiday = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sa-r1',
      start: '2026-11-25T10:00:00+08:00',
      end: '2026-11-25T11:00:00+08:00',
    });
    expect(holiday.json.quote.total).toBe(10000);
    const pkg = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sa-r1',
      start: '2026-11-24T13:00:00+08:00',
      packageId: 'afternoon',
    });
    expect(pkg.json.quote.total).toBe(
      quotePackage(plan, 'afternoon', at('2026-11-24T13:00:00+08:00'), ctx).total,
    );
    const wrongStart = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sa-r1',
      start: '2026-11-24T14:00:00+08:00',
      packageId: 'afternoon',
    });
    expect(wrongStart.status).toBe(422);
    expect(wrongStart.json.error).toMatchObject({ code: 'package_start_mismatch', field: 'start' });
    // The hub's span rules come first: a start off the store's 30-minute step is refused.
    const offStep = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sa-r1',
      start: '2026-11-24T17:10:00+08:00',
      end: '2026-11-24T19:00:00+08:00',
    });
    expect(offStep.status).toBe(422);
    expect(offStep.json.error).toMatchObject({ code: 'off_step', field: 'start' });
    const backwards = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sa-r1',
      start: '2026-11-24T14:00:00+08:00',
      end: '2026-11-24T13:00:00+08:00',
    });
    expect(backwards.json.error.field).toBe('end');
    const noRoom = await api('POST', '/api/quotes', {
      storeId: 'sa',
      roomId: 'sb-r1',
      start: '2026-11-24T14:00:00+08:00',
      end: '2026-11-24T15:00:00+08:00',
    });
    expect(noRoom.status).toBe(404);
  });
});

const span = { start: '2026-11-24T14:00:00+08:00', end: '2026-11-24T16:00:00+08:00' };

describe('booking requests', () => {
  it('is confirmed by the hub: 201 with the booking, payment captured, visible in my orders', async () => {
    const { token } = await signIn();
    fakeHub('sa', (i) =>
      i.kind === 'booking_request'
        ? { outcome: 'confirmed', bookingId: `b-${i.intentId}` }
        : undefined,
    );
    const res = await api(
      'POST',
      '/api/bookings',
      { storeId: 'sa', roomId: 'sa-r1', ...span, partySize: 2 },
      auth(token),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ state: 'confirmed', bookingId: `b-${res.json.intentId}` });
    expect(res.json.payment).toEqual({ amount: 12000, state: 'captured' });
    const intent = (await intentsOf('sa')).find((i) => i.intentId === res.json.intentId)!;
    expect(intent.kind).toBe('booking_request');
    expect(intent.expiresAt).toBe(new Date(T0 + CONFIRM_TIMEOUT_MS).toISOString());
    expect(payments.payments.get(`pay-${res.json.intentId}`)?.state).toBe('captured');

    const orders = await api('GET', '/api/orders', undefined, auth(token));
    expect(orders.json.orders.map((o: { bookingId: string }) => o.bookingId)).toEqual([
      res.json.bookingId,
    ]);
    expect(
      (await api('GET', '/api/orders?status=completed', undefined, auth(token))).json.orders,
    ).toEqual([]);
    expect((await api('GET', '/api/orders?status=nope', undefined, auth(token))).status).toBe(400);
    const detail = await api('GET', `/api/orders/${res.json.bookingId}`, undefined, auth(token));
    expect(detail.status).toBe(200);
    expect(detail.json.booking.history).toHaveLength(2);
    expect(detail.json.ledger).toMatchObject([{ kind: 'payment', amount: 12000 }]);
    const other = await signIn();
    expect(
      (await api('GET', `/api/orders/${res.json.bookingId}`, undefined, auth(other.token))).status,
    ).toBe(404);
  });

  it('is rejected by the hub: 409 with its reason, payment released', async () => {
    const { token } = await signIn();
    fakeHub('sb', () => ({ outcome: 'rejected', reason: 'the room is taken then' }));
    const res = await api(
      'POST',
      '/api/bookings',
      { storeId: 'sb', roomId: 'sb-r1', ...span, partySize: 2 },
      auth(token),
    );
    expect(res.status).toBe(409);
    expect(res.json.error).toEqual({ code: 'rejected', message: 'the room is taken then' });
    expect(payments.payments.get(`pay-${res.json.intentId}`)?.state).toBe('released');
  });

  it('answers 402 when the payment channel declines, and writes no intent', async () => {
    const { token } = await signIn();
    const before = (await intentsOf('sb')).length;
    payments.declineFrom = 1;
    try {
      const res = await api(
        'POST',
        '/api/bookings',
        { storeId: 'sb', roomId: 'sb-r1', ...span, partySize: 2 },
        auth(token),
      );
      expect(res.status).toBe(402);
      expect(res.json.error.code).toBe('payment_declined');
    } finally {
      payments.declineFrom = Number.POSITIVE_INFINITY;
    }
    expect((await intentsOf('sb')).length).toBe(before);
  });

  it('refuses at once what the hub would refuse by its rules, and writes no intent', async () => {
    const { token } = await signIn();
    // A store of its own, so its inbox holds only what this test writes.
    await seedStore({
      storeId: 'sf',
      lat: 31.3,
      lng: 121.5,
      hours: { open: '09:00', close: '23:00' },
      rooms: [
        { roomId: 'sf-r1', style: 'tea', capacity: 4, workday: 5000 },
        // Its own window: two days, not the store's seven.
        { roomId: 'sf-r2', style: 'tea', capacity: 4, workday: 5000, rules: { advanceDays: 2 } },
      ],
    });
    const holds = payments.moves.length;
    const book = (body: Record<string, unknown>) =>
      api('POST', '/api/bookings', { storeId: 'sf', roomId: 'sf-r1', ...body }, auth(token));
    // Bookings open 7 days ahead (the store's advanceDays); this is 8 days ahead.
    const far = await book({
      start: '2026-12-01T14:00:00+08:00',
      end: '2026-12-01T16:00:00+08:00',
      partySize: 2,
    });
    expect(far.status).toBe(422);
    expect(far.json.error).toMatchObject({ code: 'too_far_ahead', field: 'start' });
    const offStep = await book({
      start: '2026-11-24T14:10:00+08:00',
      end: '2026-11-24T16:00:00+08:00',
      partySize: 2,
    });
    expect(offStep.status).toBe(422);
    expect(offStep.json.error).toMatchObject({ code: 'off_step', field: 'start' });
    const crowd = await book({ ...span, partySize: 5 });
    expect(crowd.status).toBe(422);
    expect(crowd.json.error).toMatchObject({ code: 'party_too_large', field: 'partySize' });
    // Three days ahead is inside the store's window but outside this room's own.
    const roomFar = await book({
      roomId: 'sf-r2',
      start: '2026-11-26T14:00:00+08:00',
      end: '2026-11-26T16:00:00+08:00',
      partySize: 2,
    });
    expect(roomFar.status).toBe(422);
    expect(roomFar.json.error).toMatchObject({ code: 'too_far_ahead', field: 'start' });
    expect(await db.byPrefix(storeInboxDbName('sf'), 'intent:')).toEqual([]);
    // The store's page gives each room its window, so the days a customer may pick end where
    // this check does.
    const page = await api('GET', '/api/stores/sf');
    expect(page.status).toBe(200);
    const windows = (page.json.rooms as { roomId: string; rules: { advanceDays: number } }[]).map(
      (r) => [r.roomId, r.rules.advanceDays],
    );
    expect(Object.fromEntries(windows)).toEqual({ 'sf-r1': 7, 'sf-r2': 2 });
    expect(payments.moves.length).toBe(holds);
  });

  it('waits when the store is offline, then expires and releases the payment exactly once', async () => {
    const { token } = await signIn();
    const res = await api(
      'POST',
      '/api/bookings',
      { storeId: 'sc', roomId: 'sc-r1', ...span, partySize: 2 },
      auth(token),
    );
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      state: 'waiting',
      message: expect.stringContaining('门店离线'),
    });
    const intentId = res.json.intentId as string;
    const paymentId = `pay-${intentId}`;
    expect((await api('GET', `/api/intents/${intentId}`, undefined, auth(token))).json.state).toBe(
      'waiting',
    );
    expect(await service.sweepNow()).toMatchObject({ settled: 0, expired: 0 });
    // The owner sees the intent waiting for the offline store.
    await putOwnerAccount(db, { username: 'owner-c', password: 'correct horse', storeIds: ['sc'] });
    const owner = await api('POST', '/api/owner/login', {
      username: 'owner-c',
      password: 'correct horse',
    });
    const syncOf = async () =>
      (await api('GET', '/api/owner/stores/sc/sync', undefined, auth(owner.json.token))).json;
    const waiting = await syncOf();
    expect(waiting.unansweredIntents).toBeGreaterThanOrEqual(1);
    expect(typeof waiting.oldestUnansweredAt).toBe('string');

    // Past the expiry and the grace the cloud gives the hub's answer to arrive.
    clock = T0 + CONFIRM_TIMEOUT_MS + 15_000;
    await Promise.all([
      service.sweepNow(),
      service.cloud.intents.sweep(),
      service.cloud.intents.sweep(),
    ]);
    await service.sweepNow();
    const state = await api('GET', `/api/intents/${intentId}`, undefined, auth(token));
    expect(state.json).toMatchObject({ state: 'expired', payment: { state: 'released' } });
    expect((await syncOf()).unansweredIntents).toBeLessThan(waiting.unansweredIntents);
    expect(payments.moves.filter((m) => m.paymentId === paymentId)).toEqual([
      { paymentId, to: 'authorised' },
      { paymentId, to: 'released' },
    ]);

    // The hub confirms late: the cloud asks it, once, to cancel that booking without charging.
    await db.put(
      storeDbName('sc'),
      answerDoc(intentId, { outcome: 'confirmed', bookingId: 'late1' }, clock) as CouchDoc,
    );
    await service.sweepNow();
    await service.sweepNow();
    const followUps = (await intentsOf('sc')).filter((i) => i.kind === 'refund_request');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({
      intentId: `late-${intentId}`,
      body: { bookingId: 'late1' },
    });
    expect(payments.moves.filter((m) => m.paymentId === paymentId)).toHaveLength(2);
    const other = await signIn();
    expect(
      (await api('GET', `/api/intents/${intentId}`, undefined, auth(other.token))).status,
    ).toBe(404);
  });

  it('makes one intent and one payment hold for a re-sent request with the same Idempotency-Key', async () => {
    const { token } = await signIn();
    const body = {
      storeId: 'sc',
      roomId: 'sc-r1',
      start: '2026-11-26T14:00:00+08:00',
      end: '2026-11-26T15:00:00+08:00',
      partySize: 2,
    };
    const headers = auth(token, { 'Idempotency-Key': 'order-abc-12345' });
    const before = (await intentsOf('sc')).length;
    const [a, b] = await Promise.all([
      api('POST', '/api/bookings', body, headers),
      api('POST', '/api/bookings', body, headers),
    ]);
    const c = await api('POST', '/api/bookings', body, headers);
    expect(a.status).toBe(202);
    expect(new Set([a.json.intentId, b.json.intentId, c.json.intentId]).size).toBe(1);
    expect((await intentsOf('sc')).length).toBe(before + 1);
    const holds = payments.moves.filter((m) => m.paymentId === `pay-${a.json.intentId}`);
    expect(holds).toEqual([{ paymentId: `pay-${a.json.intentId}`, to: 'authorised' }]);
    const bad = await api('POST', '/api/bookings', body, auth(token, { 'Idempotency-Key': 'x' }));
    expect(bad.json.error.field).toBe('key');
  });
});

describe('intents about an order', () => {
  it('writes door, extension, refund and review intents the hub can parse', async () => {
    const { token, phone } = await signIn();
    const customerId = phoneId(phone);
    // Booked online earlier (a kiosk booking's door and refund stay with the store).
    await putBooking('sa', 'kiosk1', 'in_use', {
      intentId: 'earlier-online-1',
      customerId,
      amount: 12000,
      roomId: 'sa-r1',
      start: '2026-11-23T09:00:00+08:00',
      end: '2026-11-23T11:00:00+08:00',
    });
    // The customer's store is found through their intents, so make one there first.
    fakeHub('sa', (i) => {
      switch (i.kind) {
        case 'booking_request':
          return { outcome: 'rejected', reason: 'closed' };
        case 'door_open':
          return { outcome: 'opened' };
        case 'extension':
          return { outcome: 'confirmed', bookingId: i.body.bookingId };
        case 'refund_request':
          return { outcome: 'confirmed' };
        case 'review':
          return { outcome: 'done' };
        default:
          return undefined;
      }
    });
    await api(
      'POST',
      '/api/bookings',
      { storeId: 'sa', roomId: 'sa-r2', ...span, partySize: 2 },
      auth(token),
    );
    const door = await api('POST', '/api/orders/kiosk1/door', {}, auth(token));
    expect(door.status).toBe(200);
    expect(door.json.state).toBe('opened');
    const extend = await api(
      'POST',
      '/api/orders/kiosk1/extend',
      { end: '2026-11-23T12:00:00+08:00' },
      auth(token),
    );
    expect(extend.status).toBe(200);
    expect(extend.json).toMatchObject({
      state: 'confirmed',
      payment: { amount: 6000, state: 'captured' },
    });
    expect(
      (
        await api(
          'POST',
          '/api/orders/kiosk1/extend',
          { end: '2026-11-23T10:00:00+08:00' },
          auth(token),
        )
      ).status,
    ).toBe(400);
    // As the hub extends: by whole 30-minute steps, up to 12 hours in all.
    for (const [end, code] of [
      ['2026-11-23T12:10:00+08:00', 'off_step'],
      ['2026-11-23T21:30:00+08:00', 'too_long'],
    ] as const) {
      const refused = await api('POST', '/api/orders/kiosk1/extend', { end }, auth(token));
      expect(refused.status, end).toBe(422);
      expect(refused.json.error, end).toMatchObject({ code, field: 'end' });
    }
    const early = await api(
      'POST',
      '/api/orders/kiosk1/review',
      { ratings: { environment: 5, facilities: 4, teaSnacks: 5, service: 5 }, text: 'x' },
      auth(token),
    );
    expect(early.status).toBe(409);
    const refund = await api(
      'POST',
      '/api/orders/kiosk1/refund',
      { reason: 'the AC was broken' },
      auth(token),
    );
    expect(refund.json.state).toBe('confirmed');

    await putBooking('sa', 'kiosk1', 'completed', {
      intentId: 'earlier-online-1',
      customerId,
      amount: 12000,
      roomId: 'sa-r1',
      start: '2026-11-23T09:00:00+08:00',
      end: '2026-11-23T11:00:00+08:00',
    });
    const review = await api(
      'POST',
      '/api/orders/kiosk1/review',
      {
        ratings: { environment: 5, facilities: 4, teaSnacks: 5, service: 3 },
        text: '很安静 quiet room',
      },
      auth(token),
    );
    expect(review.status).toBe(201);
    expect(review.json.state).toBe('done');
    expect(
      (
        await api(
          'POST',
          '/api/orders/kiosk1/review',
          { ratings: { environment: 5, facilities: 4, teaSnacks: 5, service: 3 } },
          auth(token),
        )
      ).status,
    ).toBe(409);
    const badStars = await api(
      'POST',
      '/api/orders/kiosk1/review',
      { ratings: { environment: 6, facilities: 4, teaSnacks: 5, service: 3 } },
      auth(token),
    );
    expect(badStars.json.error.field).toBe('ratings.environment');

    const mine = (await intentsOf('sa')).filter(
      (i) => 'customerId' in i && i.customerId === customerId,
    );
    expect(mine.map((i) => i.kind).sort()).toEqual([
      'booking_request',
      'door_open',
      'extension',
      'refund_request',
      'review',
    ]);
    const ext = mine.find((i) => i.kind === 'extension')!;
    expect(ext.body).toMatchObject({
      bookingId: 'kiosk1',
      end: '2026-11-23T12:00:00+08:00',
      payment: { amount: 6000 },
    });
    expect(mine.find((i) => i.kind === 'door_open')!.expiresAt).toBeDefined();

    // The room page lists a review once the follower has seen the hub accept it.
    await service.sweepNow();
    const reviews = await api('GET', '/api/stores/sa/rooms/sa-r1/reviews');
    expect(reviews.json).toMatchObject({ count: 1, average: { service: 3 } });
    expect(reviews.json.reviews[0].text).toBe('很安静 quiet room');
    const detail = await api('GET', '/api/orders/kiosk1', undefined, auth(token));
    expect(detail.json.intents.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'door_open',
      'extension',
      'refund_request',
      'review',
    ]);
  });
});

describe('owner remote view', () => {
  it('signs an owner in and shows only their stores', async () => {
    await putOwnerAccount(db, { username: 'owner-a', password: 'correct horse', storeIds: ['sa'] });
    expect(
      (await api('POST', '/api/owner/login', { username: 'owner-a', password: 'wrong pass' }))
        .status,
    ).toBe(401);
    expect(
      (await api('POST', '/api/owner/login', { username: 'nobody', password: 'wrong pass' }))
        .status,
    ).toBe(401);
    const login = await api('POST', '/api/owner/login', {
      username: 'owner-a',
      password: 'correct horse',
    });
    expect(login.status).toBe(200);
    const h = auth(login.json.token);
    await putBooking('sa', 'own1', 'paid', {
      customerId: 'cx',
      amount: 5000,
      roomId: 'sa-r2',
      start: '2026-11-24T14:00:00+08:00',
      end: '2026-11-24T15:00:00+08:00',
    });
    await db.put(
      storeDbName('sa'),
      DevicesHealthDocSchema.parse({
        _id: DEVICES_HEALTH_ID,
        type: 'devices_health',
        storeId: 'sa',
        buses: [],
        devices: [
          {
            deviceId: 'lock-1',
            kind: 'lock',
            rooms: ['sa-r1'],
            ok: false,
            lastOkAt: null,
            lastError: 'no answer',
          },
        ],
        updatedAt: new Date(T0).toISOString(),
      }) as CouchDoc,
    );
    const board = await api('GET', '/api/owner/stores/sa/board?date=2026-11-24', undefined, h);
    expect(board.status).toBe(200);
    const r2 = board.json.rooms.find((r: { roomId: string }) => r.roomId === 'sa-r2');
    expect(r2.bookings.map((b: { bookingId: string }) => b.bookingId)).toContain('own1');
    const revenue = await api(
      'GET',
      '/api/owner/stores/sa/revenue?from=2026-11-23&to=2026-11-23',
      undefined,
      h,
    );
    expect(revenue.json.net).toBeGreaterThanOrEqual(5000);
    expect(revenue.json.days[0].date).toBe('2026-11-23');
    expect(
      (await api('GET', '/api/owner/stores/sa/revenue?from=2026-11-24&to=2026-11-23', undefined, h))
        .json.error.field,
    ).toBe('to');
    const orders = await api('GET', '/api/owner/stores/sa/orders?status=paid', undefined, h);
    expect(orders.json.orders.map((o: { bookingId: string }) => o.bookingId)).toContain('own1');
    expect(
      (await api('GET', '/api/owner/stores/sa/devices', undefined, h)).json.devices[0],
    ).toMatchObject({ ok: false });
    const sync = await api('GET', '/api/owner/stores/sa/sync', undefined, h);
    expect(sync.json.latest.bookings).not.toBeNull();
    expect(
      (await api('GET', '/api/owner/stores/sb/board?date=2026-11-24', undefined, h)).status,
    ).toBe(403);
    const { token } = await signIn();
    expect((await api('GET', '/api/owner/stores/sa/devices', undefined, auth(token))).status).toBe(
      401,
    );
  });
});

describe("an owner's changes from the remote view", () => {
  it('go to the store as owner intents the cloud signs, answered once by its hub', async () => {
    await putOwnerAccount(db, {
      username: 'owner-b',
      password: 'correct horse',
      storeIds: ['sa', 'sb'],
    });
    const login = await api('POST', '/api/owner/login', {
      username: 'owner-b',
      password: 'correct horse',
    });
    const h = auth(login.json.token);
    const hub = fakeHub('sa', (i) => {
      if (!('ownerId' in i)) return undefined;
      if (i.kind === 'room_patch' && i.body.patch.status === 'retired') {
        return { outcome: 'rejected', reason: 'the room has 1 booking(s) still to come' };
      }
      return { outcome: 'done' };
    });

    const patched = await api('PATCH', '/api/owner/stores/sa', { name: '新店名' }, h);
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ kind: 'store_patch', storeId: 'sa', state: 'done' });
    // In the store's inbox: for the owner, with the change, signed with the cloud's key.
    const raw = (await db.get(storeInboxDbName('sa'), intentDocId(patched.json.intentId)))!;
    expect(IntentDocSchema.parse(raw)).toMatchObject({
      kind: 'store_patch',
      ownerId: 'owner-b',
      body: { name: '新店名' },
    });
    const { signature } = raw as unknown as { signature: { sig: string } };
    const signedText = new Uint8Array(Buffer.from(intentSigningText(raw)));
    const sig = new Uint8Array(Buffer.from(signature.sig, 'base64url'));
    expect(verify(null, signedText, CLOUD_KEYS.publicKey, sig)).toBe(true);
    expect('customerId' in raw).toBe(false);

    const room = (body: unknown, roomId = 'sa-r1') =>
      api('PATCH', `/api/owner/stores/sa/rooms/${roomId}`, body, h);
    expect((await room({ pricePlan: plan })).json).toMatchObject({ state: 'done' });
    const retire = await room({ status: 'retired' });
    expect(retire.status).toBe(409);
    expect(retire.json).toMatchObject({
      error: { code: 'rejected', message: expect.stringContaining('still to come') },
      state: 'rejected',
    });
    expect((await room({ status: 'retired' }, 'nope')).json.error.code).toBe('room_not_found');
    expect((await room({})).status).toBe(400);
    const day = '/api/owner/stores/sa/calendar/2026-12-01';
    expect((await api('PUT', day, { type: 'holiday', note: '店庆' }, h)).status).toBe(200);
    expect((await api('DELETE', day, undefined, h)).status).toBe(200);
    const light = await api(
      'POST',
      '/api/owner/stores/sa/devices/light-1/override',
      { on: true, reason: 'cleaning' },
      h,
    );
    expect(light.json).toMatchObject({ kind: 'device_override', state: 'done' });
    const mine = await api(
      'GET',
      `/api/owner/stores/sa/intents/${light.json.intentId}`,
      undefined,
      h,
    );
    expect(mine.json).toMatchObject({ state: 'done' });
    // Only for an owner of the store, and only the owner's own changes.
    expect((await api('PATCH', '/api/owner/stores/sc', { name: 'x' }, h)).status).toBe(403);
    await putOwnerAccount(db, { username: 'owner-c', password: 'correct horse', storeIds: ['sa'] });
    const ownerC = await api('POST', '/api/owner/login', {
      username: 'owner-c',
      password: 'correct horse',
    });
    expect(
      (
        await api(
          'GET',
          `/api/owner/stores/sa/intents/${light.json.intentId}`,
          undefined,
          auth(ownerC.json.token),
        )
      ).status,
    ).toBe(404);
    const { token } = await signIn();
    expect((await api('PATCH', '/api/owner/stores/sa', { name: 'x' }, auth(token))).status).toBe(
      401,
    );
    hub.stop();

    // The store offline: the change waits, and another waits behind it rather than overtake it;
    // a re-sent one (same key) is the same change.
    const key = { 'Idempotency-Key': 'owner-change-0001' };
    const waiting = await api(
      'PATCH',
      '/api/owner/stores/sa',
      { phone: '021-7654321' },
      auth(login.json.token, key),
    );
    expect(waiting.status).toBe(202);
    const again = await api(
      'PATCH',
      '/api/owner/stores/sa',
      { phone: '021-7654321' },
      auth(login.json.token, key),
    );
    expect(again.status).toBe(202);
    expect(again.json.intentId).toBe(waiting.json.intentId);
    const behind = await room({ pricePlan: plan });
    expect(behind.status).toBe(409);
    expect(behind.json.error.code).toBe('change_under_way');
    clock += 10 * 60_000 + 15_000;
    await service.sweepNow();
    expect(
      (await api('GET', `/api/owner/stores/sa/intents/${waiting.json.intentId}`, undefined, h))
        .json,
    ).toMatchObject({ state: 'expired' });
    const later = await room({ pricePlan: plan });
    expect(later.status).toBe(202);
    // The one refused was never sent to the store.
    const sent = (await intentsOf('sa')).filter((i) => 'ownerId' in i);
    expect(sent).toHaveLength(8);
  });
});

describe('bad input', () => {
  it('never answers a fuzzed body or query with a 5xx', async () => {
    const { token } = await signIn();
    const anyJson = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          storeId: fc.oneof(fc.constant('sa'), fc.string()),
          roomId: fc.oneof(fc.constant('sa-r1'), fc.string()),
          start: fc.oneof(fc.constant(span.start), fc.string(), fc.integer()),
          end: fc.oneof(fc.constant(span.end), fc.string(), fc.constant(null)),
          packageId: fc.option(fc.string(), { nil: undefined }),
          partySize: fc.oneof(fc.integer(), fc.double(), fc.string()),
          phone: fc.oneof(fc.string(), fc.constant('13800138000')),
          code: fc.string(),
          ratings: fc.dictionary(fc.string(), fc.integer()),
        },
        { requiredKeys: [] },
      ),
    );
    const targets = [
      '/api/auth/sms/send',
      '/api/auth/sms/verify',
      '/api/auth/wechat',
      '/api/quotes',
      '/api/bookings',
      '/api/owner/login',
      '/api/orders/kiosk1/review',
      '/api/orders/kiosk1/extend',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), anyJson, async (url, body) => {
        clock += 61_000;
        const res = await api('POST', url, body, auth(token));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error.code).toEqual(expect.any(String));
      }),
      { numRuns: 60 },
    );
    for (const raw of ['{', 'null', '"x"', '[]']) {
      expect((await api('POST', '/api/quotes', raw)).status).toBe(400);
    }
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (k, v) => {
        const q = new URLSearchParams({ [k]: v, lat: v, date: v });
        expect((await api('GET', `/api/stores?${q}`)).status).toBeLessThan(500);
        expect(
          (await api('GET', `/api/stores/sa/rooms/sa-r1/availability?${q}`)).status,
        ).toBeLessThan(500);
      }),
      { numRuns: 30 },
    );
  });

  it('answers a malformed or oversized body, an unknown route and a retry like the hub', async () => {
    const bad = await api('POST', '/api/quotes', '{');
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } });
    const huge = await api('POST', '/api/quotes', { text: 'x'.repeat(64 * 1024) });
    expect(huge).toMatchObject({ status: 413, json: { error: { code: 'body_too_large' } } });
    const lost = await api('GET', '/api/nowhere');
    expect(lost).toMatchObject({ status: 404, json: { error: { code: 'route_not_found' } } });
    const phone = '13912340000';
    expect((await api('POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const again = await fetch(`${service.url}/api/auth/sms/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the OpenAPI document', () => {
  it('is made from the same route table the cloud serves', async () => {
    const doc = await api('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/sms/send',
        '/api/stores/{storeId}/rooms/{roomId}/availability',
        '/api/bookings',
        '/api/intents/{intentId}',
        '/api/orders/{bookingId}/extend',
        '/api/owner/stores/{storeId}/orders',
      ]),
    );
    expect(doc.json.paths['/api/bookings'].post.responses).toHaveProperty('401');
  });
});

describe('the intents database', () => {
  it('keeps the cloud records out of the store databases', async () => {
    const inStore = await db.byPrefix(storeDbName('sa'), 'intent:');
    expect(inStore).toEqual([]);
    expect((await db.byPrefix(CLOUD_DBS.intents, 'intent:')).length).toBeGreaterThan(0);
  });
});
