// The desktop app on the store's mini-PC: one instance only; the hub in a process of its own,
// started again when it dies; the kiosk full-screen on the touchscreen and the cashier's screen on
// a second display where the settings ask for it, both showing the hub's own pages at the address
// it printed, or a plain page saying what is happening while it is not serving; the kiosk's receipt
// printer, which its page asks over the preload's bridge; and the entry that starts it all on boot. Takes the Electron API as a parameter (main.ts passes the real one); it
// never serves a page itself nor talks to the hub's API.
import { join } from 'node:path';
import type { DisplayInfo, ElectronApi, ShellWindow, WindowOptions } from './electron-api';
import { placeScreens } from './displays';
import {
  HubService,
  realTimers,
  type HubServiceOptions,
  type HubServiceState,
  type Timers,
} from './hub-service';
import { cannotStartPage, dataUrl, pageForState } from './pages';
import { serveReceiptPrinting } from './receipt-printer';
import { readShellSettings, shellSettingsSchema } from './settings';
import { openShellLog } from './shell-log';
import { applyStartOnBoot, type BootEntry } from './start-on-boot';

export interface ShellOptions {
  /** The hub's production build (`dist/main.mjs`). */
  hubModule: string;
  /** The built screens when packaged (resources/screens); unset, the hub finds ui/dist itself. */
  screensDir?: string | undefined;
  platform: NodeJS.Platform;
  /** The environment the hub inherits (the settings file's `hub` entries go over it). */
  env: Record<string, string | undefined>;
  /** What the start-on-boot entry starts: the AppImage file, else the app's executable. */
  bootExec: string;
  homeDir: string;
  /** V8 flags for the hub (hub-app/node-flags.json). */
  nodeFlags: string[];
  timers?: Timers;
  service?: Pick<HubServiceOptions, 'startTimeoutMs' | 'firstDelayMs' | 'maxDelayMs' | 'stableMs'>;
  /** Also hands each log line here (the console, in a developer's run). */
  echo?: (line: string) => void;
  /** The kiosk window's preload (the built preload.ts): its page's bridge to the receipt printer. */
  preload?: string;
}

export interface Shell {
  service: HubService | null;
  /** The app's log: what the shell did and what the hub printed (logs/shell.log). */
  logFile: string;
  kiosk(): ShellWindow | null;
  cashier(): ShellWindow | null;
  bootEntry: BootEntry | null;
}

/** Where the packaged app keeps the built screens, under its resources (electron-builder.yml). */
export const PACKAGED_SCREENS = 'screens';

/** The page each store screen shows, under the hub's address. */
export const SCREEN_PATHS = { kiosk: '/kiosk/', cashier: '/cashier/' } as const;

function windowOn(
  display: DisplayInfo,
  kiosk: boolean,
  title: string,
  preload?: string,
): WindowOptions {
  return {
    title,
    ...display.bounds,
    fullscreen: true,
    // Kiosk mode: no way out of the page for a customer at the touchscreen.
    kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      ...(preload ? { preload } : {}),
    },
  };
}

/**
 * Starts the desktop app. Resolves with null when another instance is already running (this one
 * quits and the running one comes to the front).
 */
