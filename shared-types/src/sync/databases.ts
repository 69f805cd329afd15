// Every CouchDB database of the product, named in one place: the two each store has (its facts,
// written by its hub; its inbox, written by the cloud), the cloud service's own and the registry
// of provisioned stores. The hub only ever touches its store's two; the cloud-only names are here
// too, so that whoever provisions a cluster (users, roles, shards) reads the whole layout in one
// file; who may write each is in access.ts. No I/O.
import { z } from 'zod';

/** Store ids become database names, which CouchDB wants in lower case. */
export const StoreIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, "_" or "-"')
  // `store-<id>-inbox` is the inbox of store <id>; no store's own database may share that name.
  .refine((id) => !id.endsWith('-inbox'), 'must not end in "-inbox"');

/** The store's facts, replicated up by its hub; the hub is the only writer. */
export function storeDbName(storeId: string): string {
  return `store-${StoreIdSchema.parse(storeId)}`;
}

/**
 * What is addressed to the store (`intent:` documents), replicated down to its hub; the cloud is
 * the only writer. Kept apart from the store's facts so the hub pulls it whole: a filtered feed
 * over the facts database would make the cloud read every fact the hub writes.
 */
export function storeInboxDbName(storeId: string): string {
  return `${storeDbName(storeId)}-inbox`;
}

/** The store whose facts database `dbName` is; undefined for an inbox or any other database. */
export function storeIdOfDbName(dbName: string): string | undefined {
  if (!dbName.startsWith('store-')) return undefined;
  const storeId = dbName.slice('store-'.length);
  return StoreIdSchema.safeParse(storeId).success ? storeId : undefined;
}

/** The cloud's databases; only the cloud service reads or writes them. */
export const CLOUD_DBS = {
  /** Stores and rooms for discovery, derived from the stores' profiles. */
  catalogue: 'catalogue',
  /** The cloud's record of each intent: state, payment hold, the answer as the cloud saw it. */
  intents: 'intents',
  /** Which stores hold a customer's bookings, for "my orders". */
  customers: 'customers',
  /** Reviews the hubs accepted, copied for the room pages. */
  reviews: 'reviews',
  /** Sign-in codes (keyed hashes only), attempts and recent sends. */
  auth: 'auth',
  /** How far the change follower has read each store's database. */
  follower: 'follower',
  /** Owner accounts and the stores each may see. */
  owners: 'owners',
  /**
   * Our own deals sold online: each store's deals on sale (copied from its `deal:` documents),
   * the purchases, the groups they fill, the vouchers issued for them and their refunds.
   */
  deals: 'deals',
  /**
   * Platform vouchers: each store's authorisation on Meituan / Douyin (the shop and its token) and
   * the consumptions and undos the cloud asked the platforms for, by the hub's request id.
   */
  vouchers: 'vouchers',
  /** Messages to customers and owners, what is still to send, contacts and stores' settings. */
  messages: 'messages',
  /** Customer-service conversations between customers and stores, and their lines. */
  chats: 'chats',
  /**
   * Anomalies the platform flagged or copied from the stores' hubs (P4, B8), and what the change
   * follower keeps to find them: recent bookings and refunds per customer, redemptions per store,
   * payments waiting for their booking, when each hub last said it was alive.
   */
  anomalies: 'anomalies',
  /** The platform's figures (P5): each store's days and region, the customers first seen. */
  analytics: 'analytics',
} as const;
export type CloudDbName = (typeof CLOUD_DBS)[keyof typeof CLOUD_DBS];

/**
 * The stores provisioned on this CouchDB, `store:<storeId>` each, written by the admin who
 * provisions a store and read by the cloud, which may not list the server's databases
 * (`_all_dbs` is an admin's, as on Apache CouchDB 3).
 */
export const REGISTRY_DB = 'registry';
export const registryDocId = (storeId: string) => `store:${StoreIdSchema.parse(storeId)}`;
