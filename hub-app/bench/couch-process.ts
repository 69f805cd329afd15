// The cloud's CouchDB in a process of its own for the sync bench: the embedded CouchDB-compatible
// server on COUCH_BENCH_DIR, a TCP proxy in front of it (the store's internet line, which the bench
// cuts and heals) and a tiny control endpoint for that. Client load (the hub, plain PouchDB, the
// bench's polling) then never shares this event loop. Prints one line with the three URLs (the
// first with the admin's credentials, for provisioning and reading), then serves until killed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { startTcpProxy } from '@roomhub/cloud-sync/testing';

const dir = process.env.COUCH_BENCH_DIR;
if (!dir) {
  console.error('set COUCH_BENCH_DIR');
  process.exit(2);
}
const couch = await startEmbeddedCouch({ dir });
const proxy = await startTcpProxy(Number(new URL(couch.url).port));
const control = createServer((req, res) => {
  if (req.url === '/cut') proxy.cut();
  else if (req.url === '/heal') proxy.heal();
  else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(204).end();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
console.log(`couch ${couch.adminUrl} proxy ${proxy.url} control ${controlUrl}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  control.close();
  void proxy
    .close()
    .then(() => couch.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
