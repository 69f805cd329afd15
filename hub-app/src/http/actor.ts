// Who is calling. Staff sign-in comes with the staff issue; until then this is the one seam every
// route goes through: `X-Staff-Id` marks a staff call, `X-Customer-Phone` a customer acting on
// their own bookings, and anything else is the store's kiosk acting for a walk-in.
import type { Request } from 'express';
import type { Actor } from '@roomhub/shared-types';

export function actorOf(req: Request): Actor {
  const staff = req.get('x-staff-id')?.trim();
  if (staff) return { kind: 'staff', id: staff.slice(0, 64) };
  const phone = req.get('x-customer-phone')?.trim();
  if (phone) return { kind: 'customer', id: phone.slice(0, 20) };
  return { kind: 'customer', id: 'kiosk' };
}
