// What the cloud's benches share: a TypeScript entry point started in a process of its own and
// waited for, a CouchDB URL split into its address and credentials, and repeatable random numbers.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  match: RegExpExecArray;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point under tsx and waits for the line it prints when ready;
 * `nodeArgs` (flags, modules to load first, TypeScript ones too) go after tsx, before it.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, script], {
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

/** `url` without its credentials, and the Basic Authorization header they make. */
export function split(url: string): { base: string; authorization: string } {
  const u = new URL(url);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return {
    base: u.toString().replace(/\/+$/, ''),
    authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
  };
}

/** Repeatable pseudo-random numbers in [0, 1) (mulberry32), so every run writes the same documents. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a process started with `heap-probe.ts` holds after collecting its garbage, in MB. */
export interface HeapFigures {
  heapUsed: number;
  external: number;
  rss: number;
}

/**
 * Asks a child started with `--expose-gc` and `heap-probe.ts` to collect its garbage, and reads
 * what it still holds from the line it prints.
 */
export function heapAfterGc(child: Child, timeoutMs = 30_000): Promise<HeapFigures> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => {
      child.process.stderr!.off('data', look);
      fail(new Error('the heap probe did not answer'));
    }, timeoutMs);
    function look(chunk: Buffer) {
      output += chunk.toString('utf8');
      const line = /heap-probe (\{.*\})\n/.exec(output);
      if (!line) return;
      clearTimeout(timer);
      child.process.stderr!.off('data', look);
      let m: Record<string, number | boolean>;
      try {
        m = JSON.parse(line[1]!) as Record<string, number | boolean>;
      } catch {
        return fail(new Error(`the heap probe printed ${line[1]}`));
      }
      if (m.collected !== true) return fail(new Error('the cloud runs without --expose-gc'));
      const mb = (bytes: unknown) => Number(bytes) / 1024 / 1024;
      done({ heapUsed: mb(m.heapUsed), external: mb(m.external), rss: mb(m.rss) });
    }
    child.process.stderr!.on('data', look);
    child.process.kill('SIGUSR2');
  });
}
