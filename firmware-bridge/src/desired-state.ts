// What each device should be doing, from the rooms' needs and staff overrides, and whether what it
// reports matches that. Pure: it reads a device's runtime and the rooms' needs, changes nothing,
// and never looks at bookings; a lock's only wanted state is its pulse.
import { switchValues, type SwitchConfig } from './config';
import type { AcSetting, RoomNeeds } from './devices';
import { isPulsing, type Runtime } from './device-runtime';

/** What an AC is set to when staff switch it on and no room has asked for a setting yet. */
export const DEFAULT_AC_SETTING: AcSetting = {
  power: true,
  mode: 'auto',
  setpoint: 26,
  fan: 'auto',
};

const NEED_OF = { light: 'lights', socket: 'sockets', fresh_air: 'freshAir' } as const;

export function desired(
  rt: Runtime,
  needs: ReadonlyMap<string, RoomNeeds>,
): boolean | AcSetting | null {
  const cfg = rt.cfg;
  switch (cfg.kind) {
    case 'lock':
      return isPulsing(rt);
    case 'energy_meter':
    case 'speaker':
      return null;
    case 'ac': {
      if (rt.override === false) return null;
      // Several rooms on one AC: the first room in the device's list that wants it wins.
      for (const room of cfg.rooms) {
        const ac = needs.get(room)?.ac;
        if (ac?.power) return { ...ac, power: true };
      }
      if (rt.override === true) return { ...(rt.lastAc ?? DEFAULT_AC_SETTING), power: true };
      return null;
    }
    default: {
      if (rt.override !== null) return rt.override;
      const need = NEED_OF[cfg.kind];
      return cfg.rooms.some((room) => needs.get(room)?.[need] === true);
    }
  }
}

export function matches(rt: Runtime, want: boolean | AcSetting | null): boolean {
  const actual = rt.actual;
  if (rt.cfg.kind !== 'ac') return actual === want;
  if (actual === null || typeof actual === 'boolean') return false;
  if (want === null || typeof want === 'boolean') return !actual.power;
  const scale = rt.cfg.model.setpoint.scale;
  return (
    actual.power &&
    actual.mode === want.mode &&
    actual.fan === want.fan &&
    Math.round(actual.setpoint * scale) === Math.round(want.setpoint * scale)
  );
}

/** A switch's coil or register as on or off; null when it holds neither configured value. */
export function decodeSwitch(rt: Runtime, v: boolean | number | undefined): boolean | null {
  const cfg = rt.cfg as SwitchConfig;
  const { on, off } = switchValues(cfg);
  const value = cfg.writeType === 'coil' ? Boolean(v) : Number(v);
  if (value === on) return true;
  if (value === off) return false;
  return null;
}
