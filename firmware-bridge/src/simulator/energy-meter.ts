// A simulated DDSU666-style energy meter: it answers the meter's registers (meter-registers.ts)
// for the power its room draws now, and counts energy from that power over the clock's time, so
// the counter only grows. Pure state on an injected clock; it must never touch a socket, and it
// keeps nothing across a restart: a new simulator's meter starts again from `startKwh`.
import type { Clock } from '@roomhub/shared-types';
import { DDSU666, encodeFloat } from '../meter-registers';
import { SlaveException, type Slave } from './slaves';

const ILLEGAL_ADDRESS = 2;
const MS_PER_HOUR = 3_600_000;

export interface EnergyMeterOptions {
  clock: Clock;
  /** What the room draws right now, watts. */
  load: () => number;
  /** The counter when the simulator starts, kWh: a meter in a store has run for a while. */
  startKwh: number;
  /** Mains voltage, V. Default 220. */
  voltage?: number;
}

export class EnergyMeter implements Slave {
  readonly kind = 'energy-meter';
  private kwh: number;
  private watts: number;
  private updatedAt: number;
  /** A float's two words come from one moment: the low word is served from the high word's read. */
  private readonly held = new Map<number, number>();

  constructor(private readonly o: EnergyMeterOptions) {
    this.kwh = o.startKwh;
    this.updatedAt = o.clock.now();
    this.watts = o.load();
  }

  /**
   * Counts the energy of the power drawn since the last call, then takes the power now. The
   * simulator calls it before every write (a relay switched changes the load) and every read.
   */
  accrue(): void {
    const now = this.o.clock.now();
    const ms = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.kwh += (this.watts * ms) / MS_PER_HOUR / 1000;
    this.watts = this.o.load();
  }

  /** The counter now, kWh. */
  energyKwh(): number {
    this.accrue();
    return this.kwh;
  }

  /** The power drawn now, W. */
  powerW(): number {
    this.accrue();
    return this.watts;
  }

  getHoldingRegister(address: number): number {
    const base = address & ~1;
    if (address === base) {
      const [high, low] = encodeFloat(this.value(base));
      this.held.set(base, low);
      return high;
    }
    const low = this.held.get(base);
    if (low === undefined) return encodeFloat(this.value(base))[1];
    this.held.delete(base);
    return low;
  }

  /** The meter answers function 04 with the same table as 03. */
  getInputRegister(address: number): number {
    return this.getHoldingRegister(address);
  }

  setHoldingRegister(address: number): void {
    throw new SlaveException(ILLEGAL_ADDRESS, `register ${address} is read-only`);
  }

  getCoil(address: number): boolean {
    throw new SlaveException(ILLEGAL_ADDRESS, `no coil ${address}`);
  }

  writeCoil(address: number): void {
    throw new SlaveException(ILLEGAL_ADDRESS, `no coil ${address}`);
  }

  getDiscreteInput(address: number): boolean {
    throw new SlaveException(ILLEGAL_ADDRESS, `no input ${address}`);
  }

  /** The meter is on the mains side: a relay board's power cut does not reset its counter. */
  powerCut(): void {
    this.accrue();
  }

  dispose(): void {}

  private value(base: number): number {
    this.accrue();
    const volts = this.o.voltage ?? 220;
    switch (base) {
      case DDSU666.voltage:
        return volts;
      case DDSU666.current:
        return this.watts / volts;
      case DDSU666.power:
        return this.watts / 1000; // the meter shows kW
      case DDSU666.energy:
        return this.kwh;
      default:
        throw new SlaveException(ILLEGAL_ADDRESS, `no register ${base}`);
    }
  }
}
