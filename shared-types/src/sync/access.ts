// Who may do what in the product's CouchDB, as data both sides and the provisioning agree on: the
// users (`cloud`, one `hub-<storeId>` per store), each database's `_security` and the
// `validate_doc_update` function that refuses every write its writer does not own (databases.ts
// names the databases, documents.ts the documents). The server admin provisions all of it and
// is the only one who writes design documents. No I/O: provisioning (cloud-service) applies it.
import { CLOUD_DBS, REGISTRY_DB, storeDbName, storeInboxDbName, StoreIdSchema } from './databases';
import {
  DEVICES_HEALTH_ID,
  HUB_ALIVE_ID,
  INTENT_PREFIX,
  MENU_DOC_ID,
  STORE_PROFILE_ID,
  TABLE_SETTINGS_ID,
  WALLET_OWED_ID,
  MEMBER_SETTINGS_ID,
  STAFF_LIST_ID,
} from './documents';
import { STATS_DAY_PREFIX } from './stats-documents';
import { MAINTENANCE_PREFIX, STOCK_LOW_ID } from './notice-documents';
import { ANOMALY_PREFIX } from '../platform/anomalies';
import { INVOICE_PREFIX } from './invoice-documents';
import { AUDIT_PREFIX } from './audit-documents';
import { DEVICE_SCHEDULES_ID } from './device-schedule-documents';

/** The cloud service's CouchDB user: writes intents, its own databases; reads the stores'. */
export const CLOUD_USER = 'cloud';

/** A store's hub's CouchDB user: writes its store's facts, reads its inbox, nothing else. */
export function hubUserName(storeId: string): string {
  return `hub-${StoreIdSchema.parse(storeId)}`;
}

/** The design document that holds a database's `validate_doc_update`; an admin's, as all are. */
export const ACCESS_DESIGN_ID = '_design/access';
/** Bump when a validate function changes: provisioning then puts the new one in place. */
export const ACCESS_VERSION = 19;

export interface SecuritySection {
  names: string[];
  roles: string[];
}

/** A database's `_security`: no db admins (server admins only), members by name. */
export interface SecurityObject {
  admins: SecuritySection;
  members: SecuritySection;
}

export interface AccessDesignDoc {
  _id: typeof ACCESS_DESIGN_ID;
  version: number;
  validate_doc_update: string;
}

/** What one database needs: who may reach it, and what it refuses. */
export interface DatabaseAccess {
  db: string;
  security: SecurityObject;
  design: AccessDesignDoc;
}

const members = (...names: string[]): SecurityObject => ({
  admins: { names: [], roles: [] },
  members: { names: [...names].sort(), roles: [] },
});

const design = (validate: string): AccessDesignDoc => ({
  _id: ACCESS_DESIGN_ID,
  version: ACCESS_VERSION,
  validate_doc_update: validate,
});

/**
 * The hub's documents, by id (an exact id, or a prefix ending in ':'), with the type each must
 * carry; everything else in a store's database is refused to its hub.
 */
const HUB_DOCS: [string, string][] = [
  ['booking:', 'booking'],
  ['ledger:', 'ledger'],
  ['session:', 'session'],
  ['availability:', 'availability'],
  ['deal:', 'deal'],
  ['order:', 'order'],
  ['member:', 'member'],
  ['campaign:', 'campaign'],
  ['coupon:', 'coupon'],
  ['table:', 'table'],
  [TABLE_SETTINGS_ID, 'table_settings'],
  [WALLET_OWED_ID, 'wallet_owed'],
  [MEMBER_SETTINGS_ID, 'member_settings'],
  [STAFF_LIST_ID, 'staff_list'],
  [HUB_ALIVE_ID, 'hub_alive'],
  [MENU_DOC_ID, 'menu'],
  [DEVICES_HEALTH_ID, 'devices_health'],
  [DEVICE_SCHEDULES_ID, 'device_schedules'],
  ['answer:', 'answer'],
  [STORE_PROFILE_ID, 'store_profile'],
  ['profile:room:', 'room_profile'],
  [STATS_DAY_PREFIX, 'stats_day'],
  [STOCK_LOW_ID, 'stock_low'],
  [MAINTENANCE_PREFIX, 'room_maintenance'],
  [ANOMALY_PREFIX, 'anomaly'],
  [INVOICE_PREFIX, 'invoice'],
  [AUDIT_PREFIX, 'audit_hour'],
];

