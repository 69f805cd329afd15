// The clock every service takes as an argument, so tests drive time (slots, holds, reminders,
// expiries) and no service reads the wall clock on its own. Each process passes its system clock.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
