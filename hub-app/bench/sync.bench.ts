// `npm run bench` (third part): the hub's cloud sync, against the embedded CouchDB-compatible
// server running as a process of its own (the cloud), with the hub as a child pointed at it by
// COUCHDB_URL, as a store's mini-PC would be.
//   1. a booking at the counter (POST /api/bookings) until `booking:<id>` is readable in the store's
//      database, one at a time: p50 / p99;
//   2. a customer's booking request written into the store's inbox as an intent until the hub's
//      `answer:<intentId>` is readable in the store's database: p50 / p99;
//   3. catch-up after a simulated 72-hour outage: a fresh hub behind a TCP proxy that is cut,
//      10,000 bookings over 100 rooms x 100 days (each a booking document and its own
//      room-day availability document: 20,000 changes), the hub left to settle, the proxy healed,
//      and the time until the cloud holds every document; then plain PouchDB replication of the
//      same documents (the hub's own local database, after the hub stopped) to a new database
//      through the same proxy, and the ratio of the two rates.
//   4. a customer's first booking at the store, made at the counter under their phone, until it is
//      in their "my orders" (GET /api/orders of the cloud service, the customer signed in by SMS
//      code), one at a time, with the cloud service as a process of its own: p50 / p99.
// Prints figures and PASS/MISS against the targets; a miss is never an error.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

/**
 * Plain PouchDB, the yardstick. Loaded without its type package: those declarations redefine
 * Node's Buffer for the whole program and break code that uses it correctly.
 */
interface PlainDb {
  close(): Promise<void>;
}
const PouchDB = createRequire(import.meta.url)('pouchdb-node') as {
  new (name: string): PlainDb;
  replicate(
    from: PlainDb,
    to: string,
    opts: { batch_size: number },
  ): Promise<{ docs_written: number }>;
};
import { intentKeyId, intentSigningText } from '@roomhub/shared-types';
import { startHub, startScript, type ChildServer } from '../test/hub-process';
import {
  couchFetch,
  provisionedHub,
  provisionWithCloud,
  withCredentialsOf,
} from './provisioned-hub';
import { staffHeaders } from './staff';

/** The bench's stand-in for the cloud's intent key: the hub checks its intents with it. */
const CLOUD_KEY = generateKeyPairSync('ed25519');
const CLOUD_PUBLIC_KEY = CLOUD_KEY.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** An intent signed as the cloud service signs it. */
function signedByCloud<T extends Record<string, unknown>>(doc: T): T {
  const spki = new Uint8Array(CLOUD_KEY.publicKey.export({ type: 'spki', format: 'der' }));
  const text = new Uint8Array(Buffer.from(intentSigningText(doc)));
  const sig = sign(null, text, CLOUD_KEY.privateKey).toString('base64url');
  return { ...doc, signature: { keyId: intentKeyId(spki), sig } };
}

const BOOKINGS = Number(process.env.BENCH_SYNC_BOOKINGS ?? 200);
const REQUESTS = Number(process.env.BENCH_SYNC_REQUESTS ?? 100);
const WARMUP = 10;
const POLL_MS = 5;
const VISIBLE_LIMIT_MS = 10_000;
const OUTAGE_ROOMS = 100;
const OUTAGE_DAYS = 100;
const OUTAGE_CONCURRENCY = 50;
const CATCHUP_LIMIT_MS = 120_000;
/** How often the bench reads the cloud's doc_count during catch-up (each read costs the cloud). */
const CATCHUP_POLL_MS = 200;
const SETTLE_LIMIT_MS = 60_000;
/** Which parts to run: `latency` (1 and 2), `catch-up` (3), `my-orders` (4); all unless BENCH_SYNC_PARTS says. */
const PARTS = new Set((process.env.BENCH_SYNC_PARTS ?? 'latency,catch-up,my-orders').split(','));
const MY_ORDERS = Number(process.env.BENCH_SYNC_MY_ORDERS ?? 50);
const TARGET_MY_ORDERS_P99_MS = 1000;
const REPO = resolve(import.meta.dirname, '../..');
const WATCHDOG_MS = Number(process.env.BENCH_SYNC_LIMIT_SECONDS ?? 330) * 1000;

