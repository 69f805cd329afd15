// Room speakers against the simulator's voice modules, over Modbus TCP and over RTU on a socat pty
// pair: the bridge sets the volume and plays the stored clip asked for, the module's status reads
// playing, a room without a speaker is left alone, and a module that does not answer is a device
// fault in the health report while the room's other devices carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevices, DeviceWriteError, type BridgeDevices } from '../src/bridge';
import { parseDevicesConfig } from '../src/config';
import { encodeVolume } from '../src/speaker-registers';
import {
  demoDevicesConfig,
  DEMO_SPEAKER_BASE,
  DEMO_SPEAKER_SLOTS,
  socatAvailable,
  startPtyPair,
  startSimulator,
  type Simulator,
  type SimulatorEndpoint,
} from '../src/simulator';

const hasSocat = socatAvailable();
const ROOMS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];

interface Rig {
  sim: Simulator;
  endpoint: SimulatorEndpoint;
  clock: { now(): number; t: number };
  close(): Promise<void>;
}

const manualClock = () => {
  const c = { t: Date.parse('2026-11-23T02:00:00Z'), now: () => c.t };
  return c;
};

async function tcpRig(): Promise<Rig> {
  const clock = manualClock();
  const sim = await startSimulator({ tcp: { port: 0 }, clock, clipMs: 3000 });
  const { host, port } = sim.tcp!;
  return { sim, clock, endpoint: { kind: 'tcp', host, port }, close: () => sim.close() };
}

async function rtuRig(): Promise<Rig> {
  const clock = manualClock();
  const pty = await startPtyPair();
  const sim = await startSimulator({ rtu: { path: pty.a, baudRate: 9600 }, clock, clipMs: 3000 });
  return {
    sim,
    clock,
    endpoint: { kind: 'rtu', path: pty.b, baudRate: 9600 },
    close: async () => {
      await sim.close();
      await pty.close();
    },
  };
}

function speakerSuite(makeRig: () => Promise<Rig>): void {
  let rig: Rig;
  let devices: BridgeDevices;

  beforeAll(async () => {
    rig = await makeRig();
    devices = await createDevices(
      demoDevicesConfig(ROOMS, rig.endpoint, { timeoutMs: 800, retries: 0 }),
      { clock: rig.clock, pollMs: 0 },
    );
  });
  afterAll(async () => {
    await devices?.close();
    await rig?.close();
  });

  it('the demo layout puts speakers in the first rooms of a bank only', () => {
    expect(devices.roomsWithSpeaker().sort()).toEqual(ROOMS.slice(0, DEMO_SPEAKER_SLOTS));
  });

  it('plays the clip asked for at the volume asked for, and reads it playing', async () => {
    const played = await devices.announce('r1', 2, 50);
    expect(played.map((p) => p.deviceId)).toEqual(['r1-speaker']);
    expect(rig.sim.played(DEMO_SPEAKER_BASE)).toEqual([
      { clip: 2, volume: encodeVolume(50, 30), at: rig.clock.t },
    ]);
    expect(rig.sim.registers(DEMO_SPEAKER_BASE, 0, 4)).toEqual([15, 0, 1, 2]);
    const state = devices.states().find((s) => s.deviceId === 'r1-speaker');
    expect(state).toMatchObject({ kind: 'speaker', actual: true, desired: null });

    // When the clip is over a poll reads the module idle.
    rig.clock.t += 3001;
    await devices.pollNow();
    expect(devices.states().find((s) => s.deviceId === 'r1-speaker')?.actual).toBe(false);
  });

  it('a room without a speaker is left alone: nothing is written', async () => {
    rig.sim.clearWrites();
    expect(await devices.announce('r5', 1, 70)).toEqual([]);
    expect(rig.sim.writes()).toEqual([]);
  });

  it('a clip number a module cannot hold is refused before anything is sent', async () => {
    rig.sim.clearWrites();
    await expect(devices.announce('r1', 0, 70)).rejects.toThrow(/1 to 255/);
    await expect(devices.announce('r1', 256, 70)).rejects.toThrow(/1 to 255/);
    expect(rig.sim.writes()).toEqual([]);
  });

  it('a module that does not answer is reported in the health, and the room still switches', async () => {
    rig.sim.fault(DEMO_SPEAKER_BASE + 1, 'timeout');
    try {
      const err = await devices.announce('r2', 1, 70).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceWriteError);
      expect((err as DeviceWriteError).failures[0]?.deviceId).toBe('r2-speaker');
      const health = devices.health().devices.find((d) => d.deviceId === 'r2-speaker');
      expect(health).toMatchObject({ kind: 'speaker', ok: false });
      await devices.setRoomNeeds('r2', { lights: true, sockets: false, freshAir: false, ac: null });
      expect(devices.states().find((s) => s.deviceId === 'r2-light')?.actual).toBe(true);
    } finally {
      rig.sim.fault(DEMO_SPEAKER_BASE + 1, null);
    }
    await devices.announce('r2', 1, 70);
    expect(devices.health().devices.find((d) => d.deviceId === 'r2-speaker')?.ok).toBe(true);
  });
}

describe('speakers over Modbus TCP', () => speakerSuite(tcpRig));
describe.skipIf(!hasSocat)('speakers over RTU on a pty pair', () => speakerSuite(rtuRig));

describe('speaker config', () => {
  const bus = { id: 'b', kind: 'tcp', host: 'h' } as const;
  it('takes the common register map unless the file names others', () => {
    const c = parseDevicesConfig({
      buses: [bus],
      devices: [{ id: 's', kind: 'speaker', bus: 'b', slaveId: 5, rooms: ['x'] }],
    });
    expect(c.devices[0]).toMatchObject({
      registers: { volume: 0, play: 1, status: 2 },
      maxVolume: 30,
      busyValue: 1,
    });
  });
  it('refuses a speaker writing the register another device writes', () => {
    expect(() =>
      parseDevicesConfig({
        buses: [bus],
        devices: [
          { id: 's', kind: 'speaker', bus: 'b', slaveId: 5 },
          { id: 'l', kind: 'light', bus: 'b', slaveId: 5, writeType: 'holding', address: 1 },
        ],
      }),
    ).toThrow(/writes register 1 on bus "b" slave 5, as device "s" does/);
  });
});
