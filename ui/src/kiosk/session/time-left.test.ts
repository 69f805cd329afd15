import { describe, expect, it } from 'vitest';
import { timeLeft } from './time-left';

const T = Date.parse('2026-11-23T10:00:00+08:00');
const min = (m: number) => T + m * 60_000;

describe('time left of the booking in front of the kiosk', () => {
  it('counts down to the start, then to the end, then up over it', () => {
    expect(timeLeft(min(30), min(150), T)).toEqual({ kind: 'not_started', minutesToStart: 30 });
    expect(timeLeft(T, min(120), min(105))).toEqual({ kind: 'left', minutes: 15 });
    // A part of a minute still to go is a minute left, never "0 minutes" before the end.
    expect(timeLeft(T, min(120), min(119.5))).toEqual({ kind: 'left', minutes: 1 });
    expect(timeLeft(T, min(120), min(120))).toEqual({ kind: 'left', minutes: 0 });
    expect(timeLeft(T, min(120), min(127.9))).toEqual({ kind: 'over', minutes: 7 });
  });
});
