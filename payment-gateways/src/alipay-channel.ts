// The client for Alipay's OpenAPI, the `alipay` channel: QR orders (当面付 precreate), payment
// codes at the counter (trade.pay), queries, closes, cancels and refunds, and the asynchronous
// notification. Signing (RSA2) and the checks of answers and notifications are the maintained
// Alipay SDK's (`alipay-sdk`); this file maps its shapes to ours. It must never touch a database,
// and never return a notification whose signature did not verify.
import { AlipaySdk } from 'alipay-sdk';
import { z } from 'zod';
import { ChannelError } from './charges';
import type {
  ChargeNotification,
  ChargeRequest,
  ChargeStatus,
  ChargeTicket,
  CloseResult,
  CodeChargeRequest,
  CodeChargeResult,
  RefundRequest,
  RefundResult,
  ReverseResult,
} from './charges';

export interface AlipayChannelOptions {
  /** Alipay's `gateway.do` URL (the simulator's, or Alipay's own). */
  gatewayUrl: string;
  appId: string;
  /** The app's RSA private key (PKCS#8 PEM): signs every request. */
  appPrivateKeyPem: string;
  /** Alipay's public key: verifies answers and notifications. */
  alipayPublicKeyPem: string;
  /** Base of the cashier page as the payer reaches it (the simulator's), when there is one. */
  cashierBaseUrl?: string;
  timeoutMs?: number;
}

const Notification = z.object({
  app_id: z.string().min(1),
  out_trade_no: z.string().min(1),
  trade_no: z.string().min(1),
  trade_status: z.enum(['TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED']),
  total_amount: z.string().regex(/^\d+(\.\d{1,2})?$/),
  gmt_payment: z.string().optional(),
  notify_time: z.string().min(1),
});

const Trade = z.object({
  out_trade_no: z.string().min(1),
  trade_no: z.string().min(1).optional(),
  trade_status: z
    .enum(['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED'])
    .optional(),
  total_amount: z.string().optional(),
  send_pay_date: z.string().optional(),
  gmt_payment: z.string().optional(),
});

interface Result {
  code: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  [k: string]: unknown;
}

export class AlipayChannel {
  readonly method = 'alipay' as const;
  private readonly sdk: AlipaySdk;
  private readonly appId: string;
  private readonly cashierBaseUrl: string | null;

  constructor(opts: AlipayChannelOptions) {
    this.appId = opts.appId;
    this.cashierBaseUrl = opts.cashierBaseUrl?.replace(/\/+$/, '') ?? null;
    this.sdk = new AlipaySdk({
      appId: opts.appId,
      // The SDK wants a PEM without a trailing newline.
      privateKey: opts.appPrivateKeyPem.trim(),
      keyType: 'PKCS8',
      alipayPublicKey: opts.alipayPublicKeyPem.trim(),
      signType: 'RSA2',
      gateway: opts.gatewayUrl,
      timeout: opts.timeoutMs ?? 10_000,
      camelcase: false,
    });
  }

  async createCharge(req: ChargeRequest): Promise<ChargeTicket> {
    const r = await this.call(
      'alipay.trade.precreate',
      {
        out_trade_no: req.paymentId,
        total_amount: yuan(req.amount),
        subject: Array.from(req.description).slice(0, 256).join(''),
        time_expire: beijing(req.expiresAt),
      },
      req.notifyUrl,
    );
    const qr = typeof r.qr_code === 'string' ? r.qr_code : '';
    if (!qr) throw new ChannelError('gateway_unavailable', 'precreate answered without a qr_code');
    return {
      payUrl: this.cashierBaseUrl
        ? `${this.cashierBaseUrl}/pay/${encodeURIComponent(req.paymentId)}`
        : qr,
      qrPayload: qr,
    };
  }

  /** Charges a payment code scanned at the counter (条码支付). Declined: `gateway_rejected`. */
  async chargeCode(req: CodeChargeRequest, notifyUrl?: string): Promise<CodeChargeResult> {
    const r = await this.call(
      'alipay.trade.pay',
      {
        out_trade_no: req.paymentId,
        scene: 'bar_code',
        auth_code: req.authCode,
        total_amount: yuan(req.amount),
        subject: Array.from(req.description).slice(0, 256).join(''),
      },
      notifyUrl,
      ['10003'],
    );
    const t = parse(Trade, r, 'trade.pay');
    if (r.code === '10003') {
      return {
        state: 'USERPAYING',
        channelTxnId: t.trade_no ?? null,
        amount: req.amount,
        paidAt: null,
      };
    }
    return {
      state: 'SUCCESS',
      channelTxnId: t.trade_no ?? null,
      amount: t.total_amount ? fen(t.total_amount) : req.amount,
      paidAt: parseBeijing(t.gmt_payment ?? t.send_pay_date),
    };
  }

