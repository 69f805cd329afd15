import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { display, fakeElectron, fakeFork, ManualTimers, settle } from './fake-electron';
import { startShell, type ShellOptions } from './shell';

const HUB = 'http://127.0.0.1:8080';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(opts: { settings?: unknown; displays?: ReturnType<typeof display>[] } = {}) {
  const userData = mkdtempSync(join(tmpdir(), 'shell-'));
  dirs.push(userData);
  if (opts.settings !== undefined) {
    writeFileSync(join(userData, 'shell.json'), JSON.stringify(opts.settings));
  }
  const forks = fakeFork();
  const electron = fakeElectron(userData, forks.fork, opts.displays);
  const timers = new ManualTimers();
  const options: ShellOptions = {
    hubModule: '/opt/RoomHub/resources/app.asar/main.mjs',
    screensDir: '/opt/RoomHub/resources/screens',
    platform: 'linux',
    env: { PATH: '/usr/bin', HUB_PORT: '8080' },
    bootExec: '/opt/RoomHub/roomhub',
    homeDir: userData,
    nodeFlags: ['--max-old-space-size=128'],
    timers,
    service: { firstDelayMs: 1_000, maxDelayMs: 30_000, startTimeoutMs: 30_000 },
  };
  return { userData, electron, forks, timers, options };
}

