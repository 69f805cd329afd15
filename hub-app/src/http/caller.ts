// Who is calling, proved, never taken from a header's word: a staff member by the bearer token
// their PIN got them (`Authorization: Bearer`), a paired screen by its screen token
// (`X-Screen-Token`), a kiosk's customer by the pass for the booking they proved
// (`X-Booking-Pass`). Anything else is anonymous. Then whether the route's row of the permission
// table lets that caller in. Decides nothing else.
import type { Request } from 'express';
import { DomainError, type Actor, type RouteAccess } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { ANONYMOUS } from '../booking/ownership';

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

export function callerOf(req: Request, hub: Hub): Actor {
  const screenToken = req.get('x-screen-token')?.trim();
  const screen = screenToken ? hub.screens.screenOf(screenToken) : null;
  if (screenToken && !screen) {
    throw new DomainError(
      'unauthenticated',
      'screen_not_paired',
      'this screen is not paired, or was unpaired; pair it again with a code from the owner',
    );
  }
  const onScreen = screen ? { screen: { id: screen.id, kind: screen.kind } } : {};
  const token = bearer(req);
  if (token) {
    const staff = hub.signIn.staffOf(token);
    if (!staff) {
      throw new DomainError(
        'unauthenticated',
        'sign_in_expired',
        'this sign-in has expired or was ended; sign in again with your PIN',
      );
    }
    return { kind: 'staff', id: staff.id, role: staff.role, ...onScreen };
  }
  if (screen) {
    const actor: Actor = { kind: 'customer', id: `${screen.kind}:${screen.id}`, ...onScreen };
    const pass = req.get('x-booking-pass')?.trim();
    if (pass && screen.kind === 'kiosk') {
      const bookingId = hub.passes.bookingOf(pass, screen.id);
      if (!bookingId) {
        throw new DomainError(
          'unauthenticated',
          'pass_expired',
          'show the booking’s door code or QR at the kiosk again',
        );
      }
      actor.proven = bookingId;
    }
    return actor;
  }
  return { kind: 'customer', id: ANONYMOUS };
}

/** Whether `actor` may call a route with this row of the permission table. */
export function mayCall(access: RouteAccess, actor: Actor): boolean {
  if (access === 'anyone') return true;
  if (typeof access === 'string') return false; // a cloud word: no hub caller is one
  if (actor.kind === 'staff' && actor.role && access.staff.includes(actor.role)) return true;
  return !!actor.screen && (access.screens ?? []).includes(actor.screen.kind);
}

/** `what`: the route's summary, to say what was refused. */
export function assertMayCall(access: RouteAccess, actor: Actor, what: string): void {
  if (mayCall(access, actor)) return;
  if (actor.kind !== 'staff' && !actor.screen) {
    throw new DomainError(
      'unauthenticated',
      'sign_in_required',
      `sign in with a staff PIN, or use a paired screen (${what})`,
    );
  }
  const who =
    actor.kind === 'staff'
      ? `a ${actor.role?.replace('_', ' ')}`
      : `a ${actor.screen?.kind} screen`;
  throw new DomainError('forbidden', 'not_allowed', `${who} may not do this (${what})`);
}

/** A caller that proved something: a staff member or a paired screen. */
export const isProven = (actor: Actor) => actor.kind === 'staff' || !!actor.screen;
