// How one device is brought to a wanted state on its board: the frames for a switch, a lock's
// release and an AC gateway's setting, then, where the device is configured to verify, the
// read-back that shows the board took them. It updates `actual` only from what was echoed or read
// back, and never decides what is wanted (desired-state.ts) or when to write (the bridge does).
import type { RequestOptions } from './bus';
import { switchValues, type AcConfig } from './config';
import type { AcSetting } from './devices';
import type { Runtime } from './device-runtime';
import { decodeSwitch, DEFAULT_AC_SETTING, matches } from './desired-state';
import { decodeAc, describeAc, encodeSetpoint } from './ac-registers';
import { contiguous, MAX_RUN } from './read-plan';

/** Writes `want` to the device's board; `force` rewrites every AC register, changed or not. */
export async function apply(
  rt: Runtime,
  want: boolean | AcSetting | null,
  force: boolean,
): Promise<void> {
  const cfg = rt.cfg;
  // A lock's release goes ahead of polls and settings, like its pulse.
  const o: RequestOptions = { devices: [cfg.id], urgent: cfg.kind === 'lock' };
  if (cfg.kind === 'ac') {
    await applyAc(rt, cfg, want as AcSetting | null, force, o);
    return;
  }
  if (cfg.kind === 'energy_meter' || cfg.kind === 'speaker') return; // nothing to hold
  const on = want === true;
  if (cfg.kind === 'lock') {
    rt.actual = null;
    await rt.bus.writeCoil(cfg.slaveId, cfg.address, on, o);
    rt.actual = on;
    if (cfg.verify) await verifySwitch(rt, cfg.slaveId, 'coil', cfg.address, on, on, o);
    return;
  }
  const v = switchValues(cfg);
  const value = on ? v.on : v.off;
  rt.actual = null;
  if (cfg.writeType === 'coil') {
    await rt.bus.writeCoil(cfg.slaveId, cfg.address, value as boolean, o);
  } else {
    await rt.bus.writeRegister(cfg.slaveId, cfg.address, value as number, o);
  }
  rt.actual = on;
  if (cfg.verify) {
    await verifySwitch(rt, cfg.slaveId, cfg.writeType, cfg.address, value, on, o);
  }
}

async function verifySwitch(
  rt: Runtime,
  slaveId: number,
  table: 'coil' | 'holding',
  address: number,
  written: boolean | number,
  on: boolean,
  o: RequestOptions,
): Promise<void> {
  const read =
    table === 'coil'
      ? (await rt.bus.readCoils(slaveId, address, 1, o))[0]
      : (await rt.bus.readHoldingRegisters(slaveId, address, 1, o))[0];
  if (read === written) return;
  rt.actual = rt.cfg.kind === 'lock' ? Boolean(read) : decodeSwitch(rt, read);
  throw new Error(
    `wrote ${table} ${address} = ${String(written)} (${on ? 'on' : 'off'}) but read back ${String(read)}: the board did not take the write`,
  );
}

async function applyAc(
  rt: Runtime,
  cfg: AcConfig,
  want: AcSetting | null,
  force: boolean,
  o: RequestOptions,
): Promise<void> {
  const m = cfg.model;
  const s = cfg.slaveId;
  const was = force || rt.actual === null || typeof rt.actual === 'boolean' ? null : rt.actual;
  rt.actual = null;
  if (want === null) {
    await rt.bus.writeRegister(s, m.power.address, m.power.off, o);
  } else {
    const setpoint = encodeSetpoint(want.setpoint, m.setpoint.scale);
    // Mode, set-point and fan first, power last, so the unit starts with the new setting.
    if (!was || was.mode !== want.mode) {
      await rt.bus.writeRegister(s, m.mode.address, m.mode.values[want.mode], o);
    }
    if (!was || encodeSetpoint(was.setpoint, m.setpoint.scale) !== setpoint) {
      await rt.bus.writeRegister(s, m.setpoint.address, setpoint, o);
    }
    if (!was || was.fan !== want.fan) {
      await rt.bus.writeRegister(s, m.fan.address, m.fan.values[want.fan], o);
    }
    if (!was || !was.power) await rt.bus.writeRegister(s, m.power.address, m.power.on, o);
  }
  if (!cfg.verify) {
    rt.actual = want ?? { ...(was ?? rt.lastAc ?? DEFAULT_AC_SETTING), power: false };
    return;
  }
  const addresses = [m.power.address, m.mode.address, m.setpoint.address, m.fan.address];
  const values = new Map<number, number>();
  for (const run of contiguous(addresses, MAX_RUN.registers)) {
    const read = await rt.bus.readHoldingRegisters(s, run.start, run.length, o);
    read.forEach((v, i) => values.set(run.start + i, v));
  }
  rt.actual = decodeAc(cfg, values);
  if (!matches(rt, want)) {
    throw new Error(
      `wrote ${describeAc(want)} but read back ${rt.actual ? describeAc(rt.actual) : 'registers the model does not know'}: the gateway did not take the write`,
    );
  }
}
