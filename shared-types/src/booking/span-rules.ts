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

/** Throws a DomainError (`invalid`, 422) naming the field and the rule; returns when all hold. */
export function checkSpan(c: SpanCheck): void {
  const { rules, timeZone: tz, now, start, end } = c;
  const stepMs = rules.stepMinutes * MINUTE;
  const invalid = (code: string, message: string, field: string) =>
    new DomainError('invalid', code, message, field);
  if (end <= start) throw invalid('invalid_span', 'end must be after start', 'end');
  // A walk-in may take the step that has already begun; anything earlier is in the past.
  if (start + stepMs <= now) throw invalid('start_in_past', 'start is in the past', 'start');
  if (start > now + rules.advanceDays * DAY) {
    throw invalid(
      'too_far_ahead',
      `bookings open at most ${rules.advanceDays} days ahead`,
      'start',
    );
  }
  if (!c.isPackage) {
    for (const [at, field] of [
      [start, 'start'],
      [end, 'end'],
    ] as const) {
      if (localMinuteOfDay(at, tz) % rules.stepMinutes !== 0 || (at / MINUTE) % 1 !== 0) {
        throw invalid(
          'off_step',
          `${field} must fall on a ${rules.stepMinutes}-minute step`,
          field,
        );
      }
    }
    const minutes = (end - start) / MINUTE;
    if (minutes < rules.minMinutes) {
      throw invalid('too_short', `a booking lasts at least ${rules.minMinutes} minutes`, 'end');
    }
    if (minutes > rules.maxMinutes) {
      throw invalid('too_long', `a booking lasts at most ${rules.maxMinutes} minutes`, 'end');
    }
  }
  if (c.party && c.party.size > c.party.capacity) {
    throw invalid(
      'party_too_large',
      `room ${c.party.roomName} takes at most ${c.party.capacity} people`,
      'partySize',
    );
  }
}