const TARGET_BOOKING_P50_MS = 500;
const TARGET_BOOKING_P99_MS = 2000;
const TARGET_REQUEST_P50_MS = 1000;
const TARGET_RATIO = 0.8;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE; // the demo store's time zone; no daylight saving time
/** A 60-minute booking blocks 75 minutes (cleaning); the next start on the 30-minute grid is 90 on. */
const SLOT_PITCH = 90 * MINUTE;
const SLOT_LENGTH = 60 * MINUTE;

type Json = Record<string, unknown>;

interface Couch {
  server: ChildServer;
  /** Direct, for the bench's own reads and writes. */
  url: string;
  /** Through the proxy: the store's line to the cloud. */
  proxyUrl: string;
  cut(): Promise<void>;
  heal(): Promise<void>;
}

interface SyncHealth {
  state: string;
  pendingOut: number;
  pendingIn: number;
  restarts: number;
  outbox: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const word = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const pad = (s: string, w: number) => s.padEnd(w);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      // Its reads are what the store shows anyone; its writes are the manager's.
      ...(method === 'GET' ? {} : await staffHeaders(base)),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** Status of a GET, body discarded. */
async function probe(url: string): Promise<number> {
  try {
    const res = await couchFetch(url);
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function docCount(dbUrl: string): Promise<number> {
  const res = await couchFetch(dbUrl);
  const info = (await res.json()) as { doc_count?: number };
  return info.doc_count ?? 0;
}

async function syncHealth(hubUrl: string): Promise<SyncHealth | null> {
  const r = await api(hubUrl, 'GET', '/api/health');
  return (r.json.sync as SyncHealth | null | undefined) ?? null;
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  limitMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Polls until the document is readable; its body, or undefined after the deadline. */
async function whenReadable(docUrl: string, deadline: number): Promise<Json | undefined> {
  for (;;) {
    const res = await couchFetch(docUrl).catch(() => undefined);
    if (res?.status === 200) return (await res.json()) as Json;
    await res?.arrayBuffer();
    if (performance.now() > deadline) return undefined;
    await sleep(POLL_MS);
  }
}

function shanghaiIso(t: number): string {
  return new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 19) + '+08:00';
}

/** Distinct 60-minute slots over the given rooms, room-major within a time step. */
function slotMaker(roomIds: string[], now: number) {
  const base = Math.ceil((now + 2 * 60 * MINUTE) / (30 * MINUTE)) * (30 * MINUTE);
  let next = 0;
  return () => {
    const index = next++;
    const startAt = base + Math.floor(index / roomIds.length) * SLOT_PITCH;
    return {
      index,
      roomId: roomIds[index % roomIds.length]!,
      start: shanghaiIso(startAt),
      end: shanghaiIso(startAt + SLOT_LENGTH),
    };
  };
}

const phone = (i: number) => `138${String(i % 1e8).padStart(8, '0')}`;

async function startCouch(dir: string): Promise<Couch> {
  const server = await startScript({
    script: resolve(import.meta.dirname, 'couch-process.ts'),
    env: { COUCH_BENCH_DIR: dir },
    ready: /^couch (http:\/\/\S+) proxy /,
    timeoutMs: 60_000,
  });
  const line = /^couch (\S+) proxy (\S+) control (\S+)$/m.exec(server.output());
  if (!line) throw new Error(`the couch process printed no URLs:\n${server.output()}`);
  const [, url, proxyUrl, controlUrl] = line as unknown as [string, string, string, string];
  const control = async (what: 'cut' | 'heal') => {
    const res = await fetch(`${controlUrl}/${what}`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`proxy ${what}: ${res.status}`);
  };
  return {
    server,
    url,
    proxyUrl,
    async cut() {
      await control('cut');
      // New connections through the proxy now fail.
      await until(
        'the proxy cut',
        async () => ((await probe(proxyUrl)) === 0 ? true : undefined),
        5_000,
        20,
      );
    },
    async heal() {
      await control('heal');
    },
  };
}

async function storeOf(hubUrl: string): Promise<{ id: string; rules: Json }> {
  const r = await api(hubUrl, 'GET', '/api/store');
  return { id: r.json.id as string, rules: r.json.rules as Json };
}

/** Waits until the hub has published everything and the cloud's copy stops growing. */
async function settled(hubUrl: string, dbUrl: string, limitMs: number): Promise<number> {
  let last = -1;
  let same = 0;
  return until(
    'the hub in step with the cloud',
    async () => {
      const s = await syncHealth(hubUrl);
      const n = await docCount(dbUrl);
      const quiet = s !== null && s.state === 'online' && s.pendingOut === 0 && s.outbox === 0;
      same = quiet && n === last ? same + 1 : 0;
      last = n;
      return same >= 3 ? n : undefined;
    },
    limitMs,
    200,
  );
}

// ---- 1 and 2: latency -------------------------------------------------------------------------

interface Latencies {
  bookings: number[];
  bookingPosts: number[];
  bookingMissing: number;
  bookingErrors: Map<string, number>;
  requests: number[];
  requestMissing: number;
  outcomes: Map<string, number>;
}

async function measureLatency(root: string, couch: Couch, children: ChildServer[]) {
  // The cloud service runs in the cloud, not on the store's mini-PC: not in the hub's process.
  const dataDir = join(root, 'hub-latency');
  const { hubUrl, cloudUrl } = await provisionedHub(dataDir, couch.url);
  const hub = await startHub(dataDir, 60_000, {
    COUCHDB_URL: hubUrl,
    HUB_CLOUD_PUBLIC_KEY: CLOUD_PUBLIC_KEY,
    CLOUD_PORT: 'off',
  });
  children.push(hub);
  const store = await storeOf(hub.url);
  const db = `${couch.url}/store-${store.id}`;
  // Intents are the cloud's to write.
  const inbox = `${cloudUrl}/store-${store.id}-inbox`;
  await until(
    'the store database',
    async () => ((await probe(db)) === 200 ? true : undefined),
    30_000,
  );
  await settled(hub.url, db, 30_000);

  const rooms = (await api(hub.url, 'GET', '/api/rooms')).json as unknown as { id: string }[];
  const slot = slotMaker(
    rooms.map((r) => r.id),
    Date.now(),
  );
  const out: Latencies = {
    bookings: [],
    bookingPosts: [],
    bookingMissing: 0,
    bookingErrors: new Map(),
    requests: [],
    requestMissing: 0,
    outcomes: new Map(),
  };

  console.log(
    `1. ${BOOKINGS} bookings at the counter, one at a time (after ${WARMUP} to warm up) ...`,
  );
  for (let i = 0; i < WARMUP + BOOKINGS; i++) {
    const s = slot();
    const t0 = performance.now();
    const r = await api(hub.url, 'POST', '/api/bookings', {
      roomId: s.roomId,
      start: s.start,
      end: s.end,
      partySize: 2,
      customer: { phone: phone(s.index) },
    });
    const posted = performance.now() - t0;
    if (r.status !== 201) {
      const code = ((r.json.error as Json | undefined)?.code as string) ?? `http_${r.status}`;
      out.bookingErrors.set(code, (out.bookingErrors.get(code) ?? 0) + 1);
      continue;
    }
    const id = r.json.id as string;
    const doc = await whenReadable(
      `${db}/${encodeURIComponent(`booking:${id}`)}`,
      t0 + VISIBLE_LIMIT_MS,
    );
    const took = performance.now() - t0;
    if (i < WARMUP) continue;
    if (!doc) out.bookingMissing += 1;
    else {
      out.bookings.push(took);
      out.bookingPosts.push(posted);
    }
  }

  console.log(`2. ${REQUESTS} booking requests from the cloud, one at a time ...`);
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const s = slot();
    const quote = await api(hub.url, 'POST', '/api/quotes', {
      roomId: s.roomId,
      start: s.start,
      end: s.end,
    });
    if (quote.status !== 200) throw new Error(`POST /api/quotes: ${quote.status}`);
    const intentId = randomUUID();
    const intent = signedByCloud({
      _id: `intent:${intentId}`,
      type: 'intent',
      intentId,
      storeId: store.id,
      customerId: `bench-${i}`,
      createdAt: new Date().toISOString(),
      kind: 'booking_request',
      body: {
        booking: {
          roomId: s.roomId,
          start: s.start,
          end: s.end,
          partySize: 2,
          customer: { phone: phone(s.index) },
        },
        payment: {
          paymentId: `pay-${intentId}`,
          method: 'wechat',
          amount: quote.json.total as number,
        },
      },
    });
    const t0 = performance.now();
    const put = await couchFetch(`${inbox}/${encodeURIComponent(intent._id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(intent),
    });
    await put.arrayBuffer();
    if (put.status !== 201) throw new Error(`PUT ${intent._id}: ${put.status}`);
    const answer = await whenReadable(
      `${db}/${encodeURIComponent(`answer:${intentId}`)}`,
      t0 + VISIBLE_LIMIT_MS,
    );
    const took = performance.now() - t0;
    if (i < WARMUP) continue;
    if (!answer) out.requestMissing += 1;
    else {
      out.requests.push(took);
      const outcome = String(answer.outcome);
      out.outcomes.set(outcome, (out.outcomes.get(outcome) ?? 0) + 1);
    }
  }

  await hub.stop(15_000);
  return out;
}

function printLatency(l: Latencies): void {
  const b = [...l.bookings].sort((x, y) => x - y);
  const p = [...l.bookingPosts].sort((x, y) => x - y);
  const q = [...l.requests].sort((x, y) => x - y);
  const bP50 = percentile(b, 50);
  const bP99 = percentile(b, 99);
  const qP50 = percentile(q, 50);
  const qP99 = percentile(q, 99);
  console.log('\n  1. booking -> booking:<id> readable in the cloud (ms)');
  console.log(
    `     measured ${b.length}, not visible within ${VISIBLE_LIMIT_MS / 1000} s ${l.bookingMissing}`,
  );
  if (l.bookingErrors.size > 0) {
    const codes = [...l.bookingErrors].map(([k, v]) => `${k} x${v}`).join(', ');
    console.log(`     bookings refused: ${codes}`);
  }
  console.log(
    `     p50 ${fmt(bP50)}  p99 ${fmt(bP99)}  max ${fmt(b[b.length - 1] ?? Number.NaN)}   (of which the POST itself: p50 ${fmt(percentile(p, 50))}, p99 ${fmt(percentile(p, 99))})`,
  );
  console.log('\n  2. booking request written to the cloud -> answer:<intentId> readable (ms)');
  const outcomes = [...l.outcomes].map(([k, v]) => `${k} x${v}`).join(', ') || 'none';
  console.log(
    `     measured ${q.length}, unanswered within ${VISIBLE_LIMIT_MS / 1000} s ${l.requestMissing}; answers: ${outcomes}`,
  );
  console.log(`     p50 ${fmt(qP50)}  p99 ${fmt(qP99)}  max ${fmt(q[q.length - 1] ?? Number.NaN)}`);
  console.log('\n  targets');
  const ok = (v: number, limit: number) => Number.isFinite(v) && v < limit;
  console.log(
    `     ${pad('booking visible p50', 28)}${pad(fmt(bP50) + ' ms', 14)}< ${TARGET_BOOKING_P50_MS} ms   ${word(ok(bP50, TARGET_BOOKING_P50_MS) && l.bookingMissing === 0)}`,
  );
  console.log(
    `     ${pad('booking visible p99', 28)}${pad(fmt(bP99) + ' ms', 14)}< ${TARGET_BOOKING_P99_MS} ms  ${word(ok(bP99, TARGET_BOOKING_P99_MS) && l.bookingMissing === 0)}`,
  );
  console.log(
    `     ${pad('request answered p50', 28)}${pad(fmt(qP50) + ' ms', 14)}< ${TARGET_REQUEST_P50_MS} ms  ${word(ok(qP50, TARGET_REQUEST_P50_MS) && l.requestMissing === 0)}`,
  );
}

// ---- 4: my orders -----------------------------------------------------------------------------

interface MyOrders {
  latencies: number[];
  missing: number;
}

async function measureMyOrders(root: string, couch: Couch, children: ChildServer[]) {
  const dataDir = join(root, 'hub-my-orders');
  const { hubUrl, cloudUrl } = await provisionWithCloud(couch.url, dataDir);
  const customerIdKey = randomBytes(32).toString('hex');
  const cloud = await startScript({
    script: join(REPO, 'cloud-service/src/main.ts'),
    env: {
      COUCHDB_URL: cloudUrl,
      CLOUD_PORT: '0',
      CUSTOMER_ID_KEY: customerIdKey,
      CLOUD_SIGNING_KEY: CLOUD_KEY.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      CLOUD_JWT_SECRET: randomBytes(32).toString('hex'),
      // Each customer signs in from an address of their own (X-Forwarded-For), as through a balancer.
      CLOUD_TRUST_PROXY: 'loopback',
    },
    ready: /^\s*Cloud API\s+(http:\/\/[^/\s]+)/,
    timeoutMs: 60_000,
  });
  children.push(cloud);
  const hub = await startHub(dataDir, 60_000, {
    COUCHDB_URL: hubUrl,
    HUB_CLOUD_PUBLIC_KEY: CLOUD_PUBLIC_KEY,
    CUSTOMER_ID_KEY: customerIdKey,
    CLOUD_PORT: 'off',
  });
  children.push(hub);

  const callCloud = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(cloud.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
  };
  /**
   * A new customer signs in with the code texted to their phone (printed: SMS is simulated), each
   * from an address of their own, as customers are; their token.
   */
  const signIn = async (n: number, phoneNumber: string): Promise<string> => {
    const from = { 'x-forwarded-for': `10.9.${Math.floor(n / 250)}.${(n % 250) + 1}` };
    const sent = await callCloud('POST', '/api/auth/sms/send', { phone: phoneNumber }, from);
    if (sent.status !== 202) throw new Error(`SMS sign-in: ${sent.status}`);
    const code = await until(
      'the texted code',
      async () => new RegExp(`SMS to ${phoneNumber}: .*?(\\d{6})`).exec(cloud.output())?.[1],
      10_000,
      20,
    );
    const verified = await callCloud(
      'POST',
      '/api/auth/sms/verify',
      { phone: phoneNumber, code },
      from,
    );
    const token = verified.json.token as string;
    if (!token) throw new Error(`SMS verify: ${verified.status}`);
    return token;
  };
  const myOrders = async (token: string) =>
    new Set(
      (
        ((await callCloud('GET', '/api/orders', undefined, { authorization: `Bearer ${token}` }))
          .json.orders ?? []) as { bookingId: string }[]
      ).map((o) => o.bookingId),
    );

  const rooms = (await api(hub.url, 'GET', '/api/rooms')).json as unknown as { id: string }[];
  const slot = slotMaker(
    rooms.map((r) => r.id),
    Date.now(),
  );
  const out: MyOrders = { latencies: [], missing: 0 };
  console.log(
    `4. ${MY_ORDERS} bookings under a customer's phone until in their "my orders", one at a time ...`,
  );
  for (let i = 0; i < WARMUP + MY_ORDERS; i++) {
    // A customer's first booking at the store: only the customer index leads "my orders" to it.
    const customerPhone = `139${String(70_000_000 + i)}`;
    const token = await signIn(i, customerPhone);
    const s = slot();
    const t0 = performance.now();
    const r = await api(hub.url, 'POST', '/api/bookings', {
      roomId: s.roomId,
      start: s.start,
      end: s.end,
      partySize: 2,
      customer: { phone: customerPhone },
    });
    if (r.status !== 201)
      throw new Error(`POST /api/bookings: ${r.status} ${JSON.stringify(r.json)}`);
    const id = r.json.id as string;
    let seen = false;
    while (performance.now() - t0 < VISIBLE_LIMIT_MS) {
      if ((await myOrders(token)).has(id)) {
        seen = true;
        break;
      }
      await sleep(POLL_MS);
    }
    if (i < WARMUP) continue;
    if (seen) out.latencies.push(performance.now() - t0);
    else out.missing += 1;
  }
  await hub.stop(15_000);
  await cloud.stop(15_000);
  return out;
}

function printMyOrders(m: MyOrders): void {
  const l = [...m.latencies].sort((x, y) => x - y);
  const p99 = percentile(l, 99);
  console.log('\n  4. booking at the counter -> in the customer\'s "my orders" in the cloud (ms)');
  console.log(
    `     measured ${l.length}, not there within ${VISIBLE_LIMIT_MS / 1000} s ${m.missing}`,
  );
  console.log(
    `     p50 ${fmt(percentile(l, 50))}  p99 ${fmt(p99)}  max ${fmt(l[l.length - 1] ?? Number.NaN)}`,
  );
  console.log('\n  targets');
  console.log(
    `     ${pad('my orders p99', 28)}${pad(fmt(p99) + ' ms', 14)}< ${TARGET_MY_ORDERS_P99_MS} ms  ${word(Number.isFinite(p99) && p99 < TARGET_MY_ORDERS_P99_MS && m.missing === 0)}`,
  );
}

// ---- 3: catch-up ------------------------------------------------------------------------------

/** CPU time (clock ticks) the process has used, from /proc; undefined off Linux. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

/** Waits until the process uses under 10 % of a core for two seconds running; returns ms waited. */
async function quiet(pid: number | undefined, limitMs: number): Promise<number> {
  const t0 = Date.now();
  if (cpuTicks(pid) === undefined) {
    await sleep(10_000);
    return Date.now() - t0;
  }
  let calm = 0;
  let before = cpuTicks(pid)!;
  while (Date.now() - t0 < limitMs) {
    await sleep(1_000);
    const now = cpuTicks(pid);
    if (now === undefined) break;
    calm = now - before <= 10 ? calm + 1 : 0; // 100 ticks a second on Linux
    before = now;
    if (calm >= 2) break;
  }
  return Date.now() - t0;
}

function localDate(t: number): string {
  return new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}

async function createRooms(hubUrl: string, n: number): Promise<string[]> {
  const rooms = await api(hubUrl, 'GET', '/api/rooms');
  const template = (rooms.json as unknown as Json[])[0];
  if (!template) throw new Error('the demo store has no rooms');
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = ++next;
      const r = await api(hubUrl, 'POST', '/api/rooms', {
        name: `Outage ${String(i).padStart(3, '0')}`,
        capacity: template.capacity,
        areaSqm: template.areaSqm,
        style: template.style,
        facilities: template.facilities,
        photos: [],
        pricePlan: template.pricePlan,
      });
      if (r.status !== 201)
        throw new Error(`POST /api/rooms: ${r.status} ${JSON.stringify(r.json)}`);
      ids.push(r.json.id as string);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

interface CatchUp {
  bookings: number;
  refused: Map<string, number>;
  generateSeconds: number;
  settleSeconds: number;
  before: number;
  expected: number;
  healthAtHeal: SyncHealth | null;
  healthAfter: SyncHealth | null;
  firstSeconds: number;
  hubSeconds: number;
  reached: number;
  present: number;
  plainDocs: number;
  plainSeconds: number;
  plainCount: number;
  /** CPU seconds used while each copy ran: the client's process and the cloud's. */
  hubCpu: { client: number; cloud: number };
  plainCpu: { client: number; cloud: number };
}

const TICKS_PER_SECOND = 100;
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measureCatchUp(root: string, couch: Couch, children: ChildServer[]) {
  const dataDir = join(root, 'hub-outage');
  const { hubUrl } = await provisionedHub(dataDir, couch.url);
  const hub = await startHub(dataDir, 60_000, {
    COUCHDB_URL: withCredentialsOf(hubUrl, couch.proxyUrl),
    CLOUD_PORT: 'off',
  });
  children.push(hub);
  const store = await storeOf(hub.url);
  const db = `${couch.url}/store-${store.id}`;
  const patched = await api(hub.url, 'PATCH', '/api/store', {
    rules: { ...store.rules, advanceDays: OUTAGE_DAYS + 20 },
  });
  if (patched.status !== 200) throw new Error(`PATCH /api/store: ${patched.status}`);
  const roomIds = await createRooms(hub.url, OUTAGE_ROOMS);
  await until(
    'the store database',
    async () => ((await probe(db)) === 200 ? true : undefined),
    30_000,
  );
  const before = await settled(hub.url, db, 60_000);
  console.log(
    `   ${roomIds.length} rooms created and published; the cloud holds ${before} documents in the store's database`,
  );

  await couch.cut();
  console.log(
    `   line cut; ${OUTAGE_ROOMS * OUTAGE_DAYS} bookings at ${OUTAGE_CONCURRENCY}-way concurrency ...`,
  );
  // One booking per room and day, 10:00-11:00: a booking document and its own availability
  // document each, so the outage leaves exactly two documents per booking to publish.
  const today = Date.now();
  const jobs: { roomId: string; date: string }[] = [];
  for (let d = 1; d <= OUTAGE_DAYS; d++) {
    const date = localDate(today + d * DAY);
    for (const roomId of roomIds) jobs.push({ roomId, date });
  }
  const expectedIds: string[] = [];
  const refused = new Map<string, number>();
  let next = 0;
  const g0 = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      const r = await api(hub.url, 'POST', '/api/bookings', {
        roomId: job.roomId,
        start: `${job.date}T10:00:00+08:00`,
        end: `${job.date}T11:00:00+08:00`,
        partySize: 2,
        customer: { phone: phone(i) },
      });
      if (r.status === 201) {
        expectedIds.push(
          `booking:${r.json.id as string}`,
          `availability:${job.roomId}:${job.date}`,
        );
      } else {
        const code = ((r.json.error as Json | undefined)?.code as string) ?? `http_${r.status}`;
        refused.set(code, (refused.get(code) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: OUTAGE_CONCURRENCY }, worker));
  const generateSeconds = (performance.now() - g0) / 1000;
  const bookings = expectedIds.length / 2;
  console.log(
    `   ${bookings} bookings in ${fmt(generateSeconds)} s; letting the hub settle (the rest of the outage) ...`,
  );
  const settleSeconds = (await quiet(hub.child.pid, SETTLE_LIMIT_MS)) / 1000;
  const healthAtHeal = await syncHealth(hub.url);
  const stillBefore = await docCount(db);
  const expected = stillBefore + expectedIds.length;

  console.log(`   healing the line; waiting for ${expected} documents in the cloud ...`);
  const hubTicks0 = cpuTicks(hub.child.pid);
  const cloudTicks0 = cpuTicks(couch.server.child.pid);
  const h0 = performance.now();
  await couch.heal();
  let firstSeconds = Number.NaN;
  let hubSeconds = Number.NaN;
  let reached = stillBefore;
  while (performance.now() - h0 < CATCHUP_LIMIT_MS) {
    reached = await docCount(db).catch(() => reached);
    const t = (performance.now() - h0) / 1000;
    if (reached > stillBefore && Number.isNaN(firstSeconds)) firstSeconds = t;
    if (reached >= expected) {
      hubSeconds = t;
      break;
    }
    await sleep(CATCHUP_POLL_MS);
  }
  const hubCpu = {
    client: ((cpuTicks(hub.child.pid) ?? 0) - (hubTicks0 ?? 0)) / TICKS_PER_SECOND,
    cloud: ((cpuTicks(couch.server.child.pid) ?? 0) - (cloudTicks0 ?? 0)) / TICKS_PER_SECOND,
  };
  const healthAfter = await syncHealth(hub.url);
  const all = await couchFetch(`${db}/_all_docs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ keys: expectedIds }),
  });
  const rows = ((await all.json()) as { rows?: { value?: { deleted?: boolean } }[] }).rows ?? [];
  const present = rows.filter((r) => r.value && !r.value.deleted).length;

  // Plain PouchDB over the same line, from the hub's own local database (the same documents, with
  // the same revisions), once the hub has stopped and released it.
  await hub.stop(30_000);
  console.log('   plain PouchDB replication of the same documents ...');
  const local = new PouchDB(join(dataDir, 'sync', `store-${store.id}`));
  const plainTicks0 = cpuTicks(couch.server.child.pid);
  const own0 = ownCpu();
  const p0 = performance.now();
  const result = await PouchDB.replicate(
    local,
    `${withCredentialsOf(couch.url, couch.proxyUrl)}/plain-copy`,
    {
      batch_size: 100,
    },
  );
  const plainSeconds = (performance.now() - p0) / 1000;
  const plainCpu = {
    client: ownCpu() - own0,
    cloud: ((cpuTicks(couch.server.child.pid) ?? 0) - (plainTicks0 ?? 0)) / TICKS_PER_SECOND,
  };
  await local.close();
  const plainCount = await docCount(`${couch.url}/plain-copy`);

  const out: CatchUp = {
    bookings,
    refused,
    generateSeconds,
    settleSeconds,
    before: stillBefore,
    expected,
    healthAtHeal,
    healthAfter,
    firstSeconds,
    hubSeconds,
    reached,
    present,
    plainDocs: result.docs_written,
    plainSeconds,
    plainCount,
    hubCpu,
    plainCpu,
  };
  return out;
}

function printCatchUp(c: CatchUp): void {
  const changes = c.bookings * 2;
  const hubRate = changes / c.hubSeconds;
  const transferRate = changes / (c.hubSeconds - c.firstSeconds);
  const plainRate = c.plainDocs / c.plainSeconds;
  const ratio = hubRate / plainRate;
  const h = c.healthAtHeal;
  console.log('\n  3. catch-up after a simulated 72-hour outage');
  console.log(
    `     outage: ${c.bookings} bookings (${fmt(c.generateSeconds)} s), ${changes} changed documents` +
      (c.refused.size > 0
        ? `; refused: ${[...c.refused].map(([k, v]) => `${k} x${v}`).join(', ')}`
        : ''),
  );
  console.log(
    `     hub settled ${fmt(c.settleSeconds)} s after the last booking; at heal: ${h ? `state ${h.state}, pendingOut ${h.pendingOut}, outbox ${h.outbox}, restarts ${h.restarts}` : 'no sync status'}`,
  );
  const a = c.healthAfter;
  if (a) {
    console.log(
      `     hub when all was in: state ${a.state}, pendingOut ${a.pendingOut}, outbox ${a.outbox}, restarts ${a.restarts}`,
    );
  }
  console.log(
    `     cloud: ${c.before} documents before, ${c.reached} after (expected ${c.expected}); outage documents present ${c.present} of ${changes}`,
  );
  console.log('');
  console.log(`     ${pad('', 40)}${pad('seconds', 10)}${pad('docs', 8)}docs/s`);
  console.log(
    `     ${pad('hub catch-up, heal -> all in the cloud', 40)}${pad(fmt(c.hubSeconds, 2), 10)}${pad(String(changes), 8)}${fmt(hubRate, 0)}`,
  );
  console.log(
    `     ${pad('  of which heal -> first document', 40)}${pad(fmt(c.firstSeconds, 2), 10)}`,
  );
  console.log(
    `     ${pad('  first document -> all', 40)}${pad(fmt(c.hubSeconds - c.firstSeconds, 2), 10)}${pad(String(changes), 8)}${fmt(transferRate, 0)}`,
  );
  console.log(
    `     ${pad('plain PouchDB.replicate, same docs', 40)}${pad(fmt(c.plainSeconds, 2), 10)}${pad(String(c.plainDocs), 8)}${fmt(plainRate, 0)}   (copy holds ${c.plainCount})`,
  );
  console.log(
    '     (the hub pushes in batches of 500; plain PouchDB runs with its default batch_size of 100)',
  );
  console.log(
    `     CPU seconds used meanwhile: hub process ${fmt(c.hubCpu.client)}, cloud process ${fmt(c.hubCpu.cloud)} (hub path); ` +
      `replicating process ${fmt(c.plainCpu.client)}, cloud process ${fmt(c.plainCpu.cloud)} (plain path)`,
  );
  if (Number.isNaN(c.hubSeconds)) {
    console.log(`     the hub did not finish within ${CATCHUP_LIMIT_MS / 1000} s`);
  }
  console.log('\n  targets');
  console.log(
    `     ${pad('hub docs/s ÷ plain docs/s', 28)}${pad(fmt(ratio, 2), 14)}≥ ${TARGET_RATIO}       ${word(Number.isFinite(ratio) && ratio >= TARGET_RATIO && c.present === changes)}`,
  );
  console.log(
    `     ${pad('  (first document -> all)', 28)}${pad(fmt(transferRate / plainRate, 2), 14)}(the same, without the time to notice the line is back)`,
  );
}

// ---- main -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'roomhub-sync-bench-'));
  const children: ChildServer[] = [];
  const cleanUp = () => {
    for (const c of children) void c.kill();
    rmSync(root, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`sync bench: still running after ${WATCHDOG_MS / 1000} s; stopping`);
    cleanUp();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    const couchDir = join(root, 'cloud');
    mkdirSync(couchDir);
    console.log('starting the cloud (embedded CouchDB in its own process) and the hub ...');
    const couch = await startCouch(couchDir);
    children.push(couch.server);
    if (PARTS.has('latency')) {
      const latency = await measureLatency(root, couch, children);
      printLatency(latency);
    }
    if (PARTS.has('my-orders')) {
      printMyOrders(await measureMyOrders(root, couch, children));
    }
    if (!PARTS.has('catch-up')) return;

    console.log(
      `\n3. catch-up: a fresh hub, ${OUTAGE_ROOMS} rooms, the line cut for ${OUTAGE_ROOMS * OUTAGE_DAYS * 2} changes ...`,
    );
    const catchUp = await measureCatchUp(root, couch, children);
    printCatchUp(catchUp);
  } finally {
    await Promise.all(children.map((c) => c.stop(10_000)));
    clearTimeout(watchdog);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error('sync bench failed:', e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
