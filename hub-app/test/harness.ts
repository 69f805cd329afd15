// A real hub for tests: a SQLite file in a temp folder, the HTTP API on a free port, the
// simulated gateway speaking its signed protocol, and a clock the test moves by hand. Calls go as
// the store's paired kiosk unless a test says who is calling, holding the pass of the booking a
// path names (its customer is in front of it): `as('cashier')` signs that demo staff member in
// with their PIN, `as('kiosk')` is the kiosk with no pass, `as('anonymous')` proves nothing,
// `asCustomerOf(bookingId)` is the kiosk holding that booking's pass. With a cloud, it holds the
// test cloud's intent key and customer id key, and `signedByCloud` signs an intent as the cloud
// service would.
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntentKeys } from '@roomhub/cloud-sync';
import { intentKeyId, intentSigningText, type StaffRole } from '@roomhub/shared-types';
import { ManualClock } from '../src/clock';
import type { PlatformVoucherClient } from '../src/vouchers/platform-redemptions';
import { DEMO_STAFF } from '../src/demo/seed';
import type { CloudLink } from '../src/sync/cloud-sync-setup';
import { startHubServer, type HubServer } from '../src/server';
import { generateGatewayKeys, type GatewayKeys } from '@roomhub/payment-gateways/simulator';
import { generateAlipayKeys, type AlipayKeys } from '@roomhub/payment-gateways/alipay-simulator';

/** Monday 2026-11-23 10:00 in Shanghai: an ordinary working day. */
export const T0 = Date.parse('2026-11-23T10:00:00+08:00');
/** The owner's PIN in every test hub. */
export const OWNER_PIN = '900000';

type Who = StaffRole | 'anonymous' | 'kiosk';
/** Headers that make a test call as `who`; the harness turns them into the real credentials. */
export const as = (who: Who): Record<string, string> => ({ 'x-test-as': who });
/** The kiosk holding `bookingId`'s pass. */
export const asCustomerOf = (bookingId: string): Record<string, string> => ({
  'x-test-pass': bookingId,
});
/** The store's owner. */
export const STAFF = as('owner');

/** The test cloud's intent signing key pair; test hubs hold its public key. */
export const CLOUD_KEYS = generateKeyPairSync('ed25519');
/** The key customer ids are made with, on the test cloud and its hubs. */
export const CUSTOMER_ID_KEY = 'hub-test-customer-id-key-0123456789ab';

/** The intent signed with `privateKey` (the test cloud's unless told), as the cloud signs it. */
export function signedByCloud<T extends Record<string, unknown>>(
  doc: T,
  privateKey = CLOUD_KEYS.privateKey,
): T & { signature: { keyId: string; sig: string } } {
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const sig = sign(null, Buffer.from(intentSigningText(doc)), privateKey).toString('base64url');
  return { ...doc, signature: { keyId: intentKeyId(spki), sig } };
}

let keys: Promise<GatewayKeys> | null = null;
let alipayKeys: Promise<AlipayKeys> | null = null;

export interface TestHub extends HubServer {
  clock: ManualClock;
  dataDir: string;
  // Tests read answers of many shapes; `any` keeps them short where the shape is asserted anyway.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  roomIds(): Promise<string[]>;
  /** The credentials a test caller stands for: a sign-in, the kiosk's token, a pass. */
  headersOf(who: Who, bookingId?: string): Promise<Record<string, string>>;
  /** The staff id a demo role signs in as. */
  staffId(role: StaffRole): Promise<string>;
  kioskId: string;
  /** Runs every due job (expiries, refunds) now, as the alarm would. */
  runJobs(): Promise<number>;
  restart(): Promise<TestHub>;
}

