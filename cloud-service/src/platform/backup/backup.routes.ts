// The platform owner downloads a backup of the cloud's databases (P5), `platform` (the audit
// trail) with them: the file is written to the answer as it is read from CouchDB. Each download is
// audited. Needs the platform's credential, which alone may read `platform`.
import type { Clock } from '@roomhub/shared-types';
import type { RouteDef } from '../../http/route';
import type { PlatformAudit } from '../platform-audit';
import { platformRoute } from '../platform-auth';
import { platformWriter, type PlatformStore } from '../platform-store';
import { streamBackup } from './cloud-backup';

export function backupRoutes(d: {
  /** The cloud user's: the cloud's databases and the registry. */
  couchUrl: string;
  /** `CLOUD_PLATFORM_COUCHDB_URL`, the credential of `store`'s writer: `platform`. */
  platformCouchUrl: string | undefined;
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
        "A backup of the cloud's databases and the platform's audit trail as JSON lines, streamed; restore it with `npm run cloud-backup -- restore`",
      handle: async ({ caller, res }) => {
        const at = new Date(d.clock.now());
        // Without the platform's credential: a 503 saying so, before anything is read.
        const writer = platformWriter(d.store);
        const readers = { cloud: d.couchUrl, platform: d.platformCouchUrl ?? d.couchUrl };
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
        try {
          await streamBackup(readers, res, { at });
        } catch (error) {
          // Refused before a line was sent: the error's own answer. Cut off midway: the download
          // ends unfinished, and a restore refuses the file as cut short.
          if (!res.headersSent) res.removeHeader('Content-Disposition');
          else res.destroy();
          throw error;
        }
        res.end();
      },
    }),
  ];
}
