import { describe, expect, it } from 'vitest';
import { LineFramer } from './line-framer';

describe('LineFramer', () => {
  it('accepts CR, LF and CRLF by default and ignores empty lines', () => {
    const framer = new LineFramer();
    expect(framer.push('A1\rB2\nC3\r\n\r\n\nD4')).toEqual(['A1', 'B2', 'C3']);
    expect(framer.push('\r')).toEqual(['D4']);
  });

  it('holds a CRLF split across chunks as one terminator', () => {
    const framer = new LineFramer({ terminator: '\r\n' });
    expect(framer.push('TEA-1\r')).toEqual([]);
    expect(framer.push('\nTEA-2\r\n')).toEqual(['TEA-1', 'TEA-2']);
  });

  it('with a CR terminator, strips a stray LF instead of splitting on it', () => {
    const framer = new LineFramer({ terminator: '\r' });
    expect(framer.push('\nAB\nCD\r')).toEqual(['ABCD']);
  });

  it('strips control characters and surrounding whitespace, keeps inner spaces', () => {
    const framer = new LineFramer();
    expect(framer.push('\x02  WIFI pass 42 \x03\t\r\n')).toEqual(['WIFI pass 42']);
    expect(framer.push('\x00\x1b\r\n')).toEqual([]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const framer = new LineFramer();
    const bytes = Buffer.from('包间A\n', 'utf8');
    expect(framer.push(bytes.subarray(0, 2))).toEqual([]);
    expect(framer.push(bytes.subarray(2))).toEqual(['包间A']);
  });

  it('drops an over-long line whole, including the tail after the limit', () => {
    const framer = new LineFramer({ maxLength: 8 });
    expect(framer.push('0123456789')).toEqual([]);
    expect(framer.push('TAIL\nOK\n')).toEqual(['OK']);
    expect(framer.push('123456789\n')).toEqual([]);
    expect(framer.dropped).toBe(2);
  });

  it('forgets a half line on reset', () => {
    const framer = new LineFramer();
    framer.push('HALF');
    framer.reset();
    expect(framer.push('NEW\n')).toEqual(['NEW']);
  });
});
