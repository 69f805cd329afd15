// Test stand-ins for the few Electron calls the shell makes (electron-api.ts): an app, displays,
// windows that record what they were told to load and print (to a printer the test sets), the
// bridge's calls from a window's page, a hub process the test drives by hand, timers
// the test moves, and a real Node child process in place of Electron's utility process (the hub
// runs in it exactly as in the desktop app, only on this machine's Node). Tests only.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type {
  AppApi,
  DisplayInfo,
  ElectronApi,
  ForkService,
  InvokeEvent,
  LoginItemSettings,
  NavigationEvent,
  PrintOptions,
  ServiceForkOptions,
  ServiceProcess,
  ShellWindow,
  WindowOptions,
} from './electron-api';
import type { Timers } from './hub-service';

/** Timers that fire only when the test moves time on. */
export class ManualTimers implements Timers {
  private t = 0;
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves time on by `ms`, running each timer that comes due, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, p]) => p.at <= until)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
      await settle();
    }
    this.t = until;
    await settle();
  }
}

/** Lets stream events and promise callbacks run. */
export const settle = () => new Promise<void>((r) => setTimeout(r, 5));

/** A hub process the test makes print, fail and exit. */
export class FakeHubProcess extends EventEmitter implements ServiceProcess {
  readonly pid = 4242;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  killed = false;
  private gone = false;
  constructor(
    readonly modulePath: string,
    readonly options: ServiceForkOptions,
  ) {
    super();
  }
  print(line: string): void {
    this.stdout.write(`${line}\n`);
  }
  fail(line: string): void {
    this.stderr.write(`${line}\n`);
  }
  /** The hub's usual announcement that it serves at `url`. */
  serve(url: string): void {
    this.print('Room hub for Demo store is running.');
    this.print(`  API            ${url}/api/health`);
  }
  /** Not yet exited. */
  get alive(): boolean {
    return !this.gone;
  }
  exit(code: number): void {
    if (this.gone) return;
    this.gone = true;
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('exit', code));
  }
  kill(): boolean {
    this.killed = true;
    // The hub stops cleanly on the signal.
    this.exit(0);
    return true;
  }
}

export function fakeFork(): { fork: ForkService; started: FakeHubProcess[] } {
  const started: FakeHubProcess[] = [];
  return {
    started,
    fork: (modulePath, _args, options) => {
      const p = new FakeHubProcess(modulePath, options);
      started.push(p);
      return p;
    },
  };
}

