// The RSA keys of the local payment simulators (WeChat Pay, Alipay, UnionPay), made once per data
// folder and kept there, so a hub's later starts read them instead of making eight keys again.
// They sign only the stand-ins' play money. Made with the asynchronous generateKeyPair, all at
// once on libuv's threads, while the hub already serves (server.ts). It must never hold a real
// gateway's credentials (those come from HUB_PAYMENTS).
import { generateKeyPair } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GatewayKeys } from '@roomhub/payment-gateways/simulator';
import type { AlipayKeys } from '@roomhub/payment-gateways/alipay-simulator';
import type { UnionPayKeys } from '@roomhub/payment-gateways/unionpay-simulator';

export interface SimulatorKeys {
  wechat: GatewayKeys;
  alipay: AlipayKeys;
  unionpay: UnionPayKeys;
}

/** The file in the data folder holding them. */
export const SIMULATOR_KEYS_FILE = 'payment-simulator-keys.json';

const generate = promisify(generateKeyPair);

async function rsaKey(): Promise<string> {
  const pair = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return pair.privateKey;
}

async function makeKeys(): Promise<SimulatorKeys> {
  const [platform, merchant, alipay, app, root, middle, gateway, unionMerchant] = await Promise.all(
    Array.from({ length: 8 }, rsaKey),
  );
  return {
    wechat: { platformPrivateKeyPem: platform!, merchantPrivateKeyPem: merchant! },
    alipay: { alipayPrivateKeyPem: alipay!, appPrivateKeyPem: app! },
    unionpay: {
      rootPrivateKeyPem: root!,
      middlePrivateKeyPem: middle!,
      gatewayPrivateKeyPem: gateway!,
      merchantPrivateKeyPem: unionMerchant!,
    },
  };
}

const PEM = /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/;

/** The kept keys if the file holds all eight; null for a missing, partial or foreign file. */
function parseKept(text: string): SimulatorKeys | null {
  try {
    const k = JSON.parse(text) as SimulatorKeys;
    const pems = [
      k.wechat.platformPrivateKeyPem,
      k.wechat.merchantPrivateKeyPem,
      k.alipay.alipayPrivateKeyPem,
      k.alipay.appPrivateKeyPem,
      k.unionpay.rootPrivateKeyPem,
      k.unionpay.middlePrivateKeyPem,
      k.unionpay.gatewayPrivateKeyPem,
      k.unionpay.merchantPrivateKeyPem,
    ];
    return pems.every((p) => typeof p === 'string' && PEM.test(p)) ? k : null;
  } catch {
    return null;
  }
}

/** Read or made once per data folder, however often asked at once. */
const asked = new Map<string, Promise<SimulatorKeys>>();

/**
 * The simulators' keys of `dataDir`: read from its file, or made and written there (whole, by
 * renaming, readable by the hub's user only) when it has none yet.
 */
export function simulatorKeys(dataDir: string): Promise<SimulatorKeys> {
  let keys = asked.get(dataDir);
  if (!keys) {
    keys = readOrMake(dataDir);
    asked.set(dataDir, keys);
    // Asked again after a failure (a folder not writable yet), it tries again.
    keys.catch(() => asked.delete(dataDir));
  }
  return keys;
}

async function readOrMake(dataDir: string): Promise<SimulatorKeys> {
  const file = join(dataDir, SIMULATOR_KEYS_FILE);
  const kept = await readFile(file, 'utf8').then(parseKept, () => null);
  if (kept) return kept;
  const made = await makeKeys();
  await mkdir(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(made), { mode: 0o600 });
  await rename(temp, file);
  return made;
}
