// Room maintenance over HTTP (C13): the marks not yet over with the bookings each covers, a new
// mark on a room, and lifting one.
import { MaintenanceCreateSchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

export function maintenanceRoutes({ maintenance }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/maintenance',
      tag: 'rooms',
      summary:
        'Room maintenance marks not yet over, each with the bookings in it to move or refund',
      handle: () => maintenance.list(),
    }),
    route({
      method: 'post',
      path: '/api/rooms/:id/maintenance',
      tag: 'rooms',
      summary: 'The owner marks a room under maintenance for a period: it is not bookable in it',
      status: 201,
      params: IdParams,
      body: MaintenanceCreateSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) => maintenance.mark(params.id, body, actor, afterCommit)),
    }),
    route({
      method: 'post',
      path: '/api/maintenance/:id/lift',
      tag: 'rooms',
      summary: 'Lifts a maintenance mark: the room is bookable again',
      params: IdParams,
      handle: ({ params, write }) =>
        write((afterCommit) => maintenance.lift(params.id, afterCommit)),
    }),
  ];
}
