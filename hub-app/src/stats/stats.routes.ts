// The owner's statistics over HTTP (O10): every table for a range in one answer, which the
// dashboard draws, and any one table as a CSV file for a spreadsheet (the owner's alone, each
// export audited). A route parses, calls the statistics service, answers.
import { StatsExportQuerySchema, StatsQuerySchema } from '@roomhub/shared-types';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';

export function statsRoutes({ stats }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/stats',
      tag: 'stats',
      summary:
        'The statistics of a range of store days (today, yesterday, 7d, 30d or custom from-to): revenue by channel and by day, bookings by status, room hours and the hour x weekday heat map, popular start hours, products, deals, top-ups and stored value owed, member growth, campaigns, refunds and cancellations',
      query: StatsQuerySchema,
      handle: ({ query }) => stats.all(query),
    }),
    route({
      method: 'get',
      path: '/api/stats/export.csv',
      tag: 'stats',
      summary:
        'One statistics table as CSV (UTF-8 with BOM, zh-CN header, money in yuan); every export audited',
      query: StatsExportQuerySchema,
      raw: true,
      handle: async ({ query, actor, write, res }) => {
        const { csv, filename } = await write(() => stats.exportCsv(query, actor));
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('content-disposition', `attachment; filename="${filename}"`)
          .send(csv);
      },
    }),
  ];
}
