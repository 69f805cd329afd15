// Who works in a store and which screens it has (O9). A role decides, route by route, what a
// signed-in staff member may do (the hub's permission table); a paired screen is a device, not a
// person, and may do only what a screen of its kind needs.
import { z } from 'zod';

export const StaffRoleSchema = z.enum([
  'owner',
  'manager',
  'cashier',
  'customer_service',
  'cleaner',
]);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** The roles a manager may create and manage; the owner manages everyone. */
export const MANAGED_BY_MANAGER: readonly StaffRole[] = ['cashier', 'customer_service', 'cleaner'];

/**
 * A store's paired screens: the `kiosk` customers use, the `cashier` screen (staff sign in on it
 * too), a `door` scanner that only reads codes at a room, and a staff `phone` (a cleaner's phone
 * on the store's Wi-Fi): a phone may do nothing by itself; it only lets staff sign in on it from
 * the store's network, which customers may share.
 */
export const ScreenKindSchema = z.enum(['kiosk', 'cashier', 'door', 'phone']);
export type ScreenKind = z.infer<typeof ScreenKindSchema>;
