// Provisioning, done by the CouchDB server admin: a store's two databases, its hub's user, their
// `_security`, validate functions and the cloud's views; the cloud's user, its databases and the
// registry. What each database allows is in shared-types (access.ts); this applies it to any
// CouchDB (Apache CouchDB 3 or the embedded server) through its HTTP API. Idempotent: what is in
// place already is left alone, and a user's password changes only when asked. It never keeps a
// password: a new one is returned once, for the caller to hand over.
import {
  ACCESS_DESIGN_ID,
  CLOUD_DBS,
  CLOUD_USER,
  REGISTRY_DB,
  StoreIdSchema,
  cloudAccess,
  cloudDatabaseAccess,
  hubUserName,
  registryAccess,
  registryDocId,
  storeAccess,
  storeDbName,
  type Clock,
  type DatabaseAccess,
  type SecurityObject,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import { CLOUD_DESIGNS, installDesign, type DesignDoc } from '../design-docs';
import { FORMER_DB } from '../intents/carry-over';

export const USERS_DB = '_users';
const userDocId = (name: string) => `org.couchdb.user:${name}`;

export interface ProvisionerDeps {
  /** A client with the server admin's credentials. */
  couch: CouchClient;
  clock: Clock;
  newPassword(): string;
}

export interface ProvisionOptions {
  /** Give the user a new password even if it exists (the old one stops working at once). */
  rotatePassword?: boolean;
}

export interface Provisioned {
  user: string;
  /** Set only when this call gave the user a password: shown once, kept nowhere. */
  password?: string;
  /** What this call changed, in words for the console; [] when everything was in place. */
  changed: string[];
}

export class Provisioner {
  constructor(private readonly d: ProvisionerDeps) {}

  /** The cloud's user, its databases and the registry. */
  async cloud(options: ProvisionOptions = {}): Promise<Provisioned> {
    const changed: string[] = [];
    await this.ensureUsersDb(changed);
    for (const access of cloudAccess()) await this.database(access, changed);
    // The cloud's former database, still read once by the carry-over of old records.
    if (await this.d.couch.exists(FORMER_DB)) {
      await this.database(cloudDatabaseAccess(FORMER_DB), changed);
    }
    await this.views(CLOUD_DBS.intents, CLOUD_DESIGNS.intents, changed);
    await this.views(CLOUD_DBS.catalogue, CLOUD_DESIGNS.catalogue, changed);
    await this.views(CLOUD_DBS.reviews, CLOUD_DESIGNS.reviews, changed);
    return this.user(CLOUD_USER, options, changed);
  }

  /** A store's databases and its hub's user, and the store in the registry. */
  async store(storeId: string, options: ProvisionOptions = {}): Promise<Provisioned> {
    const id = StoreIdSchema.parse(storeId);
    const changed: string[] = [];
    await this.ensureUsersDb(changed);
    await this.database(registryAccess(), changed);
    for (const access of storeAccess(id)) await this.database(access, changed);
    await this.views(storeDbName(id), CLOUD_DESIGNS.store, changed);
    await this.views(storeDbName(id), CLOUD_DESIGNS.storeTally, changed);
    const user = hubUserName(id);
    const provisioned = await this.user(user, options, changed);
    if (!(await this.d.couch.get(REGISTRY_DB, registryDocId(id)))) {
      await this.d.couch.put(REGISTRY_DB, {
        _id: registryDocId(id),
        type: 'store',
        storeId: id,
        hubUser: user,
        provisionedAt: new Date(this.d.clock.now()).toISOString(),
      });
      changed.push(`${id} listed in ${REGISTRY_DB}`);
    }
    return provisioned;
  }

  /** Every `store-<id>` database the server has (for an upgrade from unprovisioned stores). */
  async existingStores(): Promise<string[]> {
    const dbs = await this.d.couch.allDbs('store-');
    return dbs.flatMap((db) => {
      const storeId = db.slice('store-'.length);
      return StoreIdSchema.safeParse(storeId).success && storeDbName(storeId) === db
        ? [storeId]
        : [];
    });
  }

  private async ensureUsersDb(changed: string[]): Promise<void> {
    // A single-node Apache CouchDB 3 has no `_users` until someone creates it.
    if (!(await this.d.couch.exists(USERS_DB))) {
      await this.d.couch.ensureDb(USERS_DB);
      changed.push(`${USERS_DB} created`);
    }
  }

  private async database(access: DatabaseAccess, changed: string[]): Promise<void> {
    const { couch } = this.d;
    if (!(await couch.exists(access.db))) {
      await couch.ensureDb(access.db);
      changed.push(`${access.db} created`);
    }
    if (!sameSecurity(await couch.getSecurity(access.db), access.security)) {
      await couch.putSecurity(access.db, access.security);
      changed.push(`${access.db}: _security set`);
    }
    const current = await couch.get(access.db, ACCESS_DESIGN_ID);
    const outdated =
      !current ||
      typeof current.version !== 'number' ||
      current.version < access.design.version ||
      (current.version === access.design.version &&
        current.validate_doc_update !== access.design.validate_doc_update);
    if (outdated) {
      // A store's function names the store: the same version may differ from one built here.
      const wanted = { ...access.design, ...(current?._rev ? { _rev: current._rev } : {}) };
      await couch.put(access.db, wanted as CouchDoc);
      changed.push(`${access.db}: validate function set`);
    }
  }

  private async views(db: string, design: DesignDoc, changed: string[]): Promise<void> {
    if (await installDesign(this.d.couch, db, design)) {
      changed.push(`${db}: views set (version ${design.version})`);
    }
  }

  private async user(
    name: string,
    options: ProvisionOptions,
    changed: string[],
  ): Promise<Provisioned> {
    const { couch } = this.d;
    const existing = await couch.get(USERS_DB, userDocId(name));
    if (existing && !options.rotatePassword) return { user: name, changed };
    const password = this.d.newPassword();
    await couch.put(USERS_DB, {
      _id: userDocId(name),
      ...(existing?._rev ? { _rev: existing._rev } : {}),
      type: 'user',
      name,
      roles: [],
      password,
    });
    changed.push(existing ? `${name}: new password` : `${name} created`);
    return { user: name, password, changed };
  }
}

function sameSecurity(current: Record<string, unknown>, wanted: SecurityObject): boolean {
  const section = (value: unknown) => {
    const s = (value ?? {}) as { names?: unknown; roles?: unknown };
    const list = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort() : []);
    return JSON.stringify({ names: list(s.names), roles: list(s.roles) });
  };
  return (
    section(current.admins) === section(wanted.admins) &&
    section(current.members) === section(wanted.members)
  );
}
