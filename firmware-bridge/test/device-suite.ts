// The device scenarios every transport must pass, run against the simulator: once over Modbus TCP
// and once over RTU on a socat pty pair (see the *.test.ts files beside this one).
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createDevices, DeviceWriteError, type BridgeDevices } from '../src/bridge';
import type { DevicesConfig } from '../src/config';
import { ROOM_IDLE, type AcSetting, type DevicesEvent, type RoomNeeds } from '../src/devices';
import { demoDevicesConfig, type Simulator, type SimulatorEndpoint } from '../src/simulator';

export interface Rig {
  sim: Simulator;
  endpoint: SimulatorEndpoint;
  close(): Promise<void>;
}

export interface SuiteOptions {
  /** How a garbled answer shows: RTU has a CRC to fail, Modbus TCP only a frame that makes no sense. */
  garbage: RegExp;
}

export const ROOMS = ['room-a', 'room-b'];
const [A, B] = ROOMS as [string, string];
const PULSE_MS = 300;
const TIMEOUT_MS = 150;
const RETRIES = 2;

const LOCK_BOARD = 1;
const SWITCH_BOARD = 2;
const AC_A = 10;
const CORRIDOR = 7;

const needs = (over: Partial<RoomNeeds>): RoomNeeds => ({ ...ROOM_IDLE, ...over });
const cool: AcSetting = { power: true, mode: 'cool', setpoint: 24.5, fan: 'high' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

export function configFor(endpoint: SimulatorEndpoint, pulse: 'timed' | 'on-off'): DevicesConfig {
  const config = demoDevicesConfig(ROOMS, endpoint, {
    lockPulse: pulse,
    pulseMs: PULSE_MS,
    timeoutMs: TIMEOUT_MS,
    retries: RETRIES,
  });
  // Room A's light reads back every write; the other switches trust the echo.
  const light = config.devices.find((d) => d.id === `${A}-light`);
  if (light && light.kind === 'light') light.verify = true;
  return config;
}

export function deviceSuite(makeRig: () => Promise<Rig>, opts: SuiteOptions): void {
  let rig: Rig;
  let devices: BridgeDevices;
  let events: DevicesEvent[];
  const extra: BridgeDevices[] = [];

  beforeAll(async () => {
    rig = await makeRig();
  });
  afterAll(async () => {
    await rig.close();
  });
  beforeEach(async () => {
    for (const slave of [LOCK_BOARD, SWITCH_BOARD, AC_A, AC_A + 1]) rig.sim.fault(slave, null);
    rig.sim.powerCut();
    rig.sim.clearWrites();
    devices = await createDevices(configFor(rig.endpoint, 'timed'), { pollMs: 0 });
    events = [];
    devices.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    await devices.close();
    for (const d of extra.splice(0)) await d.close();
  });

  it('opens a door with the board-timed pulse: confirmed on the echo, off by itself', async () => {
    const t0 = performance.now();
    const opened = await devices.openDoor(A);
    const latency = performance.now() - t0;
    expect(opened.deviceId).toBe(`${A}-lock`);
    // Confirmed by the first attempt's echo (no retry), whatever the machine's load.
    expect(devices.health().buses[0]).toMatchObject({ retries: 0, errors: 0 });
    expect(latency).toBeLessThan(1000);
    expect(rig.sim.coil(LOCK_BOARD, 0)).toBe(true);
    // Waveshare "flash on": function 05 at 0x0200 + relay, value in 100 ms units.
    expect(rig.sim.writes()).toContainEqual(
      expect.objectContaining({ slaveId: LOCK_BOARD, table: 'coil', address: 0x0200, value: 3 }),
    );
    expect(devices.states().find((s) => s.deviceId === `${A}-lock`)).toMatchObject({
      desired: true,
      actual: true,
    });
    // No write from us turns it off: the board does.
    const writesAfterPulse = rig.sim.writes().length;
    await until(() => !rig.sim.coil(LOCK_BOARD, 0), PULSE_MS + 300);
    expect(rig.sim.writes()).toHaveLength(writesAfterPulse);
    // The bridge reads the relay back after the pulse and reports the door locked again.
    await until(() => devices.states().find((s) => s.deviceId === `${A}-lock`)?.actual === false);
    expect(rig.sim.coil(LOCK_BOARD, 1)).toBe(false);
  });

  it('opens a door with on-off: relay on, confirmed, then off after the pulse', async () => {
    const onOff = await createDevices(configFor(rig.endpoint, 'on-off'), { pollMs: 0 });
    extra.push(onOff);
    await devices.close(); // one master per line
    devices = onOff;
    await onOff.openDoor(B);
    expect(rig.sim.coil(LOCK_BOARD, 1)).toBe(true);
    await until(() => !rig.sim.coil(LOCK_BOARD, 1), PULSE_MS + 500);
    const lockWrites = rig.sim.writes().filter((w) => w.slaveId === LOCK_BOARD);
    expect(lockWrites.map((w) => w.value)).toEqual([true, false]);
    const [on, off] = lockWrites;
    expect(off!.at - on!.at).toBeGreaterThanOrEqual(PULSE_MS - 5);
  });

  it('refuses to open a room without a lock', async () => {
    await expect(devices.openDoor('room-z')).rejects.toThrow(/has no lock/);
  });

  it('lights follow needs, and staff overrides win over them', async () => {
    await devices.setRoomNeeds(A, needs({ lights: true }));
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(true);
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(false);
    expect(devices.states().find((s) => s.deviceId === `${A}-light`)).toMatchObject({
      desired: true,
      actual: true,
    });

    await devices.setOverride(`${A}-light`, false);
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(false);
    await devices.setOverride(`${A}-light`, null);
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(true);

    // Only changes are written.
    const before = rig.sim.writes().length;
    await devices.setRoomNeeds(A, needs({ lights: true }));
    expect(rig.sim.writes()).toHaveLength(before);

    await devices.setRoomNeeds(A, needs({ lights: false }));
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(false);
  });

  it('keeps the shared corridor light on until the last room releases it', async () => {
    await devices.setRoomNeeds(A, needs({ lights: true, freshAir: true }));
    await devices.setRoomNeeds(B, needs({ lights: true }));
    expect(rig.sim.coil(SWITCH_BOARD, CORRIDOR)).toBe(true);
    await devices.setRoomNeeds(A, needs({}));
    expect(rig.sim.coil(SWITCH_BOARD, CORRIDOR)).toBe(true);
    expect(rig.sim.coil(SWITCH_BOARD, 6)).toBe(false); // fresh air: nobody needs it now
    await devices.setRoomNeeds(B, needs({}));
    expect(rig.sim.coil(SWITCH_BOARD, CORRIDOR)).toBe(false);
  });

  it('writes the AC setting with its scale and reads it back', async () => {
    await devices.setRoomNeeds(A, needs({ ac: cool }));
    // power, mode (cool = 1), set-point in tenths, fan (high = 3)
    expect(rig.sim.registers(AC_A, 0, 4)).toEqual([1, 1, 245, 3]);
    expect(devices.states().find((s) => s.deviceId === `${A}-ac`)).toMatchObject({
      desired: cool,
      actual: cool,
    });
    await devices.pollNow();
    const temperature = devices.states().find((s) => s.deviceId === `${A}-ac`)?.temperature;
    expect(temperature).toBeCloseTo(rig.sim.roomTemperature(AC_A), 0);

    await devices.setRoomNeeds(A, needs({ ac: { ...cool, setpoint: 22 } }));
    expect(rig.sim.registers(AC_A, 2, 1)).toEqual([220]);
    await devices.setRoomNeeds(A, needs({ ac: null }));
    expect(rig.sim.registers(AC_A, 0, 1)).toEqual([0]);
    expect(devices.states().find((s) => s.deviceId === `${A}-ac`)).toMatchObject({
      desired: null,
      actual: { power: false },
    });
  });

  it('verify catches a board that echoed a write without taking it', async () => {
    rig.sim.fault(SWITCH_BOARD, 'ignore-writes');
    const failed = devices.setRoomNeeds(A, needs({ lights: true }));
    await expect(failed).rejects.toBeInstanceOf(DeviceWriteError);
    await expect(failed).rejects.toThrow(/read back false: the board did not take the write/);
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(false);
    expect(devices.states().find((s) => s.deviceId === `${A}-light`)?.actual).toBe(false);

    // The desired state is kept: the next poll writes it again once the board behaves.
    rig.sim.fault(SWITCH_BOARD, null);
    await devices.pollNow();
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(true);
  });

  it('retries a timeout and succeeds once the fault clears', async () => {
    rig.sim.fault(SWITCH_BOARD, 'timeout');
    setTimeout(() => rig.sim.fault(SWITCH_BOARD, null), TIMEOUT_MS / 2);
    await devices.setRoomNeeds(B, needs({ lights: true }));
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(true);
    const bus = devices.health().buses[0];
    expect(bus?.retries).toBeGreaterThanOrEqual(1);
    expect(bus?.errors).toBeGreaterThanOrEqual(1);
    expect(devices.health().devices.find((d) => d.deviceId === `${B}-light`)?.ok).toBe(true);
  });

  it('reports a dead device while another on the same bus keeps working in bounded time', async () => {
    rig.sim.fault(AC_A, 'timeout');
    const t0 = performance.now();
    const dead = devices.setRoomNeeds(A, needs({ ac: cool })).then(
      () => null,
      (e: unknown) => e,
    );
    const alive = devices.setRoomNeeds(B, needs({ lights: true }));
    await alive;
    const aliveMs = performance.now() - t0;
    // Queued behind the dead AC's first write: at most its timeout and retries (with room for a
    // loaded machine's scheduling; less than another round of them).
    expect(aliveMs).toBeLessThan((RETRIES + 1) * (TIMEOUT_MS + 50) + 400);
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(true);
    expect(String(await dead)).toMatch(/slave 10 .*timeout after \d+ ms \(3 attempts\)/);

    const health = devices.health().devices.find((d) => d.deviceId === `${A}-ac`);
    expect(health).toMatchObject({ ok: false, busId: 'bus-1', rooms: [A] });
    expect(health?.errors).toBeGreaterThanOrEqual(1);
    expect(health?.lastError).toMatch(/timeout/);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'health',
        device: expect.objectContaining({ deviceId: `${A}-ac`, ok: false }),
      }),
    );

    // Known dead now: one attempt per request, never a retry, so a poll costs the others one
    // timeout per request to it at most (counted, not timed).
    const retriesBefore = devices.health().buses[0]?.retries ?? 0;
    await devices.pollNow();
    expect(devices.health().buses[0]?.retries).toBe(retriesBefore);
    expect(devices.health().devices.find((d) => d.deviceId === `${B}-light`)?.ok).toBe(true);
  });

  it('reports exception codes without retrying them', async () => {
    rig.sim.fault(SWITCH_BOARD, 'exception', 2);
    const retriesBefore = devices.health().buses[0]?.retries ?? 0;
    await expect(devices.setRoomNeeds(B, needs({ lights: true }))).rejects.toThrow(
      /Modbus exception 2/,
    );
    expect(devices.health().buses[0]?.retries).toBe(retriesBefore);
    expect(devices.health().devices.find((d) => d.deviceId === `${B}-light`)?.lastError).toMatch(
      /exception 2/,
    );
  });

  it('reports garbled answers after retrying them', async () => {
    rig.sim.fault(SWITCH_BOARD, 'crc-garbage');
    await expect(devices.setRoomNeeds(B, needs({ lights: true }))).rejects.toThrow(opts.garbage);
    expect(devices.health().buses[0]?.retries).toBeGreaterThanOrEqual(RETRIES);
    expect(devices.health().devices.find((d) => d.deviceId === `${B}-light`)?.lastError).toMatch(
      /\(3 attempts\)/,
    );
    rig.sim.fault(SWITCH_BOARD, null);
    await devices.setRoomNeeds(B, needs({ lights: true }));
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(true);
  });

  it('restores relays and the AC after a power cut on reconcile()', async () => {
    await devices.setRoomNeeds(A, needs({ lights: true, ac: cool }));
    rig.sim.powerCut();
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(false);
    expect(rig.sim.coil(SWITCH_BOARD, CORRIDOR)).toBe(false);
    await devices.reconcile();
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(true);
    expect(rig.sim.coil(SWITCH_BOARD, CORRIDOR)).toBe(true);
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(false);
    expect(rig.sim.registers(AC_A, 0, 4)).toEqual([1, 1, 245, 3]);
  });

  it('notices a relay that dropped while wanted on, and puts it back', async () => {
    await devices.setRoomNeeds(A, needs({ lights: true }));
    await devices.reconcile();
    rig.sim.powerCut();
    events.length = 0;
    await devices.pollNow();
    expect(rig.sim.coil(SWITCH_BOARD, 0)).toBe(true);
    const light = events.flatMap((e) =>
      e.type === 'state' && e.state.deviceId === `${A}-light` ? [e.state.actual] : [],
    );
    expect(light).toEqual([false, true]);
  });

  it('only observes before the first reconcile, but always relocks a released door', async () => {
    // Switched at the board behind our back: B's light, and A's lock relay (a released door).
    rig.sim.setCoil(SWITCH_BOARD, 1, true);
    rig.sim.setCoil(LOCK_BOARD, 0, true);
    await devices.pollNow();
    expect(rig.sim.coil(LOCK_BOARD, 0)).toBe(false);
    // Sessions from before a restart may not be declared yet: leave the light alone, report it.
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(true);
    expect(devices.states().find((s) => s.deviceId === `${B}-light`)).toMatchObject({
      desired: false,
      actual: true,
    });
    await devices.reconcile();
    expect(rig.sim.coil(SWITCH_BOARD, 1)).toBe(false);
  });

  it('emits door events from the contact inputs', async () => {
    await devices.pollNow();
    expect(devices.states().find((s) => s.deviceId === `${A}-lock`)?.doorClosed).toBe(true);
    rig.sim.setInput(LOCK_BOARD, 0, false);
    await devices.pollNow();
    expect(events).toContainEqual({ type: 'door', roomId: A, closed: false });
    rig.sim.setInput(LOCK_BOARD, 0, true);
    await devices.pollNow();
    expect(events).toContainEqual({ type: 'door', roomId: A, closed: true });
  });
}
