// The stock of a deal, sold online and in the store alike (store-deal-sales.ts), and each buyer's
// limit online, held as numbered claims in the cloud's `deals` database: a purchase takes claim n
// of the deal's stock (`claim:<storeId>:<dealId>:stock:<n>`) and claim k of its buyer's limit
// (`...:buyer:<customerId>:<k>`) by creating the document, which CouchDB lets only one writer do,
// so two instances (or the store and a customer) selling the last one at once cannot both sell
// it; all before any money moves. A buyer known by more than one id (a WeChat sign-in that linked
// a phone) has what they bought under each counted toward their limit. A purchase that issues nothing (its payment failed, its group
// did not fill) gives its claims back. Owns the `claim:` documents only.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

/** Races lost in a row before a claim gives up, as if none were left. */
const MAX_RACES = 12;

export const stockClaims = (storeId: string, dealId: string) => `claim:${storeId}:${dealId}:stock:`;
export const buyerClaims = (storeId: string, dealId: string, customerId: string) =>
  `claim:${storeId}:${dealId}:buyer:${customerId}:`;

const numbered = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}`;

interface Claim extends CouchDoc {
  purchaseId?: unknown;
}

export class DealClaims {
  constructor(private readonly couch: CouchClient) {}

  /** How many claims under `prefix` are held. */
  async held(prefix: string): Promise<number> {
    return (await this.couch.byPrefix(CLOUD_DBS.deals, prefix)).length;
  }

  /**
   * Takes one of the `max` claims under `prefix` for the purchase; false when all are held by
   * others. The purchase's own claim, if it took one before (a retry), is its claim still. Claims
   * held under `alsoCounted` (the same buyer under another id) count toward `max` too.
   */
  async take(
    prefix: string,
    max: number,
    purchaseId: string,
    alsoCounted: readonly string[] = [],
  ): Promise<boolean> {
    let elsewhere = 0;
    for (const other of alsoCounted) {
      elsewhere += (await this.couch.byPrefix<Claim>(CLOUD_DBS.deals, other)).length;
    }
    for (let race = 0; race < MAX_RACES; race += 1) {
      const held = await this.couch.byPrefix<Claim>(CLOUD_DBS.deals, prefix);
      if (held.some((c) => c.purchaseId === purchaseId)) return true;
      if (held.length + elsewhere >= max) return false;
      const taken = new Set(held.map((c) => c._id));
      let n = 1;
      while (taken.has(numbered(prefix, n))) n += 1;
      try {
        await this.couch.put(CLOUD_DBS.deals, {
          _id: numbered(prefix, n),
          type: 'deal_claim',
          purchaseId,
        });
        return true;
      } catch (error) {
        // Someone took claim n first: look again.
        if (!isConflict(error)) throw error;
      }
    }
    return false;
  }

  /** Gives back the purchase's claim under `prefix`, if it holds one. */
  async giveBack(prefix: string, purchaseId: string): Promise<void> {
    const held = await this.couch.byPrefix<Claim>(CLOUD_DBS.deals, prefix);
    for (const claim of held.filter((c) => c.purchaseId === purchaseId)) {
      try {
        await this.couch.put(CLOUD_DBS.deals, { _id: claim._id, _rev: claim._rev, _deleted: true });
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }
}
