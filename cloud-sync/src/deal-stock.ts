// The hub's client of the one stock its deals have online and in the store: a sale in the store
// takes its place from the cloud before any money moves (`POST /api/hub/deals/stock/claim`) and
// gives it back if it sold nothing (`.../release`). The cloud unreachable is
// `deal_stock_offline`: a deal with a limited stock is sold in the store only while it is online.
import { DomainError, type DealStockClaim, type DealStockRelease } from '@roomhub/shared-types';
import { CloudCalls, type CloudCallOptions } from './cloud-calls';

export class CloudDealStock {
  private readonly wire: CloudCalls;

  constructor(o: CloudCallOptions) {
    this.wire = new CloudCalls(o);
  }

  async claim(c: DealStockClaim): Promise<void> {
    const answer = await this.wire.call('POST', '/api/hub/deals/stock/claim', c, 'dealId');
    if (answer?.ok) return;
    if (answer && answer.refusal.kind === 'conflict') throw answer.refusal;
    throw offline();
  }

  /** False when the cloud could not be told: the place stays taken (sold short, never over). */
  async release(r: DealStockRelease): Promise<boolean> {
    const answer = await this.wire.call('POST', '/api/hub/deals/stock/release', r, 'dealId');
    return answer?.ok === true;
  }
}

function offline(): DomainError {
  return new DomainError(
    'unavailable',
    'deal_stock_offline',
    'a deal with a limited stock is sold in the store only while the store is online: try again when the internet is back',
    'dealId',
  );
}
