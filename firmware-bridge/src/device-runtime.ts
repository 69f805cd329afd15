// What the bridge holds for one configured device while it runs: its desired-state inputs (a
// staff override), what it last confirmed on the wire, its pulse and read-back timers, and the
// chain its operations queue on, so one device is never written by two tasks at once. It must
// never remember an `actual` that was not echoed or read back from the board.
import type { Bus } from './bus';
import type { DeviceConfig } from './config';
import type { AcSetting, MeterReading } from './devices';

export interface Runtime {
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

/** A device as it starts: nothing confirmed yet, nothing asked of it. */
export function newRuntime(cfg: DeviceConfig, bus: Bus): Runtime {
  return {
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
}

// Pulses are timed against a clock no wall-clock change can move.
export const monotonic = (): number => performance.now();

/** Whether a lock is released by its pulse right now. */
export function isPulsing(rt: Runtime): boolean {
  return monotonic() < rt.pulseUntil;
}

/** Runs a task on the device's chain: after every task queued before it, failed or not. */
export function serialize<T>(rt: Runtime, task: () => Promise<T>): Promise<T> {
  const next = rt.chain.then(task, task);
  rt.chain = next.catch(() => undefined);
  return next;
}
