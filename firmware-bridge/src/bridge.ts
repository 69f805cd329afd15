// The `Devices` the hub codes against, on Modbus: turns room needs and staff overrides into one
// desired state per device, writes only what changed (and everything on reconcile), verifies by
// echo and read-back, pulses locks, and polls relays, door contacts and AC gateways to notice a
// board that lost its state, and energy meters for their readings (at their own, slower pace);
// plays clips on room speakers when asked. It must never know about bookings or sessions, and never decide from
// memory alone what a relay is doing: what it reports as `actual` was echoed or read back.
// Longer than 500 lines on purpose: one class holds each device's desired and confirmed state,
// and writing, verifying, pulsing and polling all read and change that same state.
import type { Clock } from '@roomhub/shared-types';
import {
  bindRooms,
  switchValues,
  type AcConfig,
  type DeviceConfig,
  type DevicesConfig,
  type LockConfig,
  type SpeakerConfig,
  type SwitchConfig,
} from './config';
import {
  Bus,
  ModbusRequestError,
  type BusLog,
  type HealthRecord,
  type RequestOptions,
} from './bus';
import type {
  AcSetting,
  BusHealth,
  DeviceHealth,
  DeviceState,
  Devices,
  DevicesEvent,
  MeterReading,
  RoomNeeds,
} from './devices';
import { decodeMeter } from './meter-registers';
import { checkClip, encodeVolume } from './speaker-registers';
import { decodeAc, describeAc, encodeSetpoint, toSigned16 } from './ac-registers';
import { contiguous, MAX_RUN, planReads, readRun, registerKey, type ReadRun } from './read-plan';

export type DevicesLog = BusLog;

export interface CreateDevicesOptions {
  clock?: Clock;
  log?: DevicesLog;
  /** Poll period in ms; 0 turns polling off (tests then call pollNow()). Default 2000. */
  pollMs?: number;
  /**
   * Energy meters are read in a poll at most this often (ms), so their reads never lengthen every
   * cycle of a slow RTU line; pollNow() reads them always. Default 10000.
   */
  meterPollMs?: number;
}

/** `Devices` plus what tests, the bench and the installer's check need to drive it by hand. */
export interface BridgeDevices extends Devices {
  /** One poll cycle now: reads every relay, contact and AC, and corrects what drifted. */
  pollNow(): Promise<void>;
  /**
   * Reads every point of each device once (all devices, or those named) and writes nothing:
   * whether the device answers, and what it holds. For checking a device file before use.
   */
  probe(deviceIds?: string[]): Promise<DeviceProbe[]>;
  announce(
    roomId: string,
    clip: number,
    volumePercent: number,
  ): Promise<{ deviceId: string; confirmedAt: number }[]>;
  roomsWithSpeaker(): string[];
}

/** What one device answered when probed. */
export interface DeviceProbe {
  deviceId: string;
  /** Every point read, in address order: a relay, a door contact, an AC register. */
  values: {
    table: 'coil' | 'discrete' | 'holding' | 'input';
    address: number;
    value: boolean | number;
  }[];
  /** Why it did not answer (the first read that failed); absent when every read did. */
  error?: string;
}

/** Some devices could not be driven; their desired state is kept and retried on every poll. */
export class DeviceWriteError extends Error {
  constructor(readonly failures: { deviceId: string; message: string }[]) {
    super(failures.map((f) => `device "${f.deviceId}": ${f.message}`).join('\n'));
    this.name = 'DeviceWriteError';
  }
}

/** What an AC is set to when staff switch it on and no room has asked for a setting yet. */
export const DEFAULT_AC_SETTING: AcSetting = {
  power: true,
  mode: 'auto',
  setpoint: 26,
  fan: 'auto',
};

const DEFAULT_POLL_MS = 2000;
const DEFAULT_METER_POLL_MS = 10_000;
// A slave that stopped answering is polled only every this many cycles, so its timeouts do not
// hold up the rest of its bus every cycle.
const DEAD_SLAVE_POLL_EVERY = 5;
// After a board-timed pulse, read the relay back this long after it should have dropped.
const TIMED_PULSE_CHECK_MARGIN_MS = 100;

const NEED_OF = { light: 'lights', socket: 'sockets', fresh_air: 'freshAir' } as const;

