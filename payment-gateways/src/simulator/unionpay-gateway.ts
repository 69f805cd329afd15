// A local stand-in for UnionPay's full-channel gateway (银联全渠道): QR orders (申码), a cashier page
// standing in for the payer's app, order queries, refunds (txnType 04), and signed
// back-notifications to each order's `backUrl`, with retries. Requests are checked against the
// merchant's signing certificate (`certId` and signature, signMethod 01: RSA-SHA256 over the
// SHA-256 hex of the sorted `k=v&...` text); answers and notifications are signed with the
// gateway's own key and carry its signing certificate (`signPubKeyCert`), issued under the
// simulator's own root and intermediate (unionpay-certificates.ts), or forged when a test asks. It
// must never take real money, and it shares no signing code with the client it tests.
import type { Clock } from '@roomhub/shared-types';
import {
  createHash,
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
import { makeUnionPayCertificates, type CertificateOptions } from './unionpay-certificates';
import type { Request, Response } from 'express';

export interface UnionPayKeys {
  /** The keys of the gateway's root (根证书) and intermediate (中级证书) certificates. */
  rootPrivateKeyPem: string;
  middlePrivateKeyPem: string;
  /** Signs answers and notifications (the key behind the gateway's signing certificate). */
  gatewayPrivateKeyPem: string;
  /** The merchant's signing certificate's key: signs requests. */
  merchantPrivateKeyPem: string;
}

export type UnionPayRoute = 'order' | 'query' | 'refund';

export interface SimulatedUnionPayOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  keys?: UnionPayKeys;
  /** Waits between notification deliveries; there is one try more than there are waits. */
  retryDelaysMs?: readonly number[];
  /** Every QR order is paid by itself after this delay (a demo without a phone). */
  autoPayDelayMs?: number | null;
  /**
   * The gateway's signing certificate: valid from 30 days before the simulator starts for five
   * years, issued by its intermediate, naming UnionPay, unless a test forges it otherwise.
   */
  signCert?: Partial<CertificateOptions>;
}

export interface SimulatedUnionPayOrder {
  orderId: string;
  txnTime: string;
  amount: number; // fen
  backUrl: string;
  payTimeout: number; // epoch ms
  state: 'waiting' | 'paid' | 'failed';
  queryId: string | null;
  refunded: number; // fen
}

export interface SimulatedUnionPay {
  readonly url: string;
  readonly merId: string;
  /** The merchant's signing certificate: its id and private key. */
  readonly signCertId: string;
  readonly merchantPrivateKeyPem: string;
  /** The root and intermediate the gateway's signing certificate chains to (acp_root / acp_middle). */
  readonly rootCertPem: string;
  readonly middleCertPem: string;
  /** The signing certificate every answer and notification carries, and its id (`certId`). */
  readonly signCertPem: string;
  readonly gatewayCertId: string;
  /** The payer pays; resolves once the notification is acknowledged or delivery gave up. */
  pay(orderId: string): Promise<void>;
  /** The payer's bank declines: a signed failure notification (respCode 11). */
  decline(orderId: string): Promise<void>;
  /** Delivers the last notification of an order again. */
  resend(orderId: string): Promise<void>;
  /** The next call to `route` answers respCode 03 (processing) or an HTTP `httpStatus`. */
  failNext(route: UnionPayRoute, fault?: { httpStatus?: number }): void;
  orders(): SimulatedUnionPayOrder[];
  deliveries(): { orderId: string; attempt: number; status: number | null }[];
  close(): Promise<void>;
}

interface OrderRecord extends SimulatedUnionPayOrder {
  notification: string | null;
}

interface RefundRecord {
  orderId: string;
  origQryId: string;
  amount: number;
  queryId: string;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000, 15_000];
const DELIVERY_TIMEOUT_MS = 5_000;
const MER_ID = '898000000000001';
const ORDER_ID = /^[0-9A-Za-z]{8,40}$/;
const TXN_TIME = /^\d{14}$/;
const AMOUNT = /^[1-9]\d{0,11}$/;

const generate = promisify(generateKeyPair);

