// `npm run bench` (many hubs at once): HUB_BURST_STORES stores (100 unless set) are provisioned
// on the embedded CouchDB, each with its hub's own CouchDB user, its profile and two rooms; the
// cloud service runs as `npm start` runs it (its change follower long-polling every store), each
// of the two in a process of its own. Then every store's "hub" replicates a burst of
// HUB_BURST_BOOKINGS bookings (100 unless set) into its store database with its own credentials,
// all hubs at once, each in batches of HUB_BURST_BATCH bookings one after another: a batch is one
// `_bulk_docs` of the bookings, a payment ledger entry for each, and the day's availability of
// each room it touches, as the hub's replication carries them.
//
// Measured:
// - the lag from the last write CouchDB acknowledged until every store's last booking shows in
//   all three of: the "my orders" of the customer it was made for (a customer with no booking in
//   that store before, so the follower must add the pair to the customer index), the owner's
//   board of its day, and its room's availability of that day (updated as the hub wrote it). The
//   cloud is asked for every store's three until each answers so (each again only while it does
//   not, at most HUB_BURST_PROBES requests at a time, 4 unless set), for at most HUB_BURST_WAIT_S
//   seconds (60 unless set); the lag is when the last of them answered so. The asking is the
//   measurement, not the customers' load (that is the stream below): more at a time answers no
//   sooner, it only takes CouchDB from the follower it is waiting for.
// - what customers wait meanwhile: requests paced at HUB_BURST_RATE a second (20 unless set),
//   turn about a room's availability (anyone) and a signed-in customer's "my orders", from the
//   burst's start until the lag is measured, each timed from when it was due: p50 and p99 during
//   the burst and while the cloud catches up.
// - how far each of the change follower's lanes got (its checkpoints against each store's last
//   change), the CPU time CouchDB and the cloud service spent, and the machine's load average;
//   and before the burst, what following the quiet stores costs over HUB_BURST_IDLE_S (10 s),
//   HUB_BURST_SETTLE_S (20 s) after the cloud is ready.
// Printed beside the targets (lag < 5 s, p50 < 1 s); a miss is never an error. `npm run
// bench:hubs -w @roomhub/cloud-service`; HUB_BURST_KEEP keeps the folder with the cloud's log.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { availabilityDocId, storeDbName } from '@roomhub/shared-types';
import { Tokens } from '../src/auth/tokens';
import { random, split, startChild, type Child } from './bench-kit';
import { createCouchClient } from '../src/couch';
import { Provisioner } from '../src/provision/provisioner';
import { bookingFact, ledgerFact, seedStoreDocs } from '../test/cloud-fixtures';

const STORES = Number(process.env.HUB_BURST_STORES ?? 100);
const BOOKINGS = Number(process.env.HUB_BURST_BOOKINGS ?? 100);
const BATCH = Number(process.env.HUB_BURST_BATCH ?? 20);
const RATE = Number(process.env.HUB_BURST_RATE ?? 20);
const WAIT_MS = Number(process.env.HUB_BURST_WAIT_S ?? 60) * 1_000;
const ROOMS = 2;
/** Customers booking in the burst besides each store's watched one. */
const CUSTOMERS = 1_000;
const POLL_AT_ONCE = Number(process.env.HUB_BURST_PROBES ?? 4);
/**
 * Seconds the quiet stores are followed before the burst, for what following them costs, after
 * HUB_BURST_SETTLE_S for the work of the start (the first pass, the views of the stores seeded).
 */
const IDLE_S = Number(process.env.HUB_BURST_IDLE_S ?? 10);
const SETTLE_S = Number(process.env.HUB_BURST_SETTLE_S ?? 20);
const TARGET = { lagMs: 5_000, p50Ms: 1_000 };
const SRC = resolve(import.meta.dirname, '../src');

/** `url` with another user's credentials. */
function asUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString().replace(/\/+$/, '');
}

/** A process's CPU time in seconds (user and system), from /proc (NaN where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
const storeIdOf = (s: number) => `hub-${String(s).padStart(3, '0')}`;
const roomIdOf = (s: number, r: number) => `${storeIdOf(s)}-r${r}`;
const customerOf = (c: number) => `bench-c${String(c).padStart(4, '0')}`;
/** The customer whose only booking in the store is its burst's last one. */
const watchedOf = (s: number) => `bench-w${String(s).padStart(3, '0')}`;

