// A lock as an installer writes it for a board the bridge knows nothing of: no pulse, no verify.
// It must open with plain on-off writes, and a board that echoes the write without switching the
// relay (a vendor command it lacks, the wrong coil) must show as a failed open, not a success.
import { afterEach, describe, expect, it } from 'vitest';
import { createDevices, type BridgeDevices } from '../src/bridge';
import { parseDevicesConfig } from '../src/config';
import { startSimulator, type Simulator } from '../src/simulator';

let sim: Simulator | null = null;
let devices: BridgeDevices | null = null;
afterEach(async () => {
  await devices?.close();
  devices = null;
  await sim?.close();
  sim = null;
});

async function lockOnBoard(): Promise<{ sim: Simulator; devices: BridgeDevices }> {
  sim = await startSimulator({ tcp: { port: 0 } });
  const { host, port } = sim.tcp!;
  devices = await createDevices(
    parseDevicesConfig({
      buses: [{ id: 'rs485-1', kind: 'tcp', host, port, timeoutMs: 800, retries: 0 }],
      devices: [
        // What a copied file says of a lock when nobody told the installer about pulses.
        {
          id: 'door-101',
          kind: 'lock',
          bus: 'rs485-1',
          slaveId: 1,
          rooms: ['101'],
          address: 2,
          pulseMs: 300,
        },
      ],
    }),
    { pollMs: 0 },
  );
  return { sim, devices };
}

describe('a lock on a generic relay board, as written with the defaults', () => {
  it('opens with the relay on, then off: no vendor command', async () => {
    const { sim, devices } = await lockOnBoard();
    await devices.openDoor('101');
    expect(sim.coil(1, 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.coil(1, 2)).toBe(false);
  });

  it('fails the open when the board echoed the write but the relay did not switch', async () => {
    const { sim, devices } = await lockOnBoard();
    sim.fault(1, 'ignore-writes');
    await expect(devices.openDoor('101')).rejects.toThrow(/door-101/);
  });

  it('waits for the read-back only until the relay has once read on, and again after it did not', async () => {
    const { sim, devices } = await lockOnBoard();
    await devices.openDoor('101'); // the first open reads the relay back before it answers
    await new Promise((r) => setTimeout(r, 400)); // the pulse ends
    // A later open answers on the write's echo: a board that stopped switching is not seen then...
    sim.fault(1, 'ignore-writes');
    await expect(devices.openDoor('101')).resolves.toMatchObject({ deviceId: 'door-101' });
    // ... but the read a moment behind it is, and the next open waits for its read again.
    await new Promise((r) => setTimeout(r, 200));
    await expect(devices.openDoor('101')).rejects.toThrow(/door-101/);
  });
});

describe('probe, for checking a device file before use', () => {
  it('reads each device once, says which did not answer, and writes nothing', async () => {
    const { sim, devices } = await lockOnBoard();
    sim.setCoil(1, 2, true);
    const [lock] = await devices.probe();
    expect(lock).toEqual({
      deviceId: 'door-101',
      values: [{ table: 'coil', address: 2, value: true }],
    });
    sim.fault(1, 'timeout');
    const [silent] = await devices.probe(['door-101']);
    expect(silent?.error).toMatch(/timeout/);
    expect(sim.writes()).toEqual([]);
  });
});
