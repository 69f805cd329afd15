// The stores provisioned on this CouchDB, as the admin recorded them in the registry (`store:<id>`
// in `registry`). The cloud reads it to know which stores' databases to follow, since listing the
// server's databases is an admin's; it never writes it.
import { REGISTRY_DB, StoreIdSchema } from '@roomhub/shared-types';
import type { CouchClient } from '../couch';

/** The ids of the provisioned stores, in id order; [] before anything was provisioned. */
export async function provisionedStores(couch: CouchClient): Promise<string[]> {
  const docs = await couch.byPrefix(REGISTRY_DB, 'store:');
  return docs.flatMap((doc) => {
    const storeId = StoreIdSchema.safeParse(doc.storeId);
    return storeId.success && doc._id === `store:${storeId.data}` ? [storeId.data] : [];
  });
}
