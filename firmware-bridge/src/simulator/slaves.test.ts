// The simulated slaves on their own, on fake timers and a hand-moved clock.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AcGateway, FLASH_ON_BASE, RelayBoard, SlaveException, SIMULATED_AC_MODEL } from './slaves';

describe('RelayBoard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('switches relays with FF00 / 0000 and refuses other values and addresses', () => {
    const b = new RelayBoard();
    b.writeCoil(3, 0xff00);
    expect(b.getCoil(3)).toBe(true);
    b.writeCoil(3, 0);
    expect(b.getCoil(3)).toBe(false);
    expect(() => b.writeCoil(3, 0x1234)).toThrow(SlaveException);
    expect(() => b.getCoil(8)).toThrow(expect.objectContaining({ code: 2 }));
  });

  it('times a flash-on pulse itself: on now, off after N x 100 ms', () => {
    vi.useFakeTimers();
    const b = new RelayBoard();
    b.writeCoil(FLASH_ON_BASE + 2, 7);
    expect(b.getCoil(2)).toBe(true);
    vi.advanceTimersByTime(699);
    expect(b.getCoil(2)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(b.getCoil(2)).toBe(false);
  });

  it('drops every relay on a power cut, cancelling pulses', () => {
    vi.useFakeTimers();
    const b = new RelayBoard();
    b.writeCoil(0, 0xff00);
    b.writeCoil(FLASH_ON_BASE + 1, 10);
    b.powerCut();
    expect([b.getCoil(0), b.getCoil(1)]).toEqual([false, false]);
    vi.advanceTimersByTime(2000);
    expect(b.getCoil(1)).toBe(false);
  });
});

describe('AcGateway', () => {
  const m = SIMULATED_AC_MODEL;

  it('moves the room toward the set-point while running, back to ambient when off', () => {
    let t = 0;
    const ac = new AcGateway({ clock: { now: () => t }, driftPerSecond: 0.1, ambient: 28 });
    ac.setHoldingRegister(m.mode.address, m.mode.values.cool);
    ac.setHoldingRegister(m.setpoint.address, 240);
    ac.setHoldingRegister(m.power.address, m.power.on);
    t += 10_000;
    expect(ac.roomTemperature()).toBeCloseTo(27, 5);
    expect(ac.getInputRegister(0)).toBe(270);
    t += 60_000;
    expect(ac.roomTemperature()).toBeCloseTo(24, 5);
    ac.setHoldingRegister(m.power.address, m.power.off);
    t += 50_000; // five times slower when off
    expect(ac.roomTemperature()).toBeCloseTo(25, 5);
  });

  it('refuses values outside the model and forgets its setting on a power cut', () => {
    const ac = new AcGateway({ clock: { now: () => 0 }, driftPerSecond: 0.1, ambient: 28 });
    expect(() => ac.setHoldingRegister(m.mode.address, 9)).toThrow(
      expect.objectContaining({ code: 3 }),
    );
    expect(() => ac.setHoldingRegister(m.setpoint.address, 100)).toThrow(SlaveException);
    expect(() => ac.getHoldingRegister(40)).toThrow(expect.objectContaining({ code: 2 }));
    ac.setHoldingRegister(m.power.address, 1);
    ac.powerCut();
    expect(ac.getHoldingRegister(m.power.address)).toBe(0);
    expect(ac.getHoldingRegister(m.setpoint.address)).toBe(260);
  });
});