/** Electron's utility process played by a real Node child process. */
export const nodeFork: ForkService = (modulePath, args, options) => {
  const child = spawn(process.execPath, [...options.execArgv, modulePath, ...args], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = Object.assign(new EventEmitter(), {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => child.kill('SIGTERM'),
    /** The power cut: no chance to close anything. */
    crash: () => child.kill('SIGKILL'),
  });
  child.once('exit', (code, signal) => proc.emit('exit', code ?? (signal ? 1 : 0)));
  return proc as ServiceProcess & { crash(): boolean };
};

let windowIds = 0;

export class FakeWindow implements ShellWindow {
  readonly loaded: string[] = [];
  /** What the window was told to print, in order. */
  readonly printed: PrintOptions[] = [];
  /** What the printer does with each print: takes it, refuses it, or never answers. */
  printer: { ok: true } | { ok: false; reason: string } | 'silent' = { ok: true };
  focused = 0;
  private destroyed = false;
  private navigate: ((e: NavigationEvent) => void) | null = null;
  private gone: (() => void) | null = null;
  private openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  private closed: (() => void) | null = null;
  constructor(readonly options: WindowOptions) {}
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  get current(): string | undefined {
    return this.loaded.at(-1);
  }
  /** The page now shown, when it is one of the shell's own (a data: URL), as text. */
  get pageText(): string {
    const url = this.current ?? '';
    return url.startsWith('data:') ? decodeURIComponent(url.slice(url.indexOf(',') + 1)) : '';
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    this.focused += 1;
  }
  on(_event: 'closed', listener: () => void): unknown {
    this.closed = listener;
    return this;
  }
  close(): void {
    this.destroyed = true;
    this.closed?.();
  }
  webContents = {
    id: ++windowIds,
    on: (
      event: 'will-navigate' | 'render-process-gone',
      listener: (e: NavigationEvent) => void,
    ) => {
      if (event === 'will-navigate') this.navigate = listener;
      else this.gone = listener as () => void;
      return this.webContents;
    },
    setWindowOpenHandler: (handler: (d: { url: string }) => { action: 'deny' }) => {
      this.openHandler = handler;
    },
    print: (options: PrintOptions, callback: (success: boolean, failureReason: string) => void) => {
      this.printed.push(options);
      const printer = this.printer;
      if (printer === 'silent') return;
      setImmediate(() => callback(printer.ok, printer.ok ? '' : printer.reason));
    },
  };
  /** A link followed in the page: true when the window let it through. */
  tryNavigate(url: string): boolean {
    let prevented = false;
    this.navigate?.({ url, preventDefault: () => (prevented = true) });
    return !prevented;
  }
  /** The page's renderer crashes. */
  crashRenderer(): void {
    this.gone?.();
  }
  tryOpen(url: string): string {
    return this.openHandler?.({ url }).action ?? 'allow';
  }
}

export function display(id: number, x: number, touch = false): DisplayInfo {
  return {
    id,
    label: `display ${id}`,
    bounds: { x, y: 0, width: 1920, height: 1080 },
    internal: false,
    touchSupport: touch ? 'available' : 'unavailable',
  };
}

type Listener = (...args: never[]) => void;

export class FakeApp implements AppApi {
  isPackaged = false;
  lockFree = true;
  quits = 0;
  /** True once a quit went through (nothing held it back). */
  quitDone = false;
  loginItems: LoginItemSettings[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(private readonly userData: string) {}
  getVersion(): string {
    return '0.1.0';
  }
  getPath(_name: 'userData'): string {
    return this.userData;
  }
  requestSingleInstanceLock(): boolean {
    return this.lockFree;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  on(event: string, listener: Listener): unknown {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  /** Emits an app event; for 'before-quit', says whether the quit was held back. */
  emit(event: 'second-instance' | 'window-all-closed' | 'before-quit'): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) (l as (e: unknown) => void)(e);
    return prevented;
  }
  quit(): void {
    this.quits += 1;
    if (!this.emit('before-quit')) this.quitDone = true;
  }
  exit(): void {}
  setLoginItemSettings(settings: LoginItemSettings): void {
    this.loginItems.push(settings);
  }
}

export interface FakeElectron extends ElectronApi {
  app: FakeApp;
  windows: FakeWindow[];
  displays: DisplayInfo[];
  awake: number;
  /** A display is plugged in. */
  plugIn(d: DisplayInfo): void;
  /** The page shown in `from` calls the shell over the bridge, as the preload does. */
  invoke(channel: string, from: FakeWindow, ...args: unknown[]): Promise<unknown>;
}

export function fakeElectron(
  userData: string,
  fork: ForkService,
  displays: DisplayInfo[] = [display(1, 0)],
): FakeElectron {
  const displayAdded: (() => void)[] = [];
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  const fake: FakeElectron = {
    app: new FakeApp(userData),
    windows: [],
    displays,
    awake: 0,
    screen: {
      getAllDisplays: () => fake.displays,
      getPrimaryDisplay: () => fake.displays[0]!,
      on: (_event: 'display-added', listener: () => void) => displayAdded.push(listener),
    },
    plugIn: (d) => {
      fake.displays = [...fake.displays, d];
      for (const l of displayAdded) l();
    },
    openWindow: (options) => {
      const w = new FakeWindow(options);
      fake.windows.push(w);
      return w;
    },
    forkService: fork,
    keepDisplayAwake: () => {
      fake.awake += 1;
    },
    handle: (channel, handler) => {
      if (handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    invoke: async (channel, from, ...args) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      const event = {
        sender: { id: from.webContents.id },
        senderFrame: { url: from.current ?? '' },
      };
      return handler(event, ...args);
    },
  };
  return fake;
}
