// The hub itself over HTTP: liveness, the cloud link, backups and a restore asked for (H2, H4).
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import { RestoreAskSchema } from '@roomhub/shared-types';
import { backupDatabase } from '../backup/backup';
import { backupsView, cancelRestore, requestRestore } from '../backup/restore-request';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { recentLogs } from '../log';
import { route, type RouteEntry } from './route';

const LogsQuery = z.object({ days: z.coerce.number().int().min(1).max(14).default(3) });

export function hubRoutes(
  hub: Hub,
  scanners: () => ScannerStatus[],
  sync: () => unknown,
): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/health',
      tag: 'hub',
      summary: 'Liveness and basic facts about this hub',
      handle: () => ({
        status: 'ok',
        time: new Date(hub.clock.now()).toISOString(),
        store: hub.store.hasStore() ? hub.store.getStore().name : null,
        scheduledJobs: hub.scheduler.pending().length,
        devices: hub.devices.devices ? hub.devices.devices.health().buses : 'no devices configured',
        scanners: scanners(),
        sync: sync() ?? 'cloud sync is off',
      }),
    }),
    route({
      method: 'get',
      path: '/api/sync',
      tag: 'hub',
      summary: 'Cloud sync: online / offline, last sync, pending out and in, lag (H2)',
      handle: () => sync() ?? { state: 'off', outbox: hub.outbox.pending() },
    }),
    route({
      method: 'get',
      path: '/api/logs',
      tag: 'hub',
      summary: "The hub's log lines of the last days (1-14), as one file to download",
      query: LogsQuery,
      raw: true,
      handle: ({ query, res }) => {
        const dir = join(hub.dataDir, 'logs');
        const text = existsSync(dir) ? recentLogs(dir, query.days, Date.now()) : '';
        res
          .status(200)
          .type('application/x-ndjson')
          .set('content-disposition', `attachment; filename="hub-logs-${query.days}d.ndjson"`)
          .send(text);
      },
    }),
    route({
      method: 'get',
      path: '/api/events',
      tag: 'hub',
      summary: 'Follow the live events (server-sent): bookings, the board, doors, devices, sync',
      raw: true,
      handle: ({ req, res, actor }) => {
        // What a scanner read (a payment code, a voucher, a door code) is for the counter alone:
        // staff signed in, or the cashier's screen; never a kiosk's or a door's. A scanner wired
        // to a kiosk reads for that kiosk alone, named by its id or the name it was paired with.
        const counter = actor.kind === 'staff' || actor.screen?.kind === 'cashier';
        const kiosk = actor.screen?.kind === 'kiosk' ? actor.screen.id : null;
        const kioskNames = kiosk
          ? [
              kiosk,
              ...hub.screens
                .list()
                .filter((s) => s.id === kiosk)
                .map((s) => s.name),
            ]
          : [];
        const mayRead = (e: { kiosk?: string }) =>
          e.kiosk === undefined ? counter : kioskNames.includes(e.kiosk);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.write('retry: 3000\n\n');
        res.write(
          `event: hello\ndata: ${JSON.stringify({ at: new Date(hub.clock.now()).toISOString() })}\n\n`,
        );
        const off = hub.events.subscribe((e) => {
          if (e.type === 'scan' && !mayRead(e)) return;
          // Who cleans which room is the staff's business: the cleaner's page and the counter.
          if (e.type === 'cleaning.task' && !counter) return;
          res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        });
        const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(beat);
          off();
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/backups',
      tag: 'hub',
      summary: 'Write a consistent copy of the database while the hub runs (H4)',
      status: 201,
      handle: async () => backupDatabase(hub.db, hub.dataDir, hub.clock.now()),
    }),
    route({
      method: 'get',
      path: '/api/backups',
      tag: 'hub',
      summary:
        'The backups on this machine, newest first, the restore asked for and how the last one went',
      handle: () => backupsView(hub.dataDir),
    }),
    route({
      method: 'post',
      path: '/api/backups/restore',
      tag: 'hub',
      summary:
        'The owner asks for a backup to be restored: checked now, put in place when the hub next starts',
      status: 202,
      body: RestoreAskSchema,
      handle: ({ body, actor }) => requestRestore(hub.dataDir, body.name, actor, hub.clock.now()),
    }),
    route({
      method: 'delete',
      path: '/api/backups/restore',
      tag: 'hub',
      summary: 'Takes back a restore asked for, before the hub starts again',
      handle: () => cancelRestore(hub.dataDir),
    }),
  ];
}
