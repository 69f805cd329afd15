// Who may act on a booking, once the route's permission let the caller in: staff and the system
// on any; a customer only on their own. At the hub a customer is proven, never taken at their
// word: a kiosk holds a pass for the booking in front of it (made there, or shown its door code),
// and an intent from the cloud carries the customer the cloud signed in. The one place this rule
// lives; bookings and sessions both ask it.
import { DomainError, type Actor } from '@roomhub/shared-types';

/** The caller who proved nothing: may see what the store shows anyone, not act on a booking. */
export const ANONYMOUS = 'anonymous';

export function assertCanAct(booking: { id: string; customer_phone: string }, actor: Actor): void {
  if (actor.kind !== 'customer') return;
  if (actor.proven === booking.id) return;
  // Only the hub's own code makes such an actor, for a customer the cloud proved (intents).
  if (actor.id === booking.customer_phone) return;
  if (actor.screen?.kind === 'kiosk') {
    throw new DomainError(
      'forbidden',
      'booking_not_proven',
      'show this booking’s door code or QR at the kiosk first',
    );
  }
  if (actor.id === ANONYMOUS) {
    throw new DomainError('unauthenticated', 'sign_in_required', 'sign in first');
  }
  throw new DomainError(
    'forbidden',
    'not_your_booking',
    'this booking belongs to another customer',
  );
}
