// A realistic device layout for N rooms against the simulator: what `npm start` and the tests
// drive. Owns the demo wiring plan only; it must never be used for a real store's config.
import { parseDevicesConfig, type DevicesConfig, type DevicesConfigInput } from '../config';
import { FLASH_ON_BASE, SIMULATED_AC_MODEL } from './slaves';

export type SimulatorEndpoint =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'rtu'; path: string; baudRate?: number }
  | { kind: 'rtu-over-tcp'; host: string; port: number };

export interface DemoOptions {
  /** Default 'timed': the simulated board is a Waveshare relay, which times the pulse itself. */
  lockPulse?: 'timed' | 'on-off';
  /** Default 1000 ms. */
  pulseMs?: number;
  timeoutMs?: number;
  retries?: number;
}

/** Rooms per bank of two relay boards: relays 0-5 for rooms, 6 fresh air, 7 corridor light. */
const ROOMS_PER_BANK = 6;
/** Room i's energy meter answers at this slave id plus i. */
export const DEMO_METER_BASE = 40;
/** Room i's speaker (a voice-broadcast module) answers at this slave id plus i. */
export const DEMO_SPEAKER_BASE = 70;
/** The first four rooms of each bank have a speaker; the other two show a room without one. */
export const DEMO_SPEAKER_SLOTS = 4;
const BANKS = 4;
export const DEMO_MAX_ROOMS = ROOMS_PER_BANK * BANKS;
export const DEMO_BUS_ID = 'bus-1';

/**
 * Room i (0-based) in bank b = floor(i / 6), slot j = i % 6:
 * - lock: slave 1 + 2b, relay j, the board's own timed pulse (Waveshare's flash-on command, which
 *   the simulated board has and a generic board lacks); door contact on the board's input j;
 * - light: slave 2 + 2b, relay j;
 * - fresh air for the bank: slave 2 + 2b, relay 6;
 * - corridor light, shared by every room: slave 2, relay 7;
 * - AC: gateway at slave 10 + i (the simulator's register map);
 * - energy meter (DDSU666-style) on the room's circuit: slave 40 + i;
 * - speaker (a voice-broadcast module) in the first four rooms of each bank: slave 70 + i.
 * With up to six rooms that is: locks on slave 1, lights on slave 2, ACs on 10, 11, ...
 */
export function demoDevicesConfig(
  roomIds: string[],
  endpoint: SimulatorEndpoint,
  opts: DemoOptions = {},
): DevicesConfig {
  if (roomIds.length > DEMO_MAX_ROOMS) {
    throw new RangeError(`the demo layout has room for ${DEMO_MAX_ROOMS} rooms`);
  }
  const timing = { timeoutMs: opts.timeoutMs ?? 300, retries: opts.retries ?? 2 };
  const bus: DevicesConfigInput['buses'][number] =
    endpoint.kind === 'rtu'
      ? {
          id: DEMO_BUS_ID,
          kind: 'rtu',
          path: endpoint.path,
          baudRate: endpoint.baudRate ?? 9600,
          ...timing,
        }
      : {
          id: DEMO_BUS_ID,
          kind: endpoint.kind,
          host: endpoint.host,
          port: endpoint.port,
          ...timing,
        };

  const devices: DevicesConfigInput['devices'] = [];
  roomIds.forEach((room, i) => {
    const bank = Math.floor(i / ROOMS_PER_BANK);
    const slot = i % ROOMS_PER_BANK;
    devices.push(
      {
        id: `${room}-lock`,
        kind: 'lock',
        bus: DEMO_BUS_ID,
        slaveId: 1 + 2 * bank,
        rooms: [room],
        address: slot,
        ...(opts.lockPulse === 'on-off'
          ? { pulse: 'on-off' as const }
          : {
              note: "Waveshare's own timed pulse (flash on), a vendor extension: the simulator has it",
              pulse: 'timed' as const,
              pulseBase: FLASH_ON_BASE,
            }),
        pulseMs: opts.pulseMs ?? 1000,
        contact: { address: slot, input: 'discrete', closedValue: true },
      },
      {
        id: `${room}-light`,
        kind: 'light',
        bus: DEMO_BUS_ID,
        slaveId: 2 + 2 * bank,
        rooms: [room],
        writeType: 'coil',
        address: slot,
      },
      {
        id: `${room}-ac`,
        kind: 'ac',
        bus: DEMO_BUS_ID,
        slaveId: 10 + i,
        rooms: [room],
        model: SIMULATED_AC_MODEL,
      },
      {
        id: `${room}-meter`,
        kind: 'energy_meter',
        bus: DEMO_BUS_ID,
        slaveId: DEMO_METER_BASE + i,
        rooms: [room],
      },
    );
    if (slot < DEMO_SPEAKER_SLOTS) {
      devices.push({
        id: `${room}-speaker`,
        kind: 'speaker',
        bus: DEMO_BUS_ID,
        slaveId: DEMO_SPEAKER_BASE + i,
        rooms: [room],
      });
    }
  });
  for (let bank = 0; bank * ROOMS_PER_BANK < roomIds.length; bank++) {
    devices.push({
      id: `fresh-air-${bank + 1}`,
      kind: 'fresh_air',
      bus: DEMO_BUS_ID,
      slaveId: 2 + 2 * bank,
      rooms: roomIds.slice(bank * ROOMS_PER_BANK, (bank + 1) * ROOMS_PER_BANK),
      writeType: 'coil',
      address: 6,
    });
  }
  if (roomIds.length > 0) {
    devices.push({
      id: 'corridor-light',
      kind: 'light',
      bus: DEMO_BUS_ID,
      slaveId: 2,
      rooms: [...roomIds],
      writeType: 'coil',
      address: 7,
    });
  }
  return parseDevicesConfig({ buses: [bus], devices });
}

/** What the simulated meter of room i measures, as the demo layout wires it: its light and AC. */
export interface MeterWiring {
  slaveId: number;
  lights: { slaveId: number; relay: number }[];
  acs: number[];
}

export function demoMeterWiring(roomIndex: number): MeterWiring {
  const bank = Math.floor(roomIndex / ROOMS_PER_BANK);
  return {
    slaveId: DEMO_METER_BASE + roomIndex,
    lights: [{ slaveId: 2 + 2 * bank, relay: roomIndex % ROOMS_PER_BANK }],
    acs: [10 + roomIndex],
  };
}