// The functions are ES5 strings, so Apache CouchDB's JavaScript engine and the embedded server
// run the same code. A refusal is `{ forbidden }`: CouchDB answers 403 and a replication counts
// the document as denied.

function storeValidation(storeId: string): string {
  const hub = JSON.stringify(hubUserName(storeId));
  return `function (newDoc, oldDoc, userCtx) {
  var hub = ${hub};
  var store = ${JSON.stringify(storeId)};
  var kinds = ${JSON.stringify(HUB_DOCS)};
  if (userCtx.name !== hub) throw({ forbidden: 'only ' + hub + ' writes the facts of store ' + store });
  var id = newDoc._id;
  var type = null;
  for (var i = 0; i < kinds.length; i++) {
    var key = kinds[i][0];
    var prefix = key.charAt(key.length - 1) === ':';
    if (prefix ? id.indexOf(key) === 0 : id === key) { type = kinds[i][1]; break; }
  }
  if (type === null) throw({ forbidden: 'a hub does not write ' + id });
  if (newDoc._deleted) return;
  if (newDoc.type !== type) throw({ forbidden: id + ' must have type ' + type });
  if (newDoc.storeId !== undefined && newDoc.storeId !== store)
    throw({ forbidden: id + ' names another store' });
}`;
}

function inboxValidation(): string {
  // What an intent says is the hub's to check (it answers a bad one `rejected`); this only keeps
  // anyone but the cloud from writing here, and anything but intents out.
  return `function (newDoc, oldDoc, userCtx) {
  if (userCtx.name !== ${JSON.stringify(CLOUD_USER)})
    throw({ forbidden: 'only the cloud service writes intents' });
  if (newDoc._id.indexOf(${JSON.stringify(INTENT_PREFIX)}) !== 0)
    throw({ forbidden: 'an inbox holds intents only' });
}`;
}

const CLOUD_VALIDATION = `function (newDoc, oldDoc, userCtx) {
  if (userCtx.name !== ${JSON.stringify(CLOUD_USER)})
    throw({ forbidden: 'only the cloud service writes here' });
}`;

const REGISTRY_VALIDATION = `function (newDoc, oldDoc, userCtx) {
  if (userCtx.roles.indexOf('_admin') === -1)
    throw({ forbidden: 'only an admin provisions stores' });
}`;

/** A store's two databases: its facts (its hub writes) and its inbox (the cloud writes). */
export function storeAccess(storeId: string): DatabaseAccess[] {
  const hub = hubUserName(storeId);
  return [
    {
      db: storeDbName(storeId),
      security: members(hub, CLOUD_USER),
      design: design(storeValidation(storeId)),
    },
    {
      db: storeInboxDbName(storeId),
      security: members(hub, CLOUD_USER),
      design: design(inboxValidation()),
    },
  ];
}

/** One of the cloud's databases (a former one too): its user alone reads and writes it. */
export function cloudDatabaseAccess(db: string): DatabaseAccess {
  return { db, security: members(CLOUD_USER), design: design(CLOUD_VALIDATION) };
}

/** The registry: the admin writes it when provisioning a store, the cloud reads it. */
export function registryAccess(): DatabaseAccess {
  return { db: REGISTRY_DB, security: members(CLOUD_USER), design: design(REGISTRY_VALIDATION) };
}

/** The cloud's own databases and the registry. */
export function cloudAccess(): DatabaseAccess[] {
  return [...Object.values(CLOUD_DBS).map(cloudDatabaseAccess), registryAccess()];
}
