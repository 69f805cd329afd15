// The booking rules a new or moved span must meet (O4): not in the past, inside the booking
// window, on the store's step, between the shortest and longest booking, within the room's
// capacity. Pure: the hub runs it before it books, the cloud before it accepts a request, so a
// customer online is refused at once, with the same words, and not later by the store.
import { DomainError } from '../errors';
import { localMinuteOfDay, MINUTE } from '../time/instant';
import type { BookingRules } from './booking-rules';

const DAY = 24 * 60 * MINUTE;

export interface SpanCheck {
  /** The rules in force for the room (store rules with the room's overrides). */
  rules: BookingRules;
  timeZone: string;
  now: number;
  start: number;
  end: number;
  /** A session package has the owner's own start and length: only the window applies. */
  isPackage: boolean;
  party?: { size: number; capacity: number; roomName: string };
}

/** Where a span that passed the rules is booked, and where its billing starts. */
export interface PlacedSpan {
  start: number;
  end: number;
  /**
   * The first instant billed: the start, or for a walk-in the next step of the store's grid, so
   * the minutes before it are the guest's (rounded in the guest's favour).
   */
  billFrom: number;
}

/**
 * Throws a DomainError (`invalid`, 422) naming the field and the rule; returns where the span is
 * booked when all hold. A start at this minute is a walk-in: it starts now, off the grid. A start
 * already past (the slot under way, picked on the board) is booked from now by the store's
 * `pastStart` rule, or refused.
 */
export function checkSpan(c: SpanCheck): PlacedSpan {
  const { rules, timeZone: tz, now, end } = c;
  const stepMs = rules.stepMinutes * MINUTE;
  const invalid = (code: string, message: string, field: string) =>
    new DomainError('invalid', code, message, field);
  if (end <= c.start) throw invalid('invalid_span', 'end must be after start', 'end');
  const nowMinute = Math.floor(now / MINUTE) * MINUTE;
  /** The grid point at or before `at`. */
  const stepFloor = (at: number) => at - (localMinuteOfDay(at, tz) % rules.stepMinutes) * MINUTE;
  let start = c.start;
  let walkIn = false;
  if (c.isPackage) {
    // A package's start is the owner's: it may be taken while its first step is under way.
    if (start + stepMs <= now) throw invalid('start_in_past', 'start is in the past', 'start');
  } else if (start < nowMinute + MINUTE) {
    if (end <= now) throw invalid('start_in_past', 'this time is already over', 'start');
    if (start < nowMinute && rules.pastStart === 'refuse') {
      throw invalid(
        'start_in_past',
        `start is in the past; a booking starts now (${localTime(nowMinute, tz)}) at the earliest`,
        'start',
      ).with({ now: localTime(nowMinute, tz) }, 'start_in_past_now');
    }
    start = nowMinute;
    walkIn = true;
  }
  if (start > now + rules.advanceDays * DAY) {
    throw invalid(
      'too_far_ahead',
      `bookings open at most ${rules.advanceDays} days ahead`,
      'start',
    ).with({ days: rules.advanceDays });
  }
  let billFrom = start;
  if (!c.isPackage) {
    for (const [at, field] of [
      [start, 'start'],
      [end, 'end'],
    ] as const) {
      if (walkIn && field === 'start') continue;
      if (localMinuteOfDay(at, tz) % rules.stepMinutes !== 0 || (at / MINUTE) % 1 !== 0) {
        throw invalid(
          'off_step',
          `${field} must fall on a ${rules.stepMinutes}-minute step`,
          field,
        ).with({ step: rules.stepMinutes });
      }
    }
    // A walk-in is measured as the slot it took on the board, and billed from the next step.
    const from = walkIn ? stepFloor(start) : start;
    if (walkIn && from !== start) billFrom = from + stepMs;
    const minutes = (end - from) / MINUTE;
    if (minutes < rules.minMinutes) {
      throw invalid(
        'too_short',
        `a booking lasts at least ${rules.minMinutes} minutes`,
        'end',
      ).with({ minutes: rules.minMinutes });
    }
    if ((end - start) / MINUTE > rules.maxMinutes) {
      throw invalid('too_long', `a booking lasts at most ${rules.maxMinutes} minutes`, 'end').with({
        minutes: rules.maxMinutes,
      });
    }
    if (billFrom >= end) {
      throw invalid(
        'too_short',
        `too little of this slot is left; choose an end after ${localTime(billFrom, tz)}`,
        'end',
      ).with({ time: localTime(billFrom, tz) }, 'too_short_left');
    }
  }
  if (c.party && c.party.size > c.party.capacity) {
    throw invalid(
      'party_too_large',
      `room ${c.party.roomName} takes at most ${c.party.capacity} people`,
      'partySize',
    ).with({ room: c.party.roomName, capacity: c.party.capacity });
  }
  return { start, end, billFrom };
}

/** 22:21, as a guest reads it. */
function localTime(at: number, tz: string): string {
  const m = localMinuteOfDay(at, tz);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