  async queryCharge(paymentId: string): Promise<ChargeStatus> {
    const r = await this.call('alipay.trade.query', { out_trade_no: paymentId });
    const t = parse(Trade, r, 'trade.query');
    const state =
      t.trade_status === 'TRADE_SUCCESS' || t.trade_status === 'TRADE_FINISHED'
        ? 'SUCCESS'
        : t.trade_status === 'TRADE_CLOSED'
          ? 'CLOSED'
          : 'USERPAYING';
    return {
      paymentId: t.out_trade_no,
      state,
      channelTxnId: t.trade_no ?? null,
      amount: t.total_amount ? fen(t.total_amount) : 0,
      paidAt: state === 'SUCCESS' ? parseBeijing(t.send_pay_date ?? t.gmt_payment) : null,
    };
  }

  async closeCharge(paymentId: string): Promise<CloseResult> {
    try {
      await this.call('alipay.trade.close', { out_trade_no: paymentId });
      return 'closed';
    } catch (err) {
      if (err instanceof ChannelError && err.gatewayCode === 'ACQ.TRADE_STATUS_ERROR')
        return 'paid';
      throw err;
    }
  }

  /** Cancels (撤销) a charge whose outcome is unknown: closed if unpaid, given back if paid. */
  async reverseCharge(paymentId: string): Promise<ReverseResult> {
    const r = await this.call('alipay.trade.cancel', { out_trade_no: paymentId });
    return r.action === 'refund' ? 'refunded' : 'closed';
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const r = await this.call('alipay.trade.refund', {
      out_trade_no: req.paymentId,
      out_request_no: req.refundId,
      refund_amount: yuan(req.amount),
      refund_reason: req.reason.slice(0, 256),
    });
    return {
      status: 'succeeded',
      channelRefundId: typeof r.trade_no === 'string' ? `${r.trade_no}:${req.refundId}` : null,
    };
  }

  /** The notification is a form post; anything unsigned, or for another app, is refused alike. */
  verifyNotification(
    _headers: Record<string, string | undefined>,
    rawBody: string,
  ): ChargeNotification {
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
    let valid = false;
    try {
      // V2: the values as they were posted, not decoded a second time.
      valid = this.sdk.checkNotifySignV2(params);
    } catch {
      valid = false;
    }
    if (!valid || params.app_id !== this.appId) {
      throw new ChannelError('bad_signature', 'invalid signature');
    }
    const n = Notification.safeParse(params);
    if (!n.success) {
      throw new ChannelError(
        'bad_notification',
        `notification unreadable: ${z.prettifyError(n.error)}`,
      );
    }
    const paid = n.data.trade_status !== 'TRADE_CLOSED';
    const paidAt = parseBeijing(paid ? n.data.gmt_payment : n.data.notify_time);
    if (paidAt === null) {
      throw new ChannelError('bad_notification', 'notification has no usable time');
    }
    return {
      paymentId: n.data.out_trade_no,
      channelTxnId: n.data.trade_no,
      amount: fen(n.data.total_amount),
      paidAt,
      state: paid ? 'SUCCESS' : 'CLOSED',
    };
  }

  /**
   * One signed call, its answer's signature checked by the SDK. `10000` is success; `20000` and
   * anything unreadable leave the outcome unknown (retry with the same id); `40004` is a refusal.
   */
  private async call(
    method: string,
    bizContent: Record<string, unknown>,
    notifyUrl?: string,
    alsoOk: string[] = [],
  ): Promise<Result> {
    let r: Result;
    try {
      r = (await this.sdk.exec(
        method,
        { bizContent, ...(notifyUrl ? { notify_url: notifyUrl } : {}) },
        { validateSign: true },
      )) as unknown as Result;
    } catch (err) {
      throw new ChannelError(
        'gateway_unavailable',
        `${method} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (r.code === '10000' || alsoOk.includes(r.code)) return r;
    const detail =
      `${method} answered ${r.code} ${r.sub_code ?? ''} ${r.sub_msg ?? r.msg ?? ''}`.trim();
    if (r.code === '40004' || r.code === '40002') {
      throw new ChannelError('gateway_rejected', detail, r.sub_code);
    }
    throw new ChannelError('gateway_unavailable', detail, r.sub_code);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ChannelError(
      'gateway_unavailable',
      `${what} answer unreadable: ${z.prettifyError(r.error)}`,
    );
  }
  return r.data;
}

function yuan(fenAmount: number): string {
  return `${Math.floor(fenAmount / 100)}.${String(fenAmount % 100).padStart(2, '0')}`;
}

function fen(yuanText: string): number {
  const [whole = '0', part = ''] = yuanText.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/** Alipay writes Beijing wall time, `yyyy-MM-dd HH:mm:ss`. */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function parseBeijing(text: string | undefined): number | null {
  if (!text || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) return null;
  const ms = Date.parse(`${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(ms) ? null : ms;
}
