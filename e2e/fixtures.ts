// What the end-to-end tests set up the same way, as a deployment is set up: an embedded
// CouchDB-compatible server in a fresh folder, the cloud and the stores provisioned on it by its
// admin, a hub's store id asked of the hub's own script, the stores' shops linked on the voucher
// platforms by their owner, and the cloud's HTTP API called as a customer's app calls it. What a
// test starts, the test closes (`startStoreAndCloud` hands back its own `close`).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { startEmbeddedCouch, type EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy, type TcpProxy } from '@roomhub/cloud-sync/testing';
import {
  MemorySmsProvider,
  Provisioner,
  SimulatedCloudChannel,
  createCouchClient,
  startCloudService,
  type CloudService,
  type CloudServiceOptions,
  type DouyinSimulator,
  type MeituanSimulator,
} from '@roomhub/cloud-service';
import { CLOUD_KEYS, CUSTOMER_ID_KEY, startTestHub, type TestHub } from '@roomhub/hub-app/testing';
import type { Clock } from '@roomhub/shared-types';

/** The secret every test cloud signs its tokens with. */
export const JWT_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

/** A new empty folder in the system's temporary folder, its name starting with `prefix`. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** An embedded CouchDB-compatible server on a new folder. */
export const startCouch = (prefix: string): Promise<EmbeddedCouch> =>
  startEmbeddedCouch({ dir: tempDir(prefix) });

/** `base` with a user's credentials. */
export function urlFor(base: string, user: string, password: string): string {
  const url = new URL(base);
  url.username = user;
  url.password = password;
  return url.toString().replace(/\/+$/, '');
}

/** The store id a hub's data folder will have, asked of the hub's own script as `npm start` does. */
export async function storeIdOf(dataDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, '../hub-app/src/cli/store-id.ts')],
    { env: { ...process.env, HUB_DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  return stdout.trim();
}

/** The CouchDB admin's provisioner of the cloud and the stores, giving each a random password. */
export function provisionerOn(
  couch: EmbeddedCouch,
  clock: Clock = { now: () => Date.now() },
): Provisioner {
  return new Provisioner({
    couch: createCouchClient(couch.adminUrl),
    clock,
    newPassword: () => randomBytes(16).toString('hex'),
  });
}

/**
 * A store's hub, its line to CouchDB through a proxy the test can cut, and a cloud service beside
 * them on the same clock, provisioned as `npm start` does: the store id asked of the hub's own
 * script, the cloud and the store each on its own CouchDB user. `close()` stops them all.
 */
export async function startStoreAndCloud(
  prefix: string,
  cloudOptions: Partial<CloudServiceOptions> = {},
): Promise<{
  couch: EmbeddedCouch;
  proxy: TcpProxy;
  hub: TestHub;
  cloud: CloudService;
  provisioner: Provisioner;
  hubUser: { user: string; password?: string };
  cloudUrl: string;
  sms: MemorySmsProvider;
  payments: SimulatedCloudChannel;
  api: CloudApi;
  signIn: (phone: string) => Promise<string>;
  close(): Promise<void>;
}> {
  const couch = await startCouch(`${prefix}-couch-`);
  const proxy = await startTcpProxy(Number(new URL(couch.url).port));
  const dataDir = tempDir(`${prefix}-hub-`);
  const storeId = await storeIdOf(dataDir);
  const provisioner = provisionerOn(couch);
  const cloudUser = await provisioner.cloud();
  const hubUser = await provisioner.store(storeId);
  const hub = await startTestHub({ dataDir, cloud: hubLink(proxy.url, hubUser) });
  const sms = new MemorySmsProvider();
  const payments = new SimulatedCloudChannel();
  const cloudUrl = urlFor(couch.url, cloudUser.user, cloudUser.password!);
  const cloud = await startCloudService({
    couchUrl: cloudUrl,
    jwtSecret: JWT_SECRET,
    // The keys the test hub holds: the intents and vouchers the cloud signs verify there.
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments,
    clock: hub.clock, // one clock for the store and the cloud
    sweepMs: 0,
    catalogueRefreshMs: 0,
    log: () => {},
    ...cloudOptions,
  });
  const api = cloudApi(() => cloud.url);
  return {
    couch,
    proxy,
    hub,
    cloud,
    provisioner,
    hubUser,
    cloudUrl,
    sms,
    payments,
    api,
    signIn: (phone) => signInBySms(api, sms, phone),
    async close() {
      await cloud.close();
      await hub.close();
      await proxy.close();
      await couch.close();
    },
  };
}

/** A hub's line to its store's CouchDB at `base` as its provisioned user, quick to see a stall. */
export const hubLink = (base: string, user: { user: string; password?: string }) => ({
  couchUrl: urlFor(base, user.user, user.password!),
  stallMs: 1_500,
  pollMs: 200,
});

/** An answer of the cloud's API: its status and its JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CloudAnswer = { status: number; body: any };
export type CloudApi = (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<CloudAnswer>;

/** Calls the cloud service at `baseUrl()` as a customer's app does, with their token if given. */
export function cloudApi(baseUrl: () => string): CloudApi {
  return async (method, path, body, token) => {
    const r = await fetch(baseUrl() + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as unknown };
  };
}

/** Signs a customer in by SMS: a code sent to the phone, then verified; their token. */
export async function signInBySms(
  api: CloudApi,
  sms: MemorySmsProvider,
  phone: string,
): Promise<string> {
  await api('POST', '/api/auth/sms/send', { phone });
  return (await api('POST', '/api/auth/sms/verify', { phone, code: sms.lastCode(phone) })).body
    .token as string;
}

/** The cloud's settings for the two voucher platforms, pointed at their simulators. */
export function platformsOf(
  mt: MeituanSimulator,
  dy: DouyinSimulator,
  meituan: { developerId: string; signKey: string },
  douyin: { clientKey: string; clientSecret: string },
) {
  return {
    meituan: { apiUrl: mt.url, authUrl: `${mt.url}/general/auth`, ...meituan, timeoutMs: 3_000 },
    douyin: {
      apiUrl: dy.url,
      authUrl: `${dy.url}/platform/oauth/connect/`,
      ...douyin,
      timeoutMs: 3_000,
    },
  };
}

/** Links a store's demo shop on each platform, as its owner does through the OAuth pages. */
export async function linkPlatforms(
  cloud: CloudService,
  storeId: string,
  mt: MeituanSimulator,
  dy: DouyinSimulator,
): Promise<void> {
  const owner = await cloud.cloud.tokens.owner({ username: 'e2e-owner', storeIds: [storeId] });
  for (const [platform, pick] of [
    ['meituan', `shop=${mt.demo.shopId}`],
    ['douyin', `poi_id=${dy.demo.poiId}`],
  ] as const) {
    const start = await fetch(
      `${cloud.url}/api/owner/stores/${storeId}/platforms/${platform}/authorise`,
      { method: 'POST', headers: { authorization: `Bearer ${owner}` } },
    );
    const { authoriseUrl } = (await start.json()) as { authoriseUrl: string };
    const granted = await fetch(`${authoriseUrl}&${pick}`, { redirect: 'manual' });
    const linked = await fetch(granted.headers.get('location')!);
    expect(linked.status).toBe(200);
  }
}
