// `npm start`: the whole system on one machine, each part in its own process, as it runs for real
// (the hub on the store's mini-PC; CouchDB and the cloud service in the cloud): the embedded
// CouchDB-compatible server (unless COUCHDB_URL names a real one), the cloud service (unless
// CLOUD_PORT=off) and the hub. A part that dies, or fails to start, is started again; none takes
// another down: the hub never waits for the cloud service, and if the CouchDB or provisioning
// fails the hub runs the store without the cloud.
// Before the cloud and the hub start, it asks the hub's store id (the hub's `store-id` script,
// which creates the demo store on a fresh folder as the hub's first start would) and provisions,
// as CouchDB's admin, the cloud's user and that store's (the provisioning script, idempotent),
// issuing both users new passwords at every start: each part gets only its own user's URL, the
// hub never the admin's, and no password but the embedded server's admin file is kept on disk.
// At the first start it also makes the keys the cloud and the hub share (in KEYS_DIR, data/keys
// unless set: the cloud's intent signing key pair, the customer id key), unless the environment
// names them. Each part gets only what it needs: the cloud its user's URL, the signing key and the
// customer id key; the hub its user's URL, the cloud's public key and the customer id key; no
// part another's secret.
// Relative data folders and files are resolved where `npm start` was typed. Imports no package of ours:
// each part is its package's own script.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const typedIn = process.env.INIT_CWD ?? process.cwd();
const folder = (value: string | undefined, fallback: string) =>
  value ? (isAbsolute(value) ? value : resolve(typedIn, value)) : resolve(ROOT, fallback);

const hubDataDir = folder(process.env.HUB_DATA_DIR, 'data/hub');
const couchDataDir = folder(process.env.COUCH_DATA_DIR, 'data/cloud');
const cloudOff = process.env.CLOUD_PORT === 'off';
const keysDir = folder(process.env.KEYS_DIR, 'data/keys');

/** The file `name` in the keys folder, written by `make` the first time; its path. */
function keyFile(name: string, make: () => string): string {
  const file = join(keysDir, name);
  if (!existsSync(file)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  }
  return file;
}

/**
 * What the cloud and the hub share, made once and kept: the cloud signs intents with the private
 * key and the hub checks them with the public one; both make customer ids with the same key.
 */
function sharedKeys(): { signingKey: string; publicKey: string; customerIdKey: string } {
  const pair = () =>
    generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  let made: ReturnType<typeof pair> | undefined;
  const signingKey = keyFile('intent-signing.pem', () => (made ??= pair()).privateKey);
  const publicKey = keyFile('intent-signing.pub.pem', () => {
    if (!made)
      throw new Error(`${keysDir}/intent-signing.pub.pem is missing: remove both to start again`);
    return made.publicKey;
  });
  const customerIdKey = readFileSync(
    keyFile('customer-id.key', () => randomBytes(32).toString('hex')),
    'utf8',
  ).trim();
  return { signingKey, publicKey, customerIdKey };
}

/**
 * The settings that are one part's secret (or one part's own link) and the launcher's own keys
 * folder: no part inherits them from the launcher's environment; each part is handed by name what
 * it needs.
 */
const PART_SETTINGS = [
  'KEYS_DIR',
  'COUCHDB_URL',
  'CLOUD_SIGNING_KEY',
  'CLOUD_JWT_SECRET',
  'CLOUD_WECHATPAY_KEY',
  'CLOUD_WECHATPAY_API_V3_KEY',
  'CUSTOMER_ID_KEY',
  'HUB_CLOUD_PUBLIC_KEY',
  'MEITUAN_SIGN_KEY',
  'DOUYIN_CLIENT_SECRET',
];

/** The launcher's environment for a part or a script: without any part's settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of PART_SETTINGS) delete env[name];
  return env;
}

interface Part {
  name: string;
  script: string;
  /** V8 flags, e.g. the hub's heap limits (hub-app/node-flags.json). */
  nodeFlags?: string[];
  env: Record<string, string>;
  /** A line of its output that says it is up; the first group is the URL it serves. */
  ready: RegExp;
}

