// The kiosk's receipt printer through the fake Electron: the kiosk window gets the preload, its
// page reads the receipt settings and prints silently at the receipt's size to the printer named;
// another window, a page not the hub's or a bad size is refused; a printer that fails or never
// answers gives an answer the page can show, and the log says what happened.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHELL_BRIDGE as PAGE_BRIDGE, type ShellBridge } from '@roomhub/shared-types';
import { display, fakeElectron, fakeFork, ManualTimers, settle } from './fake-electron';
import { PRINT_TIMEOUT_MS } from './receipt-printer';
import { readShellSettings } from './settings';
import { BRIDGE_CHANNELS, SHELL_BRIDGE } from './shell-bridge';
import { startShell, type ShellOptions } from './shell';

// The preload's `electron`, as a sandboxed page has it: what it exposes, and where its calls go.
const inPage = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: (_channel: string, ..._args: unknown[]): Promise<unknown> =>
    Promise.reject(new Error('no shell')),
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: unknown) => inPage.exposed.set(name, api),
  },
  ipcRenderer: { invoke: (channel: string, ...args: unknown[]) => inPage.invoke(channel, ...args) },
}));

const HUB = 'http://127.0.0.1:8080';
const PRELOAD = '/opt/RoomHub/resources/app.asar/electron-preload.cjs';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function started(settings?: unknown) {
  const userData = mkdtempSync(join(tmpdir(), 'shell-receipt-'));
  dirs.push(userData);
  if (settings !== undefined) {
    writeFileSync(join(userData, 'shell.json'), JSON.stringify(settings));
  }
  const forks = fakeFork();
  const electron = fakeElectron(userData, forks.fork, [display(1, 0), display(2, 1920)]);
  const timers = new ManualTimers();
  const options: ShellOptions = {
    hubModule: '/opt/RoomHub/resources/app.asar/main.mjs',
    platform: 'linux',
    env: {},
    bootExec: '/opt/RoomHub/roomhub',
    homeDir: userData,
    nodeFlags: [],
    timers,
    preload: PRELOAD,
  };
  const shell = (await startShell(electron, options))!;
  forks.started[0]!.serve(HUB);
  await settle();
  const log = () => readFileSync(shell.logFile, 'utf8');
  return { electron, timers, shell, log };
}

const page = { widthMm: 80, heightMm: 143.5 };

