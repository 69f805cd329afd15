import { describe, expect, it } from 'vitest';
import { boardWindow, placeSegments, tappedStart } from './timeline';

const at = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00+08:00`);
const day = { start: at('00:00'), end: Date.parse('2026-11-24T00:00:00+08:00') };

describe('the board timeline', () => {
  it('shows from the hour before now, twelve hours on, and the whole hours on its scale', () => {
    const w = boardWindow(at('10:20'), day.start, day.end);
    expect(w.from).toBe(at('09:00'));
    expect(w.to).toBe(at('21:00'));
    expect(w.hours).toHaveLength(13);
  });

  it('late in the day shows the last twelve hours rather than a sliver', () => {
    const w = boardWindow(at('22:10'), day.start, day.end);
    expect(w.to).toBe(day.end);
    expect(w.from).toBe(at('12:00'));
  });

  it('splits a free stretch at now: what passed cannot be booked', () => {
    const w = boardWindow(at('10:00'), day.start, day.end);
    const placed = placeSegments(
      [
        { state: 'free', start: '2026-11-23T00:00:00+08:00', end: '2026-11-23T14:00:00+08:00' },
        { state: 'booked', start: '2026-11-23T14:00:00+08:00', end: '2026-11-23T16:00:00+08:00' },
      ],
      w,
      at('10:00'),
    );
    expect(placed.map((p) => [p.segment.state, p.bookable])).toEqual([
      ['free', false],
      ['free', true],
      ['booked', false],
    ]);
    const free = placed[1]!;
    expect(free.left).toBeCloseTo(1 / 12);
    expect(free.width).toBeCloseTo(4 / 12);
    // A tap halfway along 10:00-14:00 asks for 12:00; a tap at its very start for 10:00.
    expect(tappedStart(free, 0.5, 30)).toBe(at('12:00'));
    expect(tappedStart(free, 0, 30)).toBe(at('10:00'));
  });
});
