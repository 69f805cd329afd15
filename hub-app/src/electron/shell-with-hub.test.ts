// The desktop shell around the real hub, built as it is packaged (`dist/main.mjs`), each in a
// process of its own as in the desktop app; only Electron's calls are played by fakes and Node.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop } from '../../scripts/build';
import { MIGRATIONS } from '../db/migrations/index';
import { fakeElectron, nodeFork } from './fake-electron';
import type { ServiceProcess } from './electron-api';
import { startShell, type Shell } from './shell';

const NODE_FLAGS = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../node-flags.json'), 'utf8'),
) as string[];

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A loaded two-core machine starts the hub slowly; the figures that matter are in `npm run bench`.
describe('the desktop shell with the production build of the hub', { timeout: 90_000 }, () => {
  let userData: string;
  let hubModule: string;
  const started: (ServiceProcess & { crash(): boolean })[] = [];
  let electron: ReturnType<typeof fakeElectron>;
  let shell: Shell;

  beforeAll(async () => {
    hubModule = (await buildDesktop()).hub;
    userData = mkdtempSync(join(tmpdir(), 'shell-hub-'));
    const screens = join(userData, 'screens');
    mkdirSync(join(screens, 'kiosk'), { recursive: true });
    writeFileSync(join(screens, 'kiosk', 'index.html'), '<!doctype html><h1>kiosk build 7</h1>');
    electron = fakeElectron(userData, (path, args, options) => {
      const p = nodeFork(path, args, options) as ServiceProcess & { crash(): boolean };
      started.push(p);
      return p;
    });
    shell = (await startShell(electron, {
      hubModule,
      screensDir: screens,
      platform: 'linux',
      env: {
        PATH: process.env.PATH,
        HUB_PORT: '0',
        PAYSIM_PORT: '0',
        MODBUS_SIM_PORT: '0',
        HUB_HOST: '127.0.0.1',
      },
      bootExec: '/opt/RoomHub/roomhub',
      homeDir: userData,
      nodeFlags: [...NODE_FLAGS, '--enable-source-maps'],
      service: { firstDelayMs: 200 },
    }))!;
  });

  afterAll(async () => {
    await shell?.service?.stop();
    rmSync(userData, { recursive: true, force: true });
  });

  const kioskUrls = () =>
    electron.windows[0]!.loaded.filter((u) => u.startsWith('http://') && u.endsWith('/kiosk/'));

  it('opens the kiosk at the address the hub printed, where the hub serves the built screens', async () => {
    const [url] = await until('the kiosk page', () =>
      kioskUrls().length ? kioskUrls() : undefined,
    );
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('kiosk build 7');
  });

  it('starts the hub again after a power-cut kill, and the kiosk follows it to its new address', async () => {
    const before = kioskUrls().length;
    started.at(-1)!.crash();
    const urls = await until('the kiosk again', () =>
      kioskUrls().length > before ? kioskUrls() : undefined,
    );
    expect(started).toHaveLength(2);
    const res = await fetch(urls.at(-1)!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('kiosk build 7');
  });

  it('stops the hub cleanly when the app quits', async () => {
    electron.app.quit();
    await until('the quit', () => (electron.app.quitDone ? true : undefined));
    expect(shell.service!.state).toEqual({ kind: 'stopped' });
  });

  it('left the store’s database in the app’s data folder, with every migration the build carries', () => {
    const db = new Database(join(userData, 'hub', 'hub.db'), { readonly: true });
    try {
      const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      expect(applied.map((r) => (r as { version: number }).version)).toEqual(
        MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
      );
    } finally {
      db.close();
    }
  });
});
