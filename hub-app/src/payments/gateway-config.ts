// The store's real payment gateways, by credentials alone (ARCHITECTURE: "real payment gateways by
// credentials"): a JSON file (`HUB_PAYMENTS`) names, for each channel the store has signed up for,
// the gateway's address, the merchant's ids and the files its keys and certificates are kept in
// (paths relative to the file). With it the hub talks to those gateways and runs no simulator;
// without it, `npm start` runs the local stand-ins. A channel left out is not offered. Checked
// whole before the hub starts: a missing field or an unreadable key is named, never found out at
// the first payment.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AlipayChannel, UnionPayChannel, WechatPayChannel } from '@roomhub/payment-gateways';
import type { Clock, OnlinePaymentMethod } from '@roomhub/shared-types';
import type { OnlineChannel } from './channel';
import { markChannel } from './channel-kinds';

const text = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`);
const url = (what: string) => z.url({ error: `${what} must be an http(s) URL` });
const file = (what: string) => text(`${what} (a file path)`);

const WechatSchema = z
  .object({
    gatewayUrl: url('the gateway URL').default('https://api.mch.weixin.qq.com'),
    mchid: text('the merchant id (mchid)'),
    appid: text('the app id (appid)'),
    serialNo: text("the merchant certificate's serial number"),
    privateKeyFile: file("the merchant's API private key"),
    platformPublicKeyFile: file("WeChat Pay's public key"),
    platformSerial: text("WeChat Pay's public key id").optional(),
    apiV3Key: z
      .string({ error: 'the API v3 key is required' })
      .refine((k) => Buffer.byteLength(k, 'utf8') === 32, 'the API v3 key is 32 characters'),
    publicBaseUrl: url('the public base URL').optional(),
  })
  .strict();

const AlipaySchema = z
  .object({
    gatewayUrl: url('the gateway URL').default('https://openapi.alipay.com/gateway.do'),
    appId: text('the app id'),
    appPrivateKeyFile: file("the app's private key"),
    alipayPublicKeyFile: file("Alipay's public key"),
  })
  .strict();

const UnionPaySchema = z
  .object({
    gatewayUrl: url('the gateway URL').default('https://gateway.95516.com'),
    merId: text('the merchant number (merId)'),
    signCertId: text("the signing certificate's id (certId)"),
    privateKeyFile: file("the signing certificate's private key"),
    rootCertFile: file("UnionPay's root certificate"),
    middleCertFile: file("UnionPay's intermediate certificate"),
  })
  .strict();

export const GatewayConfigSchema = z
  .object({
    wechat: WechatSchema.optional(),
    alipay: AlipaySchema.optional(),
    unionpay: UnionPaySchema.optional(),
  })
  .strict()
  .refine(
    (c) => c.wechat || c.alipay || c.unionpay,
    'name at least one of wechat, alipay, unionpay',
  );
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

/** A configuration that cannot be used: the message names the field and what is wrong. */
export class GatewayConfigError extends Error {}

/** Reads and checks the file, its keys included, and builds the store's channels. */
export function loadGateways(
  path: string,
  clock: Clock,
): Partial<Record<OnlinePaymentMethod, OnlineChannel>> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GatewayConfigError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = GatewayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new GatewayConfigError(`${path}: ${where}${issue.message}`);
  }
  return channelsFrom(parsed.data, dirname(path), clock);
}

export function channelsFrom(
  c: GatewayConfig,
  baseDir: string,
  clock: Clock,
): Partial<Record<OnlinePaymentMethod, OnlineChannel>> {
  const read = (field: string, p: string): string => {
    const full = isAbsolute(p) ? p : resolve(baseDir, p);
    try {
      const pem = readFileSync(full, 'utf8');
      if (!pem.includes('-----BEGIN ')) throw new Error('not a PEM file');
      return pem;
    } catch (e) {
      throw new GatewayConfigError(
        `${field}: cannot read ${full} (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  };
  const out: Partial<Record<OnlinePaymentMethod, OnlineChannel>> = {};
  if (c.wechat) {
    const w = c.wechat;
    out.wechat = new WechatPayChannel({
      gatewayUrl: w.gatewayUrl,
      platformPublicKeyPem: read('wechat.platformPublicKeyFile', w.platformPublicKeyFile),
      ...(w.platformSerial ? { platformSerial: w.platformSerial } : {}),
      apiV3Key: w.apiV3Key,
      merchant: {
        mchid: w.mchid,
        appid: w.appid,
        serialNo: w.serialNo,
        privateKeyPem: read('wechat.privateKeyFile', w.privateKeyFile),
      },
      ...(w.publicBaseUrl ? { publicBaseUrl: w.publicBaseUrl } : {}),
      clock,
    });
    markChannel(out.wechat, 'gateway', w.gatewayUrl);
  }
  if (c.alipay) {
    const a = c.alipay;
    out.alipay = new AlipayChannel({
      gatewayUrl: a.gatewayUrl,
      appId: a.appId,
      appPrivateKeyPem: read('alipay.appPrivateKeyFile', a.appPrivateKeyFile),
      alipayPublicKeyPem: read('alipay.alipayPublicKeyFile', a.alipayPublicKeyFile),
    });
    markChannel(out.alipay, 'gateway', a.gatewayUrl);
  }
  if (c.unionpay) {
    const u = c.unionpay;
    out.unionpay = new UnionPayChannel({
      gatewayUrl: u.gatewayUrl,
      merId: u.merId,
      signCertId: u.signCertId,
      merchantPrivateKeyPem: read('unionpay.privateKeyFile', u.privateKeyFile),
      gatewayRootCertPem: read('unionpay.rootCertFile', u.rootCertFile),
      gatewayMiddleCertPem: read('unionpay.middleCertFile', u.middleCertFile),
      clock,
    });
    markChannel(out.unionpay, 'gateway', u.gatewayUrl);
  }
  return out;
}
