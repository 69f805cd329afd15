// A store's Modbus slaves in one process: relay boards (locks, lights, fresh air, door contacts)
// and AC gateways, reachable over Modbus TCP (modbus-serial's ServerTCP) and over RTU on a serial
// line (ServerSerial, e.g. one end of a socat pty pair). Owns fault injection and inspection for
// tests and the demo. It must never be wired to real hardware or imported by production paths
// other than the demo start-up.
import type { Clock } from '@roomhub/shared-types';
import type { Socket, Server } from 'node:net';
import type { EventEmitter } from 'node:events';
import { ServerSerial, ServerTCP, type IServiceVector } from 'modbus-serial';
import { rtuFrameGapMs, wireTimeMs, type Parity } from '../rtu-timing';
import { freePort } from './free-port';
import {
  demoMeterWiring,
  DEMO_MAX_ROOMS,
  DEMO_SPEAKER_BASE,
  type MeterWiring,
} from './demo-config';
import { EnergyMeter } from './energy-meter';
import { VoiceModule, type PlayedClip } from './voice-module';
import {
  AcGateway,
  FLASH_OFF_BASE,
  FLASH_ON_BASE,
  RELAYS,
  RelayBoard,
  SlaveException,
  type Slave,
} from './slaves';

export type FaultKind = 'timeout' | 'exception' | 'crc-garbage' | 'ignore-writes';

export interface SimulatorOptions {
  /** Modbus TCP; port 0 or absent picks a free one. */
  tcp?: { port?: number; host?: string };
  /** Modbus RTU on a serial device (a pty end); the frame gap follows the baud rate. */
  rtu?: {
    path: string;
    baudRate?: number;
    parity?: Parity;
    dataBits?: 7 | 8;
    stopBits?: 1 | 2;
    /**
     * A pty carries bytes instantly. With this on, each answer is held back by the time the
     * request and the answer would take on a real line at this baud rate, so latency measured
     * over the pty is comparable with hardware. Default false.
     */
    wireTime?: boolean;
  };
  /** Slave ids of 8-relay boards. Default 1-8. */
  relayBoards?: number[];
  /** Slave ids of AC gateways. Default 10-33. */
  acGateways?: number[];
  clock?: Clock;
  /** How fast a running AC moves the room toward its set-point, °C per second. Default 0.05. */
  acDriftPerSecond?: number;
  /** Room temperature with the AC off, °C. Default 28. */
  ambient?: number;
  /**
   * Energy meters and the relays and AC gateways on their circuits. Default: one per room of the
   * demo layout (slaves 40-63), each measuring its room's light and AC.
   */
  meters?: MeterWiring[];
  /** Slave ids of voice-broadcast modules (room speakers). Default: the demo layout's, 70-93. */
  speakers?: number[];
  /** How long each stored clip plays, ms on the clock. Default 4000. */
  clipMs?: number;
}

/** What the simulated rooms draw, W: a room's standby load, a light, an AC's fan, an AC running. */
export const SIMULATED_LOADS = { standby: 15, light: 60, acFan: 60, acRunning: 1100 };

export interface SimulatedWrite {
  at: number;
  slaveId: number;
  table: 'coil' | 'holding';
  address: number;
  /** Coils: true/false, or the raw value of a timed pulse. Registers: the value. */
  value: boolean | number;
}

