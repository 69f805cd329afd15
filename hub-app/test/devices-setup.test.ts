// Devices as an installer meets them: paths taken from where the command was typed, rooms named
// by their number in the device file, a file naming a room the store does not have refused at
// start, and `npm run devices:check` against the store and a real Modbus slave (the simulator).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type Simulator } from '@roomhub/firmware-bridge/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { MIGRATIONS } from '../src/db/migrations/index';
import { startHubServer, type HubServer } from '../src/server';
import { STAFF, startTestHub, until, type TestHub } from './harness';
import { startHub, type ChildServer } from './hub-process';

const PACKAGE_DIR = resolve(import.meta.dirname, '..');
const ROOT = resolve(PACKAGE_DIR, '..');
const CHECK = resolve(PACKAGE_DIR, 'src/cli/devices-check.ts');

let child: ChildServer | null = null;
let h: TestHub | null = null;
let hub: HubServer | null = null;
let sim: Simulator | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await child?.stop();
  child = null;
  await h?.close();
  h = null;
  await hub?.close();
  hub = null;
  await sim?.close();
  sim = null;
  for (const c of cleanups.splice(0)) c();
});

const newRoom = (over: Record<string, unknown> = {}) => ({
  name: '新房间',
  capacity: 4,
  areaSqm: 12,
  style: '茶室',
  pricePlan: { rates: { workday: 3000, weekend: 3500, holiday: 4000 }, stepMinutes: 15 },
  ...over,
});

/** A hub on `dataDir` whose devices come from `file` (a bus to the simulator). */
const hubWithDevices = (dataDir: string, file: string) =>
  startHubServer({
    dataDir,
    port: 0,
    runScheduler: false,
    devicePollMs: 0,
    simulatedGateway: false,
    ownerPin: '900000',
    devices: { kind: 'file', path: file },
  });

function deviceFile(dir: string, rooms: string[][]): string {
  const { host, port } = sim!.tcp!;
  const file = join(dir, 'devices.json');
  writeFileSync(
    file,
    JSON.stringify({
      buses: [{ id: 'rs485-1', kind: 'tcp', host, port }],
      devices: rooms.map((r, i) => ({
        id: `door-${i + 1}`,
        kind: 'lock',
        bus: 'rs485-1',
        slaveId: 1,
        rooms: r,
        address: i,
      })),
    }),
  );
  return file;
}

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
    // The hub is ready at its API line; the lines naming its files follow it.
    const c = child;
    await until('the database line', async () =>
      c.output().includes('  Database ') ? true : undefined,
    );
    expect(child.output()).toContain(`devices from ${join(typedIn, 'devices.json')}`);
    expect(child.output()).toContain(join(typedIn, data, 'hub.db'));
    expect(existsSync(join(typedIn, data, 'hub.db'))).toBe(true);
    expect(existsSync(join(PACKAGE_DIR, data))).toBe(false);
  }, 60_000);
});

describe('room numbers', () => {
  it('the demo store numbers its rooms 101 to 106, and the room API shows them', async () => {
    h = await startTestHub();
    const rooms = (await h.api('GET', '/api/rooms')).body as { number: string; name: string }[];
    expect(rooms.map((r) => r.number)).toEqual(['101', '102', '103', '104', '105', '106']);
    const doc = (await h.api('GET', '/api/openapi.json')).body;
    const body = doc.paths['/api/rooms'].post.requestBody.content['application/json'].schema;
    expect(body.properties).toHaveProperty('number');
    expect(doc.paths['/api/rooms'].post.responses['409'].description).toContain(
      'room_number_taken',
    );
  });

  it('the owner sets a number at create and by PATCH; a taken or malformed one is a 4xx naming "number"', async () => {
    h = await startTestHub();
    const made = await h.api('POST', '/api/rooms', newRoom({ number: 'a2' }), STAFF);
    expect(made.status).toBe(201);
    expect(made.body.number).toBe('A2');

    const auto = await h.api('POST', '/api/rooms', newRoom(), STAFF);
    expect(auto.status).toBe(201);
    expect(auto.body.number).toBe('107');

    const taken = await h.api('POST', '/api/rooms', newRoom({ number: '101' }), STAFF);
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'room_number_taken', field: 'number' });
    expect(taken.body.error.message).toContain('101');

    for (const bad of ['1 01', '', 'ROOM-NUMBER-TOO-LONG', '#3']) {
      const r = await h.api('POST', '/api/rooms', newRoom({ number: bad }), STAFF);
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('number');
    }

    const patchTaken = await h.api('PATCH', `/api/rooms/${made.body.id}`, { number: '102' }, STAFF);
    expect(patchTaken.status).toBe(409);
    expect(patchTaken.body.error.field).toBe('number');
    const patched = await h.api('PATCH', `/api/rooms/${made.body.id}`, { number: 'B7' }, STAFF);
    expect(patched.status).toBe(200);
    expect(patched.body.number).toBe('B7');
    // Its own number again is no clash.
    const same = await h.api('PATCH', `/api/rooms/${made.body.id}`, { number: 'b7' }, STAFF);
    expect(same.status).toBe(200);
    expect((await h.api('GET', `/api/rooms/${made.body.id}`)).body.number).toBe('B7');
  });

  it('rooms made before numbers existed get them by a migration, in the order the store shows them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbers-'));
    const file = join(dir, 'hub.db');
    const v6 = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const insert = v6.prepare(
      `INSERT INTO rooms (id,name,capacity,area_sqm,style,price_plan,status,sort,created_at,updated_at) VALUES (?,?,2,10,'x','{}',?,?,0,0)`,
    );
    insert.run('r-c', 'C', 'active', 3);
    insert.run('r-a', 'A', 'active', 1);
    insert.run('r-b', 'B', 'retired', 2);
    v6.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare('SELECT id, number FROM rooms ORDER BY sort').all()).toEqual([
        { id: 'r-a', number: '101' },
        { id: 'r-b', number: '102' },
        { id: 'r-c', number: '103' },
      ]);
      expect(() => db.prepare(`UPDATE rooms SET number = '101' WHERE id = 'r-c'`).run()).toThrow(
        /UNIQUE/,
      );
    } finally {
      db.close();
    }
  });
});

