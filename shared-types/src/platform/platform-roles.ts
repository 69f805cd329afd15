// Who works for the platform and what each role may do in its console (P1-P5): the one permission
// table every platform route names an action of, and the console reads to show only what its
// staff member may use. Pure.
import { z } from 'zod';

export const PlatformRoleSchema = z.enum([
  'platform_owner',
  'user_admin',
  'merchant_admin',
  'order_admin',
  'analyst',
]);
export type PlatformRole = z.infer<typeof PlatformRoleSchema>;
export const PLATFORM_ROLES = PlatformRoleSchema.options;

/**
 * Each action of the platform's console and the roles that may take it. The platform owner may
 * do everything; a route names one action, never a list of roles of its own.
 */
export const PLATFORM_PERMISSIONS = {
  /** The staff list, adding and removing staff and their roles. */
  'staff.manage': ['platform_owner'],
  /** The audit trail of every platform action. */
  'audit.read': ['platform_owner'],
  /** Merchants, their applications, documents, ratings and penalties. */
  'merchants.read': ['platform_owner', 'merchant_admin', 'analyst'],
  /** Approving or sending back an application; penalties and limits. */
  'merchants.manage': ['platform_owner', 'merchant_admin'],
  /** Rooms, products and deals waiting for review, and past reviews. */
  'content.read': ['platform_owner', 'merchant_admin'],
  /** Approving or refusing a room, product or deal; the home page's campaigns and banners. */
  'content.manage': ['platform_owner', 'merchant_admin'],
  /** Customers: search, sign-ins and edits, appeals. */
  'users.read': ['platform_owner', 'user_admin'],
  /** Freezing and unfreezing a customer, answering appeals. */
  'users.manage': ['platform_owner', 'user_admin'],
  /** Every order across stores and the anomalies flagged on them. */
  'orders.read': ['platform_owner', 'order_admin', 'analyst'],
  /** Marking an anomaly handled, with a reason. */
  'orders.manage': ['platform_owner', 'order_admin'],
  /** Analytics and the live overview. */
  'analytics.read': ['platform_owner', 'analyst', 'order_admin', 'merchant_admin', 'user_admin'],
  /** System settings (payment, SMS, upload limits) and backups. */
  'settings.manage': ['platform_owner'],
} as const satisfies Record<string, readonly PlatformRole[]>;
export type PlatformAction = keyof typeof PLATFORM_PERMISSIONS;
export const PLATFORM_ACTIONS = Object.keys(PLATFORM_PERMISSIONS) as PlatformAction[];

/** Whether a staff member holding `roles` may take `action`. */
export function platformMay(roles: readonly PlatformRole[], action: PlatformAction): boolean {
  const allowed: readonly PlatformRole[] = PLATFORM_PERMISSIONS[action];
  return roles.some((r) => allowed.includes(r));
}
