// The one stock of our own deals, shared by the sales in the store and the sales online: the cloud
// keeps it (numbered claims, one writer per place), so a sale here takes its place from the cloud
// before any money moves, and gives it back when it sold nothing (unpaid, refused). A hub with no
// cloud sells nothing online: its own count is the stock. A hub whose cloud cannot be reached
// does not sell a deal with a limited stock (`deal_stock_offline`); an unlimited one sells
// anyway. Owns only the asking; never issues a voucher or takes money.
import type { DealStockClaim, DealStockRelease, DealView } from '@roomhub/shared-types';
import type { NewId } from '../clock';
import { logger } from '../log';

/** The cloud's stock of a store's deals (cloud-sync's `CloudDealStock`). */
export interface DealStockClient {
  /** Takes a place, or refuses `deal_sold_out`, or `deal_stock_offline`. */
  claim(c: DealStockClaim): Promise<void>;
  /** False when the cloud could not be told: the place stays taken (sold short, never over). */
  release(r: DealStockRelease): Promise<boolean>;
}

export interface DealStockDeps {
  newId: NewId;
  client: () => DealStockClient | undefined;
}

export class DealStock {
  constructor(private readonly d: DealStockDeps) {}

  /** Whether a sale of this deal takes a place from the cloud. */
  limited(deal: DealView): boolean {
    return deal.stock !== null && this.d.client() !== undefined;
  }

  /** Takes a place for `saleId` (the same id again holds the same place). */
  async claim(deal: DealView, saleId: string): Promise<void> {
    const client = this.d.client();
    if (deal.stock === null || !client) return;
    await client.claim({ dealId: deal.id, saleId, stock: deal.stock });
  }

  async release(deal: DealView, saleId: string): Promise<void> {
    const client = this.d.client();
    if (deal.stock === null || !client) return;
    const told = await client.release({ dealId: deal.id, saleId }).catch(() => false);
    if (!told) {
      logger().warn(
        { dealId: deal.id, saleId },
        "a deal's place in the stock stays taken: the cloud could not be told the sale made nothing",
      );
    }
  }

  /** Runs a sale with its place taken first, given back if the sale fails. */
  async selling<T>(deal: DealView, sale: () => Promise<T>): Promise<T> {
    if (!this.limited(deal)) return sale();
    const saleId = this.d.newId();
    await this.claim(deal, saleId);
    try {
      return await sale();
    } catch (e) {
      await this.release(deal, saleId);
      throw e;
    }
  }
}
