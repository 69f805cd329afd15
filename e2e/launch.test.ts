// `npm start` (scripts/launch.ts) as a store runs it: each part in its own process. A cloud
// service that cannot start (here its port is taken) is reported failed and retried; the store's
// hub starts and keeps serving regardless, and the launcher stays up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

let launcher: ChildProcess | undefined;
let blocker: net.Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    const gone = new Promise((r) => launcher!.once('exit', r));
    launcher.kill('SIGTERM');
    const timer = setTimeout(() => launcher?.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }
  launcher = undefined;
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A port on loopback held open by this test, so whatever else tries to listen there fails. */
async function takenPort(): Promise<number> {
  blocker = net.createServer();
  await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
  return (blocker.address() as net.AddressInfo).port;
}

/** A port on loopback free a moment ago, for a part `npm start` puts on a fixed port by default. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

// What each step is waited for: the first start in a fresh clone builds the store's screens
// before the hub starts, which on a busy machine takes minutes rather than seconds.
const STEP_MS = 180_000;

async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  context = () => '',
) {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm start` in a fresh folder with `env` on top; its output so far and its exit, if any. */
async function launch(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'launch-'));
  // The voucher simulators' default ports are fixed; another run on this machine may hold them.
  const sims = {
    MEITUAN_SIM_PORT: String(await freePort()),
    DOUYIN_SIM_PORT: String(await freePort()),
  };
  const seen = { output: '', exited: null as number | string | null };
  launcher = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/launch.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      HUB_DATA_DIR: join(dir, 'hub'),
      COUCH_DATA_DIR: join(dir, 'cloud'),
      KEYS_DIR: join(dir, 'keys'),
      COUCH_PORT: '0',
      HUB_PORT: '0',
      PAYSIM_PORT: '0',
      MODBUS_SIM_PORT: '0',
      CLOUD_PORT: '0',
      ...sims,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [launcher.stdout!, launcher.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (s: string) => (seen.output += s));
  }
  launcher.once('exit', (code, signal) => (seen.exited = code ?? signal));
  /** The first group of `pattern` in the output, once it is there; fails if npm start exits. */
  const printed = (what: string, pattern: RegExp) =>
    until(
      what,
      () => {
        if (seen.exited !== null)
          throw new Error(`npm start exited (${seen.exited}):\n${seen.output}`);
        return pattern.exec(seen.output)?.[1];
      },
      () => seen.output,
    );
  return { seen, printed };
}

const HUB_UP = /\[hub\]\s+API\s+(http:\/\/\S+)\/api\/health/;

describe('npm start', () => {
  it('keeps the hub serving the store when the cloud service fails to start', async () => {
    const { seen, printed } = await launch({ CLOUD_PORT: String(await takenPort()) });

    // The cloud fails (its port is taken) and is started again; the hub comes up meanwhile.
    const hubUrl = await printed('the hub', HUB_UP);
    await printed(
      'the cloud reported failed and retried',
      /\[cloud\]\s*(stopped) \(1\); starting it again/,
    );
    await printed('the summary', /Cloud API\s+(not running)/);
    // Long enough for a launcher that gives up on the cloud to take everything down with it.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(seen.exited, seen.output).toBeNull();
    expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);

    // Once the port is free, a retry brings the cloud up beside the hub.
    await new Promise((r) => blocker!.close(r));
    blocker = undefined;
    await printed('the cloud up on a retry', /\[cloud\]\s+Cloud API\s+(http:\/\/\S+)/);
    expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);
    expect(seen.exited).toBeNull();
  }, 600_000);

  it('starts the hub without the cloud when the CouchDB beside it fails to start', async () => {
    const { seen, printed } = await launch({ COUCH_PORT: String(await takenPort()) });
    await printed('the cloud side reported failed', /(The cloud side failed to start)/);
    const hubUrl = await printed('the hub', HUB_UP);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(seen.exited, seen.output).toBeNull();
    expect((await fetch(`${hubUrl}/api/health`)).status).toBe(200);
    expect(seen.output).not.toMatch(/\[cloud\]/);
  }, 600_000);
});
