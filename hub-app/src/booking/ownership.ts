// Who may act on a booking: customers on their own only; the store's kiosk for walk-ins; staff and
// the system for anyone. The one place this rule lives; bookings and sessions both ask it.
import { DomainError, type Actor } from '@roomhub/shared-types';

/** The caller who named nobody: may book and read a booking by its id, not act on one. */
export const ANONYMOUS = 'anonymous';

export function assertCanAct(
  booking: { customer_phone: string },
  actor: Actor,
  opts: { readOnly?: boolean } = {},
): void {
  if (
    actor.kind !== 'customer' ||
    actor.id.startsWith('kiosk:') ||
    actor.id === booking.customer_phone
  )
    return;
  // Reading by id is allowed without a name: the id itself is an unguessable 128-bit ticket.
  if (actor.id === ANONYMOUS && opts.readOnly) return;
  if (actor.id === ANONYMOUS) {
    throw new DomainError(
      'forbidden',
      'sign_in_required',
      'say who you are (the phone number of the booking) to act on it',
    );
  }
  throw new DomainError(
    'forbidden',
    'not_your_booking',
    'this booking belongs to another customer',
  );
}

/** Which bookings a caller may list: staff and the kiosk see all, a customer their own. */
export function listableBy(actor: Actor): { phone?: string } {
  if (actor.kind !== 'customer' || actor.id.startsWith('kiosk:')) return {};
  if (actor.id === ANONYMOUS) {
    throw new DomainError('forbidden', 'sign_in_required', 'say who you are to list bookings');
  }
  return { phone: actor.id };
}
