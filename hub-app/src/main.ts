// The hub's process: `npm start` runs it beside the cloud's stand-ins, and a store's mini-PC runs
// it alone. Configuration comes from the environment (see the README); nothing here is needed for
// real hardware or real gateways but credentials. Only the hub runs here: the cloud service and
// CouchDB are other processes (in production, other machines) reached over HTTP.
// Only what the start needs first is imported at the top; the hub's code is loaded below, and the
// cloud's only by a hub that syncs.
import type {
  CloudDealStock,
  CloudPlatformVouchers,
  CloudVoucherMoves,
  CloudWalletMoves,
  CloudChats,
  CloudStoreInbox,
  CloudReviews,
  IntentKeys,
} from '@roomhub/cloud-sync';
import { fromTypedIn, hubDataDir } from './paths';

const port = Number(process.env.HUB_PORT ?? 8080);
const host = process.env.HUB_HOST ?? '127.0.0.1';
// Relative paths are taken from where the command was typed (npm's INIT_CWD), not from hub-app/.
const dataDir = hubDataDir();
const gatewayPort = Number(process.env.PAYSIM_PORT ?? 8090);
const devicesFile = process.env.HUB_DEVICES ? fromTypedIn(process.env.HUB_DEVICES) : undefined;
// The store's real payment gateways by credentials; none: the local stand-ins (no real money).
const paymentsFile = process.env.HUB_PAYMENTS ? fromTypedIn(process.env.HUB_PAYMENTS) : undefined;
const modbusSimPort = Number(process.env.MODBUS_SIM_PORT ?? 1502);
const scannersFile = process.env.HUB_SCANNERS;
/** The cloud's CouchDB; without it the hub runs on its own and syncs nothing. */
const couchUrl = process.env.COUCHDB_URL;
/** The owner's PIN, used only at the first start (when the store has no owner yet). */
const ownerPin = process.env.HUB_OWNER_PIN;
const tokenHours = process.env.HUB_TOKEN_HOURS ? Number(process.env.HUB_TOKEN_HOURS) : undefined;
/** The cloud's public key(s) its intents are checked with: PEM text or a file holding them. */
const cloudPublicKey = process.env.HUB_CLOUD_PUBLIC_KEY;
/** The key customer ids are made with; the cloud's own. */
const customerIdKey = process.env.CUSTOMER_ID_KEY;
/** The cloud service, which makes the Meituan / Douyin voucher calls for the store. */
const cloudUrl = process.env.HUB_CLOUD_URL;
const devicePollMs =
  process.env.HUB_DEVICE_POLL_MS === undefined ? undefined : Number(process.env.HUB_DEVICE_POLL_MS);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`HUB_PORT must be a port number, got ${process.env.HUB_PORT}`);
  process.exit(2);
}
if (ownerPin !== undefined && !/^\d{6,12}$/.test(ownerPin)) {
  console.error('HUB_OWNER_PIN must be 6 to 12 digits');
  process.exit(2);
}
if (tokenHours !== undefined && !(tokenHours > 0 && tokenHours <= 24 * 30)) {
  console.error(
    `HUB_TOKEN_HOURS must be a number of hours up to 720, got ${process.env.HUB_TOKEN_HOURS}`,
  );
  process.exit(2);
}
const [
  { logger },
  { CUSTOMER_ID_KEY_MIN_LENGTH, formatInstant },
  { DevicesConfigError },
  { systemClock },
  { loadGateways },
  { startHubServer },
] = await Promise.all([
  import('./log'),
  import('@roomhub/shared-types'),
  import('@roomhub/firmware-bridge'),
  import('./clock'),
  import('./payments/gateway-config'),
  import('./server'),
]);
/** Since the process started, in ms: where a slow start went (the log's "hub serving" line). */
const codeLoadedMs = Math.round(performance.now());
// The cloud's pieces (PouchDB among them) are loaded only by a hub that syncs.
const cloudSync = couchUrl || cloudPublicKey ? await import('@roomhub/cloud-sync') : null;

