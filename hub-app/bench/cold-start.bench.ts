// `npm run bench` (cold start): how long the hub takes from its process starting to its first
// answered request, run from the production build (`dist/main.mjs`, as the desktop app and a
// store's mini-PC run it, no TypeScript loader): on a fresh data folder (the first start makes the
// database and the demo store) and again on the same folder (every later start). Printed beside
// the target, with how long the start took to load the hub's code (its log says) and how long a
// fresh process takes to load each npm package left outside the build; never throws on a miss.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDesktop } from '../scripts/build';

const TARGET_MS = 2_000;
const MANIFEST = resolve(import.meta.dirname, '../dist/package.json');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const RUNS = Number(process.env.BENCH_COLD_STARTS ?? 5);
const NODE_FLAGS = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../node-flags.json'), 'utf8'),
) as string[];

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** Starts the built hub on `dataDir` and times it to its first answered request; then stops it. */
async function coldStart(built: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, built], {
    env: {
      ...process.env,
      HUB_DATA_DIR: dataDir,
      HUB_PORT: String(port),
      HUB_HOST: '127.0.0.1',
      PAYSIM_PORT: '0',
      MODBUS_SIM_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the hub exited at start:\n${err}`);
      if (performance.now() - t0 > 60_000) throw new Error(`no answer within 60 s:\n${err}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) {
          await res.arrayBuffer();
          const ms = performance.now() - t0;
          // Stopped only once its start is done (a first start keeps the payment stand-ins' keys
          // a moment after it answers), as a store's hub runs on: the next start is a later one.
          while (!out.includes('is running') && child.exitCode === null) {
            await new Promise((r) => setTimeout(r, 20));
          }
          return ms;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Where a start goes: how long a fresh process takes to load the npm packages the build loads
 * (dist/package.json), each in turn; the slowest are where a faster start begins.
 */
function packageLoadTimes(): Promise<[string, number][]> {
  const script = `
    const { createRequire } = await import('node:module');
    const deps = ${JSON.stringify(Object.keys(readJson<{ dependencies: Record<string, string> }>(MANIFEST).dependencies))};
    const req = createRequire(${JSON.stringify(MANIFEST)});
    const times = [];
    for (const d of deps) {
      const t = performance.now();
      try { await import(req.resolve(d)); } catch { continue; }
      times.push([d, performance.now() - t]);
    }
    console.log(JSON.stringify(times));`;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) =>
      code === 0 ? res(JSON.parse(out) as [string, number][]) : rej(new Error(`exit ${code}`)),
    );
  });
}

/** The last start's "hub serving" line in `dataDir`'s log: when its code was loaded. */
function codeLoadedMs(dataDir: string): number {
  const lines = readFileSync(join(dataDir, 'logs', 'hub.log'), 'utf8')
    .trim()
    .split('\n');
  const serving = lines
    .map((l) => JSON.parse(l) as { msg?: string; codeLoadedMs?: number })
    .filter((l) => l.msg === 'hub serving')
    .at(-1);
  return serving?.codeLoadedMs ?? Number.NaN;
}

const built = (await buildDesktop()).hub;
console.log(`\nhub cold start from the production build (${RUNS} runs each, median)`);
const rows: [string, number][] = [];
const fresh: number[] = [];
const again: number[] = [];
const codeLoads: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    fresh.push(await coldStart(built, dataDir));
    again.push(await coldStart(built, dataDir));
    codeLoads.push(codeLoadedMs(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
rows.push(['first start (new store)', median(fresh)], ['later start', median(again)]);
console.log(`  ${'start'.padEnd(28)}${'ms'.padEnd(10)}target    of target  result`);
for (const [label, ms] of rows) {
  const word = ms < TARGET_MS ? 'PASS' : 'MISS';
  const ratio = `${(ms / TARGET_MS).toFixed(2)}×`;
  console.log(
    `  ${label.padEnd(28)}${ms.toFixed(0).padEnd(10)}< ${TARGET_MS}    ${ratio.padEnd(11)}${word}`,
  );
}
console.log(
  `  of which loading the hub's code (later start, as its log says): ${median(codeLoads).toFixed(0)} ms`,
);
const loads = await packageLoadTimes();
const total = loads.reduce((sum, [, ms]) => sum + ms, 0);
const slowest = [...loads].sort((a, b) => b[1] - a[1]).slice(0, 4);
console.log(
  `  the ${loads.length} npm packages left outside the build, each loaded alone: ${total.toFixed(0)} ms (slowest: ${slowest
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ')}; PouchDB's only when the hub syncs)`,
);
