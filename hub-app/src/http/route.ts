// A route of the hub's API: the shared spec (method, path, access, schemas; shared-types) and the
// handler that parses nothing itself, calls one service and returns what it answers. Each domain
// lists its routes beside its service (`booking/booking.routes.ts`); `routes.ts` combines them.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { StaffRoleSchema, type Actor, type RouteSpec } from '@roomhub/shared-types';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  actor: Actor;
  req: Request;
  res: Response;
}

export interface RouteDef extends RouteSpec {
  handle: (input: RouteInput<any, any, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Types a route's handler by its own schemas; the table holds them as plain RouteDefs. */
export function route<
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodObject = z.ZodObject,
>(
  def: Omit<RouteSpec, 'body' | 'query' | 'params'> & {
    body?: B;
    query?: Q;
    params?: P;
    handle: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => unknown;
  },
): RouteDef {
  return def as RouteDef;
}

/** `:id` in a path. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });

/** Every role of the store's staff. */
export const ANY_STAFF = { staff: StaffRoleSchema.options };
