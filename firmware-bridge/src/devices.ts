// What the hub may ask of a store's devices, in capabilities, never in registers. The session
// service speaks only this; the bridge turns it into Modbus frames for the configured boards.
// This module knows nothing of bookings.
import type { BusKind, DeviceKind } from '@roomhub/shared-types';

export type { BusKind, DeviceKind };

export type AcMode = 'cool' | 'heat' | 'fan' | 'dry' | 'auto';
export type AcFan = 'auto' | 'low' | 'mid' | 'high';

export interface AcSetting {
  power: boolean;
  mode: AcMode;
  /** Degrees Celsius, e.g. 26. */
  setpoint: number;
  fan: AcFan;
}

/** What one room needs right now. A shared device is on when any of its rooms needs it. */
export interface RoomNeeds {
  lights: boolean;
  sockets: boolean;
  freshAir: boolean;
  /** null: the AC is off. */
  ac: AcSetting | null;
}

export const ROOM_IDLE: RoomNeeds = { lights: false, sockets: false, freshAir: false, ac: null };

export interface DeviceHealth {
  deviceId: string;
  kind: DeviceKind;
  busId: string;
  rooms: string[];
  ok: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  errors: number;
}

export interface BusHealth {
  busId: string;
  kind: BusKind;
  ok: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  errors: number;
  requests: number;
  retries: number;
}

export interface DeviceState {
  deviceId: string;
  kind: DeviceKind;
  rooms: string[];
  /** What the bridge is driving the device to: on/off, or the AC setting. */
  desired: boolean | AcSetting | null;
  /** What the device last confirmed (read back or echoed); null when unknown. */
  actual: boolean | AcSetting | null;
  /** A staff override in force, if any. */
  override: boolean | null;
  /** Current temperature where the AC gateway reports it, °C. */
  temperature?: number | null;
  /** Door contact for locks that have one: true = closed. */
  doorClosed?: boolean | null;
}

export interface ScanEvent {
  text: string;
  source: 'serial' | 'hid' | 'keyboard';
  /** Which scanner, e.g. the serial port path or the HID product name. */
  device: string;
  at: number;
}

export type DevicesEvent =
  | { type: 'state'; state: DeviceState }
  | { type: 'health'; device: DeviceHealth }
  | { type: 'door'; roomId: string; closed: boolean }
  | { type: 'scan'; scan: ScanEvent };

export interface Devices {
  /** Pulses a room's lock; resolves once the board confirmed the relay, rejects if it could not. */
  openDoor(roomId: string): Promise<{ deviceId: string; confirmedAt: number }>;
  /** Declares what a room needs; every affected device is driven to the OR over its rooms. */
  setRoomNeeds(roomId: string, needs: RoomNeeds): Promise<void>;
  /** Staff override of one switchable device until cleared with null (lights, sockets, fresh air, AC power). */
  setOverride(deviceId: string, on: boolean | null): Promise<void>;
  /** Writes every device to its desired state again: at boot, after a bus fault or a relay reset. */
  reconcile(): Promise<void>;
  states(): DeviceState[];
  health(): { buses: BusHealth[]; devices: DeviceHealth[] };
  /** Rooms that have a lock configured. */
  roomsWithLock(): string[];
  subscribe(fn: (e: DevicesEvent) => void): () => void;
  close(): Promise<void>;
}
