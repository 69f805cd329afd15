// One Modbus bus (an RS485 line, a Modbus TCP endpoint, or an RTU-over-TCP gateway) and its
// connection. Owns the request queue (one request in flight; door pulses go ahead of the rest),
// the inter-frame gap, per-request timeouts, bounded retries, reconnecting, and the health records
// of the bus and of every device it carries. It must never know what a device is for: callers
// hand it reads and writes by slave and address.
import type { Clock } from '@roomhub/shared-types';
import ModbusRTU from 'modbus-serial';
import { busFrameGapMs, type BusConfig } from './config';
import type { BusHealth } from './devices';

export type ModbusFailure =
  'timeout' | 'exception' | 'crc' | 'malformed' | 'mismatch' | 'connection' | 'closed';

export class ModbusRequestError extends Error {
  constructor(
    message: string,
    readonly failure: ModbusFailure,
    readonly exceptionCode?: number,
  ) {
    super(message);
    this.name = 'ModbusRequestError';
  }
}

export interface HealthRecord {
  /** No failure since the last success. */
  ok: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  errors: number;
}

export interface RequestOptions {
  /** The devices this request serves; their health records get its outcome. */
  devices: readonly string[];
  /** Door pulses: queued ahead of polls and settings, still one at a time. */
  urgent?: boolean;
}

export type BusLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface BusDeps {
  clock: Clock;
  log: BusLog;
  onDeviceHealth?: (deviceId: string, record: HealthRecord) => void;
}