export async function generateUnionPayKeys(): Promise<UnionPayKeys> {
  const rsa = {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  const [root, middle, gateway, merchant] = await Promise.all(
    [1, 2, 3, 4].map(() => generate('rsa', rsa)),
  );
  return {
    rootPrivateKeyPem: root!.privateKey,
    middlePrivateKeyPem: middle!.privateKey,
    gatewayPrivateKeyPem: gateway!.privateKey,
    merchantPrivateKeyPem: merchant!.privateKey,
  };
}

export async function startSimulatedUnionPay(
  opts: SimulatedUnionPayOptions = {},
): Promise<SimulatedUnionPay> {
  const clock = opts.clock ?? { now: () => Date.now() };
  const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const keys = opts.keys ?? (await generateUnionPayKeys());
  const gatewayKey: KeyObject = createPrivateKey(keys.gatewayPrivateKeyPem);
  const started = clock.now();
  const certs = makeUnionPayCertificates(keys, {
    validFrom: started - 30 * 86_400_000,
    validTo: started + 5 * 365 * 86_400_000,
    ...opts.signCert,
  });
  const merchantPublicKey = createPublicKey(createPrivateKey(keys.merchantPrivateKeyPem));
  // Certificate ids are decimal serial numbers; the merchant's here follows from its key.
  const certIdOf = (pem: string) =>
    BigInt(`0x${createHash('sha256').update(pem).digest('hex').slice(0, 12)}`).toString();
  const signCertId = certIdOf(merchantPublicKey.export({ type: 'spki', format: 'pem' }).toString());

  const orders = new Map<string, OrderRecord>();
  const refunds = new Map<string, RefundRecord>();
  const deliveries: { orderId: string; attempt: number; status: number | null }[] = [];
  const faults: Record<UnionPayRoute, { httpStatus?: number }[]> = {
    order: [],
    query: [],
    refund: [],
  };
  const life = new SimulatorLife();
  const timers = life.timers;

  /** The text signMethod 01 signs: every field but the signature, sorted by name. */
  function text(fields: Record<string, string>): string {
    const names = Object.keys(fields).filter((k) => k !== 'signature');
    names.sort();
    return names.map((k) => `${k}=${fields[k]}`).join('&');
  }

  function digest(fields: Record<string, string>): Buffer {
    return Buffer.from(createHash('sha256').update(text(fields), 'utf8').digest('hex'), 'utf8');
  }

  function signed(fields: Record<string, string>): string {
    const all: Record<string, string> = {
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      certId: certs.signCertId,
      signPubKeyCert: certs.signCertPem,
      ...fields,
    };
    all.signature = sign('sha256', digest(all), gatewayKey).toString('base64');
    return new URLSearchParams(all).toString();
  }

  function checkRequest(f: Record<string, string>): string | null {
    for (const k of ['version', 'encoding', 'signMethod', 'certId', 'signature', 'merId']) {
      if (!f[k]) return `缺少必填字段 ${k}`;
    }
    if (f.version !== '5.1.0') return `版本号 ${f.version} 不支持`;
    if (f.signMethod !== '01') return `签名方法 ${f.signMethod} 不支持: use 01`;
    if (f.merId !== MER_ID) return `商户号 ${f.merId} 不存在`;
    if (f.certId !== signCertId) return `证书 ${f.certId} 不是该商户的签名证书`;
    let valid = false;
    try {
      valid = verify('sha256', digest(f), merchantPublicKey, Buffer.from(f.signature!, 'base64'));
    } catch {
      valid = false;
    }
    return valid ? null : '验证签名失败 (the request signature does not verify)';
  }

  const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
  const compact = (ms: number) =>
    new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
  const fromCompact = (t: string) =>
    Date.parse(
      `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}+08:00`,
    );

  function echo(f: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of ['merId', 'orderId', 'txnTime', 'txnType', 'txnSubType', 'bizType']) {
      if (f[k] !== undefined) out[k] = f[k];
    }
    out.accessType = '0';
    return out;
  }

  function qrOrder(f: Record<string, string>): Record<string, string> {
    const { orderId = '', txnTime = '', txnAmt = '', backUrl = '', payTimeout = '' } = f;
    if (
      f.bizType !== '000000' ||
      f.currencyCode !== '156' ||
      !ORDER_ID.test(orderId) ||
      !TXN_TIME.test(txnTime) ||
      !AMOUNT.test(txnAmt) ||
      !/^https?:\/\//.test(backUrl)
    ) {
      return { respCode: '30', respMsg: '报文格式错误 (orderId, txnTime, txnAmt or backUrl)' };
    }
    const known = orders.get(orderId);
    if (known) {
      if (known.amount !== Number(txnAmt)) return { respCode: '12', respMsg: '重复交易' };
      if (known.state !== 'waiting') return { respCode: '12', respMsg: '重复交易 (已完成)' };
      return { respCode: '00', respMsg: '成功[0000000]', qrCode: qrOf(known) };
    }
    const o: OrderRecord = {
      orderId,
      txnTime,
      amount: Number(txnAmt),
      backUrl,
      payTimeout: TXN_TIME.test(payTimeout) ? fromCompact(payTimeout) : clock.now() + 3_600_000,
      state: 'waiting',
      queryId: null,
      refunded: 0,
      notification: null,
    };
    orders.set(orderId, o);
    if (opts.autoPayDelayMs != null) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (o.state === 'waiting') void payOrder(o).catch(() => undefined);
      }, opts.autoPayDelayMs);
      timers.add(timer);
    }
    return { respCode: '00', respMsg: '成功[0000000]', qrCode: qrOf(o) };
  }

  function qrOf(o: OrderRecord): string {
    return `https://qr.95516.com/00010000/${o.orderId.slice(-12)}${o.txnTime.slice(-6)}`;
  }

  function refund(f: Record<string, string>): Record<string, string> {
    const { orderId = '', origQryId = '', txnAmt = '', txnTime = '' } = f;
    if (!ORDER_ID.test(orderId) || !TXN_TIME.test(txnTime) || !AMOUNT.test(txnAmt)) {
      return { respCode: '30', respMsg: '报文格式错误 (orderId, txnTime or txnAmt)' };
    }
    const known = refunds.get(orderId);
    if (known) {
      if (known.amount !== Number(txnAmt) || known.origQryId !== origQryId) {
        return { respCode: '12', respMsg: '重复交易' };
      }
      return { respCode: '00', respMsg: '成功[0000000]', queryId: known.queryId };
    }
    const o = [...orders.values()].find((x) => x.queryId === origQryId);
    if (!o) return { respCode: '35', respMsg: '原交易不存在或状态不正确' };
    if (o.state !== 'paid') return { respCode: '35', respMsg: '原交易不存在或状态不正确' };
    if (Number(txnAmt) > o.amount - o.refunded) {
      return { respCode: '37', respMsg: '退货金额超限 (more than what is left to refund)' };
    }
    const r: RefundRecord = {
      orderId,
      origQryId,
      amount: Number(txnAmt),
      queryId: `${compact(clock.now())}${digits(7)}`,
    };
    refunds.set(orderId, r);
    o.refunded += r.amount;
    return { respCode: '00', respMsg: '成功[0000000]', queryId: r.queryId };
  }

  /** The status of an order or a refund by its orderId: respCode 00 and the original's outcome. */
  function query(f: Record<string, string>): Record<string, string> {
    const { orderId = '', txnTime = '' } = f;
    if (!ORDER_ID.test(orderId) || !TXN_TIME.test(txnTime)) {
      return { respCode: '30', respMsg: '报文格式错误 (orderId or txnTime)' };
    }
    const o = orders.get(orderId);
    if (o) {
      const orig =
        o.state === 'paid'
          ? { origRespCode: '00', origRespMsg: '成功' }
          : o.state === 'failed'
            ? { origRespCode: '11', origRespMsg: '交易失败' }
            : { origRespCode: '05', origRespMsg: '交易处理中，请稍后查询' };
      return {
        respCode: '00',
        respMsg: '成功[0000000]',
        ...orig,
        txnAmt: String(o.amount),
        ...(o.queryId ? { queryId: o.queryId } : {}),
      };
    }
    const r = refunds.get(orderId);
    if (r) {
      return {
        respCode: '00',
        respMsg: '成功[0000000]',
        origRespCode: '00',
        origRespMsg: '成功',
        txnAmt: String(r.amount),
        queryId: r.queryId,
      };
    }
    return { respCode: '34', respMsg: '查无此交易' };
  }

  function notificationBody(o: OrderRecord, respCode: string, respMsg: string): string {
    return signed({
      merId: MER_ID,
      orderId: o.orderId,
      txnTime: o.txnTime,
      txnType: '01',
      txnSubType: '07',
      bizType: '000000',
      accessType: '0',
      currencyCode: '156',
      txnAmt: String(o.amount),
      ...(o.queryId ? { queryId: o.queryId, settleAmt: String(o.amount) } : {}),
      settleDate: compact(clock.now()).slice(4, 8),
      traceNo: digits(6),
      traceTime: compact(clock.now()).slice(4),
      respCode,
      respMsg,
    });
  }

  function deliver(o: OrderRecord): Promise<void> {
    const body = o.notification;
    if (body === null) return Promise.resolve();
    const run = (async () => {
      for (let attempt = 1; !life.signal.aborted; attempt++) {
        let status: number | null = null;
        try {
          const res = await fetch(o.backUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
            body,
            signal: AbortSignal.any([life.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = null;
        }
        deliveries.push({ orderId: o.orderId, attempt, status });
        // UnionPay takes an HTTP 200 as received.
        if (status === 200) return;
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

  function payOrder(o: OrderRecord): Promise<void> {
    if (o.state !== 'waiting') return Promise.reject(new Error(`order ${o.orderId} is ${o.state}`));
    if (clock.now() > o.payTimeout) {
      return Promise.reject(new Error(`order ${o.orderId} timed out (payTimeout passed)`));
    }
    o.state = 'paid';
    o.queryId = `${compact(clock.now())}${digits(7)}`;
    o.notification = notificationBody(o, '00', '成功[0000000]');
    return deliver(o);
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const handle =
    (pick: (f: Record<string, string>) => UnionPayRoute | null) =>
    (req: Request, res: Response) => {
      const f: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(typeof req.body === 'string' ? req.body : '')) {
        f[k] = v;
      }
      const problem = checkRequest(f);
      const answer = (fields: Record<string, string>) =>
        res.type('application/x-www-form-urlencoded').send(signed({ ...echo(f), ...fields }));
      if (problem !== null) {
        answer({ respCode: '11', respMsg: problem });
        return;
      }
      const route = pick(f);
      if (route === null) {
        answer({ respCode: '30', respMsg: `交易类型 ${f.txnType}/${f.txnSubType} 不支持` });
        return;
      }
      const fault = faults[route].shift();
      if (fault?.httpStatus !== undefined) {
        res.status(fault.httpStatus).send('');
        return;
      }
      if (fault !== undefined) {
        answer({ respCode: '03', respMsg: '交易通讯超时，请发起查询交易' });
        return;
      }
      answer(route === 'order' ? qrOrder(f) : route === 'refund' ? refund(f) : query(f));
    };
  const text_ = express.text({ type: () => true });
  app.post(
    '/gateway/api/backTransReq.do',
    text_,
    handle((f) =>
      f.txnType === '01' && f.txnSubType === '07' ? 'order' : f.txnType === '04' ? 'refund' : null,
    ),
  );
  app.post(
    '/gateway/api/queryTrans.do',
    text_,
    handle((f) => (f.txnType === '00' ? 'query' : null)),
  );

  app.get('/pay/:id', (req, res) => {
    const o = orders.get(req.params.id);
    const title = !o ? '订单不存在' : o.state === 'waiting' ? '模拟银联付款' : `订单 ${o.state}`;
    const button =
      o?.state === 'waiting'
        ? `<form method="post" action="${encodeURIComponent(o.orderId)}/confirm"><button>确认付款 ¥${(o.amount / 100).toFixed(2)}</button></form>`
        : '';
    res
      .status(o ? 200 : 404)
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1>${button}`,
      );
  });
  app.post('/pay/:id/confirm', (req, res) => {
    const o = orders.get(req.params.id);
    if (o?.state !== 'waiting' || clock.now() > o.payTimeout) {
      res
        .status(410)
        .type('html')
        .send('<!doctype html><meta charset="utf-8"><h1>订单不可支付</h1>');
      return;
    }
    void payOrder(o).catch(() => undefined);
    res.type('html').send('<!doctype html><meta charset="utf-8"><h1>支付成功</h1>');
  });

  const url = await life.listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');

  const order = (orderId: string): OrderRecord => {
    const o = orders.get(orderId);
    if (!o) throw new Error(`no order ${orderId}`);
    return o;
  };
  const attempt = (fn: () => Promise<void>): Promise<void> => {
    try {
      return fn();
    } catch (err) {
      return Promise.reject(err);
    }
  };

  return {
    url,
    merId: MER_ID,
    signCertId,
    merchantPrivateKeyPem: keys.merchantPrivateKeyPem,
    rootCertPem: certs.rootCertPem,
    middleCertPem: certs.middleCertPem,
    signCertPem: certs.signCertPem,
    gatewayCertId: certs.signCertId,
    pay: (orderId) => attempt(() => payOrder(order(orderId))),
    decline: (orderId) =>
      attempt(() => {
        const o = order(orderId);
        if (o.state !== 'waiting') throw new Error(`order ${orderId} is ${o.state}`);
        o.state = 'failed';
        o.notification = notificationBody(o, '11', '交易失败，余额不足');
        return deliver(o);
      }),
    resend: (orderId) => attempt(() => deliver(order(orderId))),
    failNext(route, fault = {}) {
      faults[route].push(fault);
    },
    orders: () => [...orders.values()].map(({ notification: _n, ...o }) => ({ ...o })),
    deliveries: () => deliveries.map((d) => ({ ...d })),
    close: () => life.close(),
  };
}

export { makeUnionPayCertificates, UNIONPAY_COMPANY } from './unionpay-certificates';
export type { UnionPayCertificates, CertificateOptions } from './unionpay-certificates';
