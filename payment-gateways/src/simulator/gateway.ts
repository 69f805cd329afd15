// A local stand-in for WeChat Pay API v3: Native orders, a cashier page, signed and encrypted
// notifications with retries, order queries and closes, refunds. It must never take real money, and it shares no signing
// or encryption code with the channel it tests, so a bug on one side cannot hide the other.
// Longer than 500 lines on purpose: it is a whole gateway (orders, cashier page, notifications,
// refunds) in one closure, as small as the protocol it stands in for allows.
import type { Clock } from '@roomhub/shared-types';
import {
  createCipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomInt,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import express from 'express';
import { SimulatorLife } from './simulator-life';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { MerchantCredentials } from '../wechat-channel';

/** For development only: anyone reading this repository can decrypt what it encrypts. */
export const DEV_API_V3_KEY = 'roomhub-simulated-gateway-v3-key';

export type GatewayRoute = 'charge' | 'refund' | 'query' | 'close' | 'codepay' | 'reverse';

/** What a payment code (付款码) does when the cashier charges it. */
export interface PayerCode {
  /** `paid` at once, `declined` (not enough balance), or `paying`: the payer must still confirm. */
  outcome: 'paid' | 'declined' | 'paying';
  /** For `paying`: paid after this many queries; never (until reversed) when unset. */
  paidAfterQueries?: number;
  /** The charge is made, then the connection is cut before any answer: the outcome is unknown. */
  dropConnection?: boolean;
}

export interface SimulatedGatewayOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** 32 bytes; the merchant sets the same key on its side. */
  apiV3Key?: string;
  clock?: Clock;
  /** When set, every new charge is paid by itself after this delay (a demo without a phone). */
  autoPayDelayMs?: number | null;
  /** Waits between notification deliveries; there is one try more than there are waits. */
  retryDelaysMs?: readonly number[];
  /** Reuse RSA keys across gateways: generating them takes most of a second. */
  keys?: GatewayKeys;
}

export interface GatewayKeys {
  platformPrivateKeyPem: string;
  merchantPrivateKeyPem: string;
}

export interface SimulatedCharge {
  outTradeNo: string;
  total: number; // fen
  description: string;
  notifyUrl: string;
  timeExpire: number; // epoch ms
  codeUrl: string;
  /**
   * `CLOSED`: the merchant closed it unpaid; it can no longer be paid. `USERPAYING`: a payment code
   * waiting for the payer to confirm; `REVOKED`: a code charge the merchant reversed.
   */
  state: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'REVOKED';
  /** `MICROPAY`: a payment code scanned at the counter; `NATIVE`: a QR order. */
  tradeType: 'NATIVE' | 'MICROPAY';
  /** Set when a reverse gave paid money back. */
  reversed: boolean;
  transactionId: string | null;
  payerTotal: number | null; // fen the payer actually paid
  successTime: number | null;
  /** Paid after time_expire: the merchant is expected to refund it. */
  late: boolean;
  refunded: number; // fen, sum of refunds
}

export interface SimulatedRefund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  amount: number; // fen
  total: number; // fen, as the merchant stated the order total
  reason: string;
  createdAt: number;
}

export interface NotificationDelivery {
  outTradeNo: string;
  notificationId: string;
  attempt: number;
  /** HTTP status the receiver answered; null when it could not be reached. */
  status: number | null;
  at: number;
}

export interface PayOptions {
  /** What the payer pays, in fen, when a test needs it to differ from the order total. */
  amount?: number;
  /** Pay even though time_expire has passed, as a payment that raced the expiry would. */
  late?: boolean;
}

export interface FaultOptions {
  /** Apply the request, then answer the fault anyway: the answer is lost, the effect is not. */
  afterApplying?: boolean;
}

