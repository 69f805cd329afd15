// Meituan / Dianping group-buy vouchers (服务零售 团购核销, developer.meituan.com), as our app calls
// them for a shop that authorised us: receipt prepare (typed code) or scan-prepare (the QR's
// text) -> consume with a request id (the platform answers the same request id with the same
// consumption) -> reverse-consume inside the undo window; the day's receipts for reconciliation.
// Every call is a signed form POST (meituan-signing.ts) naming the shop by its appAuthToken, which
// the owner's OAuth grant gave us (general/auth -> /oauth/token, refreshed by /oauth/refresh).
// The business error codes are a table in the configuration; the ones below are what the local
// simulator answers, to be checked against the platform's own list before going live. Knows
// nothing of stores, hubs or records.
import { z } from 'zod';
import {
  localDateOf,
  nextLocalDate,
  type Clock,
  type PlatformVoucherErrorCode,
} from '@roomhub/shared-types';
import { callPlatform } from './platform-http';
import { meituanSign, type MeituanParams } from './meituan-signing';
import {
  fenOfYuan,
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

export interface MeituanConfig {
  /** The API gateway, e.g. https://api-open-cater.meituan.com. */
  apiUrl: string;
  /** The authorise page, e.g. https://open-erp.meituan.com/general/auth. */
  authUrl: string;
  developerId: string;
  signKey: string;
  /** 58: 服务零售 (到店综合), where chess and tea rooms sell their group-buy deals. */
  businessId?: string;
  undoWindowMs?: number;
  timeoutMs?: number;
  /** The platform's business error codes and what each means to a cashier. */
  errorCodes?: Record<string, PlatformVoucherErrorCode>;
  /** Who the platform records as having consumed (app_shop_account). */
  operator?: string;
  clock: Clock;
}

export const MEITUAN_ERROR_CODES: Record<string, PlatformVoucherErrorCode> = {
  '1002': 'platform_not_authorised',
  '1003': 'platform_not_authorised',
  '1301': 'voucher_not_found',
  '1302': 'voucher_used',
  '1303': 'voucher_expired',
  '1304': 'voucher_other_shop',
  '1305': 'undo_window_passed',
};
/** Reverse-consume of a receipt already reversed: the undo is done. */
const ALREADY_REVERSED = '1307';
/** The platform's dates are China's. */
const PLATFORM_ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;

const Id = z.union([z.string(), z.number()]).transform(String);
const Yuan = z.union([z.number(), z.string()]);
const Receipt = z.object({
  receipt_code: Id,
  order_id: Id.optional(),
  /** Prepare: how many receipts of the order can still be consumed. */
  count: z.number().int().optional(),
  deal_id: Id,
  dealgroup_id: Id,
  deal_title: z.string(),
  deal_price: Yuan,
  deal_marketprice: Yuan,
  /** What the platform settles for the receipt, where it says. */
  settle_price: Yuan.optional(),
  receipt_end_date: z.number().optional(),
  verify_time: z.number().optional(),
  /** In the day's list: 1 consumed, 2 reversed. */
  status: z.number().int().optional(),
});
type Receipt = z.infer<typeof Receipt>;
const Answer = z.object({
  code: z.union([z.string(), z.number()]).transform(String),
  msg: z.string().optional(),
  data: z.unknown().optional(),
});
const TokenData = z.object({
  accessToken: z.string().min(1),
  expireIn: z.number(),
  refreshToken: z.string().min(1),
  refreshExpireIn: z.number().optional(),
  opBizCode: Id,
  opBizName: z.string().optional(),
});
const Day = z.object({ total: z.number().int(), records: z.array(Receipt) });

export class MeituanAdapter implements VoucherPlatformAdapter {
  readonly platform = 'meituan' as const;
  readonly undoWindowMs: number;
  private readonly businessId: string;
  private readonly timeoutMs: number;
  private readonly errorCodes: Record<string, PlatformVoucherErrorCode>;
  private readonly operator: string;

  constructor(private readonly c: MeituanConfig) {
    this.businessId = c.businessId ?? '58';
    this.undoWindowMs = c.undoWindowMs ?? 60 * 60_000;
    this.timeoutMs = c.timeoutMs ?? 8_000;
    this.errorCodes = c.errorCodes ?? MEITUAN_ERROR_CODES;
    this.operator = c.operator ?? 'roomhub';
  }

  authoriseUrl(state: string, callbackUrl: string): string {
    const params = this.signed({ ...this.system(), state, callbackUrl, scope: 'tuangou' });
    return `${this.c.authUrl}?${new URLSearchParams(params)}`;
  }

  async grant(code: string): Promise<PlatformGrant> {
    const data = await this.post('/oauth/token', { grantType: 'authorization_code', code });
    return this.grantOf(data);
  }

  async refresh(grant: PlatformGrant): Promise<PlatformGrant> {
    if (!grant.refreshToken) throw platformError('meituan', 'platform_not_authorised');
    const data = await this.post('/oauth/refresh', {
      grantType: 'refresh_token',
      refreshToken: grant.refreshToken,
      scope: 'all',
    });
    return this.grantOf(data);
  }

  async prepare(shop: PlatformShop, code: string): Promise<PreparedAtPlatform> {
    const typed = /^\d+$/.test(code);
    const data = await this.post(
      typed ? '/ddzh/tuangou/receipt/prepare' : '/ddzh/tuangou/receipt/scanprepare',
      { biz: JSON.stringify(typed ? { receipt_code: code } : { qr_code: code }) },
      shop.accessToken,
    );
    const receipt = this.read(Receipt, Array.isArray(data) ? data[0] : data);
    return {
      ...this.voucherOf(receipt),
      voucherCode: receipt.receipt_code,
      available: Math.max(1, receipt.count ?? 1),
      validUntil: receipt.receipt_end_date ?? null,
      attempt: { receiptCode: receipt.receipt_code, dealId: receipt.deal_id },
    };
  }

  async consume(
    shop: PlatformShop,
    attempt: ConsumeAttempt,
    request: ConsumeRequest,
  ): Promise<ConsumedAtPlatform> {
    const data = await this.post(
      '/ddzh/tuangou/receipt/consume',
      {
        biz: JSON.stringify({
          requestid: request.key,
          receipt_code: attempt.receiptCode,
          count: request.count,
          app_shop_account: this.operator,
          app_shop_accountname: this.operator,
        }),
      },
      shop.accessToken,
    );
    const receipts = this.read(z.array(Receipt).min(1), data);
    return this.consumptionOf(receipts, this.c.clock.now());
  }

  async undo(shop: PlatformShop, consumption: ConsumedAtPlatform): Promise<void> {
    for (const receiptCode of consumption.undo.receiptCodes!.split(',')) {
      try {
        await this.post(
          '/ddzh/tuangou/receipt/reverseconsume',
          {
            biz: JSON.stringify({
              receipt_code: receiptCode,
              app_deal_id: consumption.undo.dealId,
              app_shop_account: this.operator,
              app_shop_accountname: this.operator,
            }),
          },
          shop.accessToken,
        );
      } catch (e) {
        if ((e as { params?: { platformCode?: string } }).params?.platformCode !== ALREADY_REVERSED)
          throw e;
      }
    }
  }

  async consumptions(
    shop: PlatformShop,
    fromMs: number,
    toMs: number,
  ): Promise<ListedAtPlatform[]> {
    const records: Receipt[] = [];
    const last = localDateOf(Math.max(fromMs, toMs - 1), PLATFORM_ZONE);
    for (let date = localDateOf(fromMs, PLATFORM_ZONE); date <= last; date = nextLocalDate(date)) {
      for (let offset = 0; ; offset += 100) {
        const data = await this.post(
          '/ddzh/tuangou/receipt/querylistbydate',
          { biz: JSON.stringify({ date, offset, limit: 100 }) },
          shop.accessToken,
        );
        const page = this.read(Day, data);
        records.push(...page.records);
        if (page.records.length === 0 || offset + page.records.length >= page.total) break;
      }
    }
    // Receipts consumed by one call share their order and time: one consumption of `count`.
    const calls = new Map<string, Receipt[]>();
    for (const r of records) {
      if (r.verify_time === undefined || r.verify_time < fromMs || r.verify_time >= toMs) continue;
      const key = `${r.order_id ?? r.receipt_code}|${r.verify_time}`;
      calls.set(key, [...(calls.get(key) ?? []), r]);
    }
    return [...calls.values()].map((receipts) => ({
      ...this.consumptionOf(receipts, receipts[0]!.verify_time!),
      undone: receipts.every((r) => r.status === 2),
    }));
  }

  private consumptionOf(receipts: Receipt[], fallbackAt: number): ConsumedAtPlatform {
    const first = receipts[0]!;
    const consumedAt = first.verify_time ?? fallbackAt;
    return {
      ...this.voucherOf(first),
      // A receipt consumed, reversed and consumed again is two consumptions: its time tells them apart.
      consumptionId: `${first.receipt_code}-${Math.floor(consumedAt / 1000)}`,
      count: receipts.length,
      consumedAt,
      undo: { receiptCodes: receipts.map((r) => r.receipt_code).join(','), dealId: first.deal_id },
    };
  }

  private voucherOf(r: Receipt) {
    const paid = fenOfYuan(r.deal_price);
    return {
      maskedCode: maskCode(r.receipt_code),
      platformDealId: r.dealgroup_id,
      title: r.deal_title,
      faceValue: fenOfYuan(r.deal_marketprice) || paid,
      settleAmount: r.settle_price !== undefined ? fenOfYuan(r.settle_price) : paid,
    };
  }

  private grantOf(data: unknown): PlatformGrant {
    const t = this.read(TokenData, data);
    const now = this.c.clock.now();
    return {
      shopId: t.opBizCode,
      shopName: t.opBizName ?? t.opBizCode,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      expiresAt: now + t.expireIn * 1000,
      // The platform keeps a refresh token 35 days unless it says otherwise.
      refreshExpiresAt:
        now + (t.refreshExpireIn !== undefined ? t.refreshExpireIn * 1000 : 35 * DAY),
    };
  }

  private system(): Record<string, string> {
    return {
      developerId: this.c.developerId,
      businessId: this.businessId,
      timestamp: String(Math.floor(this.c.clock.now() / 1000)),
      charset: 'UTF-8',
    };
  }

  private signed(params: Record<string, string>): Record<string, string> {
    return { ...params, sign: meituanSign(this.c.signKey, params as MeituanParams) };
  }

  private async post(
    path: string,
    fields: Record<string, string>,
    appAuthToken?: string,
  ): Promise<unknown> {
    const params = this.signed({
      ...this.system(),
      version: '2',
      ...(appAuthToken ? { appAuthToken } : {}),
      ...fields,
    });
    const json = await callPlatform(
      'meituan',
      `${this.c.apiUrl}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(params).toString(),
      },
      this.timeoutMs,
    );
    const answer = this.read(Answer, json);
    if (answer.code === '0' || answer.code === 'OP_SUCCESS') return answer.data;
    const meaning = this.errorCodes[answer.code] ?? 'platform_refused';
    throw platformError('meituan', meaning, {
      platformCode: answer.code,
      platformMessage: answer.msg ?? '',
    });
  }

  /** An answer not in the platform's shape is no answer at all. */
  private read<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
    const r = schema.safeParse(value);
    if (!r.success) throw platformError('meituan', 'platform_unavailable');
    return r.data;
  }
}
