// The complaint's state machine, walked at random: whatever the platform's staff do in whatever
// order, a complaint is stepped into at its first platform line and never again, closes once with
// the outcome and words it was closed with, and after that refuses everything in words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import {
  COMPLAINT_OUTCOMES,
  complaintNext,
  complaintView,
  fileComplaint,
  type ComplaintAction,
  type ComplaintState,
} from './complaint';

const T0 = Date.parse('2026-12-05T10:00:00Z');
const staff = fc.constantFrom(
  { phone: '13900000001', name: '陈平' },
  { phone: '13900000002', name: '李娜' },
);
const action = fc.oneof(
  fc.record({ kind: fc.constant('say' as const), by: staff }),
  fc.record({
    kind: fc.constant('close' as const),
    by: staff,
    outcome: fc.constantFrom(...COMPLAINT_OUTCOMES),
    words: fc.string({ minLength: 4, maxLength: 20 }),
  }),
);

describe('a complaint', () => {
  it('is stepped into once, closes once, and refuses everything once closed', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 12 }), (actions) => {
        let c: ComplaintState = fileComplaint('茶具有破损，门店不肯换', new Date(T0).toISOString());
        let says = 0;
        let firstSay: ComplaintAction | undefined;
        let closing: ComplaintAction | undefined;
        for (const [i, a] of actions.entries()) {
          const at = new Date(T0 + (i + 1) * 60_000).toISOString();
          const full = { ...a, at } as ComplaintAction;
          const before = c;
          if (before.status === 'closed') {
            expect(() => complaintNext(before, full)).toThrow(DomainError);
            try {
              complaintNext(before, full);
            } catch (e) {
              expect((e as DomainError).code).toBe('complaint_closed');
              expect((e as DomainError).kind).toBe('conflict');
            }
            continue;
          }
          c = complaintNext(before, full);
          if (full.kind === 'say') {
            says += 1;
            firstSay ??= full;
            expect(c.status).toBe('joined');
          } else {
            closing = full;
            expect(c.status).toBe('closed');
          }
        }
        expect(c.platformLines).toBe(says);
        expect(c.reason).toBe('茶具有破损，门店不肯换');
        // Stepped in exactly when the platform said something, at its first line, by its writer.
        expect(c.joinedAt).toBe(firstSay?.at);
        expect(c.joinedBy).toEqual(firstSay?.by);
        if (closing && closing.kind === 'close') {
          expect(c.closed).toEqual({
            outcome: closing.outcome,
            words: closing.words,
            at: closing.at,
            by: closing.by,
          });
          if (c.joinedAt) expect(c.joinedAt <= c.closed!.at).toBe(true);
        } else {
          expect(c.closed).toBeUndefined();
          expect(c.status).toBe(says > 0 ? 'joined' : 'open');
        }
        // The customer's and the store's view never names the staff member.
        expect(JSON.stringify(complaintView(c))).not.toMatch(/1390000000/);
      }),
      { numRuns: 300 },
    );
  });
});
