// Who is calling. Staff sign-in comes with the staff issue; until then this is the one seam every
// route goes through: `X-Staff-Id` marks a staff call, `X-Customer-Phone` a customer acting on
// their own bookings, `X-Kiosk-Id` the store's own kiosk acting for a walk-in. A call with none of
// them may browse and book (the booking names its customer) but not act on an existing booking.
import type { Request } from 'express';
import type { Actor } from '@roomhub/shared-types';
import { ANONYMOUS } from '../booking/ownership';

export function actorOf(req: Request): Actor {
  const staff = req.get('x-staff-id')?.trim();
  if (staff) return { kind: 'staff', id: staff.slice(0, 64) };
  const phone = req.get('x-customer-phone')?.trim();
  if (phone) return { kind: 'customer', id: phone.slice(0, 20) };
  const kiosk = req.get('x-kiosk-id')?.trim();
  if (kiosk) return { kind: 'customer', id: `kiosk:${kiosk.slice(0, 40)}` };
  return { kind: 'customer', id: ANONYMOUS };
}
