// The `Devices` the hub codes against, on Modbus: turns room needs and staff overrides into one
// desired state per device, writes only what changed (and everything on reconcile), verifies by
// echo and read-back, pulses locks, and polls relays, door contacts and AC gateways to notice a
// board that lost its state, and energy meters for their readings (at their own, slower pace);
// plays clips on room speakers when asked. It must never know about bookings or sessions, and never decide from
// memory alone what a relay is doing: what it reports as `actual` was echoed or read back.
// This class holds every device's runtime and decides when each is written; the pieces it drives
// live beside it: what is wanted (desired-state.ts), the frames that write it (device-writes.ts),
// a lock's pulse (lock-pulse.ts), announcements (speaker-announce.ts), the poll loop
// (device-poll.ts) and the installer's probe (device-probe.ts).
import type { Clock } from '@roomhub/shared-types';
import { bindRooms, type DevicesConfig } from './config';
import { Bus, type BusLog, type HealthRecord } from './bus';
import type {
  BusHealth,
  DeviceHealth,
  DeviceState,
  Devices,
  DevicesEvent,
  RoomNeeds,
} from './devices';
import { DeviceWriteError, errorText } from './device-errors';
import { isPulsing, newRuntime, serialize, type Runtime } from './device-runtime';
import { desired, matches } from './desired-state';
import { apply } from './device-writes';
import { LockPulses } from './lock-pulse';
import { announce } from './speaker-announce';
import { DevicePoll } from './device-poll';
import { probeDevices, type DeviceProbe } from './device-probe';
import { planReads } from './read-plan';

export { DeviceWriteError } from './device-errors';
export { DEFAULT_AC_SETTING } from './desired-state';
export type { DeviceProbe } from './device-probe';

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

const DEFAULT_POLL_MS = 2000;
const DEFAULT_METER_POLL_MS = 10_000;

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
  private readonly buses = new Map<string, Bus>();
  private readonly runtimes: Runtime[] = [];
  private readonly byId = new Map<string, Runtime>();
  private readonly byRoom = new Map<string, Runtime[]>();
  private readonly lockOfRoom = new Map<string, Runtime>();
  private readonly speakersOfRoom = new Map<string, Runtime[]>();
  private readonly needs = new Map<string, RoomNeeds>();
  private readonly listeners = new Set<(e: DevicesEvent) => void>();
  private readonly locks: LockPulses;
  private readonly poll: DevicePoll;
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
      const rt = newRuntime(cfg, bus);
      this.runtimes.push(rt);
      this.byId.set(cfg.id, rt);
    }
    this.indexRooms();
    const emitState = (rt: Runtime): void => this.emitState(rt);
    const drive = (rt: Runtime, force: boolean): Promise<void> => this.drive(rt, force);
    const closed = (): boolean => this.closed;
    this.locks = new LockPulses({ clock: this.clock, log: this.log, closed, drive, emitState });
    this.poll = new DevicePoll({
      clock: this.clock,
      log: this.log,
      pollMs: opts.pollMs ?? DEFAULT_POLL_MS,
      meterPollMs: opts.meterPollMs ?? DEFAULT_METER_POLL_MS,
      runtimes: this.runtimes,
      runs: planReads(this.runtimes),
      closed,
      reconciled: () => this.reconciled,
      desired: (rt) => desired(rt, this.needs),
      drive,
      emitState,
      emit: (e) => this.emit(e),
    });
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
    this.poll.start();
  }

  // ---- Devices ----

  async openDoor(roomId: string): Promise<{ deviceId: string; confirmedAt: number }> {
    this.assertOpen();
    const rt = this.lockOfRoom.get(roomId);
    if (!rt || rt.cfg.kind !== 'lock') throw new Error(`room "${roomId}" has no lock`);
    return this.locks.open(rt, rt.cfg);
  }

  async announce(
    roomId: string,
    clip: number,
    volumePercent: number,
  ): Promise<{ deviceId: string; confirmedAt: number }[]> {
    this.assertOpen();
    return announce(this.speakersOfRoom.get(roomId) ?? [], clip, volumePercent, {
      clock: this.clock,
      emitState: (rt) => this.emitState(rt),
    });
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
    await this.poll.now();
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
    return probeDevices(wanted);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.poll.stop();
    const releasing: Promise<unknown>[] = [];
    for (const rt of this.runtimes) {
      const release = this.locks.stop(rt);
      if (release) releasing.push(release);
    }
    await Promise.allSettled([...releasing, ...this.runtimes.map((rt) => rt.chain)]);
    await Promise.all([...this.buses.values()].map((b) => b.close()));
    this.listeners.clear();
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
    return serialize(rt, async () => {
      if (this.closed) return;
      // A lock mid-pulse is the pulse's business; it is driven off when the pulse ends.
      if (rt.cfg.kind === 'lock' && isPulsing(rt)) return;
      const want = desired(rt, this.needs);
      if (want !== null && typeof want === 'object') rt.lastAc = want;
      if (!force && !rt.dirty && matches(rt, want)) {
        this.emitState(rt); // the desired state may have changed even if nothing needs writing
        return;
      }
      rt.writes++;
      try {
        await apply(rt, want, force);
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

  // ---- events ----

  private stateOf(rt: Runtime): DeviceState {
    const s: DeviceState = {
      deviceId: rt.cfg.id,
      kind: rt.cfg.kind,
      rooms: [...rt.cfg.rooms],
      desired: desired(rt, this.needs),
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
