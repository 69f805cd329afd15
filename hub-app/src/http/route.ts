// A route of the hub's API: the shared spec (method, path, schemas; shared-types) and the handler
// that parses nothing itself, calls one service and returns what it answers. Each domain lists its
// routes beside its service (`booking/booking.routes.ts`); `routes.ts` combines them and gives
// each its row of the permission table (`permissions.ts`), without which it does not start.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor, RouteSpec } from '@roomhub/shared-types';
import type { AfterCommit } from '../db/write-queue';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  actor: Actor;
  /**
   * Runs a write (the write queue's `run`): a staff member's action goes into the audit log in the
   * same transaction as the action itself.
   */
  write: <T>(work: (afterCommit: AfterCommit) => T) => Promise<T>;
  req: Request;
  res: Response;
}

/** A route as a domain lists it; `access` comes from the permission table. */
export interface RouteEntry extends Omit<RouteSpec, 'access'> {
  /** The handler answers by itself (an event stream, a gateway's own answer). */
  raw?: boolean;
  /** At most this many calls a minute from one unproven caller (by address). */
  perMinute?: number;
  /** Its service writes its own audit entry, with the before and after (staff, screens). */
  audited?: boolean;
  handle: (input: RouteInput<any, any, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RouteDef extends RouteEntry {
  access: RouteSpec['access'];
}

/** Types a route's handler by its own schemas; the table holds them as plain RouteEntries. */
export function route<
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodObject = z.ZodObject,
>(
  def: Omit<RouteEntry, 'body' | 'query' | 'params' | 'handle'> & {
    body?: B;
    query?: Q;
    params?: P;
    handle: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => unknown;
  },
): RouteEntry {
  return def as RouteEntry;
}

/** `:id` in a path. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });
