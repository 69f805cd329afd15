// `npm run bench`: how many bookings per second the hub confirms compared with a bare express
// endpoint on the same machine, and at what latency. Both run as child processes and are loaded
// by autocannon from this process the same way. Every booking request asks for its own free slot
// (200 rooms, up to 180 days ahead), so the hub does the full work of a successful booking:
// validation, pricing, the overlap check, the insert and a durable group commit.
// The hub syncs to an embedded CouchDB in a process of its own, as `npm start` runs it, and the
// bench reads the hub process's resident memory at the end of the load (target: under 150 MB).
// Prints figures and PASS/MISS against the targets; a miss is never an error.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHub, startScript, type ChildServer } from '../test/hub-process';
import { provisionedHub } from './provisioned-hub';
import { buildHub } from '../scripts/build';
import { staffHeaders } from './staff';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = 50;
const ROOMS = 200;
const SAMPLE = 200;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;
const TARGET_RSS_MB = 150;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE; // no daylight saving time
/** A 60-minute booking blocks 75 minutes (cleaning); the next start on the 30-minute grid is 90 on. */
const SLOT_PITCH = 90 * MINUTE;
const SLOT_LENGTH = 60 * MINUTE;

interface Json {
  [k: string]: unknown;
}

async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(await staffHeaders(base)) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

function shanghaiIso(t: number): string {
  return new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 19) + '+08:00';
}

/** Distinct (room, start) slots: room-major within a time step, so neighbours hit other rooms. */
class Slots {
  private next = 0;
  private readonly base: number;
  private readonly last: number;
  constructor(
    private readonly roomIds: string[],
    now: number,
  ) {
    // Two hours from now, rounded up to the half hour (Shanghai is UTC+8: same grid as UTC).
    this.base = Math.ceil((now + 2 * 60 * MINUTE) / (30 * MINUTE)) * (30 * MINUTE);
    this.last = now + 179 * DAY;
  }
  take(): { index: number; roomId: string; startAt: number; body: string } {
    const index = this.next++;
    const roomId = this.roomIds[index % this.roomIds.length]!;
    const startAt = this.base + Math.floor(index / this.roomIds.length) * SLOT_PITCH;
    if (startAt > this.last) throw new Error('ran out of free slots; add rooms');
    const body = JSON.stringify({
      roomId,
      start: shanghaiIso(startAt),
      end: shanghaiIso(startAt + SLOT_LENGTH),
      partySize: 2,
      customer: { phone: `138${String(index % 1e8).padStart(8, '0')}` },
    });
    return { index, roomId, startAt, body };
  }
}

interface Tally {
  sent: Map<number, { roomId: string; startAt: number }>;
  answered: Set<number>;
  created: Map<string, { roomId: string; startAt: number }>; // booking id -> slot
  statuses: Map<number, number>;
  errorCodes: Map<string, number>;
}

function newTally(): Tally {
  return {
    sent: new Map(),
    answered: new Set(),
    created: new Map(),
    statuses: new Map(),
    errorCodes: new Map(),
  };
}

interface Run {
  result: autocannon.Result;
  ok201: number;
  tally: Tally;
}

/** `auth`: the same sign-in for both servers, so both parse the same request (the bare one ignores it). */
async function load(
  url: string,
  slots: Slots,
  seconds: number,
  tally: Tally,
  auth: Record<string, string>,
): Promise<Run> {
  let ok201 = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/bookings',
        headers: { 'content-type': 'application/json', ...auth },
        setupRequest: (req, context) => {
          const s = slots.take();
          tally.sent.set(s.index, { roomId: s.roomId, startAt: s.startAt });
          (context as { slot?: number }).slot = s.index;
          return { ...req, body: s.body };
        },
        onResponse: (status, body, context) => {
          const index = (context as { slot?: number }).slot ?? -1;
          tally.answered.add(index);
          tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
          const text = String(body);
          if (status === 201) {
            ok201 += 1;
            const id = /"id":"([^"]+)"/.exec(text)?.[1];
            const slot = tally.sent.get(index);
            if (id && slot) tally.created.set(id, slot);
          } else {
            const code = /"code":"([^"]+)"/.exec(text)?.[1] ?? `http_${status}`;
            tally.errorCodes.set(code, (tally.errorCodes.get(code) ?? 0) + 1);
          }
        },
      },
    ],
  });
  return { result, ok201, tally };
}