if (customerIdKey !== undefined && customerIdKey.length < CUSTOMER_ID_KEY_MIN_LENGTH) {
  console.error(`CUSTOMER_ID_KEY must be at least ${CUSTOMER_ID_KEY_MIN_LENGTH} characters`);
  process.exit(2);
}
let intentKeys: IntentKeys | undefined;
try {
  intentKeys = cloudPublicKey && cloudSync ? cloudSync.IntentKeys.read(cloudPublicKey) : undefined;
} catch (e) {
  console.error(`HUB_CLOUD_PUBLIC_KEY: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}

let realGateways: ReturnType<typeof loadGateways> | undefined;
try {
  realGateways = paymentsFile ? loadGateways(paymentsFile, systemClock) : undefined;
} catch (e) {
  console.error(`HUB_PAYMENTS: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}

/** The cloud's voucher calls, signed in as this store's hub with its CouchDB user. */
function cloudCalls():
  | {
      platforms: CloudPlatformVouchers;
      moves: CloudVoucherMoves;
      dealStock: CloudDealStock;
      walletMoves: CloudWalletMoves;
      chats: CloudChats;
      inbox: CloudStoreInbox;
      reviews: CloudReviews;
    }
  | undefined {
  if (!cloudUrl || !couchUrl || !cloudSync) return undefined;
  const couch = new URL(couchUrl);
  const hubUser = {
    cloudUrl,
    username: decodeURIComponent(couch.username),
    password: decodeURIComponent(couch.password),
  };
  return {
    platforms: new cloudSync.CloudPlatformVouchers(hubUser),
    moves: new cloudSync.CloudVoucherMoves(hubUser),
    dealStock: new cloudSync.CloudDealStock(hubUser),
    walletMoves: new cloudSync.CloudWalletMoves(hubUser),
    chats: new cloudSync.CloudChats(hubUser),
    inbox: new cloudSync.CloudStoreInbox(hubUser),
    reviews: new cloudSync.CloudReviews(hubUser),
  };
}
const calls = cloudCalls();

try {
  const s = await startHubServer({
    ...(calls
      ? {
          platformVouchers: calls.platforms,
          voucherMoves: calls.moves,
          dealStock: calls.dealStock,
          walletMoves: calls.walletMoves,
          chats: calls.chats,
          inbox: calls.inbox,
          reviews: calls.reviews,
        }
      : {}),
    ...(couchUrl
      ? {
          cloud: {
            couchUrl,
            ...(intentKeys ? { intentKeys } : {}),
            ...(customerIdKey ? { customerIdKey } : {}),
          },
        }
      : {}),
    ownerPin,
    ...(tokenHours ? { tokenTtlMs: tokenHours * 3_600_000 } : {}),
    dataDir,
    host,
    port,
    ...(realGateways
      ? { simulatedGateway: false, channels: realGateways }
      : { simulatedGateway: { port: gatewayPort } }),
    devices: devicesFile
      ? { kind: 'file', path: devicesFile }
      : { kind: 'simulator', port: modbusSimPort },
    ...(scannersFile ? { scannersFile: fromTypedIn(scannersFile) } : {}),
    ...(devicePollMs !== undefined && Number.isFinite(devicePollMs) ? { devicePollMs } : {}),
  });
  logger().info({ codeLoadedMs, servingMs: Math.round(performance.now()) }, 'hub serving');
  const store = s.hub.store.getStore();
  console.log(`Room hub for ${store.name} is running.`);
  console.log(`  API            ${s.url}/api/health`);
  // Today as the store reads it: the UTC date is yesterday's before 08:00 in Shanghai.
  const today = formatInstant(Date.now(), s.hub.store.getStore().timeZone).slice(0, 10);
  console.log(`  Room board     ${s.url}/api/board?date=${today}`);
  console.log(`  OpenAPI        ${s.url}/api/openapi.json`);
  console.log(`  Live events    ${s.url}/api/events`);
  if (s.gateway)
    console.log(`  Payment sim    ${s.gateway.url} (simulated online payments; no real money)`);
  if (realGateways)
    console.log(
      `  Payments       ${Object.keys(realGateways).join(', ')} (real gateways, HUB_PAYMENTS)`,
    );
  console.log(`  Devices        ${s.devices.describe}`);
  for (const sc of s.scanners?.status() ?? []) {
    console.log(`  Scanner        ${sc.device} (${sc.source}): ${sc.ok ? 'ready' : sc.message}`);
  }
  console.log(`  Database       ${s.hub.dbFile}`);
  console.log(
    '  Staff sign-in  POST /api/auth/sign-in {"pin": "..."}; see the README for the demo staff',
  );
  if (s.generatedOwnerPin) {
    console.log(
      `  Owner PIN      ${s.generatedOwnerPin}  (made now, shown this once: note it down)`,
    );
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    console.log(
      `  Network        listening on ${host}: only paired screens and signed-in staff are served from the network`,
    );
  }
  console.log(
    `  Cloud sync     ${couchUrl ? `to ${new URL(couchUrl).origin}` : 'off (no COUCHDB_URL)'}`,
  );
  if (couchUrl) {
    console.log(
      intentKeys
        ? `  Cloud keys     ${intentKeys.keyIds.join(', ')} (intents are checked against these)`
        : '  Cloud keys     none (HUB_CLOUD_PUBLIC_KEY is not set): every intent is refused',
    );
    console.log(
      calls
        ? `  Vouchers       Meituan / Douyin and the owner's other stores' through ${new URL(cloudUrl!).origin}`
        : "  Vouchers       this store's own only (HUB_CLOUD_URL is not set: Meituan / Douyin codes and other stores' vouchers are refused)",
    );
    if (!customerIdKey) {
      console.log('  CUSTOMER_ID_KEY is not set: kiosk bookings are published without a customer');
    }
  }
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
  } else if (devicesFile && e instanceof DevicesConfigError) {
    // Refused before the hub served anything: the installer fixes the file and starts again.
    console.error(`the device file ${devicesFile} is refused:\n${e.message}`);
  } else {
    console.error(err.message ?? err);
  }
  process.exit(1);
}
