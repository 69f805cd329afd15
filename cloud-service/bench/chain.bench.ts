// `npm run bench` (a chain's stores near): how fast a customer's "stores near" answers when the
// catalogue holds a whole chain. CHAIN_STORES stores (1,000 unless set), ten rooms each, spread
// over Shanghai, are written into the `catalogue` database in bulk as the cloud's user (the
// catalogue's one writer); the cloud service then runs as `npm start` runs it, in a process of its
// own, over the embedded CouchDB in another. autocannon loads it from this process with 200
// connections for CHAIN_SECONDS (8 unless set) on `GET /api/stores?lat=31.23&lng=121.45&maxKm=3`
// flat out, then requests paced at 200 a second (the target's rate) follow; then a bare CouchDB
// `_all_docs?limit=20` of the same database on the same server both ways, as the anchor. Prints
// requests/s, p50 and p99 side by side, the cloud's resident memory before and after the loads,
// and the target (p99 < 50 ms at 200 requests/s or more); a miss is never an error.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CLOUD_DBS,
  CatalogueRoomDocSchema,
  catalogueRoomDocId,
  catalogueStoreDocId,
} from '@roomhub/shared-types';
import { createCouchClient } from '../src/couch';
import { Provisioner } from '../src/provision/provisioner';
import { CatalogueStoreEntrySchema } from '../src/stores/store-list';

const STORES = Number(process.env.CHAIN_STORES ?? 1_000);
const SECONDS = Number(process.env.CHAIN_SECONDS ?? 8);
const ROOMS_PER_STORE = 10;
const CONNECTIONS = 200;
const NEAR = '/api/stores?lat=31.23&lng=121.45&maxKm=3';
const TARGET = { requestsPerSecond: 200, p99Ms: 50 };
/** The chain's stores lie within this many degrees of the centre: about 67 by 57 km. */
const SPREAD_DEG = 0.3;
const CENTRE = { lat: 31.23, lng: 121.45 };
const BATCH = 2_000;

const SRC = resolve(import.meta.dirname, '../src');

interface Child {
  process: ChildProcess;
  match: RegExpExecArray;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point under tsx and waits for the line it prints when ready. */
async function startChild(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<RegExpExecArray>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${script} did not start:\n${output}`)),
      timeoutMs,
    );
    const look = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        done(m);
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${script} exited (${code}):\n${output}`));
    });
  });
  // Drained from now on, so a chatty child never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    process: child,
    match,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A process's resident memory in MB, from /proc (NaN where there is none). */
function rssMb(pid: number | undefined): number {
  try {
    const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Repeatable pseudo-random numbers in [0, 1) (mulberry32), so every run writes the same chain. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The chain's catalogue: each store's entry and its rooms, as the cloud derives them. */
function chainDocs(): object[] {
  const next = random(18);
  const at = new Date().toISOString();
  const styles = ['tea', 'mahjong', 'chess'];
  const docs: object[] = [];
  for (let s = 0; s < STORES; s++) {
    const storeId = `chain-${String(s).padStart(5, '0')}`;
    const late = next() < 0.3;
    docs.push(
      CatalogueStoreEntrySchema.parse({
        _id: catalogueStoreDocId(storeId),
        type: 'store',
        storeId,
        name: `茶室 ${s + 1} 号店`,
        address: `上海市 ${s + 1} 号`,
        location: {
          lat: CENTRE.lat + (next() * 2 - 1) * SPREAD_DEG,
          lng: CENTRE.lng + (next() * 2 - 1) * SPREAD_DEG,
        },
        timeZone: 'Asia/Shanghai',
        phone: '021-12345678',
        hours: late ? { open: '12:00', close: '04:00' } : { open: '09:00', close: '23:00' },
        updatedAt: at,
      }),
    );
    for (let r = 0; r < ROOMS_PER_STORE; r++) {
      const roomId = `${storeId}-r${r}`;
      docs.push(
        CatalogueRoomDocSchema.parse({
          _id: catalogueRoomDocId(roomId),
          type: 'room',
          storeId,
          roomId,
          name: `${r + 1} 号包间`,
          style: styles[Math.floor(next() * styles.length)],
          capacity: 2 + Math.floor(next() * 8),
          fromPricePerHour: 3_000 + 500 * Math.floor(next() * 10),
          photos: [],
          sort: r,
          updatedAt: at,
        }),
      );
    }
  }
  return docs;
}

/** `url` without its credentials, and the Basic Authorization header they make. */
function split(url: string): { base: string; authorization: string } {
  const u = new URL(url);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return {
    base: u.toString().replace(/\/+$/, ''),
    authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
  };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/** autocannon's connections, each asking again as soon as it is answered. */
async function load(url: string, headers: Record<string, string>): Promise<Figures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Requests at an even pace of `rate` a second, each timed from when it was due, not when it was
 * sent, so a late timer counts against the answer. (autocannon's rate limit sends each
 * connection's share at the start of every second, all together: a burst, not a rate.)
 */
async function paced(url: string, headers: Record<string, string>, rate: number): Promise<Figures> {
  const gap = 1_000 / rate;
  const total = Math.round(rate * SECONDS);
  const took: number[] = [];
  let failed = 0;
  const calls: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    calls.push(
      fetch(url, { headers })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.ok) took.push(performance.now() - due);
          else failed += 1;
        })
        .catch(() => {
          failed += 1;
        }),
    );
  }
  await Promise.all(calls);
  const seconds = (performance.now() - start) / 1_000;
  took.sort((a, b) => a - b);
  const at = (p: number) => took[Math.min(took.length - 1, Math.ceil((p / 100) * took.length) - 1)];
  return {
    rps: took.length / seconds,
    p50: at(50) ?? Number.NaN,
    p99: at(99) ?? Number.NaN,
    failed,
  };
}

