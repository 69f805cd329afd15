// A simulated RS485 voice-broadcast module on the common register map (speaker-registers.ts):
// volume 0-30, a clip number written to play it, a busy status while it plays (each clip lasts
// `clipMs` on the clock) and the clip last started. It keeps every clip it played, for tests.
// Pure state on an injected clock; it must never touch a socket.
import type { Clock } from '@roomhub/shared-types';
import { VOICE_BUSY, VOICE_MAX_VOLUME, VOICE_MODULE } from '../speaker-registers';
import { SlaveException, type Slave } from './slaves';

const ILLEGAL_ADDRESS = 2;
const ILLEGAL_VALUE = 3;
/** Clips stored on the simulated module: 0001.mp3 to 0020.mp3. */
export const SIMULATED_CLIPS = 20;

export interface PlayedClip {
  clip: number;
  volume: number;
  at: number;
}

export class VoiceModule implements Slave {
  readonly kind = 'voice-module';
  private volume = 20;
  private clip = 0;
  private playingUntil = 0;
  private readonly played: PlayedClip[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly clipMs = 4000,
  ) {}

  getCoil(address: number): boolean {
    throw new SlaveException(ILLEGAL_ADDRESS, `no coil ${address}`);
  }

  writeCoil(address: number): void {
    throw new SlaveException(ILLEGAL_ADDRESS, `no coil ${address}`);
  }

  getDiscreteInput(address: number): boolean {
    throw new SlaveException(ILLEGAL_ADDRESS, `no input ${address}`);
  }

  getHoldingRegister(address: number): number {
    switch (address) {
      case VOICE_MODULE.volume:
        return this.volume;
      case VOICE_MODULE.play:
        return 0;
      case VOICE_MODULE.status:
        return this.isPlaying() ? VOICE_BUSY : 0;
      case VOICE_MODULE.clip:
        return this.clip;
      default:
        throw new SlaveException(ILLEGAL_ADDRESS, `no register ${address}`);
    }
  }

  setHoldingRegister(address: number, value: number): void {
    switch (address) {
      case VOICE_MODULE.volume:
        if (value > VOICE_MAX_VOLUME) {
          throw new SlaveException(ILLEGAL_VALUE, `volume ${value} above ${VOICE_MAX_VOLUME}`);
        }
        this.volume = value;
        return;
      case VOICE_MODULE.play:
        if (value === 0) {
          this.playingUntil = 0;
          return;
        }
        if (value > SIMULATED_CLIPS) {
          throw new SlaveException(ILLEGAL_VALUE, `no clip ${value} stored`);
        }
        this.clip = value;
        this.playingUntil = this.clock.now() + this.clipMs;
        this.played.push({ clip: value, volume: this.volume, at: this.clock.now() });
        return;
      default:
        throw new SlaveException(ILLEGAL_ADDRESS, `register ${address} is read only or absent`);
    }
  }

  getInputRegister(address: number): number {
    throw new SlaveException(ILLEGAL_ADDRESS, `no input register ${address}`);
  }

  /** Every clip it started, oldest first, at the volume it had. */
  history(): readonly PlayedClip[] {
    return this.played;
  }

  powerCut(): void {
    this.playingUntil = 0;
  }

  dispose(): void {}

  private isPlaying(): boolean {
    return this.clock.now() < this.playingUntil;
  }
}
