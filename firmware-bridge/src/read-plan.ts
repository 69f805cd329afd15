// How the bridge reads its boards: every polled point (a relay, a door contact, an AC gateway's
// registers, an energy meter's floats) grouped into as few Modbus reads as possible, contiguous addresses per slave and
// table, never across a gap; and one such read sent on its bus. Pure but for the read itself.
import type { Bus, RequestOptions } from './bus';
import type { DeviceConfig } from './config';
import { METER_REGISTERS } from './meter-registers';

export type Table = 'coil' | 'discrete' | 'holding' | 'input';
export type Role = 'relay' | 'contact' | 'ac' | 'meter' | 'speaker';

/** The most a single read asks for: bits (coils, discrete inputs) and registers. */
export const MAX_RUN = { bits: 64, registers: 32 };

/** What a read needs of a device: its bus and its configuration. */
export interface Polled {
  bus: Bus;
  cfg: DeviceConfig;
}

/** One read of consecutive addresses, and which device's point each address is. */
export interface ReadRun<R extends Polled> {
  bus: Bus;
  slaveId: number;
  table: Table;
  start: number;
  length: number;
  points: { address: number; rt: R; role: Role }[];
}

/** Groups every polled point into as few reads as possible: contiguous addresses per slave. */
export function planReads<R extends Polled>(runtimes: R[]): ReadRun<R>[] {
  const groups = new Map<
    string,
    { bus: Bus; slaveId: number; table: Table; points: ReadRun<R>['points'] }
  >();
  const add = (rt: R, table: Table, address: number, role: Role): void => {
    const key = `${rt.bus.id}/${rt.cfg.slaveId}/${table}`;
    const g = groups.get(key) ?? { bus: rt.bus, slaveId: rt.cfg.slaveId, table, points: [] };
    g.points.push({ address, rt, role });
    groups.set(key, g);
  };
  for (const rt of runtimes) {
    const cfg = rt.cfg;
    switch (cfg.kind) {
      case 'lock':
        add(rt, 'coil', cfg.address, 'relay');
        if (cfg.contact) {
          add(
            rt,
            cfg.contact.input === 'coil' ? 'coil' : 'discrete',
            cfg.contact.address,
            'contact',
          );
        }
        break;
      case 'ac': {
        const m = cfg.model;
        for (const a of [m.power.address, m.mode.address, m.setpoint.address, m.fan.address]) {
          add(rt, 'holding', a, 'ac');
        }
        if (m.currentTemperature) {
          add(rt, m.currentTemperature.input, m.currentTemperature.address, 'ac');
        }
        break;
      }
      case 'energy_meter':
        // Voltage, current and power are one block (one read); the counter is a second read.
        for (const a of METER_REGISTERS) add(rt, cfg.table, a, 'meter');
        break;
      case 'speaker':
        // Its status alone: whether it answers, and whether it is playing.
        add(rt, 'holding', cfg.registers.status, 'speaker');
        break;
      default:
        add(rt, cfg.writeType === 'coil' ? 'coil' : 'holding', cfg.address, 'relay');
    }
  }
  const runs: ReadRun<R>[] = [];
  for (const g of groups.values()) {
    const limit = g.table === 'coil' || g.table === 'discrete' ? MAX_RUN.bits : MAX_RUN.registers;
    for (const r of contiguous(
      g.points.map((p) => p.address),
      limit,
    )) {
      runs.push({
        bus: g.bus,
        slaveId: g.slaveId,
        table: g.table,
        start: r.start,
        length: r.length,
        points: g.points.filter((p) => p.address >= r.start && p.address < r.start + r.length),
      });
    }
  }
  return runs;
}

/**
 * Runs of consecutive addresses. Gaps are never read across: a board may answer an address it
 * does not have with an exception, which would fail the whole read.
 */
export function contiguous(
  addresses: number[],
  limit: number,
): { start: number; length: number }[] {
  const sorted = [...new Set(addresses)].sort((a, b) => a - b);
  const runs: { start: number; length: number }[] = [];
  for (const a of sorted) {
    const last = runs.at(-1);
    if (last && a === last.start + last.length && last.length < limit) last.length++;
    else runs.push({ start: a, length: 1 });
  }
  return runs;
}

export function readRun(run: ReadRun<Polled>, o: RequestOptions): Promise<(boolean | number)[]> {
  switch (run.table) {
    case 'coil':
      return run.bus.readCoils(run.slaveId, run.start, run.length, o);
    case 'discrete':
      return run.bus.readDiscreteInputs(run.slaveId, run.start, run.length, o);
    case 'holding':
      return run.bus.readHoldingRegisters(run.slaveId, run.start, run.length, o);
    case 'input':
      return run.bus.readInputRegisters(run.slaveId, run.start, run.length, o);
  }
}

/** Holding and input registers share addresses; keep them apart in one map. */
export function registerKey(table: Table, address: number): number {
  return table === 'input' ? 0x10000 + address : address;
}
