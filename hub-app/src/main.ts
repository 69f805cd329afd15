// `npm start`: the hub with its embedded defaults. Configuration comes from the environment
// (see the README); nothing here is needed for real hardware or real gateways but credentials.
import { resolve } from 'node:path';
import { startHubServer } from './server';
import { startEmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import {
  SimulatedCloudChannel,
  SimulatedWechatLogin,
  startCloudService,
} from '@roomhub/cloud-sync';
import { randomBytes } from 'node:crypto';

const port = Number(process.env.HUB_PORT ?? 8080);
const host = process.env.HUB_HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.HUB_DATA_DIR ?? resolve(import.meta.dirname, '../../data/hub'));
const gatewayPort = Number(process.env.PAYSIM_PORT ?? 8090);
const devicesFile = process.env.HUB_DEVICES;
const modbusSimPort = Number(process.env.MODBUS_SIM_PORT ?? 1502);
const scannersFile = process.env.HUB_SCANNERS;
const couchUrl = process.env.COUCHDB_URL;
const couchPort = Number(process.env.COUCH_PORT ?? 5984);
/** `off`: the cloud service runs elsewhere (in the cloud, beside COUCHDB_URL), not beside the hub. */
const cloudOff = process.env.CLOUD_PORT === 'off';
const cloudPort = cloudOff ? 0 : Number(process.env.CLOUD_PORT ?? 8081);
const devicePollMs =
  process.env.HUB_DEVICE_POLL_MS === undefined ? undefined : Number(process.env.HUB_DEVICE_POLL_MS);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`HUB_PORT must be a port number, got ${process.env.HUB_PORT}`);
  process.exit(2);
}

try {
  // The cloud's database: a real CouchDB 3 at COUCHDB_URL, or one embedded in this process.
  const couch = couchUrl
    ? null
    : await startEmbeddedCouch({ dir: resolve(dataDir, '../cloud'), port: couchPort });
  const s = await startHubServer({
    cloud: { couchUrl: couchUrl ?? couch!.url },
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
  // The cloud service the mini-program and the owner's remote view call. Here it runs beside the
  // hub with simulated SMS, WeChat login and payments; in production it runs in the cloud.
  const cloudService = cloudOff
    ? null
    : await startCloudService({
        couchUrl: couchUrl ?? couch!.url,
        jwtSecret: process.env.CLOUD_JWT_SECRET ?? randomBytes(32).toString('hex'),
        // No SMS gateway here: codes are printed, so a developer can sign in.
        sms: { send: async (to: string, text: string) => console.log(`  SMS to ${to}: ${text}`) },
        wechat: new SimulatedWechatLogin(),
        payments: new SimulatedCloudChannel(),
        host,
        port: cloudPort,
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
    cloudService
      ? `  Cloud API      ${cloudService.url}/api/stores?lat=31.23&lng=121.45 (customer and owner API; SMS, WeChat and payments simulated)`
      : '  Cloud API      not started here (CLOUD_PORT=off)',
  );
  console.log(
    `  Cloud CouchDB  ${couchUrl ? 'COUCHDB_URL' : `${couch!.url} (embedded, data in ${resolve(dataDir, '../cloud')})`}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the hub`);
    void (cloudService?.close() ?? Promise.resolve())
      .then(() => s.close())
      .then(() => couch?.close())
      .then(() => process.exit(0));
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
