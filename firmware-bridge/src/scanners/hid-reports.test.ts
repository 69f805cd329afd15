import { describe, expect, it } from 'vitest';
import { decodeHidReports, HidReportDecoder } from './hid-reports';

const SHIFT = 0x02;
const RIGHT_SHIFT = 0x20;
const CTRL = 0x01;
const up = Buffer.alloc(8);
const down = (usage: number, modifiers = 0) => Buffer.from([modifiers, 0, usage, 0, 0, 0, 0, 0]);
const enter = down(0x28);

/** A scanner's usual pattern: each key pressed, then every key released. */
const tap = (...presses: Array<[number, number?]>) =>
  presses.flatMap(([usage, modifiers]) => [down(usage, modifiers), up]);

describe('decodeHidReports', () => {
  it('decodes digits and ends the code on Enter', () => {
    // 6 9 0 1 2 3 4 5 6 7 8 9 2
    const digits = [0x23, 0x26, 0x27, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x1f];
    const reports = tap(...digits.map((u): [number] => [u]), [0x28]);
    expect(decodeHidReports(reports)).toEqual(['6901234567892']);
  });

  it('uses either shift for capitals and shifted punctuation', () => {
    const reports = tap(
      [0x17, SHIFT], // T
      [0x08, RIGHT_SHIFT], // E
      [0x04, SHIFT], // A
      [0x2d], // -
      [0x1f, SHIFT], // @
      [0x0f], // l
      [0x38, SHIFT], // ?
      [0x2c], // space
      [0x37], // .
      [0x28],
    );
    expect(decodeHidReports(reports)).toEqual(['TEA-@l? .']);
  });

  it('counts a held key once, and a repeated character needs a release between', () => {
    const reports = [down(0x1e), down(0x1e), up, down(0x1e), up, enter, up];
    expect(decodeHidReports(reports)).toEqual(['11']);
  });

  it('takes new keys in report order when the scanner rolls over without releasing', () => {
    const a = 0x04;
    const b = 0x05;
    const c = 0x06;
    const reports = [
      Buffer.from([0, 0, a, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, a, b, 0, 0, 0, 0]),
      Buffer.from([0, 0, c, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, c, 0x28, 0, 0, 0, 0]),
      up,
    ];
    expect(decodeHidReports(reports)).toEqual(['abc']);
  });

  it('decodes keypad digits and keypad Enter', () => {
    const reports = tap([0x59], [0x62], [0x61], [0x63], [0x58]);
    expect(decodeHidReports(reports)).toEqual(['109.']);
  });

  it('splits several codes and ignores empty ones', () => {
    const reports = tap([0x1e], [0x28], [0x28], [0x1f], [0x28]);
    expect(decodeHidReports(reports)).toEqual(['1', '2']);
  });

  it('ignores error roll-over reports, Ctrl chords and unknown usages', () => {
    const rollOver = Buffer.from([0, 0, 1, 1, 1, 1, 1, 1]);
    const reports = [
      ...tap([0x1e]),
      rollOver,
      ...tap([0x0a, CTRL], [0x39], [0x1f], [0x28]), // Ctrl+G (GS), Caps Lock, 2
    ];
    expect(decodeHidReports(reports)).toEqual(['12']);
  });

  it('keeps a code without its Enter back, and drops an over-long one', () => {
    expect(decodeHidReports(tap([0x1e], [0x1f]))).toEqual([]);
    const long = tap(...Array.from({ length: 6 }, (): [number] => [0x04]), [0x28]);
    expect(decodeHidReports([...long, ...tap([0x05], [0x28])], { maxLength: 5 })).toEqual(['b']);
  });

  it('skips the report id byte of numbered reports', () => {
    const withId = (report: Buffer) => Buffer.concat([Buffer.from([0x01]), report]);
    const reports = tap([0x1e], [0x28]).map(withId);
    expect(decodeHidReports(reports, { reportId: true })).toEqual(['1']);
  });

  it('streams across pushes and forgets a half code on reset', () => {
    const decoder = new HidReportDecoder();
    expect(tap([0x1e]).flatMap((r) => decoder.push(r))).toEqual([]);
    decoder.reset();
    expect(tap([0x1f], [0x28]).flatMap((r) => decoder.push(r))).toEqual(['2']);
  });
});