interface Running {
  part: Part;
  child: ChildProcess;
}

/** A part kept running by the launcher, across the starts it takes. */
interface Supervised {
  /** The URL it serves, from the first of its starts that gets ready. */
  url: Promise<string>;
  /** Its first start: the URL, or why it stopped before it was ready. */
  firstStart: Promise<string>;
}

const running = new Map<string, Running>();
let stopping = false;

/** Starts a part and starts it again whenever it stops, with back-off, until the launcher stops. */
function supervise(part: Part): Supervised {
  let readyOnce: (url: string) => void = () => {};
  const url = new Promise<string>((res) => (readyOnce = res));
  const firstStart = start(part, 0, readyOnce);
  // Awaited only by who asks; an unasked failure is reported in the part's own output.
  firstStart.catch(() => undefined);
  return { url, firstStart };
}

function start(part: Part, attempt: number, onReady: (url: string) => void): Promise<string> {
  const args = [...(part.nodeFlags ?? []), '--import', 'tsx', resolve(ROOT, part.script)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...baseEnv(), ...part.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let resolveUrl: (url: string) => void = () => {};
  let rejectUrl: (e: Error) => void = () => {};
  const url = new Promise<string>((res, rej) => {
    resolveUrl = res;
    rejectUrl = rej;
  });
  const prefix = `[${part.name}]`.padEnd(8);
  const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        out.write(`${prefix}${line}\n`);
        const m = part.ready.exec(line);
        if (m?.[1]) {
          resolveUrl(m[1]);
          onReady(m[1]);
        }
      }
    });
  };
  relay(child.stdout!, process.stdout);
  relay(child.stderr!, process.stderr);
  child.once('exit', (code, signal) => {
    rejectUrl(new Error(`${part.name} exited (${code ?? signal}) before it was ready`));
    if (stopping) return;
    // Back off 1 s, 2 s, 4 s ... up to 30 s; a part that keeps failing says why in its output.
    const delay = Math.min(1_000 * 2 ** attempt, 30_000);
    console.error(`${prefix}stopped (${code ?? signal}); starting it again in ${delay / 1000} s`);
    setTimeout(() => {
      if (!stopping) void start(part, attempt + 1, onReady).catch(() => undefined);
    }, delay).unref();
  });
  running.set(part.name, { part, child });
  return url;
}

/** Runs one of our scripts to its end and returns what it printed. */
async function runScript(script: string, args: string[], env: Record<string, string>) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, script), ...args],
    { cwd: ROOT, env: { ...baseEnv(), ...env }, encoding: 'utf8' },
  );
  return stdout;
}

/** The URL with the embedded server's admin, from the file it keeps in its data folder. */
function withEmbeddedAdmin(url: string): string {
  const admin = JSON.parse(readFileSync(join(couchDataDir, 'admin.json'), 'utf8')) as {
    name: string;
    password: string;
  };
  const withAdmin = new URL(url);
  withAdmin.username = admin.name;
  withAdmin.password = admin.password;
  return withAdmin.toString().replace(/\/+$/, '');
}

/** Whether the URL's credentials are a CouchDB server admin's. */
async function isServerAdmin(url: string): Promise<boolean> {
  const u = new URL(url);
  if (!u.username) return false;
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  const res = await fetch(new URL('/_session', u), { headers: { authorization } });
  if (!res.ok) return false;
  const session = (await res.json()) as { userCtx?: { roles?: string[] } };
  return session.userCtx?.roles?.includes('_admin') ?? false;
}

/**
 * Provisions the store (and the cloud unless it runs elsewhere) with fresh passwords and returns
 * each user's URL.
 */
async function provision(adminUrl: string, storeId: string): Promise<Map<string, string>> {
  const args = ['--store', storeId, '--rotate-password', '--json'];
  if (!cloudOff) args.unshift('--cloud');
  const out = await runScript('cloud-service/src/provision/provision-main.ts', args, {
    COUCHDB_URL: adminUrl,
  });
  const { users } = JSON.parse(out.trim().split('\n').at(-1)!) as {
    users: { user: string; couchdbUrl?: string }[];
  };
  return new Map(users.flatMap((u) => (u.couchdbUrl ? [[u.user, u.couchdbUrl]] : [])));
}

