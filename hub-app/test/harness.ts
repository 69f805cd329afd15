// A real hub for tests: a SQLite file in a temp folder, the HTTP API on a free port, the
// simulated gateway speaking its signed protocol, and a clock the test moves by hand.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/clock';
import { startHubServer, type HubServer } from '../src/server';
import { generateGatewayKeys, type GatewayKeys } from '../src/payments/simulator/gateway';

/** Monday 2026-11-23 10:00 in Shanghai: an ordinary working day. */
export const T0 = Date.parse('2026-11-23T10:00:00+08:00');
export const STAFF = { 'x-staff-id': 'staff-1' };

let keys: Promise<GatewayKeys> | null = null;

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
  /** Runs every due job (expiries, refunds) now, as the alarm would. */
  runJobs(): Promise<number>;
  restart(): Promise<TestHub>;
}

export async function startTestHub(
  opts: {
    dataDir?: string;
    clock?: ManualClock;
    scannersFile?: string;
    cloud?: { couchUrl: string; stallMs?: number; pollMs?: number };
  } = {},
): Promise<TestHub> {
  keys ??= generateGatewayKeys();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-test-'));
  const clock = opts.clock ?? new ManualClock(T0);
  const s = await startHubServer({
    dataDir,
    port: 0,
    clock,
    runScheduler: false,
    devicePollMs: 0,
    ...(opts.scannersFile ? { scannersFile: opts.scannersFile } : {}),
    ...(opts.cloud ? { cloud: opts.cloud } : {}),
    simulatedGateway: { keys: await keys, retryDelaysMs: [10, 20] },
  });
  const t: TestHub = {
    ...s,
    clock,
    dataDir,
    async api(method, path, body, headers = {}) {
      const res = await fetch(s.url + path, {
        method,
        headers: {
          // The store's kiosk, unless a test says who is calling.
          'x-kiosk-id': 'kiosk-1',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
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
      return startTestHub({ ...opts, dataDir, clock });
    },
  };
  return t;
}

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