export interface SimulatedGateway {
  readonly url: string;
  readonly apiV3Key: string;
  readonly platformPublicKeyPem: string;
  readonly platformSerial: string;
  /** The merchant's request-signing credentials, which the client is configured with. */
  readonly merchant: MerchantCredentials;
  /** The payer pays; resolves once the notification is acknowledged or delivery gave up. */
  pay(outTradeNo: string, opts?: PayOptions): Promise<void>;
  /** Delivers the same notification again, as WeChat Pay does when it is unsure it arrived. */
  resend(outTradeNo: string): Promise<void>;
  /** A fresh WeChat payment code (18 digits starting 10-15) that behaves as told when charged. */
  payerCode(behaviour?: PayerCode): string;
  /** The next call to `route` answers `status`. Calls queue up. */
  failNext(route: GatewayRoute, status: number, opts?: FaultOptions): void;
  charges(): SimulatedCharge[];
  refunds(): SimulatedRefund[];
  deliveries(): NotificationDelivery[];
  close(): Promise<void>;
}

interface ChargeRecord extends SimulatedCharge {
  notification: { id: string; body: string } | null;
  queries: number;
  paidAfterQueries: number | null;
}

interface Answer {
  status: number;
  /** None for a 204. */
  body?: unknown;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000, 10_000, 30_000];
const DELIVERY_TIMEOUT_MS = 5_000;
const AUTH_TOLERANCE_MS = 5 * 60_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// WeChat Pay's own limits: a merchant that breaks them here would break against the real gateway.
const OutTradeNo = z.string().regex(/^[0-9A-Za-z_*-]{6,32}$/, '6-32 of [0-9A-Za-z_-*]');
const OutRefundNo = z.string().regex(/^[0-9A-Za-z_*|@-]{1,64}$/, '1-64 of [0-9A-Za-z_-|*@]');

const NativeBody = z.object({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z.string().min(1).max(127),
  out_trade_no: OutTradeNo,
  time_expire: z.iso.datetime({ offset: true }),
  notify_url: z.url({ protocol: /^https?$/ }),
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY') }),
});

const CloseBody = z.object({ mchid: z.string().min(1) });

const CodepayBody = z.object({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z.string().min(1).max(127),
  out_trade_no: OutTradeNo,
  payer: z.object({ auth_code: z.string().min(1).max(128) }),
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY') }),
  scene_info: z.object({
    store_info: z.object({ out_id: z.string().min(1).max(32) }),
    device_ip: z.string().optional(),
  }),
});

const ReverseBody = z.object({ appid: z.string().min(1), mchid: z.string().min(1) });

const RefundBody = z.object({
  out_trade_no: OutTradeNo,
  out_refund_no: OutRefundNo,
  reason: z.string().max(80).optional(),
  notify_url: z.url().optional(),
  amount: z.object({
    refund: z.number().int().positive(),
    total: z.number().int().positive(),
    currency: z.literal('CNY'),
  }),
});

const generateRsaKeyPair = promisify(generateKeyPair);