export async function startTestHub(
  opts: {
    dataDir?: string;
    clock?: ManualClock;
    scannersFile?: string;
    /** The test cloud's keys unless given. */
    cloud?: CloudLink;
    /** The kiosk paired before a restart. */
    kiosk?: { token: string; id: string };
    /** Where the hub listens; loopback unless told. */
    host?: string;
    /** The cloud's Meituan / Douyin voucher calls; none unless given. */
    platformVouchers?: PlatformVoucherClient;
  } = {},
): Promise<TestHub> {
  keys ??= generateGatewayKeys();
  alipayKeys ??= generateAlipayKeys();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-test-'));
  const clock = opts.clock ?? new ManualClock(T0);
  const s = await startHubServer({
    dataDir,
    port: 0,
    clock,
    runScheduler: false,
    devicePollMs: 0,
    ...(opts.scannersFile ? { scannersFile: opts.scannersFile } : {}),
    ...(opts.cloud
      ? {
          cloud: {
            intentKeys: new IntentKeys([CLOUD_KEYS.publicKey]),
            customerIdKey: CUSTOMER_ID_KEY,
            ...opts.cloud,
          },
        }
      : {}),
    simulatedGateway: {
      keys: await keys,
      alipayKeys: await alipayKeys,
      retryDelaysMs: [10, 20],
    },
    ownerPin: OWNER_PIN,
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.platformVouchers ? { platformVouchers: opts.platformVouchers } : {}),
  });
  const pins: Record<StaffRole, string> = {
    owner: OWNER_PIN,
    ...(Object.fromEntries(DEMO_STAFF.map((d) => [d.role, d.pin])) as Record<
      Exclude<StaffRole, 'owner'>,
      string
    >),
  };
  const signedIn = new Map<StaffRole, { token: string; id: string; until: number }>();
  const signIn = async (role: StaffRole) => {
    let known = signedIn.get(role);
    // Tests move the clock by days: a sign-in ends as it would in the store, then sign in again.
    if (!known || known.until <= clock.now()) {
      const r = await fetch(`${s.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin: pins[role] }),
      });
      const j = (await r.json()) as { token: string; expiresAt: string; staff: { id: string } };
      if (!r.ok) throw new Error(`test sign-in as ${role}: ${r.status} ${JSON.stringify(j)}`);
      known = { token: j.token, id: j.staff.id, until: Date.parse(j.expiresAt) };
      signedIn.set(role, known);
    }
    return known;
  };
  // The store's kiosk, paired as the owner would pair it (kept across restarts: same database).
  const kiosk =
    opts.kiosk ??
    (await (async () => {
      const owner = await signIn('owner');
      const code = await fetch(`${s.url}/api/screens/pairing-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ name: 'kiosk', kind: 'kiosk' }),
      });
      const { code: c } = (await code.json()) as { code: string };
      const paired = await fetch(`${s.url}/api/screens/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: c }),
      });
      const p = (await paired.json()) as { token: string; screen: { id: string } };
      return { token: p.token, id: p.screen.id };
    })());
  const headersOf = async (who: Who, bookingId?: string): Promise<Record<string, string>> => {
    if (who === 'anonymous') return {};
    if (who === 'kiosk') {
      const h: Record<string, string> = { 'x-screen-token': kiosk.token };
      if (bookingId) h['x-booking-pass'] = s.hub.passes.issue(bookingId, kiosk.id).pass;
      return h;
    }
    return { authorization: `Bearer ${(await signIn(who)).token}` };
  };
  const t: TestHub = {
    ...s,
    clock,
    dataDir,
    kioskId: kiosk.id,
    headersOf,
    async staffId(role) {
      return (await signIn(role)).id;
    },
    async api(method, path, body, headers = {}) {
      const { 'x-test-as': who, 'x-test-pass': passFor, ...rest } = headers;
      // By default the kiosk, holding the pass of the booking a path names: the customer is in
      // front of it (as after booking there, or showing the door code).
      const named = /^\/api\/bookings\/([^/?]+)/.exec(path)?.[1];
      const credentials = passFor
        ? await headersOf('kiosk', passFor)
        : await headersOf((who as Who | undefined) ?? 'kiosk', who ? undefined : named);
      const res = await fetch(s.url + path, {
        method,
        headers: {
          ...credentials,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...rest,
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed as never };
    },
    async roomIds() {
      const r = await t.api<{ id: string }[]>('GET', '/api/rooms');
      return r.body.map((x) => x.id);
    },
    async runJobs() {
      return s.hub.scheduler.runDue();
    },
    async restart() {
      await s.close();
      return startTestHub({ ...opts, dataDir, clock, kiosk });
    },
  };
  return t;
}

/** The clock a test moves by hand; shared with the cloud and simulators a test starts beside. */
export { ManualClock };

/** An ISO time in Shanghai, `hh:mm` on a day offset from 2026-11-23. */
export function at(hhmm: string, dayOffset = 0): string {
  const day = 23 + dayOffset;
  const date = new Date(Date.UTC(2026, 10, day));
  const d = date.toISOString().slice(0, 10);
  return `${d}T${hhmm}:00+08:00`;
}

/** Polls `fn` until it gives a value; fails naming `what` after `ms`. For things that arrive by replication. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
