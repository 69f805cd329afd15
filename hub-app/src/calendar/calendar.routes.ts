// Day types for pricing over HTTP: the official calendar and the owner's overrides.
import { z } from 'zod';
import {
  CalendarPutSchema,
  CalendarRangeQuerySchema,
  LocalDateSchema,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';

const DateParams = z.object({ date: LocalDateSchema });

export function calendarRoutes({ calendar }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/calendar',
      tag: 'calendar',
      summary: 'Day types (workday / weekend / holiday) with their source',
      query: CalendarRangeQuerySchema,
      handle: ({ query }) => calendar.list(query.from, query.to),
    }),
    route({
      method: 'put',
      path: '/api/calendar/:date',
      tag: 'calendar',
      summary: "Override a day's type; wins over the official calendar",
      params: DateParams,
      body: CalendarPutSchema,
      handle: ({ params, body, actor, write }) =>
        write((afterCommit) =>
          calendar.set(params.date, body.type, body.note ?? null, actor, afterCommit),
        ),
    }),
    route({
      method: 'delete',
      path: '/api/calendar/:date',
      tag: 'calendar',
      summary: 'Remove an override; the official calendar applies again',
      params: DateParams,
      handle: ({ params, write }) =>
        write((afterCommit) => calendar.remove(params.date, afterCommit)),
    }),
  ];
}
