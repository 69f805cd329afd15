// `npm run start -w @roomhub/cloud-service`: the cloud service on its own, beside a CouchDB
// (`COUCHDB_URL`: an Apache CouchDB 3, or the embedded server `npm start` runs). Configuration
// comes from the environment (see the README). SMS and WeChat sign-in are simulated until real
// gateways are configured: codes are printed. Payments go through the WeChat Pay v3 client, to
// the gateway simulator this process starts unless CLOUD_WECHATPAY_URL names the real one: no
// money moves, each order's cashier page is printed and the payer pays by themselves. While SMS
// is simulated, the demo owner (CLOUD_DEMO_OWNER, a phone; `off` for none) runs every provisioned
// store, and the start says how they sign in.
import { randomBytes, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { logger, openLog } from '@roomhub/logging';
import { CUSTOMER_ID_KEY_MIN_LENGTH } from '@roomhub/shared-types';
import { putPhoneOwner, OwnerPhoneSchema } from './auth/owners';
import { createCouchClient } from './couch';
import { SimulatedWechatLogin, startCloudService } from './index';
import { setUpMessageChannels, type MessageChannelSetup } from './messages/channels-setup';
import { readSigningKey } from './intents/intent-signer';
import {
  paymentSettingsFromEnv,
  startCloudPayments,
  type CloudPayments,
  type PaymentSettings,
} from './payments/payment-setup';
import { provisionedStores } from './stores/registry';
import { describeVoucherPlatforms, voucherPlatformsFromEnv } from './vouchers/platform-settings';
import type { VoucherPlatformsConfig } from './vouchers/platform-voucher-setup';
import { linkDemoStore } from './vouchers/simulators/demo-links';

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
let paymentSettings: PaymentSettings;
try {
  paymentSettings = paymentSettingsFromEnv(process.env);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}
/** How the payment gateway reaches this service's notify route, when not at its own address. */
const publicUrl = process.env.CLOUD_PUBLIC_URL?.replace(/\/+$/, '');
let voucherPlatforms: VoucherPlatformsConfig;
try {
  voucherPlatforms = voucherPlatformsFromEnv(process.env);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
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

const clock = { now: () => Date.now() };
let payments: CloudPayments | undefined;
let messageChannels: MessageChannelSetup | undefined;
try {
  /** Known once the service listens: orders are only made after that. */
  let serviceUrl = '';
  const simulated = paymentSettings.kind === 'simulator' ? paymentSettings : undefined;
  payments = await startCloudPayments(paymentSettings, {
    couch: createCouchClient(couchUrl),
    clock,
    notifyUrl: () => `${publicUrl ?? serviceUrl}/api/payments/notify/wechat`,
    // No mini-program shows the cashier page yet: it is printed, as SMS codes are.
    ...(simulated
      ? {
          onOrder: ({ paymentId, amount, payUrl }) =>
            console.log(
              `  Pay ${payUrl}  (¥${(amount / 100).toFixed(2)}, ${paymentId}${
                simulated.autoPayDelayMs === null
                  ? ')'
                  : `; pays itself in ${simulated.autoPayDelayMs} ms)`
              }`,
            ),
        }
      : {}),
    log: (error) => logger().warn({ err: error }, 'payment gateway'),
  });
  messageChannels = await setUpMessageChannels(process.env, (to, text) =>
    console.log(`  SMS to ${to}: ${text}`),
  );
  const service = await startCloudService({
    messageChannels: messageChannels.channels,
    smsPushToken: messageChannels.pushToken,
    couchUrl,
    jwtSecret,
    signingKey,
    customerIdKey,
    trustProxy,
    // No SMS gateway yet: codes are printed, so a developer can sign in.
    sms: { send: async (to: string, text: string) => console.log(`  SMS to ${to}: ${text}`) },
    wechat: new SimulatedWechatLogin(),
    payments: payments.channel,
    clock,
    host,
    port,
    voucherPlatforms,
    // The platform console's own credential (the registry's writer); without it the console reads only.
    ...(process.env.CLOUD_PLATFORM_COUCHDB_URL
      ? { platformCouchUrl: process.env.CLOUD_PLATFORM_COUCHDB_URL }
      : {}),
    // The platforms send an owner who linked a shop back to this address (OAuth callback).
    ...(process.env.CLOUD_PUBLIC_URL
      ? { publicUrl: process.env.CLOUD_PUBLIC_URL.replace(/\/+$/, '') }
      : {}),
  });
  serviceUrl = service.url;
  messageChannels.listening(service.url);
  console.log('Cloud service is running.');
  console.log(`  Cloud API      ${service.url}/api/stores?lat=31.23&lng=121.45`);
  console.log(`  CouchDB        ${new URL(couchUrl).origin}`);
  console.log(`  Payments       ${payments.describe}`);
  console.log(`  Logs           ${logDir}`);
  console.log(`  Vouchers       ${describeVoucherPlatforms(voucherPlatforms)}`);
  console.log(`  Messages       ${messageChannels.describe.join('; ')}`);
  // With the local simulators (npm start), the demo store is linked to their demo shops.
  const demoStore = process.env.VOUCHER_DEMO_STORE;
  if (demoStore) {
    const simulators = {
      ...(voucherPlatforms.meituan ? { meituan: voucherPlatforms.meituan.apiUrl } : {}),
      ...(voucherPlatforms.douyin ? { douyin: voucherPlatforms.douyin.apiUrl } : {}),
    };
    await linkDemoStore(service.cloud.platformVouchers.grants, service.url, demoStore, simulators)
      .then((linked) =>
        console.log(
          `  Voucher shops  store ${demoStore} linked on ${linked.join(', ')} (simulated)`,
        ),
      )
      .catch((e: unknown) =>
        console.log(
          `  Voucher shops  store ${demoStore} not linked: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
  }
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
      .then(() => payments?.close())
      .then(() => messageChannels?.stop())
      .then(() => cloudLog.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  console.error(
    err.code === 'EADDRINUSE'
      ? `port already in use (${err.message}); set CLOUD_PORT or CLOUD_PAYSIM_PORT to another port`
      : (err.message ?? err),
  );
  await payments?.close();
  await messageChannels?.stop();
  process.exit(1);
}
