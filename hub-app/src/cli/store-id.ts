// `npm run store-id -w @roomhub/hub-app`: prints the id of the hub's store (HUB_DATA_DIR), the
// name its cloud databases and CouchDB user are made from, for whoever provisions it
// (`npm run provision -w @roomhub/cloud-service -- --store <id>`). A hub that has no store yet
// gets the demo store first, exactly as its first start would give it, so the id printed is the
// one the hub will sync under. It reads and seeds the database only; it never syncs.
import { mkdirSync } from 'node:fs';
import { createHub } from '../hub';
import { seedDemoStore } from '../demo/seed';
import { hubDataDir } from '../paths';

// A relative HUB_DATA_DIR is taken from where the command was typed, as for the hub itself.
const dataDir = hubDataDir();
mkdirSync(dataDir, { recursive: true });
const hub = createHub({ dataDir });
try {
  await seedDemoStore(hub);
  console.log(hub.store.getStore().id);
} finally {
  hub.close();
}