/** Shanghai's date `days` after today's. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

interface StoreBurst {
  storeId: string;
  /** `_bulk_docs` bodies, in the order the hub sends them. */
  batches: object[][];
  last: { bookingId: string; roomId: string; date: string; availabilityAt: string };
}

/**
 * A store's burst: BOOKINGS one-hour bookings, a batch a day (ten an hour apart per room from
 * 09:00), each paid in cash with its ledger entry, and each room's availability of the batch's
 * day. The last booking of the last batch is the watched customer's.
 */
function burstOf(s: number, next: () => number): StoreBurst {
  const storeId = storeIdOf(s);
  const batches: object[][] = [];
  let last: StoreBurst['last'] | undefined;
  for (let first = 0, day = 1; first < BOOKINGS; first += BATCH, day++) {
    const date = shanghaiDate(day);
    const at = new Date().toISOString();
    const docs: object[] = [];
    const segments = new Map<string, { start: string; end: string; state: 'booked' }[]>();
    const count = Math.min(BATCH, BOOKINGS - first);
    for (let i = 0; i < count; i++) {
      const n = first + i;
      const roomId = roomIdOf(s, i % ROOMS);
      const hour = 9 + Math.floor(i / ROOMS);
      const start = `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`;
      const end = `${date}T${String(hour + 1).padStart(2, '0')}:00:00+08:00`;
      const bookingId = `${storeId}-b${String(n).padStart(4, '0')}`;
      const lastOne = n === BOOKINGS - 1;
      const amount = 6_000;
      docs.push(
        bookingFact({
          storeId,
          bookingId,
          roomId,
          start,
          end,
          amount,
          customerId: lastOne ? watchedOf(s) : customerOf(Math.floor(next() * CUSTOMERS)),
          at,
        }),
        ledgerFact({
          storeId,
          bookingId,
          entryId: 'p1',
          kind: 'payment',
          method: 'cash',
          amount,
          at,
        }),
      );
      segments.set(roomId, [
        ...(segments.get(roomId) ?? []),
        { start: new Date(start).toISOString(), end: new Date(end).toISOString(), state: 'booked' },
      ]);
      if (lastOne) last = { bookingId, roomId, date, availabilityAt: at };
    }
    for (const [roomId, taken] of segments) {
      docs.push({
        _id: availabilityDocId(roomId, date),
        type: 'availability',
        storeId,
        roomId,
        date,
        segments: taken,
        updatedAt: at,
      });
    }
    batches.push(docs);
  }
  return { storeId, batches, last: last! };
}

