// Runs a hub (or any TypeScript script of this package) as a child process, configured by the
// environment: through the TypeScript loader, or built (`dist/main.mjs`, as a store's mini-PC runs
// it, with nothing else in the process). Used by the crash test and the benchmarks, which need a
// process they can kill or load from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
export const HUB_MAIN = resolve(PACKAGE_DIR, 'src/main.ts');
/** The V8 limits the hub runs with (node-flags.json): a small heap, collected early. */
export const HUB_NODE_FLAGS = JSON.parse(
  readFileSync(resolve(PACKAGE_DIR, 'node-flags.json'), 'utf8'),
) as string[];

export interface ChildServer {
  child: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything the child printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (or signal) once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: the power cut. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartScriptOptions {
  script: string;
  env?: Record<string, string>;
  /** A line of stdout matching this gives the base URL in its first group. */
  ready: RegExp;
  timeoutMs?: number;
  nodeFlags?: string[];
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort for a parent that exits without stopping its children. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
}

export async function startScript(opts: StartScriptOptions): Promise<ChildServer> {
  installExitHook();
  // A built script runs on plain Node; a TypeScript one through tsx.
  const loader = opts.script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...loader, opts.script], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      res({ code, signal });
    });
  });
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => (out += s));

  const url = await new Promise<string>((res, rej) => {
    let pending = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${opts.script} did not start within ${opts.timeoutMs ?? 20_000} ms:\n${out}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout!.on('data', (s: string) => {
      out += s;
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = opts.ready.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          res(m[1]);
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`${opts.script} exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });

  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    url,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (!gone()) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!gone()) child.kill('SIGKILL');
      }, graceMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      return exited;
    },
  };
}

/**
 * Starts the hub on `dataDir` with random ports; `COUCHDB_URL` in `env` turns sync on. `built`:
 * the bundle `npm run build` makes (build it first), instead of `src/main.ts` through tsx.
 */
export function startHub(
  dataDir: string,
  timeoutMs = 20_000,
  env: Record<string, string> = {},
  opts: { built?: string } = {},
): Promise<ChildServer> {
  return startScript({
    script: opts.built ?? HUB_MAIN,
    nodeFlags: [...HUB_NODE_FLAGS, ...(opts.built ? ['--enable-source-maps'] : [])],
    env: {
      HUB_DATA_DIR: dataDir,
      HUB_PORT: '0',
      PAYSIM_PORT: '0',
      MODBUS_SIM_PORT: '0',
      HUB_HOST: '127.0.0.1',
      ...env,
    },
    ready: /^\s*API\s+(http:\/\/[^/\s]+)\/api\/health\s*$/,
    timeoutMs,
  });
}
