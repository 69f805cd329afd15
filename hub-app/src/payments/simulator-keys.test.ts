// The payment stand-ins' keys kept in a store's data folder: made at its first start, while the
// hub already answers, and the same keys at every later start.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../server';
import { SIMULATOR_KEYS_FILE, simulatorKeys } from './simulator-keys';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sim-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const start = (dataDir: string) =>
  startHubServer({
    dataDir,
    port: 0,
    runScheduler: false,
    devices: { kind: 'none' },
    devicePollMs: 0,
    ownerPin: '12345678',
  });

describe("the payment stand-ins' keys", () => {
  it('are made once for a data folder, readable by the hub alone, and read back the same', async () => {
    const dir = newDir();
    const made = await simulatorKeys(dir);
    const file = join(dir, SIMULATOR_KEYS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pems = [
      ...Object.values(made.wechat),
      ...Object.values(made.alipay),
      ...Object.values(made.unionpay),
    ];
    expect(pems).toHaveLength(8);
    expect(new Set(pems).size).toBe(8);
    // Asked by another path to the same folder: read from the file, not made again.
    expect(await simulatorKeys(`${dir}/`)).toEqual(made);
  });

  it('are made again when the file is damaged', async () => {
    const dir = newDir();
    writeFileSync(join(dir, SIMULATOR_KEYS_FILE), '{"wechat":');
    const made = await simulatorKeys(dir);
    expect(made.alipay.appPrivateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(JSON.parse(readFileSync(join(dir, SIMULATOR_KEYS_FILE), 'utf8'))).toEqual(made);
  });

  it('give a new store every online channel once it is started, and a restarted hub the same keys', async () => {
    const dir = newDir();
    let first: HubServer | null = await start(dir);
    try {
      // Started: the stand-ins run and every online channel is there.
      expect(first.gateway && first.alipay && first.unionpay).toBeTruthy();
      expect(Object.keys(first.hub.channels).sort()).toEqual(['alipay', 'unionpay', 'wechat']);
      const res = await fetch(`${first.url}/api/health`);
      expect(res.status).toBe(200);
      const wechatKey = first.gateway!.platformPublicKeyPem;
      const alipayKey = first.alipay!.alipayPublicKeyPem;
      await first.close();
      first = null;
      const again = await start(dir);
      try {
        expect(again.gateway!.platformPublicKeyPem).toBe(wechatKey);
        expect(again.alipay!.alipayPublicKeyPem).toBe(alipayKey);
      } finally {
        await again.close();
      }
    } finally {
      await first?.close();
    }
  }, 60_000);
});
