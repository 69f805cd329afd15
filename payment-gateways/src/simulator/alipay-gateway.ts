// A local stand-in for Alipay's OpenAPI gateway (`gateway.do`): QR orders (precreate), payment
// codes scanned at the counter (trade.pay), queries, closes, cancels, refunds, and asynchronous
// notifications signed RSA2 with retries. Requests are checked against the app's public key and
// answers signed with the gateway's private key, as Alipay does. It must never take real money,
// and it shares no signing code with the client it tests.
import type { Clock } from '@roomhub/shared-types';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomInt,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import express from 'express';
import { SimulatorLife } from './simulator-life';
import type { Request, Response } from 'express';

export interface AlipayKeys {
  /** Signs answers and notifications (the key behind "the Alipay public key"). */
  alipayPrivateKeyPem: string;
  /** The merchant app's key (应用私钥): signs requests. */
  appPrivateKeyPem: string;
}

/** What a payment code does when the cashier charges it. */
export interface PayerCode {
  /** `paid` at once, `declined` (balance, limit), or `paying`: the payer must still confirm. */
  outcome: 'paid' | 'declined' | 'paying';
  /** For `paying`: paid after this many queries; never (until cancelled) when unset. */
  paidAfterQueries?: number;
  /** The answer to trade.pay comes this late (the effect is immediate). */
  answerDelayMs?: number;
  /** The charge is made, then the connection is cut before any answer: the outcome is unknown. */
  dropConnection?: boolean;
}

export type AlipayRoute = 'precreate' | 'pay' | 'query' | 'refund' | 'cancel' | 'close';

export interface SimulatedAlipayOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  keys?: AlipayKeys;
  /** Waits between notification deliveries; there is one try more than there are waits. */
  retryDelaysMs?: readonly number[];
  /** Every QR order is paid by itself after this delay (a demo without a phone). */
  autoPayDelayMs?: number | null;
}

export interface SimulatedAlipayTrade {
  outTradeNo: string;
  tradeNo: string;
  total: number; // fen
  subject: string;
  notifyUrl: string | null;
  state: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  /** `bar_code`: a payment code scanned at the counter; `qr`: a precreate order. */
  scene: 'qr' | 'bar_code';
  paidAt: number | null;
  refunded: number; // fen
  /** Set when a cancel gave paid money back. */
  reversed: boolean;
}

export interface SimulatedAlipay {
  readonly url: string;
  /** Where the client posts: `<url>/gateway.do`. */
  readonly gatewayUrl: string;
  readonly appId: string;
  readonly appPrivateKeyPem: string;
  readonly alipayPublicKeyPem: string;
  /** The payer pays a QR order; resolves once the notification is acknowledged or given up. */
  pay(outTradeNo: string): Promise<void>;
  /** The payer gives up, or the order times out: closed, notified TRADE_CLOSED. */
  decline(outTradeNo: string): Promise<void>;
  /** Delivers the last notification of a trade again. */
  resend(outTradeNo: string): Promise<void>;
  /** A fresh payment code (18 digits) that behaves as told when charged. */
  payerCode(behaviour?: PayerCode): string;
  /** The next call to `route` answers code 20000 (service unavailable) or an HTTP `status`. */
  failNext(route: AlipayRoute, fault?: { httpStatus?: number }): void;
  trades(): SimulatedAlipayTrade[];
  deliveries(): { outTradeNo: string; attempt: number; acknowledged: boolean }[];
  close(): Promise<void>;
}

interface TradeRecord extends SimulatedAlipayTrade {
  refunds: Map<string, number>;
  queries: number;
  paidAfterQueries: number | null;
  notification: string | null;
}

interface Answer {
  code: '10000' | '10003' | '20000' | '40002' | '40004';
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  [k: string]: unknown;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000, 15_000];
const DELIVERY_TIMEOUT_MS = 5_000;
const APP_ID = '2021000000000001';
const SELLER_ID = '2088000000000001';
const YUAN = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;

const generate = promisify(generateKeyPair);

