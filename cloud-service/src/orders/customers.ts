// The customer index: which stores hold bookings of which customer, in the cloud-private
// `customers` database, one document `customer:<customerId>:<storeId>` per pair. The change
// follower adds a pair when a hub publishes a booking with a customer id (online or at the kiosk);
// "my orders" reads the pairs to know which stores to ask. Pairs are only ever added: a wrong
// extra pair costs one empty read, a missing one would hide an order.
import { CLOUD_DBS } from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';

const pairId = (customerId: string, storeId: string) => `customer:${customerId}:${storeId}`;

/** Pairs this process has seen written; bounded, so a long run does not grow without end. */
const REMEMBERED = 100_000;

export interface CustomerIndex {
  init(): Promise<void>;
  /** Records that `storeId` holds a booking of `customerId`; true when the pair is new. */
  add(customerId: string, storeId: string, atMs: number): Promise<boolean>;
  /** The stores that hold bookings of the customer. */
  storesOf(customerId: string): Promise<string[]>;
}

export function createCustomerIndex(couch: CouchClient): CustomerIndex {
  const written = new Set<string>();
  return {
    async init() {
      await couch.ensureDb(CLOUD_DBS.customers);
    },
    async add(customerId, storeId, atMs) {
      const id = pairId(customerId, storeId);
      if (written.has(id)) return false;
      let added = true;
      try {
        await couch.put(CLOUD_DBS.customers, {
          _id: id,
          type: 'customer_store',
          customerId,
          storeId,
          since: new Date(atMs).toISOString(),
        });
      } catch (error) {
        // Written before, by this instance or another: the pair is there, which is all we need.
        if (!isConflict(error)) throw error;
        added = false;
      }
      if (written.size >= REMEMBERED) written.clear();
      written.add(id);
      return added;
    },
    async storesOf(customerId) {
      const docs = await couch.byPrefix(CLOUD_DBS.customers, `customer:${customerId}:`);
      return docs.flatMap((d) => (typeof d.storeId === 'string' ? [d.storeId] : []));
    },
  };
}
