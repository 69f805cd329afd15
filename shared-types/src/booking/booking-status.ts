// The order state machine every booking follows, on the hub and in the cloud alike. Who may do
// what is decided here; recording it is the hub's job. This module must stay free of I/O.
import { z } from 'zod';
import type { ScreenKind, StaffRole } from '../staff/roles';

export const BookingStatusSchema = z.enum([
  'pending_payment',
  'paid',
  'in_use',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
]);
export type BookingStatus = z.infer<typeof BookingStatusSchema>;

/** Statuses that hold the room: the slot (and its cleaning buffer) is not bookable by others. */
export const OCCUPYING_STATUSES = [
  'pending_payment',
  'paid',
  'in_use',
  'completed',
  'refunding',
] as const satisfies readonly BookingStatus[];

export const ActorKindSchema = z.enum(['customer', 'staff', 'system']);
export type ActorKind = z.infer<typeof ActorKindSchema>;

export interface Actor {
  kind: ActorKind;
  /** Phone for a customer, staff id for staff, the job name for the system. */
  id: string;
  /** A staff member's role, as signed in (or `owner` for the owner's remote view). */
  role?: StaffRole;
  /** The paired screen the call came from, if any. */
  screen?: { id: string; kind: ScreenKind };
  /** The booking a kiosk's customer proved with its door code or QR. */
  proven?: string;
}

export type BookingAction =
  | 'create'
  | 'pay'
  | 'expire'
  | 'cancel'
  | 'change'
  | 'extend'
  | 'start'
  | 'finish'
  | 'no_show'
  | 'request_refund'
  | 'approve_refund'
  | 'reject_refund'
  | 'settle_refund';

interface Rule {
  from: readonly BookingStatus[];
  /** The statuses this action may lead to; the service picks one (e.g. cancel with or without a refund). */
  to: readonly (BookingStatus | 'previous')[];
  by: readonly ActorKind[];
}

const ANYONE = ['customer', 'staff', 'system'] as const;

export const BOOKING_TRANSITIONS: Readonly<Record<BookingAction, Rule>> = {
  create: { from: [], to: ['pending_payment'], by: ANYONE },
  pay: { from: ['pending_payment'], to: ['paid'], by: ANYONE },
  expire: { from: ['pending_payment'], to: ['cancelled'], by: ['system'] },
  // A paid booking cancelled before its start goes to refunding when money is due back.
  cancel: {
    from: ['pending_payment', 'paid'],
    to: ['cancelled', 'refunding'],
    by: ['customer', 'staff'],
  },
  change: {
    from: ['pending_payment', 'paid'],
    to: ['pending_payment', 'paid'],
    by: ['customer', 'staff'],
  },
  // A later end, or (by the clock) the end put back when the extension went unpaid.
  extend: { from: ['paid', 'in_use'], to: ['paid', 'in_use'], by: ANYONE },
  start: { from: ['paid'], to: ['in_use'], by: ANYONE },
  finish: { from: ['in_use'], to: ['completed'], by: ANYONE },
  // A paid booking nobody came to is closed when its time is over; only the clock may do that.
  no_show: { from: ['paid'], to: ['completed'], by: ['system'] },
  request_refund: {
    from: ['paid', 'in_use', 'completed'],
    to: ['refunding'],
    by: ['customer', 'staff'],
  },
  approve_refund: { from: ['refunding'], to: ['refunding', 'refunded'], by: ['staff'] },
  reject_refund: { from: ['refunding'], to: ['previous'], by: ['staff'] },
  settle_refund: { from: ['refunding'], to: ['refunded', 'cancelled'], by: ['system'] },
};

export class TransitionError extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'TransitionError';
  }
}

/**
 * Checks that `actor` may take `action` from `status` to `target`; returns the target.
 * `previous` resolves a rejected refund back to where the booking was before it.
 */
export function checkTransition(
  status: BookingStatus,
  action: BookingAction,
  actor: Actor,
  target: BookingStatus,
  previous?: BookingStatus | null,
): BookingStatus {
  const rule = BOOKING_TRANSITIONS[action];
  if (!rule.by.includes(actor.kind)) {
    throw new TransitionError(
      'forbidden',
      `a ${actor.kind} may not ${action.replace('_', ' ')} a booking`,
    );
  }
  if (!rule.from.includes(status)) {
    throw new TransitionError(
      'illegal_transition',
      `cannot ${action.replace('_', ' ')} a booking that is ${status}`,
    );
  }
  const allowed = rule.to.some((t) => t === target || (t === 'previous' && previous === target));
  if (!allowed) {
    throw new TransitionError(
      'illegal_transition',
      `${action} cannot lead from ${status} to ${target}`,
    );
  }
  return target;
}

/**
 * A refund asked for during the session is reviewed while the session goes on: until staff decide
 * it, the booking still counts as in use (the door opens, the devices stay on, the time runs).
 */
export function countsAsInUse(status: BookingStatus, refundFrom: BookingStatus | null): boolean {
  return status === 'in_use' || (status === 'refunding' && refundFrom === 'in_use');
}

/**
 * Whether a booking's session steps (its end, its reminders) stay scheduled: it is paid or in use,
 * or a refund of one is under review (a rejected request puts it back where it was).
 */
export function keepsSessionSteps(
  status: BookingStatus,
  refundFrom: BookingStatus | null,
): boolean {
  const standing = status === 'refunding' ? refundFrom : status;
  return standing === 'paid' || standing === 'in_use';
}
