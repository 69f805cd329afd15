// The config parser: defaults, RTU timing, and refusals that name the device (or bus) and field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bindRooms,
  busFrameGapMs,
  DevicesConfigError,
  loadDevicesConfig,
  parseDevicesConfig,
  type DevicesConfigInput,
} from './config';
import { rtuExchangeFloorMs } from './rtu-timing';

const base = (): DevicesConfigInput => ({
  buses: [{ id: 'bus-1', kind: 'rtu', path: '/dev/ttyUSB0' }],
  devices: [
    {
      id: 'room-3-light',
      kind: 'light',
      bus: 'bus-1',
      slaveId: 2,
      rooms: ['room-3'],
      writeType: 'coil',
      address: 3,
    },
    {
      id: 'room-3-lock',
      kind: 'lock',
      bus: 'bus-1',
      slaveId: 1,
      rooms: ['room-3'],
      address: 3,
      pulse: 'timed',
      pulseBase: 0x0200,
    },
  ],
});

function messageOf(json: unknown): string {
  try {
    parseDevicesConfig(json);
  } catch (e) {
    expect(e).toBeInstanceOf(DevicesConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('parseDevicesConfig', () => {
  it('applies defaults: 9600 8N1, 300 ms, 2 retries, on-off values, 3.5-character gap', () => {
    const c = parseDevicesConfig(base());
    const bus = c.buses[0];
    expect(bus).toMatchObject({ baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    expect(bus).toMatchObject({ timeoutMs: 300, retries: 2 });
    // 3.5 characters of 10 bits at 9600 baud.
    expect(busFrameGapMs(bus!)).toBeCloseTo(3.646, 2);
    expect(c.devices[1]).toMatchObject({ pulseMs: 3000, pulseBase: 0x0200, verify: true });
  });

  it('gives a lock that says nothing of its pulse what any board understands, read back', () => {
    const c = base();
    const lock = c.devices[1] as Record<string, unknown>;
    delete lock.pulse;
    delete lock.pulseBase;
    expect(parseDevicesConfig(c).devices[1]).toMatchObject({ pulse: 'on-off', verify: true });
    // A board that cannot read its relays back says so.
    lock.verify = false;
    expect(parseDevicesConfig(c).devices[1]).toMatchObject({ verify: false });
  });

  it("refuses a board-timed pulse that does not name the board's command address", () => {
    const c = base();
    delete (c.devices[1] as Record<string, unknown>).pulseBase;
    expect(messageOf(c)).toBe(
      'device "room-3-lock": pulseBase: required with pulse "timed": the address of the board\'s own timed-pulse command (a vendor extension; Waveshare\'s is 512 = 0x0200); a board without one takes pulse "on-off"',
    );
  });

  it("refuses Home Assistant's spellings, naming this file's", () => {
    const c = base();
    const bus = c.buses[0] as Record<string, unknown>;
    delete bus.baudRate;
    bus.baudrate = 9600;
    expect(messageOf(c)).toBe(
      'bus "bus-1": unknown field "baudrate" (this file calls it "baudRate")',
    );

    const parity = base();
    (parity.buses[0] as Record<string, unknown>).parity = 'N';
    expect(messageOf(parity)).toBe(
      'bus "bus-1": parity: must be one of "none", "even", "odd" ("N" is "none" here)',
    );

    const device = base();
    const light = device.devices[0] as Record<string, unknown>;
    light.slave = light.slaveId;
    delete light.slaveId;
    light.write_type = light.writeType;
    delete light.writeType;
    const message = messageOf(device);
    expect(message).toContain('device "room-3-light": slaveId: required');
    expect(message).toContain(
      'device "room-3-light": unknown fields "slave" (this file calls it "slaveId"), "write_type" (this file calls it "writeType")',
    );
  });

  it('takes a note on any bus or device, for the installer who reads the file next', () => {
    const c = base();
    (c.buses[0] as Record<string, unknown>).note = 'USB adapter under the counter';
    (c.devices[1] as Record<string, unknown>).note = 'Waveshare board: its own timed pulse';
    expect(() => parseDevicesConfig(c)).not.toThrow();
  });

  it('binds the rooms a file names to the ids the hub knows them by, naming the entry of a stranger', () => {
    const ids = new Map([
      ['101', 'id-101'],
      ['id-101', 'id-101'],
      ['102', 'id-102'],
    ]);
    const roomOf = (r: string) => ids.get(r);
    const c = base();
    c.devices[0]!.rooms = ['101'];
    c.devices[1]!.rooms = ['102'];
    const bound = bindRooms(parseDevicesConfig(c), roomOf);
    expect(bound.devices.map((d) => d.rooms)).toEqual([['id-101'], ['id-102']]);

    c.devices[0]!.rooms = ['10l'];
    expect(() => bindRooms(parseDevicesConfig(c), roomOf, ['101 听雨', '102 观山'])).toThrow(
      'device "room-3-light" (devices[0]): rooms.0: no room "10l" in this store (its rooms: 101 听雨, 102 观山)',
    );

    // One room named twice, by number and by id: still one lock per room.
    const twice = base();
    twice.devices[0]!.rooms = ['101'];
    twice.devices[1]!.rooms = ['101'];
    twice.devices.push({
      ...(twice.devices[1] as object),
      id: 'back-door',
      address: 4,
      rooms: ['id-101'],
    } as never);
    expect(() => bindRooms(parseDevicesConfig(twice), roomOf)).toThrow(
      'device "back-door": rooms: room "id-101" already has lock "room-3-lock"',
    );
  });

  it('uses 1.75 ms above 19200 baud and an explicit frameGapMs when given', () => {
    const fast = parseDevicesConfig({
      ...base(),
      buses: [{ ...base().buses[0]!, baudRate: 115200 }],
    });
    expect(busFrameGapMs(fast.buses[0]!)).toBe(1.75);
    const set = parseDevicesConfig({ ...base(), buses: [{ ...base().buses[0]!, frameGapMs: 10 }] });
    expect(busFrameGapMs(set.buses[0]!)).toBe(10);
  });

  it('knows the RTU floor of a coil write and its echo at 9600 (11-bit characters)', () => {
    const f = { baudRate: 9600, parity: 'even', dataBits: 8, stopBits: 1 } as const;
    expect(rtuExchangeFloorMs(8, 8, f)).toBeCloseTo(26.4, 1);
  });

  it('names the device and the field of a bad value', () => {
    const c = base();
    (c.devices[0] as Record<string, unknown>).writeType = 'register';
    expect(messageOf(c)).toBe('device "room-3-light": writeType: must be "coil" or "holding"');
  });

  it('names nested fields of an AC model', () => {
    const json = {
      buses: [{ id: 'gw', kind: 'tcp', host: '10.0.0.5' }],
      devices: [
        {
          id: 'room-1-ac',
          kind: 'ac',
          bus: 'gw',
          slaveId: 10,
          model: {
            power: { address: 0 },
            mode: { address: 1, values: { cool: 1, heat: 4, fan: 3, dry: 2, auto: 0 } },
            setpoint: { address: 2, scale: 'ten' },
            fan: { address: 3, values: { auto: 0, low: 1, mid: 2, high: 3 } },
          },
        },
      ],
    };
    expect(messageOf(json)).toBe('device "room-1-ac": model.setpoint.scale: must be a number');
  });

  it('refuses an unknown kind, a missing field and a typo', () => {
    const c = base();
    (c.devices[0] as Record<string, unknown>).kind = 'lamp';
    expect(messageOf(c)).toContain('device "room-3-light": kind: must be one of "lock"');

    const missing = base();
    delete (missing.devices[1] as Record<string, unknown>).address;
    expect(messageOf(missing)).toBe('device "room-3-lock": address: required');

    const typo = base();
    (typo.devices[0] as Record<string, unknown>).writetype = 'coil';
    expect(messageOf(typo)).toContain('device "room-3-light": unknown field "writetype"');
  });

  it('names the bus of a bad bus', () => {
    const c = base();
    (c.buses[0] as Record<string, unknown>).parity = 'mark';
    expect(messageOf(c)).toBe('bus "bus-1": parity: must be one of "none", "even", "odd"');
  });

  it('cross-checks: unknown bus, duplicate ids, two writers of one address, two locks per room', () => {
    const unknownBus = base();
    unknownBus.devices[0]!.bus = 'bus-2';
    expect(messageOf(unknownBus)).toBe(
      'device "room-3-light": bus: unknown bus "bus-2" (buses: "bus-1")',
    );

    const dup = base();
    dup.devices[1]!.id = 'room-3-light';
    expect(messageOf(dup)).toContain('device "room-3-light": id: duplicate device id');

    const clash = base();
    clash.devices.push({
      id: 'corridor-light',
      kind: 'light',
      bus: 'bus-1',
      slaveId: 2,
      writeType: 'coil',
      address: 3,
    });
    expect(messageOf(clash)).toBe(
      'device "corridor-light": address: writes coil 3 on bus "bus-1" slave 2, as device "room-3-light" does',
    );

    const twoLocks = base();
    twoLocks.devices.push({
      ...(twoLocks.devices[1] as object),
      id: 'back-door',
      address: 4,
    } as never);
    expect(messageOf(twoLocks)).toBe(
      'device "back-door": rooms: room "room-3" already has lock "room-3-lock"',
    );
  });

  it('allows the same address on a coil and a register, and on different slaves', () => {
    const c = base();
    c.devices.push(
      { id: 'fan', kind: 'fresh_air', bus: 'bus-1', slaveId: 2, writeType: 'holding', address: 3 },
      { id: 'socket', kind: 'socket', bus: 'bus-1', slaveId: 3, writeType: 'coil', address: 3 },
    );
    expect(() => parseDevicesConfig(c)).not.toThrow();
  });

  it('accepts the example config shipped with the package', async () => {
    const file = fileURLToPath(new URL('../devices.example.json', import.meta.url));
    const c = await loadDevicesConfig(file);
    expect(c.devices.map((d) => d.kind)).toEqual([
      'lock',
      'light',
      'socket',
      'lock',
      'light',
      'socket',
      'fresh_air',
      'light',
      'ac',
      'ac',
      'energy_meter',
      'energy_meter',
    ]);
    // Copied onto any relay board, its doors open and are read back.
    for (const d of c.devices) {
      if (d.kind === 'lock') expect(d).toMatchObject({ pulse: 'on-off', verify: true });
    }
  });

  it('loads a file and refuses one that is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devices-config-'));
    try {
      const good = join(dir, 'devices.json');
      await writeFile(good, JSON.stringify(base()));
      expect((await loadDevicesConfig(good)).devices).toHaveLength(2);
      const bad = join(dir, 'broken.json');
      await writeFile(bad, '{ "buses": [');
      await expect(loadDevicesConfig(bad)).rejects.toThrow(/is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
