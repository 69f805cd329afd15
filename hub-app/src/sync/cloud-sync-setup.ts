// Connects the hub to its store's database in the cloud: publishes the outbox and answers intents
// (H2), at the CouchDB the hub was given (`COUCHDB_URL`; `npm start` runs an embedded one).
import { join } from 'node:path';
import { createReplicator, type Replicator, type SyncStatus } from '@roomhub/cloud-sync';
import type { Hub } from '../hub';
import { buildDocument } from './documents';
import { answerIntent } from './intents';

export interface CloudSync {
  replicator: Replicator;
  status(): SyncStatus & { outbox: number };
  stop(): Promise<void>;
}

export async function startCloudSync(
  hub: Hub,
  couchUrl: string,
  opts: { stallMs?: number; pollMs?: number } = {},
): Promise<CloudSync> {
  const replicator = createReplicator({
    localDir: join(hub.dataDir, 'sync'),
    remoteUrl: couchUrl,
    storeId: hub.store.getStore().id,
    outbox: hub.outbox.source((docId) => buildDocument(hub, docId)),
    answer: (intent) => answerIntent(hub, intent),
    clock: hub.clock,
    ...(opts.stallMs ? { stallMs: opts.stallMs } : {}),
    ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
  });
  hub.outbox.onMarked(() => void replicator.syncNow().catch(() => undefined));
  const off = replicator.onStatus((s) =>
    hub.events.emit({ type: 'sync.status', status: s, at: hub.clock.now() }),
  );
  await replicator.start();
  return {
    replicator,
    status: () => ({ ...replicator.status(), outbox: hub.outbox.pending() }),
    async stop() {
      off();
      await replicator.stop();
    },
  };
}