function stopAll(signal: string, exitCode = 0): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  const exits = [...running.values()].map(
    ({ child }) =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  );
  void Promise.all(exits).then(() => process.exit(exitCode));
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

/** The cloud's CouchDB users' URLs for this store, or why the cloud side is not there. */
type CloudLink =
  { couchUrl: string; hubCouchUrl: string; cloudCouchUrl: string } | { failed: string };

/**
 * Starts the embedded CouchDB (unless COUCHDB_URL names one) and provisions the store and the
 * cloud. Never throws: a cloud side that fails leaves the hub to run the store without it.
 */
async function linkToCloud(storeId: Promise<string>): Promise<CloudLink> {
  try {
    const couchUrl =
      process.env.COUCHDB_URL ??
      withEmbeddedAdmin(
        await supervise({
          name: 'couch',
          script: 'cloud-sync/src/couch-main.ts',
          env: { COUCH_DATA_DIR: couchDataDir },
          ready: /^\s*CouchDB\s+(http:\/\/\S+)/,
        }).firstStart,
      );
    const id = await storeId;
    if (!(await isServerAdmin(couchUrl))) {
      console.log(
        "COUCHDB_URL is not a CouchDB admin's: nothing provisioned, the URL is passed on as it is",
      );
      return { couchUrl, hubCouchUrl: couchUrl, cloudCouchUrl: couchUrl };
    }
    const urls = await provision(couchUrl, id);
    console.log(
      `Provisioned store ${id} and ${cloudOff ? 'no cloud user' : 'the cloud'} (new passwords)`,
    );
    return {
      couchUrl,
      hubCouchUrl: urls.get(`hub-${id}`)!,
      cloudCouchUrl: urls.get('cloud') ?? '',
    };
  } catch (e) {
    return { failed: e instanceof Error ? e.message : String(e) };
  }
}

interface VoucherSimulators {
  firstStart: Promise<string>;
  meituan: string;
  douyin: string;
  /** What the cloud needs to use them and to link the demo store to their demo shops. */
  cloudEnv: Record<string, string>;
}

/**
 * The local Meituan and Douyin simulators in place of the platforms, with our app's credentials
 * on them made for this run; none when real credentials are set or VOUCHER_SIMULATORS=off.
 */
function voucherSimulators(storeId: string): VoucherSimulators | null {
  const env = process.env;
  if (env.VOUCHER_SIMULATORS === 'off' || env.MEITUAN_DEVELOPER_ID || env.DOUYIN_CLIENT_KEY)
    return null;
  const ports = {
    MEITUAN_SIM_PORT: env.MEITUAN_SIM_PORT ?? '8093',
    DOUYIN_SIM_PORT: env.DOUYIN_SIM_PORT ?? '8094',
  };
  const credentials = {
    MEITUAN_DEVELOPER_ID: String(100000 + randomBytes(2).readUInt16BE()),
    MEITUAN_SIGN_KEY: randomBytes(16).toString('hex'),
    DOUYIN_CLIENT_KEY: `aw${randomBytes(8).toString('hex')}`,
    DOUYIN_CLIENT_SECRET: randomBytes(16).toString('hex'),
  };
  const meituan = `http://127.0.0.1:${ports.MEITUAN_SIM_PORT}`;
  const douyin = `http://127.0.0.1:${ports.DOUYIN_SIM_PORT}`;
  const { firstStart } = supervise({
    name: 'sims',
    script: 'cloud-service/src/vouchers/simulators/simulators-main.ts',
    env: { ...credentials, ...ports },
    ready: /^Voucher simulators\s+(http:\/\/\S+)/,
  });
  return {
    firstStart,
    meituan,
    douyin,
    cloudEnv: {
      ...credentials,
      MEITUAN_API_URL: meituan,
      MEITUAN_AUTH_URL: `${meituan}/general/auth`,
      DOUYIN_API_URL: douyin,
      DOUYIN_AUTH_URL: `${douyin}/platform/oauth/connect/`,
      VOUCHER_DEMO_STORE: storeId,
    },
  };
}

