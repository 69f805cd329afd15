// The platform owner downloads a backup of the cloud's databases (P5): the file is written to the
// answer as it is read from CouchDB. Each download is audited.
import type { Clock } from '@roomhub/shared-types';
import type { RouteDef } from '../../http/route';
import type { PlatformAudit } from '../platform-audit';
import { platformRoute } from '../platform-auth';
import { platformWriter, type PlatformStore } from '../platform-store';
import { streamBackup } from './cloud-backup';

export function backupRoutes(d: {
  couchUrl: string;
  store: PlatformStore;
  audit: PlatformAudit;
  clock: Clock;
}): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/backup',
      tag: 'platform',
      action: 'settings.manage',
      summary:
        "A backup of the cloud's databases as JSON lines, streamed; restore it with `npm run cloud-backup -- restore`",
      handle: async ({ caller, res }) => {
        const at = new Date(d.clock.now());
        const writer = platformWriter(d.store);
        await d.audit.record(writer, {
          actor: caller.phone,
          action: 'backup.download',
          target: 'cloud:databases',
          reason: 'backup downloaded',
        });
        res.status(200);
        res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
        res.setHeader(
          'Content-Disposition',
          `attachment; filename="cloud-backup-${at.toISOString().replaceAll(':', '-')}.jsonl"`,
        );
        await streamBackup(d.couchUrl, res, { at });
        res.end();
      },
    }),
  ];
}
