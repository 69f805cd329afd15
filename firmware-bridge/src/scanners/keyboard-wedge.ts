// Tells a keyboard-wedge scanner from a person at the keyboard, by rhythm: a scanner "types" a
// whole code in a burst and ends it with Enter. Shared by the cashier UI and the kiosk, so it must
// stay free of DOM types and of Node: it takes KeyboardEvent.key strings and millisecond times.
import type { Clock } from '@roomhub/shared-types';
import type { ScanEvent } from '../devices';

export interface WedgeDetectorOptions {
  /** Keys further apart than this are a person typing. */
  maxInterKeyMs?: number;
  /** Shorter bursts (a quick "ok" + Enter) are not scans. */
  minLength?: number;
  /** The KeyboardEvent.key that ends a scan. */
  terminator?: string;
  /** The device name the ScanEvents carry. */
  device?: string;
  /** Wall clock for ScanEvent.at; key times may come from another clock (event.timeStamp). */
  clock: Clock;
}

// Keys a scanner may press inside a code without typing anything (Shift for capitals).
const SILENT_KEYS = new Set(['Shift', 'CapsLock', 'NumLock', 'AltGraph']);

export class WedgeDetector {
  private readonly maxInterKeyMs: number;
  private readonly minLength: number;
  private readonly terminator: string;
  private readonly device: string;
  private readonly clock: Clock;
  private burst = '';
  private lastAt = 0;

  constructor({
    maxInterKeyMs = 35,
    minLength = 4,
    terminator = 'Enter',
    device = 'keyboard',
    clock,
  }: WedgeDetectorOptions) {
    this.maxInterKeyMs = maxInterKeyMs;
    this.minLength = minLength;
    this.terminator = terminator;
    this.device = device;
    this.clock = clock;
  }

  /**
   * Feeds one keydown: `key` as in KeyboardEvent.key, `at` its time in milliseconds on any
   * steady clock. Returns the scan when this key completed one, else null.
   */
  key(key: string, at: number): ScanEvent | null {
    if (SILENT_KEYS.has(key)) return null;
    const gap = at - this.lastAt;
    const inBurst = this.burst !== '' && gap < this.maxInterKeyMs;

    if (key === this.terminator) {
      const text = inBurst && this.burst.length >= this.minLength ? this.burst : null;
      this.reset();
      return text === null
        ? null
        : { text, source: 'keyboard', device: this.device, at: this.clock.now() };
    }
    if ([...key].length !== 1) {
      // Backspace, Tab, arrows, F-keys: a person's hands.
      this.reset();
      return null;
    }
    this.burst = inBurst ? this.burst + key : key;
    this.lastAt = at;
    return null;
  }

  /** Forgets a burst in progress, e.g. when the focused screen changes. */
  reset(): void {
    this.burst = '';
    this.lastAt = 0;
  }
}
