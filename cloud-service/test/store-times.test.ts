// Times people read, in every cloud answer, in the store's zone as the hub gives them
// (`+08:00` for a Shanghai store), never UTC; and a room's day that says what is known of it:
// free stretches over the whole day once the store has synced, and when that was.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AvailabilityDocSchema,
  availabilityDocId,
  CLOUD_DBS,
  storeDbName,
} from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  putOwnerAccount,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchDoc } from '../src/couch';
import { CLOUD_SECRETS, callApi, seedStoreDocs, type Json } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

/** Monday 2026-11-23, 10:00 in Shanghai. */
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
/** Any instant written in UTC, as the cloud keeps its own. */
const UTC = /\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

let couch: TestCouch;
let service: CloudService;
let sms: MemorySmsProvider;

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'store-times-')));
  await seedStoreDocs(
    couch.writers,
    {
      storeId: 'tz',
      lat: 31.23,
      lng: 121.47,
      hours: { open: '09:00', close: '23:00' },
      rooms: [{ roomId: 'tz-r1', style: 'tea', capacity: 4, workday: 6000 }],
    },
    T0 - 3_600_000,
  );
  sms = new MemorySmsProvider();
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms,
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock: { now: () => T0 },
    answerWaitMs: 50,
    intentWaitMs: 50,
    sweepMs: 0,
  });
});
afterAll(async () => {
  await service?.close();
  await couch?.close();
});

const api = (method: string, path: string, body?: unknown, token?: string) =>
  callApi(service.url, method, path, body, token ? { Authorization: `Bearer ${token}` } : {});

/** Every string in an answer that is an instant written in UTC. */
function utcTimes(value: Json): string[] {
  if (typeof value === 'string') return UTC.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(utcTimes);
  if (value && typeof value === 'object') return Object.values(value).flatMap(utcTimes);
  return [];
}

describe("times in the store's zone", () => {
  it('in quotes, booking intents, the owner view and reviews', async () => {
    const quote = await api('POST', '/api/quotes', {
      storeId: 'tz',
      roomId: 'tz-r1',
      start: '2026-11-24T06:00:00Z',
      end: '2026-11-24T08:00:00Z',
    });
    expect(quote.status).toBe(200);
    expect(quote.json.quote.start).toBe('2026-11-24T14:00:00+08:00');
    expect(utcTimes(quote.json)).toEqual([]);

    const phone = '13900000901';
    await api('POST', '/api/auth/sms/send', { phone });
    const token = (await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) }))
      .json.token as string;
    // No hub answers: the request waits, and says since when and until when in the store's zone.
    const booked = await api(
      'POST',
      '/api/bookings',
      {
        storeId: 'tz',
        roomId: 'tz-r1',
        start: '2026-11-24T14:00:00+08:00',
        end: '2026-11-24T16:00:00+08:00',
        partySize: 2,
      },
      token,
    );
    expect(booked.status).toBe(202);
    expect(booked.json.createdAt).toBe('2026-11-23T10:00:00+08:00');
    expect(booked.json.expiresAt).toMatch(/\+08:00$/);
    expect(utcTimes(booked.json)).toEqual([]);
    const intent = await api('GET', `/api/intents/${booked.json.intentId}`, undefined, token);
    expect(utcTimes(intent.json)).toEqual([]);
    expect(utcTimes((await api('GET', '/api/orders', undefined, token)).json)).toEqual([]);

    await putOwnerAccount(couch.cloud, {
      username: 'owner-tz',
      password: 'correct horse',
      storeIds: ['tz'],
    });
    const owner = (
      await api('POST', '/api/owner/login', { username: 'owner-tz', password: 'correct horse' })
    ).json.token as string;
    const sync = await api('GET', '/api/owner/stores/tz/sync', undefined, owner);
    expect(sync.json.lastHubWriteAt).toBe('2026-11-23T09:00:00+08:00');
    expect(sync.json.oldestUnansweredAt).toBe('2026-11-23T10:00:00+08:00');
    expect(utcTimes(sync.json)).toEqual([]);

    await couch.cloud.put(CLOUD_DBS.reviews, {
      _id: 'review:tz:tz-r1:i1',
      type: 'review',
      storeId: 'tz',
      roomId: 'tz-r1',
      bookingId: 'b1',
      ratings: { environment: 5, facilities: 4, teaSnacks: 5, service: 5 },
      at: '2026-11-22T12:00:00.000Z',
    });
    const reviews = await api('GET', '/api/stores/tz/rooms/tz-r1/reviews');
    expect(reviews.json.reviews[0].at).toBe('2026-11-22T20:00:00+08:00');
  });
});

describe("a room's day", () => {
  it('reads all free, with the last sync, when the store synced and nothing is taken', async () => {
    const day = await api('GET', '/api/stores/tz/rooms/tz-r1/availability?date=2026-11-25');
    expect(day.status).toBe(200);
    expect(day.json).toMatchObject({
      updatedAt: null,
      syncedAt: '2026-11-23T09:00:00+08:00',
      segments: [
        { start: '2026-11-25T00:00:00+08:00', end: '2026-11-26T00:00:00+08:00', state: 'free' },
      ],
    });
  });

  it('shows the taken stretches with the free ones around them, on the page and the board', async () => {
    const hub = await couch.hub('tz');
    await hub.put(
      storeDbName('tz'),
      AvailabilityDocSchema.parse({
        _id: availabilityDocId('tz-r1', '2026-11-24'),
        type: 'availability',
        storeId: 'tz',
        roomId: 'tz-r1',
        date: '2026-11-24',
        segments: [
          { start: '2026-11-24T14:00:00+08:00', end: '2026-11-24T16:00:00+08:00', state: 'booked' },
        ],
        updatedAt: '2026-11-23T09:30:00+08:00',
      }) as CouchDoc,
    );
    const expected = [
      { start: '2026-11-24T00:00:00+08:00', end: '2026-11-24T14:00:00+08:00', state: 'free' },
      { start: '2026-11-24T14:00:00+08:00', end: '2026-11-24T16:00:00+08:00', state: 'booked' },
      { start: '2026-11-24T16:00:00+08:00', end: '2026-11-25T00:00:00+08:00', state: 'free' },
    ];
    const day = await api('GET', '/api/stores/tz/rooms/tz-r1/availability?date=2026-11-24');
    expect(day.json.segments).toEqual(expected);
    expect(day.json.syncedAt).toBe('2026-11-23T09:30:00+08:00');

    const owner = (
      await api('POST', '/api/owner/login', { username: 'owner-tz', password: 'correct horse' })
    ).json.token as string;
    const board = await api('GET', '/api/owner/stores/tz/board?date=2026-11-24', undefined, owner);
    expect(board.json.syncedAt).toBe('2026-11-23T09:30:00+08:00');
    expect(board.json.rooms[0].segments).toEqual(expected);
    expect(utcTimes(board.json.rooms[0].segments)).toEqual([]);
  });
});
