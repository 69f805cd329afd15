import { describe, expect, it } from 'vitest';
import { WedgeReader } from './wedge-reader';

const typeAt = (r: WedgeReader, keys: string[], start: number, gap: number) =>
  keys.map((k, i) => r.key(k, start + i * gap));

describe('the keyboard-wedge scanner', () => {
  it('reads a code typed at scanner speed and ended by Enter', () => {
    const r = new WedgeReader();
    const out = typeAt(r, [...'RHV1:ABC123', 'Enter'], 1000, 8);
    expect(out.at(-1)).toBe('RHV1:ABC123');
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
  });

  it('keeps the case a scanner types with Shift between its keys', () => {
    const r = new WedgeReader();
    const out = typeAt(r, ['Shift', 'A', 'b', 'Shift', 'C', '1', '2', '3', 'Enter'], 0, 5);
    expect(out.at(-1)).toBe('AbC123');
  });

  it('ignores a person typing slowly, and a short burst', () => {
    const r = new WedgeReader();
    expect(typeAt(r, [...'123456', 'Enter'], 0, 200).at(-1)).toBeNull();
    expect(typeAt(r, [...'12', 'Enter'], 5000, 5).at(-1)).toBeNull();
  });

  it('starts over after a pause, so keys typed before do not join the scan', () => {
    const r = new WedgeReader();
    typeAt(r, [...'zz'], 0, 5);
    expect(typeAt(r, [...'888888888888', 'Enter'], 1000, 5).at(-1)).toBe('888888888888');
  });
});
