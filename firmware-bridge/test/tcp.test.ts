// The device scenarios over Modbus TCP, and reconnecting after the link drops.
import { describe, expect, it } from 'vitest';
import { createDevices } from '../src/bridge';
import { ROOM_IDLE } from '../src/devices';
import { startSimulator } from '../src/simulator';
import { configFor, deviceSuite } from './device-suite';

describe('devices over Modbus TCP', () => {
  deviceSuite(
    async () => {
      const sim = await startSimulator({ tcp: { port: 0 } });
      const tcp = sim.tcp!;
      return {
        sim,
        endpoint: { kind: 'tcp', host: tcp.host, port: tcp.port },
        close: () => sim.close(),
      };
    },
    { garbage: /malformed answer/ },
  );

  it('reconnects when the gateway comes back', async () => {
    const first = await startSimulator({ tcp: { port: 0 } });
    const { host, port } = first.tcp!;
    const devices = await createDevices(configFor({ kind: 'tcp', host, port }, 'timed'), {
      pollMs: 0,
    });
    try {
      await devices.openDoor('room-a');
      await first.close();
      await expect(devices.openDoor('room-b')).rejects.toThrow(/bus "bus-1"/);
      expect(devices.health().buses[0]?.ok).toBe(false);

      const second = await startSimulator({ tcp: { port, host } });
      try {
        // Connect attempts are spaced (one per second), so the first try may still be refused.
        const deadline = performance.now() + 3000;
        for (;;) {
          try {
            await devices.setRoomNeeds('room-b', { ...ROOM_IDLE, lights: true });
            break;
          } catch (e) {
            if (performance.now() > deadline) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        expect(second.coil(2, 1)).toBe(true);
        expect(devices.health().buses[0]?.ok).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      await devices.close();
    }
  });
});
