// Devices as an installer meets them: paths taken from where the command was typed, rooms named
// by their number in the device file, a file naming a room the store does not have refused at
// start, and `npm run devices:check` against the store and a real Modbus slave (the simulator).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type ChildServer } from './hub-process';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');

let child: ChildServer | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await child?.stop();
  child = null;
  for (const c of cleanups.splice(0)) c();
});

/** A bus to a port nothing answers on and no devices: enough for the hub to load the file. */
const EMPTY_DEVICES = {
  buses: [{ id: 'bus-1', kind: 'tcp', host: '127.0.0.1', port: 1 }],
  devices: [],
};

describe('relative paths (HUB_DATA_DIR, HUB_DEVICES, HUB_SCANNERS)', () => {
  it('are taken from where the command was typed, not from hub-app/', async () => {
    const typedIn = mkdtempSync(join(tmpdir(), 'typed-in-'));
    // Unique names, so a hub that looks in hub-app/ makes nothing another test would find.
    const data = `data-${process.pid}-${Date.now()}`;
    cleanups.push(() => rmSync(join(PACKAGE_DIR, data), { recursive: true, force: true }));
    writeFileSync(join(typedIn, 'devices.json'), JSON.stringify(EMPTY_DEVICES));
    mkdirSync(join(typedIn, 'conf'));
    writeFileSync(join(typedIn, 'conf', 'scanners.json'), JSON.stringify({ serial: [] }));

    child = await startHub(data, 30_000, {
      INIT_CWD: typedIn,
      HUB_DEVICES: 'devices.json',
      HUB_SCANNERS: 'conf/scanners.json',
    });
    expect(child.output()).toContain(`devices from ${join(typedIn, 'devices.json')}`);
    expect(child.output()).toContain(join(typedIn, data, 'hub.db'));
    expect(existsSync(join(typedIn, data, 'hub.db'))).toBe(true);
    expect(existsSync(join(PACKAGE_DIR, data))).toBe(false);
  }, 60_000);
});
