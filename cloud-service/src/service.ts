// Runs the cloud service: the HTTP API plus its background job, the sweep: one pass of the change
// follower (customer index, refunds to pay, answers to settle, catalogue entries of stores whose
// profile changed) beside one pass over the intents that are due (expiries, payment releases,
// interrupted payment moves), the refunds the channel refused before and the voucher platforms'
// shop tokens that run out soon. Owns its timers only.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudApp, type CloudApp, type CloudAppOptions } from './app';
import { logger } from '@roomhub/logging';
import type { DeliveryPass } from './messages/messages';
import { provisionedStores } from './stores/registry';

export interface CloudServiceOptions extends CloudAppOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How often the sweep runs; 0 leaves it to `sweepNow()`. */
  sweepMs?: number;
  /**
   * How often the whole catalogue is re-derived from every store's profiles, as a repair; 0 (the
   * default) leaves it to the sweep, which re-derives a store when its profile changes.
   */
  catalogueRefreshMs?: number;
}

export interface SweepResult {
  /** Intents moved on by an answer or a finished payment move. */
  settled: number;
  expired: number;
  /** Cloud refunds paid out. */
  refunded: number;
  /** Changes the follower read from the stores' databases. */
  changes: number;
  /** Stores whose catalogue entries were re-derived. */
  catalogued: string[];
  /** Deals work done: groups over, vouchers expired, purchases carried on. */
  deals: number;
  /** Messages sent, kept in the inbox only, failed, or waiting for their time. */
  messages: DeliveryPass;
  /** Anomalies raised by time passing: payments with no booking, stores offline too long. */
  anomalies: number;
}

export interface CloudService {
  url: string;
  cloud: CloudApp;
  /** Follows the stores' changes, then settles due intents and pays outstanding refunds. */
  sweepNow(): Promise<SweepResult>;
  refreshCatalogue(): Promise<number>;
  close(): Promise<void>;
}

export async function startCloudService(options: CloudServiceOptions): Promise<CloudService> {
  const { host = '127.0.0.1', port = 0, sweepMs = 5_000, catalogueRefreshMs = 0 } = options;
  const log =
    options.log ?? ((error: unknown) => logger().error({ err: error }, 'unhandled error'));
  const cloud = createCloudApp(options);
  await cloud.init();

  // One run of a job at a time; a slow CouchDB makes runs later, never overlapping.
  const inFlight = new Set<Promise<unknown>>();
  const job = <T>(run: () => Promise<T>) => {
    let running: Promise<T> | undefined;
    return () => {
      if (!running) {
        const started = run().finally(() => {
          running = undefined;
          inFlight.delete(started);
        });
        inFlight.add(started);
        running = started;
      }
      return running;
    };
  };
  // The two halves run side by side, so expiries and payment releases never wait behind a long
  // follower pass (the first read of a large store builds its views).
  const follow = job(() => cloud.follower.followNow());
  const settleDue = job(async () => {
    const due = await cloud.intents.sweep();
    const refunded = await cloud.refunds.payOutstanding();
    // Platform tokens about to run out are refreshed before a hub needs them.
    await cloud.platformVouchers.grants.refreshDue();
    return { ...due, refunded };
  });
  // Groups past their deadline, vouchers expired unused, deal purchases interrupted halfway.
  const dealWork = job(() => cloud.deals.sales.sweep());
  // Reminders coming due, booking requests waiting for a store offline or called off unanswered,
  // payments received, members to win back, then every message whose time has come is sent.
  const messageWork = job(async () => {
    await cloud.messages.remindDue();
    await cloud.messages.waitingRequests();
    await cloud.messages.expiredRequests();
    await cloud.messages.paymentsReceived();
    const stores = await provisionedStores(cloud.couch);
    await cloud.messages.winBack(stores);
    await cloud.messages.offlineAlerts(stores);
    // A penalty whose telling failed when it was set or lifted, told now.
    await cloud.platform.penalties.retell(2 * 24 * 3_600_000);
    return cloud.messages.deliverDue();
  });
  // Payments whose booking never came and stores gone silent, after the pass that read them.
  const watchWork = job(() => cloud.platformWatch.sweep());
  const sweepNow = async (): Promise<SweepResult> => {
    const [followed, due, deals] = await Promise.all([follow(), settleDue(), dealWork()]);
    const anomalies = await watchWork();
    // After the pass, so what it just read is sent in this sweep.
    const messages = await messageWork();
    return {
      settled: followed.settled + due.settled,
      expired: due.expired,
      refunded: followed.refunded + due.refunded,
      changes: followed.changes,
      catalogued: followed.catalogued,
      deals,
      messages,
      anomalies,
    };
  };
  const refreshCatalogue = job(() => cloud.catalogue.refreshAll());
  const timers: NodeJS.Timeout[] = [];
  if (sweepMs > 0) {
    // Stores' changes are followed as they happen too; the sweep is the backstop.
    cloud.follower.follow();
    void sweepNow().catch(log);
    timers.push(setInterval(() => void sweepNow().catch(log), sweepMs));
  }
  // Stores near answers from memory: loaded at the start, not at the first customer's search.
  cloud.catalogue.warm();
  if (catalogueRefreshMs > 0) {
    void refreshCatalogue().catch(log);
    timers.push(setInterval(() => void refreshCatalogue().catch(log), catalogueRefreshMs));
  }

  const server = await new Promise<Server>((resolve, reject) => {
    // Express 5 calls back with the error too (a port taken): that is a refusal, not a start.
    const s = cloud.app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    cloud,
    sweepNow,
    refreshCatalogue,
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        cloud.close();
        // Answer waits hold connections open; a graceful close would wait for them forever.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        // A follower pass stops at its next change; a sweep of due intents finishes, so no
        // payment move is left half done by this instance.
        await cloud.follower.stop();
        await Promise.allSettled([...inFlight]);
      })();
      return closing;
    },
  };
}