/** The simulators' demo codes, for the summary. */
async function voucherDemoLines(sims: VoucherSimulators): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, url] of [
    ['Meituan sim', sims.meituan],
    ['Douyin sim ', sims.douyin],
  ] as const) {
    try {
      const d = (await (await fetch(`${url}/__sim/demo`)).json()) as Record<string, string> & {
        good: string[];
      };
      lines.push(
        `  ${name}    ${url}  demo codes ${d.good.join(' ')} (QR text ${d.goodQr}); two uses ${d.twoUses}; used ${d.used}; expired ${d.expired}; another shop's ${d.otherShop}`,
      );
    } catch {
      lines.push(`  ${name}    ${url}  not running (see [sims])`);
    }
  }
  return lines;
}

/** The newest change under a folder (its files' modification times), 0 when it has none. */
function newestIn(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The store's screens as the hub serves them (ui/dist): built when missing or older than their
 * source, beside the hub's start (the hub answers a page naming the build command until then).
 */
async function screensBuilt(): Promise<string> {
  const ui = resolve(ROOT, 'ui');
  // h5: the customer's pages, from the same build, which the cloud serves.
  const pages = ['kiosk', 'cashier', 'cleaner', 'owner', 'h5'].map((screen) =>
    join(ui, `dist/${screen}/index.html`),
  );
  const built = Math.min(...pages.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
  const source = Math.max(
    newestIn(join(ui, 'src')),
    newestIn(join(ui, 'kiosk')),
    newestIn(join(ui, 'cashier')),
    newestIn(join(ui, 'cleaner')),
    newestIn(join(ui, 'owner')),
    newestIn(join(ui, 'h5')),
  );
  if (built >= source) return 'built';
  console.log('Building the store screens (npm run build -w @roomhub/ui)');
  try {
    await promisify(execFile)(
      process.execPath,
      [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: ui, env: { ...baseEnv(), NODE_ENV: 'production' } },
    );
    return 'built now';
  } catch (e) {
    return `not built (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): run npm run build -w @roomhub/ui`;
  }
}

try {
  // The id is the script's last line: a library it loads may print a notice of its own first.
  const storeIdAsked = runScript('hub-app/src/cli/store-id.ts', [], {
    HUB_DATA_DIR: hubDataDir,
  }).then((out) => out.trim().split('\n').at(-1)!.trim());
  // Made only for a cloud run here: a hub of a cloud elsewhere takes that cloud's keys.
  const keys = cloudOff ? undefined : sharedKeys();
  const given = (name: string, made: string | undefined) => {
    const value = process.env[name] ?? made;
    return value === undefined ? {} : { [name]: value };
  };
  const screens = screensBuilt();
  const link = await linkToCloud(storeIdAsked);
  const storeId = await storeIdAsked;
  // The cloud links the demo store to the simulators' shops as it starts: they start first.
  const vouchers = cloudOff || 'failed' in link ? null : voucherSimulators(storeId);
  await vouchers?.firstStart.catch(() => undefined);
  if ('failed' in link) {
    console.error(
      `The cloud side failed to start (${link.failed}): the hub runs the store without it; run npm start again to link them`,
    );
  }
  const cloud =
    cloudOff || 'failed' in link
      ? null
      : supervise({
          name: 'cloud',
          script: 'cloud-service/src/main.ts',
          env: {
            COUCHDB_URL: link.cloudCouchUrl,
            // On one machine this cloud serves the platform console too: it holds the registry's
            // writer (the embedded server's admin), which a customer-facing instance never does.
            ...given('CLOUD_PLATFORM_COUCHDB_URL', link.couchUrl),
            ...given('CLOUD_SIGNING_KEY', keys?.signingKey),
            ...given('CUSTOMER_ID_KEY', keys?.customerIdKey),
            ...given('CLOUD_JWT_SECRET', undefined),
            // Meituan / Douyin: the simulators' settings, or the real platforms' secrets.
            ...(vouchers?.cloudEnv ?? {}),
            ...(vouchers ? {} : given('MEITUAN_SIGN_KEY', undefined)),
            ...(vouchers ? {} : given('DOUYIN_CLIENT_SECRET', undefined)),
            // The merchant's WeChat Pay secrets, when a real gateway is configured.
            ...given('CLOUD_WECHATPAY_KEY', undefined),
            ...given('CLOUD_WECHATPAY_API_V3_KEY', undefined),
          },
          ready: /^\s*Cloud API\s+(http:\/\/[^/\s]+)/,
        });
  // The hub runs whatever the cloud does: it never waits for the cloud service to be ready.
  const hub = supervise({
    name: 'hub',
    script: 'hub-app/src/main.ts',
    nodeFlags: JSON.parse(
      readFileSync(resolve(ROOT, 'hub-app/node-flags.json'), 'utf8'),
    ) as string[],
    env: {
      ...('failed' in link ? {} : { COUCHDB_URL: link.hubCouchUrl }),
      HUB_DATA_DIR: hubDataDir,
      // Where the hub asks the cloud for platform vouchers (the cloud started here).
      ...(cloud ? { HUB_CLOUD_URL: `http://127.0.0.1:${process.env.CLOUD_PORT ?? '8081'}` } : {}),
      // The hub takes its other relative paths (HUB_DEVICES, HUB_SCANNERS) from here too.
      INIT_CWD: typedIn,
      ...given('HUB_CLOUD_PUBLIC_KEY', keys?.publicKey),
      ...given('CUSTOMER_ID_KEY', keys?.customerIdKey),
    },
    ready: /^\s*API\s+(http:\/\/[^/\s]+)\/api\/health/,
  });
  const cloudStarted = cloud?.firstStart.then(
    (url) => ({ url }),
    (e: unknown) => ({ failed: e instanceof Error ? e.message : String(e) }),
  );
  const [hubUrl, cloudStart] = await Promise.all([hub.url, cloudStarted]);
  console.log('\nRunning on this machine:');
  console.log(`  Hub API        ${hubUrl}/api/health   (the store; data in ${hubDataDir})`);
  console.log(
    `  Kiosk          ${hubUrl}/kiosk/   (screens ${await screens}; pair it once with a kiosk code from a manager, see README "The kiosk")`,
  );
  console.log(
    `  Cashier        ${hubUrl}/cashier/   (sign in with a staff PIN; the demo cashier's is 333333, see README "The cashier's screen")`,
  );
  console.log(
    `  Cleaner        ${hubUrl}/cleaner/   (a phone on the store's Wi-Fi; the demo cleaner's PIN is 555555, see README "The cleaner's phone")`,
  );
  console.log(
    `  Owner          ${hubUrl}/owner/   (statistics, staff and screens; the owner's or a manager's PIN, see README "The owner's dashboard")`,
  );
  console.log(
    `  Cloud API      ${
      !cloudStart
        ? `not started here (${cloudOff ? 'CLOUD_PORT=off' : 'no CouchDB'})`
        : 'url' in cloudStart
          ? `${cloudStart.url}/api/stores?lat=31.23&lng=121.45`
          : `not running: ${cloudStart.failed}; it is being started again (see [cloud])`
    }`,
  );
  if (cloudStart && 'url' in cloudStart) {
    console.log(
      `  Customer H5    ${cloudStart.url}/h5/   (a customer's phone, served by the cloud: sign in with any mobile number, the code is in the [cloud] log)`,
    );
  }
  if (!('failed' in link)) {
    console.log(
      `  CouchDB        ${new URL(link.couchUrl).origin}${process.env.COUCHDB_URL ? '' : ` (embedded; data and admin.json in ${couchDataDir})`}`,
    );
  }
  if (keys) {
    console.log(
      `  Keys           ${keysDir} (shared by the cloud and the hub; made at the first start)`,
    );
  }
  if (vouchers) for (const line of await voucherDemoLines(vouchers)) console.log(line);
  console.log('Ctrl-C stops everything.\n');
  if (cloud && cloudStart && 'failed' in cloudStart) {
    void cloud.url.then((url) => console.log(`Cloud API is up now: ${url}/api/stores`));
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  stopAll('start-up failed', 1);
}
