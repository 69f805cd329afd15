// Douyin life-service (抖音来客) group-buy vouchers, as our app calls them for a shop that authorised
// us: the app's client_token (every call carries it as `access-token`), certificate prepare (a
// typed code, or the object_id of the voucher's QR link) -> verify with the prepare's
// verify_token (the platform's own idempotency: the same verify_token again never verifies
// twice) -> cancel inside the hour; the verify records for reconciliation. The merchant's OAuth
// grant names the shop (its account_id and poi_id) and is refreshed like any token. The error
// codes are a table in the configuration: the undo window's 3000001 is the platform's; the others
// are what the local simulator answers, to be checked against the platform's list before going
// live. Knows nothing of stores, hubs or records.
import { z } from 'zod';
import type { Clock, PlatformVoucherErrorCode } from '@roomhub/shared-types';
import { callPlatform } from './platform-http';
import {
  maskCode,
  platformError,
  type ConsumeAttempt,
  type ConsumeRequest,
  type ConsumedAtPlatform,
  type ListedAtPlatform,
  type PlatformGrant,
  type PlatformShop,
  type PreparedAtPlatform,
  type VoucherPlatformAdapter,
} from './voucher-platform';

export interface DouyinConfig {
  /** The OpenAPI host, e.g. https://open.douyin.com. */
  apiUrl: string;
  /** The page where a merchant authorises our app. */
  authUrl: string;
  clientKey: string;
  clientSecret: string;
  undoWindowMs?: number;
  timeoutMs?: number;
  errorCodes?: Record<string, PlatformVoucherErrorCode>;
  clock: Clock;
}

export const DOUYIN_ERROR_CODES: Record<string, PlatformVoucherErrorCode> = {
  '2100004': 'platform_not_authorised',
  '1201': 'voucher_not_found',
  '1203': 'voucher_expired',
  '1205': 'voucher_other_shop',
  '1208': 'voucher_used',
  '1210': 'voucher_not_prepared',
  '3000001': 'undo_window_passed',
};
/** The app's client token ran out or is not one the platform issued. */
const TOKEN_REFUSED = new Set(['2190002', '2190008']);
/** Cancel of a verification already cancelled: the undo is done. */
const ALREADY_CANCELLED = '3000002';
/** A verify result that says the certificate was verified already (by the first of two tries). */
const ALREADY_VERIFIED = new Set([1208, 2]);

const Id = z.union([z.string(), z.number()]).transform(String);
const Envelope = z.object({
  data: z.looseObject({
    error_code: z.number().optional(),
    description: z.string().optional(),
  }),
  extra: z
    .object({ error_code: z.number(), description: z.string().optional() })
    .partial()
    .optional(),
});
const Amount = z
  .object({
    original_amount: z.number(),
    pay_amount: z.number(),
    coupon_pay_amount: z.number(),
    list_market_amount: z.number(),
  })
  .partial();
const Sku = z.object({ sku_id: Id, title: z.string(), market_price: z.number().optional() });
const Prepared = z.object({
  verify_token: z.string().min(1),
  order_id: Id.optional(),
  certificates: z.array(
    z.object({
      encrypted_code: z.string().min(1),
      expire_time: z.number().optional(),
      amount: Amount.optional(),
      sku: Sku,
    }),
  ),
});
const Verified = z.object({
  verify_results: z.array(
    z.object({
      result: z.number(),
      msg: z.string().optional(),
      verify_id: Id.optional(),
      certificate_id: Id.optional(),
      origin_code: z.string().optional(),
      verify_time: z.number().optional(),
    }),
  ),
});
const Certificate = z.object({
  certificate: z.object({
    certificate_id: Id,
    status: z.number(),
    verify: z.object({ verify_id: Id, verify_time: z.number() }).optional(),
  }),
});
const Records = z.object({
  records: z.array(
    z.object({
      verify_id: Id,
      certificate_id: Id,
      order_id: Id.optional(),
      origin_code: z.string().optional(),
      verify_time: z.number(),
      /** 1 verified, 2 cancelled. */
      status: z.number(),
      amount: Amount.optional(),
      sku: Sku,
      cursor: z.string().optional(),
    }),
  ),
  total: z.number().optional(),
});
const ClientToken = z.object({ access_token: z.string().min(1), expires_in: z.number() });
const MerchantToken = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().min(1),
  refresh_expires_in: z.number().optional(),
  account_id: Id.optional(),
  poi_id: Id.optional(),
  poi_name: z.string().optional(),
});

