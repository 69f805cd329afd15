// The client for UnionPay's full-channel gateway (银联全渠道), the `unionpay` channel: a QR order the
// payer pays with a UnionPay app or any bank's app (申码, txnType 01 / txnSubType 07), queries,
// refunds (txnType 04) and the signed back-notification posted to `backUrl`. Requests are
// form-encoded `k=v` pairs signed `signMethod=01`: RSA-SHA256 over the SHA-256 hex of the sorted
// `k=v&...` string, under the merchant's signing certificate named by `certId`. Answers and
// notifications are signed the same way by the gateway's signing certificate, which they carry
// (`signPubKeyCert`): it must chain to the configured intermediate and root
// (unionpay-certificate-check.ts) before its signature is checked, and both before anything is
// believed. It must never touch a database, and never return a notification whose signature did
// not verify.
import type { Clock } from '@roomhub/shared-types';
import { createHash, createPrivateKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ChannelError } from './charges';
import { UnionPayCertificateCheck } from './unionpay-certificate-check';
import type {
  ChargeNotification,
  ChargeRequest,
  ChargeStatus,
  ChargeTicket,
  RefundRequest,
  RefundResult,
} from './charges';

export interface UnionPayChannelOptions {
  /** The gateway's base URL; requests go to `<base>/gateway/api/backTransReq.do` and `queryTrans.do`. */
  gatewayUrl: string;
  /** 商户号. */
  merId: string;
  /** The merchant's signing certificate (签名证书): its id, sent as `certId`, and its private key. */
  signCertId: string;
  merchantPrivateKeyPem: string;
  /**
   * UnionPay's root (根证书, acp_root.cer) and intermediate (中级证书, acp_middle.cer), PEM: the
   * gateway's signing certificate in each answer must chain to them; anything else is refused.
   */
  gatewayRootCertPem: string;
  gatewayMiddleCertPem: string;
  /** The company the gateway's signing certificate names; UnionPay's by default. */
  gatewayCompany?: string;
  /** Base of the cashier page as the payer reaches it (the simulator's), when there is one. */
  cashierBaseUrl?: string;
  clock: Clock;
  timeoutMs?: number;
}

const VERSION = '5.1.0';
/** respCode / origRespCode: accepted or succeeded. `A6` is UnionPay's "succeeded in part". */
const OK = new Set(['00', 'A6']);
/** Still being processed: the outcome is unknown; ask again. */
const PROCESSING = new Set(['03', '04', '05']);

