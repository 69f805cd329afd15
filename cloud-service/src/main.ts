// `npm run start -w @roomhub/cloud-service`: the cloud service on its own, beside a CouchDB
// (`COUCHDB_URL`: an Apache CouchDB 3, or the embedded server `npm start` runs). Configuration
// comes from the environment (see the README). SMS, WeChat sign-in and payments are simulated
// until real gateways are configured: codes are printed, no money moves. While they are, the
// demo owner (CLOUD_DEMO_OWNER, a phone; `off` for none) runs every provisioned store, and the
// start says how they sign in.
import { randomBytes, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { openLog } from '@roomhub/logging';
import { CUSTOMER_ID_KEY_MIN_LENGTH } from '@roomhub/shared-types';
import { putPhoneOwner, OwnerPhoneSchema } from './auth/owners';
import { SimulatedCloudChannel, SimulatedWechatLogin, startCloudService } from './index';
import { readSigningKey } from './intents/intent-signer';
import { provisionedStores } from './stores/registry';

const couchUrl = process.env.COUCHDB_URL;
const host = process.env.CLOUD_HOST ?? '127.0.0.1';
const port = Number(process.env.CLOUD_PORT ?? 8081);

if (!couchUrl) {
  console.error('set COUCHDB_URL to the CouchDB the stores replicate to (https://user:pass@host)');
  process.exit(2);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`CLOUD_PORT must be a port number, got ${process.env.CLOUD_PORT}`);
  process.exit(2);
}
const customerIdKey = process.env.CUSTOMER_ID_KEY;
if (!customerIdKey || customerIdKey.length < CUSTOMER_ID_KEY_MIN_LENGTH) {
  console.error(
    `set CUSTOMER_ID_KEY (at least ${CUSTOMER_ID_KEY_MIN_LENGTH} characters): the key customer ids are made with, the same on every hub`,
  );
  process.exit(2);
}
let signingKey: KeyObject;
try {
  const setting = process.env.CLOUD_SIGNING_KEY;
  if (!setting) throw new Error('not set');
  signingKey = readSigningKey(setting);
} catch (e) {
  console.error(
    `CLOUD_SIGNING_KEY (the Ed25519 private key intents are signed with: PEM or a file): ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(2);
}
/** Express's `trust proxy`: `true`, a number of hops, or addresses / subnets, comma-separated. */
function trustProxyOf(setting: string | undefined): boolean | number | string {
  if (setting === undefined || setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}
const trustProxy = trustProxyOf(process.env.CLOUD_TRUST_PROXY);
/** The demo owner's phone while SMS is simulated (every code is printed here): no real gateway. */
const DEMO_OWNER_PHONE = '13800000000';
const demoOwnerSetting = process.env.CLOUD_DEMO_OWNER ?? DEMO_OWNER_PHONE;
const demoOwner = demoOwnerSetting === 'off' ? undefined : demoOwnerSetting;
if (demoOwner !== undefined && !OwnerPhoneSchema.safeParse(demoOwner).success) {
  console.error(`CLOUD_DEMO_OWNER must be a mobile number or off, got ${demoOwner}`);
  process.exit(2);
}
const jwtSecret = process.env.CLOUD_JWT_SECRET ?? randomBytes(32).toString('hex');
if (!process.env.CLOUD_JWT_SECRET) {
  console.log('  CLOUD_JWT_SECRET is not set: sign-ins last until this process stops');
}

// The service's own diagnostics: logs/cloud.log under CLOUD_LOG_DIR's folder, a file a day.
const logDir = resolve(
  process.env.INIT_CWD ?? process.cwd(),
  process.env.CLOUD_LOG_DIR ?? resolve(import.meta.dirname, '../../data/cloud-service/logs'),
);
const cloudLog = openLog(logDir, 'cloud', process.env.CLOUD_LOG_LEVEL);

try {
  const service = await startCloudService({
    couchUrl,
    jwtSecret,
    signingKey,
    customerIdKey,
    trustProxy,
    // No SMS gateway yet: codes are printed, so a developer can sign in.
    sms: { send: async (to: string, text: string) => console.log(`  SMS to ${to}: ${text}`) },
    wechat: new SimulatedWechatLogin(),
    payments: new SimulatedCloudChannel(),
    clock: { now: () => Date.now() },
    host,
    port,
  });
  console.log('Cloud service is running.');
  console.log(`  Cloud API      ${service.url}/api/stores?lat=31.23&lng=121.45`);
  console.log(`  CouchDB        ${new URL(couchUrl).origin}`);
  console.log(`  Logs           ${logDir}`);
  if (demoOwner !== undefined) {
    // The demo owner runs every store provisioned so far; a store provisioned later joins at the
    // next start. Real owners are linked by the admin: npm run owner -- add <phone> --store <id>.
    const storeIds = await provisionedStores(service.cloud.couch);
    if (storeIds.length > 0) {
      await putPhoneOwner(service.cloud.couch, { phone: demoOwner, storeIds });
      console.log(
        `  Owner sign-in  phone ${demoOwner} (demo owner of ${storeIds.join(', ')}): POST ${service.url}/api/auth/sms/send {"phone":"${demoOwner}"}, then POST ${service.url}/api/owner/login {"phone":"${demoOwner}","code":"<the code>"}; SMS is simulated, so the code is printed here ("SMS to ${demoOwner}: ...")`,
      );
    }
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the cloud service`);
    void service
      .close()
      .then(() => cloudLog.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err.code === 'EADDRINUSE'
      ? `port already in use (${err.message}); set CLOUD_PORT to another port`
      : (err.message ?? err),
  );
  process.exit(1);
}
