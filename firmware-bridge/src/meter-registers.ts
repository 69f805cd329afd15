// A DDSU666-style single-phase energy meter's registers, and reading them into a `MeterReading`.
// Pure: it must never open a port or remember a reading.
//
// The map is Chint's DDSU666 communication table, as the OpenEMS meter driver
// (io.openems.edge.meter.chint.ddsu666) and Tasmota's Modbus energy template read it: each value
// an IEEE-754 single-precision float in two registers, high word first and each word big-endian
// (byte order ABCD), at
//   0x2000 voltage (V), 0x2002 current (A), 0x2004 active power (kW),
//   0x4000 total active energy (kWh), the counter that only grows.
// Chint's manual reads them with function 03 (holding registers); Tasmota's template uses 04, and
// meters answer both, so the device file may choose (`table`).
import type { MeterReading } from './devices';

export const DDSU666 = {
  voltage: 0x2000,
  current: 0x2002,
  power: 0x2004,
  energy: 0x4000,
} as const;

/** Every register a reading needs: the live block (one read) and the counter (another). */
export const METER_REGISTERS: readonly number[] = [
  DDSU666.voltage,
  DDSU666.voltage + 1,
  DDSU666.current,
  DDSU666.current + 1,
  DDSU666.power,
  DDSU666.power + 1,
  DDSU666.energy,
  DDSU666.energy + 1,
];

/** Two registers, high word first, as one float (ABCD). */
export function decodeFloat(high: number, low: number): number {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(high & 0xffff, 0);
  b.writeUInt16BE(low & 0xffff, 2);
  return b.readFloatBE(0);
}

/** A float as the two registers a meter holds it in, high word first. */
export function encodeFloat(value: number): [number, number] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value, 0);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

/**
 * The reading the registers hold, or null when one is missing or not a number a meter can show
 * (a negative or non-finite counter is a misread, never a reading).
 */
export function decodeMeter(regs: Map<number, number>, readAt: number): MeterReading | null {
  const value = (address: number): number | null => {
    const high = regs.get(address);
    const low = regs.get(address + 1);
    if (high === undefined || low === undefined) return null;
    const v = decodeFloat(high, low);
    return Number.isFinite(v) ? v : null;
  };
  const voltage = value(DDSU666.voltage);
  const current = value(DDSU666.current);
  const kw = value(DDSU666.power);
  const energyKwh = value(DDSU666.energy);
  if (voltage === null || current === null || kw === null || energyKwh === null) return null;
  if (energyKwh < 0) return null;
  return { voltage, current, powerW: Math.round(kw * 1000 * 10) / 10, energyKwh, readAt };
}
