// An AC gateway's registers: a setting written as the model maps it (power, mode, set-point with
// its scale, fan) and read back into a setting, or null when a register holds a value the model
// does not map. Pure.
import type { AcConfig } from './config';
import type { AcFan, AcMode, AcSetting } from './devices';

export function encodeSetpoint(celsius: number, scale: number): number {
  const raw = Math.round(celsius * scale);
  if (raw < 0 || raw > 0xffff)
    throw new RangeError(`set-point ${celsius} °C does not fit a register`);
  return raw;
}

/** The setting the registers hold, or null if a register holds a value the model does not map. */
export function decodeAc(cfg: AcConfig, regs: Map<number, number>): AcSetting | null {
  const m = cfg.model;
  const power = regs.get(m.power.address);
  const mode = lookup(m.mode.values, regs.get(m.mode.address)) as AcMode | undefined;
  const fan = lookup(m.fan.values, regs.get(m.fan.address)) as AcFan | undefined;
  const setpoint = regs.get(m.setpoint.address);
  if (power === undefined || setpoint === undefined || !mode || !fan) return null;
  if (power !== m.power.on && power !== m.power.off) return null;
  return { power: power === m.power.on, mode, setpoint: setpoint / m.setpoint.scale, fan };
}

function lookup(values: Record<string, number>, raw: number | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return Object.entries(values).find(([, v]) => v === raw)?.[0];
}

export function describeAc(s: AcSetting | null): string {
  if (!s || !s.power) return 'off';
  return `${s.mode} ${s.setpoint} °C fan ${s.fan}`;
}

/** A register read as a signed 16-bit value (a temperature below zero). */
export function toSigned16(v: number): number {
  return v >= 0x8000 ? v - 0x10000 : v;
}
