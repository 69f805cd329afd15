// A cloud that ran before the one-word rename kept its records of intents in `requests`. After the
// upgrade, a payment still held there is released when its intent expires, exactly once, and a
// refund marked paid there is not paid again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUD_DBS } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import type { CouchClient } from '../src/couch';
import { callApi, seedStoreDocs, CLOUD_SECRETS } from './cloud-fixtures';
import { startTestCouch, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
let root: string;
let couch: TestCouch;
let db: CouchClient;
let service: CloudService | undefined;
let clock = T0;
const payments = new SimulatedCloudChannel();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-carry-over-'));
  couch = await startTestCouch(root);
  db = couch.cloud;
  await seedStoreDocs(
    await couch.hub('so'),
    {
      storeId: 'so',
      lat: 31.2,
      lng: 121.4,
      hours: { open: '00:00', close: '24:00' },
      rooms: [{ roomId: 'so-r1', style: 'tea', capacity: 4, workday: 5000 }],
    },
    T0,
  );
  // What the cloud before the rename left: a booking request waiting with its payment held.
  await payments.authorise({ paymentId: 'pay-old1', amount: 10000 });
  // Written before this version, when no user was needed; the upgrade's provisioning secures it.
  await couch.admin.ensureDb('requests');
  await couch.admin.put('requests', {
    _id: 'request:cold:old1',
    type: 'request',
    intentId: 'old1',
    storeId: 'so',
    customerId: 'cold',
    kind: 'booking_request',
    state: 'waiting',
    createdAt: new Date(T0 - 600_000).toISOString(),
    expiresAt: new Date(T0 - 60_000).toISOString(),
    payment: { paymentId: 'pay-old1', channel: 'simulated', amount: 10000, state: 'authorised' },
    updatedAt: new Date(T0 - 600_000).toISOString(),
  });
  // Written before this version, when no user was needed; the upgrade's provisioning secures it.
  await couch.admin.put('requests', {
    _id: 'refund-paid:so:42',
    type: 'refund_paid',
    at: 'earlier',
  });
  await couch.provisionCloud();
});

afterAll(async () => {
  await service?.close();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

describe('a cloud upgraded across the one-word rename', () => {
  it('settles what the former records held, once, and keeps their refund marks', async () => {
    const start = () =>
      startCloudService({
        couchUrl: couch.cloudUrl,
        ...CLOUD_SECRETS,
        jwtSecret: 'test-secret-test-secret-test-secret-0123',
        sms: new MemorySmsProvider(),
        payments,
        clock: { now: () => clock },
        sweepMs: 0,
        log: () => {},
      });
    service = await start();
    const record = await db.get(CLOUD_DBS.intents, 'intent:cold:old1');
    expect(record).toMatchObject({
      type: 'intent_record',
      payment: { paymentId: 'pay-old1', method: 'wechat', state: 'authorised' },
    });
    expect(await db.get(CLOUD_DBS.intents, 'refund-paid:so:42')).toMatchObject({ at: 'earlier' });

    await service.sweepNow();
    expect(payments.payments.get('pay-old1')?.state).toBe('released');
    const released = payments.moves.filter(
      (m) => m.paymentId === 'pay-old1' && m.to === 'released',
    );
    expect(released).toHaveLength(1);
    expect(await db.get(CLOUD_DBS.intents, 'intent:cold:old1')).toMatchObject({ state: 'expired' });

    // A second start (another instance, a restart) copies nothing over what moved on since.
    await service.close();
    clock += 60_000;
    service = await start();
    await service.sweepNow();
    expect(await db.get(CLOUD_DBS.intents, 'intent:cold:old1')).toMatchObject({ state: 'expired' });
    expect(
      payments.moves.filter((m) => m.paymentId === 'pay-old1' && m.to === 'released'),
    ).toHaveLength(1);
    const status = await callApi(service.url, 'GET', '/api/stores/so');
    expect(status.status).toBe(200);
  });
});