describe('the device file names rooms', () => {
  it("by number (or id), bound to the store's rooms at start", async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-numbers-'));
    // A first start makes the demo store; its rooms are 101 to 106.
    hub = await startHubServer({
      dataDir,
      port: 0,
      runScheduler: false,
      devicePollMs: 0,
      simulatedGateway: false,
      ownerPin: '900000',
      devices: { kind: 'none' },
    });
    const rooms = hub.hub.store.listRooms();
    await hub.close();
    hub = null;

    const byId = rooms[2]!.id;
    hub = await hubWithDevices(dataDir, deviceFile(dataDir, [['101'], ['102'], [byId]]));
    const devices = hub.hub.devices.devices!;
    expect(devices.roomsWithLock().sort()).toEqual([rooms[0]!.id, rooms[1]!.id, byId].sort());
    expect(devices.states().find((d) => d.deviceId === 'door-1')?.rooms).toEqual([rooms[0]!.id]);
    await devices.openDoor(rooms[1]!.id);
    expect(sim.coil(1, 1)).toBe(true);
  });

  it('refuses to start when it names a room the store does not have, naming the entry', async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-numbers-'));
    const file = deviceFile(dataDir, [['101'], ['10l']]);
    const started = hubWithDevices(dataDir, file);
    await expect(started).rejects.toThrow(
      /device "door-2" \(devices\[1\]\): rooms\.0: no room "10l"/,
    );
    // The database is free again: the refused start left nothing holding it.
    hub = await hubWithDevices(dataDir, deviceFile(dataDir, [['101'], ['102']]));
  });
});

/** Runs a command with the hub's variables cleared but those given; its exit code and output. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of ['HUB_DATA_DIR', 'HUB_DEVICES', 'HUB_URL', 'HUB_PORT', 'INIT_CWD'])
    delete clean[k];
  return new Promise<{ code: number | null; out: string }>((done, fail) => {
    const p = spawn(command, args, {
      cwd,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    p.once('error', fail);
    p.once('exit', (code) => done({ code, out }));
  });
}

const check = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', CHECK, ...args], ROOT, env);

/** A data folder with the demo store (rooms 101 to 106) and no hub running on it. */
async function demoStore(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'check-store-'));
  const s = await startHubServer({
    dataDir,
    port: 0,
    runScheduler: false,
    devicePollMs: 0,
    simulatedGateway: false,
    ownerPin: '900000',
    devices: { kind: 'none' },
  });
  await s.close();
  return dataDir;
}

