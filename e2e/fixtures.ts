// What the end-to-end tests set up the same way, as a deployment is set up: an embedded
// CouchDB-compatible server in a fresh folder, the cloud and the stores provisioned on it by its
// admin, a hub's store id asked of the hub's own script, the stores' shops linked on the voucher
// platforms by their owner, and the cloud's HTTP API called as a customer's app calls it; the
// platform console's own cloud instance and its first owner, made as the admin makes them; the
// store's own deal most tests sell. What a test starts, the test closes (`startStoreAndCloud`
// hands back its own `close`).
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
  PlatformAuth,
} from '@roomhub/cloud-service';
import {
  CLOUD_KEYS,
  CUSTOMER_ID_KEY,
  STAFF,
  startTestHub,
  until,
  type TestHub,
} from '@roomhub/hub-app/testing';
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

/** Makes `phone` an owner of the stores as the admin does (`npm run owner -- add <phone> --store <id>`). */
export async function addOwner(
  couchAdminUrl: string,
  phone: string,
  ...storeIds: string[]
): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../cloud-service/src/provision/owner-main.ts'),
      'add',
      phone,
      ...storeIds.flatMap((id) => ['--store', id]),
    ],
    { env: { ...process.env, COUCHDB_URL: couchAdminUrl }, encoding: 'utf8' },
  );
}

/** Makes a member of the platform's staff as the admin does (`npm run platform -- add`). */
export async function addPlatformStaff(
  couchAdminUrl: string,
  phone: string,
  name: string,
  role = 'platform_owner',
): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../cloud-service/src/provision/platform-main.ts'),
      'add',
      phone,
      '--role',
      role,
      '--name',
      name,
    ],
    { env: { ...process.env, COUCHDB_URL: couchAdminUrl }, encoding: 'utf8' },
  );
}

/**
 * The platform console's cloud instance beside `running`'s: the same cloud user and clock, and
 * the platform's credential, which the customers' instance never holds. Its texted codes go to
 * `sms`. The caller closes it.
 */
export function startConsole(
  running: { couch: EmbeddedCouch; cloudUrl: string; hub: TestHub },
  sms: MemorySmsProvider,
): Promise<CloudService> {
  return startCloudService({
    couchUrl: running.cloudUrl,
    platformCouchUrl: running.couch.adminUrl,
    jwtSecret: JWT_SECRET,
    signingKey: CLOUD_KEYS.privateKey,
    customerIdKey: CUSTOMER_ID_KEY,
    sms,
    payments: new SimulatedCloudChannel(),
    clock: running.hub.clock,
    sweepMs: 0,
    log: () => {},
  });
}

/**
 * Signs a platform staff member in to the console over its API, as the console's page does the
 * first time: the texted code, then the code of an authenticator enrolled with the secret the
 * console gives. Their token.
 */
export async function signInToConsoleApi(
  console_: CloudService,
  sms: MemorySmsProvider,
  phone: string,
  clock: Clock,
): Promise<string> {
  const api = cloudApi(() => console_.url);
  await api('POST', '/api/auth/sms/send', { phone });
  const first = await api('POST', '/api/platform/login', { phone, code: sms.lastCode(phone) });
  expect(first.body.step).toBe('enrol');
  const second = await api('POST', '/api/platform/login/totp', {
    ticket: first.body.ticket,
    code: PlatformAuth.codeFor(first.body.secret, clock.now()),
  });
  expect(second.status).toBe(200);
  return second.body.token as string;
}

/** The store's own deal the tests sell online: any room for 2 hours, ¥68 (¥96 usually), 30 days. */
export const TWO_HOURS_DEAL = {
  source: 'own',
  title: '任意包间 2 小时',
  entitlement: { kind: 'hours', minutes: 120, maxPartySize: 4 },
  price: 6800,
  originalPrice: 9600,
  validDays: 30,
  status: 'on_sale',
} as const;

/** Puts a deal on sale at the hub, as its owner by default (`as`); the deal's id. */
export async function putDealOnSale(
  hub: TestHub,
  deal: object = TWO_HOURS_DEAL,
  as: Record<string, string> = STAFF,
): Promise<string> {
  const made = await hub.api('POST', '/api/deals', deal, as);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.id as string;
}

/** Waits until the cloud lists the store's deal on sale, reading the stores' changes meanwhile. */
export async function untilDealInCloud(
  cloud: CloudService,
  api: CloudApi,
  storeId: string,
  dealId: string,
): Promise<void> {
  await until('the deal on sale in the cloud', async () => {
    await cloud.cloud.follower.followNow();
    const r = await api('GET', `/api/stores/${storeId}/deals`);
    return r.body.deals?.some((d: { dealId: string }) => d.dealId === dealId) ? r : undefined;
  });
}
