// `npm start`: the whole system on one machine, each part in its own process, as it runs for real
// (the hub on the store's mini-PC; CouchDB and the cloud service in the cloud): the embedded
// CouchDB-compatible server (unless COUCHDB_URL names a real one), the cloud service (unless
// CLOUD_PORT=off) and the hub. A part that dies is started again; none takes another down.
// Relative data folders are resolved where `npm start` was typed. Imports no package of ours:
// each part is its package's own start script.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const typedIn = process.env.INIT_CWD ?? process.cwd();
const folder = (value: string | undefined, fallback: string) =>
  value ? (isAbsolute(value) ? value : resolve(typedIn, value)) : resolve(ROOT, fallback);

const hubDataDir = folder(process.env.HUB_DATA_DIR, 'data/hub');
const couchDataDir = folder(process.env.COUCH_DATA_DIR, 'data/cloud');
const cloudOff = process.env.CLOUD_PORT === 'off';

interface Part {
  name: string;
  script: string;
  /** V8 flags, e.g. the hub's heap limits (hub-app/node-flags.json). */
  nodeFlags?: string[];
  env: Record<string, string>;
  /** A line of its output that says it is up; the first group is the URL it serves. */
  ready: RegExp;
}

interface Running {
  part: Part;
  child: ChildProcess;
  url: Promise<string>;
}

const running = new Map<string, Running>();
let stopping = false;

function start(part: Part, attempt = 0): Running {
  const args = [...(part.nodeFlags ?? []), '--import', 'tsx', resolve(ROOT, part.script)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...part.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let resolveUrl: (url: string) => void = () => {};
  let rejectUrl: (e: Error) => void = () => {};
  const url = new Promise<string>((res, rej) => {
    resolveUrl = res;
    rejectUrl = rej;
  });
  const prefix = `[${part.name}]`.padEnd(8);
  const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        out.write(`${prefix}${line}\n`);
        const m = part.ready.exec(line);
        if (m?.[1]) resolveUrl(m[1]);
      }
    });
  };
  relay(child.stdout!, process.stdout);
  relay(child.stderr!, process.stderr);
  child.once('exit', (code, signal) => {
    rejectUrl(new Error(`${part.name} exited (${code ?? signal}) before it was ready`));
    if (stopping) return;
    // Back off 1 s, 2 s, 4 s ... up to 30 s; a part that keeps failing says why in its output.
    const delay = Math.min(1_000 * 2 ** attempt, 30_000);
    console.error(`${prefix}stopped (${code ?? signal}); starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (!stopping) running.set(part.name, start(part, attempt + 1));
    }, delay).unref();
  });
  const r = { part, child, url };
  running.set(part.name, r);
  return r;
}

function stopAll(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  const exits = [...running.values()].map(
    ({ child }) =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  );
  void Promise.all(exits).then(() => process.exit(0));
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

try {
  const couchUrl =
    process.env.COUCHDB_URL ??
    (await start({
      name: 'couch',
      script: 'cloud-sync/src/couch-main.ts',
      env: { COUCH_DATA_DIR: couchDataDir },
      ready: /^\s*CouchDB\s+(http:\/\/\S+)/,
    }).url);
  const cloud = cloudOff
    ? null
    : start({
        name: 'cloud',
        script: 'cloud-service/src/main.ts',
        env: { COUCHDB_URL: couchUrl },
        ready: /^\s*Cloud API\s+(http:\/\/[^/\s]+)/,
      });
  const hub = start({
    name: 'hub',
    script: 'hub-app/src/main.ts',
    nodeFlags: JSON.parse(
      readFileSync(resolve(ROOT, 'hub-app/node-flags.json'), 'utf8'),
    ) as string[],
    env: { COUCHDB_URL: couchUrl, HUB_DATA_DIR: hubDataDir },
    ready: /^\s*API\s+(http:\/\/[^/\s]+)\/api\/health/,
  });
  const [hubUrl, cloudUrl] = await Promise.all([hub.url, cloud?.url]);
  console.log('\nRunning on this machine:');
  console.log(`  Hub API        ${hubUrl}/api/health   (the store; data in ${hubDataDir})`);
  console.log(
    `  Cloud API      ${cloudUrl ? `${cloudUrl}/api/stores?lat=31.23&lng=121.45` : 'not started here (CLOUD_PORT=off)'}`,
  );
  console.log(
    `  CouchDB        ${process.env.COUCHDB_URL ? new URL(couchUrl).origin : `${couchUrl} (embedded; data in ${couchDataDir})`}`,
  );
  console.log('Ctrl-C stops everything.\n');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  stopAll('start-up failed');
  process.exitCode = 1;
}
