// A room's RS485 voice-broadcast module: the registers that set its volume, play a clip stored on
// it by number and tell whether it is playing, and the volume a percentage is on its scale. Pure:
// it must never open a port.
//
// The map is the common one of the Modbus RTU MP3 / voice modules sold for announcements (clips
// stored as 0001.mp3, 0002.mp3 ... on the module's flash or card), all holding registers, written
// with function 06 and read with 03:
//   0x0000 volume, 0 (silent) to 30 (loudest; some models go to 31: `maxVolume`),
//   0x0001 play: writing clip number n (1-255) plays clip n from its start; 0 stops,
//   0x0002 status: 0 idle, 1 playing (busy),
//   0x0003 the clip last started, as the module read it.
// Models that put them elsewhere name the addresses in the device file (`registers`).
export const VOICE_MODULE = { volume: 0x0000, play: 0x0001, status: 0x0002, clip: 0x0003 } as const;
/** The status register's value while a clip plays. */
export const VOICE_BUSY = 1;
/** The loudest most modules take. */
export const VOICE_MAX_VOLUME = 30;

/** A percentage of the loudest as the module's volume step (rounded, never above its loudest). */
export function encodeVolume(percent: number, maxVolume: number): number {
  const p = Math.min(100, Math.max(0, percent));
  return Math.round((p * maxVolume) / 100);
}

/** A clip number the module can play: 1 to 255. */
export function checkClip(clip: number): number {
  if (!Number.isInteger(clip) || clip < 1 || clip > 255) {
    throw new RangeError(`clip ${clip} is not a stored clip number (1 to 255)`);
  }
  return clip;
}
