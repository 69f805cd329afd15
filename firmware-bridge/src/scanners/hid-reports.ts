// Turns the input reports of a scanner in USB HID keyboard mode back into the codes it "typed".
// Pure: no device, no clock. Assumes a US layout, which is what scanners emulate by default.
// Boot keyboard report: [modifiers, reserved, key1..key6], each key a HID usage id (page 0x07).

export interface HidReportOptions {
  /** The device numbers its reports: each one starts with a report id byte. */
  reportId?: boolean;
  /** Longer codes are dropped as garbage. */
  maxLength?: number;
}

const SHIFT = 0x02 | 0x20;
const CTRL_OR_ALT = 0x01 | 0x10 | 0x04 | 0x40;
const ERROR_ROLL_OVER = 0x01;
const ENTER = new Set([0x28, 0x58]);

/** usage id → [unshifted, shifted] */
const KEYS = new Map<number, readonly [string, string]>();
for (let i = 0; i < 26; i += 1) {
  const letter = String.fromCharCode(0x61 + i);
  KEYS.set(0x04 + i, [letter, letter.toUpperCase()]);
}
const digitRow = ['1!', '2@', '3#', '4$', '5%', '6^', '7&', '8*', '9(', '0)'];
digitRow.forEach((pair, i) => KEYS.set(0x1e + i, [pair[0] ?? '', pair[1] ?? '']));
const punctuation: Array<[number, string]> = [
  [0x2c, '  '],
  [0x2d, '-_'],
  [0x2e, '=+'],
  [0x2f, '[{'],
  [0x30, ']}'],
  [0x31, '\\|'],
  [0x32, '#~'],
  [0x33, ';:'],
  [0x34, `'"`],
  [0x35, '`~'],
  [0x36, ',<'],
  [0x37, '.>'],
  [0x38, '/?'],
  // Keypad: scanners set to "emulate keypad" send these for digits.
  [0x54, '//'],
  [0x55, '**'],
  [0x56, '--'],
  [0x57, '++'],
  [0x63, '..'],
];
for (const [usage, pair] of punctuation) KEYS.set(usage, [pair[0] ?? '', pair[1] ?? '']);
for (let i = 0; i < 9; i += 1) KEYS.set(0x59 + i, [String(i + 1), String(i + 1)]);
KEYS.set(0x62, ['0', '0']);

export class HidReportDecoder {
  private readonly reportId: boolean;
  private readonly maxLength: number;
  /** Keys down in the previous report: a key counts once per press, not per report. */
  private held = new Set<number>();
  private line = '';
  private discarding = false;

  constructor({ reportId = false, maxLength = 512 }: HidReportOptions = {}) {
    this.reportId = reportId;
    this.maxLength = maxLength;
  }

  /** Feeds one input report; returns the codes that an Enter in it completed. */
  push(report: Uint8Array): string[] {
    const offset = this.reportId ? 1 : 0;
    const modifiers = report[offset];
    if (modifiers === undefined) return [];
    const keys = [...report.subarray(offset + 2, offset + 8)].filter((usage) => usage !== 0);
    // Too many keys at once: the report carries no real state, so keep the last one.
    if (keys.length > 0 && keys.every((usage) => usage === ERROR_ROLL_OVER)) return [];

    const codes: string[] = [];
    for (const usage of keys) {
      if (this.held.has(usage)) continue;
      if (ENTER.has(usage)) {
        const code = this.line.trim();
        if (!this.discarding && code !== '') codes.push(code);
        this.line = '';
        this.discarding = false;
        continue;
      }
      // Ctrl/Alt chords are control codes (GS, RS) or shortcuts, never part of a code.
      if (modifiers & CTRL_OR_ALT) continue;
      const pair = KEYS.get(usage);
      if (!pair || this.discarding) continue;
      this.line += modifiers & SHIFT ? pair[1] : pair[0];
      if (this.line.length > this.maxLength) {
        this.line = '';
        this.discarding = true;
      }
    }
    this.held = new Set(keys);
    return codes;
  }

  /** Forgets a half-typed code and the held keys, e.g. after the device was lost. */
  reset(): void {
    this.held = new Set();
    this.line = '';
    this.discarding = false;
  }
}

/** Decodes a whole recording of reports; a code without its Enter yet is not returned. */
export function decodeHidReports(reports: Uint8Array[], options?: HidReportOptions): string[] {
  const decoder = new HidReportDecoder(options);
  return reports.flatMap((report) => decoder.push(report));
}
