// What a test of the cloud's HTTP API starts from: a fresh embedded CouchDB-compatible server,
// provisioned as a deployment is, with stores seeded as their hubs publish them, and the cloud
// service over it as it runs (simulated SMS and payments, the sweep far apart). `close` stops both
// and removes the folder.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  MemorySmsProvider,
  SimulatedCloudChannel,
  startCloudService,
  type CloudService,
} from '../src/index';
import { startTestCouch, type TestCouch } from './test-couch';
import { seedStoreDocs, CLOUD_SECRETS, type StoreSeed } from './cloud-fixtures';

export interface SeededCloud {
  couch: TestCouch;
  service: CloudService;
  close(): Promise<void>;
}

export async function startSeededCloud(o: {
  /** Names the folder, for a reader of what a failed run left. */
  name: string;
  jwtSecret: string;
  stores: StoreSeed[];
  /** When the stores' profiles were published. */
  seededAt: number;
  /** How long a customer's call waits for the store's answer (the service's default unless set). */
  answerWaitMs?: number;
}): Promise<SeededCloud> {
  const root = await mkdtemp(path.join(os.tmpdir(), `${o.name}-`));
  const couch = await startTestCouch(root);
  for (const store of o.stores) await seedStoreDocs(couch.writers, store, o.seededAt);
  const service = await startCloudService({
    couchUrl: couch.cloudUrl,
    ...CLOUD_SECRETS,
    jwtSecret: o.jwtSecret,
    sms: new MemorySmsProvider(),
    payments: new SimulatedCloudChannel(),
    clock: { now: () => Date.now() },
    sweepMs: 600_000,
    ...(o.answerWaitMs === undefined ? {} : { answerWaitMs: o.answerWaitMs }),
    log: () => {},
  });
  return {
    couch,
    service,
    async close() {
      await service.close();
      await couch.close();
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
