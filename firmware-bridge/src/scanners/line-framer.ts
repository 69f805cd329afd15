// Cuts a scanner's byte stream into scanned codes. Pure: no ports, no clock. It must never let a
// noisy line (wrong baud rate, a scanner in a config mode) grow without bound or reach the hub
// as a code.
import { StringDecoder } from 'node:string_decoder';

export type LineTerminator = '\r' | '\n' | '\r\n';

export interface LineFramerOptions {
  /** Omitted: CR, LF and CRLF all end a line. */
  terminator?: LineTerminator;
  /** Longer lines are garbage, dropped whole. */
  maxLength?: number;
}

// C0 and C1 controls and DEL: framing bytes some scanners add (STX/ETX, AIM prefixes' GS).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export class LineFramer {
  private readonly decoder = new StringDecoder('utf8');
  private readonly terminator: LineTerminator | null;
  private readonly maxLength: number;
  private pending = '';
  /** Inside an over-long line: everything up to its terminator is dropped. */
  private discarding = false;
  private droppedCount = 0;

  constructor({ terminator, maxLength = 512 }: LineFramerOptions = {}) {
    this.terminator = terminator ?? null;
    this.maxLength = maxLength;
  }

  /** Lines dropped as over-long since this framer was made. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Feeds one chunk as it came off the wire; returns the codes it completed, cleaned. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    for (;;) {
      const cut = this.nextTerminator();
      if (cut === null) break;
      const raw = this.pending.slice(0, cut.index);
      this.pending = this.pending.slice(cut.index + cut.length);
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      const line = this.accept(raw);
      if (line !== null) lines.push(line);
    }
    if (this.pending.length > this.maxLength) {
      if (!this.discarding) this.droppedCount += 1;
      this.discarding = true;
      this.pending = '';
    }
    return lines;
  }

  /** Forgets a half-received line, e.g. after the port was lost. */
  reset(): void {
    this.decoder.end();
    this.pending = '';
    this.discarding = false;
  }

  private nextTerminator(): { index: number; length: number } | null {
    if (this.terminator !== null) {
      const index = this.pending.indexOf(this.terminator);
      return index === -1 ? null : { index, length: this.terminator.length };
    }
    const match = /\r\n|\r|\n/.exec(this.pending);
    if (match === null) return null;
    // A CR at the very end may be the first half of a CRLF; ending the line on it is still right,
    // because the LF that follows only makes an empty line, which is ignored.
    return { index: match.index, length: match[0].length };
  }

  private accept(raw: string): string | null {
    if (raw.length > this.maxLength) {
      this.droppedCount += 1;
      return null;
    }
    const line = raw.replace(CONTROL, '').trim();
    return line === '' ? null : line;
  }
}