interface Job {
  slaveId: number;
  label: string;
  op: (client: ModbusRTU) => Promise<unknown>;
  opts: RequestOptions;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What modbus-serial attaches to results while its debug mode is on: the raw frames. */
interface RawFrames {
  request?: Uint8Array;
  responses?: Uint8Array[];
}

// A failed connect is not retried sooner than this, so a dead gateway costs one fast failure per
// request instead of a connect timeout each.
const RECONNECT_BACKOFF_MS = 1000;
// This many timeouts in a row on a TCP link (any slave) means the socket is probably dead.
const TCP_TIMEOUT_STREAK_RECONNECT = 3;
// Bus health turns bad after this many failures in a row with no success between.
const BUS_FAILURE_STREAK = 3;

const monotonic = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Bus {
  readonly id: string;
  readonly kind: BusConfig['kind'];
  private readonly gapMs: number;
  private readonly urgent: Job[] = [];
  private readonly normal: Job[] = [];
  private pumping: Promise<void> | null = null;
  private client: ModbusRTU | null = null;
  private lastConnectFailAt = -Infinity;
  private lastConnectError = '';
  private lastFrameEndAt = -Infinity;
  private timeoutStreak = 0;
  private failureStreak = 0;
  private closed = false;
  private readonly deadSlaves = new Set<number>();
  private readonly devices = new Map<string, HealthRecord>();
  private readonly stats: BusHealth;

  constructor(
    private readonly config: BusConfig,
    private readonly deps: BusDeps,
  ) {
    this.id = config.id;
    this.kind = config.kind;
    this.gapMs = busFrameGapMs(config);
    this.stats = {
      busId: config.id,
      kind: config.kind,
      ok: true,
      lastOkAt: null,
      lastError: null,
      errors: 0,
      requests: 0,
      retries: 0,
    };
  }

  health(): BusHealth {
    return { ...this.stats };
  }

  deviceHealth(deviceId: string): HealthRecord {
    return { ...this.record(deviceId) };
  }

  /** A slave whose last request timed out after all its attempts; it gets one attempt until it answers. */
  isSlaveDead(slaveId: number): boolean {
    return this.deadSlaves.has(slaveId);
  }

  readCoils(slave: number, address: number, length: number, o: RequestOptions): Promise<boolean[]> {
    return this.enqueue(slave, `read coils ${address}+${length}`, o, async (c) => {
      const r = await c.readCoils(address, length);
      return r.data.slice(0, length);
    });
  }

  readDiscreteInputs(
    slave: number,
    address: number,
    length: number,
    o: RequestOptions,
  ): Promise<boolean[]> {
    return this.enqueue(slave, `read inputs ${address}+${length}`, o, async (c) => {
      const r = await c.readDiscreteInputs(address, length);
      return r.data.slice(0, length);
    });
  }

  readHoldingRegisters(
    slave: number,
    address: number,
    length: number,
    o: RequestOptions,
  ): Promise<number[]> {
    return this.enqueue(slave, `read holding ${address}+${length}`, o, async (c) => {
      return (await c.readHoldingRegisters(address, length)).data;
    });
  }

  readInputRegisters(
    slave: number,
    address: number,
    length: number,
    o: RequestOptions,
  ): Promise<number[]> {
    return this.enqueue(slave, `read input registers ${address}+${length}`, o, async (c) => {
      return (await c.readInputRegisters(address, length)).data;
    });
  }

  /** Function 05; resolves once the slave echoed exactly this write. */
  writeCoil(slave: number, address: number, value: boolean, o: RequestOptions): Promise<void> {
    return this.enqueue(slave, `write coil ${address}=${value ? 1 : 0}`, o, async (c) => {
      const r = await c.writeCoil(address, value);
      if (r.address !== address || r.state !== value) {
        throw new ModbusRequestError(`echo was coil ${r.address}=${r.state ? 1 : 0}`, 'mismatch');
      }
    });
  }

  /**
   * Function 05 with a raw 16-bit value instead of FF00/0000, as relay boards with a timed pulse
   * take it (Waveshare: 0x0200 + relay, value = time in 100 ms). Resolves on an exact echo.
   */
  writeCoilValue(slave: number, address: number, raw: number, o: RequestOptions): Promise<void> {
    const data = [address >> 8, address & 0xff, raw >> 8, raw & 0xff];
    return this.enqueue(slave, `write coil ${address}=0x${raw.toString(16)}`, o, async (c) => {
      const r = (await c.customFunction(5, data)) as unknown as RawFrames;
      const echo = r.responses?.at(-1);
      const sent = r.request;
      const same =
        echo && sent && echo.length >= 6 && [0, 1, 2, 3, 4, 5].every((i) => echo[i] === sent[i]);
      if (!same) throw new ModbusRequestError('echo did not match the pulse command', 'mismatch');
    });
  }

  /** Function 06; resolves once the slave echoed exactly this write. */
  writeRegister(slave: number, address: number, value: number, o: RequestOptions): Promise<void> {
    return this.enqueue(slave, `write register ${address}=${value}`, o, async (c) => {
      const r = await c.writeRegister(address, value);
      if (r.address !== address || r.value !== value) {
        throw new ModbusRequestError(`echo was register ${r.address}=${r.value}`, 'mismatch');
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const closedError = new ModbusRequestError(`bus "${this.id}" is closed`, 'closed');
    for (const job of [...this.urgent.splice(0), ...this.normal.splice(0)]) job.reject(closedError);
    await this.pumping;
    await this.dropConnection();
  }

  private enqueue<T>(
    slaveId: number,
    label: string,
    opts: RequestOptions,
    op: (client: ModbusRTU) => Promise<T>,
  ): Promise<T> {
    if (this.closed) {
      return Promise.reject(new ModbusRequestError(`bus "${this.id}" is closed`, 'closed'));
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        slaveId,
        label,
        op,
        opts,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      (opts.urgent ? this.urgent : this.normal).push(job);
      this.pumping ??= this.pump();
    });
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const job = this.urgent.shift() ?? this.normal.shift();
        if (!job) return;
        try {
          job.resolve(await this.execute(job));
        } catch (e) {
          job.reject(e);
        }
      }
    } finally {
      this.pumping = null;
    }
  }

  private async execute(job: Job): Promise<unknown> {
    // A slave already known dead gets one attempt: its retries would only delay everyone else.
    const attempts = this.deadSlaves.has(job.slaveId) ? 1 : this.config.retries + 1;
    let failure: ModbusRequestError | null = null;
    let tried = 0;
    for (let attempt = 0; attempt < attempts && !this.closed; attempt++) {
      tried++;
      this.stats.requests++;
      if (attempt > 0) this.stats.retries++;
      try {
        const client = await this.connection();
        await this.waitForGap();
        client.setID(job.slaveId);
        client.setTimeout(this.config.timeoutMs);
        const result = await this.guard(job.op(client));
        this.lastFrameEndAt = monotonic();
        this.succeeded(job);
        return result;
      } catch (e) {
        this.lastFrameEndAt = monotonic();
        failure = this.classify(e);
        this.busFailed(failure);
        if (!isRetryable(failure)) break;
      }
    }
    failure ??= new ModbusRequestError(`bus "${this.id}" is closed`, 'closed');
    const detail = tried > 1 ? ` (${tried} attempts)` : '';
    const error = new ModbusRequestError(
      `bus "${this.id}" slave ${job.slaveId} ${job.label}: ${failure.message}${detail}`,
      failure.failure,
      failure.exceptionCode,
    );
    if (failure.failure === 'timeout') this.deadSlaves.add(job.slaveId);
    for (const d of job.opts.devices) this.deviceFailed(d, error.message);
    throw error;
  }

  private async connection(): Promise<ModbusRTU> {
    if (this.client?.isOpen) return this.client;
    await this.dropConnection();
    if (monotonic() - this.lastConnectFailAt < RECONNECT_BACKOFF_MS) {
      throw new ModbusRequestError(`not connected (${this.lastConnectError})`, 'connection');
    }
    const client = new ModbusRTU();
    // Without a listener, a serial or socket error would be thrown as an uncaught 'error' event.
    client.on('error', (e) => {
      this.deps.log('warn', 'modbus port error', { bus: this.id, error: String(e) });
    });
    client.on('close', () => {
      if (this.client === client && !this.closed) {
        this.deps.log('warn', 'modbus connection closed', { bus: this.id });
      }
    });
    // Keeps the raw frames on each result: the timed pulse is checked against its exact echo.
    (client as unknown as { isDebugEnabled: boolean }).isDebugEnabled = true;
    const connectLimit = Math.max(1000, 3 * this.config.timeoutMs);
    try {
      await withTimeout(
        this.open(client),
        connectLimit,
        `connect timed out after ${connectLimit} ms`,
      );
    } catch (e) {
      this.lastConnectFailAt = monotonic();
      this.lastConnectError = `connect failed: ${errorText(e)}`;
      destroy(client);
      throw new ModbusRequestError(this.lastConnectError, 'connection');
    }
    this.client = client;
    this.deps.log('info', 'modbus connected', { bus: this.id, kind: this.kind });
    return client;
  }

  private open(client: ModbusRTU): Promise<void> {
    const c = this.config;
    switch (c.kind) {
      case 'tcp':
        return client.connectTCP(c.host, { port: c.port });
      case 'rtu':
        return client.connectRTUBuffered(c.path, {
          baudRate: c.baudRate,
          parity: c.parity,
          dataBits: c.dataBits,
          stopBits: c.stopBits,
        });
      case 'rtu-over-tcp':
        // modbus-serial's "TcpRTUBuffered" port speaks MBAP despite its name; its Telnet port is
        // the one that carries raw RTU frames with their CRC, as transparent gateways expect.
        return client.connectTelnet(c.host, { port: c.port });
    }
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await withTimeout(
      new Promise<void>((resolve) => client.close(() => resolve())),
      500,
      'close',
    ).catch(() => destroy(client));
  }

  private async waitForGap(): Promise<void> {
    const wait = this.gapMs - (monotonic() - this.lastFrameEndAt);
    if (wait > 0) await sleep(wait);
  }

  /** modbus-serial times requests out itself; this catches the cases where it never calls back. */
  private guard<T>(p: Promise<T>): Promise<T> {
    const limit = this.config.timeoutMs + 250;
    return withTimeout(p, limit, `no answer within ${limit} ms`).catch((e: unknown) => {
      if (e instanceof TimeoutError) throw new ModbusRequestError(e.message, 'timeout');
      throw e;
    });
  }

  private classify(e: unknown): ModbusRequestError {
    if (e instanceof ModbusRequestError) return e;
    const err = e as { name?: string; message?: string; modbusCode?: number };
    const message = err.message ?? String(e);
    if (typeof err.modbusCode === 'number') {
      return new ModbusRequestError(message, 'exception', err.modbusCode);
    }
    if (err.name === 'TransactionTimedOutError' || message === 'Timed out') {
      return new ModbusRequestError(`timeout after ${this.config.timeoutMs} ms`, 'timeout');
    }
    if (message.includes('CRC')) return new ModbusRequestError('CRC error in the answer', 'crc');
    if (message.startsWith('Data length error') || message.startsWith('Unexpected data')) {
      return new ModbusRequestError(`malformed answer: ${message}`, 'malformed');
    }
    if (err.name === 'PortNotOpenError') {
      return new ModbusRequestError('port not open', 'connection');
    }
    return new ModbusRequestError(message, 'connection');
  }

  private succeeded(job: Job): void {
    const at = this.deps.clock.now();
    this.timeoutStreak = 0;
    this.failureStreak = 0;
    this.deadSlaves.delete(job.slaveId);
    this.stats.ok = true;
    this.stats.lastOkAt = at;
    for (const d of job.opts.devices) {
      const r = this.record(d);
      const changed = !r.ok || r.lastOkAt === null;
      r.ok = true;
      r.lastOkAt = at;
      if (changed) this.deps.onDeviceHealth?.(d, { ...r });
    }
  }

  private busFailed(f: ModbusRequestError): void {
    this.stats.errors++;
    this.stats.lastError = f.message;
    this.failureStreak++;
    if (f.failure === 'timeout') this.timeoutStreak++;
    if (f.failure === 'connection' || this.failureStreak >= BUS_FAILURE_STREAK) {
      this.stats.ok = false;
    }
    if (
      this.kind !== 'rtu' &&
      this.timeoutStreak >= TCP_TIMEOUT_STREAK_RECONNECT &&
      this.client !== null
    ) {
      this.timeoutStreak = 0;
      this.deps.log('warn', 'no answers on this link; reconnecting', { bus: this.id });
      void this.dropConnection();
    }
  }

  private deviceFailed(deviceId: string, message: string): void {
    const r = this.record(deviceId);
    r.ok = false;
    r.errors++;
    r.lastError = message;
    this.deps.onDeviceHealth?.(deviceId, { ...r });
  }

  private record(deviceId: string): HealthRecord {
    let r = this.devices.get(deviceId);
    if (!r) {
      r = { ok: true, lastOkAt: null, lastError: null, errors: 0 };
      this.devices.set(deviceId, r);
    }
    return r;
  }
}

function isRetryable(e: ModbusRequestError): boolean {
  switch (e.failure) {
    case 'timeout':
    case 'crc':
    case 'malformed':
    case 'mismatch':
      return true;
    case 'exception':
      // 5 = acknowledge (still working), 6 = slave busy: worth asking again; the rest are final.
      return e.exceptionCode === 5 || e.exceptionCode === 6;
    default:
      return false;
  }
}

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(message)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        // As is: modbus-serial rejects with plain objects that classify() recognises by name.
        reject(e);
      },
    );
  });
}

function destroy(client: ModbusRTU): void {
  try {
    client.destroy(() => undefined);
  } catch {
    // Already torn down: nothing left to release.
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
