// The hub's process: `npm start` runs it beside the cloud's stand-ins, and a store's mini-PC runs
// it alone. Configuration comes from the environment (see the README); nothing here is needed for
// real hardware or real gateways but credentials. Only the hub runs here: the cloud service and
// CouchDB are other processes (in production, other machines) reached over HTTP.
import { resolve } from 'node:path';
import { startHubServer } from './server';

const port = Number(process.env.HUB_PORT ?? 8080);
const host = process.env.HUB_HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.HUB_DATA_DIR ?? resolve(import.meta.dirname, '../../data/hub'));
const gatewayPort = Number(process.env.PAYSIM_PORT ?? 8090);
const devicesFile = process.env.HUB_DEVICES;
const modbusSimPort = Number(process.env.MODBUS_SIM_PORT ?? 1502);
const scannersFile = process.env.HUB_SCANNERS;
/** The cloud's CouchDB; without it the hub runs on its own and syncs nothing. */
const couchUrl = process.env.COUCHDB_URL;
const devicePollMs =
  process.env.HUB_DEVICE_POLL_MS === undefined ? undefined : Number(process.env.HUB_DEVICE_POLL_MS);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`HUB_PORT must be a port number, got ${process.env.HUB_PORT}`);
  process.exit(2);
}

try {
  const s = await startHubServer({
    ...(couchUrl ? { cloud: { couchUrl } } : {}),
    dataDir,
    host,
    port,
    simulatedGateway: { port: gatewayPort },
    devices: devicesFile
      ? { kind: 'file', path: resolve(devicesFile) }
      : { kind: 'simulator', port: modbusSimPort },
    ...(scannersFile ? { scannersFile: resolve(scannersFile) } : {}),
    ...(devicePollMs !== undefined && Number.isFinite(devicePollMs) ? { devicePollMs } : {}),
  });
  const store = s.hub.store.getStore();
  console.log(`Room hub for ${store.name} is running.`);
  console.log(`  API            ${s.url}/api/health`);
  console.log(`  Room board     ${s.url}/api/board?date=${new Date().toISOString().slice(0, 10)}`);
  console.log(`  OpenAPI        ${s.url}/api/openapi.json`);
  console.log(`  Live events    ${s.url}/api/events`);
  if (s.gateway)
    console.log(`  Payment sim    ${s.gateway.url} (simulated online payments; no real money)`);
  console.log(`  Devices        ${s.devices.describe}`);
  for (const sc of s.scanners?.status() ?? []) {
    console.log(`  Scanner        ${sc.device} (${sc.source}): ${sc.ok ? 'ready' : sc.message}`);
  }
  console.log(`  Database       ${s.hub.dbFile}`);
  console.log(
    `  Cloud sync     ${couchUrl ? `to ${new URL(couchUrl).origin}` : 'off (no COUCHDB_URL)'}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the hub`);
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    console.error(
      `port already in use (${err.message}); set HUB_PORT or PAYSIM_PORT to another port`,
    );
  } else {
    console.error(err.message ?? err);
  }
  process.exit(1);
}
