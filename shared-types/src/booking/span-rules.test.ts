import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOOKING_RULES } from './booking-rules';
import { checkSpan, type SpanCheck } from './span-rules';
import { MINUTE } from '../time/instant';

const SH = 'Asia/Shanghai';
const now = Date.parse('2026-11-23T10:07:00+08:00');
const at = (hhmm: string, day = '2026-11-23') => Date.parse(`${day}T${hhmm}:00+08:00`);
const check = (over: Partial<SpanCheck>) =>
  checkSpan({
    rules: DEFAULT_BOOKING_RULES,
    timeZone: SH,
    now,
    start: at('14:00'),
    end: at('16:00'),
    isPackage: false,
    ...over,
  });
const refusal = (over: Partial<SpanCheck>) => {
  try {
    check(over);
    return null;
  } catch (e) {
    const { kind, code, field } = e as { kind: string; code: string; field: string };
    return { kind, code, field };
  }
};

describe('the booking rules a span must meet', () => {
  it('accept a span on the step, inside the window, within the lengths', () => {
    expect(refusal({})).toBeNull();
    // The step that has already begun may still be taken by a walk-in.
    expect(refusal({ start: at('10:00'), end: at('11:00') })).toBeNull();
  });

  it('name the field and the rule of each refusal, as a 422', () => {
    expect(refusal({ end: at('14:00') })).toEqual({
      kind: 'invalid',
      code: 'invalid_span',
      field: 'end',
    });
    expect(refusal({ start: at('08:30'), end: at('10:00') })).toMatchObject({
      code: 'start_in_past',
      field: 'start',
    });
    expect(
      refusal({
        rules: { ...DEFAULT_BOOKING_RULES, pastStart: 'refuse' },
        start: at('10:00'),
        end: at('11:00'),
      }),
    ).toMatchObject({ code: 'start_in_past', field: 'start' });
    expect(
      refusal({ start: at('14:00', '2026-12-01'), end: at('15:00', '2026-12-01') }),
    ).toMatchObject({
      code: 'too_far_ahead',
      field: 'start',
    });
    expect(refusal({ start: at('14:10') })).toMatchObject({ code: 'off_step', field: 'start' });
    expect(refusal({ end: at('15:45') })).toMatchObject({ code: 'off_step', field: 'end' });
    expect(refusal({ end: at('14:30') })).toMatchObject({ code: 'too_short', field: 'end' });
    expect(refusal({ end: at('14:00', '2026-11-24') })).toMatchObject({
      code: 'too_long',
      field: 'end',
    });
    expect(refusal({ party: { size: 5, capacity: 4, roomName: '竹' } })).toMatchObject({
      code: 'party_too_large',
      field: 'partySize',
    });
  });

  it('start a walk-in now, off the grid, billed from the next step; a past start from now', () => {
    expect(check({ start: now, end: at('11:00') })).toEqual({
      start: now,
      end: at('11:00'),
      billFrom: at('10:30'),
    });
    // The slot under way, picked on the board: from now, measured as the slot it was.
    expect(check({ start: at('10:00'), end: at('11:00') })).toEqual({
      start: now,
      end: at('11:00'),
      billFrom: at('10:30'),
    });
    expect(refusal({ start: at('10:00'), end: at('10:30') })).toMatchObject({
      code: 'too_short',
    });
  });

  it('hold a package only to the window: its start and length are the owner’s', () => {
    expect(refusal({ start: at('14:10'), end: at('14:20'), isPackage: true })).toBeNull();
    expect(
      refusal({
        start: at('14:10', '2026-12-30'),
        end: at('18:10', '2026-12-30'),
        isPackage: true,
      }),
    ).toMatchObject({ code: 'too_far_ahead' });
  });

  it('never accept a span that breaks a rule, whatever the span', () => {
    const minuteOf = (t: number) => ((t + 8 * 60 * MINUTE) / MINUTE) % (24 * 60);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -2 * 24 * 60, max: 10 * 24 * 60 }),
          fc.integer({ min: -180, max: 120 }),
        ),
        fc.integer({ min: -60, max: 24 * 60 }),
        fc.boolean(),
        (startOffset, length, refuse) => {
          const rules = { ...DEFAULT_BOOKING_RULES, pastStart: refuse ? 'refuse' : 'from_now' };
          const start = now + startOffset * MINUTE;
          const end = start + length * MINUTE;
          const r = DEFAULT_BOOKING_RULES;
          const accepted = refusal({ rules: rules as typeof r, start, end }) === null;
          const onStep = (t: number) => minuteOf(t) % r.stepMinutes === 0;
          // Anything before the next minute is now: a walk-in, or a past start moved to now.
          const walkIn = start < now + MINUTE;
          const placed = walkIn ? now : start;
          const slotStart = walkIn ? now - (minuteOf(now) % r.stepMinutes) * MINUTE : start;
          const billFrom =
            walkIn && slotStart !== now ? slotStart + r.stepMinutes * MINUTE : placed;
          const ok =
            end > start &&
            end > now &&
            !(refuse && start < now) &&
            placed <= now + r.advanceDays * 24 * 60 * MINUTE &&
            (walkIn || onStep(start)) &&
            onStep(end) &&
            (end - slotStart) / MINUTE >= r.minMinutes &&
            (end - placed) / MINUTE <= r.maxMinutes &&
            billFrom < end;
          expect(accepted).toBe(ok);
        },
      ),
      { numRuns: 500 },
    );
  });
});
