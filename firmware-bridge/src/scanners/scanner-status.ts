// The health line a scanner reports to the hub. This module only names the shape.
import type { ScanEvent } from '../devices';

export interface ScannerStatus {
  /** The same name the scanner's ScanEvents carry, e.g. the serial port path. */
  device: string;
  source: ScanEvent['source'];
  ok: boolean;
  /** "connected", or what went wrong and when the next attempt is. */
  message: string;
  /** When this status began, from the injected clock. */
  since: number;
}
