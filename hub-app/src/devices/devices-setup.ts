// Where the hub's devices come from: a devices file for real relay boards and AC gateways
// (HUB_DEVICES), or, by default, the Modbus simulator with a layout made for the store's rooms.
import { createDevices, loadDevicesConfig, type BridgeDevices } from '@roomhub/firmware-bridge';
import {
  demoDevicesConfig,
  startSimulator,
  type Simulator,
} from '@roomhub/firmware-bridge/simulator';
import type { Clock } from '@roomhub/shared-types';

/** How long the hub waits for the simulator beside it to answer one request. */
const SIMULATOR_TIMEOUT_MS = 1_000;

export type DevicesSource =
  | { kind: 'file'; path: string }
  | { kind: 'simulator'; port?: number; host?: string }
  /** Devices built by the caller (a bench on an RTU line, a test); closed by the caller. */
  | { kind: 'given'; devices: BridgeDevices; describe: string }
  | { kind: 'none' };

export interface StartedDevices {
  devices: BridgeDevices | null;
  simulator: Simulator | null;
  describe: string;
  close(): Promise<void>;
}

export async function startDevices(
  source: DevicesSource,
  roomIds: string[],
  clock: Clock,
  pollMs?: number,
): Promise<StartedDevices> {
  const opts = { clock, ...(pollMs !== undefined ? { pollMs } : {}) };
  if (source.kind === 'none')
    return { devices: null, simulator: null, describe: 'no devices', close: async () => {} };
  if (source.kind === 'given') {
    return {
      devices: source.devices,
      simulator: null,
      describe: source.describe,
      close: async () => {},
    };
  }
  if (source.kind === 'file') {
    const devices = await createDevices(await loadDevicesConfig(source.path), opts);
    return {
      devices,
      simulator: null,
      describe: `devices from ${source.path}`,
      close: () => devices.close(),
    };
  }
  const simulator = await startSimulator({
    tcp: { port: source.port ?? 0, host: source.host ?? '127.0.0.1' },
    clock,
  });
  const tcp = simulator.tcp!;
  try {
    const devices = await createDevices(
      // The simulator answers from the hub's own process, so its answers wait whenever the hub
      // is busy: a second before a read or write counts as lost (a real bus keeps its 300 ms).
      demoDevicesConfig(
        roomIds,
        { kind: 'tcp', host: tcp.host, port: tcp.port },
        { timeoutMs: SIMULATOR_TIMEOUT_MS },
      ),
      opts,
    );
    return {
      devices,
      simulator,
      describe: `Modbus simulator at ${tcp.host}:${tcp.port} (relay boards and AC gateways)`,
      async close() {
        await devices.close();
        await simulator.close();
      },
    };
  } catch (e) {
    await simulator.close();
    throw e;
  }
}
