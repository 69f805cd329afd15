// A change whose intent did not reach the store's inbox: the cloud wrote its record, then CouchDB
// failed the intent's own write (a restart, a dropped connection). The owner's page sends it again
// with the same Idempotency-Key, and the intent is written then, as the record holds it, so the
// store gets the change and the owner's next change is not held behind one the store never saw.
// Real HTTP: the cloud reaches the embedded CouchDB-compatible server through a proxy that fails
// the one write asked of it.
import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInboxDbName } from '@roomhub/shared-types';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
  type CloudService,
} from '../src/index';
import { changeOwnerLink } from '../src/auth/owner-links';
import { CLOUD_SECRETS, bearer, callApi, seedStoreDocs } from './cloud-fixtures';
import { startTestCouch, withCredentialsOf, type TestCouch } from './test-couch';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const PHONE = '13900000791';
const STORE = 'pr';

let couch: TestCouch;
let proxy: Server;
let service: CloudService;
let token = '';
/** Fails the next write of an intent into the store's inbox, once. */
let failNextInboxWrite = false;

/** Forwards every request to CouchDB, but answers 503 to the one write it is told to fail. */
function startProxy(target: URL): Promise<Server> {
  const inbox = `/${encodeURIComponent(storeInboxDbName(STORE))}/`;
  const server = createServer((req, res) => {
    if (failNextInboxWrite && req.method === 'PUT' && req.url?.startsWith(inbox)) {
      failNextInboxWrite = false;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'service_unavailable', reason: 'restarting' }));
      return;
    }
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  couch = await startTestCouch(mkdtempSync(join(tmpdir(), 'intent-resend-')));
  await seedStoreDocs(
    couch.writers,
    {
      storeId: STORE,
      name: '重发茶舍',
      lat: 31.23,
      lng: 121.47,
      hours: { open: '09:00', close: '23:00' },
      rooms: [{ roomId: 'pr-r1', style: 'tea', capacity: 4, workday: 3800 }],
    },
    T0,
  );
  await changeOwnerLink(couch.admin, { phone: PHONE, add: [STORE] }, T0);
  proxy = await startProxy(new URL(couch.cloudUrl));
  const { port } = proxy.address() as AddressInfo;
  const sms = new MemorySmsProvider();
  service = await startCloudService({
    couchUrl: withCredentialsOf(couch.cloudUrl, `http://127.0.0.1:${port}`),
    jwtSecret: 'a-test-secret-that-is-long-enough-for-hs256',
    ...CLOUD_SECRETS,
    sms,
    payments: new SimulatedCloudChannel(),
    wechat: new SimulatedWechatLogin(),
    clock: { now: () => T0 },
    sweepMs: 0,
    intentWaitMs: 0,
  });
  expect((await callApi(service.url, 'POST', '/api/auth/sms/send', { phone: PHONE })).status).toBe(
    202,
  );
  const login = await callApi(service.url, 'POST', '/api/owner/login', {
    phone: PHONE,
    code: sms.lastCode(PHONE),
  });
  expect(login.status).toBe(200);
  token = login.json.token as string;
}, 60_000);
afterAll(async () => {
  await service?.close();
  // The cloud's long-polls and kept-alive connections through the proxy end with it.
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await couch?.close();
});

describe('an owner change whose intent write failed', () => {
  it('is written to the store when the page sends it again with the same key', async () => {
    const headers = { ...bearer(token), 'Idempotency-Key': 'rename-store-1' };
    const path = `/api/owner/stores/${STORE}`;
    const inbox = storeInboxDbName(STORE);
    const intentsInInbox = async () =>
      (await couch.admin.byPrefix(inbox, '')).filter(
        (d) => (d as { type?: string }).type === 'intent',
      );

    failNextInboxWrite = true;
    const first = await callApi(service.url, 'PATCH', path, { name: '重发茶舍·新' }, headers);
    expect(first.status, JSON.stringify(first.json)).toBe(503);
    expect(await intentsInInbox()).toHaveLength(0);

    // The same request again: the store now has the change, once.
    const again = await callApi(service.url, 'PATCH', path, { name: '重发茶舍·新' }, headers);
    expect(again.status, JSON.stringify(again.json)).toBe(202);
    expect(again.json).toMatchObject({ state: 'waiting' });
    const written = await intentsInInbox();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      kind: 'store_patch',
      storeId: STORE,
      ownerId: expect.any(String),
      body: { name: '重发茶舍·新' },
    });
    // A third try finds it written and writes nothing more.
    const third = await callApi(service.url, 'PATCH', path, { name: '重发茶舍·新' }, headers);
    expect(third.status).toBe(202);
    expect(await intentsInInbox()).toHaveLength(1);
  });

  it('still goes one at a time: another change waits behind it, and sent again is refused again', async () => {
    const path = `/api/owner/stores/${STORE}`;
    const inbox = storeInboxDbName(STORE);
    const count = async () =>
      (await couch.admin.byPrefix(inbox, '')).filter(
        (d) => (d as { type?: string }).type === 'intent',
      ).length;
    const before = await count();
    // The first change is still waiting for the store (no hub answers here).
    const other = { ...bearer(token), 'Idempotency-Key': 'other-change-1' };
    const refused = await callApi(service.url, 'PATCH', path, { address: '新地址 1 号' }, other);
    expect(refused.status, JSON.stringify(refused.json)).toBe(409);
    expect(refused.json.error.code).toBe('change_under_way');
    const again = await callApi(service.url, 'PATCH', path, { address: '新地址 1 号' }, other);
    expect(again.status).toBe(409);
    expect(await count()).toBe(before);
  });
});
