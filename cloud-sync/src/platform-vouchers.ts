// The hub's client of the cloud's platform voucher routes (Meituan / Dianping, Douyin): prepare,
// consume, undo and the day's consumptions, signed in as the store's hub with the CouchDB user it
// already has (HTTP Basic). It owns only the wire: the cloud's JSON errors come back as the
// product's DomainError (its code, the kind its status says, and the values its sentence needs);
// a cloud that cannot be reached, or does not answer in time, is `platform_unavailable`. Whether
// a consume happened after such a failure is the cloud's to know: asked again with the same
// requestId it answers the one consumption there is.
import {
  DomainError,
  ERROR_KINDS,
  VOUCHER_PLATFORM_NAMES,
  type ErrorKind,
  type LocalDate,
  type PlatformConsumeRequest,
  type PlatformConsumption,
  type PlatformConsumptionListItem,
  type PlatformPrepareRequest,
  type PlatformUndoRequest,
  type PlatformUndone,
  type PlatformVoucherPrepared,
  type VoucherPlatform,
} from '@roomhub/shared-types';

export interface CloudPlatformVouchersOptions {
  /** The cloud service, e.g. http://127.0.0.1:8081. */
  cloudUrl: string;
  /** The hub's CouchDB user (`hubUserName(storeId)`) and its password. */
  username: string;
  password: string;
  /** A call without an answer by then is given up; 10 s unless said. */
  timeoutMs?: number;
}

const KIND_OF_STATUS = new Map<number, ErrorKind>(
  (Object.entries(ERROR_KINDS) as [ErrorKind, number][]).map(([kind, status]) => [status, kind]),
);

export class CloudPlatformVouchers {
  private readonly base: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(o: CloudPlatformVouchersOptions) {
    this.base = o.cloudUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  prepare(req: PlatformPrepareRequest): Promise<PlatformVoucherPrepared> {
    return this.call(req.platform, 'POST', '/api/hub/platform-vouchers/prepare', req);
  }

  consume(req: PlatformConsumeRequest): Promise<PlatformConsumption> {
    return this.call(req.platform, 'POST', '/api/hub/platform-vouchers/consume', req);
  }

  undo(req: PlatformUndoRequest): Promise<PlatformUndone> {
    return this.call(req.platform, 'POST', '/api/hub/platform-vouchers/undo', req);
  }

  consumptions(platform: VoucherPlatform, date: LocalDate): Promise<PlatformConsumptionListItem[]> {
    const q = new URLSearchParams({ platform, date });
    return this.call(platform, 'GET', `/api/hub/platform-vouchers/consumptions?${q}`);
  }

  private async call<T>(
    platform: VoucherPlatform,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const said = {
      platform,
      platformName: VOUCHER_PLATFORM_NAMES[platform]['zh-CN'],
    };
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch {
      throw unreachable(said);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unreachable(said);
    }
    if (status >= 200 && status < 300) return json as T;
    const error = (json as { error?: { code?: unknown; message?: unknown; field?: unknown } })
      ?.error;
    const kind = KIND_OF_STATUS.get(status);
    if (!kind || typeof error?.code !== 'string') throw unreachable(said);
    const message = typeof error.message === 'string' ? error.message : error.code;
    const e = new DomainError(
      kind,
      error.code,
      message,
      typeof error.field === 'string' ? error.field : undefined,
    ).with(said);
    // The platform's own words ride at the end of the English message: "... (1302: 券码已使用)".
    const own = /\(([^():]+): ([^()]*)\)$/.exec(message);
    if (own) e.with({ platformCode: own[1]!, platformMessage: own[2]! });
    else if (error.code === 'platform_refused') e.with({ platformCode: '-', platformMessage: '-' });
    return Promise.reject(e);
  }
}

function unreachable(said: Record<string, string>): DomainError {
  return new DomainError(
    'unavailable',
    'platform_unavailable',
    'the cloud service could not be reached or did not answer in time: try again',
    undefined,
    5,
  ).with(said);
}
