// What an endpoint is, as both sides of it agree: method, path, who may call it, what it takes.
// The hub and the cloud service attach a handler to each spec and mount them; the OpenAPI document
// is made from the same specs (openapi.ts), and the screens read the schemas to call them. Pure.
import type { z } from 'zod';
import type { ScreenKind, StaffRole } from '../staff/roles';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Who may call. On the cloud: `anyone`, a signed-in `customer`, an `owner` of the store, a
 * store's `hub` (with its CouchDB user), `platform` staff (whose role the route's action names,
 * platform/platform-roles.ts). On the hub: `anyone`, or the staff roles and the paired
 * screens the route names (a staff member signed in on a paired screen counts as both).
 */
export type RouteAccess =
  | 'anyone'
  | 'customer'
  | 'owner'
  | 'hub'
  | 'platform'
  | { staff: readonly StaffRole[]; screens?: readonly ScreenKind[] };

export interface RouteSpec {
  method: HttpMethod;
  /** Express style, `/api/bookings/:id`. */
  path: string;
  summary: string;
  /** The OpenAPI tag: the domain it belongs to. */
  tag: string;
  access: RouteAccess;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodObject;
  /** Success status; 200 unless said. */
  status?: number;
  /**
   * The error codes this route answers by status, beyond the ones every route of its kind may
   * (invalid_input, sign_in_required, not_allowed, ..._not_found): listed in the OpenAPI document
   * so a screen knows what to expect.
   */
  errors?: Partial<Record<400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503, readonly string[]>>;
}