export interface Simulator {
  readonly tcp: { host: string; port: number } | null;
  readonly rtuPath: string | null;
  /**
   * Makes one slave misbehave until cleared with null: 'timeout' (never answers, as if
   * unplugged), 'exception' (answers with `code`, default 4), 'crc-garbage' (acts, then answers
   * with a corrupted frame), 'ignore-writes' (echoes writes without taking them).
   */
  fault(slaveId: number, kind: FaultKind | null, code?: number): void;
  /** Every relay drops and every AC gateway forgets its setting, as after a power cut. */
  powerCut(): void;
  coil(slaveId: number, n: number): boolean;
  /** Switches a relay as someone at the board would, without a Modbus write. */
  setCoil(slaveId: number, n: number, on: boolean): void;
  /** Door contacts: a relay board's discrete input (true = closed, the default). */
  setInput(slaveId: number, n: number, value: boolean): void;
  registers(slaveId: number, address: number, count: number, table?: 'holding' | 'input'): number[];
  setRegister(slaveId: number, address: number, value: number): void;
  /** Current room temperature at an AC gateway, °C. */
  roomTemperature(slaveId: number): number;
  /** An energy meter's power now, W, and its counter, kWh. */
  meter(slaveId: number): { powerW: number; energyKwh: number };
  /** Every clip a voice module started, oldest first, at the volume step it had (0-30). */
  played(slaveId: number): readonly PlayedClip[];
  /** Writes the slaves took, oldest first. */
  writes(): readonly SimulatedWrite[];
  clearWrites(): void;
  close(): Promise<void>;
}

interface Fault {
  kind: FaultKind;
  code: number;
}

const DEFAULT_RELAY_BOARDS = [1, 2, 3, 4, 5, 6, 7, 8];
const DEFAULT_AC_GATEWAYS = Array.from({ length: 24 }, (_, i) => 10 + i);
const DEFAULT_METERS = Array.from({ length: DEMO_MAX_ROOMS }, (_, i) => demoMeterWiring(i));
const DEFAULT_SPEAKERS = Array.from({ length: DEMO_MAX_ROOMS }, (_, i) => DEMO_SPEAKER_BASE + i);
const SLAVE_DEVICE_FAILURE = 4;

/** A function 05 value that is not plain on/off only reaches us through the raw frame. */
const isCommandCoil = (address: number): boolean =>
  (address >= FLASH_ON_BASE && address < FLASH_ON_BASE + RELAYS) ||
  (address >= FLASH_OFF_BASE && address < FLASH_OFF_BASE + RELAYS);

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new ModbusSimulator(opts);
  try {
    if (opts.tcp) await sim.listenTcp(opts.tcp.host ?? '127.0.0.1', opts.tcp.port ?? 0);
    if (opts.rtu) await sim.openRtu(opts.rtu);
  } catch (e) {
    await sim.close();
    throw e;
  }
  return sim;
}

class ModbusSimulator implements Simulator {
  tcp: { host: string; port: number } | null = null;
  rtuPath: string | null = null;
  private readonly slaves = new Map<number, Slave>();
  private readonly meters: EnergyMeter[] = [];
  private readonly faults = new Map<number, Fault>();
  private readonly log: SimulatedWrite[] = [];
  // Raw function 05 values seen on the wire, by slave and address, waiting for the vector call.
  private readonly coilValues = new Map<string, number[]>();
  private readonly clock: Clock;
  private tcpServer: ServerTCP | null = null;
  private serialServer: ServerSerial | null = null;

  constructor(opts: SimulatorOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    for (const id of opts.relayBoards ?? DEFAULT_RELAY_BOARDS)
      this.slaves.set(id, new RelayBoard());
    for (const id of opts.acGateways ?? DEFAULT_AC_GATEWAYS) {
      this.slaves.set(
        id,
        new AcGateway({
          clock: this.clock,
          driftPerSecond: opts.acDriftPerSecond ?? 0.05,
          ambient: opts.ambient ?? 28,
        }),
      );
    }
    for (const w of opts.meters ?? DEFAULT_METERS) {
      const meter = new EnergyMeter({
        clock: this.clock,
        load: () => this.load(w),
        // Meters in a store have been counting for a while; each demo meter starts elsewhere.
        startKwh: 1000 + w.slaveId,
      });
      this.slaves.set(w.slaveId, meter);
      this.meters.push(meter);
    }
    for (const id of opts.speakers ?? DEFAULT_SPEAKERS) {
      this.slaves.set(id, new VoiceModule(this.clock, opts.clipMs));
    }
  }

