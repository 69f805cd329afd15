// The client for WeChat Pay API v3, the `wechat` channel of the hub and of the cloud (today
// pointed at the local simulator, which speaks the same protocol). It owns request signing and
// notification verification; it must never touch a database, and never return a notification it
// could not verify and decrypt.
import type { Clock } from '@roomhub/shared-types';
import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
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

/** What the merchant holds to sign its API requests (WeChat's 商户API证书 private key). */
export interface MerchantCredentials {
  mchid: string;
  appid: string;
  /** Serial number of the merchant API certificate the private key belongs to. */
  serialNo: string;
  privateKeyPem: string;
}

export interface WechatPayChannelOptions {
  gatewayUrl: string;
  /** The gateway's platform public key: verifies notifications and API answers. */
  platformPublicKeyPem: string;
  /** When set, anything signed under another platform serial is refused. */
  platformSerial?: string;
  /** The 32-byte API v3 key that notifications are encrypted with. */
  apiV3Key: string;
  merchant: MerchantCredentials;
  /** Base of the cashier page as the payer's phone reaches it, when not `gatewayUrl`. */
  publicBaseUrl?: string;
  clock: Clock;
  timeoutMs?: number;
}

/** WeChat Pay refuses signatures older or newer than this; it is what makes a replay useless. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

const DESCRIPTION_MAX_CHARS = 127;
const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

const NotificationEnvelope = z.object({
  id: z.string().min(1),
  create_time: z.string().min(1),
  event_type: z.string().min(1),
  resource_type: z.literal('encrypt-resource'),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.base64(),
    associated_data: z.string().optional(),
    nonce: z.string().length(12),
  }),
});

const TransactionResource = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_state: z.enum(['SUCCESS', 'CLOSED', 'PAYERROR']),
  success_time: z.iso.datetime({ offset: true }).optional(),
  amount: z.object({
    total: z.number().int().nonnegative(),
    payer_total: z.number().int().nonnegative().optional(),
    currency: z.literal('CNY'),
  }),
});

const NativeAnswer = z.object({ code_url: z.string().min(1) });

const TransactionAnswer = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1).optional(),
  trade_state: z.enum([
    'SUCCESS',
    'REFUND',
    'NOTPAY',
    'CLOSED',
    'REVOKED',
    'USERPAYING',
    'PAYERROR',
  ]),
  success_time: z.iso.datetime({ offset: true }).optional(),
  amount: z
    .object({ total: z.number().int().nonnegative(), currency: z.literal('CNY') })
    .optional(),
});

const RefundAnswer = z.object({
  refund_id: z.string().min(1),
  out_refund_no: z.string().min(1),
  status: z.enum(['SUCCESS', 'PROCESSING', 'CLOSED', 'ABNORMAL']),
});

/** The codepay answer: a transaction when paid at once, `USERPAYING` (202) while the payer confirms. */
const CodepayAnswer = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  trade_state: z.literal('SUCCESS'),
  success_time: z.iso.datetime({ offset: true }),
  amount: z.object({ total: z.number().int().nonnegative(), currency: z.literal('CNY') }),
});

const ErrorAnswer = z.object({ code: z.string(), message: z.string() });

export class WechatPayChannel {
  readonly method = 'wechat' as const;

