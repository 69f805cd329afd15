import { describe, expect, it } from 'vitest';
import { WedgeDetector } from './keyboard-wedge';

const clock = { now: () => 1_700_000_000_000 };

/** Feeds keys `step` ms apart from `start`; returns every non-null result. */
function feed(detector: WedgeDetector, keys: string[], step: number, start = 1000) {
  return keys.map((key, i) => detector.key(key, start + i * step)).filter((scan) => scan !== null);
}

const chars = (text: string) => [...text];

describe('WedgeDetector', () => {
  it('takes a fast burst ending with Enter as a scan', () => {
    const detector = new WedgeDetector({ clock });
    expect(feed(detector, [...chars('6901234567892'), 'Enter'], 8)).toEqual([
      { text: '6901234567892', source: 'keyboard', device: 'keyboard', at: clock.now() },
    ]);
  });

  it('ignores a person typing the same code', () => {
    const detector = new WedgeDetector({ clock });
    expect(feed(detector, [...chars('6901234567892'), 'Enter'], 120)).toEqual([]);
  });

  it('does not take a fast burst without Enter, nor glue it to a later one', () => {
    const detector = new WedgeDetector({ clock });
    expect(feed(detector, chars('12345678'), 5)).toEqual([]);
    expect(feed(detector, [...chars('ABCD'), 'Enter'], 5, 5000)).toEqual([
      expect.objectContaining({ text: 'ABCD' }),
    ]);
  });

  it('keeps only the burst when a person typed just before it', () => {
    const detector = new WedgeDetector({ clock });
    feed(detector, chars('ab'), 200);
    expect(feed(detector, [...chars('M-0042'), 'Enter'], 10, 2000)).toEqual([
      expect.objectContaining({ text: 'M-0042' }),
    ]);
  });

  it('lets Shift pass inside a burst for capitals', () => {
    const detector = new WedgeDetector({ clock, device: 'kiosk' });
    const keys = ['Shift', 'T', 'Shift', 'E', 'Shift', 'A', '-', '7', 'Enter'];
    expect(feed(detector, keys, 6)).toEqual([
      { text: 'TEA-7', source: 'keyboard', device: 'kiosk', at: clock.now() },
    ]);
  });

  it('rejects short bursts, a slow Enter, and bursts broken by other keys', () => {
    const detector = new WedgeDetector({ clock });
    expect(feed(detector, ['o', 'k', 'Enter'], 10)).toEqual([]);

    feed(detector, chars('123456'), 10, 3000);
    expect(detector.key('Enter', 3050 + 200)).toBeNull();

    expect(feed(detector, ['1', '2', 'Backspace', '3', '4', 'Enter'], 10, 8000)).toEqual([]);
  });

  it('honours its thresholds and terminator', () => {
    const detector = new WedgeDetector({
      clock,
      maxInterKeyMs: 60,
      minLength: 2,
      terminator: 'Tab',
    });
    expect(feed(detector, ['4', '2', 'Tab'], 50)).toEqual([
      expect.objectContaining({ text: '42' }),
    ]);
    expect(feed(detector, ['4', '2', 'Enter'], 10, 9000)).toEqual([]);
  });
});
