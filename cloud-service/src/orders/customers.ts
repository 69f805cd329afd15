// The customer index: which stores hold bookings of which customer, in the cloud-private
// `customers` database, one document `customer:<customerId>:<storeId>` per pair. The change
// follower adds a pair when a hub publishes a booking, a member or a coupon with a customer id
// (online or at the kiosk); the intent service adds one as a customer's booking request (or table)
// goes to a store, before any answer. "My orders" reads the pairs to know which stores to ask.
// Pairs are only ever added: a wrong extra pair (a request the store refused) costs one empty
// read, a missing one would hide an order.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

const pairId = (customerId: string, storeId: string) => `customer:${customerId}:${storeId}`;

const REMEMBERED = 100_000;

export class CustomerIndex {
  /** Pairs this process has seen written; bounded, so a long run does not grow without end. */
  private readonly written = new Set<string>();

  constructor(private readonly d: { couch: CouchClient }) {}

  async init(): Promise<void> {
    await this.d.couch.requireDb(CLOUD_DBS.customers);
  }

  /** Records that `storeId` holds a booking of `customerId`; true when the pair is new. */
  async add(customerId: string, storeId: string, atMs: number): Promise<boolean> {
    return (await this.addMany([{ customerId, storeId }], atMs)) === 1;
  }

  /**
   * Records several pairs in one bulk write, each put-if-absent as `add`; how many were new. A
   * page of a store's changes names many customers, and one request for them all keeps the
   * follower up with a burst.
   */
  async addMany(pairs: readonly { customerId: string; storeId: string }[], atMs: number) {
    const since = new Date(atMs).toISOString();
    const docs = new Map<string, CouchDoc>();
    for (const { customerId, storeId } of pairs) {
      const _id = pairId(customerId, storeId);
      if (this.written.has(_id) || docs.has(_id)) continue;
      docs.set(_id, { _id, type: 'customer_store', customerId, storeId, since });
    }
    let added = 0;
    for (const result of await this.d.couch.bulkDocs(CLOUD_DBS.customers, [...docs.values()])) {
      // A conflict: written before, by this instance or another; the pair is there, which is
      // all we need.
      if ('error' in result && !isConflict(result.error)) throw result.error;
      if ('rev' in result) added += 1;
      if (this.written.size >= REMEMBERED) this.written.clear();
      this.written.add(result.id);
    }
    return added;
  }

  /** The stores that hold bookings of the customer. */
  async storesOf(customerId: string): Promise<string[]> {
    const docs = await this.d.couch.byPrefix(CLOUD_DBS.customers, `customer:${customerId}:`);
    return docs.flatMap((d) => (typeof d.storeId === 'string' ? [d.storeId] : []));
  }
}
