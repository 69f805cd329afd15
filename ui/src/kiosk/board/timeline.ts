// Where the board draws a room's day: the hours shown (from the hour before now, twelve hours on,
// within the day the board is for) and each segment's place in them, as shares of the width. Pure.
import type { Segment } from '@roomhub/shared-types';

const HOUR = 3_600_000;

export interface Window {
  from: number;
  to: number;
  /** The whole hours inside the window, for the scale. */
  hours: number[];
}

export function boardWindow(now: number, dayStart: number, dayEnd: number, spanHours = 12): Window {
  const hour = Math.floor(now / HOUR) * HOUR;
  let from = Math.max(dayStart, hour - HOUR);
  const to = Math.min(dayEnd, from + spanHours * HOUR);
  // Late in the day: show the last hours in full rather than a sliver.
  from = Math.max(dayStart, Math.min(from, to - spanHours * HOUR));
  const hours: number[] = [];
  for (let t = Math.ceil(from / HOUR) * HOUR; t <= to; t += HOUR) hours.push(t);
  return { from, to, hours };
}

export interface PlacedSegment {
  segment: Segment;
  start: number;
  end: number;
  /** Share of the window's width, 0..1. */
  left: number;
  width: number;
  /** A free stretch that has not passed: tapping it books. */
  bookable: boolean;
}

export function placeSegments(segments: Segment[], w: Window, now: number): PlacedSegment[] {
  const span = w.to - w.from;
  const out: PlacedSegment[] = [];
  for (const segment of segments) {
    let start = Math.max(Date.parse(segment.start), w.from);
    const end = Math.min(Date.parse(segment.end), w.to);
    if (end <= start) continue;
    const free = segment.state === 'free';
    // What has passed of a free stretch is shown apart and cannot be booked.
    if (free && start < now && end > now) {
      out.push(place(segment, start, now, w, span, false));
      start = now;
    }
    out.push(place(segment, start, end, w, span, free && end > now));
  }
  return out;
}

function place(
  segment: Segment,
  start: number,
  end: number,
  w: Window,
  span: number,
  bookable: boolean,
): PlacedSegment {
  return {
    segment,
    start,
    end,
    left: (start - w.from) / span,
    width: (end - start) / span,
    bookable,
  };
}

/** The start a tap at `share` of a bookable segment asks for: on the store's step, never past. */
export function tappedStart(p: PlacedSegment, share: number, stepMinutes: number): number {
  const step = stepMinutes * 60_000;
  const t = p.start + share * (p.end - p.start);
  return Math.max(Math.floor(t / step) * step, Math.floor(p.start / step) * step);
}
