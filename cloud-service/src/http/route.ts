// A route of the cloud's API, shaped as the hub's (hub-app/src/http/route.ts): the shared spec
// (method, path, access, schemas; shared-types) and the handler that parses nothing itself, calls
// one service and returns what it answers. Each domain lists its routes beside its service
// (`orders/orders.routes.ts`); `routes.ts` combines them and `app.ts` mounts them.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { RouteAccess, RouteSpec } from '@roomhub/shared-types';
import type { CustomerIdentity, OwnerIdentity } from '../auth/tokens';
import type { HubIdentity } from '../vouchers/hub-callers';
import type { PlatformAction, PlatformRole } from '@roomhub/shared-types';

/** A member of the platform's staff, signed in with a texted code and an authenticator. */
export interface PlatformCaller {
  phone: string;
  name: string;
  roles: PlatformRole[];
}

/** Who may call a cloud route; staff sign in at their store's hub, never here. */
export type CloudAccess = Extract<RouteAccess, string>;

/** The caller a route gets, by its access: proved from the bearer token before it runs. */
export interface Callers {
  anyone: null;
  customer: CustomerIdentity;
  owner: OwnerIdentity;
  /** A store's hub, proved by its CouchDB user. */
  hub: HubIdentity;
  /** Platform staff, whose roles allow the route's action (platform/platform-auth.ts). */
  platform: PlatformCaller;
}

export interface RouteInput<B, Q, P, C> {
  body: B;
  query: Q;
  params: P;
  caller: C;
  /** The `Idempotency-Key` header, checked, for routes that take one. */
  idempotencyKey: string | undefined;
  req: Request;
  res: Response;
}

export interface RouteDef extends RouteSpec {
  access: CloudAccess;
  /** Reads the `Idempotency-Key` header: the same key again gives the first answer. */
  idempotent?: boolean;
  /** For `platform` routes: the action of the platform's permission table the caller needs. */
  action?: PlatformAction;
  handle: (input: RouteInput<any, any, any, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An answer with a status of its own, for routes whose status depends on the outcome. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** Types a route's handler by its own schemas and access; the table holds plain RouteDefs. */
export function route<
  A extends CloudAccess,
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodObject = z.ZodObject,
>(
  def: Omit<RouteSpec, 'access' | 'body' | 'query' | 'params'> & {
    access: A;
    idempotent?: boolean;
    body?: B;
    query?: Q;
    params?: P;
    handle: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>, Callers[A]>) => unknown;
  },
): RouteDef {
  return def as RouteDef;
}
