// "My orders" follows the stores' change feeds: a kiosk booking a hub publishes reaches the
// customer's list within a second, with the service's sweep far away (it runs once at the start,
// then not again during the test), against the embedded CouchDB-compatible server over HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDbName } from '@roomhub/shared-types';
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

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const SWEEP_MS = 120_000;

let root: string;
let couch: TestCouch;
let service: CloudService;
const sms = new MemorySmsProvider();

const STORE: StoreSeed = {
  storeId: 'live',
  lat: 31.2304,
  lng: 121.4737,
  hours: { open: '00:00', close: '24:00' },
  rooms: [{ roomId: 'live-r1', style: 'tea', capacity: 4, workday: 5000 }],
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'my-orders-live-'));
  couch = await startTestCouch(root);
  await seedStoreDocs(couch.writers, STORE, T0 - 3_600_000);
  service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: 'my-orders-live-secret-my-orders-live-secret',
    sms,
    payments: new SimulatedCloudChannel(),
    clock: { now: () => Date.now() },
    sweepMs: SWEEP_MS,
    log: () => {},
  });
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true });
});

describe('my orders', () => {
  it('shows a kiosk booking within a second of the hub publishing it, not a sweep later', async () => {
    const phone = '13600000042';
    expect((await callApi(service.url, 'POST', '/api/auth/sms/send', { phone })).status).toBe(202);
    const verified = await callApi(service.url, 'POST', '/api/auth/sms/verify', {
      phone,
      code: sms.lastCode(phone),
    });
    const token = verified.json.token as string;
    const mine = async () =>
      (
        (await callApi(service.url, 'GET', '/api/orders', undefined, bearer(token))).json as {
          orders: { bookingId: string }[];
        }
      ).orders;
    // Let the first sweep (at the start) and the feeds settle: what follows is the feed's.
    await new Promise((r) => setTimeout(r, 500));
    expect(await mine()).toEqual([]);

    const latencies: number[] = [];
    for (let n = 1; n <= 3; n += 1) {
      const at = new Date().toISOString();
      const publishedAt = Date.now();
      // As the hub publishes a kiosk booking: no intent, the customer id made from the phone.
      await couch.writers.put(
        storeDbName(STORE.storeId),
        bookingFact({
          storeId: STORE.storeId,
          bookingId: `kiosk-${n}`,
          roomId: 'live-r1',
          start: `2026-11-2${n + 3}T14:00:00+08:00`,
          end: `2026-11-2${n + 3}T15:00:00+08:00`,
          amount: 5000,
          customerId: phoneId(phone),
          at,
        }),
      );
      const deadline = publishedAt + 5_000;
      while (!(await mine()).some((b) => b.bookingId === `kiosk-${n}`)) {
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      latencies.push(Date.now() - publishedAt);
    }
    if (process.env.SYNC_FIGURES) console.log({ latencies });
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect((await mine()).map((b) => b.bookingId).sort()).toEqual([
      'kiosk-1',
      'kiosk-2',
      'kiosk-3',
    ]);
  });
});