export class DouyinAdapter implements VoucherPlatformAdapter {
  readonly platform = 'douyin' as const;
  readonly undoWindowMs: number;
  private readonly timeoutMs: number;
  private readonly errorCodes: Record<string, PlatformVoucherErrorCode>;
  private clientToken: { token: string; until: number } | undefined;
  private clientTokenAsked: Promise<string> | undefined;

  constructor(private readonly c: DouyinConfig) {
    this.undoWindowMs = c.undoWindowMs ?? 60 * 60_000;
    this.timeoutMs = c.timeoutMs ?? 8_000;
    this.errorCodes = c.errorCodes ?? DOUYIN_ERROR_CODES;
  }

  authoriseUrl(state: string, callbackUrl: string): string {
    const q = new URLSearchParams({
      client_key: this.c.clientKey,
      response_type: 'code',
      scope: 'life.capacity.fulfilment',
      redirect_uri: callbackUrl,
      state,
    });
    return `${this.c.authUrl}?${q}`;
  }

  async grant(code: string): Promise<PlatformGrant> {
    const data = await this.call('POST', '/oauth/access_token/', {
      client_key: this.c.clientKey,
      client_secret: this.c.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    return this.grantOf(data);
  }

  async refresh(grant: PlatformGrant): Promise<PlatformGrant> {
    if (!grant.refreshToken) throw platformError('douyin', 'platform_not_authorised');
    const data = await this.call('POST', '/oauth/refresh_token/', {
      client_key: this.c.clientKey,
      refresh_token: grant.refreshToken,
      grant_type: 'refresh_token',
    });
    return this.grantOf(data, grant);
  }

  async prepare(shop: PlatformShop, code: string): Promise<PreparedAtPlatform> {
    const typed = /^\d+$/.test(code);
    const query = new URLSearchParams({ poi_id: shop.shopId });
    if (typed) query.set('code', code);
    else query.set('encrypted_data', await this.objectIdOf(code));
    const data = this.read(
      Prepared,
      await this.business('GET', `/goodlife/v1/fulfilment/certificate/prepare/?${query}`),
    );
    const first = data.certificates[0];
    // No certificate left on the order: every one was used (or refunded) already.
    if (!first) throw platformError('douyin', 'voucher_used');
    const voucher = {
      maskedCode: maskCode(typed ? code : (data.order_id ?? first.encrypted_code)),
      platformDealId: first.sku.sku_id,
      title: first.sku.title,
      faceValue: first.amount?.list_market_amount ?? first.sku.market_price ?? 0,
      settleAmount: first.amount?.coupon_pay_amount ?? first.amount?.pay_amount ?? 0,
    };
    return {
      ...voucher,
      // A QR names an order of certificates, a typed code one of them: no one code for both.
      voucherCode: null,
      available: data.certificates.length,
      validUntil: first.expire_time ? first.expire_time * 1000 : null,
      attempt: {
        verifyToken: data.verify_token,
        encryptedCodes: JSON.stringify(data.certificates.map((c) => c.encrypted_code)),
        maskedCode: voucher.maskedCode,
        skuId: voucher.platformDealId,
        title: voucher.title,
        faceValue: String(voucher.faceValue),
        settleAmount: String(voucher.settleAmount),
      },
    };
  }

  async consume(
    shop: PlatformShop,
    attempt: ConsumeAttempt,
    request: ConsumeRequest,
  ): Promise<ConsumedAtPlatform> {
    const codes = (JSON.parse(attempt.encryptedCodes!) as string[]).slice(0, request.count);
    if (codes.length < request.count) throw platformError('douyin', 'voucher_used');
    const data = this.read(
      Verified,
      await this.business('POST', '/goodlife/v1/fulfilment/certificate/verify/', {
        verify_token: attempt.verifyToken,
        poi_id: shop.shopId,
        encrypted_codes: codes,
      }),
    );
    let results = data.verify_results;
    const retried = request.retryOf !== undefined;
    const refused = results.find(
      (r) => r.result !== 0 && !(retried && ALREADY_VERIFIED.has(r.result)),
    );
    if (refused) throw this.refusal(String(refused.result), refused.msg ?? '');
    if (results.some((r) => r.result !== 0)) {
      // Asked again, the platform may answer "verified already": it is ours if it was verified
      // after our first try began (another counter's verification came before it).
      results = await Promise.all(codes.map((code) => this.verificationOf(code)));
      const since = Math.floor(request.retryOf! / 1000) - 1;
      if (results.some((r) => (r.verify_time ?? 0) < since))
        throw platformError('douyin', 'voucher_used');
    }
    const first = results[0]!;
    const consumedAt = first.verify_time ? first.verify_time * 1000 : this.c.clock.now();
    return {
      maskedCode: first.origin_code ? maskCode(first.origin_code) : attempt.maskedCode!,
      platformDealId: attempt.skuId!,
      title: attempt.title!,
      faceValue: Number(attempt.faceValue),
      settleAmount: Number(attempt.settleAmount),
      consumptionId: first.verify_id!,
      count: results.length,
      consumedAt,
      undo: {
        verifications: JSON.stringify(results.map((r) => [r.verify_id, r.certificate_id])),
      },
    };
  }

  async undo(shop: PlatformShop, consumption: ConsumedAtPlatform): Promise<void> {
    const pairs = JSON.parse(consumption.undo.verifications!) as [string, string][];
    for (const [verifyId, certificateId] of pairs) {
      try {
        await this.business('POST', '/goodlife/v1/fulfilment/certificate/cancel/', {
          verify_id: verifyId,
          certificate_id: certificateId,
          ...(shop.accountId ? { account_id: shop.accountId } : {}),
        });
      } catch (e) {
        if (
          (e as { params?: { platformCode?: string } }).params?.platformCode !== ALREADY_CANCELLED
        )
          throw e;
      }
    }
  }

  async consumptions(
    shop: PlatformShop,
    fromMs: number,
    toMs: number,
  ): Promise<ListedAtPlatform[]> {
    const records: z.infer<typeof Records>['records'] = [];
    for (let cursor = ''; ;) {
      const query = new URLSearchParams({
        account_id: shop.accountId ?? '',
        poi_ids: shop.shopId,
        start_time: String(Math.floor(fromMs / 1000)),
        end_time: String(Math.ceil(toMs / 1000)),
        size: '50',
        ...(cursor ? { cursor } : {}),
      });
      const page = this.read(
        Records,
        await this.business(
          'GET',
          `/goodlife/v1/fulfilment/certificate/verify_record/query/?${query}`,
        ),
      );
      records.push(...page.records);
      const next = page.records.at(-1)?.cursor;
      if (page.records.length < 50 || !next) break;
      cursor = next;
    }
    // Certificates verified by one call share their order and time: one consumption of `count`.
    const calls = new Map<string, typeof records>();
    for (const r of records) {
      const at = r.verify_time * 1000;
      if (at < fromMs || at >= toMs) continue;
      const key = `${r.order_id ?? r.verify_id}|${r.verify_time}`;
      calls.set(key, [...(calls.get(key) ?? []), r]);
    }
    return [...calls.values()].map((rs) => {
      const first = rs[0]!;
      return {
        maskedCode: maskCode(first.origin_code ?? first.certificate_id),
        platformDealId: first.sku.sku_id,
        title: first.sku.title,
        faceValue: first.amount?.list_market_amount ?? first.sku.market_price ?? 0,
        settleAmount: first.amount?.coupon_pay_amount ?? first.amount?.pay_amount ?? 0,
        consumptionId: first.verify_id,
        count: rs.length,
        consumedAt: first.verify_time * 1000,
        undo: { verifications: JSON.stringify(rs.map((r) => [r.verify_id, r.certificate_id])) },
        undone: rs.every((r) => r.status === 2),
      };
    });
  }

  /** How the platform recorded a certificate's verification, for a verify told twice. */
  private async verificationOf(encryptedCode: string) {
    const query = new URLSearchParams({ encrypted_code: encryptedCode });
    const { certificate } = this.read(
      Certificate,
      await this.business('GET', `/goodlife/v1/fulfilment/certificate/get/?${query}`),
    );
    if (!certificate.verify) throw platformError('douyin', 'platform_unavailable');
    return {
      result: 0,
      verify_id: certificate.verify.verify_id,
      certificate_id: certificate.certificate_id,
      verify_time: certificate.verify.verify_time,
      origin_code: undefined as string | undefined,
    };
  }

  /** The object_id a voucher's QR names: in its long link, or behind its short one. */
  private async objectIdOf(text: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return text;
    }
    const direct = url.searchParams.get('object_id');
    if (direct) return direct;
    let location: string | null = null;
    try {
      const res = await fetch(url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      location = res.headers.get('location');
    } catch {
      throw platformError('douyin', 'platform_unavailable');
    }
    const objectId = location ? new URL(location, url).searchParams.get('object_id') : null;
    if (!objectId) throw platformError('douyin', 'voucher_not_found');
    return objectId;
  }

  private grantOf(data: unknown, before?: PlatformGrant): PlatformGrant {
    const t = this.read(MerchantToken, data);
    const now = this.c.clock.now();
    const shopId = t.poi_id ?? before?.shopId;
    if (!shopId) throw platformError('douyin', 'platform_not_authorised');
    const accountId = t.account_id ?? before?.accountId;
    return {
      shopId,
      shopName: t.poi_name ?? before?.shopName ?? shopId,
      ...(accountId ? { accountId } : {}),
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: now + t.expires_in * 1000,
      refreshExpiresAt:
        t.refresh_expires_in !== undefined ? now + t.refresh_expires_in * 1000 : null,
    };
  }

  /** The app's client token, asked for again 5 minutes before it runs out (it lasts 2 hours). */
  private token(): Promise<string> {
    const now = this.c.clock.now();
    if (this.clientToken && this.clientToken.until > now)
      return Promise.resolve(this.clientToken.token);
    this.clientTokenAsked ??= (async () => {
      try {
        const data = this.read(
          ClientToken,
          await this.call('POST', '/oauth/client_token/', {
            client_key: this.c.clientKey,
            client_secret: this.c.clientSecret,
            grant_type: 'client_credential',
          }),
        );
        const until = this.c.clock.now() + Math.max(0, data.expires_in - 300) * 1000;
        this.clientToken = { token: data.access_token, until };
        return data.access_token;
      } finally {
        this.clientTokenAsked = undefined;
      }
    })();
    return this.clientTokenAsked;
  }

  /** A life-service call with the client token; a token the platform refuses is asked again once. */
  private async business(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    try {
      return await this.call(method, path, body, await this.token());
    } catch (e) {
      const code = (e as { params?: { platformCode?: string } }).params?.platformCode;
      if (!code || !TOKEN_REFUSED.has(code)) throw e;
      this.clientToken = undefined;
      return this.call(method, path, body, await this.token());
    }
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    accessToken?: string,
  ): Promise<unknown> {
    const json = await callPlatform(
      'douyin',
      `${this.c.apiUrl}${path}`,
      {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(accessToken ? { 'access-token': accessToken } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
      this.timeoutMs,
    );
    const answer = this.read(Envelope, json);
    const code = answer.extra?.error_code || answer.data.error_code || 0;
    if (code !== 0) {
      throw this.refusal(String(code), answer.extra?.description || answer.data.description || '');
    }
    return answer.data;
  }

  private refusal(code: string, message: string) {
    return platformError('douyin', this.errorCodes[code] ?? 'platform_refused', {
      platformCode: code,
      platformMessage: message,
    });
  }

  private read<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
    const r = schema.safeParse(value);
    if (!r.success) throw platformError('douyin', 'platform_unavailable');
    return r.data;
  }
}