  private readonly gatewayUrl: string;
  private readonly payBaseUrl: string;
  private readonly platformKey: KeyObject;
  private readonly platformSerial: string | undefined;
  private readonly apiV3Key: Buffer;
  private readonly merchant: MerchantCredentials;
  private readonly merchantKey: KeyObject;
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(opts: WechatPayChannelOptions) {
    this.apiV3Key = Buffer.from(opts.apiV3Key, 'utf8');
    if (this.apiV3Key.length !== 32) {
      throw new Error(`the API v3 key must be 32 bytes, got ${this.apiV3Key.length}`);
    }
    this.gatewayUrl = opts.gatewayUrl.replace(/\/+$/, '');
    this.payBaseUrl = (opts.publicBaseUrl ?? opts.gatewayUrl).replace(/\/+$/, '');
    this.platformKey = createPublicKey(opts.platformPublicKeyPem);
    this.platformSerial = opts.platformSerial;
    this.merchant = opts.merchant;
    this.merchantKey = createPrivateKey(opts.merchant.privateKeyPem);
    this.clock = opts.clock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async createCharge(req: ChargeRequest): Promise<ChargeTicket> {
    const answer = await this.call('POST', '/v3/pay/transactions/native', {
      appid: this.merchant.appid,
      mchid: this.merchant.mchid,
      // The gateway refuses longer descriptions; a truncated one is better than no payment.
      description: Array.from(req.description).slice(0, DESCRIPTION_MAX_CHARS).join(''),
      out_trade_no: req.paymentId,
      time_expire: rfc3339Beijing(req.expiresAt),
      notify_url: req.notifyUrl,
      amount: { total: req.amount, currency: 'CNY' },
    });
    const { code_url } = parseAnswer(NativeAnswer, answer, 'native order');
    return {
      payUrl: `${this.payBaseUrl}/pay/${encodeURIComponent(req.paymentId)}`,
      qrPayload: code_url,
    };
  }

  /** What the gateway says of a charge now: the answer to a notification that never came. */
  async queryCharge(paymentId: string): Promise<ChargeStatus> {
    const answer = await this.call(
      'GET',
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentId)}` +
        `?mchid=${encodeURIComponent(this.merchant.mchid)}`,
    );
    const tx = parseAnswer(TransactionAnswer, answer, 'order query');
    const paid = tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND';
    if (paid && (tx.transaction_id === undefined || tx.success_time === undefined)) {
      throw new ChannelError(
        'gateway_unavailable',
        `order query of ${paymentId} says ${tx.trade_state} without a transaction or its time`,
      );
    }
    return {
      paymentId: tx.out_trade_no,
      state: tx.trade_state,
      channelTxnId: tx.transaction_id ?? null,
      amount: tx.amount?.total ?? 0,
      paidAt: paid && tx.success_time !== undefined ? Date.parse(tx.success_time) : null,
    };
  }

  /**
   * Closes a charge nobody paid, so it can no longer be paid; closing a closed one is a no-op.
   * A charge found paid cannot be closed: `paid` says so, and its money must be refunded instead.
   */
  async closeCharge(paymentId: string): Promise<CloseResult> {
    try {
      await this.call(
        'POST',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentId)}/close`,
        { mchid: this.merchant.mchid },
      );
      return 'closed';
    } catch (err) {
      if (err instanceof ChannelError && err.gatewayCode === 'ORDERPAID') return 'paid';
      throw err;
    }
  }

  /**
   * Charges a payment code scanned at the counter (付款码支付, API v3 `codepay`). Paid at once, or
   * `USERPAYING` (the gateway's 202: the payer must confirm on their phone; query, then reverse).
   * A decline (balance, an expired code) is `gateway_rejected` with WeChat's code; a lost answer or
   * a 5xx is `gateway_unavailable`: the outcome is unknown and must be queried, never assumed.
   */
  async chargeCode(req: CodeChargeRequest): Promise<CodeChargeResult> {
    const { status, body } = await this.send('POST', '/v3/pay/transactions/codepay', {
      appid: this.merchant.appid,
      mchid: this.merchant.mchid,
      description: Array.from(req.description).slice(0, DESCRIPTION_MAX_CHARS).join(''),
      out_trade_no: req.paymentId,
      payer: { auth_code: req.authCode },
      amount: { total: req.amount, currency: 'CNY' },
      scene_info: { store_info: { out_id: 'store' }, device_ip: '127.0.0.1' },
    });
    if (status === 202) {
      return { state: 'USERPAYING', channelTxnId: null, amount: req.amount, paidAt: null };
    }
    const tx = parseAnswer(CodepayAnswer, body, 'codepay');
    return {
      state: 'SUCCESS',
      channelTxnId: tx.transaction_id,
      amount: tx.amount.total,
      paidAt: Date.parse(tx.success_time),
    };
  }

  /**
   * Reverses (撤销) a code charge whose outcome stayed unknown: WeChat closes it if unpaid and gives
   * the money back if it was paid; either way the merchant keeps nothing. An order the gateway never
   * saw is as good as closed.
   */
  async reverseCharge(paymentId: string): Promise<ReverseResult> {
    const before = await this.queryCharge(paymentId).catch((err: unknown) => {
      if (err instanceof ChannelError && err.gatewayCode === 'ORDER_NOT_EXIST') return null;
      throw err;
    });
    if (before === null) return 'closed';
    try {
      await this.call(
        'POST',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(paymentId)}/reverse`,
        { appid: this.merchant.appid, mchid: this.merchant.mchid },
      );
    } catch (err) {
      if (err instanceof ChannelError && err.gatewayCode === 'ORDER_NOT_EXIST') return 'closed';
      throw err;
    }
    return before.state === 'SUCCESS' || before.state === 'REFUND' ? 'refunded' : 'closed';
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: req.paymentId,
      out_refund_no: req.refundId,
      reason: req.reason,
      amount: { refund: req.amount, total: req.paymentTotal, currency: 'CNY' },
    });
    const refund = parseAnswer(RefundAnswer, answer, 'refund');
    const status =
      refund.status === 'SUCCESS'
        ? 'succeeded'
        : refund.status === 'PROCESSING'
          ? 'pending'
          : 'failed';
    return { status, channelRefundId: refund.refund_id };
  }

  verifyNotification(
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): ChargeNotification {
    this.verifySignature(headers, rawBody);

    let envelope: z.infer<typeof NotificationEnvelope>;
    try {
      envelope = NotificationEnvelope.parse(JSON.parse(rawBody));
    } catch (err) {
      throw new ChannelError(
        'bad_notification',
        `notification envelope unreadable: ${describe(err)}`,
      );
    }

    let plaintext: string;
    try {
      const sealed = Buffer.from(envelope.resource.ciphertext, 'base64');
      if (sealed.length <= 16) throw new Error('ciphertext shorter than its tag');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.apiV3Key,
        Buffer.from(envelope.resource.nonce, 'utf8'),
      );
      decipher.setAAD(Buffer.from(envelope.resource.associated_data ?? '', 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      plaintext = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch (err) {
      // The signature already passed, so this is a wrong API v3 key rather than tampering.
      throw new ChannelError(
        'bad_notification',
        `notification ${envelope.id} cannot be decrypted (is the API v3 key right?): ${describe(err)}`,
      );
    }

    let resource: z.infer<typeof TransactionResource>;
    try {
      resource = TransactionResource.parse(JSON.parse(plaintext));
    } catch (err) {
      throw new ChannelError(
        'bad_notification',
        `notification ${envelope.id} (${envelope.event_type}) is not a transaction: ${describe(err)}`,
      );
    }
    if (resource.trade_state === 'SUCCESS' && resource.success_time === undefined) {
      throw new ChannelError(
        'bad_notification',
        `notification ${envelope.id} reports success without a success_time`,
      );
    }
    const paidAt = Date.parse(resource.success_time ?? envelope.create_time);
    if (Number.isNaN(paidAt)) {
      throw new ChannelError('bad_notification', `notification ${envelope.id} has no usable time`);
    }
    return {
      paymentId: resource.out_trade_no,
      channelTxnId: resource.transaction_id,
      // The merchant is settled the order total; payer_total is lower when a platform coupon paid
      // part of it, and refunds are stated against the total.
      amount: resource.amount.total,
      paidAt,
      state: resource.trade_state,
    };
  }

  /**
   * WeChat signs notifications and API answers alike: `timestamp\nnonce\nbody\n`. Whatever is
   * wrong (missing headers, another serial, a stale time, a bad signature), the error says only
   * "invalid signature": a forger learns nothing, not even which key we expect.
   */
  private verifySignature(headers: Record<string, string | undefined>, body: string): void {
    const invalid = () => new ChannelError('bad_signature', 'invalid signature');
    const timestamp = headers['wechatpay-timestamp'];
    const nonce = headers['wechatpay-nonce'];
    const signature = headers['wechatpay-signature'];
    const serial = headers['wechatpay-serial'];
    if (!timestamp || !nonce || !signature || !serial) throw invalid();
    if (this.platformSerial !== undefined && serial !== this.platformSerial) throw invalid();
    // Older or newer than the tolerance: a replay.
    const signedAt = Number(timestamp) * 1000;
    if (
      !/^\d+$/.test(timestamp) ||
      Math.abs(this.clock.now() - signedAt) > SIGNATURE_TOLERANCE_MS
    ) {
      throw invalid();
    }
    let valid = false;
    try {
      valid = verify(
        'sha256',
        Buffer.from(`${timestamp}\n${nonce}\n${body}\n`, 'utf8'),
        this.platformKey,
        Buffer.from(signature, 'base64'),
      );
    } catch {
      valid = false;
    }
    if (!valid) throw invalid();
  }

  /** A signed request; its answer verified. A GET has no body, and signs an empty one. */
  private async call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<unknown> {
    return (await this.send(method, path, payload)).body;
  }

  /** `call`, with the answer's HTTP status (codepay tells USERPAYING by a 202). */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    payload?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const url = `${this.gatewayUrl}${path}`;
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timestamp = String(Math.floor(this.clock.now() / 1000));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    // The path as the gateway sees it, with its query string: that is what WeChat Pay signs.
    const { pathname, search } = new URL(url);
    const signature = sign(
      'sha256',
      Buffer.from(`${method}\n${pathname}${search}\n${timestamp}\n${nonce}\n${body}\n`, 'utf8'),
      this.merchantKey,
    ).toString('base64');
    const authorization =
      `${AUTH_SCHEME} mchid="${this.merchant.mchid}",nonce_str="${nonce}",` +
      `signature="${signature}",timestamp="${timestamp}",serial_no="${this.merchant.serialNo}"`;

    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          accept: 'application/json',
          authorization,
        },
        ...(method === 'POST' ? { body } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new ChannelError('gateway_unavailable', `${method} ${url} failed: ${describe(err)}`);
    }

    if (!res.ok) {
      const error = ErrorAnswer.safeParse(safeJson(text));
      const detail = error.success
        ? `${error.data.code}: ${error.data.message}`
        : text.slice(0, 200);
      // Throttling and server faults leave the outcome unknown; retrying with the same id is safe.
      // 401 is WeChat's SIGN_ERROR, most often a clock that drifted: retrying with a fresh
      // signature is safe because every call carries our idempotent id.
      const retryable =
        res.status >= 500 || res.status === 429 || res.status === 408 || res.status === 401;
      throw new ChannelError(
        retryable ? 'gateway_unavailable' : 'gateway_rejected',
        `${method} ${path} answered ${res.status} ${detail}`,
        error.success ? error.data.code : undefined,
      );
    }

    const headers: Record<string, string | undefined> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    this.verifySignature(headers, text);
    return { status: res.status, body: safeJson(text) };
  }
}

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    // A signed but unreadable answer leaves the outcome unknown, like a lost one.
    throw new ChannelError(
      'gateway_unavailable',
      `${what} answer unreadable: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  if (err instanceof z.ZodError) return z.prettifyError(err);
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

/** WeChat Pay writes instants in RFC 3339 at Beijing time, to the second. */
function rfc3339Beijing(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