describe('the kiosk’s receipt printer', () => {
  it('gives the kiosk window alone the bridge, under the name the page looks for', async () => {
    const s = await started({ cashierDisplay: 'other' });
    const [kiosk, cashier] = s.electron.windows;
    expect(kiosk!.options.webPreferences).toEqual({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      preload: PRELOAD,
    });
    expect(cashier!.options.webPreferences.preload).toBeUndefined();
    expect(SHELL_BRIDGE).toBe(PAGE_BRIDGE);
  });

  it('prints from the kiosk’s page through the preload’s bridge, as the page calls it', async () => {
    const s = await started({ receipt: { paperMm: 58, printAfterPayment: true } });
    const kiosk = s.electron.windows[0]!;
    inPage.invoke = (channel, ...args) => s.electron.invoke(channel, kiosk, ...args);
    await import('./preload');
    const bridge = inPage.exposed.get(PAGE_BRIDGE) as ShellBridge;
    expect(await bridge.receiptSettings()).toEqual({ paperMm: 58, printAfterPayment: true });
    expect(await bridge.printReceipt({ widthMm: 58, heightMm: 120 })).toEqual({ ok: true });
    expect(kiosk.printed.map((p) => p.pageSize)).toEqual([{ width: 58_000, height: 120_000 }]);
  });

  it('tells the kiosk’s page the receipt settings: 80 mm and not by itself, unless set', async () => {
    const plain = await started();
    const kiosk = plain.electron.windows[0]!;
    expect(await plain.electron.invoke(BRIDGE_CHANNELS.receiptSettings, kiosk)).toEqual({
      paperMm: 80,
      printAfterPayment: false,
    });
    const set = await started({
      receipt: { paperMm: 58, printAfterPayment: true, printer: 'XP-58' },
    });
    expect(
      await set.electron.invoke(BRIDGE_CHANNELS.receiptSettings, set.electron.windows[0]!),
    ).toEqual({ paperMm: 58, printAfterPayment: true });
  });

  it('prints the kiosk’s page silently, at the receipt’s size, to the printer named', async () => {
    const s = await started({ receipt: { printer: 'XP-80C' } });
    const kiosk = s.electron.windows[0]!;
    expect(await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk, page)).toEqual({
      ok: true,
    });
    expect(kiosk.printed).toEqual([
      {
        silent: true,
        printBackground: false,
        margins: { marginType: 'none' },
        pageSize: { width: 80_000, height: 143_500 },
        deviceName: 'XP-80C',
      },
    ]);
    expect(s.log()).toContain('receipt: printed');

    // No printer named: the system's default.
    const plain = await started();
    await plain.electron.invoke(BRIDGE_CHANNELS.printReceipt, plain.electron.windows[0]!, page);
    expect(plain.electron.windows[0]!.printed[0]).not.toHaveProperty('deviceName');
  });

  it('answers a printer that fails or never answers, so the page goes on with the code on it', async () => {
    const s = await started();
    const kiosk = s.electron.windows[0]!;
    kiosk.printer = { ok: false, reason: 'Invalid deviceName provided' };
    expect(await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk, page)).toEqual({
      ok: false,
      reason: 'Invalid deviceName provided',
    });
    expect(s.log()).toContain('receipt: not printed: Invalid deviceName provided');

    kiosk.printer = 'silent';
    let answer: unknown = null;
    void s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk, page).then((a) => (answer = a));
    await s.timers.advance(PRINT_TIMEOUT_MS - 1);
    expect(answer).toBeNull();
    await s.timers.advance(1);
    expect(answer).toEqual({ ok: false, reason: expect.stringContaining('did not answer') });
  });

  it('prints for no other window, no page but the hub’s, and no size but a receipt’s', async () => {
    const s = await started({ cashierDisplay: 'other' });
    const [kiosk, cashier] = s.electron.windows;
    expect(await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, cashier!, page)).toEqual({
      ok: false,
      reason: 'only the kiosk page prints receipts',
    });
    await expect(s.electron.invoke(BRIDGE_CHANNELS.receiptSettings, cashier!)).rejects.toThrow(
      /only the kiosk/,
    );
    expect(
      await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk!, {
        widthMm: 210,
        heightMm: 297,
      }),
    ).toEqual({ ok: false, reason: 'widthMm: widthMm must be 58 or 80 (mm of receipt paper)' });
    expect(
      await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk!, { widthMm: 80, heightMm: 5 }),
    ).toEqual({ ok: false, reason: 'heightMm: heightMm must be at least 20' });
    // The kiosk showing a page of its own (the hub is restarting): nothing prints.
    kiosk!.loaded.push('data:text/html,<h1>restarting</h1>');
    expect(await s.electron.invoke(BRIDGE_CHANNELS.printReceipt, kiosk!, page)).toMatchObject({
      ok: false,
    });
    expect(kiosk!.printed).toEqual([]);
    expect(cashier!.printed).toEqual([]);
  });

  it('refuses a settings file whose receipt breaks a rule, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-receipt-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'shell.json'), JSON.stringify({ receipt: { paperMm: 76 } }));
    expect(readShellSettings(dir)).toMatchObject({
      ok: false,
      problem: 'receipt.paperMm: paperMm must be 58 or 80 (the receipt paper’s width in mm)',
    });
    writeFileSync(join(dir, 'shell.json'), JSON.stringify({ receipt: { autoPrint: true } }));
    expect(readShellSettings(dir)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^receipt/),
    });
  });
});