interface Runtime {
  cfg: DeviceConfig;
  bus: Bus;
  override: boolean | null;
  actual: boolean | AcSetting | null;
  temperature: number | null;
  doorClosed: boolean | null;
  /** An energy meter's last reading. */
  meter: MeterReading | null;
  /** Operations on one device run one after another, in call order. */
  chain: Promise<unknown>;
  /** The last drive failed: retry on the next poll, reconciled or not. */
  dirty: boolean;
  /** Bumped by every write, so a poll read that raced a write is discarded. */
  writes: number;
  pulseUntil: number;
  pulseTimer: NodeJS.Timeout | null;
  lastAc: AcSetting | null;
  lastEmitted: string;
  /**
   * A lock whose relay has read back on after an open: later opens answer on the write's echo
   * and read back behind it. Until then (and after a read-back that disagreed) an open waits for
   * the read, so a lock on the wrong coil is caught at its first open, not reported as open.
   */
  verified: boolean;
  /** The read-back behind an answered open, waiting for the opens in a row to stop. */
  verifyTimer: NodeJS.Timeout | null;
}

const monotonic = (): number => performance.now();

export async function createDevices(
  config: DevicesConfig,
  opts: CreateDevicesOptions = {},
): Promise<BridgeDevices> {
  const bridge = new ModbusDevices(config, opts);
  bridge.start();
  return bridge;
}

class ModbusDevices implements BridgeDevices {
  private readonly clock: Clock;
  private readonly log: DevicesLog;
  private readonly pollMs: number;
  private readonly meterPollMs: number;
  /** When meters were last read in a poll (monotonic ms). */
  private metersReadAt = -Infinity;
  private readonly buses = new Map<string, Bus>();
  private readonly runtimes: Runtime[] = [];
  private readonly byId = new Map<string, Runtime>();
  private readonly byRoom = new Map<string, Runtime[]>();
  private readonly lockOfRoom = new Map<string, Runtime>();
  private readonly speakersOfRoom = new Map<string, Runtime[]>();
  private readonly needs = new Map<string, RoomNeeds>();
  private readonly listeners = new Set<(e: DevicesEvent) => void>();
  private readonly runs: ReadRun<Runtime>[];
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private pollCycle = 0;
  // Until the hub has reconciled once, a poll only observes: the needs of sessions that were
  // running before a restart may not have been declared yet.
  private reconciled = false;
  private closed = false;

