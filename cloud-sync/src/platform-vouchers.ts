// The hub's client of the cloud's platform voucher routes (Meituan / Dianping, Douyin): prepare,
// consume, undo and the day's consumptions, signed in as the store's hub with the CouchDB user it
// already has (HTTP Basic). It owns only the wire: the cloud's JSON errors come back as the
// product's DomainError (its code, the kind its status says, and the values its sentence needs);
// a cloud that cannot be reached, or does not answer in time, is `platform_unavailable`. Whether
// a consume happened after such a failure is the cloud's to know: asked again with the same
// requestId it answers the one consumption there is.
import {
  DomainError,
  VOUCHER_PLATFORM_NAMES,
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
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

export type CloudPlatformVouchersOptions = CloudCallOptions;

export class CloudPlatformVouchers {
  private readonly wire: CloudCalls;

  constructor(o: CloudPlatformVouchersOptions) {
    this.wire = new CloudCalls(o);
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
    const answer = await this.wire.call(method, path, body);
    if (!answer) throw unreachable(said);
    if (answer.ok) return answer.json as T;
    const e = answer.refusal.with(said);
    // The platform's own words ride at the end of the English message: "... (1302: 券码已使用)".
    const own = /\(([^():]+): ([^()]*)\)$/.exec(e.message);
    if (own) e.with({ platformCode: own[1]!, platformMessage: own[2]! });
    else if (e.code === 'platform_refused') e.with({ platformCode: '-', platformMessage: '-' });
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