  /** What a meter's circuit draws now, from its relays and AC gateways as they are. */
  private load(w: MeterWiring): number {
    let watts = SIMULATED_LOADS.standby;
    for (const l of w.lights) {
      const board = this.slaves.get(l.slaveId);
      if (board instanceof RelayBoard && board.getCoil(l.relay)) watts += SIMULATED_LOADS.light;
    }
    for (const id of w.acs) {
      const ac = this.slaves.get(id);
      if (!(ac instanceof AcGateway)) continue;
      const load = ac.load();
      if (load === 'fan') watts += SIMULATED_LOADS.acFan;
      if (load === 'running') watts += SIMULATED_LOADS.acRunning;
    }
    return watts;
  }

  /**
   * Every meter counts what was drawn up to now and takes what is drawn now: called before a
   * write (the old load up to it) and after (the new load from it).
   */
  private accrueMeters(): void {
    for (const m of this.meters) m.accrue();
  }

  meter(slaveId: number): { powerW: number; energyKwh: number } {
    const s = this.slave(slaveId);
    if (!(s instanceof EnergyMeter)) throw new Error(`slave ${slaveId} is not an energy meter`);
    return { powerW: s.powerW(), energyKwh: s.energyKwh() };
  }

  played(slaveId: number): readonly PlayedClip[] {
    const s = this.slave(slaveId);
    if (!(s instanceof VoiceModule)) throw new Error(`slave ${slaveId} is not a voice module`);
    return s.history();
  }

  fault(slaveId: number, kind: FaultKind | null, code = SLAVE_DEVICE_FAILURE): void {
    if (kind === null) this.faults.delete(slaveId);
    else this.faults.set(slaveId, { kind, code });
  }

  powerCut(): void {
    this.accrueMeters();
    for (const s of this.slaves.values()) s.powerCut();
    this.accrueMeters();
  }

  coil(slaveId: number, n: number): boolean {
    return this.slave(slaveId).getCoil(n);
  }

  setCoil(slaveId: number, n: number, on: boolean): void {
    this.accrueMeters();
    this.slave(slaveId).writeCoil(n, on ? 0xff00 : 0);
    this.accrueMeters();
  }

  setInput(slaveId: number, n: number, value: boolean): void {
    const s = this.slave(slaveId);
    if (!(s instanceof RelayBoard)) throw new Error(`slave ${slaveId} has no inputs`);
    s.setInput(n, value);
  }

  registers(
    slaveId: number,
    address: number,
    count: number,
    table: 'holding' | 'input' = 'holding',
  ): number[] {
    const s = this.slave(slaveId);
    return Array.from({ length: count }, (_, i) =>
      table === 'holding' ? s.getHoldingRegister(address + i) : s.getInputRegister(address + i),
    );
  }

  setRegister(slaveId: number, address: number, value: number): void {
    this.accrueMeters();
    this.slave(slaveId).setHoldingRegister(address, value);
    this.accrueMeters();
  }

  roomTemperature(slaveId: number): number {
    const s = this.slave(slaveId);
    if (!(s instanceof AcGateway)) throw new Error(`slave ${slaveId} is not an AC gateway`);
    return s.roomTemperature();
  }

  writes(): readonly SimulatedWrite[] {
    return this.log;
  }

  clearWrites(): void {
    this.log.length = 0;
  }

  async listenTcp(host: string, wanted: number): Promise<void> {
    // ServerTCP treats port 0 as "use 502", so ask the kernel for a free port first.
    for (let attempt = 0; ; attempt++) {
      const port = wanted || (await freePort(host));
      try {
        this.tcpServer = await this.startTcp(host, port);
        this.tcp = { host, port };
        return;
      } catch (e) {
        if (wanted || attempt >= 4) throw e;
      }
    }
  }

