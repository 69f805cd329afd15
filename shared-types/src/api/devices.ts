// The device API (O8, S4): what every device should do and confirmed, bus health, and a staff
// override. The bridge reports in these shapes; the hub passes them on.
import { z } from 'zod';
import type { BusKind, DeviceKind } from '../devices/device-kinds';
import type { AcFanSchema, AcModeSchema } from '../booking/booking-rules';

export const DeviceOverrideSchema = z.object({
  /** true / false switches the device by hand; null gives it back to the sessions. */
  on: z.boolean().nullable(),
  reason: z.string().trim().min(1, 'say why the device is switched by hand').max(200),
});

export type AcMode = z.infer<typeof AcModeSchema>;
export type AcFan = z.infer<typeof AcFanSchema>;

export interface AcSetting {
  power: boolean;
  mode: AcMode;
  /** Degrees Celsius, e.g. 26. */
  setpoint: number;
  fan: AcFan;
}

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
  /** An energy meter's last reading; null until it has answered. */
  meter?: MeterReading | null;
}

/** What an energy meter last answered: live values and its total counter. */
export interface MeterReading {
  /** Volts. */
  voltage: number;
  /** Amperes. */
  current: number;
  /** Active power now, watts (what the room draws). */
  powerW: number;
  /** The meter's total active energy counter, kWh: it only grows, unless the meter is reset or replaced. */
  energyKwh: number;
  /** When it was read, from the bridge's clock. */
  readAt: number;
}

/** A code read by a scanner: a voucher at the counter, a door QR at a room. */
export interface ScanEvent {
  text: string;
  source: 'serial' | 'hid' | 'keyboard';
  /** Which scanner, e.g. the serial port path or the HID product name. */
  device: string;
  at: number;
}

/** The health line a scanner reports to the hub. */
export interface ScannerStatus {
  /** The same name the scanner's ScanEvents carry, e.g. the serial port path. */
  device: string;
  source: ScanEvent['source'];
  ok: boolean;
  /** "connected", or what went wrong and when the next attempt is. */
  message: string;
  /** When this status began, from the injected clock. */
  since: number;
}
