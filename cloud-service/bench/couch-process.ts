// The embedded CouchDB-compatible server in a process of its own for the chain bench, on
// COUCH_BENCH_DIR, so the load the bench drives never shares its event loop. Prints one line with
// its URL holding the admin's credentials, then serves until SIGTERM or SIGINT.
import { startEmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';

const dir = process.env.COUCH_BENCH_DIR;
if (!dir) {
  console.error('set COUCH_BENCH_DIR');
  process.exit(2);
}
const couch = await startEmbeddedCouch({ dir });
console.log(`couch ${couch.adminUrl}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void couch.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
