// The cloud's payment channel from configuration: the WeChat Pay v3 client with the merchant's
// credentials and the gateway's platform key, against the real gateway (`CLOUD_WECHATPAY_URL`)
// or, without one, against the gateway simulator started in this process (as the hub starts its
// own), which lets anyone "pay" and so listens on loopback only. Reads settings, starts and stops
// the simulator; the channel itself decides everything.
import { readFileSync } from 'node:fs';
import {
  WechatPayChannel,
  type MerchantCredentials,
  type WechatPayChannelOptions,
} from '@roomhub/payment-gateways';
import { startSimulatedGateway, type SimulatedGateway } from '@roomhub/payment-gateways/simulator';
import type { Clock } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { WechatCloudChannel, type WechatCloudChannelOptions } from './wechat-cloud-channel';

export type PaymentSettings =
  | {
      kind: 'wechat';
      gatewayUrl: string;
      merchant: MerchantCredentials;
      platformPublicKeyPem: string;
      platformSerial?: string;
      apiV3Key: string;
    }
  | {
      kind: 'simulator';
      /** 0 picks a free port. */
      port: number;
      /** The payer "pays" by themselves this long after an order; null: on the cashier page. */
      autoPayDelayMs: number | null;
    };

/** The settings from the environment; an Error naming the variable for one that is wrong. */
export function paymentSettingsFromEnv(env: NodeJS.ProcessEnv): PaymentSettings {
  const gatewayUrl = env.CLOUD_WECHATPAY_URL;
  if (!gatewayUrl) {
    // Any free port unless set: each order's cashier page is printed with it, and two clouds on
    // one machine (a test beside `npm start`) never meet there.
    const port = Number(env.CLOUD_PAYSIM_PORT ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`CLOUD_PAYSIM_PORT must be a port number, got ${env.CLOUD_PAYSIM_PORT}`);
    }
    const autoPay = env.CLOUD_PAYSIM_AUTOPAY_MS ?? '1000';
    const autoPayDelayMs = autoPay === 'off' ? null : Number(autoPay);
    if (autoPayDelayMs !== null && !(Number.isInteger(autoPayDelayMs) && autoPayDelayMs >= 0)) {
      throw new Error(`CLOUD_PAYSIM_AUTOPAY_MS must be milliseconds or off, got ${autoPay}`);
    }
    return { kind: 'simulator', port, autoPayDelayMs };
  }
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} must be set with CLOUD_WECHATPAY_URL`);
    return value;
  };
  const apiV3Key = need('CLOUD_WECHATPAY_API_V3_KEY');
  if (Buffer.byteLength(apiV3Key, 'utf8') !== 32) {
    throw new Error('CLOUD_WECHATPAY_API_V3_KEY must be the 32-byte API v3 key');
  }
  return {
    kind: 'wechat',
    gatewayUrl,
    merchant: {
      mchid: need('CLOUD_WECHATPAY_MCHID'),
      appid: need('CLOUD_WECHATPAY_APPID'),
      serialNo: need('CLOUD_WECHATPAY_SERIAL'),
      privateKeyPem: pemOf(need('CLOUD_WECHATPAY_KEY')),
    },
    platformPublicKeyPem: pemOf(need('CLOUD_WECHATPAY_PLATFORM_KEY')),
    ...(env.CLOUD_WECHATPAY_PLATFORM_SERIAL
      ? { platformSerial: env.CLOUD_WECHATPAY_PLATFORM_SERIAL }
      : {}),
    apiV3Key,
  };
}

export interface CloudPayments {
  channel: WechatCloudChannel;
  /** The simulator this process runs, when no real gateway is configured. */
  simulator: SimulatedGateway | null;
  /** Where the money goes, for the start's printout. */
  describe: string;
  close(): Promise<void>;
}

export async function startCloudPayments(
  settings: PaymentSettings,
  deps: { couch: CouchClient; clock: Clock } & Pick<
    WechatCloudChannelOptions,
    'notifyUrl' | 'onOrder' | 'log' | 'payWindowMs' | 'queryEveryMs' | 'graceMs'
  >,
): Promise<CloudPayments> {
  let simulator: SimulatedGateway | null = null;
  let client: WechatPayChannelOptions;
  if (settings.kind === 'simulator') {
    simulator = await startSimulatedGateway({
      host: '127.0.0.1',
      port: settings.port,
      clock: deps.clock,
      autoPayDelayMs: settings.autoPayDelayMs,
    });
    client = {
      gatewayUrl: simulator.url,
      platformPublicKeyPem: simulator.platformPublicKeyPem,
      platformSerial: simulator.platformSerial,
      apiV3Key: simulator.apiV3Key,
      merchant: simulator.merchant,
      clock: deps.clock,
    };
  } else {
    const { kind: _kind, ...wechat } = settings;
    client = { ...wechat, clock: deps.clock };
  }
  const { couch, clock, ...rest } = deps;
  return {
    channel: new WechatCloudChannel({
      couch,
      client: new WechatPayChannel(client),
      clock,
      ...rest,
    }),
    simulator,
    describe: simulator
      ? `${simulator.url} (simulated WeChat Pay; no real money)`
      : `WeChat Pay at ${new URL(client.gatewayUrl).origin}`,
    close: async () => {
      await simulator?.close();
    },
  };
}

/** A key from a setting: the PEM itself, or the path of a file holding it. */
function pemOf(setting: string): string {
  return setting.includes('-----BEGIN') ? setting : readFileSync(setting, 'utf8');
}
