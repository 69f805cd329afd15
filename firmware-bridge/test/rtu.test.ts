// The device scenarios over Modbus RTU at 9600 baud on a socat pseudo-terminal pair, and a short
// check of RTU over TCP through a socat "gateway". Skipped, saying why, only where socat is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevices } from '../src/bridge';
import { ROOM_IDLE } from '../src/devices';
import {
  socatAvailable,
  startPtyPair,
  startRtuTcpGateway,
  startSimulator,
  type RtuTcpGateway,
  type Simulator,
} from '../src/simulator';
import { rtuExchangeFloorMs, rtuFrameGapMs } from '../src/rtu-timing';
import { configFor, deviceSuite } from './device-suite';

const hasSocat = socatAvailable();
if (!hasSocat) {
  console.warn('socat is not installed: skipping the RTU tests (.ci/run installs it)');
}

describe.skipIf(!hasSocat)('devices over Modbus RTU at 9600 baud on a pty pair', () => {
  deviceSuite(
    async () => {
      const pty = await startPtyPair();
      const sim = await startSimulator({ rtu: { path: pty.a, baudRate: 9600 } });
      return {
        sim,
        endpoint: { kind: 'rtu', path: pty.b, baudRate: 9600 },
        close: async () => {
          await sim.close();
          await pty.close();
        },
      };
    },
    { garbage: /CRC error/ },
  );
});

describe.skipIf(!hasSocat)('the RTU line itself', () => {
  it('keeps the configured silence between frames', async () => {
    const pty = await startPtyPair();
    const sim = await startSimulator({ rtu: { path: pty.a, baudRate: 9600 } });
    const config = configFor({ kind: 'rtu', path: pty.b, baudRate: 9600 }, 'timed');
    const gapMs = 40;
    const bus = config.buses[0];
    if (bus?.kind === 'rtu') bus.frameGapMs = gapMs;
    const devices = await createDevices(config, { pollMs: 0 });
    try {
      // Light, corridor light and fresh air: three writes in a row on one slave.
      await devices.setRoomNeeds('room-a', { ...ROOM_IDLE, lights: true, freshAir: true });
      const at = sim.writes().map((w) => w.at);
      expect(at.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < at.length; i++) {
        expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(gapMs - 1);
      }
    } finally {
      await devices.close();
      await sim.close();
      await pty.close();
    }
  });
});

describe.skipIf(!hasSocat)('the simulator on a pty with wire time', () => {
  it('answers no sooner than the frames would take on a 9600 baud line', async () => {
    const pty = await startPtyPair();
    const sim = await startSimulator({ rtu: { path: pty.a, baudRate: 9600, wireTime: true } });
    const devices = await createDevices(
      configFor({ kind: 'rtu', path: pty.b, baudRate: 9600 }, 'timed'),
      { pollMs: 0 },
    );
    try {
      await devices.openDoor('room-a'); // connects
      const t0 = performance.now();
      await devices.openDoor('room-b');
      const line = { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 } as const;
      // The master's own end-of-answer silence is not waited for (answers are framed by length).
      const least = rtuExchangeFloorMs(8, 8, line) - rtuFrameGapMs(line);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(least - 1);
    } finally {
      await devices.close();
      await sim.close();
      await pty.close();
    }
  });
});

describe.skipIf(!hasSocat)('devices over RTU-over-TCP (a transparent serial gateway)', () => {
  let gateway: RtuTcpGateway;
  let sim: Simulator;
  beforeAll(async () => {
    gateway = await startRtuTcpGateway();
    sim = await startSimulator({ rtu: { path: gateway.ptyPath, baudRate: 9600 } });
  });
  afterAll(async () => {
    await sim?.close();
    await gateway?.close();
  });

  it('carries raw RTU frames: door pulse, lights and AC', async () => {
    const config = configFor(
      { kind: 'rtu-over-tcp', host: gateway.host, port: gateway.port },
      'timed',
    );
    const devices = await createDevices(config, { pollMs: 0 });
    try {
      await devices.openDoor('room-a');
      expect(sim.coil(1, 0)).toBe(true);
      await devices.setRoomNeeds('room-b', {
        ...ROOM_IDLE,
        lights: true,
        ac: { power: true, mode: 'heat', setpoint: 21, fan: 'low' },
      });
      expect(sim.coil(2, 1)).toBe(true);
      expect(sim.coil(2, 7)).toBe(true);
      expect(sim.registers(11, 0, 4)).toEqual([1, 4, 210, 1]);
      expect(devices.health().buses[0]).toMatchObject({
        kind: 'rtu-over-tcp',
        ok: true,
        errors: 0,
      });
    } finally {
      await devices.close();
    }
  });
});
