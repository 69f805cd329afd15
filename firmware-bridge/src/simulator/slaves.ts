// What the simulated slaves hold and how they react: an 8-relay board with door-contact inputs and
// a timed pulse, and an air-conditioning gateway whose room temperature drifts toward the
// set-point. Pure state machines on an injected clock; they must never touch a socket or a port.
import type { Clock } from '@roomhub/shared-types';
import type { AcModel } from '../config';

/** A Modbus exception the slave answers with instead of data. */
export class SlaveException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SlaveException';
  }
}

const ILLEGAL_ADDRESS = 2;
const ILLEGAL_VALUE = 3;

export interface Slave {
  readonly kind: 'relay-board' | 'ac-gateway' | 'energy-meter' | 'voice-module';
  getCoil(address: number): boolean;
  /** Function 05 with its raw 16-bit value (FF00 = on, 0000 = off, or a pulse time). */
  writeCoil(address: number, raw: number): void;
  getDiscreteInput(address: number): boolean;
  getHoldingRegister(address: number): number;
  setHoldingRegister(address: number, value: number): void;
  getInputRegister(address: number): number;
  /** Power loss: relays drop, volatile registers go back to their defaults. */
  powerCut(): void;
  dispose(): void;
}

export const RELAYS = 8;
/** Waveshare's "flash on" / "flash off" command bases: function 05 at base + relay. */
export const FLASH_ON_BASE = 0x0200;
export const FLASH_OFF_BASE = 0x0400;
const ALL_RELAYS = 0x00ff;

/**
 * Behaves like a Waveshare Modbus RTU Relay (D): coils 0-7 are the relays, discrete inputs 0-7
 * the opto inputs (door contacts here), and function 05 at 0x0200 + n with a value of N switches
 * relay n on and back off by itself after N × 100 ms.
 */
export class RelayBoard implements Slave {
  readonly kind = 'relay-board';
  private readonly relays: boolean[] = new Array<boolean>(RELAYS).fill(false);
  private readonly inputs: boolean[] = new Array<boolean>(RELAYS).fill(true);
  private readonly timers: (NodeJS.Timeout | null)[] = new Array<NodeJS.Timeout | null>(
    RELAYS,
  ).fill(null);
  private readonly holding = new Map<number, number>();

  getCoil(address: number): boolean {
    return this.relays[this.relay(address)] ?? false;
  }

  writeCoil(address: number, raw: number): void {
    if (address >= FLASH_ON_BASE && address < FLASH_ON_BASE + RELAYS) {
      this.flash(address - FLASH_ON_BASE, raw, true);
    } else if (address >= FLASH_OFF_BASE && address < FLASH_OFF_BASE + RELAYS) {
      this.flash(address - FLASH_OFF_BASE, raw, false);
    } else if (address === ALL_RELAYS) {
      const on = onOff(raw);
      for (let n = 0; n < RELAYS; n++) this.set(n, on);
    } else {
      this.set(this.relay(address), onOff(raw));
    }
  }

  getDiscreteInput(address: number): boolean {
    if (address >= RELAYS) throw new SlaveException(ILLEGAL_ADDRESS, `no input ${address}`);
    return this.inputs[address] ?? false;
  }

  setInput(address: number, value: boolean): void {
    if (address >= RELAYS) throw new RangeError(`no input ${address}`);
    this.inputs[address] = value;
  }

  // Real boards keep settings (address, baud) in registers; generic storage stands in for them.
  getHoldingRegister(address: number): number {
    return this.holding.get(address) ?? 0;
  }

  setHoldingRegister(address: number, value: number): void {
    this.holding.set(address, value);
  }

  getInputRegister(address: number): number {
    throw new SlaveException(ILLEGAL_ADDRESS, `no input register ${address}`);
  }

  powerCut(): void {
    for (let n = 0; n < RELAYS; n++) this.set(n, false);
  }

  dispose(): void {
    for (let n = 0; n < RELAYS; n++) this.cancel(n);
  }

  private relay(address: number): number {
    if (address >= RELAYS) throw new SlaveException(ILLEGAL_ADDRESS, `no relay ${address}`);
    return address;
  }

  private set(n: number, on: boolean): void {
    this.cancel(n);
    this.relays[n] = on;
  }

  private flash(n: number, units: number, on: boolean): void {
    if (units < 1) throw new SlaveException(ILLEGAL_VALUE, 'flash time must be at least 1');
    this.set(n, on);
    this.timers[n] = setTimeout(() => {
      this.timers[n] = null;
      this.relays[n] = !on;
    }, units * 100);
  }

