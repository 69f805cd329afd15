// The meter's floats and its one read per block, without a bus.
import { describe, expect, it } from 'vitest';
import { parseDevicesConfig } from './config';
import { decodeFloat, decodeMeter, DDSU666, encodeFloat } from './meter-registers';
import { planReads, type Polled } from './read-plan';

const regsOf = (values: Record<number, number>): Map<number, number> => {
  const regs = new Map<number, number>();
  for (const [address, v] of Object.entries(values)) {
    const [high, low] = encodeFloat(v);
    regs.set(Number(address), high);
    regs.set(Number(address) + 1, low);
  }
  return regs;
};

describe('DDSU666 registers', () => {
  it('reads a float high word first, each word big-endian (ABCD)', () => {
    // 230.5 V is 0x43668000 in IEEE-754: 0x4366 then 0x8000.
    expect(encodeFloat(230.5)).toEqual([0x4366, 0x8000]);
    expect(decodeFloat(0x4366, 0x8000)).toBe(230.5);
  });

  it('turns the registers into volts, amperes, watts (the meter shows kW) and the kWh counter', () => {
    const regs = regsOf({
      [DDSU666.voltage]: 220,
      [DDSU666.current]: 5.5,
      [DDSU666.power]: 1.21,
      [DDSU666.energy]: 1234.5,
    });
    const r = decodeMeter(regs, 42);
    expect(r).toMatchObject({ voltage: 220, current: 5.5, energyKwh: 1234.5, readAt: 42 });
    expect(r?.powerW).toBeCloseTo(1210, 0);
  });

  it('takes no reading from a missing word or a counter that is not a number', () => {
    const regs = regsOf({ [DDSU666.voltage]: 220, [DDSU666.current]: 1, [DDSU666.power]: 0.2 });
    expect(decodeMeter(regs, 0)).toBeNull();
    const nan = regsOf({ [DDSU666.voltage]: 220, [DDSU666.current]: 1, [DDSU666.power]: 0.2 });
    nan.set(DDSU666.energy, 0x7fc0);
    nan.set(DDSU666.energy + 1, 0);
    expect(decodeMeter(nan, 0)).toBeNull();
  });

  it('plans one read for voltage, current and power, and one for the counter, per meter', () => {
    const config = parseDevicesConfig({
      buses: [{ id: 'bus-1', kind: 'tcp', host: '127.0.0.1' }],
      devices: [
        { id: 'm1', kind: 'energy_meter', bus: 'bus-1', slaveId: 40, rooms: ['a'] },
        { id: 'm2', kind: 'energy_meter', bus: 'bus-1', slaveId: 41, rooms: ['b'], table: 'input' },
      ],
    });
    const bus = { id: 'bus-1' } as Polled['bus'];
    const runs = planReads(config.devices.map((cfg) => ({ bus, cfg })));
    expect(runs.map((r) => [r.slaveId, r.table, r.start.toString(16), r.length])).toEqual([
      [40, 'holding', '2000', 6],
      [40, 'holding', '4000', 2],
      [41, 'input', '2000', 6],
      [41, 'input', '4000', 2],
    ]);
  });

  it('refuses a meter listed for two rooms', () => {
    expect(() =>
      parseDevicesConfig({
        buses: [{ id: 'bus-1', kind: 'tcp', host: '127.0.0.1' }],
        devices: [{ id: 'm', kind: 'energy_meter', bus: 'bus-1', slaveId: 40, rooms: ['a', 'b'] }],
      }),
    ).toThrow(/device "m": rooms: a meter measures one room/);
  });
});