/** A device file for the simulator: a lock and a light per room on the 8-relay boards, an AC. */
function checkFile(dir: string, over: { rooms?: string[]; acSlave?: number } = {}): string {
  const { host, port } = sim!.tcp!;
  const [a, b] = over.rooms ?? ['101', '102'];
  const file = join(dir, 'devices.json');
  writeFileSync(
    file,
    JSON.stringify({
      // A second of patience: on a busy machine a healthy answer can take a few hundred ms, and
      // only the absent slave should time out.
      buses: [{ id: 'rs485-1', kind: 'tcp', host, port, timeoutMs: 1000, retries: 0 }],
      devices: [
        {
          id: 'door-101',
          kind: 'lock',
          bus: 'rs485-1',
          slaveId: 1,
          rooms: [a],
          address: 0,
          pulseMs: 200,
          contact: { address: 0 },
        },
        {
          id: 'door-102',
          kind: 'lock',
          bus: 'rs485-1',
          slaveId: 1,
          rooms: [b],
          address: 1,
          pulseMs: 200,
        },
        {
          id: 'light-101',
          kind: 'light',
          bus: 'rs485-1',
          slaveId: 2,
          rooms: [a],
          writeType: 'coil',
          address: 0,
        },
        {
          id: 'ac-101',
          kind: 'ac',
          bus: 'rs485-1',
          slaveId: over.acSlave ?? 10,
          rooms: [a],
          model: {
            power: { address: 0 },
            mode: { address: 1, values: { auto: 0, cool: 1, dry: 2, fan: 3, heat: 4 } },
            setpoint: { address: 2, scale: 10 },
            fan: { address: 3, values: { auto: 0, low: 1, mid: 2, high: 3 } },
          },
        },
        { id: 'meter-101', kind: 'energy_meter', bus: 'rs485-1', slaveId: 40, rooms: [a] },
      ],
    }),
  );
  return file;
}

describe('npm run devices:check -- <file>', () => {
  it('checks the rooms against the store and reads every device once, writing nothing', async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = await demoStore();
    const r = await check([checkFile(dataDir)], { HUB_DATA_DIR: dataDir });
    expect(r.out).toMatch(/rooms\s+ok/);
    for (const id of ['door-101', 'door-102', 'light-101', 'ac-101', 'meter-101'])
      expect(r.out).toMatch(new RegExp(`ok\\s+${id}`));
    expect(r.out).toContain('door closed');
    // The meter's reading in the installer's words.
    expect(r.out).toMatch(/220\.0 V, 0\.07 A, 15 W, counter 1040\.00 kWh/);
    expect(r.code).toBe(0);
    expect(sim.writes()).toEqual([]);
  }, 30_000);

  it('fails naming the entry of a room the store lacks and a device that does not answer', async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = await demoStore();
    // Slave 99 is on no board: nothing answers there.
    const file = checkFile(dataDir, { rooms: ['101', '10l'], acSlave: 99 });
    const r = await check([file], { HUB_DATA_DIR: dataDir });
    expect(r.out).toContain('device "door-102" (devices[1]): rooms.0: no room "10l" in this store');
    expect(r.out).toMatch(/FAIL\s+ac-101/);
    expect(r.out).toMatch(/ok\s+door-101/);
    expect(r.code).toBe(1);
  }, 30_000);

  it('switches a relay only when asked (--toggle), and only that one', async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = await demoStore();
    const r = await check([checkFile(dataDir), '--toggle', 'light-101', '--toggle', 'door-102'], {
      HUB_DATA_DIR: dataDir,
    });
    expect(r.code).toBe(0);
    const writes = sim
      .writes()
      .map((w) => `${w.slaveId}/${w.table} ${w.address} ${String(w.value)}`);
    expect(writes).toEqual(['2/coil 0 true', '2/coil 0 false', '1/coil 1 true', '1/coil 1 false']);
    expect(r.out).toMatch(/light-101.*on.*off/s);
    expect(sim.coil(2, 0)).toBe(false);
    expect(sim.coil(1, 1)).toBe(false);
  }, 30_000);

  it('asks a running hub for its rooms, and takes the file from where it was typed', async () => {
    sim = await startSimulator({ tcp: { port: 0 } });
    const dataDir = mkdtempSync(join(tmpdir(), 'check-running-'));
    hub = await startHubServer({
      dataDir,
      port: 0,
      runScheduler: false,
      devicePollMs: 0,
      simulatedGateway: false,
      ownerPin: '900000',
      devices: { kind: 'none' },
    });
    const typedIn = mkdtempSync(join(tmpdir(), 'typed-in-'));
    checkFile(typedIn);
    // Typed in another folder, for the repository's script.
    const r = await run(
      'npm',
      ['--prefix', ROOT, 'run', 'devices:check', '--', 'devices.json'],
      typedIn,
      {
        HUB_DATA_DIR: dataDir,
      },
    );
    expect(r.out).toContain(join(typedIn, 'devices.json'));
    expect(r.out).toMatch(/rooms\s+ok/);
    expect(r.code).toBe(0);
  }, 60_000);
});
