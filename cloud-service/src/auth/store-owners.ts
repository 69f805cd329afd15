// Whether two stores have one owner, as the cloud knows owners: the owner accounts in `owners`
// (owners.ts) and the admin's links of a phone to stores in the registry (owner-links.ts). A
// voucher, or a shared wallet's money, moves only between two stores of one owner. Reads only.
import type { CouchClient } from '../couch';
import { ownerLinks } from './owner-links';
import { accountStores } from './owners';

export async function sameOwner(couch: CouchClient, a: string, b: string): Promise<boolean> {
  const [accounts, links] = await Promise.all([accountStores(couch), ownerLinks(couch)]);
  return [...accounts, ...links.map((l) => l.storeIds)].some(
    (stores) => stores.includes(a) && stores.includes(b),
  );
}

/** Every store that shares an owner with `storeId` (itself included when it has an owner). */
export async function storesSharingOwner(couch: CouchClient, storeId: string): Promise<string[]> {
  const [accounts, links] = await Promise.all([accountStores(couch), ownerLinks(couch)]);
  const out = new Set<string>();
  for (const stores of [...accounts, ...links.map((l) => l.storeIds)]) {
    if (stores.includes(storeId)) for (const s of stores) out.add(s);
  }
  return [...out].sort();
}
