// The desktop app's packaging (electron-builder.yml), checked here where packaging itself cannot
// run (no Electron binary): the configuration as electron-builder reads and validates it, and a
// real electron-builder run of the Linux folder target with a stand-in for the Electron binary and
// the native rebuild off, whose output must hold everything the store's machine needs.
import { extractAll, listPackage, statFile } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative, resolve } from 'node:path';
import { build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop, DIST, type DesktopManifest } from '../../scripts/build';
import { PACKAGED_SCREENS } from './shell';

const ROOT = resolve(import.meta.dirname, '../../..');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

/** electron-builder.yml as electron-builder reads it, checked against its own schema. */
async function packagingConfig(): Promise<Configuration> {
  const config = await getConfig(ROOT, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

const asList = <T>(v: T | T[] | null | undefined): T[] =>
  v == null ? [] : Array.isArray(v) ? v : [v];
const targetNames = (t: unknown) =>
  asList(t as string | { target: string } | (string | { target: string })[]).map((x) =>
    typeof x === 'string' ? x : x.target,
  );

describe('electron-builder.yml', () => {
  it('is a configuration electron-builder accepts, packing the hub’s build folder as the app', async () => {
    const config = await packagingConfig();
    expect(resolve(ROOT, config.directories!.app!)).toBe(DIST);
    // The same Electron the workspace installs (and pins).
    const electron = readJson<{ version: string }>(
      join(ROOT, 'node_modules/electron/package.json'),
    );
    const root = readJson<{ devDependencies: Record<string, string> }>(join(ROOT, 'package.json'));
    expect(config.electronVersion).toBe(electron.version);
    expect(root.devDependencies.electron).toBe(electron.version);
  });

  it('builds Linux AppImage and deb packages and a Windows NSIS installer', async () => {
    const config = await packagingConfig();
    expect(targetNames(config.linux!.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win!.target)).toEqual(['nsis']);
  });

  it('rebuilds the native modules for Electron and keeps them out of the archive', async () => {
    const config = await packagingConfig();
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    const unpack = asList(config.asarUnpack as string | string[]);
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/lib/database.js',
      'node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node',
      'node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node',
      'node_modules/node-hid/prebuilds/HID-win32-x64/node-napi-v4.node',
      'node_modules/leveldown/prebuilds/linux-x64/node.napi.glibc.node',
    ]) {
      expect(
        unpack.some((g) => matchesGlob(file, g)),
        `${file} is unpacked`,
      ).toBe(true);
    }
  });

  it('puts the built screens where the desktop shell hands them to the hub', async () => {
    const config = await packagingConfig();
    const extra = asList(config.extraResources as { from: string; to: string }[]);
    expect(extra).toContainEqual(
      expect.objectContaining({ from: 'ui/dist', to: PACKAGED_SCREENS }),
    );
  });
});

/** A stand-in for the unpacked Electron zip: the one executable electron-builder renames. */
function fakeElectronDist(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), 'v41.10.0');
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

describe('the packaged desktop app (Linux folder target, Electron stood in for)', () => {
  let work: string;
  let resources: string;
  let asar: string;

  beforeAll(async () => {
    await buildDesktop();
    work = mkdtempSync(join(tmpdir(), 'package-'));
    const screens = join(work, 'screens-build');
    mkdirSync(join(screens, 'kiosk'), { recursive: true });
    writeFileSync(join(screens, 'kiosk', 'index.html'), '<!doctype html><h1>packaged kiosk</h1>');
    const config = await packagingConfig();
    // Given as a file of its own, so electron-builder reads this one instead of the yaml.
    const configFile = join(work, 'electron-builder.json');
    const changed: Configuration = {
      ...config,
      electronDist: fakeElectronDist(join(work, 'electron')),
      // Rebuilding for Electron needs its headers from the internet; the layout is what is checked.
      npmRebuild: false,
      directories: { ...config.directories, output: join(work, 'out') },
      // The screens' own build is the ui package's; a page of our own stands in for it.
      extraResources: asList(config.extraResources as { from: string; to: string }[]).map((r) =>
        r.from === 'ui/dist' ? { ...r, from: screens } : r,
      ),
    };
    writeFileSync(configFile, JSON.stringify(changed));
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      config: configFile,
    });
    resources = join(work, 'out', 'linux-unpacked', 'resources');
    asar = join(resources, 'app.asar');
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the hub, the shell and its package.json in the archive', () => {
    const files = listPackage(asar, { isPack: false });
    for (const f of [
      '/main.mjs',
      '/electron-main.mjs',
      '/electron-preload.cjs',
      '/node-flags.json',
      '/package.json',
    ]) {
      expect(files).toContain(f);
    }
    const manifest = JSON.parse(
      readFileSync(join(DIST, 'package.json'), 'utf8'),
    ) as DesktopManifest;
    expect(manifest.main).toBe('electron-main.mjs');
    for (const name of Object.keys(manifest.dependencies)) {
      expect(files, name).toContain(`/node_modules/${name}/package.json`);
    }
  });

  it('keeps every native module outside the archive, SQLite’s among them', () => {
    const natives = listPackage(asar, { isPack: false }).filter((f) => f.endsWith('.node'));
    expect(natives.length).toBeGreaterThan(0);
    for (const f of natives) {
      const entry = statFile(asar, f.slice(1)) as { unpacked?: boolean };
      expect(entry.unpacked, f).toBe(true);
    }
    const unpacked = filesUnder(join(resources, 'app.asar.unpacked')).map((f) =>
      relative(join(resources, 'app.asar.unpacked'), f),
    );
    expect(unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  });

  it('carries the built screens beside the archive', () => {
    expect(existsSync(join(resources, PACKAGED_SCREENS, 'kiosk', 'index.html'))).toBe(true);
  });

  it('runs the hub from the package’s contents alone: it migrates a new store and serves the screens', async () => {
    // Out of the repository, so nothing is found in its node_modules.
    const app = join(work, 'app');
    extractAll(asar, app);
    const port = await freePort();
    const data = join(work, 'data');
    const child = spawn(process.execPath, [join(app, 'main.mjs')], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HUB_DATA_DIR: data,
        HUB_PORT: String(port),
        PAYSIM_PORT: '0',
        MODBUS_SIM_PORT: '0',
        HUB_SCREENS_DIR: join(resources, PACKAGED_SCREENS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const end = Date.now() + 60_000;
      while (!out.includes('/api/health')) {
        if (child.exitCode !== null || Date.now() > end)
          throw new Error(`the hub did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const page = await fetch(`http://127.0.0.1:${port}/kiosk/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('packaged kiosk');
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).ok).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
