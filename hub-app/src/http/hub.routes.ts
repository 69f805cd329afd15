// The hub itself over HTTP: liveness, the cloud link and backups (H2, H4).
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import { backupDatabase } from '../backup/backup';
import { ANY_STAFF, route, type RouteDef } from './route';

export function hubRoutes(
  hub: Hub,
  scanners: () => ScannerStatus[],
  sync: () => unknown,
): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/health',
      tag: 'hub',
      access: 'anyone',
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
      access: 'anyone',
      summary: 'Cloud sync: online / offline, last sync, pending out and in, lag (H2)',
      handle: () => sync() ?? { state: 'off', outbox: hub.outbox.pending() },
    }),
    route({
      method: 'post',
      path: '/api/backups',
      tag: 'hub',
      access: ANY_STAFF,
      summary: 'Write a consistent copy of the database while the hub runs (H4)',
      status: 201,
      handle: async () => backupDatabase(hub.db, hub.dataDir, hub.clock.now()),
    }),
  ];
}
