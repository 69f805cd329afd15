// The few Electron calls the desktop shell makes, as the shell sees them. The shell's modules take
// these as a parameter, so they run (and are tested) without a real Electron; only `main.ts` hands
// them the real `electron` module. Nothing here may import `electron` itself.
/** The hub's process: Electron's `UtilityProcess`. */
export interface ServiceProcess {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface ServiceForkOptions {
  env: Record<string, string | undefined>;
  execArgv: string[];
  stdio: 'pipe';
  serviceName: string;
}

/** Electron's `utilityProcess.fork`. */
export type ForkService = (
  modulePath: string,
  args: string[],
  options: ServiceForkOptions,
) => ServiceProcess;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the shell reads of one of Electron's `Display`s. */
export interface DisplayInfo {
  id: number;
  label: string;
  bounds: Rectangle;
  internal: boolean;
  touchSupport: 'available' | 'unavailable' | 'unknown';
}

export interface ScreenApi {
  getAllDisplays(): DisplayInfo[];
  getPrimaryDisplay(): DisplayInfo;
  on(event: 'display-added', listener: () => void): unknown;
}

/** The options the shell opens a window with (a subset of Electron's). */
export interface WindowOptions {
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fullscreen: boolean;
  kiosk: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  webPreferences: {
    contextIsolation: true;
    nodeIntegration: false;
    sandbox: true;
    /** The kiosk's: the bridge to the receipt printer (preload.ts, built beside the shell). */
    preload?: string;
  };
}

/** How the shell prints a page (a subset of Electron's `WebContentsPrintOptions`). */
export interface PrintOptions {
  silent: true;
  printBackground: boolean;
  /** A printer as the system names it; the system's default without one. */
  deviceName?: string;
  margins: { marginType: 'none' };
  /** Microns. */
  pageSize: { width: number; height: number };
}

/** What the shell reads of a call from a page over the bridge (Electron's `IpcMainInvokeEvent`). */
export interface InvokeEvent {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** What the shell does with one of Electron's `BrowserWindow`s. */
export interface ShellWindow {
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  on(event: 'closed', listener: () => void): unknown;
  webContents: {
    readonly id: number;
    on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
    /** The page's renderer crashed or was killed: the window is blank until loaded again. */
    on(event: 'render-process-gone', listener: () => void): unknown;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
    /** Prints the page in its print view; the callback says whether the printer took it. */
    print(options: PrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  };
}

/** Electron's `app.setLoginItemSettings` argument, as far as the shell sets it. */
export interface LoginItemSettings {
  openAtLogin: boolean;
  path: string;
  args: string[];
}

/** What the shell uses of Electron's `app`. */
export interface AppApi {
  readonly isPackaged: boolean;
  getVersion(): string;
  getPath(name: 'userData'): string;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code?: number): void;
  setLoginItemSettings(settings: LoginItemSettings): void;
}

export interface ElectronApi {
  app: AppApi;
  screen: ScreenApi;
  openWindow(options: WindowOptions): ShellWindow;
  forkService: ForkService;
  /** Keeps the touchscreen awake while the shell runs (Electron's `powerSaveBlocker`). */
  keepDisplayAwake(): void;
  /** Answers a page's calls over the bridge on `channel` (Electron's `ipcMain.handle`). */
  handle(channel: string, handler: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
}
