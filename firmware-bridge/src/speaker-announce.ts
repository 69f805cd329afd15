// An announcement in a room: a clip played on every speaker the room has, each on its own device
// chain, volume first, then the clip, then the status read back, which must show it playing. It
// holds no state of a speaker's own: a speaker plays when asked and is never driven to a state.
import type { Clock } from '@roomhub/shared-types';
import type { RequestOptions } from './bus';
import type { SpeakerConfig } from './config';
import { DeviceWriteError, errorText } from './device-errors';
import { serialize, type Runtime } from './device-runtime';
import { checkClip, encodeVolume } from './speaker-registers';

export interface AnnounceDeps {
  clock: Clock;
  /** Tells listeners the device's state, if it changed. */
  emitState: (rt: Runtime) => void;
}

/** Plays the clip on every speaker given; one that fails fails the whole, naming each failure. */
export async function announce(
  speakers: Runtime[],
  clip: number,
  volumePercent: number,
  d: AnnounceDeps,
): Promise<{ deviceId: string; confirmedAt: number }[]> {
  checkClip(clip);
  const results = await Promise.allSettled(
    speakers.map((rt) => serialize(rt, () => play(rt, clip, volumePercent, d))),
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
async function play(
  rt: Runtime,
  clip: number,
  volumePercent: number,
  d: AnnounceDeps,
): Promise<number> {
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
      throw new Error(`asked for clip ${clip} but the module reads ${String(status)}, not playing`);
    }
    return d.clock.now();
  } finally {
    d.emitState(rt);
  }
}
