// "My orders" follows the stores' change feeds: a kiosk booking a hub publishes reaches the
// customer's list from the feed alone, with the service's sweep far away (it runs once at the
// start, then not again during the test), against the embedded CouchDB-compatible server over
// HTTP. How soon is the bench's to measure (under a second on a quiet machine); SYNC_FIGURES=1
// prints it here.
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
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('my orders', () => {
  it("shows a customer's first kiosk booking at a store from the change feed, not a sweep later", async () => {
    const signIn = async (phone: string) => {
      expect((await callApi(service.url, 'POST', '/api/auth/sms/send', { phone })).status).toBe(
        202,
      );
      const verified = await callApi(service.url, 'POST', '/api/auth/sms/verify', {
        phone,
        code: sms.lastCode(phone),
      });
      return verified.json.token as string;
    };
    const ordersOf = async (token: string) =>
      (
        (await callApi(service.url, 'GET', '/api/orders', undefined, bearer(token))).json as {
          orders: { bookingId: string }[];
        }
      ).orders.map((b) => b.bookingId);

    const latencies: number[] = [];
    for (let n = 1; n <= 3; n += 1) {
      // A customer new to the store: only the customer index leads "my orders" there.
      const phone = `1360000004${n}`;
      const token = await signIn(phone);
      expect(await ordersOf(token)).toEqual([]);
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
          at: new Date(publishedAt).toISOString(),
        }),
      );
      while (!(await ordersOf(token)).includes(`kiosk-${n}`)) {
        if (Date.now() > publishedAt + 20_000) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      latencies.push(Date.now() - publishedAt);
      expect(await ordersOf(token)).toEqual([`kiosk-${n}`]);
    }
    if (process.env.SYNC_FIGURES) console.log({ latencies });
  });
});
