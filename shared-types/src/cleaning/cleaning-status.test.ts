import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../staff/roles';
import {
  CleaningTransitionError,
  nextCleaningState,
  type CleaningAction,
  type CleaningStaff,
  type CleaningTaskState,
} from './cleaning-status';

const OPEN: CleaningTaskState = { status: 'open', holderId: null };
const chen: CleaningStaff = { id: 'chen', role: 'cleaner' };
const zhou: CleaningStaff = { id: 'zhou', role: 'cleaner' };
const wang: CleaningStaff = { id: 'wang', role: 'manager' };
const li: CleaningStaff = { id: 'li', role: 'cashier' };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as CleaningTransitionError;
  }
  throw new Error('expected a refusal');
};

describe('a cleaning task', () => {
  it('is taken by one cleaner, and done by them', () => {
    const taken = nextCleaningState(OPEN, 'take', chen);
    expect(taken).toEqual({ status: 'taken', holderId: 'chen' });
    expect(nextCleaningState(taken, 'take', chen)).toEqual(taken);
    const other = refusal(() => nextCleaningState(taken, 'take', zhou));
    expect(other.code).toBe('cleaning_task_taken');
    expect(other.holderId).toBe('chen');
    expect(refusal(() => nextCleaningState(taken, 'finish', zhou)).code).toBe(
      'cleaning_task_not_held',
    );
    expect(nextCleaningState(taken, 'finish', chen)).toEqual({ status: 'done', holderId: 'chen' });
  });

  it('must be taken before it is done, and can be given back', () => {
    expect(refusal(() => nextCleaningState(OPEN, 'finish', chen)).code).toBe(
      'cleaning_task_not_held',
    );
    const taken = nextCleaningState(OPEN, 'take', chen);
    expect(nextCleaningState(taken, 'release', chen)).toEqual(OPEN);
  });

  it('is handed over or called off by a manager, never by a cleaner or a cashier', () => {
    const taken = nextCleaningState(OPEN, 'take', chen);
    expect(nextCleaningState(taken, 'reassign', wang, zhou)).toEqual({
      status: 'taken',
      holderId: 'zhou',
    });
    expect(refusal(() => nextCleaningState(taken, 'reassign', chen, zhou)).code).toBe(
      'cleaning_not_allowed',
    );
    expect(refusal(() => nextCleaningState(taken, 'reassign', wang, li)).code).toBe(
      'cleaning_not_a_cleaner',
    );
    expect(refusal(() => nextCleaningState(OPEN, 'take', li)).code).toBe('cleaning_not_allowed');
    expect(nextCleaningState(taken, 'cancel', wang)).toEqual({
      status: 'cancelled',
      holderId: 'chen',
    });
    expect(refusal(() => nextCleaningState(taken, 'cancel', chen)).code).toBe(
      'cleaning_not_allowed',
    );
  });
});

const PEOPLE: CleaningStaff[] = [
  chen,
  zhou,
  wang,
  li,
  { id: 'boss', role: 'owner' },
  { id: 'kf', role: 'customer_service' },
];
const step = fc.record({
  action: fc.constantFrom<CleaningAction>('take', 'release', 'finish', 'reassign', 'cancel'),
  by: fc.constantFrom(...PEOPLE),
  to: fc.constantFrom(...PEOPLE),
});
const CLEANS: readonly StaffRole[] = ['cleaner', 'manager', 'owner'];

describe('any sequence of steps on a cleaning task', () => {
  it('keeps one holder, lets only the holder finish, and never moves a closed task', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let state = OPEN;
        let closedAt = -1;
        steps.forEach(({ action, by, to }, i) => {
          const before = state;
          try {
            state = nextCleaningState(state, action, by, to);
          } catch (e) {
            expect(e).toBeInstanceOf(CleaningTransitionError);
            const code = (e as CleaningTransitionError).code;
            if (closedAt >= 0) expect(code).toBe('cleaning_task_closed');
            if (code === 'cleaning_task_taken') {
              // Refused because someone else holds it: the refusal names them.
              expect(before.status).toBe('taken');
              expect((e as CleaningTransitionError).holderId).toBe(before.holderId);
              expect(before.holderId).not.toBe(by.id);
            }
            return;
          }
          // A closed task never moves again.
          expect(closedAt).toBe(-1);
          // Open means nobody holds it; taken means exactly one person who cleans does.
          if (state.status === 'open') expect(state.holderId).toBeNull();
          if (state.status === 'taken') {
            const holder = PEOPLE.find((p) => p.id === state.holderId);
            expect(holder && CLEANS.includes(holder.role)).toBe(true);
          }
          // Someone else's task is never taken from them except by a manager's hand-over.
          if (before.status === 'taken' && state.status === 'taken') {
            if (before.holderId !== state.holderId) expect(action).toBe('reassign');
          }
          if (state.status === 'done') {
            expect(before).toEqual({ status: 'taken', holderId: by.id });
            expect(state.holderId).toBe(by.id);
          }
          if (state.status === 'done' || state.status === 'cancelled') closedAt = i;
        });
      }),
      { numRuns: 500 },
    );
  });
});