  constructor(
    private readonly config: DevicesConfig,
    opts: CreateDevicesOptions,
  ) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.log = opts.log ?? (() => undefined);
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    this.meterPollMs = opts.meterPollMs ?? DEFAULT_METER_POLL_MS;
    for (const b of config.buses) {
      this.buses.set(
        b.id,
        new Bus(b, {
          clock: this.clock,
          log: this.log,
          onDeviceHealth: (id, r) => this.onDeviceHealth(id, r),
        }),
      );
    }
    for (const cfg of config.devices) {
      const bus = this.buses.get(cfg.bus);
      if (!bus) throw new Error(`device "${cfg.id}": unknown bus "${cfg.bus}"`);
      const rt: Runtime = {
        cfg,
        bus,
        override: null,
        actual: null,
        temperature: null,
        doorClosed: null,
        meter: null,
        chain: Promise.resolve(),
        dirty: false,
        writes: 0,
        pulseUntil: 0,
        pulseTimer: null,
        lastAc: null,
        lastEmitted: '',
        verified: false,
        verifyTimer: null,
      };
      this.runtimes.push(rt);
      this.byId.set(cfg.id, rt);
    }
    this.indexRooms();
    this.runs = planReads(this.runtimes);
  }

  private indexRooms(): void {
    this.byRoom.clear();
    this.lockOfRoom.clear();
    this.speakersOfRoom.clear();
    for (const rt of this.runtimes) {
      for (const room of rt.cfg.rooms) {
        if (rt.cfg.kind === 'lock') this.lockOfRoom.set(room, rt);
        else if (rt.cfg.kind === 'speaker') {
          this.speakersOfRoom.set(room, [...(this.speakersOfRoom.get(room) ?? []), rt]);
        } else if (rt.cfg.kind !== 'energy_meter') {
          this.byRoom.set(room, [...(this.byRoom.get(room) ?? []), rt]);
        }
      }
    }
  }

  start(): void {
    if (this.pollMs > 0) this.schedulePoll(0);
  }

  // ---- Devices ----

  async openDoor(roomId: string): Promise<{ deviceId: string; confirmedAt: number }> {
    this.assertOpen();
    const rt = this.lockOfRoom.get(roomId);
    if (!rt || rt.cfg.kind !== 'lock') throw new Error(`room "${roomId}" has no lock`);
    const cfg = rt.cfg;
    return this.serialize(rt, async () => {
      const o: RequestOptions = { devices: [cfg.id], urgent: true };
      rt.writes++;
      try {
        if (cfg.pulse === 'timed') {
          const units = Math.min(0xffff, Math.max(1, Math.ceil(cfg.pulseMs / 100)));
          // parseDevicesConfig refuses a timed pulse without its command's address.
          if (cfg.pulseBase === undefined) throw new Error('pulse "timed" needs pulseBase');
          const target = cfg.pulseBase + cfg.address;
          if (cfg.pulseWriteType === 'coil') {
            await rt.bus.writeCoilValue(cfg.slaveId, target, units, o);
          } else {
            await rt.bus.writeRegister(cfg.slaveId, target, units, o);
          }
        } else {
          await rt.bus.writeCoil(cfg.slaveId, cfg.address, true, o);
        }
        this.startPulse(rt, cfg);
        if (cfg.verify && !rt.verified) {
          const [on] = await rt.bus.readCoils(cfg.slaveId, cfg.address, 1, o);
          if (!on) throw new Error('the board echoed the pulse but the relay reads off');
          rt.verified = true;
        } else if (cfg.verify) {
          this.verifyBehind(rt, o);
        }
      } catch (e) {
        if (cfg.pulse === 'on-off' && !this.isPulsing(rt)) {
          // The ON may have reached the relay even though its echo did not reach us: make sure
          // it is off (the release is queued behind this task on the device's chain).
          rt.actual = null;
          rt.dirty = true;
          this.drive(rt, true).catch(() => undefined);
        }
        this.emitState(rt);
        throw new DeviceWriteError([{ deviceId: cfg.id, message: errorText(e) }]);
      }
      this.emitState(rt);
      return { deviceId: cfg.id, confirmedAt: this.clock.now() };
    });
  }

  /**
   * Reads a verified lock's relay back after an open was answered; a disagreement is logged. The
   * read waits a moment, while the relay is still pulsed, and opens that follow at once move it
   * on: on a slow RTU bus it must not hold up the next open.
   */
  private verifyBehind(rt: Runtime, o: RequestOptions): void {
    const cfg = rt.cfg;
    if (cfg.kind !== 'lock') return;
    if (rt.verifyTimer) clearTimeout(rt.verifyTimer);
    rt.verifyTimer = setTimeout(
      () => {
        rt.verifyTimer = null;
        if (this.closed) return;
        void this.serialize(rt, async () => {
          const [on] = await rt.bus.readCoils(cfg.slaveId, cfg.address, 1, o);
          // A timed pulse may be over by now; only a relay still pulsing must read on.
          if (!on && this.isPulsing(rt)) {
            rt.verified = false;
            this.log(
              'error',
              'a lock read back off after an open: the next open waits for its read',
              {
                device: cfg.id,
              },
            );
          }
        }).catch((e: unknown) =>
          this.log('warn', 'a lock could not be read back after an open', {
            device: cfg.id,
            error: errorText(e),
          }),
        );
      },
      Math.max(1, Math.min(100, Math.floor(cfg.pulseMs / 3))),
    );
    rt.verifyTimer.unref();
  }

  async announce(
    roomId: string,
    clip: number,
    volumePercent: number,
  ): Promise<{ deviceId: string; confirmedAt: number }[]> {
    this.assertOpen();
    checkClip(clip);
    const speakers = this.speakersOfRoom.get(roomId) ?? [];
    const results = await Promise.allSettled(
      speakers.map((rt) => this.serialize(rt, () => this.play(rt, clip, volumePercent))),
    );
    const failures: { deviceId: string; message: string }[] = [];
    const played: { deviceId: string; confirmedAt: number }[] = [];
    results.forEach((r, i) => {
      const id = speakers[i]?.cfg.id ?? '';
      if (r.status === 'fulfilled') played.push({ deviceId: id, confirmedAt: r.value });
      else failures.push({ deviceId: id, message: errorText(r.reason) });
    });
    if (failures.length > 0) throw new DeviceWriteError(failures);
    return played;
  }

  /** Volume first, then the clip, then the status read back: the module must be playing it. */
  private async play(rt: Runtime, clip: number, volumePercent: number): Promise<number> {
    const cfg = rt.cfg as SpeakerConfig;
    const o: RequestOptions = { devices: [cfg.id] };
    const r = cfg.registers;
    rt.writes++;
    try {
      await rt.bus.writeRegister(
        cfg.slaveId,
        r.volume,
        encodeVolume(volumePercent, cfg.maxVolume),
        o,
      );
      await rt.bus.writeRegister(cfg.slaveId, r.play, clip, o);
      const [status] = await rt.bus.readHoldingRegisters(cfg.slaveId, r.status, 1, o);
      rt.actual = status === cfg.busyValue;
      if (!rt.actual) {
        throw new Error(
          `asked for clip ${clip} but the module reads ${String(status)}, not playing`,
        );
      }
      return this.clock.now();
    } finally {
      this.emitState(rt);
    }
  }

  roomsWithSpeaker(): string[] {
    return [...this.speakersOfRoom.keys()];
  }

  async setRoomNeeds(roomId: string, needs: RoomNeeds): Promise<void> {
    this.assertOpen();
    if (needs.ac && !Number.isFinite(needs.ac.setpoint)) {
      throw new RangeError(`room "${roomId}": AC set-point must be a number`);
    }
    this.needs.set(roomId, { ...needs, ac: needs.ac ? { ...needs.ac } : null });
    await this.driveAll(this.byRoom.get(roomId) ?? [], false);
  }

  async setOverride(deviceId: string, on: boolean | null): Promise<void> {
    this.assertOpen();
    const rt = this.byId.get(deviceId);
    if (!rt) throw new Error(`no device "${deviceId}"`);
    if (rt.cfg.kind === 'lock') throw new Error(`device "${deviceId}" is a lock: use openDoor`);
    if (rt.cfg.kind === 'energy_meter') {
      throw new Error(`device "${deviceId}" is an energy meter: it is only read`);
    }
    if (rt.cfg.kind === 'speaker') {
      throw new Error(`device "${deviceId}" is a speaker: it announces, it is not switched`);
    }
    rt.override = on;
    this.emitState(rt);
    await this.driveAll([rt], false);
  }

  async reconcile(): Promise<void> {
    this.assertOpen();
    this.reconciled = true;
    await this.driveAll(
      this.runtimes.filter((rt) => rt.cfg.kind !== 'energy_meter' && rt.cfg.kind !== 'speaker'),
      true,
    );
  }

  states(): DeviceState[] {
    return this.runtimes.map((rt) => this.stateOf(rt));
  }

  health(): { buses: BusHealth[]; devices: DeviceHealth[] } {
    return {
      buses: [...this.buses.values()].map((b) => b.health()),
      devices: this.runtimes.map((rt) => this.healthOf(rt, rt.bus.deviceHealth(rt.cfg.id))),
    };
  }

  roomsWithLock(): string[] {
    return [...this.lockOfRoom.keys()];
  }

  bindRooms(roomOf: (room: string) => string | undefined, known?: string[]): void {
    this.assertOpen();
    if (this.needs.size > 0) throw new Error('rooms are bound before any room needs are set');
    const bound = bindRooms(
      { buses: this.config.buses, devices: this.runtimes.map((rt) => rt.cfg) },
      roomOf,
      known,
    );
    bound.devices.forEach((cfg, i) => {
      const rt = this.runtimes[i];
      if (rt) rt.cfg = cfg;
    });
    this.indexRooms();
  }

  subscribe(fn: (e: DevicesEvent) => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  async pollNow(): Promise<void> {
    this.assertOpen();
    // One cycle at a time: a manual poll waits for a running one and then does its own.
    while (this.polling) await this.polling;
    this.polling = this.pollOnce(true).finally(() => {
      this.polling = null;
    });
    await this.polling;
  }

  async probe(deviceIds?: string[]): Promise<DeviceProbe[]> {
    this.assertOpen();
    const wanted = deviceIds
      ? deviceIds.map((id) => {
          const rt = this.byId.get(id);
          if (!rt) throw new Error(`no device "${id}"`);
          return rt;
        })
      : this.runtimes;
    return Promise.all(
      wanted.map(async (rt) => {
        const probe: DeviceProbe = { deviceId: rt.cfg.id, values: [] };
        // A device's own reads only, one after another: its first silence is its answer.
        for (const run of planReads([rt])) {
          try {
            const values = await readRun(run, { devices: [rt.cfg.id] });
            values.forEach((value, i) =>
              probe.values.push({ table: run.table, address: run.start + i, value }),
            );
          } catch (e) {
            probe.error = errorText(e);
            break;
          }
        }
        return probe;
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await this.polling?.catch(() => undefined);
    // An on-off lock mid-pulse must not stay released because the hub shut down.
    const releasing: Promise<unknown>[] = [];
    for (const rt of this.runtimes) {
      if (rt.pulseTimer) clearTimeout(rt.pulseTimer);
      rt.pulseTimer = null;
      if (rt.verifyTimer) clearTimeout(rt.verifyTimer);
      rt.verifyTimer = null;
      if (rt.cfg.kind === 'lock' && rt.cfg.pulse === 'on-off' && this.isPulsing(rt)) {
        const cfg = rt.cfg;
        rt.pulseUntil = 0;
        releasing.push(
          rt.bus.writeCoil(cfg.slaveId, cfg.address, false, { devices: [cfg.id], urgent: true }),
        );
      }
    }
    await Promise.allSettled([...releasing, ...this.runtimes.map((rt) => rt.chain)]);
    await Promise.all([...this.buses.values()].map((b) => b.close()));
    this.listeners.clear();
  }

  // ---- desired state ----

  private desired(rt: Runtime): boolean | AcSetting | null {
    const cfg = rt.cfg;
    switch (cfg.kind) {
      case 'lock':
        return this.isPulsing(rt);
      case 'energy_meter':
      case 'speaker':
        return null;
      case 'ac': {
        if (rt.override === false) return null;
        // Several rooms on one AC: the first room in the device's list that wants it wins.
        for (const room of cfg.rooms) {
          const ac = this.needs.get(room)?.ac;
          if (ac?.power) return { ...ac, power: true };
        }
        if (rt.override === true) return { ...(rt.lastAc ?? DEFAULT_AC_SETTING), power: true };
        return null;
      }
      default: {
        if (rt.override !== null) return rt.override;
        const need = NEED_OF[cfg.kind];
        return cfg.rooms.some((room) => this.needs.get(room)?.[need] === true);
      }
    }
  }

  private matches(rt: Runtime, want: boolean | AcSetting | null): boolean {
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

  private isPulsing(rt: Runtime): boolean {
    return monotonic() < rt.pulseUntil;
  }

  // ---- writing ----

  private async driveAll(rts: Runtime[], force: boolean): Promise<void> {
    const results = await Promise.allSettled(rts.map((rt) => this.drive(rt, force)));
    const failures: { deviceId: string; message: string }[] = [];
    results.forEach((r, i) => {
      const rt = rts[i];
      if (r.status === 'rejected' && rt) {
        failures.push({ deviceId: rt.cfg.id, message: errorText(r.reason) });
      }
    });
    if (failures.length > 0) throw new DeviceWriteError(failures);
  }

  /** Brings one device to its desired state; a no-op when it is already there (unless forced). */
  private drive(rt: Runtime, force: boolean): Promise<void> {
    // Nothing to hold: a meter is only read, a speaker only plays when asked.
    if (rt.cfg.kind === 'energy_meter' || rt.cfg.kind === 'speaker') return Promise.resolve();
    return this.serialize(rt, async () => {
      if (this.closed) return;
      // A lock mid-pulse is the pulse's business; it is driven off when the pulse ends.
      if (rt.cfg.kind === 'lock' && this.isPulsing(rt)) return;
      const want = this.desired(rt);
      if (want !== null && typeof want === 'object') rt.lastAc = want;
      if (!force && !rt.dirty && this.matches(rt, want)) {
        this.emitState(rt); // the desired state may have changed even if nothing needs writing
        return;
      }
      rt.writes++;
      try {
        await this.apply(rt, want, force);
        rt.dirty = false;
      } catch (e) {
        rt.dirty = true;
        this.log('warn', 'device write failed', { device: rt.cfg.id, error: errorText(e) });
        throw e;
      } finally {
        this.emitState(rt);
      }
    });
  }

  private async apply(
    rt: Runtime,
    want: boolean | AcSetting | null,
    force: boolean,
  ): Promise<void> {
    const cfg = rt.cfg;
    // A lock's release goes ahead of polls and settings, like its pulse.
    const o: RequestOptions = { devices: [cfg.id], urgent: cfg.kind === 'lock' };
    if (cfg.kind === 'ac') {
      await this.applyAc(rt, cfg, want as AcSetting | null, force, o);
      return;
    }
    if (cfg.kind === 'energy_meter' || cfg.kind === 'speaker') return; // nothing to hold
    const on = want === true;
    if (cfg.kind === 'lock') {
      rt.actual = null;
      await rt.bus.writeCoil(cfg.slaveId, cfg.address, on, o);
      rt.actual = on;
      if (cfg.verify) await this.verifySwitch(rt, cfg.slaveId, 'coil', cfg.address, on, on, o);
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
      await this.verifySwitch(rt, cfg.slaveId, cfg.writeType, cfg.address, value, on, o);
    }
  }

  private async verifySwitch(
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
    rt.actual = rt.cfg.kind === 'lock' ? Boolean(read) : this.decodeSwitch(rt, read);
    throw new Error(
      `wrote ${table} ${address} = ${String(written)} (${on ? 'on' : 'off'}) but read back ${String(read)}: the board did not take the write`,
    );
  }

  private async applyAc(
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
    if (!this.matches(rt, want)) {
      throw new Error(
        `wrote ${describeAc(want)} but read back ${rt.actual ? describeAc(rt.actual) : 'registers the model does not know'}: the gateway did not take the write`,
      );
    }
  }

  private startPulse(rt: Runtime, cfg: LockConfig): void {
    if (rt.pulseTimer) clearTimeout(rt.pulseTimer);
    rt.pulseUntil = monotonic() + cfg.pulseMs;
    rt.actual = true;
    const after = cfg.pulse === 'timed' ? cfg.pulseMs + TIMED_PULSE_CHECK_MARGIN_MS : cfg.pulseMs;
    rt.pulseTimer = setTimeout(() => {
      rt.pulseTimer = null;
      rt.pulseUntil = 0;
      if (this.closed) return;
      if (cfg.pulse === 'on-off') {
        this.drive(rt, true).catch((e: unknown) => {
          // The next poll retries (the device is dirty); this is a door left unlocked meanwhile.
          this.log('error', 'lock did not release after its pulse', {
            device: cfg.id,
            error: errorText(e),
          });
        });
      } else {
        // The board dropped the relay by itself; read it back to be sure the door is locked.
        this.checkRelayOff(rt, cfg).catch((e: unknown) => {
          this.log('warn', 'could not read a lock back after its pulse', {
            device: cfg.id,
            error: errorText(e),
          });
        });
      }
    }, after);
  }

  /**
   * Reads a lock back after a board-timed pulse. Off the lock's chain, so the next door opening
   * never waits behind this read; a pulse in between makes the reading moot.
   */
  private async checkRelayOff(rt: Runtime, cfg: LockConfig): Promise<void> {
    if (this.isPulsing(rt)) return;
    const writes = rt.writes;
    const [on] = await rt.bus.readCoils(cfg.slaveId, cfg.address, 1, { devices: [cfg.id] });
    if (writes !== rt.writes || this.isPulsing(rt) || this.closed) return;
    rt.actual = on ?? null;
    this.emitState(rt);
    if (on) {
      this.log('warn', 'lock relay still on after its timed pulse; switching it off', {
        device: cfg.id,
      });
      await this.drive(rt, true);
    }
  }

  private serialize<T>(rt: Runtime, task: () => Promise<T>): Promise<T> {
    const next = rt.chain.then(task, task);
    rt.chain = next.catch(() => undefined);
    return next;
  }

  // ---- polling ----

  private schedulePoll(delay: number): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.closed) return;
      this.polling ??= this.pollOnce().finally(() => {
        this.polling = null;
      });
      void this.polling
        .catch((e: unknown) => this.log('error', 'poll failed', { error: errorText(e) }))
        .then(() => this.schedulePoll(this.pollMs));
    }, delay);
  }

  private async pollOnce(allMeters = false): Promise<void> {
    const cycle = this.pollCycle++;
    // Meters at their own pace; a lock's pulse still goes ahead of their reads in the bus queue.
    const readMeters = allMeters || monotonic() - this.metersReadAt >= this.meterPollMs;
    if (readMeters) this.metersReadAt = monotonic();
    // A write during this cycle makes the device's readings stale: they are dropped until the
    // next cycle. Door contacts are inputs, which no write of ours changes.
    const writesAtStart = new Map(this.runtimes.map((rt) => [rt, rt.writes]));
    const fresh = (rt: Runtime): boolean => writesAtStart.get(rt) === rt.writes;
    const observed = new Set<Runtime>();
    const acValues = new Map<Runtime, Map<number, number>>();
    const meterValues = new Map<Runtime, Map<number, number>>();
    const reads = this.runs
      .filter((run) => readMeters || run.points.some((p) => p.role !== 'meter'))
      .filter((run) => !run.bus.isSlaveDead(run.slaveId) || cycle % DEAD_SLAVE_POLL_EVERY === 0)
      .map(async (run) => {
        const o: RequestOptions = { devices: [...new Set(run.points.map((p) => p.rt.cfg.id))] };
        let values: (boolean | number)[];
        try {
          values = await readRun(run, o);
        } catch {
          return; // Already in the bus's and the devices' health records.
        }
        for (const p of run.points) {
          const v = values[p.address - run.start];
          if (v === undefined) continue;
          if (p.role === 'contact') {
            this.observeContact(p.rt, v as boolean);
          } else if (fresh(p.rt) && p.role === 'relay') {
            if (this.observeRelay(p.rt, v)) observed.add(p.rt);
          } else if (p.role === 'ac') {
            const regs = acValues.get(p.rt) ?? new Map<number, number>();
            regs.set(registerKey(run.table, p.address), v as number);
            acValues.set(p.rt, regs);
          } else if (p.role === 'speaker') {
            this.observeSpeaker(p.rt, v as number);
          } else if (p.role === 'meter') {
            const regs = meterValues.get(p.rt) ?? new Map<number, number>();
            regs.set(p.address, v as number);
            meterValues.set(p.rt, regs);
          }
        }
      });
    await Promise.allSettled(reads);
    for (const [rt, regs] of acValues) {
      if (fresh(rt) && this.observeAc(rt, regs)) observed.add(rt);
    }
    for (const [rt, regs] of meterValues) this.observeMeter(rt, regs);
    await Promise.allSettled(this.runtimes.map((rt) => this.correct(rt, observed.has(rt))));
  }

  /** Returns whether the reading counts (a lock mid-pulse is on by design). */
  private observeRelay(rt: Runtime, v: boolean | number): boolean {
    if (rt.cfg.kind === 'lock' && this.isPulsing(rt)) return false;
    rt.actual = rt.cfg.kind === 'lock' ? Boolean(v) : this.decodeSwitch(rt, v);
    this.emitState(rt);
    return true;
  }

  private observeContact(rt: Runtime, v: boolean): void {
    if (rt.cfg.kind !== 'lock' || !rt.cfg.contact) return;
    const closed = v === rt.cfg.contact.closedValue;
    const before = rt.doorClosed;
    rt.doorClosed = closed;
    if (before !== null && before !== closed) {
      for (const roomId of rt.cfg.rooms) this.emit({ type: 'door', roomId, closed });
    }
    this.emitState(rt);
  }

  /** Returns whether the whole setting was read (the temperature alone does not count). */
  private observeAc(rt: Runtime, regs: Map<number, number>): boolean {
    if (rt.cfg.kind !== 'ac') return false;
    const t = rt.cfg.model.currentTemperature;
    if (t) {
      const raw = regs.get(registerKey(t.input, t.address));
      if (raw !== undefined) rt.temperature = toSigned16(raw) / t.scale;
    }
    const m = rt.cfg.model;
    const needed = [m.power.address, m.mode.address, m.setpoint.address, m.fan.address];
    const complete = needed.every((a) => regs.has(registerKey('holding', a)));
    if (complete) rt.actual = decodeAc(rt.cfg, regs);
    this.emitState(rt);
    return complete;
  }

  /** A speaker's status register: whether it is playing now. */
  private observeSpeaker(rt: Runtime, v: number): void {
    if (rt.cfg.kind !== 'speaker') return;
    rt.actual = v === rt.cfg.busyValue;
    this.emitState(rt);
  }

  /** A meter's reading counts only whole: the live block and the counter from this one poll. */
  private observeMeter(rt: Runtime, regs: Map<number, number>): void {
    const reading = decodeMeter(regs, this.clock.now());
    if (!reading) return;
    rt.meter = reading;
    this.emitState(rt);
  }

  /** After a poll: retry failed writes, and rewrite what was read in the wrong state. */
  private async correct(rt: Runtime, observed: boolean): Promise<void> {
    if (this.closed || (rt.cfg.kind === 'lock' && this.isPulsing(rt))) return;
    if (rt.cfg.kind === 'speaker' || rt.cfg.kind === 'energy_meter') return;
    if (!rt.dirty) {
      if (!observed) return;
      const want = this.desired(rt);
      if (this.matches(rt, want)) return;
      // Locks are corrected from the start: a released strike nobody asked for is an open door.
      if (!this.reconciled && rt.cfg.kind !== 'lock') return;
      this.log('warn', 'device drifted from its desired state; rewriting it', {
        device: rt.cfg.id,
        desired: want,
        actual: rt.actual,
      });
    }
    await this.drive(rt, true).catch(() => undefined);
  }

  private decodeSwitch(rt: Runtime, v: boolean | number | undefined): boolean | null {
    const cfg = rt.cfg as SwitchConfig;
    const { on, off } = switchValues(cfg);
    const value = cfg.writeType === 'coil' ? Boolean(v) : Number(v);
    if (value === on) return true;
    if (value === off) return false;
    return null;
  }

  // ---- events ----

  private stateOf(rt: Runtime): DeviceState {
    const s: DeviceState = {
      deviceId: rt.cfg.id,
      kind: rt.cfg.kind,
      rooms: [...rt.cfg.rooms],
      desired: this.desired(rt),
      actual: rt.actual,
      override: rt.override,
    };
    if (rt.cfg.kind === 'ac' && rt.cfg.model.currentTemperature) s.temperature = rt.temperature;
    if (rt.cfg.kind === 'lock' && rt.cfg.contact) s.doorClosed = rt.doorClosed;
    if (rt.cfg.kind === 'energy_meter') s.meter = rt.meter;
    return s;
  }

  private emitState(rt: Runtime): void {
    const state = this.stateOf(rt);
    const key = JSON.stringify(state);
    if (key === rt.lastEmitted) return;
    rt.lastEmitted = key;
    this.emit({ type: 'state', state });
  }

  private healthOf(rt: Runtime, r: HealthRecord): DeviceHealth {
    return {
      deviceId: rt.cfg.id,
      kind: rt.cfg.kind,
      busId: rt.cfg.bus,
      rooms: [...rt.cfg.rooms],
      ok: r.ok,
      lastOkAt: r.lastOkAt,
      lastError: r.lastError,
      errors: r.errors,
    };
  }

  private onDeviceHealth(deviceId: string, r: HealthRecord): void {
    const rt = this.byId.get(deviceId);
    if (rt) this.emit({ type: 'health', device: this.healthOf(rt, r) });
  }

  private emit(e: DevicesEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch (err) {
        this.log('error', 'devices event listener threw', { error: errorText(err) });
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('devices are closed');
  }
}

function errorText(e: unknown): string {
  if (e instanceof ModbusRequestError || e instanceof Error) return e.message;
  return String(e);
}
