// The hub service inside the desktop app: runs the hub (its production build) in a process of its
// own, so the kiosk window never waits on SQLite or a Modbus bus and a crash of one never takes
// the other down. Learns where the hub serves from the address it prints, and starts it again when
// it dies, waiting longer after each quick death (a hub that dies at once every time must not spin
// the mini-PC), and says why it could not start. It never decides what a window shows.
import type { ForkService, ServiceProcess } from './electron-api';

/** The hub's printed address line (`  API            http://127.0.0.1:8080/api/health`). */
export const SERVING_LINE = /^\s*API\s+(https?:\/\/[^/\s]+)\/api\/health\s*$/;

/** The hub's exit code for settings it refuses (src/main.ts): starting again will not help. */
export const SETTINGS_REFUSED_EXIT = 2;

export type HubServiceState =
  | { kind: 'starting'; failedStarts: number }
  | { kind: 'serving'; url: string }
  | {
      kind: 'restarting';
      /** Deaths in a row without a run of `stableMs`. */
      failedStarts: number;
      retryInMs: number;
      /** What the hub said last (its error lines), or how it ended. */
      reason: string;
      /** The hub refused its settings: someone has to fix them. */
      settingsRefused: boolean;
    }
  | { kind: 'stopped' };

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface HubServiceOptions {
  fork: ForkService;
  /** The hub's production build (`dist/main.mjs`). */
  modulePath: string;
  env: Record<string, string | undefined>;
  /** V8 flags the hub runs with (hub-app/node-flags.json). */
  execArgv: string[];
  timers?: Timers;
  /** A hub that has not printed its address by then is stopped and counted as a failed start. */
  startTimeoutMs?: number;
  /** The wait after the first quick death; doubled after each next one, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A run this long was a good one: the next death starts the back-off from the beginning. */
  stableMs?: number;
  onState?: (state: HubServiceState) => void;
  /** Every line the hub prints, for the app's own log. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** The wait before start number `failedStarts + 1`: 1 s, 2 s, 4 s... up to the cap. */
export function restartDelayMs(failedStarts: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, failedStarts - 1));
}

const KEPT_LINES = 8;

export class HubService {
  private readonly timers: Timers;
  private readonly startTimeoutMs: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly stableMs: number;
  private child: ServiceProcess | null = null;
  private timer: unknown = null;
  private failedStarts = 0;
  private servedAt: number | null = null;
  private stopping = false;
  private current: HubServiceState = { kind: 'stopped' };
  private errLines: string[] = [];
  private outLines: string[] = [];
  private timedOut = false;
  private exited: (() => void) | null = null;

  constructor(private readonly opts: HubServiceOptions) {
    this.timers = opts.timers ?? realTimers;
    this.startTimeoutMs = opts.startTimeoutMs ?? 30_000;
    this.firstDelayMs = opts.firstDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.stableMs = opts.stableMs ?? 60_000;
  }

  get state(): HubServiceState {
    return this.current;
  }

  start(): void {
    this.stopping = false;
    if (this.child) return;
    this.spawn();
  }

  /** Stops the hub (it closes its database cleanly on the signal) and starts it no more. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.clearTimer();
    const child = this.child;
    if (!child) {
      this.setState({ kind: 'stopped' });
      return;
    }
    await new Promise<void>((resolve) => {
      const force = this.timers.setTimeout(resolve, graceMs);
      this.exited = () => {
        this.timers.clearTimeout(force);
        resolve();
      };
      child.kill();
    });
    this.setState({ kind: 'stopped' });
  }

  private spawn(): void {
    this.errLines = [];
    this.outLines = [];
    this.servedAt = null;
    this.timedOut = false;
    this.setState({ kind: 'starting', failedStarts: this.failedStarts });
    let child: ServiceProcess;
    try {
      child = this.opts.fork(this.opts.modulePath, [], {
        env: this.opts.env,
        execArgv: this.opts.execArgv,
        stdio: 'pipe',
        serviceName: 'RoomHub hub',
      });
    } catch (e) {
      this.died(`could not be started: ${(e as Error).message}`, false);
      return;
    }
    this.child = child;
    const outputEnded = [
      this.readLines(child.stdout, 'stdout'),
      this.readLines(child.stderr, 'stderr'),
    ];
    // Its last words (why it stopped) may still be in the pipes when the exit is reported.
    child.on('exit', (code) => {
      let cap: unknown;
      const capped = new Promise<void>((resolve) => {
        cap = this.timers.setTimeout(resolve, 1_000);
      });
      void Promise.race([Promise.all(outputEnded), capped]).then(() => {
        this.timers.clearTimeout(cap);
        this.onExit(child, code);
      });
    });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.child !== child || this.servedAt !== null) return;
      this.timedOut = true;
      child.kill();
    }, this.startTimeoutMs);
  }

  /** Passes each line on; resolves when the stream has ended. */
  private readLines(
    stream: NodeJS.ReadableStream | null,
    name: 'stdout' | 'stderr',
  ): Promise<void> {
    if (!stream) return Promise.resolve();
    stream.setEncoding('utf8');
    let pending = '';
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onLine(name, line.replace(/\r$/, ''));
    });
    return new Promise((resolve) => {
      const end = () => {
        if (pending) this.onLine(name, pending);
        pending = '';
        resolve();
      };
      stream.once('end', end);
      stream.once('close', end);
      stream.once('error', end);
    });
  }

  private onLine(stream: 'stdout' | 'stderr', line: string): void {
    this.opts.onLine?.(stream, line);
    if (!line.trim()) return;
    const kept = stream === 'stderr' ? this.errLines : this.outLines;
    kept.push(line);
    if (kept.length > KEPT_LINES) kept.shift();
    const m = stream === 'stdout' && this.servedAt === null ? SERVING_LINE.exec(line) : null;
    if (m?.[1]) {
      this.servedAt = this.timers.now();
      this.clearTimer();
      this.setState({ kind: 'serving', url: m[1] });
    }
  }

  private onExit(child: ServiceProcess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    this.clearTimer();
    const done = this.exited;
    this.exited = null;
    if (this.stopping) {
      done?.();
      return;
    }
    if (this.servedAt !== null && this.timers.now() - this.servedAt >= this.stableMs) {
      this.failedStarts = 0;
    }
    const said = (this.errLines.length ? this.errLines : this.outLines).slice(-4).join('\n');
    const how = this.timedOut
      ? `did not answer within ${Math.round(this.startTimeoutMs / 1000)} s`
      : `stopped (exit code ${code})`;
    this.died(said ? `${how}:\n${said}` : how, code === SETTINGS_REFUSED_EXIT);
  }

  private died(reason: string, settingsRefused: boolean): void {
    this.failedStarts += 1;
    const retryInMs = restartDelayMs(this.failedStarts, this.firstDelayMs, this.maxDelayMs);
    this.setState({
      kind: 'restarting',
      failedStarts: this.failedStarts,
      retryInMs,
      reason,
      settingsRefused,
    });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (!this.stopping) this.spawn();
    }, retryInMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(state: HubServiceState): void {
    this.current = state;
    this.opts.onState?.(state);
  }
}