export async function generateAlipayKeys(): Promise<AlipayKeys> {
  const rsa = {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  const [alipay, app] = await Promise.all([generate('rsa', rsa), generate('rsa', rsa)]);
  return { alipayPrivateKeyPem: alipay.privateKey, appPrivateKeyPem: app.privateKey };
}

export async function startSimulatedAlipay(
  opts: SimulatedAlipayOptions = {},
): Promise<SimulatedAlipay> {
  const clock = opts.clock ?? { now: () => Date.now() };
  const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const keys = opts.keys ?? (await generateAlipayKeys());
  const alipayKey: KeyObject = createPrivateKey(keys.alipayPrivateKeyPem);
  const appPublicKey = createPublicKey(createPrivateKey(keys.appPrivateKeyPem));
  const alipayPublicKeyPem = createPublicKey(alipayKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();

  const trades = new Map<string, TradeRecord>();
  const codes = new Map<string, PayerCode>();
  const usedCodes = new Set<string>();
  const deliveries: { outTradeNo: string; attempt: number; acknowledged: boolean }[] = [];
  const faults: Record<AlipayRoute, { httpStatus?: number }[]> = {
    precreate: [],
    pay: [],
    query: [],
    refund: [],
    cancel: [],
    close: [],
  };
  const life = new SimulatorLife();
  const timers = life.timers;

  /** Alipay's content to sign: every parameter but `sign` (and `sign_type` for notifications). */
  function signContent(params: Record<string, string>, without: string[]): string {
    return Object.keys(params)
      .filter((k) => !without.includes(k) && params[k] !== '')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
  }

  function checkRequest(params: Record<string, string>): string | null {
    for (const k of ['app_id', 'method', 'charset', 'sign_type', 'sign', 'timestamp', 'version']) {
      if (!params[k]) return `缺少必选参数 ${k}`;
    }
    if (params.app_id !== APP_ID) return `无效的AppID参数 ${params.app_id}`;
    if (params.sign_type !== 'RSA2') return `签名类型 ${params.sign_type} 不支持: use RSA2`;
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(params.timestamp ?? '')) {
      return `非法的时间戳参数 ${params.timestamp}`;
    }
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(signContent(params, ['sign']), 'utf8'),
        appPublicKey,
        Buffer.from(params.sign ?? '', 'base64'),
      );
    } catch {
      valid = false;
    }
    return valid ? null : '验签出错 (the request signature does not verify against the app key)';
  }

  function answer(res: Response, method: string, body: Answer): void {
    const key = `${method.replaceAll('.', '_')}_response`;
    const inner = JSON.stringify({ msg: body.code === '10000' ? 'Success' : 'Failed', ...body });
    const signature = sign('sha256', Buffer.from(inner, 'utf8'), alipayKey).toString('base64');
    res.type('application/json').send(`{"${key}":${inner},"sign":"${signature}"}`);
  }

  function business(subCode: string, subMsg: string): Answer {
    return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
  }

  function tradeNo(): string {
    let out = `${new Date(clock.now()).toISOString().slice(0, 10).replaceAll('-', '')}22`;
    for (let i = 0; i < 18; i++) out += String(randomInt(10));
    return out;
  }

  function newTrade(
    outTradeNo: string,
    total: number,
    subject: string,
    notifyUrl: string | null,
    scene: 'qr' | 'bar_code',
  ): TradeRecord {
    const t: TradeRecord = {
      outTradeNo,
      tradeNo: tradeNo(),
      total,
      subject,
      notifyUrl,
      state: 'WAIT_BUYER_PAY',
      scene,
      paidAt: null,
      refunded: 0,
      reversed: false,
      refunds: new Map(),
      queries: 0,
      paidAfterQueries: null,
      notification: null,
    };
    trades.set(outTradeNo, t);
    return t;
  }

  function tradeFields(t: TradeRecord) {
    return {
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      total_amount: yuan(t.total),
      ...(t.paidAt !== null
        ? { send_pay_date: beijing(t.paidAt), gmt_payment: beijing(t.paidAt) }
        : {}),
    };
  }

  function precreate(p: Record<string, string>, biz: Record<string, unknown>): Answer {
    const outTradeNo = String(biz.out_trade_no ?? '');
    const amount = String(biz.total_amount ?? '');
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(outTradeNo) || !YUAN.test(amount) || !biz.subject) {
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' };
    }
    const total = fen(amount);
    const known = trades.get(outTradeNo);
    if (known) {
      if (known.total !== total) return business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (known.state === 'TRADE_SUCCESS') return business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (known.state === 'TRADE_CLOSED') return business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return { code: '10000', out_trade_no: outTradeNo, qr_code: qr(known) };
    }
    const t = newTrade(outTradeNo, total, String(biz.subject), p.notify_url ?? null, 'qr');
    if (opts.autoPayDelayMs != null) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (t.state === 'WAIT_BUYER_PAY') void payTrade(t).catch(() => undefined);
      }, opts.autoPayDelayMs);
      timers.add(timer);
    }
    return { code: '10000', out_trade_no: outTradeNo, qr_code: qr(t) };
  }

  function qr(t: TradeRecord): string {
    return `https://qr.alipay.com/bax0${t.tradeNo.slice(-12)}`;
  }

  /** trade.pay: a payment code scanned by the merchant. */
  function barCodePay(p: Record<string, string>, biz: Record<string, unknown>): Answer {
    const outTradeNo = String(biz.out_trade_no ?? '');
    const amount = String(biz.total_amount ?? '');
    const authCode = String(biz.auth_code ?? '');
    if (
      biz.scene !== 'bar_code' ||
      !/^[0-9A-Za-z_-]{1,64}$/.test(outTradeNo) ||
      !YUAN.test(amount)
    ) {
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' };
    }
    const known = trades.get(outTradeNo);
    if (known) {
      // The same order again (a retry after a lost answer): what it came to, no second charge.
      if (known.state === 'TRADE_SUCCESS') return { code: '10000', ...tradeFields(known) };
      if (known.state === 'TRADE_CLOSED') return business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return { code: '10003', msg: 'Order success pay inprocess', ...tradeFields(known) };
    }
    const behaviour = codes.get(authCode);
    if (!behaviour || usedCodes.has(authCode)) {
      return business('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败');
    }
    usedCodes.add(authCode);
    if (behaviour.outcome === 'declined') {
      return business('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
    }
    const t = newTrade(
      outTradeNo,
      fen(amount),
      String(biz.subject ?? ''),
      p.notify_url ?? null,
      'bar_code',
    );
    if (behaviour.outcome === 'paid') {
      markPaid(t);
      return { code: '10000', ...tradeFields(t) };
    }
    t.paidAfterQueries = behaviour.paidAfterQueries ?? null;
    return { code: '10003', msg: 'Order success pay inprocess', ...tradeFields(t) };
  }

  function query(biz: Record<string, unknown>): Answer {
    const t = trades.get(String(biz.out_trade_no ?? ''));
    if (!t) return business('ACQ.TRADE_NOT_EXIST', '交易不存在');
    t.queries += 1;
    if (
      t.state === 'WAIT_BUYER_PAY' &&
      t.paidAfterQueries !== null &&
      t.queries >= t.paidAfterQueries
    ) {
      markPaid(t);
    }
    return { code: '10000', trade_status: t.state, ...tradeFields(t) };
  }

  function closeTrade(biz: Record<string, unknown>): Answer {
    const t = trades.get(String(biz.out_trade_no ?? ''));
    if (!t) return business('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (t.state === 'TRADE_SUCCESS') return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    t.state = 'TRADE_CLOSED';
    return { code: '10000', out_trade_no: t.outTradeNo, trade_no: t.tradeNo };
  }

  /** Cancel (撤销): an unpaid trade is closed, a paid one is refunded whole; either way no money kept. */
  function cancel(biz: Record<string, unknown>): Answer {
    const t = trades.get(String(biz.out_trade_no ?? ''));
    if (!t) {
      return {
        code: '10000',
        out_trade_no: String(biz.out_trade_no ?? ''),
        retry_flag: 'N',
        action: 'close',
      };
    }
    let action = 'close';
    if (t.state === 'TRADE_SUCCESS') {
      action = 'refund';
      t.reversed = true;
      t.refunded = t.total;
    }
    t.state = 'TRADE_CLOSED';
    return {
      code: '10000',
      out_trade_no: t.outTradeNo,
      trade_no: t.tradeNo,
      retry_flag: 'N',
      action,
    };
  }

  function refund(biz: Record<string, unknown>): Answer {
    const t = trades.get(String(biz.out_trade_no ?? ''));
    const amount = String(biz.refund_amount ?? '');
    const requestNo = String(biz.out_request_no ?? biz.out_trade_no ?? '');
    if (!YUAN.test(amount) || fen(amount) <= 0) {
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' };
    }
    if (!t) return business('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const known = t.refunds.get(requestNo);
    if (known !== undefined) {
      if (known !== fen(amount))
        return business('ACQ.REQUEST_AMOUNT_EXCEED', '退款请求号已用于另一金额');
      return { code: '10000', ...tradeFields(t), refund_fee: yuan(t.refunded), fund_change: 'N' };
    }
    if (t.state !== 'TRADE_SUCCESS' || t.reversed) {
      return business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    }
    if (fen(amount) > t.total - t.refunded) {
      return business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    }
    t.refunds.set(requestNo, fen(amount));
    t.refunded += fen(amount);
    return { code: '10000', ...tradeFields(t), refund_fee: yuan(t.refunded), fund_change: 'Y' };
  }

  function markPaid(t: TradeRecord): void {
    t.state = 'TRADE_SUCCESS';
    t.paidAt = clock.now();
    t.notification = notificationBody(t, 'TRADE_SUCCESS');
  }

  function notificationBody(t: TradeRecord, status: 'TRADE_SUCCESS' | 'TRADE_CLOSED'): string {
    const params: Record<string, string> = {
      app_id: APP_ID,
      auth_app_id: APP_ID,
      buyer_id: '2088102177846875',
      charset: 'utf-8',
      gmt_create: beijing(clock.now()),
      ...(t.paidAt !== null ? { gmt_payment: beijing(t.paidAt) } : {}),
      notify_id: `2024${randomDigits(28)}`,
      notify_time: beijing(clock.now()),
      notify_type: 'trade_status_sync',
      out_trade_no: t.outTradeNo,
      seller_id: SELLER_ID,
      subject: t.subject,
      total_amount: yuan(t.total),
      ...(status === 'TRADE_SUCCESS' ? { receipt_amount: yuan(t.total) } : {}),
      trade_no: t.tradeNo,
      trade_status: status,
      version: '1.0',
    };
    const signature = sign(
      'sha256',
      Buffer.from(signContent(params, ['sign', 'sign_type']), 'utf8'),
      alipayKey,
    ).toString('base64');
    return new URLSearchParams({ ...params, sign: signature, sign_type: 'RSA2' }).toString();
  }

  function deliver(t: TradeRecord): Promise<void> {
    const body = t.notification;
    if (body === null || t.notifyUrl === null) return Promise.resolve();
    const url = t.notifyUrl;
    const run = (async () => {
      for (let attempt = 1; !life.signal.aborted; attempt++) {
        let acknowledged = false;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
            body,
            signal: AbortSignal.any([life.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
          });
          // Alipay stops only on the literal answer `success`.
          acknowledged = res.ok && (await res.text()).trim() === 'success';
        } catch {
          acknowledged = false;
        }
        deliveries.push({ outTradeNo: t.outTradeNo, attempt, acknowledged });
        if (acknowledged) return;
        const wait = retryDelays[attempt - 1];
        if (wait === undefined) return;
        try {
          await sleep(wait, undefined, { signal: life.signal });
        } catch {
          return;
        }
      }
    })();
    return life.track(run);
  }

  function payTrade(t: TradeRecord): Promise<void> {
    if (t.state !== 'WAIT_BUYER_PAY') {
      return Promise.reject(new Error(`trade ${t.outTradeNo} is ${t.state}`));
    }
    markPaid(t);
    return deliver(t);
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post(
    '/gateway.do',
    express.text({ type: () => true }),
    async (req: Request, res: Response) => {
      const params: Record<string, string> = {};
      for (const [k, v] of new URL(req.originalUrl, 'http://x').searchParams) params[k] = v;
      const bodyText = typeof req.body === 'string' ? req.body : '';
      for (const [k, v] of new URLSearchParams(bodyText)) params[k] = v;
      const method = params.method ?? 'unknown';
      const problem = checkRequest(params);
      if (problem !== null) {
        answer(res, method, {
          code: '40002',
          msg: 'Invalid Arguments',
          sub_code: 'isv.invalid-signature',
          sub_msg: problem,
        });
        return;
      }
      let biz: Record<string, unknown> = {};
      try {
        biz = JSON.parse(params.biz_content ?? '{}') as Record<string, unknown>;
      } catch {
        answer(res, method, {
          code: '40002',
          sub_code: 'isv.invalid-biz-content',
          sub_msg: 'biz_content 不是 JSON',
        });
        return;
      }
      const route = ROUTES[method];
      if (route === undefined) {
        answer(res, method, {
          code: '40002',
          sub_code: 'isv.invalid-method',
          sub_msg: `不存在的方法名 ${method}`,
        });
        return;
      }
      const fault = faults[route].shift();
      if (fault?.httpStatus !== undefined) {
        res.status(fault.httpStatus).send('');
        return;
      }
      if (fault !== undefined) {
        answer(res, method, {
          code: '20000',
          msg: 'Service Currently Unavailable',
          sub_code: 'aop.unknow-error',
          sub_msg: '系统繁忙',
        });
        return;
      }
      const delay =
        route === 'pay' ? codes.get(String(biz.auth_code ?? ''))?.answerDelayMs : undefined;
      const result =
        route === 'precreate'
          ? precreate(params, biz)
          : route === 'pay'
            ? barCodePay(params, biz)
            : route === 'query'
              ? query(biz)
              : route === 'close'
                ? closeTrade(biz)
                : route === 'cancel'
                  ? cancel(biz)
                  : refund(biz);
      const code = String(biz.auth_code ?? '');
      // Every answer to this code's charge is lost, a retry's too; only a query can tell.
      if (route === 'pay' && codes.get(code)?.dropConnection) {
        req.socket.destroy();
        return;
      }
      if (delay !== undefined) {
        try {
          await sleep(delay, undefined, { signal: life.signal });
        } catch {
          return;
        }
      }
      answer(res, method, result);
    },
  );

  app.get('/pay/:id', (req, res) => {
    const t = trades.get(req.params.id);
    const title = !t ? '交易不存在' : t.state === 'WAIT_BUYER_PAY' ? '模拟支付宝付款' : t.state;
    const button =
      t?.state === 'WAIT_BUYER_PAY'
        ? `<form method="post" action="${encodeURIComponent(t.outTradeNo)}/confirm"><button>确认付款 ¥${yuan(t.total)}</button></form>`
        : '';
    res
      .status(t ? 200 : 404)
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1>${button}`,
      );
  });
  app.post('/pay/:id/confirm', (req, res) => {
    const t = trades.get(req.params.id);
    if (t?.state !== 'WAIT_BUYER_PAY') {
      res
        .status(410)
        .type('html')
        .send('<!doctype html><meta charset="utf-8"><h1>交易不可支付</h1>');
      return;
    }
    void payTrade(t).catch(() => undefined);
    res.type('html').send('<!doctype html><meta charset="utf-8"><h1>支付成功</h1>');
  });

  const url = await life.listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');

  const trade = (outTradeNo: string): TradeRecord => {
    const t = trades.get(outTradeNo);
    if (!t) throw new Error(`no trade ${outTradeNo}`);
    return t;
  };

  return {
    url,
    gatewayUrl: `${url}/gateway.do`,
    appId: APP_ID,
    appPrivateKeyPem: keys.appPrivateKeyPem,
    alipayPublicKeyPem,
    pay(outTradeNo) {
      try {
        return payTrade(trade(outTradeNo));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    decline(outTradeNo) {
      try {
        const t = trade(outTradeNo);
        if (t.state !== 'WAIT_BUYER_PAY') throw new Error(`trade ${outTradeNo} is ${t.state}`);
        t.state = 'TRADE_CLOSED';
        t.notification = notificationBody(t, 'TRADE_CLOSED');
        return deliver(t);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    resend(outTradeNo) {
      try {
        return deliver(trade(outTradeNo));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    payerCode(behaviour = { outcome: 'paid' }) {
      // Alipay's payment codes are 16-24 digits starting 25-30.
      const code = `28${randomDigits(16)}`;
      codes.set(code, behaviour);
      return code;
    },
    failNext(route, fault = {}) {
      faults[route].push(fault);
    },
    trades: () =>
      [...trades.values()].map(
        ({ refunds: _r, queries: _q, paidAfterQueries: _p, notification: _n, ...t }) => ({ ...t }),
      ),
    deliveries: () => deliveries.map((d) => ({ ...d })),
    close: () => life.close(),
  };
}

const ROUTES: Record<string, AlipayRoute> = {
  'alipay.trade.precreate': 'precreate',
  'alipay.trade.pay': 'pay',
  'alipay.trade.query': 'query',
  'alipay.trade.refund': 'refund',
  'alipay.trade.cancel': 'cancel',
  'alipay.trade.close': 'close',
};

function yuan(fenAmount: number): string {
  return `${Math.floor(fenAmount / 100)}.${String(fenAmount % 100).padStart(2, '0')}`;
}

function fen(yuanText: string): number {
  const [whole = '0', part = ''] = yuanText.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/** Alipay writes instants as Beijing wall time, to the second. */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}