interface Timed {
  /** When it was due, from the burst's start. */
  dueMs: number;
  tookMs: number;
  ok: boolean;
  /** The answer's status, or 0 when none came. */
  status: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function row(label: string, ...cells: string[]): void {
  console.log(`  ${label.padEnd(50)}${cells.map((c) => c.padEnd(14)).join('')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'hub-burst-bench-'));
const children: Child[] = [];
try {
  const couch = await startChild(
    resolve(import.meta.dirname, 'couch-process.ts'),
    { COUCH_BENCH_DIR: join(dir, 'couch') },
    /^couch (\S+)$/m,
  );
  children.push(couch);
  const adminUrl = couch.match[1]!;
  const admin = split(adminUrl);
  const asAdmin = async <T>(path: string): Promise<T> =>
    (await (
      await fetch(`${admin.base}/${path}`, { headers: { authorization: admin.authorization } })
    ).json()) as T;
  const provisioner = new Provisioner({
    couch: createCouchClient(adminUrl),
    clock: { now: () => Date.now() },
    newPassword: () => randomBytes(16).toString('hex'),
  });
  const setup = performance.now();
  const cloudUser = asUser(adminUrl, 'cloud', (await provisioner.cloud()).password!);

  // Each store's database and hub user, then its profile and rooms as its hub writes them.
  const hubs: { base: string; authorization: string }[] = [];
  for (let s = 0; s < STORES; s++) {
    const { user, password } = await provisioner.store(storeIdOf(s));
    const url = asUser(adminUrl, user, password!);
    hubs.push(split(url));
    await seedStoreDocs(
      createCouchClient(url),
      {
        storeId: storeIdOf(s),
        lat: 31.2 + s * 0.001,
        lng: 121.45,
        hours: { open: '09:00', close: '23:00' },
        rooms: Array.from({ length: ROOMS }, (_, r) => ({
          roomId: roomIdOf(s, r),
          style: 'tea',
          capacity: 4,
          workday: 6_000,
        })),
      },
      Date.now(),
    );
  }
  const setupMs = performance.now() - setup;

  const jwtSecret = randomBytes(32).toString('hex');
  const { privateKey } = generateKeyPairSync('ed25519');
  const cloud = await startChild(
    join(SRC, 'main.ts'),
    {
      COUCHDB_URL: cloudUser,
      CLOUD_HOST: '127.0.0.1',
      CLOUD_PORT: '0',
      CLOUD_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      CUSTOMER_ID_KEY: randomBytes(32).toString('hex'),
      CLOUD_JWT_SECRET: jwtSecret,
      CLOUD_DEMO_OWNER: 'off',
      CLOUD_LOG_DIR: join(dir, 'logs'),
    },
    /Cloud API\s+(http:\/\/\S+?)\/api\/stores/,
  );
  children.push(cloud);
  const cloudUrl = cloud.match[1]!;

  const tokens = new Tokens({ secret: jwtSecret, clock: { now: () => Date.now() } });
  const customerToken = new Map<string, string>();
  const tokenOf = async (customerId: string) => {
    let token = customerToken.get(customerId);
    if (!token) {
      token = await tokens.customer({ customerId });
      customerToken.set(customerId, token);
    }
    return token;
  };
  const ownerToken = await tokens.owner({
    username: 'bench-owner',
    storeIds: Array.from({ length: STORES }, (_, s) => storeIdOf(s)),
  });
  const get = async (path: string, token?: string): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(cloudUrl + path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  // Every store's room day answered, with the store's data synced: the follower's first pass
  // over the profiles is done and each store's views are built, so the burst starts warm.
  const ready = performance.now();
  const firstDay = shanghaiDate(1);
  for (let waiting = [...Array(STORES).keys()]; waiting.length > 0;) {
    const answers = await Promise.all(
      waiting.map((s) =>
        get(`/api/stores/${storeIdOf(s)}/rooms/${roomIdOf(s, 0)}/availability?date=${firstDay}`),
      ),
    );
    waiting = waiting.filter((_, i) => {
      const a = answers[i]!;
      return a.status !== 200 || (a.json as { syncedAt?: unknown }).syncedAt == null;
    });
    if (waiting.length > 0) {
      if (performance.now() - ready > 120_000)
        throw new Error(`${waiting.length} stores not ready`);
      await pause(250);
    }
  }
  const readyMs = performance.now() - ready;
  for (let c = 0; c < CUSTOMERS; c++) await tokenOf(customerOf(c));
  for (let s = 0; s < STORES; s++) await tokenOf(watchedOf(s));

  const next = random(18);
  const bursts = Array.from({ length: STORES }, (_, s) => burstOf(s, next));
  const docCount = bursts.reduce((n, b) => n + b.batches.reduce((m, d) => m + d.length, 0), 0);

  // Where each store's change feed stood before the burst.
  const seqBefore = new Map<string, number>();
  for (const { storeId } of bursts) {
    const db = storeDbName(storeId);
    seqBefore.set(db, Number((await asAdmin<{ update_seq: unknown }>(db)).update_seq));
  }

  // What following the quiet stores costs: nothing is written meanwhile.
  await pause(SETTLE_S * 1_000);
  const idleBefore = [cpuSeconds(couch.process.pid), cpuSeconds(cloud.process.pid)];
  await pause(IDLE_S * 1_000);
  const idle = [cpuSeconds(couch.process.pid), cpuSeconds(cloud.process.pid)].map(
    (after, i) => after - idleBefore[i]!,
  );

  // The customers' stream, from the burst's start until the lag is measured.
  const cpuBefore = [cpuSeconds(couch.process.pid), cpuSeconds(cloud.process.pid)];
  const start = performance.now();
  const timed: Timed[] = [];
  let streaming = true;
  const stream = (async () => {
    const calls: Promise<void>[] = [];
    const pick = random(7);
    for (let i = 0; streaming; i++) {
      const due = start + (i * 1_000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await pause(wait);
      const s = Math.floor(pick() * STORES);
      const path =
        i % 2 === 0
          ? `/api/stores/${storeIdOf(s)}/rooms/${roomIdOf(s, i % ROOMS)}/availability?date=${shanghaiDate(1 + Math.floor(pick() * Math.ceil(BOOKINGS / BATCH)))}`
          : '/api/orders';
      const token =
        i % 2 === 0 ? undefined : customerToken.get(customerOf(Math.floor(pick() * CUSTOMERS)));
      calls.push(
        get(path, token)
          .then((r) => {
            timed.push({
              dueMs: due - start,
              tookMs: performance.now() - due,
              ok: r.status === 200,
              status: r.status,
            });
          })
          .catch(
            () =>
              void timed.push({
                dueMs: due - start,
                tookMs: performance.now() - due,
                ok: false,
                status: 0,
              }),
          ),
      );
    }
    await Promise.all(calls);
  })();

  // Every hub at once, each batch after the one before, as its replication sends them.
  let lastWriteMs = 0;
  await Promise.all(
    bursts.map(async (burst, s) => {
      const hub = hubs[s]!;
      for (const docs of burst.batches) {
        const res = await fetch(`${hub.base}/${storeDbName(burst.storeId)}/_bulk_docs`, {
          method: 'POST',
          headers: { authorization: hub.authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ docs }),
        });
        const rows = (await res.json()) as { error?: string }[];
        const failed = Array.isArray(rows) ? rows.find((r) => r.error) : rows;
        if (!res.ok || failed) throw new Error(`bulk write refused: ${JSON.stringify(failed)}`);
        lastWriteMs = Math.max(lastWriteMs, performance.now() - start);
      }
    }),
  );
  const burstMs = performance.now() - start;

  // Every store's last booking in its customer's orders, its owner's board and its room's day.
  type Check = { label: 'my orders' | 'owner board' | 'availability'; s: number; doneMs?: number };
  const checks: Check[] = [];
  for (let s = 0; s < STORES; s++) {
    for (const label of ['my orders', 'owner board', 'availability'] as const)
      checks.push({ label, s });
  }
  const upToDate = async ({ label, s }: Check): Promise<boolean> => {
    const { storeId, last } = bursts[s]!;
    if (label === 'my orders') {
      const r = await get('/api/orders', customerToken.get(watchedOf(s)));
      const orders = (r.json as { orders?: { bookingId: string }[] }).orders ?? [];
      return orders.some((o) => o.bookingId === last.bookingId);
    }
    if (label === 'owner board') {
      const r = await get(`/api/owner/stores/${storeId}/board?date=${last.date}`, ownerToken);
      const rooms = (r.json as { rooms?: { bookings: { bookingId: string }[] }[] }).rooms ?? [];
      return rooms.some((room) => room.bookings.some((b) => b.bookingId === last.bookingId));
    }
    const r = await get(
      `/api/stores/${storeId}/rooms/${last.roomId}/availability?date=${last.date}`,
    );
    const at = (r.json as { updatedAt?: string | null }).updatedAt;
    // The cloud gives times to the second.
    return (
      typeof at === 'string' &&
      Math.floor(Date.parse(at) / 1_000) === Math.floor(Date.parse(last.availabilityAt) / 1_000)
    );
  };
  for (let open = checks; open.length > 0 && performance.now() - start - lastWriteMs < WAIT_MS;) {
    const queue = [...open];
    await Promise.all(
      Array.from({ length: POLL_AT_ONCE }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          if (await upToDate(c).catch(() => false)) c.doneMs = performance.now() - start;
        }
      }),
    );
    open = open.filter((c) => c.doneMs === undefined);
    if (open.length > 0) await pause(100);
  }
  streaming = false;
  await stream;
  const cpu = [cpuSeconds(couch.process.pid), cpuSeconds(cloud.process.pid)].map(
    (after, i) => after - cpuBefore[i]!,
  );
  const spentMs = performance.now() - start;
  // How far each of the follower's lanes read: its checkpoint in each store's database (saved
  // after each page of changes it finished) against the database's last change.
  const lanes = { customers: 'checkpoint:', platform: 'platform-checkpoint:' };
  const progress = { customers: { read: 0, stores: 0 }, platform: { read: 0, stores: 0 } };
  let written = 0;
  for (const { storeId } of bursts) {
    const db = storeDbName(storeId);
    const { update_seq: seq } = await asAdmin<{ update_seq: unknown }>(db);
    written += Number(seq) - seqBefore.get(db)!;
    for (const lane of ['customers', 'platform'] as const) {
      const { since } = await asAdmin<{ since?: unknown }>(`follower/${lanes[lane]}${db}`);
      const at = Number(since ?? 0);
      progress[lane].read += Math.max(0, at - seqBefore.get(db)!);
      if (at >= Number(seq)) progress[lane].stores += 1;
    }
  }

  const lagOf = (label?: Check['label']) => {
    const of = checks.filter((c) => label === undefined || c.label === label);
    const late = of.some((c) => c.doneMs === undefined);
    return late ? NaN : Math.max(0, ...of.map((c) => c.doneMs! - lastWriteMs));
  };
  const lag = lagOf();
  const figures = (during: boolean) => {
    const of = timed.filter((t) => t.dueMs < lastWriteMs === during);
    const took = of
      .filter((t) => t.ok)
      .map((t) => t.tookMs)
      .sort((a, b) => a - b);
    return {
      n: of.length,
      p50: percentile(took, 50),
      p99: percentile(took, 99),
      failed: of.filter((t) => !t.ok).length,
      statuses: [...new Set(of.filter((t) => !t.ok).map((t) => t.status))].join(', '),
    };
  };
  const during = figures(true);
  const after = figures(false);

  console.log(
    `\nmany hubs at once: ${STORES} stores provisioned with their hubs' users in ${(setupMs / 1000).toFixed(1)} s, ready in the cloud ${(readyMs / 1000).toFixed(1)} s later`,
  );
  console.log(
    `  before it, ${IDLE_S} s with nothing written: CPU time CouchDB ${idle[0]!.toFixed(1)} s, the cloud service ${idle[1]!.toFixed(1)} s (following ${STORES} quiet stores, ${SETTLE_S} s after the start's work)`,
  );
  console.log(
    `  burst: ${STORES} hubs × ${BOOKINGS} bookings in batches of ${BATCH} (${docCount} documents: bookings, ledger entries, availability), the last write acknowledged at ${(lastWriteMs / 1000).toFixed(1)} s (all ${(burstMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `  up to date = each store's last booking in its customer's GET /api/orders, in the owner's board of its day and its room's availability of that day as written (${checks.length} reads)`,
  );
  console.log(
    `  CPU time from the burst's start to the end (${(spentMs / 1000).toFixed(1)} s): CouchDB ${cpu[0]!.toFixed(1)} s, the cloud service ${cpu[1]!.toFixed(1)} s`,
  );
  console.log(
    `  the follower, ${((spentMs - lastWriteMs) / 1000).toFixed(1)} s after the last write (as its checkpoints say: saved after each page of 200): the customers' lane has read ${progress.customers.stores} of ${STORES} stores to their last change, ${progress.customers.read} of the burst's ${written} changes; the platform's lane ${progress.platform.stores} stores, ${progress.platform.read} changes`,
  );
  console.log(
    `  load average of the machine at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
  row('what', 'measured', 'target', 'result');
  for (const label of ['my orders', 'owner board', 'availability'] as const) {
    const value = lagOf(label);
    row(
      `  lag after the last write: ${label}`,
      Number.isNaN(value) ? `> ${WAIT_MS / 1000} s` : `${(value / 1000).toFixed(2)} s`,
      '',
      '',
    );
  }
  const late = checks.filter((c) => c.doneMs === undefined).length;
  row(
    'lag after the last write: all up to date',
    Number.isNaN(lag) ? `${late} not after ${WAIT_MS / 1000} s` : `${(lag / 1000).toFixed(2)} s`,
    `< ${TARGET.lagMs / 1000} s`,
    lag < TARGET.lagMs ? 'PASS' : 'MISS',
  );
  for (const [label, f] of [
    [`customers' requests during the burst (${RATE}/s)`, during],
    ['  while the cloud catches up', after],
  ] as const) {
    row(
      label,
      `p50 ${f.p50.toFixed(0)} ms`,
      label.startsWith(' ') ? '' : `< ${TARGET.p50Ms} ms`,
      label.startsWith(' ') ? '' : f.p50 < TARGET.p50Ms && f.failed === 0 ? 'PASS' : 'MISS',
    );
    row(
      '',
      `p99 ${f.p99.toFixed(0)} ms`,
      `${f.n} asked`,
      `${f.failed} failed${f.failed ? ` (${f.statuses})` : ''}`,
    );
  }
} finally {
  for (const child of children.reverse()) await child.stop();
  if (process.env.HUB_BURST_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