  private cancel(n: number): void {
    const t = this.timers[n];
    if (t) clearTimeout(t);
    this.timers[n] = null;
  }
}

function onOff(raw: number): boolean {
  if (raw === 0xff00) return true;
  if (raw === 0x0000) return false;
  throw new SlaveException(ILLEGAL_VALUE, `coil value must be FF00 or 0000, not ${raw}`);
}

/** The register map of the simulated AC gateway; `demoDevicesConfig` uses it as the AC model. */
export const SIMULATED_AC_MODEL: AcModel = {
  power: { address: 0, on: 1, off: 0 },
  mode: { address: 1, values: { auto: 0, cool: 1, dry: 2, fan: 3, heat: 4 } },
  setpoint: { address: 2, scale: 10 },
  fan: { address: 3, values: { auto: 0, low: 1, mid: 2, high: 3 } },
  currentTemperature: { address: 0, scale: 10, input: 'input' },
};

export interface AcGatewayOptions {
  clock: Clock;
  /** °C per second while running; off, the room drifts back to ambient five times slower. */
  driftPerSecond: number;
  ambient: number;
}

const SETPOINT_MIN = 16;
const SETPOINT_MAX = 32;

/** One indoor unit behind a Modbus gateway, registers as in SIMULATED_AC_MODEL. */
export class AcGateway implements Slave {
  readonly kind = 'ac-gateway';
  private power = 0;
  private mode = 0;
  private setpoint = 260;
  private fan = 0;
  private temperature: number;
  private updatedAt: number;
  private readonly m = SIMULATED_AC_MODEL;

  constructor(private readonly o: AcGatewayOptions) {
    this.temperature = o.ambient;
    this.updatedAt = o.clock.now();
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

  getHoldingRegister(address: number): number {
    switch (address) {
      case this.m.power.address:
        return this.power;
      case this.m.mode.address:
        return this.mode;
      case this.m.setpoint.address:
        return this.setpoint;
      case this.m.fan.address:
        return this.fan;
      default:
        throw new SlaveException(ILLEGAL_ADDRESS, `no register ${address}`);
    }
  }

  setHoldingRegister(address: number, value: number): void {
    this.drift();
    switch (address) {
      case this.m.power.address:
        if (value !== this.m.power.on && value !== this.m.power.off) throw bad('power', value);
        this.power = value;
        return;
      case this.m.mode.address:
        if (!Object.values(this.m.mode.values).includes(value)) throw bad('mode', value);
        this.mode = value;
        return;
      case this.m.setpoint.address: {
        const c = value / this.m.setpoint.scale;
        if (c < SETPOINT_MIN || c > SETPOINT_MAX) throw bad('set-point', value);
        this.setpoint = value;
        return;
      }
      case this.m.fan.address:
        if (!Object.values(this.m.fan.values).includes(value)) throw bad('fan', value);
        this.fan = value;
        return;
      default:
        throw new SlaveException(ILLEGAL_ADDRESS, `no register ${address}`);
    }
  }

  getInputRegister(address: number): number {
    const t = this.m.currentTemperature;
    if (!t || address !== t.address) {
      throw new SlaveException(ILLEGAL_ADDRESS, `no input register ${address}`);
    }
    this.drift();
    // Signed 16-bit, as gateways report sub-zero outdoor readings.
    return Math.round(this.temperature * t.scale) & 0xffff;
  }

  /** What the unit draws: off, its fan alone, or conditioning the room. */
  load(): 'off' | 'fan' | 'running' {
    if (this.power !== this.m.power.on) return 'off';
    return this.mode === this.m.mode.values.fan ? 'fan' : 'running';
  }

  /** The room temperature now, °C. */
  roomTemperature(): number {
    this.drift();
    return this.temperature;
  }

  powerCut(): void {
    this.drift();
    this.power = this.m.power.off;
    this.mode = 0;
    this.setpoint = 260;
    this.fan = 0;
  }

  dispose(): void {}

  private drift(): void {
    const now = this.o.clock.now();
    const seconds = Math.max(0, (now - this.updatedAt) / 1000);
    this.updatedAt = now;
    const running = this.power === this.m.power.on && this.mode !== this.m.mode.values.fan;
    const target = running ? this.setpoint / this.m.setpoint.scale : this.o.ambient;
    const rate = running ? this.o.driftPerSecond : this.o.driftPerSecond / 5;
    const step = Math.min(Math.abs(target - this.temperature), rate * seconds);
    this.temperature += Math.sign(target - this.temperature) * step;
  }
}

function bad(what: string, value: number): SlaveException {
  return new SlaveException(ILLEGAL_VALUE, `bad ${what} value ${value}`);
}
