// The store's real payment gateways by credentials (HUB_PAYMENTS): a file naming each gateway, the
// merchant's ids and the files its keys are kept in. Checked whole before the hub starts, each
// fault named by its field; and the channels it builds really talk to a gateway, here the local
// stand-ins of WeChat Pay, Alipay and UnionPay, each checking signatures both ways: a charge is
// opened through each, and a key file swapped for another makes the answers untrusted.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedGateway, type SimulatedGateway } from '@roomhub/payment-gateways/simulator';
import {
  generateAlipayKeys,
  startSimulatedAlipay,
  type SimulatedAlipay,
} from '@roomhub/payment-gateways/alipay-simulator';
import {
  generateUnionPayKeys,
  startSimulatedUnionPay,
  type SimulatedUnionPay,
} from '@roomhub/payment-gateways/unionpay-simulator';
import { GatewayConfigError, loadGateways } from '../src/payments/gateway-config';
import { ManualClock, T0 } from './harness';

const clock = new ManualClock(T0);
let dir: string;
let wechat: SimulatedGateway;
let alipay: SimulatedAlipay;
let unionpay: SimulatedUnionPay;

/** Writes the configuration (and any files) into a folder of its own; its path. */
function configure(config: unknown, files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(dir, 'cfg-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  const path = join(d, 'payments.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const refusal = (path: string): string => {
  try {
    loadGateways(path, clock);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
  wechat = await startSimulatedGateway({ clock });
  alipay = await startSimulatedAlipay({ clock, keys: await generateAlipayKeys() });
  unionpay = await startSimulatedUnionPay({ clock, keys: await generateUnionPayKeys() });
});
afterAll(async () => {
  await wechat?.close();
  await alipay?.close();
  await unionpay?.close();
});

/** Every gateway's credentials, as a store would keep them: ids in the file, keys beside it. */
function fullConfig(overrides: { wechatPublicKey?: string } = {}) {
  return configure(
    {
      wechat: {
        gatewayUrl: wechat.url,
        mchid: wechat.merchant.mchid,
        appid: wechat.merchant.appid,
        serialNo: wechat.merchant.serialNo,
        privateKeyFile: 'wechat-merchant.pem',
        platformPublicKeyFile: 'wechat-platform.pem',
        platformSerial: wechat.platformSerial,
        apiV3Key: wechat.apiV3Key,
      },
      alipay: {
        gatewayUrl: alipay.gatewayUrl,
        appId: alipay.appId,
        appPrivateKeyFile: 'alipay-app.pem',
        alipayPublicKeyFile: 'alipay-public.pem',
      },
      unionpay: {
        gatewayUrl: unionpay.url,
        merId: unionpay.merId,
        signCertId: unionpay.signCertId,
        privateKeyFile: 'unionpay-sign.pem',
        rootCertFile: 'acp_root.pem',
        middleCertFile: 'acp_middle.pem',
      },
    },
    {
      'wechat-merchant.pem': wechat.merchant.privateKeyPem,
      'wechat-platform.pem': overrides.wechatPublicKey ?? wechat.platformPublicKeyPem,
      'alipay-app.pem': alipay.appPrivateKeyPem,
      'alipay-public.pem': alipay.alipayPublicKeyPem,
      'unionpay-sign.pem': unionpay.merchantPrivateKeyPem,
      'acp_root.pem': unionpay.rootCertPem,
      'acp_middle.pem': unionpay.middleCertPem,
    },
  );
}

const charge = (id: string) => ({
  paymentId: id,
  amount: 1200,
  description: 'Room 1 · 2 hours',
  notifyUrl: 'http://127.0.0.1:9/api/payments/notify',
  expiresAt: clock.now() + 15 * 60_000,
});

describe('the store’s payment gateways by credentials', () => {
  it('open a charge through each gateway named, with the keys kept beside the file', async () => {
    const channels = loadGateways(fullConfig(), clock);
    expect(Object.keys(channels).sort()).toEqual(['alipay', 'unionpay', 'wechat']);
    for (const [method, channel] of Object.entries(channels)) {
      const ticket = await channel.createCharge(charge(`cfg${method}0001`));
      expect(ticket.qrPayload, method).toBeTruthy();
    }
  });

  it('do not trust a gateway whose answers its key file does not verify', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const channels = loadGateways(fullConfig({ wechatPublicKey: stranger }), clock);
    await expect(channels.wechat!.createCharge(charge('cfgwechat0002'))).rejects.toThrow(
      /signature/i,
    );
  });

  it('name the field that is missing or wrong, before the hub starts', () => {
    expect(refusal(configure({}))).toContain('name at least one of wechat, alipay, unionpay');
    expect(refusal(configure({ wechat: { mchid: '1900000001' } }))).toContain('wechat.appid');
    expect(
      refusal(
        configure({
          alipay: {
            appId: 'x',
            appPrivateKeyFile: 'a.pem',
            alipayPublicKeyFile: 'b.pem',
            gatewayUrl: 'not a url',
          },
        }),
      ),
    ).toContain('alipay.gatewayUrl');
    expect(
      refusal(
        configure({
          unionpay: {
            merId: '777290058110048',
            signCertId: '69629715588',
            privateKeyFile: 'missing.pem',
            rootCertFile: 'acp_root.pem',
            middleCertFile: 'acp_middle.pem',
          },
        }),
      ),
    ).toContain('unionpay.privateKeyFile: cannot read');
    expect(refusal(configure({ paypal: {} }))).toContain('paypal');
    const notJson = join(mkdtempSync(join(dir, 'bad-')), 'payments.json');
    writeFileSync(notJson, '{ wechat: ');
    expect(refusal(notJson)).toContain(notJson);
  });
});
