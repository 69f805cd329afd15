// Where the platform keeps what it decides, and the one credential that may write it. The
// platform's decisions (its staff, approved merchants, owner links, reviews, freezes, campaigns)
// live in `registry`, whose validate function lets only a CouchDB admin write: an ordinary cloud
// instance (the cloud user) reads them and can change none. The platform part alone is given
// `CLOUD_PLATFORM_COUCHDB_URL`, a URL with credentials the registry accepts; without it the
// console's writes are refused in words. Its audit trail and merchants' documents live in
// `platform`, a database only admins may read or write. Owns that client and database; never
// hands the credential to anything else.
import { DomainError, REGISTRY_DB } from '@roomhub/shared-types';
import { createCouchClient, type CouchClient } from '../couch';
import { CLOUD_DESIGNS, installDesign } from '../design-docs';

/** The platform's own database: the audit trail, merchants' documents. */
export const PLATFORM_DB = 'platform';

export interface PlatformStore {
  /** The cloud's ordinary client: reads the registry as any instance may. */
  read: CouchClient;
  /** Writes the registry and reads and writes `platform`; undefined without the credential. */
  write: CouchClient | undefined;
  /**
   * Told after each write of the registry through `write` (before the write's caller goes on),
   * so what this instance keeps of the registry (registry-copy.ts) holds the write at once.
   */
  registryWritten?: (() => Promise<void>) | undefined;
}

export function platformStore(read: CouchClient, platformCouchUrl?: string): PlatformStore {
  const store: PlatformStore = { read, write: undefined };
  if (!platformCouchUrl) return store;
  const client = createCouchClient(platformCouchUrl);
  // The write stands whether or not the copy could be told (it then learns it from the feed).
  const tell = async (db: string) => {
    if (db !== REGISTRY_DB) return;
    await store.registryWritten?.().catch(() => {});
  };
  store.write = {
    ...client,
    async put(db, doc) {
      const rev = await client.put(db, doc);
      await tell(db);
      return rev;
    },
    async bulkDocs(db, docs) {
      const results = await client.bulkDocs(db, docs);
      await tell(db);
      return results;
    },
  };
  return store;
}

/** The writing client, or a 503 saying this instance holds no platform credential. */
export function platformWriter(store: PlatformStore): CouchClient {
  if (!store.write) {
    throw new DomainError(
      'unavailable',
      'platform_not_configured',
      'this cloud instance holds no platform credential (CLOUD_PLATFORM_COUCHDB_URL): the platform console cannot change anything here',
    );
  }
  return store.write;
}

/** Creates `platform` (admins only) and its views once; the registry is provisioning's. */
export async function initPlatformStore(store: PlatformStore): Promise<void> {
  await store.read.requireDb(REGISTRY_DB);
  if (!store.write) return;
  await store.write.ensureDb(PLATFORM_DB);
  await store.write.putSecurity(PLATFORM_DB, {
    admins: { names: [], roles: [] },
    members: { names: [], roles: ['_admin'] },
  });
  // Its views (the audit by target and by actor): only an admin may read or write here.
  await installDesign(store.write, PLATFORM_DB, CLOUD_DESIGNS.platform);
}