async function setupStore(base: string): Promise<string[]> {
  const store = await api(base, 'GET', '/api/store');
  const rules = store.json.rules as Json;
  const patched = await api(base, 'PATCH', '/api/store', { rules: { ...rules, advanceDays: 180 } });
  if (patched.status !== 200) throw new Error(`PATCH /api/store: ${JSON.stringify(patched)}`);

  const rooms = await api(base, 'GET', '/api/rooms');
  const template = (rooms.json as unknown as Json[])[0];
  if (!template) throw new Error('the demo store has no rooms');
  const ids: string[] = [];
  let n = 0;
  const worker = async () => {
    while (n < ROOMS) {
      const i = ++n;
      const r = await api(base, 'POST', '/api/rooms', {
        name: `Bench ${String(i).padStart(3, '0')}`,
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

const fmt = (n: number, d = 1) => n.toFixed(d);
const pad = (s: string, w: number) => s.padEnd(w);

function printTable(bare: Run, book: Run): void {
  const bareRps = bare.ok201 / bare.result.duration;
  const bookRps = book.ok201 / book.result.duration;
  const ratio = bookRps / bareRps;
  const rows: [string, string, string][] = [
    ['', 'bare express', 'POST /api/bookings'],
    ['201 per second', fmt(bareRps, 0), fmt(bookRps, 0)],
    ['responses', String(bare.result.requests.total), String(book.result.requests.total)],
    ['201s', String(bare.ok201), String(book.ok201)],
    ['non-2xx', String(bare.result.non2xx), String(book.result.non2xx)],
    [
      'errors / timeouts',
      `${bare.result.errors} / ${bare.result.timeouts}`,
      `${book.result.errors} / ${book.result.timeouts}`,
    ],
    ['latency p50 (ms)', fmt(bare.result.latency.p50), fmt(book.result.latency.p50)],
    ['latency p99 (ms)', fmt(bare.result.latency.p99), fmt(book.result.latency.p99)],
    ['latency max (ms)', fmt(bare.result.latency.max), fmt(book.result.latency.max)],
    [
      'bytes per response',
      fmt(bare.result.throughput.total / Math.max(1, bare.result.requests.total), 0),
      fmt(book.result.throughput.total / Math.max(1, book.result.requests.total), 0),
    ],
    ['duration (s)', fmt(bare.result.duration, 2), fmt(book.result.duration, 2)],
  ];
  console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each, ${ROOMS} rooms\n`);
  for (const [a, b, c] of rows) console.log(`  ${pad(a, 22)}${pad(b, 16)}${c}`);
  if (book.tally.errorCodes.size > 0) {
    const codes = [...book.tally.errorCodes].map(([k, v]) => `${k} x${v}`).join(', ');
    console.log(`  bookings non-201 by code: ${codes}`);
  }
  const word = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log('\n  targets');
  console.log(
    `  ${pad('bookings/s ÷ bare', 22)}${pad(fmt(ratio, 2), 16)}≥ ${TARGET_RATIO}    ${word(ratio >= TARGET_RATIO)}`,
  );
  console.log(
    `  ${pad('bookings p99 (ms)', 22)}${pad(fmt(book.result.latency.p99), 16)}< ${TARGET_P99_MS}     ${word(book.result.latency.p99 < TARGET_P99_MS)}`,
  );
}

async function verifySample(
  base: string,
  created: Map<string, { roomId: string; startAt: number }>,
) {
  const all = [...created.entries()];
  const sample: typeof all = [];
  for (let i = 0; i < Math.min(SAMPLE, all.length); i++) {
    sample.push(all[Math.floor((i * all.length) / Math.min(SAMPLE, all.length))]!);
  }
  const problems: string[] = [];
  let n = 0;
  const worker = async () => {
    while (n < sample.length) {
      const [id, slot] = sample[n++]!;
      const r = await api(base, 'GET', `/api/bookings/${id}`);
      const room = r.json.room as { id?: string } | undefined;
      if (r.status !== 200) problems.push(`${id}: GET ${r.status}`);
      else if (r.json.status !== 'pending_payment')
        problems.push(`${id}: status ${String(r.json.status)}`);
      else if (room?.id !== slot.roomId || r.json.start !== shanghaiIso(slot.startAt))
        problems.push(`${id}: slot differs`);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  console.log(
    `\n  GET check: ${sample.length - problems.length} of ${sample.length} sampled 201 bookings found as booked`,
  );
  for (const p of problems.slice(0, 10)) console.log(`    ${p}`);
}

function checkDatabase(dbFile: string, tallies: Tally[]): void {
  const created = new Map<string, { roomId: string; startAt: number }>();
  const cutOff = new Set<string>(); // slots sent but never answered: the load generator hung up
  for (const t of tallies) {
    for (const [id, slot] of t.created) created.set(id, slot);
    for (const [index, slot] of t.sent)
      if (!t.answered.has(index)) cutOff.add(`${slot.roomId}@${slot.startAt}`);
  }
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, room_id, start_at FROM bookings').all() as {
      id: string;
      room_id: string;
      start_at: number;
    }[];
    let of201 = 0;
    let ofCutOff = 0;
    let unexplained = 0;
    for (const r of rows) {
      if (created.has(r.id)) of201 += 1;
      else if (cutOff.has(`${r.room_id}@${r.start_at}`)) ofCutOff += 1;
      else unexplained += 1;
    }
    const overlaps = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
             ON a.room_id = b.room_id AND a.id < b.id
            AND a.block_start < b.block_end AND b.block_start < a.block_end
          WHERE a.status IN ('pending_payment','paid','in_use','completed','refunding')
            AND b.status IN ('pending_payment','paid','in_use','completed','refunding')`,
        )
        .get() as { n: number }
    ).n;
    const lost = created.size - of201;
    console.log('\n  database (read-only, after the hub stopped)');
    console.log(`    booking rows                         ${rows.length}`);
    console.log(`    201 answers (warm-up + measured)     ${created.size}`);
    console.log(`    rows of 201 answers                  ${of201}`);
    console.log(`    201 answers without a row (lost)     ${lost}`);
    console.log(
      `    rows of requests cut off at the end  ${ofCutOff} (committed; autocannon closed the socket before the answer)`,
    );
    console.log(`    other rows                           ${unexplained}`);
    console.log(`    overlapping bookings in a room       ${overlaps}`);
    const equal = rows.length - ofCutOff === created.size && lost === 0 && unexplained === 0;
    console.log(
      `    rows − cut-off = 201s                ${rows.length - ofCutOff} vs ${created.size}: ${equal ? 'EQUAL' : 'NOT EQUAL'}`,
    );
  } finally {
    db.close();
  }
}

/** Resident memory of a process, from Linux's /proc; null elsewhere. */
function rssMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roomhub-bench-'));
  const children: ChildServer[] = [];
  const watchdog = setTimeout(
    () => {
      console.error('bench: took too long; stopping');
      for (const c of children) void c.kill();
      process.exit(1);
    },
    (SECONDS + WARMUP_SECONDS) * 2 * 1000 + 180_000,
  );
  watchdog.unref();
  try {
    console.log('starting the cloud CouchDB, the hub and the bare express endpoint ...');
    const couch = await startScript({
      script: resolve(import.meta.dirname, 'couch-process.ts'),
      env: { COUCH_BENCH_DIR: join(dataDir, 'cloud') },
      ready: /^couch (http:\/\/\S+)/,
      timeoutMs: 60_000,
    });
    children.push(couch);
    // The hub as a store runs it: built, with no TypeScript loader in its process.
    const { hubUrl } = await provisionedHub(dataDir, couch.url);
    const hub = await startHub(
      dataDir,
      60_000,
      { COUCHDB_URL: hubUrl },
      { built: await buildHub() },
    );
    children.push(hub);
    const bareServer = await startScript({
      script: resolve(import.meta.dirname, 'bare-express.ts'),
      ready: /listening on (http:\/\/\S+)/,
      timeoutMs: 60_000,
    });
    children.push(bareServer);

    const roomIds = await setupStore(hub.url);
    console.log(`created ${roomIds.length} rooms; advanceDays = 180`);

    const auth = await staffHeaders(hub.url);
    const now = Date.now();
    const bareSlots = new Slots(roomIds, now);
    const hubSlots = new Slots(roomIds, now);
    const hubTallies: Tally[] = [];

    if (WARMUP_SECONDS > 0) {
      console.log(`warming up both for ${WARMUP_SECONDS} s ...`);
      await load(bareServer.url, bareSlots, WARMUP_SECONDS, newTally(), auth);
      const w = await load(hub.url, hubSlots, WARMUP_SECONDS, newTally(), auth);
      hubTallies.push(w.tally);
    }
    console.log(`bare express: ${SECONDS} s ...`);
    const bare = await load(bareServer.url, bareSlots, SECONDS, newTally(), auth);
    console.log(`bookings: ${SECONDS} s ...`);
    const book = await load(hub.url, hubSlots, SECONDS, newTally(), auth);
    hubTallies.push(book.tally);

    const rss = rssMb(hub.child.pid);
    printTable(bare, book);
    if (rss !== null) {
      const word = rss < TARGET_RSS_MB ? 'PASS' : 'MISS';
      console.log(
        `  ${'hub RSS (MB)'.padEnd(22)}${rss.toFixed(0).padEnd(16)}< ${TARGET_RSS_MB}    ${word}`,
      );
      console.log(`\n  hub RSS ${rss.toFixed(0)} MB (the hub process alone, after the load)`);
    }
    await verifySample(hub.url, book.tally.created);

    await bareServer.stop();
    const exit = await hub.stop(15_000);
    if (exit.code !== 0) console.log(`\n  the hub exited with ${exit.code ?? exit.signal}`);
    const problems = hub
      .output()
      .split('\n')
      .filter((l) => /error|fail/i.test(l));
    if (problems.length > 0) {
      console.log(`\n  the hub printed ${problems.length} error line(s), first ones:`);
      for (const l of problems.slice(0, 5)) console.log(`    ${l.slice(0, 300)}`);
    }
    checkDatabase(join(dataDir, 'hub.db'), hubTallies);
  } finally {
    await Promise.all(children.map((c) => c.stop(5_000)));
    clearTimeout(watchdog);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error('bench failed:', e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
