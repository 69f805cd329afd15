// Connects the hub to its store's database in the cloud: publishes the outbox and answers intents
// (H2), at the CouchDB the hub was given (`COUCHDB_URL` with the hub's own user, `hub-<storeId>`;
// `npm start` runs an embedded one and provisions that user). An intent is answered only once its
// signature shows it is the cloud's (`HUB_CLOUD_PUBLIC_KEY`). What goes wrong is logged here;
// answered intents are not (their answers are the record).
import { join } from 'node:path';
import { DEVICE_SCHEDULES_ID, HUB_ALIVE_ID, MENU_DOC_ID } from '@roomhub/shared-types';
import {
  createReplicator,
  type IntentKeys,
  type Replicator,
  type SyncStatus,
} from '@roomhub/cloud-sync';
import type { Hub } from '../hub';
import { publishStats } from '../stats/stats-publisher';
import { buildDocument } from './documents';
import { answerIntent } from './intents';

/** Where the cloud is and what the hub shares with it. */
export interface CloudLink {
  couchUrl: string;
  /**
   * The cloud's public keys its intents are checked with; without them no intent can be shown to
   * be the cloud's, and every one is refused.
   */
  intentKeys?: IntentKeys;
  /**
   * The key customer ids are made with (`CUSTOMER_ID_KEY`), the cloud's own; without it a kiosk
   * booking is published with no customer id.
   */
  customerIdKey?: string;
  stallMs?: number;
  pollMs?: number;
  /** How often the hub says it is alive; five minutes unless set. */
  aliveEveryMs?: number;
}

export interface CloudSync {
  replicator: Replicator;
  status(): SyncStatus & { outbox: number };
  stop(): Promise<void>;
}

export async function startCloudSync(hub: Hub, link: CloudLink): Promise<CloudSync> {
  const { intentKeys, customerIdKey } = link;
  const replicator = createReplicator({
    localDir: join(hub.dataDir, 'sync'),
    remoteUrl: link.couchUrl,
    storeId: hub.store.getStore().id,
    outbox: hub.outbox.source((docId) => buildDocument(hub, docId, customerIdKey)),
    verify: (_intent, doc) =>
      intentKeys ? intentKeys.check(doc) : { ok: false, reason: 'the hub holds no cloud key' },
    answer: (intent) => answerIntent(hub, intent, customerIdKey),
    clock: hub.clock,
    log: ({ level, event, detail }) => {
      if (event === 'intent answered') return;
      console.error(`cloud sync ${level}: ${event}${detail ? ` ${JSON.stringify(detail)}` : ''}`);
    },
    ...(link.stallMs ? { stallMs: link.stallMs } : {}),
    ...(link.pollMs ? { pollMs: link.pollMs } : {}),
  });
  hub.outbox.onMarked(() => void replicator.syncNow().catch(() => undefined));
  const off = replicator.onStatus((s) =>
    hub.events.emit({ type: 'sync.status', status: s, at: hub.clock.now() }),
  );
  await replicator.start();
  // The owner reads the store's statistics through the cloud: each store day, kept up to date.
  const stats = publishStats(hub);
  // Alive, said every few minutes: the cloud tells the owner when the store falls silent.
  const alive = () =>
    void hub.writes
      .run(() => hub.outbox.mark(HUB_ALIVE_ID))
      .then(() => hub.outbox.notify())
      .catch(() => undefined);
  alive();
  // The menu and the device schedules as they stand now, for a store that kept them before they
  // were published.
  void hub.writes
    .run(() => {
      hub.outbox.mark(MENU_DOC_ID);
      hub.outbox.mark(DEVICE_SCHEDULES_ID);
    })
    .then(() => hub.outbox.notify())
    .catch(() => undefined);
  const aliveTimer = setInterval(alive, link.aliveEveryMs ?? 5 * 60_000);
  aliveTimer.unref();
  return {
    replicator,
    status: () => ({ ...replicator.status(), outbox: hub.outbox.pending() }),
    async stop() {
      stats.stop();
      clearInterval(aliveTimer);
      off();
      await replicator.stop();
    },
  };
}
