// Runs the cloud service: the HTTP API plus its two background jobs, the request sweeper
// (answers, expiries, payment releases) and the catalogue refresh. Owns their timers only.
import { createCloudRefunds } from './refunds';
import { listen } from '../http-listen';
import { createCloudApp, type CloudApp, type CloudAppOptions } from './app';

export interface CloudServiceOptions extends CloudAppOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How often open requests are swept; 0 leaves sweeping to `sweepNow()`. */
  sweepMs?: number;
  /** How often the catalogue is re-derived from the stores' profiles; 0 for on demand only. */
  catalogueRefreshMs?: number;
}

export interface CloudService {
  url: string;
  cloud: CloudApp;
  /** Settles open requests and pays out the refunds the hubs have recorded. */
  sweepNow(): Promise<{ settled: number; expired: number; refunded: number }>;
  refreshCatalogue(): Promise<number>;
  close(): Promise<void>;
}

export async function startCloudService(options: CloudServiceOptions): Promise<CloudService> {
  const { host = '127.0.0.1', port = 0, sweepMs = 5_000, catalogueRefreshMs = 60_000 } = options;
  const log = options.log ?? ((error: unknown) => console.error(error));
  const cloud = createCloudApp(options);
  await cloud.init();

  // One run of a job at a time; a slow CouchDB makes runs later, never overlapping.
  const job = <T>(run: () => Promise<T>) => {
    let running: Promise<T> | undefined;
    return () => (running ??= run().finally(() => (running = undefined)));
  };
  const refunds = createCloudRefunds(cloud.couch, options.payments, options.now ?? Date.now);
  const sweepNow = job(async () => {
    const r = await cloud.requests.sweep();
    return { ...r, refunded: await refunds.payOutstanding() };
  });
  const refreshCatalogue = job(() => cloud.catalogue.refreshAll());
  const timers: NodeJS.Timeout[] = [];
  if (sweepMs > 0) timers.push(setInterval(() => void sweepNow().catch(log), sweepMs));
  if (catalogueRefreshMs > 0) {
    void refreshCatalogue().catch(log);
    timers.push(setInterval(() => void refreshCatalogue().catch(log), catalogueRefreshMs));
  }

  const http = await listen(cloud.app, host, port);
  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    cloud,
    sweepNow,
    refreshCatalogue,
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        await http.close();
      })();
      return closing;
    },
  };
}
