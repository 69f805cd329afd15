// `npm run start -w @roomhub/cloud-sync`: the embedded CouchDB-compatible server on its own, the
// stand-in for the cloud's Apache CouchDB on one machine. COUCH_PORT (5984), COUCH_HOST
// (127.0.0.1) and COUCH_DATA_DIR (`data/cloud` where it was started) configure it. The admin's
// password is printed once, at the start that generates it; later it is only in the data folder.
import { resolve } from 'node:path';
import { startEmbeddedCouch } from './embedded-couch';

const port = Number(process.env.COUCH_PORT ?? 5984);
const host = process.env.COUCH_HOST ?? '127.0.0.1';
const dir = resolve(process.env.COUCH_DATA_DIR ?? 'data/cloud');

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`COUCH_PORT must be a port number, got ${process.env.COUCH_PORT}`);
  process.exit(2);
}

try {
  const couch = await startEmbeddedCouch({ dir, host, port });
  console.log('Embedded CouchDB is running.');
  if (couch.adminCreated) {
    console.log(`  Admin          ${couch.admin.name} / ${couch.admin.password}`);
    console.log(
      `                 generated now and shown only this once; kept in ${couch.adminFile}`,
    );
  } else {
    console.log(`  Admin          ${couch.admin.name} (password in ${couch.adminFile})`);
  }
  console.log(`  CouchDB        ${couch.url} (data in ${dir})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void couch.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err.code === 'EADDRINUSE'
      ? `port already in use (${err.message}); set COUCH_PORT to another port`
      : (err.message ?? err),
  );
  process.exit(1);
}