/** Fresh RSA 2048 keys for the platform (signs answers and notifications) and the merchant. */
export async function generateGatewayKeys(): Promise<GatewayKeys> {
  const rsa = {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  const [platform, merchant] = await Promise.all([
    generateRsaKeyPair('rsa', rsa),
    generateRsaKeyPair('rsa', rsa),
  ]);
  return { platformPrivateKeyPem: platform.privateKey, merchantPrivateKeyPem: merchant.privateKey };
}

export async function startSimulatedGateway(
  opts: SimulatedGatewayOptions = {},
): Promise<SimulatedGateway> {
  const host = opts.host ?? '127.0.0.1';
  const apiV3Key = opts.apiV3Key ?? DEV_API_V3_KEY;
  const aesKey = Buffer.from(apiV3Key, 'utf8');
  if (aesKey.length !== 32) {
    throw new Error(`the API v3 key must be 32 bytes, got ${aesKey.length}`);
  }
  const clock = opts.clock ?? { now: () => Date.now() };
  const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  const keys = opts.keys ?? (await generateGatewayKeys());
  const platformKey: KeyObject = createPrivateKey(keys.platformPrivateKeyPem);
  const platformPublicKeyPem = createPublicKey(platformKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const merchantPublicKey = createPublicKey(createPrivateKey(keys.merchantPrivateKeyPem));
  // Serials follow from the keys, so a merchant configured once keeps working with the same keys.
  // Newer WeChat Pay accounts verify with a bare "WeChat Pay public key" named PUB_KEY_ID_*.
  const platformSerial = `PUB_KEY_ID_${BigInt(`0x${fingerprint(platformPublicKeyPem)}`)
    .toString()
    .slice(0, 24)}`;
  const merchant: MerchantCredentials = {
    mchid: '1900000001',
    appid: 'wx0000000000simul',
    serialNo: fingerprint(merchantPublicKey.export({ type: 'spki', format: 'pem' }).toString())
      .slice(0, 40)
      .toUpperCase(),
    privateKeyPem: keys.merchantPrivateKeyPem,
  };

  const charges = new Map<string, ChargeRecord>();
  const refunds = new Map<string, SimulatedRefund>();
  const deliveries: NotificationDelivery[] = [];
  const faults: Record<GatewayRoute, Array<{ status: number; afterApplying: boolean }>> = {
    charge: [],
    refund: [],
    query: [],
    close: [],
    codepay: [],
    reverse: [],
  };
  const codes = new Map<string, PayerCode>();
  const usedCodes = new Set<string>();
  const life = new SimulatorLife();
  const autoPayTimers = life.timers;

  function sendSigned(res: Response, answer: Answer): void {
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const timestamp = String(Math.floor(clock.now() / 1000));
    const nonce = randomAlphanumeric(32);
    res
      .status(answer.status)
      .set({
        'Request-ID': randomUUID(),
        'Wechatpay-Timestamp': timestamp,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Serial': platformSerial,
        'Wechatpay-Signature': signPlatform(timestamp, nonce, body),
      })
      .type('application/json')
      .send(body);
  }

  function signPlatform(timestamp: string, nonce: string, body: string): string {
    return sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), platformKey).toString(
      'base64',
    );
  }

  function merchantAuth(req: Request, res: Response, next: NextFunction): void {
    const problem = checkMerchantSignature(req);
    if (problem === null) {
      next();
      return;
    }
    sendSigned(res, { status: 401, body: { code: 'SIGN_ERROR', message: problem } });
  }

  function checkMerchantSignature(req: Request): string | null {
    const header = req.get('authorization') ?? '';
    if (!header.startsWith('WECHATPAY2-SHA256-RSA2048 ')) {
      return 'Authorization must use the WECHATPAY2-SHA256-RSA2048 scheme';
    }
    const fields = new Map<string, string>();
    for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) {
      fields.set(match[1] ?? '', match[2] ?? '');
    }
    const { mchid, nonce_str, signature, timestamp, serial_no } = Object.fromEntries(fields);
    if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) {
      return 'Authorization lacks mchid, nonce_str, signature, timestamp or serial_no';
    }
    if (mchid !== merchant.mchid) return `unknown mchid ${mchid}`;
    if (serial_no !== merchant.serialNo) return `unknown merchant certificate ${serial_no}`;
    if (Math.abs(clock.now() - Number(timestamp) * 1000) > AUTH_TOLERANCE_MS) {
      return `request timestamp ${timestamp} is more than 5 minutes from the gateway clock`;
    }
    const body = typeof req.body === 'string' ? req.body : '';
    const message = `${req.method}\n${req.originalUrl}\n${timestamp}\n${nonce_str}\n${body}\n`;
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(message),
        merchantPublicKey,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      valid = false;
    }
    return valid ? null : '签名错误 (the request signature does not verify)';
  }

  /** Faults come first: they stand for the gateway failing before or after doing the work. */
  function withFaults(route: GatewayRoute, handle: (req: Request) => Answer) {
    return (req: Request, res: Response): void => {
      const fault = faults[route].shift();
      if (fault !== undefined && fault.afterApplying) handle(req);
      const answer = fault === undefined ? handle(req) : faultAnswer(fault.status);
      sendSigned(res, answer);
    };
  }

  function createNative(req: Request): Answer {
    const parsed = NativeBody.safeParse(parseJson(req.body));
    if (!parsed.success) return paramError(parsed.error);
    const order = parsed.data;
    if (order.mchid !== merchant.mchid || order.appid !== merchant.appid) {
      return invalid('appid和mch_id不匹配 (appid does not belong to this mchid)');
    }
    const existing = charges.get(order.out_trade_no);
    if (existing !== undefined) {
      if (existing.total !== order.amount.total) {
        return invalid(
          `订单号重复 (out_trade_no ${order.out_trade_no} already exists with amount ` +
            `${existing.total}, not ${order.amount.total})`,
        );
      }
      if (existing.state === 'SUCCESS') {
        return { status: 400, body: { code: 'ORDERPAID', message: '该订单已支付 (already paid)' } };
      }
      if (existing.state === 'CLOSED' || clock.now() > existing.timeExpire) {
        return {
          status: 400,
          body: { code: 'ORDER_CLOSED', message: '订单已关闭 (expired before payment)' },
        };
      }
      return { status: 200, body: { code_url: existing.codeUrl } };
    }

    const charge: ChargeRecord = {
      outTradeNo: order.out_trade_no,
      total: order.amount.total,
      description: order.description,
      notifyUrl: order.notify_url,
      timeExpire: Date.parse(order.time_expire),
      codeUrl: `weixin://wxpay/bizpayurl?pr=${randomAlphanumeric(9)}`,
      state: 'NOTPAY',
      transactionId: null,
      payerTotal: null,
      successTime: null,
      late: false,
      refunded: 0,
      tradeType: 'NATIVE',
      reversed: false,
      notification: null,
      queries: 0,
      paidAfterQueries: null,
    };
    charges.set(charge.outTradeNo, charge);
    if (opts.autoPayDelayMs != null) scheduleAutoPay(charge, opts.autoPayDelayMs);
    return { status: 200, body: { code_url: charge.codeUrl } };
  }

  /** WeChat Pay's query by out_trade_no: a paid order with refunds reads `REFUND`. */
  function queryCharge(req: Request): Answer {
    if (req.query.mchid !== merchant.mchid) {
      return invalid(`mchid ${String(req.query.mchid)} is not this merchant's`);
    }
    const charge = charges.get(String(req.params.outTradeNo));
    if (charge === undefined) return orderNotFound();
    charge.queries += 1;
    if (
      charge.state === 'USERPAYING' &&
      charge.paidAfterQueries !== null &&
      charge.queries >= charge.paidAfterQueries
    ) {
      markPaid(charge.outTradeNo);
    }
    const state =
      charge.state === 'SUCCESS' && charge.refunded > 0 && !charge.reversed
        ? 'REFUND'
        : charge.state;
    return {
      status: 200,
      body: {
        appid: merchant.appid,
        mchid: merchant.mchid,
        out_trade_no: charge.outTradeNo,
        ...(charge.transactionId !== null ? { transaction_id: charge.transactionId } : {}),
        trade_type: charge.tradeType,
        trade_state: state,
        trade_state_desc: TRADE_STATE_WORDS[state],
        ...(charge.successTime !== null
          ? { success_time: rfc3339Beijing(charge.successTime) }
          : {}),
        amount: {
          total: charge.total,
          ...(charge.payerTotal !== null ? { payer_total: charge.payerTotal } : {}),
          currency: 'CNY',
          payer_currency: 'CNY',
        },
      },
    };
  }

  /** Closes an unpaid order for good (204, again too); a paid one is refused with ORDERPAID. */
  function closeCharge(req: Request): Answer {
    const parsed = CloseBody.safeParse(parseJson(req.body));
    if (!parsed.success) return paramError(parsed.error);
    if (parsed.data.mchid !== merchant.mchid) {
      return invalid(`mchid ${parsed.data.mchid} is not this merchant's`);
    }
    const charge = charges.get(String(req.params.outTradeNo));
    if (charge === undefined) return orderNotFound();
    if (charge.state === 'SUCCESS') {
      return { status: 400, body: { code: 'ORDERPAID', message: '订单已支付 (already paid)' } };
    }
    charge.state = 'CLOSED';
    return { status: 204 };
  }

  /** 付款码支付: paid at once, declined, or USERPAYING (202) until the payer confirms. */
  function codepay(req: Request): Answer {
    const parsed = CodepayBody.safeParse(parseJson(req.body));
    if (!parsed.success) return paramError(parsed.error);
    const order = parsed.data;
    if (order.mchid !== merchant.mchid || order.appid !== merchant.appid) {
      return invalid('appid和mch_id不匹配 (appid does not belong to this mchid)');
    }
    const existing = charges.get(order.out_trade_no);
    if (existing !== undefined) {
      // The same order again (a retry after a lost answer): what it came to, never a second charge.
      if (existing.total !== order.amount.total) {
        return invalid(`订单号重复 (out_trade_no ${order.out_trade_no} has another amount)`);
      }
      if (existing.state === 'SUCCESS') return { status: 200, body: codepayAnswer(existing) };
      if (existing.state === 'USERPAYING') return userPaying();
      return { status: 400, body: { code: 'ORDER_CLOSED', message: '订单已撤销 (reversed)' } };
    }
    const behaviour = codes.get(order.payer.auth_code);
    if (behaviour === undefined || usedCodes.has(order.payer.auth_code)) {
      return {
        status: 400,
        body: {
          code: 'AUTH_CODE_INVALID',
          message: '付款码无效，请重新扫码 (unknown or used code)',
        },
      };
    }
    usedCodes.add(order.payer.auth_code);
    if (behaviour.outcome === 'declined') {
      return {
        status: 403,
        body: { code: 'NOTENOUGH', message: '用户余额不足 (balance too low)' },
      };
    }
    const charge: ChargeRecord = {
      outTradeNo: order.out_trade_no,
      total: order.amount.total,
      description: order.description,
      notifyUrl: '',
      timeExpire: clock.now() + 24 * 3_600_000,
      codeUrl: '',
      state: 'USERPAYING',
      transactionId: null,
      payerTotal: null,
      successTime: null,
      late: false,
      refunded: 0,
      tradeType: 'MICROPAY',
      reversed: false,
      notification: null,
      queries: 0,
      paidAfterQueries: behaviour.paidAfterQueries ?? null,
    };
    charges.set(charge.outTradeNo, charge);
    if (behaviour.outcome === 'paid') {
      markPaid(charge.outTradeNo);
      return { status: 200, body: codepayAnswer(charge) };
    }
    return userPaying();
  }

  function codepayAnswer(charge: ChargeRecord): unknown {
    return {
      appid: merchant.appid,
      mchid: merchant.mchid,
      out_trade_no: charge.outTradeNo,
      transaction_id: charge.transactionId,
      trade_type: 'MICROPAY',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: rfc3339Beijing(charge.successTime ?? clock.now()),
      payer: { openid: 'o-simulated-payer' },
      amount: {
        total: charge.total,
        payer_total: charge.payerTotal,
        currency: 'CNY',
        payer_currency: 'CNY',
      },
    };
  }

  function userPaying(): Answer {
    return { status: 202, body: { code: 'USERPAYING', message: '用户支付中，需要输入密码' } };
  }

  /** 撤销: an unpaid code charge is revoked, a paid one given back whole; only code charges. */
  function reverse(req: Request): Answer {
    const parsed = ReverseBody.safeParse(parseJson(req.body));
    if (!parsed.success) return paramError(parsed.error);
    if (parsed.data.mchid !== merchant.mchid) {
      return invalid(`mchid ${parsed.data.mchid} is not this merchant's`);
    }
    const charge = charges.get(String(req.params.outTradeNo));
    if (charge === undefined) return orderNotFound();
    if (charge.tradeType !== 'MICROPAY') {
      return invalid('订单的支付场景不支持该请求 (only code charges are reversed)');
    }
    if (charge.state === 'SUCCESS' && !charge.reversed) {
      charge.reversed = true;
      charge.refunded = charge.payerTotal ?? charge.total;
    }
    if (charge.state !== 'SUCCESS') charge.state = 'REVOKED';
    return {
      status: 200,
      body: { appid: merchant.appid, mchid: merchant.mchid, out_trade_no: charge.outTradeNo },
    };
  }

  function createRefund(req: Request): Answer {
    const parsed = RefundBody.safeParse(parseJson(req.body));
    if (!parsed.success) return paramError(parsed.error);
    const ask = parsed.data;

    const known = refunds.get(ask.out_refund_no);
    if (known !== undefined) {
      if (known.outTradeNo !== ask.out_trade_no || known.amount !== ask.amount.refund) {
        return invalid(
          `out_refund_no ${ask.out_refund_no} was already used for ${known.amount} fen on ` +
            `${known.outTradeNo}`,
        );
      }
      return { status: 200, body: refundAnswer(known) };
    }

    const charge = charges.get(ask.out_trade_no);
    if (charge === undefined) {
      return { status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' } };
    }
    if (charge.reversed) return invalid(`订单已撤销 (${charge.outTradeNo} was reversed)`);
    if (charge.state !== 'SUCCESS' || charge.payerTotal === null) {
      return invalid(`订单未支付 (${charge.outTradeNo} has not been paid)`);
    }
    if (ask.amount.total !== charge.total) {
      return invalid(
        `订单金额不一致 (amount.total ${ask.amount.total} is not the order total ${charge.total})`,
      );
    }
    const refundable = charge.payerTotal - charge.refunded;
    if (ask.amount.refund > refundable) {
      return invalid(
        `申请退款金额超过订单可退金额 (refund ${ask.amount.refund} fen exceeds the ` +
          `${refundable} fen left of ${charge.payerTotal} paid)`,
      );
    }
    const refund: SimulatedRefund = {
      refundId: `50${randomDigits(27)}`,
      outRefundNo: ask.out_refund_no,
      outTradeNo: charge.outTradeNo,
      amount: ask.amount.refund,
      total: ask.amount.total,
      reason: ask.reason ?? '',
      createdAt: clock.now(),
    };
    refunds.set(refund.outRefundNo, refund);
    charge.refunded += refund.amount;
    return { status: 200, body: refundAnswer(refund) };
  }

  function refundAnswer(refund: SimulatedRefund): unknown {
    const charge = charges.get(refund.outTradeNo);
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: charge?.transactionId ?? '',
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      success_time: rfc3339Beijing(refund.createdAt),
      create_time: rfc3339Beijing(refund.createdAt),
      status: 'SUCCESS',
      funds_account: 'AVAILABLE',
      amount: {
        total: refund.total,
        refund: refund.amount,
        payer_total: charge?.payerTotal ?? refund.total,
        payer_refund: refund.amount,
        settlement_total: refund.total,
        settlement_refund: refund.amount,
        discount_refund: 0,
        currency: 'CNY',
      },
    };
  }

  function scheduleAutoPay(charge: ChargeRecord, delayMs: number): void {
    const timer = setTimeout(() => {
      autoPayTimers.delete(timer);
      if (charge.state === 'NOTPAY' && clock.now() <= charge.timeExpire) {
        pay(charge.outTradeNo).catch(() => undefined);
      }
    }, delayMs);
    autoPayTimers.add(timer);
  }

  function markPaid(outTradeNo: string, payOpts: PayOptions = {}): ChargeRecord {
    const charge = charges.get(outTradeNo);
    if (charge === undefined) throw new Error(`no charge ${outTradeNo}`);
    if (charge.state === 'SUCCESS') throw new Error(`charge ${outTradeNo} is already paid`);
    if (charge.state === 'CLOSED' || charge.state === 'REVOKED') {
      throw new Error(`订单已关闭: charge ${outTradeNo} was ${charge.state}`);
    }
    const late = clock.now() > charge.timeExpire;
    if (late && payOpts.late !== true) {
      throw new Error(`订单已过期: charge ${outTradeNo} expired; pass { late: true } to force it`);
    }
    const amount = payOpts.amount ?? charge.total;
    if (!Number.isInteger(amount) || amount <= 0) throw new Error(`bad amount ${amount}`);

    charge.state = 'SUCCESS';
    charge.transactionId = `4200${randomDigits(24)}`;
    charge.payerTotal = amount;
    charge.successTime = clock.now();
    charge.late = late;
    charge.notification = sealNotification(charge);
    return charge;
  }

  function sealNotification(charge: ChargeRecord): { id: string; body: string } {
    const resource = {
      mchid: merchant.mchid,
      appid: merchant.appid,
      out_trade_no: charge.outTradeNo,
      transaction_id: charge.transactionId,
      trade_type: 'NATIVE',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: '',
      success_time: rfc3339Beijing(charge.successTime ?? clock.now()),
      payer: { openid: 'o-simulated-payer' },
      amount: {
        total: charge.total,
        payer_total: charge.payerTotal,
        currency: 'CNY',
        payer_currency: 'CNY',
      },
    };
    const nonce = randomAlphanumeric(12);
    const associatedData = 'transaction';
    const cipher = createCipheriv('aes-256-gcm', aesKey, Buffer.from(nonce));
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(resource), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      create_time: rfc3339Beijing(clock.now()),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: {
        original_type: 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: ciphertext.toString('base64'),
        associated_data: associatedData,
        nonce,
      },
    });
    return { id, body };
  }

  function deliver(charge: ChargeRecord): Promise<void> {
    const notification = charge.notification;
    if (notification === null) return Promise.resolve();
    const run = (async () => {
      for (let attempt = 1; !life.signal.aborted; attempt++) {
        const status = await post(charge.notifyUrl, notification.body);
        deliveries.push({
          outTradeNo: charge.outTradeNo,
          notificationId: notification.id,
          attempt,
          status,
          at: clock.now(),
        });
        if (status !== null && status >= 200 && status < 300) return;
        const wait = retryDelays[attempt - 1];
        if (wait === undefined) return;
        try {
          await sleep(wait, undefined, { signal: life.signal });
        } catch {
          return; // closed while waiting
        }
      }
    })();
    return life.track(run);
  }

  async function post(url: string, body: string): Promise<number | null> {
    // Each try is signed afresh: the receiver refuses timestamps older than five minutes.
    const timestamp = String(Math.floor(clock.now() / 1000));
    const nonce = randomAlphanumeric(32);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': platformSerial,
          'Wechatpay-Signature': signPlatform(timestamp, nonce, body),
          'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        },
        body,
        signal: AbortSignal.any([life.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return null;
    }
  }

  function pay(outTradeNo: string, payOpts?: PayOptions): Promise<void> {
    try {
      return deliver(markPaid(outTradeNo, payOpts));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const api = express.Router();
  api.use(express.text({ type: () => true }), merchantAuth);
  api.post('/pay/transactions/native', withFaults('charge', createNative));
  api.get('/pay/transactions/out-trade-no/:outTradeNo', withFaults('query', queryCharge));
  api.post('/pay/transactions/out-trade-no/:outTradeNo/close', withFaults('close', closeCharge));
  api.post('/refund/domestic/refunds', withFaults('refund', createRefund));
  api.post('/pay/transactions/codepay', (req, res, next) => {
    const behaviour = codes.get(String(parseCodepayAuthCode(req.body)));
    if (behaviour?.dropConnection) {
      // The charge is made (once); no answer ever leaves, a retry's neither: only a query can tell.
      codepay(req);
      req.socket.destroy();
      return;
    }
    next();
  });
  api.post('/pay/transactions/codepay', withFaults('codepay', codepay));
  api.post('/pay/transactions/out-trade-no/:outTradeNo/reverse', withFaults('reverse', reverse));
  app.use('/v3', api);

  app.get('/pay/:id', (req, res) => {
    const charge = charges.get(req.params.id);
    if (charge === undefined) {
      res.status(404).send(cashierPage('订单不存在', 'No such order.'));
    } else if (charge.state === 'SUCCESS') {
      res.send(cashierPage('订单已支付', 'This order has been paid.', charge));
    } else if (charge.state === 'CLOSED') {
      res.status(410).send(cashierPage('订单已关闭', 'This order was closed.', charge));
    } else if (clock.now() > charge.timeExpire) {
      res.status(410).send(cashierPage('订单已过期', 'This order has expired.', charge));
    } else {
      res.send(cashierPage('模拟支付', 'Simulated payment: no real money moves.', charge, true));
    }
  });

  app.post('/pay/:id/confirm', (req, res) => {
    const charge = charges.get(req.params.id);
    if (charge === undefined) {
      res.status(404).send(cashierPage('订单不存在', 'No such order.'));
    } else if (charge.state === 'SUCCESS') {
      res.send(cashierPage('订单已支付', 'This order has been paid.', charge));
    } else if (charge.state === 'CLOSED') {
      res.status(410).send(cashierPage('订单已关闭', 'This order was closed.', charge));
    } else if (clock.now() > charge.timeExpire) {
      res.status(410).send(cashierPage('订单已过期', 'This order has expired.', charge));
    } else {
      // The payer's phone does not wait for the merchant to acknowledge the notification.
      deliver(markPaid(charge.outTradeNo)).catch(() => undefined);
      res.send(cashierPage('支付成功', 'Payment complete.', charge));
    }
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const message = err instanceof Error ? err.message : String(err);
    res.status(500).json({ code: 'SYSTEM_ERROR', message });
  });

  const url = await life.listen(app, opts.port ?? 0, host);

  const publicCharge = ({
    notification: _n,
    queries: _q,
    paidAfterQueries: _p,
    ...rest
  }: ChargeRecord): SimulatedCharge => ({
    ...rest,
  });

  return {
    url,
    apiV3Key,
    platformPublicKeyPem,
    platformSerial,
    merchant,
    pay,
    resend(outTradeNo) {
      const charge = charges.get(outTradeNo);
      if (charge?.notification == null) {
        return Promise.reject(new Error(`charge ${outTradeNo} has no notification to resend`));
      }
      return deliver(charge);
    },
    payerCode(behaviour = { outcome: 'paid' }) {
      // WeChat's payment codes are 18 digits starting 10-15.
      const code = `1${randomInt(0, 6)}${randomDigits(16)}`;
      codes.set(code, behaviour);
      return code;
    },
    failNext(route, status, faultOpts) {
      faults[route].push({ status, afterApplying: faultOpts?.afterApplying ?? false });
    },
    charges: () => [...charges.values()].map(publicCharge),
    refunds: () => [...refunds.values()].map((r) => ({ ...r })),
    deliveries: () => deliveries.map((d) => ({ ...d })),
    close: () => life.close(),
  };
}

function faultAnswer(status: number): Answer {
  const code =
    status === 401
      ? 'SIGN_ERROR'
      : status === 404
        ? 'RESOURCE_NOT_EXISTS'
        : status === 429
          ? 'FREQUENCY_LIMITED'
          : status >= 500
            ? 'SYSTEM_ERROR'
            : 'INVALID_REQUEST';
  return { status, body: { code, message: `simulated fault ${status}` } };
}

const TRADE_STATE_WORDS = {
  NOTPAY: '订单未支付',
  USERPAYING: '用户支付中',
  REVOKED: '已撤销',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
} as const;

function orderNotFound(): Answer {
  return { status: 404, body: { code: 'ORDER_NOT_EXIST', message: '订单不存在' } };
}

function invalid(message: string): Answer {
  return { status: 400, body: { code: 'INVALID_REQUEST', message } };
}

function paramError(error: z.ZodError): Answer {
  const message = error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { status: 400, body: { code: 'PARAM_ERROR', message: `参数错误 (${message})` } };
}

function parseCodepayAuthCode(body: unknown): string | undefined {
  const order = parseJson(body) as { payer?: { auth_code?: unknown } } | undefined;
  return typeof order?.payer?.auth_code === 'string' ? order.payer.auth_code : undefined;
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function cashierPage(
  title: string,
  subtitle: string,
  charge?: SimulatedCharge,
  payable = false,
): string {
  const order =
    charge === undefined
      ? ''
      : `<p class="amount">¥${(charge.total / 100).toFixed(2)} 元</p>
  <p>${escapeHtml(charge.description)}</p>
  <p class="muted">订单号 ${escapeHtml(charge.outTradeNo)}</p>`;
  const button = payable
    ? `<form method="post" action="${encodeURIComponent(charge?.outTradeNo ?? '')}/confirm">
    <button type="submit">确认支付</button>
  </form>`
    : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 24rem; margin: 2rem auto; padding: 0 1rem; text-align: center; }
    .amount { font-size: 2.5rem; margin: 1rem 0; }
    .muted { color: #888; font-size: 0.85rem; }
    button { font-size: 1.2rem; width: 100%; padding: 0.8rem; background: #07c160; color: #fff; border: 0; border-radius: 6px; }
  </style>
</head>
<body>
  <h1>${title}</h1>
  <p class="muted">${subtitle}</p>
  ${order}
  ${button}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fingerprint(pem: string): string {
  return createHash('sha256').update(pem).digest('hex');
}

function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

function rfc3339Beijing(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