  async openRtu(o: NonNullable<SimulatorOptions['rtu']>): Promise<void> {
    const framing = {
      baudRate: o.baudRate ?? 9600,
      parity: o.parity ?? 'none',
      dataBits: o.dataBits ?? 8,
      stopBits: o.stopBits ?? 1,
    } as const;
    let port: { write(b: Buffer): unknown } | null = null;
    let requestBytes = 0;
    const answer = (frame: Buffer): void => {
      const out = this.garbleRtu(frame);
      if (!o.wireTime) {
        port?.write(out);
        return;
      }
      setTimeout(() => port?.write(out), wireTimeMs(requestBytes + out.length, framing));
    };
    const options = {
      path: o.path,
      baudRate: framing.baudRate,
      parity: framing.parity,
      dataBits: framing.dataBits,
      stopBits: framing.stopBits,
      unitID: 255,
      // A slave takes 3.5 characters of silence as the end of a request; modbus-serial's default
      // (30 ms) would add most of a frame time to every exchange.
      interval: Math.max(1, rtuFrameGapMs(framing)),
      // Answers go through here so faults can garble them on the way out.
      portResponse: { write: answer },
    };
    const server = await new Promise<ServerSerial>((resolve, reject) => {
      const s = new ServerSerial(this.vector(), {
        ...options,
        // Without it, a port that fails to open throws as an unhandled 'error' event.
        openCallback: (e: Error | null | undefined) => {
          if (e) reject(e);
        },
      } as unknown as ConstructorParameters<typeof ServerSerial>[1]);
      s.once('initialized', () => resolve(s));
      s.once('error', (e) => reject(e ?? new Error('serial server failed')));
      s.on('socketError', () => undefined);
    });
    port = (server as unknown as { getPort(): { write(b: Buffer): unknown } }).getPort();
    // The pipe stage emits whole frames (split on silence); read pulse values from them.
    const frames = (server as unknown as { _server: EventEmitter })._server;
    frames.prependListener('data', (frame: Buffer) => {
      requestBytes = frame.length;
      this.observeRequest(frame);
    });
    this.serialServer = server;
    this.rtuPath = o.path;
  }

  async close(): Promise<void> {
    for (const s of this.slaves.values()) s.dispose();
    const servers: Promise<void>[] = [];
    if (this.tcpServer) servers.push(closeServer(this.tcpServer));
    if (this.serialServer) servers.push(closeServer(this.serialServer));
    this.tcpServer = null;
    this.serialServer = null;
    await Promise.all(servers);
  }

  private startTcp(host: string, port: number): Promise<ServerTCP> {
    return new Promise((resolve, reject) => {
      const server = new ServerTCP(this.vector(), { host, port, unitID: 255 });
      server.once('initialized', () => resolve(server));
      server.once('serverError', (e) => {
        server.close(() => undefined);
        reject(e ?? new Error(`cannot listen on ${host}:${port}`));
      });
      server.on('socketError', () => undefined);
      const net = (server as unknown as { _server: Server })._server;
      net.on('connection', (sock: Socket) => this.tapTcp(sock));
    });
  }

