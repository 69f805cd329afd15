// Energy meters against the simulator, over Modbus TCP and over RTU on a socat pty pair: the
// bridge reads each meter's live power and its counter, the counter only grows while the room's
// light and AC draw, and a door still opens at once while every meter of a full store is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevices, type BridgeDevices } from '../src/bridge';
import { ROOM_IDLE, type MeterReading } from '../src/devices';
import {
  demoDevicesConfig,
  DEMO_MAX_ROOMS,
  DEMO_METER_BASE,
  SIMULATED_LOADS,
  socatAvailable,
  startPtyPair,
  startSimulator,
  type Simulator,
  type SimulatorEndpoint,
} from '../src/simulator';

const hasSocat = socatAvailable();
const ROOMS = ['room-a', 'room-b'];
const HOUR = 3_600_000;

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
  const sim = await startSimulator({ tcp: { port: 0 }, clock });
  const { host, port } = sim.tcp!;
  return { sim, clock, endpoint: { kind: 'tcp', host, port }, close: () => sim.close() };
}

async function rtuRig(wireTime = false): Promise<Rig> {
  const clock = manualClock();
  const pty = await startPtyPair();
  const sim = await startSimulator({ rtu: { path: pty.a, baudRate: 9600, wireTime }, clock });
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

const meterOf = (devices: BridgeDevices, room: string): MeterReading | null | undefined =>
  devices.states().find((s) => s.kind === 'energy_meter' && s.rooms.includes(room))?.meter;

function meterSuite(makeRig: () => Promise<Rig>): void {
  let rig: Rig;
  let devices: BridgeDevices;
  beforeAll(async () => {
    rig = await makeRig();
    devices = await createDevices(demoDevicesConfig(ROOMS, rig.endpoint, { timeoutMs: 300 }), {
      pollMs: 0,
      clock: rig.clock,
    });
  });
  afterAll(async () => {
    await devices.close();
    await rig.close();
  });

  it('reads live power and the counter, which grows with what the room draws', async () => {
    await devices.pollNow();
    const idle = meterOf(devices, 'room-a')!;
    expect(idle.voltage).toBeCloseTo(220, 3);
    expect(idle.powerW).toBeCloseTo(SIMULATED_LOADS.standby, 1);
    expect(idle.energyKwh).toBeCloseTo(1000 + DEMO_METER_BASE, 2);

    await devices.setRoomNeeds('room-a', {
      ...ROOM_IDLE,
      lights: true,
      ac: { power: true, mode: 'cool', setpoint: 24, fan: 'auto' },
    });
    rig.clock.t += HOUR;
    await devices.pollNow();
    const busy = meterOf(devices, 'room-a')!;
    const watts = SIMULATED_LOADS.standby + SIMULATED_LOADS.light + SIMULATED_LOADS.acRunning;
    expect(busy.powerW).toBeCloseTo(watts, 1);
    expect(busy.current).toBeCloseTo(watts / 220, 3);
    // An hour at the room's full load, counted by the meter itself.
    expect(busy.energyKwh - idle.energyKwh).toBeCloseTo(watts / 1000, 2);
    expect(busy.readAt).toBe(rig.clock.t);
    // The other room drew its standby alone.
    const other = meterOf(devices, 'room-b')!;
    expect(other.powerW).toBeCloseTo(SIMULATED_LOADS.standby, 1);
    expect(other.energyKwh - (1000 + DEMO_METER_BASE + 1)).toBeCloseTo(
      SIMULATED_LOADS.standby / 1000,
      2,
    );
  });

  it('never counts backwards: a power cut of the relay boards leaves the counter as it was', async () => {
    let last = meterOf(devices, 'room-a')!.energyKwh;
    for (let i = 0; i < 6; i++) {
      await devices.setRoomNeeds('room-a', { ...ROOM_IDLE, lights: i % 2 === 0 });
      if (i === 3) rig.sim.powerCut();
      rig.clock.t += 10 * 60_000;
      await devices.pollNow();
      const now = meterOf(devices, 'room-a')!.energyKwh;
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
    expect(rig.sim.meter(DEMO_METER_BASE).energyKwh).toBeCloseTo(last, 2);
  });

  it('is only read: a meter cannot be switched by hand', async () => {
    await expect(devices.setOverride('room-a-meter', true)).rejects.toThrow(/only read/);
    expect(rig.sim.writes().filter((w) => w.slaveId >= DEMO_METER_BASE)).toEqual([]);
  });
}

describe('energy meters over Modbus TCP', () => {
  meterSuite(() => tcpRig());
});

describe.skipIf(!hasSocat)('energy meters over Modbus RTU at 9600 baud on a pty pair', () => {
  meterSuite(() => rtuRig());

  it('opens a door at once while every meter of a full store waits to be read', async () => {
    // Wire time on: each read takes as long as at 9600 baud, so the queue is really long.
    const rig = await rtuRig(true);
    const rooms = Array.from({ length: DEMO_MAX_ROOMS }, (_, i) => `room-${i + 1}`);
    const devices = await createDevices(
      demoDevicesConfig(rooms, rig.endpoint, { timeoutMs: 500, pulseMs: 300 }),
      { pollMs: 0, clock: rig.clock },
    );
    try {
      const polling = devices.pollNow();
      const started = performance.now();
      await new Promise((r) => setTimeout(r, 20)); // the poll's reads are queued by now
      const opened = performance.now();
      await devices.openDoor('room-24');
      const doorMs = performance.now() - opened;
      await polling;
      const pollMs = performance.now() - started;
      // The door went ahead of the meters' reads: two exchanges on the wire, not the whole queue.
      expect(doorMs).toBeLessThan(pollMs / 4);
      expect(meterOf(devices, 'room-24')?.energyKwh).toBeCloseTo(1000 + DEMO_METER_BASE + 23, 2);
    } finally {
      await devices.close();
      await rig.close();
    }
  }, 30_000);
});
