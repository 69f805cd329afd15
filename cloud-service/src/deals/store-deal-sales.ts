// Sales of our own deals made in the store (the counter, the kiosk) take their place in the same
// numbered stock claims as the sales online (deal-claims.ts), asked for by the store's hub before
// it takes any money: one stock for both, so neither can sell the last one the other sold. A
// store sale's claim is named `store:<saleId>`, so a retry holds the claim it took. The store's
// hub is the deal's only writer: the stock it names is the deal's stock.
import { DomainError, type DealStockClaim, type DealStockRelease } from '@roomhub/shared-types';
import type { HubIdentity } from '../vouchers/hub-callers';
import { stockClaims, type DealClaims } from './deal-claims';

const claimOf = (saleId: string) => `store:${saleId}`;

export class StoreDealSales {
  constructor(private readonly claims: DealClaims) {}

  async claim(hub: HubIdentity, c: DealStockClaim): Promise<{ claimed: true; left: number }> {
    const prefix = stockClaims(hub.storeId, c.dealId);
    if (!(await this.claims.take(prefix, c.stock, claimOf(c.saleId)))) {
      throw new DomainError('conflict', 'deal_sold_out', 'this deal is sold out', 'dealId');
    }
    return { claimed: true, left: Math.max(0, c.stock - (await this.claims.held(prefix))) };
  }

  async release(hub: HubIdentity, r: DealStockRelease): Promise<{ released: true }> {
    await this.claims.giveBack(stockClaims(hub.storeId, r.dealId), claimOf(r.saleId));
    return { released: true };
  }
}
