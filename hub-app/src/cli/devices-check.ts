// `npm run devices:check -- <device file> [--toggle <device id>|all ...] [--hold-ms 1000]`: checks
// a device file before the hub uses it. Against the store (HUB_DATA_DIR): every room the file
// names, by number or id, is one of its rooms (asked of the running hub when one holds the
// database). Against the bus: every device answers a read of each of its points, and what it
// holds is shown. It writes nothing unless asked: `--toggle` switches the named relays (a lock
// pulses, a light or socket goes on for --hold-ms, then off) one after another, so the installer
// can watch which one moves. Run it with the hub stopped when the bus is a serial port: the hub
// holds the port. Exit code 0 when all is well, 1 when something failed, 2 for a wrong call.
// Relative paths are taken from where the command was typed (npm's INIT_CWD).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  bindRooms,
  createDevices,
  decodeMeter,
  DevicesConfigError,
  loadDevicesConfig,
  type BridgeDevices,
  type DeviceConfig,
  type DeviceProbe,
  type DevicesConfig,
} from '@roomhub/firmware-bridge';
import { RoomNumberSchema } from '@roomhub/shared-types';
import { DatabaseInUseError, lockDatabase } from '../db/database';
import { readHubAddress } from '../hub-address';
import { fromTypedIn, hubDataDir } from '../paths';

interface StoreRoom {
  id: string;
  number?: string;
  name: string;
}

const USAGE =
  'usage: npm run devices:check -- <device file> [--toggle <device id>|all ...] [--hold-ms 1000]';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

/** The store's rooms, retired ones too: from the database, or from the hub running on it. */
async function storeRooms(dataDir: string): Promise<{ rooms: StoreRoom[]; from: string }> {
  const dbFile = join(dataDir, 'hub.db');
  if (!existsSync(dbFile)) {
    throw new Error(
      `no store at ${dataDir}: start the hub once (it makes the store), or set HUB_DATA_DIR to its data folder`,
    );
  }
  let db;
  try {
    db = lockDatabase(dbFile);
  } catch (e) {
    if (!(e instanceof DatabaseInUseError)) throw e;
    const url = readHubAddress(dataDir);
    if (!url) throw new Error(`a hub holds ${dbFile} but left no address in its data folder`);
    const r = await fetch(`${url}/api/rooms?includeRetired=true`);
    if (!r.ok) throw new Error(`the hub at ${url} did not list its rooms (${r.status})`);
    return { rooms: (await r.json()) as StoreRoom[], from: `the hub running at ${url}` };
  }
  try {
    // A database from before room numbers has none yet: the hub numbers its rooms at its start.
    const rooms = db.prepare('SELECT * FROM rooms ORDER BY sort, name').all() as StoreRoom[];
    return { rooms, from: dbFile };
  } finally {
    db.close();
  }
}

/** The store's id for what the file names, by id or by number (any case). */
function roomOf(rooms: StoreRoom[], ref: string): string | undefined {
  const number = RoomNumberSchema.safeParse(ref);
  return rooms.find((r) => r.id === ref || (number.success && r.number === number.data))?.id;
}

/** What a device's points hold, in the installer's words: relay 0 off, door closed, holding 2 = 245. */
function describePoints(d: DeviceConfig, p: DeviceProbe): string {
  if (d.kind === 'energy_meter') {
    const m = decodeMeter(new Map(p.values.map((v) => [v.address, Number(v.value)])), 0);
    if (!m) return 'no whole reading';
    return `${m.voltage.toFixed(1)} V, ${m.current.toFixed(2)} A, ${m.powerW.toFixed(0)} W, counter ${m.energyKwh.toFixed(2)} kWh`;
  }
  if (d.kind === 'speaker') {
    const status = p.values.find((v) => v.address === d.registers.status)?.value;
    return status === undefined ? 'no status' : status === d.busyValue ? 'playing' : 'idle';
  }
  const relay = d.kind === 'ac' ? undefined : d.address;
  const contact = d.kind === 'lock' ? d.contact : undefined;
  return p.values
    .map(({ table, address, value }) => {
      if (table === 'coil' && address === relay) return `relay ${address} ${value ? 'on' : 'off'}`;
      if (contact && address === contact.address) {
        return `door ${value === contact.closedValue ? 'closed' : 'open'}`;
      }
      return `${table} ${address} = ${String(value)}`;
    })
    .join(', ');
}

function describeDevice(d: DeviceConfig, rooms: StoreRoom[]): string {
  const named = d.rooms
    .map((ref) => {
      const room = rooms.find((r) => r.id === roomOf(rooms, ref));
      return room ? `${room.number ?? ''} ${room.name}`.trim() : ref;
    })
    .join(', ');
  return `${d.kind}, slave ${d.slaveId} on ${d.bus}${named ? `, room ${named}` : ''}`;
}

