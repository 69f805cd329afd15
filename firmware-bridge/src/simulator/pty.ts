// Serial lines without hardware: socat makes a pair of pseudo-terminals (a null-modem cable), or a
// pseudo-terminal joined to a TCP port (a transparent RS485-to-Ethernet gateway). Owns the socat
// processes and kills them on close; it must never leave one running after its owner is gone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

export interface PtyPair {
  /** One end: give it to the simulator. */
  a: string;
  /** The other end: give it to the bus. */
  b: string;
  close(): Promise<void>;
}

export interface RtuTcpGateway {
  /** The serial side: give it to the simulator. */
  ptyPath: string;
  host: string;
  /** The TCP side: an 'rtu-over-tcp' bus connects here (one connection at a time). */
  port: number;
  close(): Promise<void>;
}

/** Whether socat can be run here; pty tests skip with a message when it cannot. */
export function socatAvailable(): boolean {
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return r.status === 0;
}

export async function startPtyPair(): Promise<PtyPair> {
  const { child, ptys } = await startSocat(['pty,raw,echo=0', 'pty,raw,echo=0'], 2);
  const [a, b] = ptys;
  if (!a || !b) throw new Error('socat did not report two pseudo-terminals');
  return { a, b, close: () => stop(child) };
}

export async function startRtuTcpGateway(opts: { port?: number } = {}): Promise<RtuTcpGateway> {
  const host = '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const { child, ptys } = await startSocat(
    ['pty,raw,echo=0', `tcp-listen:${port},bind=${host},reuseaddr`],
    1,
  );
  const [ptyPath] = ptys;
  if (!ptyPath) throw new Error('socat did not report a pseudo-terminal');
  return { ptyPath, host, port, close: () => stop(child) };
}

const READY = /starting data transfer loop|listening on/;
const STARTUP_LIMIT_MS = 5000;

function startSocat(
  addresses: string[],
  ptyCount: number,
): Promise<{ child: ChildProcess; ptys: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['-d', '-d', ...addresses], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ptys: string[] = [];
    let text = '';
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new Error(`socat did not start within ${STARTUP_LIMIT_MS} ms: ${text.trim()}`)),
      STARTUP_LIMIT_MS,
    );
    child.once('error', (e) => fail(new Error(`cannot run socat: ${e.message}`)));
    child.once('exit', (code) => fail(new Error(`socat exited (${code}): ${text.trim()}`)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      text += chunk;
      for (const m of text.matchAll(/PTY is (\S+)/g)) {
        if (m[1] && !ptys.includes(m[1])) ptys.push(m[1]);
      }
      if (ptys.length >= ptyCount && READY.test(text)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        // Keep draining stderr so socat never blocks on a full pipe.
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        const killOnExit = (): void => {
          child.kill('SIGKILL');
        };
        process.once('exit', killOnExit);
        child.once('exit', () => process.removeListener('exit', killOnExit));
        resolve({ child, ptys });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