/** UnionPay's `signMethod=01` text: every field but `signature`, sorted, `k=v` joined by `&`. */
export function unionPaySigningText(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

export class UnionPayChannel {
  readonly method = 'unionpay' as const;
  private readonly gatewayUrl: string;
  private readonly cashierBaseUrl: string | null;
  private readonly merchantKey: KeyObject;
  private readonly gatewayCerts: UnionPayCertificateCheck;

  constructor(private readonly opts: UnionPayChannelOptions) {
    this.gatewayUrl = opts.gatewayUrl.replace(/\/+$/, '');
    this.cashierBaseUrl = opts.cashierBaseUrl?.replace(/\/+$/, '') ?? null;
    this.merchantKey = createPrivateKey(opts.merchantPrivateKeyPem);
    this.gatewayCerts = new UnionPayCertificateCheck(
      opts.gatewayRootCertPem,
      opts.gatewayMiddleCertPem,
      opts.clock,
      opts.gatewayCompany,
    );
  }

  /** A QR order (申码): the payer scans `qrPayload` with a UnionPay or bank app. */
  async createCharge(req: ChargeRequest): Promise<ChargeTicket> {
    const answer = await this.call('backTransReq.do', {
      txnType: '01',
      txnSubType: '07',
      bizType: '000000',
      channelType: '08',
      orderId: req.paymentId,
      txnTime: beijingCompact(this.opts.clock.now()),
      txnAmt: String(req.amount),
      currencyCode: '156',
      payTimeout: beijingCompact(req.expiresAt),
      backUrl: req.notifyUrl,
      orderDesc: Array.from(req.description).slice(0, 32).join(''),
    });
    this.accepted(answer, 'QR order');
    const qr = answer.qrCode;
    if (!qr)
      throw new ChannelError('gateway_unavailable', 'the QR order answered without a qrCode');
    return {
      payUrl: this.cashierBaseUrl
        ? `${this.cashierBaseUrl}/pay/${encodeURIComponent(req.paymentId)}`
        : qr,
      qrPayload: qr,
    };
  }

  /** What the gateway says of an order now; `txnTime` is the instant the order was sent. */
  async queryCharge(paymentId: string, txnTime: number): Promise<ChargeStatus> {
    const answer = await this.call('queryTrans.do', {
      txnType: '00',
      txnSubType: '00',
      bizType: '000000',
      orderId: paymentId,
      txnTime: beijingCompact(txnTime),
    });
    this.accepted(answer, 'order query');
    const orig = answer.origRespCode ?? '';
    const paid = OK.has(orig);
    const state: ChargeStatus['state'] = paid
      ? 'SUCCESS'
      : PROCESSING.has(orig)
        ? 'USERPAYING'
        : orig === ''
          ? 'NOTPAY'
          : 'PAYERROR';
    return {
      paymentId,
      state,
      channelTxnId: answer.queryId ?? null,
      amount: Number(answer.txnAmt ?? 0),
      paidAt: paid ? this.opts.clock.now() : null,
    };
  }

  /**
   * A refund (退货, txnType 04) of part or all of a paid order, named by the order's `queryId`
   * (the payment's channel transaction id). Accepted is not done: the refund is then queried, and
   * stays `pending` (asked again later, by the same id) until the gateway says it succeeded.
   */
  async refund(req: RefundRequest): Promise<RefundResult> {
    if (!req.channelTxnId) {
      throw new ChannelError(
        'gateway_rejected',
        `payment ${req.paymentId} has no UnionPay queryId to refund against`,
      );
    }
    const txnTime = this.opts.clock.now();
    const answer = await this.call('backTransReq.do', {
      txnType: '04',
      txnSubType: '00',
      bizType: '000000',
      channelType: '08',
      orderId: req.refundId,
      origQryId: req.channelTxnId,
      txnTime: beijingCompact(txnTime),
      txnAmt: String(req.amount),
      currencyCode: '156',
      backUrl: 'http://127.0.0.1/unused',
    });
    this.accepted(answer, 'refund');
    const done = await this.queryCharge(req.refundId, txnTime);
    if (done.state === 'SUCCESS')
      return { status: 'succeeded', channelRefundId: done.channelTxnId };
    if (done.state === 'PAYERROR') return { status: 'failed', channelRefundId: null };
    return { status: 'pending', channelRefundId: null };
  }

  /**
   * The back-notification (后台通知): a form post signed by the gateway. Whatever is wrong with
   * the signature or its certificate, the error says only "invalid signature".
   */
  verifyNotification(
    _headers: Record<string, string | undefined>,
    rawBody: string,
  ): ChargeNotification {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawBody)) fields[k] = v;
    if (!this.verified(fields) || fields.merId !== this.opts.merId) {
      throw new ChannelError('bad_signature', 'invalid signature');
    }
    const { orderId, queryId, txnAmt, respCode, txnType } = fields;
    const paid = respCode !== undefined && OK.has(respCode);
    if (txnType !== '01' || !orderId || !txnAmt || !/^\d{1,12}$/.test(txnAmt)) {
      throw new ChannelError(
        'bad_notification',
        `notification is not a consumption's result (txnType ${txnType ?? 'none'})`,
      );
    }
    if (paid && !queryId) {
      throw new ChannelError(
        'bad_notification',
        `notification of ${orderId} is paid without a queryId`,
      );
    }
    return {
      paymentId: orderId,
      channelTxnId: queryId ?? '',
      amount: Number(txnAmt),
      // The notification names no payment instant to the second: it is taken when it arrives.
      paidAt: this.opts.clock.now(),
      state: paid ? 'SUCCESS' : 'PAYERROR',
    };
  }

  private accepted(answer: Record<string, string>, what: string): void {
    const code = answer.respCode ?? '';
    if (OK.has(code)) return;
    const detail = `${what} answered ${code} ${answer.respMsg ?? ''}`.trim();
    // Processing, a system fault or a busy gateway leave the outcome unknown: retry by the same id.
    if (PROCESSING.has(code) || ['01', '02', '06', '96', '99'].includes(code) || code === '') {
      throw new ChannelError('gateway_unavailable', detail, code || undefined);
    }
    throw new ChannelError('gateway_rejected', detail, code);
  }

  private verified(fields: Record<string, string>): boolean {
    if (fields.signMethod !== '01') return false;
    const signer = this.gatewayCerts.signer(fields.signPubKeyCert);
    if (!signer || fields.certId !== signer.certId) return false;
    const signature = fields.signature;
    if (!signature) return false;
    try {
      return verify(
        'sha256',
        Buffer.from(sha256Hex(unionPaySigningText(fields)), 'utf8'),
        signer.key,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      return false;
    }
  }

  /** One signed request; its answer's signature verified before it is read. */
  private async call(
    endpoint: 'backTransReq.do' | 'queryTrans.do',
    fields: Record<string, string>,
  ): Promise<Record<string, string>> {
    const request: Record<string, string> = {
      version: VERSION,
      encoding: 'UTF-8',
      signMethod: '01',
      accessType: '0',
      merId: this.opts.merId,
      certId: this.opts.signCertId,
      ...fields,
    };
    request.signature = sign(
      'sha256',
      Buffer.from(sha256Hex(unionPaySigningText(request)), 'utf8'),
      this.merchantKey,
    ).toString('base64');
    const url = `${this.gatewayUrl}/gateway/api/${endpoint}`;
    let text: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: new URLSearchParams(request).toString(),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
    } catch (err) {
      throw new ChannelError(
        'gateway_unavailable',
        `${endpoint} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const answer: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(text)) answer[k] = v;
    if (!this.verified(answer)) throw new ChannelError('bad_signature', 'invalid signature');
    return answer;
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** UnionPay writes instants as Beijing wall time, `yyyyMMddHHmmss`. */
function beijingCompact(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
