// What a room needs from its bookings and the owner's schedules: a schedule adds to what the
// sessions need, an "off" never cuts a session in use, no schedule changes nothing, and the needs
// hold still between one boundary and the next (the scheduler wakes at each).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoomNeeds } from '@roomhub/firmware-bridge';
import {
  DEFAULT_SESSION_RULES,
  MINUTE,
  ScheduledDeviceSchema,
  type BookingStatus,
} from '@roomhub/shared-types';
import { nextBoundary, roomNeedsAt, type NeedsBooking, type NeedsSchedule } from './room-needs';

const TZ = 'Asia/Shanghai';
const rules = DEFAULT_SESSION_RULES;
/** 2026-11-23 00:00 in Shanghai, a Monday. */
const MONDAY = Date.parse('2026-11-23T00:00:00+08:00');
const at = (hhmm: string, day = 0) => Date.parse(`2026-11-${23 + day}T${hhmm}:00+08:00`);
const plan = (...schedules: NeedsSchedule[]) => ({ schedules, timeZone: TZ });
const every = [1, 2, 3, 4, 5, 6, 7];

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 10, 15, 20, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const schedule: fc.Arbitrary<NeedsSchedule> = fc
  .record({
    devices: fc.uniqueArray(fc.constantFrom(...ScheduledDeviceSchema.options), {
      minLength: 1,
    }),
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }),
    start: hhmm,
    end: hhmm,
    on: fc.boolean(),
    ac: fc.option(
      fc.record({
        mode: fc.constantFrom('cool' as const, 'heat' as const),
        setpoint: fc.integer({ min: 16, max: 30 }),
        fan: fc.constant('auto' as const),
      }),
      { nil: null },
    ),
  })
  .filter((s) => s.start !== s.end);

const booking: fc.Arbitrary<NeedsBooking> = fc
  .record({
    status: fc.constantFrom<BookingStatus>('paid', 'in_use', 'completed', 'cancelled'),
    startSlot: fc.integer({ min: 0, max: 3 * 48 }),
    slots: fc.integer({ min: 1, max: 8 }),
    ended: fc.boolean(),
  })
  .map((b) => {
    const start = MONDAY + b.startSlot * 30 * MINUTE;
    const end = start + b.slots * 30 * MINUTE;
    return {
      status: b.status,
      start,
      end,
      endedAt: b.status === 'in_use' && b.ended ? end : null,
    };
  });

const instant = fc.integer({ min: MONDAY, max: MONDAY + 3 * 24 * 60 * MINUTE });

/** Every device the result has on, AC as on/off. */
const onDevices = (n: RoomNeeds) =>
  ({ lights: n.lights, sockets: n.sockets, freshAir: n.freshAir, ac: n.ac !== null }) as const;

describe("a room's needs with the owner's schedules", () => {
  it('airs the rooms 10:00-10:20 with nobody booked, and only then', () => {
    const air = plan({
      devices: ['freshAir'],
      weekdays: every,
      start: '10:00',
      end: '10:20',
      on: true,
      ac: null,
    });
    expect(roomNeedsAt([], at('09:59'), rules, air).freshAir).toBe(false);
    expect(roomNeedsAt([], at('10:00'), rules, air)).toEqual({
      lights: false,
      sockets: false,
      freshAir: true,
      ac: null,
    });
    expect(roomNeedsAt([], at('10:20'), rules, air).freshAir).toBe(false);
    expect(nextBoundary([], at('09:00'), rules, air)).toBe(at('10:00'));
    expect(nextBoundary([], at('10:00'), rules, air)).toBe(at('10:20'));
    expect(nextBoundary([], at('10:20'), rules, air)).toBe(at('10:00', 1));
  });

  it('runs the AC at its own setting, over midnight and on the named weekdays only', () => {
    const ac = plan({
      devices: ['ac'],
      weekdays: [1], // Monday, 22:00 to Tuesday 02:00
      start: '22:00',
      end: '02:00',
      on: true,
      ac: { mode: 'cool', setpoint: 24, fan: 'low' },
    });
    expect(roomNeedsAt([], at('23:00'), rules, ac).ac).toEqual({
      power: true,
      mode: 'cool',
      setpoint: 24,
      fan: 'low',
    });
    expect(roomNeedsAt([], at('01:59', 1), rules, ac).ac).not.toBeNull();
    expect(roomNeedsAt([], at('02:00', 1), rules, ac).ac).toBeNull();
    expect(roomNeedsAt([], at('23:00', 1), rules, ac).ac).toBeNull(); // Tuesday: not named
    expect(nextBoundary([], at('02:00', 1), rules, ac)).toBe(at('22:00', 7));
  });

  it('holds a room off 03:00-07:00 unless a guest is in it', () => {
    const off = plan({
      devices: ['lights', 'sockets', 'freshAir', 'ac'],
      weekdays: every,
      start: '03:00',
      end: '07:00',
      on: false,
      ac: null,
    });
    const early: NeedsBooking = {
      status: 'paid',
      start: at('06:00'),
      end: at('08:00'),
      endedAt: null,
    };
    expect(roomNeedsAt([early], at('06:30'), rules, off)).toEqual({
      lights: false,
      sockets: false,
      freshAir: false,
      ac: null,
    });
    expect(roomNeedsAt([early], at('07:00'), rules, off).lights).toBe(true);
    const guest: NeedsBooking = { ...early, status: 'in_use' };
    expect(roomNeedsAt([guest], at('06:30'), rules, off)).toEqual(
      roomNeedsAt([guest], at('06:30'), rules),
    );
  });

  it('never switches off a room with a session in use', () => {
    fc.assert(
      fc.property(
        fc.array(booking, { maxLength: 4 }),
        fc.array(schedule, { maxLength: 4 }),
        instant,
        (bookings, schedules, now) => {
          if (!bookings.some((b) => b.status === 'in_use' && b.endedAt === null)) return;
          const alone = onDevices(roomNeedsAt(bookings, now, rules));
          const withSchedules = onDevices(roomNeedsAt(bookings, now, rules, plan(...schedules)));
          for (const d of ScheduledDeviceSchema.options)
            if (alone[d]) expect(withSchedules[d], d).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is what the sessions alone need when there is no schedule', () => {
    fc.assert(
      fc.property(fc.array(booking, { maxLength: 5 }), instant, (bookings, now) => {
        expect(roomNeedsAt(bookings, now, rules, plan())).toEqual(
          roomNeedsAt(bookings, now, rules),
        );
        expect(nextBoundary(bookings, now, rules, plan())).toBe(nextBoundary(bookings, now, rules));
      }),
      { numRuns: 300 },
    );
  });

  it('names a boundary never in the past, and the needs hold still until it', () => {
    fc.assert(
      fc.property(
        fc.array(booking, { maxLength: 4 }),
        fc.array(schedule, { minLength: 1, maxLength: 4 }),
        instant,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (bookings, schedules, now, fractions) => {
          const p = plan(...schedules);
          const next = nextBoundary(bookings, now, rules, p);
          // Every schedule runs at least weekly, so there is always a next boundary.
          expect(next).not.toBeNull();
          expect(next!).toBeGreaterThan(now);
          const here = roomNeedsAt(bookings, now, rules, p);
          for (const f of fractions) {
            const t = now + Math.floor(f * (next! - now - 1));
            expect(roomNeedsAt(bookings, t, rules, p)).toEqual(here);
          }
          expect(roomNeedsAt(bookings, next! - 1, rules, p)).toEqual(here);
        },
      ),
      { numRuns: 300 },
    );
  });
});
