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
    expect(refusal({ start: at('09:30'), end: at('11:00') })).toMatchObject({
      code: 'start_in_past',
      field: 'start',
    });
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
    fc.assert(
      fc.property(
        fc.integer({ min: -2 * 24 * 60, max: 10 * 24 * 60 }),
        fc.integer({ min: -60, max: 24 * 60 }),
        (startOffset, length) => {
          const start = now + startOffset * MINUTE;
          const end = start + length * MINUTE;
          const r = DEFAULT_BOOKING_RULES;
          const accepted = refusal({ start, end }) === null;
          const minutes = (end - start) / MINUTE;
          const onStep = (t: number) => ((t + 8 * 60 * MINUTE) / MINUTE) % r.stepMinutes === 0;
          const ok =
            end > start &&
            start + r.stepMinutes * MINUTE > now &&
            start <= now + r.advanceDays * 24 * 60 * MINUTE &&
            onStep(start) &&
            onStep(end) &&
            minutes >= r.minMinutes &&
            minutes <= r.maxMinutes;
          expect(accepted).toBe(ok);
        },
      ),
    );
  });
});
