// The bridge's poll loop: every relay, door contact, AC gateway and speaker read each cycle in as
// few Modbus reads as the plan allows, energy meters at their own slower pace, and after each
// cycle the devices corrected that drifted (a board that lost its state on power loss) or whose
// last write failed. One cycle at a time. A reading that raced a write is dropped, never trusted.
import type { Clock } from '@roomhub/shared-types';
import type { BusLog, RequestOptions } from './bus';
import type { AcSetting, DevicesEvent } from './devices';
import { errorText } from './device-errors';
import { isPulsing, monotonic, type Runtime } from './device-runtime';
import { decodeSwitch, matches } from './desired-state';
import { decodeMeter } from './meter-registers';
import { decodeAc, toSigned16 } from './ac-registers';
import { readRun, registerKey, type ReadRun } from './read-plan';

// A slave that stopped answering is polled only every this many cycles, so its timeouts do not
// hold up the rest of its bus every cycle.
const DEAD_SLAVE_POLL_EVERY = 5;

export interface DevicePollDeps {
  clock: Clock;
  log: BusLog;
  /** Poll period in ms; 0 turns polling off (only `now()` polls). */
  pollMs: number;
  /** Energy meters are read in a timed poll at most this often (ms). */
  meterPollMs: number;
  runtimes: readonly Runtime[];
  runs: readonly ReadRun<Runtime>[];
  closed: () => boolean;
  /**
   * Whether the hub has reconciled once. Until then a poll only observes (locks aside): the
   * needs of sessions that were running before a restart may not have been declared yet.
   */
  reconciled: () => boolean;
  desired: (rt: Runtime) => boolean | AcSetting | null;
  /** Brings a device to its desired state. */
  drive: (rt: Runtime, force: boolean) => Promise<void>;
  /** Tells listeners the device's state, if it changed. */
  emitState: (rt: Runtime) => void;
  emit: (e: DevicesEvent) => void;
}

export class DevicePoll {
  /** When meters were last read in a poll (monotonic ms). */
  private metersReadAt = -Infinity;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private pollCycle = 0;

  constructor(private readonly d: DevicePollDeps) {}

  start(): void {
    if (this.d.pollMs > 0) this.schedulePoll(0);
  }

  /** One cycle now, meters included. */
  async now(): Promise<void> {
    // One cycle at a time: a manual poll waits for a running one and then does its own.
    while (this.polling) await this.polling;
    this.polling = this.pollOnce(true).finally(() => {
      this.polling = null;
    });
    await this.polling;
  }

  /** Stops the timer and waits for a running cycle to end. */
  async stop(): Promise<void> {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await this.polling?.catch(() => undefined);
  }

  private schedulePoll(delay: number): void {
    if (this.d.closed()) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (this.d.closed()) return;
      this.polling ??= this.pollOnce().finally(() => {
        this.polling = null;
      });
      void this.polling
        .catch((e: unknown) => this.d.log('error', 'poll failed', { error: errorText(e) }))
        .then(() => this.schedulePoll(this.d.pollMs));
    }, delay);
  }

  private async pollOnce(allMeters = false): Promise<void> {
    const cycle = this.pollCycle++;
    // Meters at their own pace; a lock's pulse still goes ahead of their reads in the bus queue.
    const readMeters = allMeters || monotonic() - this.metersReadAt >= this.d.meterPollMs;
    if (readMeters) this.metersReadAt = monotonic();
    // A write during this cycle makes the device's readings stale: they are dropped until the
    // next cycle. Door contacts are inputs, which no write of ours changes.
    const writesAtStart = new Map(this.d.runtimes.map((rt) => [rt, rt.writes]));
    const fresh = (rt: Runtime): boolean => writesAtStart.get(rt) === rt.writes;
    const observed = new Set<Runtime>();
    const acValues = new Map<Runtime, Map<number, number>>();
    const meterValues = new Map<Runtime, Map<number, number>>();
    const reads = this.d.runs
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
    await Promise.allSettled(this.d.runtimes.map((rt) => this.correct(rt, observed.has(rt))));
  }

  /** Returns whether the reading counts (a lock mid-pulse is on by design). */
  private observeRelay(rt: Runtime, v: boolean | number): boolean {
    if (rt.cfg.kind === 'lock' && isPulsing(rt)) return false;
    rt.actual = rt.cfg.kind === 'lock' ? Boolean(v) : decodeSwitch(rt, v);
    this.d.emitState(rt);
    return true;
  }

  private observeContact(rt: Runtime, v: boolean): void {
    if (rt.cfg.kind !== 'lock' || !rt.cfg.contact) return;
    const closed = v === rt.cfg.contact.closedValue;
    const before = rt.doorClosed;
    rt.doorClosed = closed;
    if (before !== null && before !== closed) {
      for (const roomId of rt.cfg.rooms) this.d.emit({ type: 'door', roomId, closed });
    }
    this.d.emitState(rt);
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
    this.d.emitState(rt);
    return complete;
  }

  /** A speaker's status register: whether it is playing now. */
  private observeSpeaker(rt: Runtime, v: number): void {
    if (rt.cfg.kind !== 'speaker') return;
    rt.actual = v === rt.cfg.busyValue;
    this.d.emitState(rt);
  }

  /** A meter's reading counts only whole: the live block and the counter from this one poll. */
  private observeMeter(rt: Runtime, regs: Map<number, number>): void {
    const reading = decodeMeter(regs, this.d.clock.now());
    if (!reading) return;
    rt.meter = reading;
    this.d.emitState(rt);
  }

  /** After a poll: retry failed writes, and rewrite what was read in the wrong state. */
  private async correct(rt: Runtime, observed: boolean): Promise<void> {
    if (this.d.closed() || (rt.cfg.kind === 'lock' && isPulsing(rt))) return;
    if (rt.cfg.kind === 'speaker' || rt.cfg.kind === 'energy_meter') return;
    if (!rt.dirty) {
      if (!observed) return;
      const want = this.d.desired(rt);
      if (matches(rt, want)) return;
      // Locks are corrected from the start: a released strike nobody asked for is an open door.
      if (!this.d.reconciled() && rt.cfg.kind !== 'lock') return;
      this.d.log('warn', 'device drifted from its desired state; rewriting it', {
        device: rt.cfg.id,
        desired: want,
        actual: rt.actual,
      });
    }
    await this.d.drive(rt, true).catch(() => undefined);
  }
}
