// The store's own anomalies over HTTP (B8): the owner's and the manager's list, newest first,
// each with the facts that explain it.
import { z } from 'zod';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';

const AnomalyListQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(92).default(30),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function anomalyRoutes({ anomalies }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/anomalies',
      tag: 'anomalies',
      summary:
        'What the store flagged by itself (a door opened with no session, power drawn with no session, a room held and never used), newest first',
      query: AnomalyListQuerySchema,
      handle: ({ query }) => ({ anomalies: anomalies.list(query) }),
    }),
  ];
}