export async function startShell(electron: ElectronApi, opts: ShellOptions): Promise<Shell | null> {
  const { app, screen } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let kiosk: ShellWindow | null = null;
  let cashier: ShellWindow | null = null;
  app.on('second-instance', () => {
    // Someone started the app again (a desktop icon, the autostart after a crash): show this one.
    if (kiosk && !kiosk.isDestroyed()) {
      if (kiosk.isMinimized()) kiosk.restore();
      kiosk.focus();
    }
  });
  await app.whenReady();

  const userData = app.getPath('userData');
  const shellLog = openShellLog(join(userData, 'logs'), opts.echo ? { echo: opts.echo } : {});
  const log = (line: string) => shellLog.write(line);
  const read = readShellSettings(userData);
  const settings = read.ok ? read.settings : shellSettingsSchema.parse({});
  const bootEntry =
    app.isPackaged && read.ok
      ? applyStartOnBoot(
          settings.startOnBoot,
          {
            platform: opts.platform,
            exec: opts.bootExec,
            homeDir: opts.homeDir,
            configHome: opts.env.XDG_CONFIG_HOME,
          },
          app,
        )
      : null;
  electron.keepDisplayAwake();

  // Only the hub's own pages (and the shell's plain pages) may be shown in the store's windows.
  let hubOrigin: string | null = null;
  let hubUrl: string | null = null;
  const shown = new Map<ShellWindow, string>();
  const guard = (w: ShellWindow) => {
    w.webContents.on('will-navigate', (e) => {
      const allowed =
        e.url.startsWith('data:') || (hubOrigin && new URL(e.url).origin === hubOrigin);
      if (!allowed) e.preventDefault();
    });
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // Nobody is at an unattended kiosk to reload a blank screen.
    w.webContents.on('render-process-gone', () => {
      const url = shown.get(w);
      if (url) load(w, url);
    });
  };
  const places = placeScreens(screen.getAllDisplays(), screen.getPrimaryDisplay(), settings);
  kiosk = electron.openWindow(windowOn(places.kiosk, true, 'RoomHub kiosk', opts.preload));
  guard(kiosk);
  serveReceiptPrinting(electron, {
    settings: settings.receipt,
    kiosk: () => kiosk,
    hubOrigin: () => hubOrigin,
    log,
    timers: opts.timers ?? realTimers,
  });
  kiosk.on('closed', () => (kiosk = null));
  const openCashier = (display: DisplayInfo) => {
    const w = electron.openWindow(windowOn(display, false, 'RoomHub cashier'));
    guard(w);
    w.on('closed', () => {
      if (cashier === w) cashier = null;
    });
    return w;
  };
  if (places.cashier) cashier = openCashier(places.cashier);
  const load = (w: ShellWindow | null, url: string) => {
    if (!w || w.isDestroyed()) return;
    shown.set(w, url);
    // A load replaced by the next one (the hub came back meanwhile) is not a fault.
    w.loadURL(url).catch((e: unknown) => log(`window: ${(e as Error).message}`));
  };
  const showPage = (html: string) => {
    load(kiosk, dataUrl(html));
    load(cashier, dataUrl(html));
  };
  // The cashier's display plugged in after the app started: its window opens there, showing what
  // the kiosk shows the state of (the hub's cashier page, or the same plain page).
  screen.on('display-added', () => {
    if (cashier || !kiosk || settings.cashierDisplay === 'off') return;
    const now = placeScreens(screen.getAllDisplays(), screen.getPrimaryDisplay(), settings);
    if (!now.cashier) return;
    cashier = openCashier(now.cashier);
    const kioskShows = shown.get(kiosk);
    if (kioskShows?.startsWith('data:')) load(cashier, kioskShows);
    else if (hubUrl) load(cashier, `${hubUrl}${SCREEN_PATHS.cashier}`);
  });

  let service: HubService | null = null;
  if (!read.ok) {
    log(`settings: ${read.file} ${read.problem}`);
    showPage(
      cannotStartPage({
        reason: `${read.file}\n${read.problem}`,
        settingsRefused: true,
        settingsFile: read.file,
        logFile: shellLog.file,
        retryInSec: null,
      }),
    );
  } else {
    const show = (state: HubServiceState) => {
      log(
        state.kind === 'serving'
          ? `hub: serving at ${state.url}`
          : state.kind === 'restarting'
            ? `hub: stopped, starting again in ${state.retryInMs} ms: ${state.reason}`
            : `hub: ${state.kind}`,
      );
      if (state.kind === 'serving') {
        hubOrigin = new URL(state.url).origin;
        hubUrl = state.url;
        load(kiosk, `${state.url}${SCREEN_PATHS.kiosk}`);
        load(cashier, `${state.url}${SCREEN_PATHS.cashier}`);
        return;
      }
      hubUrl = null;
      const html = pageForState(state, { settingsFile: read.file, logFile: shellLog.file });
      if (html) showPage(html);
    };
    service = new HubService({
      fork: electron.forkService,
      modulePath: opts.hubModule,
      env: {
        ...opts.env,
        // Relative paths in the settings file are taken from the app's data folder.
        INIT_CWD: userData,
        HUB_DATA_DIR: join(userData, 'hub'),
        ...(opts.screensDir ? { HUB_SCREENS_DIR: opts.screensDir } : {}),
        ...settings.hub,
      },
      execArgv: opts.nodeFlags,
      ...(opts.timers ? { timers: opts.timers } : {}),
      ...opts.service,
      onState: show,
      onLine: (stream, line) => log(`hub ${stream}: ${line}`),
    });
    service.start();
  }

  app.on('window-all-closed', () => app.quit());
  let stopped = false;
  let stopping: Promise<void> | null = null;
  app.on('before-quit', (e) => {
    // The hub closes its database cleanly before the app goes.
    if (stopped || !service) return;
    e.preventDefault();
    stopping ??= service.stop().then(() => {
      stopped = true;
      app.quit();
    });
  });

  return { service, logFile: shellLog.file, kiosk: () => kiosk, cashier: () => cashier, bootEntry };
}