describe('the desktop shell', () => {
  it('opens the kiosk full-screen on the touchscreen, showing the hub’s /kiosk/ once the hub says where it serves', async () => {
    const s = setup({ displays: [display(1, 0), display(2, 1920, true)] });
    const shell = await startShell(s.electron, s.options);
    expect(s.electron.windows).toHaveLength(1);
    const kiosk = s.electron.windows[0]!;
    expect(kiosk.options).toMatchObject({ x: 1920, fullscreen: true, kiosk: true });
    expect(kiosk.options.webPreferences).toEqual({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    });
    expect(kiosk.pageText).toContain('门店系统正在启动');
    expect(kiosk.pageText).toContain('The store system is starting');
    expect(s.electron.awake).toBe(1);

    const hub = s.forks.started[0]!;
    hub.serve(HUB);
    await settle();
    expect(kiosk.current).toBe(`${HUB}/kiosk/`);
    expect(shell?.cashier()).toBeNull();
  });

  it('hands the hub its data folder, the packaged screens and the settings file’s hub settings', async () => {
    const s = setup({
      settings: { hub: { HUB_DEVICES: 'devices.json', COUCHDB_URL: 'https://couch.example' } },
    });
    await startShell(s.electron, s.options);
    const hub = s.forks.started[0]!;
    expect(hub.modulePath).toBe('/opt/RoomHub/resources/app.asar/main.mjs');
    expect(hub.options.execArgv).toEqual(['--max-old-space-size=128']);
    expect(hub.options.env).toMatchObject({
      PATH: '/usr/bin',
      HUB_PORT: '8080',
      HUB_DATA_DIR: join(s.userData, 'hub'),
      HUB_SCREENS_DIR: '/opt/RoomHub/resources/screens',
      HUB_DEVICES: 'devices.json',
      COUCHDB_URL: 'https://couch.example',
      // So the relative devices file is found in the app's data folder.
      INIT_CWD: s.userData,
    });
  });

  it('opens the cashier screen on another display when the settings ask for it, never on the kiosk’s', async () => {
    const s = setup({
      settings: { cashierDisplay: 'other' },
      displays: [display(1, 0, true), display(2, 1920)],
    });
    const shell = await startShell(s.electron, s.options);
    const [kiosk, cashier] = s.electron.windows;
    expect(kiosk!.options).toMatchObject({ x: 0, kiosk: true });
    expect(cashier!.options).toMatchObject({ x: 1920, kiosk: false, fullscreen: true });
    s.forks.started[0]!.serve(HUB);
    await settle();
    expect(cashier!.current).toBe(`${HUB}/cashier/`);
    expect(shell!.cashier()).toBe(cashier);

    // One display only: no cashier window on top of the kiosk.
    const one = setup({ settings: { cashierDisplay: 'other' } });
    await startShell(one.electron, one.options);
    expect(one.electron.windows).toHaveLength(1);
  });

  it('opens the cashier screen on a display plugged in after the start, at the hub’s cashier page', async () => {
    const s = setup({ settings: { cashierDisplay: 'other' } });
    await startShell(s.electron, s.options);
    s.forks.started[0]!.serve(HUB);
    await settle();
    expect(s.electron.windows).toHaveLength(1);
    s.electron.plugIn(display(2, 1920));
    expect(s.electron.windows).toHaveLength(2);
    const cashier = s.electron.windows[1]!;
    expect(cashier.options).toMatchObject({ x: 1920, kiosk: false });
    expect(cashier.current).toBe(`${HUB}/cashier/`);
    // Another display later changes nothing: one cashier window.
    s.electron.plugIn(display(3, 3840));
    expect(s.electron.windows).toHaveLength(2);

    // Kept off by the settings (the default): no window, whatever is plugged in.
    const off = setup();
    await startShell(off.electron, off.options);
    off.electron.plugIn(display(2, 1920));
    expect(off.electron.windows).toHaveLength(1);
  });

  it('loads the kiosk again when its page crashes, instead of leaving the screen blank', async () => {
    const s = setup();
    await startShell(s.electron, s.options);
    s.forks.started[0]!.serve(HUB);
    await settle();
    const kiosk = s.electron.windows[0]!;
    const loads = kiosk.loaded.length;
    kiosk.crashRenderer();
    expect(kiosk.loaded).toHaveLength(loads + 1);
    expect(kiosk.current).toBe(`${HUB}/kiosk/`);
  });

  it('shows a plain page saying what to do when the hub keeps failing, and the kiosk again once it serves', async () => {
    const s = setup();
    await startShell(s.electron, s.options);
    const kiosk = s.electron.windows[0]!;
    for (let i = 0; i < 3; i++) {
      const hub = s.forks.started.at(-1)!;
      hub.fail('Error: unable to open database file /var/lib/roomhub/hub.db');
      hub.exit(1);
      await settle();
      if (i < 2) {
        expect(kiosk.pageText).toContain('门店系统正在重新启动');
        await s.timers.advance(2 ** i * 1_000);
      }
    }
    const text = kiosk.pageText;
    expect(text).toContain('门店系统无法启动');
    expect(text).toContain('The store system cannot start');
    // Chinese first, English second.
    expect(text.indexOf('门店系统无法启动')).toBeLessThan(text.indexOf('cannot start'));
    expect(text).toContain('重新启动这台电脑');
    expect(text).toContain('Restart this computer');
    expect(text).toContain('unable to open database file');
    expect(text).toContain('系统会每 4 秒自动再试一次');
    expect(text).toContain(join(s.userData, 'logs', 'shell.log'));

    await s.timers.advance(4_000);
    s.forks.started.at(-1)!.serve(HUB);
    await settle();
    expect(kiosk.current).toBe(`${HUB}/kiosk/`);
  });

  it('names the settings file and the setting when the hub refuses its settings', async () => {
    const s = setup({ settings: { hub: { HUB_PORT: 'eighty' } } });
    await startShell(s.electron, s.options);
    const hub = s.forks.started[0]!;
    hub.fail('HUB_PORT must be a port number, got eighty');
    hub.exit(2);
    await settle();
    const text = s.electron.windows[0]!.pageText;
    expect(text).toContain('设置有误');
    expect(text).toContain(join(s.userData, 'shell.json'));
    expect(text).toContain('HUB_PORT must be a port number, got eighty');
  });

  it('does not start the hub on a settings file that breaks a rule, and says which field', async () => {
    const s = setup({ settings: { cashierDisplay: 'left' } });
    const shell = await startShell(s.electron, s.options);
    expect(s.forks.started).toHaveLength(0);
    expect(shell!.service).toBeNull();
    const text = s.electron.windows[0]!.pageText;
    expect(text).toContain('cashierDisplay');
    expect(text).toContain('设置有误');
    expect(text).not.toContain('自动再试');
  });

  it('keeps what the hub printed in the app’s log, where no terminal shows it (a first start’s owner PIN)', async () => {
    const s = setup();
    const shell = await startShell(s.electron, s.options);
    const hub = s.forks.started[0]!;
    hub.serve(HUB);
    hub.print('  Owner PIN      86134640  (made now, shown this once: note it down)');
    await settle();
    expect(shell!.logFile).toBe(join(s.userData, 'logs', 'shell.log'));
    const log = readFileSync(shell!.logFile, 'utf8');
    expect(log).toContain(`hub: serving at ${HUB}`);
    expect(log).toContain('Owner PIN      86134640');
    expect(statSync(shell!.logFile).mode & 0o777).toBe(0o600);
  });

  it('keeps one instance: a second start quits and brings the running kiosk to the front', async () => {
    const s = setup();
    await startShell(s.electron, s.options);
    s.electron.app.emit('second-instance');
    expect(s.electron.windows[0]!.focused).toBe(1);

    const second = setup();
    second.electron.app.lockFree = false;
    expect(await startShell(second.electron, second.options)).toBeNull();
    expect(second.electron.app.quitDone).toBe(true);
    expect(second.electron.windows).toHaveLength(0);
    expect(second.forks.started).toHaveLength(0);
  });

  it('keeps the store’s windows on the hub’s pages: other sites and new windows are refused', async () => {
    const s = setup();
    await startShell(s.electron, s.options);
    s.forks.started[0]!.serve(HUB);
    await settle();
    const kiosk = s.electron.windows[0]!;
    expect(kiosk.tryNavigate(`${HUB}/kiosk/booking`)).toBe(true);
    expect(kiosk.tryNavigate('https://example.com/')).toBe(false);
    expect(kiosk.tryNavigate('http://127.0.0.1:9999/')).toBe(false);
    expect(kiosk.tryOpen('https://example.com/')).toBe('deny');
  });

  it('stops the hub cleanly before the app quits, and starts it no more', async () => {
    const s = setup();
    await startShell(s.electron, s.options);
    const hub = s.forks.started[0]!;
    hub.serve(HUB);
    await settle();
    s.electron.app.quit();
    expect(s.electron.app.quitDone).toBe(false);
    expect(hub.killed).toBe(true);
    await settle();
    await settle();
    expect(s.electron.app.quitDone).toBe(true);
    await s.timers.advance(600_000);
    expect(s.forks.started).toHaveLength(1);
  });

  it('starts on boot when packaged: the autostart file on Linux, the login item on Windows', async () => {
    const linux = setup();
    linux.electron.app.isPackaged = true;
    const configHome = join(linux.userData, 'config');
    const shell = await startShell(linux.electron, {
      ...linux.options,
      env: { ...linux.options.env, XDG_CONFIG_HOME: configHome },
    });
    const file = join(configHome, 'autostart', 'roomhub.desktop');
    expect(shell!.bootEntry).toEqual({ kind: 'autostart-file', file, enabled: true });
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/RoomHub/roomhub"');

    const win = setup();
    win.electron.app.isPackaged = true;
    await startShell(win.electron, {
      ...win.options,
      platform: 'win32',
      bootExec: 'C:\\Program Files\\RoomHub\\RoomHub.exe',
    });
    expect(win.electron.app.loginItems).toEqual([
      { openAtLogin: true, path: 'C:\\Program Files\\RoomHub\\RoomHub.exe', args: [] },
    ]);

    // Not packaged (a developer's run): nothing is written.
    const dev = setup();
    const devShell = await startShell(dev.electron, dev.options);
    expect(devShell!.bootEntry).toBeNull();
  });
});