const mb = (value: number | undefined) => `${(value ?? Number.NaN).toFixed(0)} MB`;

function row(label: string, ...cells: string[]): void {
  console.log(`  ${label.padEnd(46)}${cells.map((c) => c.padEnd(13)).join('')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'chain-bench-'));
const children: Child[] = [];
try {
  const couch = await startChild(
    resolve(import.meta.dirname, 'couch-process.ts'),
    { COUCH_BENCH_DIR: join(dir, 'couch') },
    /^couch (\S+)$/m,
  );
  children.push(couch);
  const adminUrl = couch.match[1]!;
  const provisioned = await new Provisioner({
    couch: createCouchClient(adminUrl),
    clock: { now: () => Date.now() },
    newPassword: () => randomBytes(16).toString('hex'),
  }).cloud();
  const cloudUser = new URL(adminUrl);
  cloudUser.username = 'cloud';
  cloudUser.password = provisioned.password!;
  const cloudCouch = split(cloudUser.toString());

  const docs = chainDocs();
  const writing = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) {
    const res = await fetch(`${cloudCouch.base}/${CLOUD_DBS.catalogue}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: cloudCouch.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: docs.slice(i, i + BATCH) }),
    });
    const rows = (await res.json()) as { error?: string; id?: string }[];
    const failed = Array.isArray(rows) ? rows.find((r) => r.error) : rows;
    if (!res.ok || failed) throw new Error(`bulk write refused: ${JSON.stringify(failed)}`);
  }
  const writtenMs = performance.now() - writing;

  const { privateKey } = generateKeyPairSync('ed25519');
  const cloud = await startChild(
    join(SRC, 'main.ts'),
    {
      COUCHDB_URL: cloudUser.toString().replace(/\/+$/, ''),
      CLOUD_HOST: '127.0.0.1',
      CLOUD_PORT: '0',
      CLOUD_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      CUSTOMER_ID_KEY: randomBytes(32).toString('hex'),
      CLOUD_JWT_SECRET: randomBytes(32).toString('hex'),
      CLOUD_DEMO_OWNER: 'off',
      CLOUD_LOG_DIR: join(dir, 'logs'),
    },
    /Cloud API\s+(http:\/\/\S+?)\/api\/stores/,
  );
  children.push(cloud);
  const cloudUrl = cloud.match[1]!;

  // The first search, as the first customer after a start makes it; then a few more warm up.
  const first = performance.now();
  const answer = await fetch(cloudUrl + NEAR);
  const firstMs = performance.now() - first;
  const near = (await answer.json()) as { stores?: unknown[] };
  if (answer.status !== 200 || !near.stores) {
    throw new Error(`stores near answered ${answer.status}: ${JSON.stringify(near)}`);
  }
  const all = (await (await fetch(`${cloudUrl}/api/stores?lat=31.23&lng=121.45`)).json()) as {
    stores: unknown[];
  };
  for (let i = 0; i < 50; i++) await (await fetch(cloudUrl + NEAR)).arrayBuffer();

  // As fast as the connections go (with 200 always waiting, the latency is 200 / requests/s),
  // then at the target's rate; memory read before, between and after.
  const rss = [rssMb(cloud.process.pid)];
  const stores = await load(cloudUrl + NEAR, {});
  rss.push(rssMb(cloud.process.pid));
  const atRate = await paced(cloudUrl + NEAR, {}, TARGET.requestsPerSecond);
  rss.push(rssMb(cloud.process.pid));
  const allDocs = `${cloudCouch.base}/${CLOUD_DBS.catalogue}/_all_docs?limit=20`;
  const anchor = await load(allDocs, { authorization: cloudCouch.authorization });
  const anchorAtRate = await paced(
    allDocs,
    { authorization: cloudCouch.authorization },
    TARGET.requestsPerSecond,
  );

  console.log(
    `\nstores near over a chain: ${STORES} stores, ${ROOMS_PER_STORE} rooms each (${docs.length} catalogue documents written in ${(writtenMs / 1000).toFixed(1)} s), ${CONNECTIONS} connections for ${SECONDS} s`,
  );
  console.log(
    `  the cloud lists ${all.stores.length} stores without a radius, ${near.stores.length} within 3 km; its first search, right after the start, took ${firstMs.toFixed(0)} ms`,
  );
  row('read', 'requests/s', 'p50', 'p99', 'failed');
  for (const [label, r] of [
    ['GET /api/stores?lat=31.23&lng=121.45&maxKm=3', stores],
    [`  the same, paced at ${TARGET.requestsPerSecond} requests/s`, atRate],
    ['CouchDB _all_docs?limit=20 (anchor)', anchor],
    [`  the same, paced at ${TARGET.requestsPerSecond} requests/s`, anchorAtRate],
  ] as const) {
    row(
      label,
      r.rps.toFixed(0),
      `${r.p50.toFixed(1)} ms`,
      `${r.p99.toFixed(1)} ms`,
      String(r.failed),
    );
  }
  console.log(
    `  the cloud service's resident memory: ${mb(rss[0])} before the load, ${mb(rss[1])} after the full load, ${mb(rss[2])} after the run at ${TARGET.requestsPerSecond}/s`,
  );
  // The target's rate is asked, so it is met when (nearly) all of it was answered.
  const pass =
    atRate.p99 < TARGET.p99Ms &&
    atRate.rps >= TARGET.requestsPerSecond * 0.98 &&
    atRate.failed === 0;
  console.log(
    `  target: stores near p99 < ${TARGET.p99Ms} ms at >= ${TARGET.requestsPerSecond} requests/s: ${pass ? 'PASS' : 'MISS'}`,
  );
} finally {
  for (const child of children.reverse()) await child.stop();
  rmSync(dir, { recursive: true, force: true });
}