  /** Reads requests as they arrive (before ServerTCP parses them) and garbles answers on faults. */
  private tapTcp(sock: Socket): void {
    let pending = Buffer.alloc(0);
    sock.prependListener('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 7) {
        const length = pending.readUInt16BE(4);
        if (pending.length < 6 + length) break;
        this.observeRequest(pending.subarray(6, 6 + length));
        pending = pending.subarray(6 + length);
      }
    });
    const write = sock.write.bind(sock) as (b: Buffer) => boolean;
    (sock as unknown as { write: (b: Buffer) => boolean }).write = (frame: Buffer) =>
      write(this.garbleTcp(frame));
  }

  /** `pdu` starts with the unit id: unit, function, data (any CRC after it is ignored). */
  private observeRequest(pdu: Buffer): void {
    if (pdu.length < 6 || pdu[1] !== 5) return;
    const unit = pdu[0] ?? 0;
    const address = pdu.readUInt16BE(2);
    if (!isCommandCoil(address)) return;
    const key = `${unit}:${address}`;
    const queue = this.coilValues.get(key) ?? [];
    queue.push(pdu.readUInt16BE(4));
    this.coilValues.set(key, queue);
  }

  private garbleRtu(frame: Buffer): Buffer {
    if (this.faults.get(frame[0] ?? 0)?.kind !== 'crc-garbage' || frame.length < 4) return frame;
    const out = Buffer.from(frame);
    out.writeUInt16LE(out.readUInt16LE(out.length - 2) ^ 0x5a5a, out.length - 2);
    return out;
  }

  // Modbus TCP has no CRC; a garbled answer reaches the master as a frame that makes no sense.
  private garbleTcp(frame: Buffer): Buffer {
    if (frame.length < 8 || this.faults.get(frame[6] ?? 0)?.kind !== 'crc-garbage') return frame;
    const out = Buffer.from(frame);
    out.fill(0xff, 7);
    return out;
  }

  private slave(id: number): Slave {
    const s = this.slaves.get(id);
    if (!s) throw new Error(`no simulated slave ${id}`);
    return s;
  }

  private vector(): IServiceVector {
    return {
      getCoil: (addr: number, unit: number, cb: (e: Error | null, v: boolean) => void) =>
        this.serve(unit, false, cb, (s) => s.getCoil(addr)),
      getDiscreteInput: (addr: number, unit: number, cb: (e: Error | null, v: boolean) => void) =>
        this.serve(unit, false, cb, (s) => s.getDiscreteInput(addr)),
      getHoldingRegister: (addr: number, unit: number, cb: (e: Error | null, v: number) => void) =>
        this.serve(unit, false, cb, (s) => s.getHoldingRegister(addr)),
      getInputRegister: (addr: number, unit: number, cb: (e: Error | null, v: number) => void) =>
        this.serve(unit, false, cb, (s) => s.getInputRegister(addr)),
      setCoil: (addr: number, on: boolean, unit: number, cb: (e: Error | null) => void) => {
        const raw = isCommandCoil(addr)
          ? (this.coilValues.get(`${unit}:${addr}`)?.shift() ?? 0)
          : on
            ? 0xff00
            : 0;
        this.serve(unit, true, cb, (s) => {
          s.writeCoil(addr, raw);
          this.record(unit, 'coil', addr, isCommandCoil(addr) ? raw : on);
        });
      },
      setRegister: (addr: number, value: number, unit: number, cb: (e: Error | null) => void) =>
        this.serve(unit, true, cb, (s) => {
          s.setHoldingRegister(addr, value);
          this.record(unit, 'holding', addr, value);
        }),
    };
  }

  private serve<T>(
    unit: number,
    isWrite: boolean,
    cb: (e: Error | null, v: T) => void,
    act: (s: Slave) => T,
  ): void {
    const slave = this.slaves.get(unit);
    // Nobody at this address: on a real line nothing answers either.
    if (!slave) return;
    const fault = this.faults.get(unit);
    if (fault?.kind === 'timeout') return;
    if (fault?.kind === 'exception') {
      cb(exception(fault.code, 'injected fault'), undefined as T);
      return;
    }
    if (fault?.kind === 'ignore-writes' && isWrite) {
      cb(null, undefined as T);
      return;
    }
    let value: T;
    if (isWrite) this.accrueMeters();
    try {
      value = act(slave);
    } catch (e) {
      const code = e instanceof SlaveException ? e.code : SLAVE_DEVICE_FAILURE;
      cb(exception(code, (e as Error).message), undefined as T);
      return;
    } finally {
      if (isWrite) this.accrueMeters();
    }
    cb(null, value);
  }

  private record(
    slaveId: number,
    table: 'coil' | 'holding',
    address: number,
    value: boolean | number,
  ): void {
    this.log.push({ at: this.clock.now(), slaveId, table, address, value });
  }
}

function exception(code: number, message: string): Error {
  return Object.assign(new Error(message), { modbusErrorCode: code });
}

function closeServer(server: ServerTCP | ServerSerial): Promise<void> {
  return new Promise((resolve) => {
    const limit = setTimeout(resolve, 1000);
    server.close(() => {
      clearTimeout(limit);
      resolve();
    });
  });
}
