// The state machine every cleaning task follows (O9, the cleaner): a task appears open when a
// session ends, one person takes it (only one holds it at a time), and the holder marks it done;
// a manager or the owner hands it to someone else or calls it off. Who holds a task is part of
// its state, so the rule "only the holder finishes it" is checked here. Recording it (with its
// history) is the hub's job. This module must stay free of I/O.
import { z } from 'zod';
import type { StaffRole } from '../staff/roles';

export const CleaningTaskStatusSchema = z.enum(['open', 'taken', 'done', 'cancelled']);
export type CleaningTaskStatus = z.infer<typeof CleaningTaskStatusSchema>;

export const CleaningActionSchema = z.enum(['take', 'release', 'finish', 'reassign', 'cancel']);
export type CleaningAction = z.infer<typeof CleaningActionSchema>;

/** Who may hold a cleaning task: the cleaners, and a manager or owner who cleans themselves. */
export const CLEANING_ROLES: readonly StaffRole[] = ['cleaner', 'manager', 'owner'];
/** Who hands a task to someone else or calls it off. */
export const CLEANING_SUPERVISORS: readonly StaffRole[] = ['manager', 'owner'];

/** A task's status and who holds it: someone while taken or once done, nobody while open. */
export interface CleaningTaskState {
  status: CleaningTaskStatus;
  holderId: string | null;
}

export interface CleaningStaff {
  id: string;
  role: StaffRole;
}

export type CleaningRefusal =
  /** done or cancelled: nothing more happens to it */
  | 'cleaning_task_closed'
  /** somebody else holds it */
  | 'cleaning_task_taken'
  /** it must be taken first (or is not held by the caller) */
  | 'cleaning_task_not_held'
  /** the caller's role may not do this */
  | 'cleaning_not_allowed'
  /** the person a task is handed to does not clean */
  | 'cleaning_not_a_cleaner';

export class CleaningTransitionError extends Error {
  constructor(
    readonly code: CleaningRefusal,
    message: string,
    /** Who holds the task, when that is why it was refused. */
    readonly holderId: string | null = null,
  ) {
    super(message);
    this.name = 'CleaningTransitionError';
  }
}

const CLOSED: readonly CleaningTaskStatus[] = ['done', 'cancelled'];

/**
 * Where `action` by `by` takes a task in `state`; `to` is who a reassigned task goes to. Throws
 * a CleaningTransitionError saying why not.
 */
export function nextCleaningState(
  state: CleaningTaskState,
  action: CleaningAction,
  by: CleaningStaff,
  to?: CleaningStaff,
): CleaningTaskState {
  if (CLOSED.includes(state.status)) {
    throw new CleaningTransitionError(
      'cleaning_task_closed',
      `this cleaning task is already ${state.status}`,
    );
  }
  switch (action) {
    case 'take': {
      if (!CLEANING_ROLES.includes(by.role)) {
        throw new CleaningTransitionError('cleaning_not_allowed', `a ${by.role} does not clean`);
      }
      if (state.status === 'taken') {
        // Taking again what one already holds changes nothing (a double tap, a retry).
        if (state.holderId === by.id) return state;
        throw new CleaningTransitionError(
          'cleaning_task_taken',
          'someone else has taken this cleaning task',
          state.holderId,
        );
      }
      return { status: 'taken', holderId: by.id };
    }
    case 'release':
    case 'finish': {
      if (state.status !== 'taken' || state.holderId !== by.id) {
        throw new CleaningTransitionError(
          'cleaning_task_not_held',
          state.status === 'taken'
            ? 'only the person who took this cleaning task can do that'
            : 'take this cleaning task first',
          state.holderId,
        );
      }
      return action === 'finish'
        ? { status: 'done', holderId: by.id }
        : { status: 'open', holderId: null };
    }
    case 'reassign': {
      if (!CLEANING_SUPERVISORS.includes(by.role)) {
        throw new CleaningTransitionError(
          'cleaning_not_allowed',
          'only a manager or the owner hands a cleaning task to someone else',
        );
      }
      if (!to || !CLEANING_ROLES.includes(to.role)) {
        throw new CleaningTransitionError(
          'cleaning_not_a_cleaner',
          `a cleaning task goes to a cleaner, a manager or the owner${to ? `, not a ${to.role}` : ''}`,
        );
      }
      return { status: 'taken', holderId: to.id };
    }
    case 'cancel': {
      if (!CLEANING_SUPERVISORS.includes(by.role)) {
        throw new CleaningTransitionError(
          'cleaning_not_allowed',
          'only a manager or the owner calls a cleaning task off',
        );
      }
      // Who held it stays on record: a task called off while someone was on it is theirs.
      return { status: 'cancelled', holderId: state.holderId };
    }
  }
}