/** The relay's point read again: on or off for a coil, the value for a register. */
async function relayOf(devices: BridgeDevices, d: DeviceConfig): Promise<string> {
  if (d.kind === 'ac' || d.kind === 'energy_meter' || d.kind === 'speaker') return 'not a relay';
  const [p] = await devices.probe([d.id]);
  if (!p || p.error) return `no answer (${p?.error ?? 'unknown device'})`;
  const table = d.kind === 'lock' || d.writeType === 'coil' ? 'coil' : 'holding';
  const v = p.values.find((x) => x.table === table && x.address === d.address)?.value;
  if (v === undefined) return 'not read';
  return typeof v === 'boolean' ? (v ? 'on' : 'off') : `= ${v}`;
}

/** Switches one relay on and back off, reading it back each time; returns what was seen. */
async function toggle(devices: BridgeDevices, d: DeviceConfig, holdMs: number): Promise<string> {
  if (d.kind === 'ac') throw new Error('an AC is not a relay: not toggled');
  if (d.kind === 'energy_meter') throw new Error('a meter is only read: not toggled');
  if (d.kind === 'speaker') throw new Error('a speaker plays clips: not toggled');
  if (d.kind === 'lock') {
    const room = d.rooms[0];
    if (room === undefined) throw new Error('the lock names no room: not toggled');
    await devices.openDoor(room);
    const during = await relayOf(devices, d);
    // The bridge ends the pulse itself; wait for it, then read the relay again.
    await sleep(d.pulseMs + 100);
    let after = await relayOf(devices, d);
    for (let i = 0; i < 20 && after === 'on'; i++) {
      await sleep(100);
      after = await relayOf(devices, d);
    }
    return `pulsed for ${d.pulseMs} ms: relay read ${during}, then ${after}`;
  }
  await devices.setOverride(d.id, true);
  const during = await relayOf(devices, d);
  await sleep(holdMs);
  await devices.setOverride(d.id, null);
  const after = await relayOf(devices, d);
  return `switched on for ${holdMs} ms: read ${during}, then ${after}`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        toggle: { type: 'string', multiple: true },
        'hold-ms': { type: 'string', default: '1000' },
      },
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n${USAGE}`, 2);
  }
  const [given] = args.positionals;
  if (!given || args.positionals.length > 1) return fail(USAGE, 2);
  const holdMs = Number(args.values['hold-ms']);
  if (!Number.isInteger(holdMs) || holdMs < 100 || holdMs > 60_000) {
    return fail('--hold-ms is a number of milliseconds from 100 to 60000', 2);
  }
  const file = fromTypedIn(given);
  let config: DevicesConfig;
  try {
    config = await loadDevicesConfig(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return fail(`no device file at ${file}`, 2);
    return fail(`device file ${file} is refused:\n${err.message}`, 1);
  }
  let failed = 0;
  console.log(
    `device file ${file}: ${config.devices.length} devices on ${config.buses.length} bus(es)`,
  );

  // The store: every room the file names must be one of its rooms.
  let rooms: StoreRoom[] = [];
  try {
    const store = await storeRooms(hubDataDir());
    rooms = store.rooms;
    config = bindRooms(config, (ref) => roomOf(rooms, ref), []);
    console.log(`rooms   ok    every room the file names is in the store (${store.from})`);
  } catch (e) {
    failed++;
    const lines =
      e instanceof DevicesConfigError
        ? e.message.split('\n')
        : [e instanceof Error ? e.message : String(e)];
    for (const line of lines) console.log(`rooms   FAIL  ${line}`);
    if (rooms.length > 0) {
      console.log(
        `              the store's rooms: ${rooms.map((r) => `${r.number ?? r.id} ${r.name}`).join(', ')}`,
      );
    }
  }

  // The bus: every device answers a read; nothing is written unless asked.
  const devices = await createDevices(config, { pollMs: 0 });
  try {
    const probes = await devices.probe();
    const width = Math.max(...config.devices.map((d) => d.id.length), 8);
    config.devices.forEach((d, i) => {
      const p = probes[i]!;
      if (p.error) failed++;
      const what = p.error ? `read failed: ${p.error}` : describePoints(d, p);
      console.log(
        `${p.error ? 'FAIL' : 'ok  '}  ${d.id.padEnd(width)}  ${describeDevice(d, rooms)}: ${what}`,
      );
    });

    const asked = args.values.toggle ?? [];
    const toToggle = asked.includes('all')
      ? config.devices.filter((d) => d.kind !== 'ac')
      : asked.map((id) => {
          const d = config.devices.find((x) => x.id === id);
          if (!d) fail(`--toggle: no device "${id}" in ${file}`, 2);
          return d;
        });
    for (const d of toToggle) {
      try {
        console.log(`toggle  ${d.id}: ${await toggle(devices, d, holdMs)}`);
      } catch (e) {
        failed++;
        console.log(`toggle  FAIL ${d.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await devices.close();
  }
  console.log(failed === 0 ? 'all well' : `${failed} problem(s): see FAIL above`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exit(await main());
} catch (e) {
  fail(e instanceof Error ? e.message : String(e), 1);
}
