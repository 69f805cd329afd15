// A door lock's open: the pulse written to its board (an ON the bridge takes back itself, or a
// board-timed pulse), the read-back that proves the relay moved, and the release or check when
// the pulse ends, also when the hub shuts down mid-pulse. It must never leave a strike released
// because an echo was lost: whatever it cannot confirm, it drives off again.
import type { Clock } from '@roomhub/shared-types';
import type { BusLog, RequestOptions } from './bus';
import type { LockConfig } from './config';
import { DeviceWriteError, errorText } from './device-errors';
import { isPulsing, monotonic, serialize, type Runtime } from './device-runtime';

// After a board-timed pulse, read the relay back this long after it should have dropped.
const TIMED_PULSE_CHECK_MARGIN_MS = 100;

export interface LockPulseDeps {
  clock: Clock;
  log: BusLog;
  closed: () => boolean;
  /** Brings a device to its desired state (for a lock after its pulse: locked). */
  drive: (rt: Runtime, force: boolean) => Promise<void>;
  /** Tells listeners the device's state, if it changed. */
  emitState: (rt: Runtime) => void;
}

export class LockPulses {
  constructor(private readonly d: LockPulseDeps) {}

  /** Pulses the lock open, on its chain; answers once the board echoed (and, first, read back). */
  open(rt: Runtime, cfg: LockConfig): Promise<{ deviceId: string; confirmedAt: number }> {
    return serialize(rt, async () => {
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
        if (cfg.pulse === 'on-off' && !isPulsing(rt)) {
          // The ON may have reached the relay even though its echo did not reach us: make sure
          // it is off (the release is queued behind this task on the device's chain).
          rt.actual = null;
          rt.dirty = true;
          this.d.drive(rt, true).catch(() => undefined);
        }
        this.d.emitState(rt);
        throw new DeviceWriteError([{ deviceId: cfg.id, message: errorText(e) }]);
      }
      this.d.emitState(rt);
      return { deviceId: cfg.id, confirmedAt: this.d.clock.now() };
    });
  }

  /**
   * Stops the device's pulse and read-back timers as the bridge closes. An on-off lock mid-pulse
   * must not stay released because the hub shut down: returns its release write, if any.
   */
  stop(rt: Runtime): Promise<unknown> | undefined {
    if (rt.pulseTimer) clearTimeout(rt.pulseTimer);
    rt.pulseTimer = null;
    if (rt.verifyTimer) clearTimeout(rt.verifyTimer);
    rt.verifyTimer = null;
    if (rt.cfg.kind === 'lock' && rt.cfg.pulse === 'on-off' && isPulsing(rt)) {
      const cfg = rt.cfg;
      rt.pulseUntil = 0;
      return rt.bus.writeCoil(cfg.slaveId, cfg.address, false, { devices: [cfg.id], urgent: true });
    }
    return undefined;
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
        if (this.d.closed()) return;
        void serialize(rt, async () => {
          const [on] = await rt.bus.readCoils(cfg.slaveId, cfg.address, 1, o);
          // A timed pulse may be over by now; only a relay still pulsing must read on.
          if (!on && isPulsing(rt)) {
            rt.verified = false;
            this.d.log(
              'error',
              'a lock read back off after an open: the next open waits for its read',
              {
                device: cfg.id,
              },
            );
          }
        }).catch((e: unknown) =>
          this.d.log('warn', 'a lock could not be read back after an open', {
            device: cfg.id,
            error: errorText(e),
          }),
        );
      },
      Math.max(1, Math.min(100, Math.floor(cfg.pulseMs / 3))),
    );
    rt.verifyTimer.unref();
  }

  private startPulse(rt: Runtime, cfg: LockConfig): void {
    if (rt.pulseTimer) clearTimeout(rt.pulseTimer);
    rt.pulseUntil = monotonic() + cfg.pulseMs;
    rt.actual = true;
    const after = cfg.pulse === 'timed' ? cfg.pulseMs + TIMED_PULSE_CHECK_MARGIN_MS : cfg.pulseMs;
    rt.pulseTimer = setTimeout(() => {
      rt.pulseTimer = null;
      rt.pulseUntil = 0;
      if (this.d.closed()) return;
      if (cfg.pulse === 'on-off') {
        this.d.drive(rt, true).catch((e: unknown) => {
          // The next poll retries (the device is dirty); this is a door left unlocked meanwhile.
          this.d.log('error', 'lock did not release after its pulse', {
            device: cfg.id,
            error: errorText(e),
          });
        });
      } else {
        // The board dropped the relay by itself; read it back to be sure the door is locked.
        this.checkRelayOff(rt, cfg).catch((e: unknown) => {
          this.d.log('warn', 'could not read a lock back after its pulse', {
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
    if (isPulsing(rt)) return;
    const writes = rt.writes;
    const [on] = await rt.bus.readCoils(cfg.slaveId, cfg.address, 1, { devices: [cfg.id] });
    if (writes !== rt.writes || isPulsing(rt) || this.d.closed()) return;
    rt.actual = on ?? null;
    this.d.emitState(rt);
    if (on) {
      this.d.log('warn', 'lock relay still on after its timed pulse; switching it off', {
        device: cfg.id,
      });
      await this.d.drive(rt, true);
    }
  }
}
