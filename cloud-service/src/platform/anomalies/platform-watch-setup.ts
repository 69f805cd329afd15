// The platform's watch over the stores, built in one place: its anomalies and every order across
// the stores (P4), its figures and the system settings (P5), the backups, and their routes.
// `cloud.ts` builds it; the follower hands it every change it reads; the service's sweep asks it
// for what only time reveals.
import type { Clock } from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../../couch';
import type { RouteDef } from '../../http/route';
import { PlatformAnalytics, ANALYTICS_DB } from '../analytics/platform-analytics';
import { PlatformSettingsStore } from '../analytics/platform-settings';
import { analyticsRoutes } from '../analytics/analytics.routes';
import { backupRoutes } from '../backup/backup.routes';
import { PlatformOrders } from '../orders/platform-orders';
import { platformOrderRoutes } from '../orders/platform-orders.routes';
import type { PlatformParts } from '../platform-setup';
import { anomalyRoutes } from './anomalies.routes';
import { ANOMALIES_DB, PlatformWatch } from './platform-watch';

export interface PlatformWatchParts {
  watch: PlatformWatch;
  analytics: PlatformAnalytics;
  settings: PlatformSettingsStore;
  orders: PlatformOrders;
  /** One change of a store's database, as the follower reads it. */
  fromChange(storeId: string, doc: CouchDoc): Promise<void>;
  /** What a page of a store's changes makes at once: bookings' rows and customers' bookings. */
  fromChanges(storeId: string, docs: readonly CouchDoc[]): Promise<void>;
  /** What only time reveals: payments whose booking never came, stores gone silent. */
  sweep(): Promise<number>;
  init(): Promise<void>;
  routes(): RouteDef[];
}

export function createPlatformWatch(d: {
  couch: CouchClient;
  couchUrl: string;
  /** `CLOUD_PLATFORM_COUCHDB_URL`: the backups read `platform` with it. */
  platformCouchUrl: string | undefined;
  clock: Clock;
  platform: PlatformParts;
  /** The key customer ids are made with, to find a customer's orders by phone. */
  customerIdKey: string;
}): PlatformWatchParts {
  const settings = new PlatformSettingsStore({
    store: d.platform.store,
    audit: d.platform.audit,
    clock: d.clock,
  });
  const watch: PlatformWatch = new PlatformWatch({
    couch: d.couch,
    clock: d.clock,
    rules: async () => (await settings.current()).anomalies,
    storeNames: (): Promise<Map<string, string>> => analytics.storeNames(),
  });
  const analytics: PlatformAnalytics = new PlatformAnalytics({
    couch: d.couch,
    clock: d.clock,
    watch,
  });
  const orders = new PlatformOrders({
    couch: d.couch,
    clock: d.clock,
    customerIdKey: d.customerIdKey,
    storeNames: () => analytics.storeNames(),
  });
  return {
    watch,
    analytics,
    settings,
    orders,
    async fromChange(storeId, doc) {
      // A booking or a ledger entry is the page's (fromChanges).
      if (!doc._id.startsWith('booking:')) await watch.fromChange(storeId, doc);
      await analytics.fromChange(storeId, doc);
    },
    async fromChanges(storeId, docs) {
      await watch.bookings(storeId, docs);
      await watch.ledgers(storeId, docs);
      await orders.fromChanges(storeId, docs);
      await analytics.fromChanges(storeId, docs);
    },
    async sweep() {
      const found = (await watch.paymentsWithoutBooking()) + (await watch.offline());
      // Bookings the follower read before the orders list existed, once per version of its rows:
      // after the watch's checks, so a long or failed catch-up never holds up a store offline
      // being flagged; it reads a few pages a sweep and goes on from there at the next.
      await orders.catchUp();
      return found;
    },
    async init() {
      await Promise.all([d.couch.requireDb(ANOMALIES_DB), d.couch.requireDb(ANALYTICS_DB)]);
    },
    routes: () => [
      ...anomalyRoutes({ watch, store: d.platform.store, audit: d.platform.audit }),
      ...analyticsRoutes({ analytics, settings }),
      ...platformOrderRoutes(orders),
      ...backupRoutes({
        couchUrl: d.couchUrl,
        platformCouchUrl: d.platformCouchUrl,
        store: d.platform.store,
        audit: d.platform.audit,
        clock: d.clock,
      }),
    ],
  };
}
