// The embedded CouchDB-compatible server provisioned as a real deployment is: the cloud's user,
// databases and views by the provisioning's own code as the admin, and each store a test names
// with its hub's user, on first use. Tests then act as the real writers do: a store's facts as its
// hub, everything else as the cloud, setup that precedes provisioning as the admin.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startEmbeddedCouch, type EmbeddedCouch } from '@roomhub/cloud-sync/embedded-couch';
import { storeIdOfDbName } from '@roomhub/shared-types';
import { createCouchClient, type CouchClient } from '../src/couch';
import { Provisioner } from '../src/provision/provisioner';

export interface TestCouch {
  couch: EmbeddedCouch;
  /** As the server admin. */
  admin: CouchClient;
  /** The cloud's URL with its own user: what the cloud service is given. */
  cloudUrl: string;
  /** As the cloud's user. */
  cloud: CouchClient;
  /** As the store's hub (provisioned on first use). */
  hub(storeId: string): Promise<CouchClient>;
  /** The URL the store's hub is given (the store provisioned on first use). */
  hubUrl(storeId: string): Promise<string>;
  /**
   * Each call as its real writer would make it: writes into a store's database as its hub (the
   * store provisioned on first use), everything else as the cloud.
   */
  writers: CouchClient;
  /** Provisions the cloud again (a former database that appeared since is then secured too). */
  provisionCloud(): Promise<void>;
  close(): Promise<void>;
}

/** The Basic Authorization header for a URL that carries credentials. */
export function authorizationOf(url: string): string {
  const u = new URL(url);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export function userUrl(base: string, user: string, password: string): string {
  const url = new URL(base);
  url.username = user;
  url.password = password;
  return url.toString().replace(/\/+$/, '');
}

/** `target` with the credentials `from` carries. */
export function withCredentialsOf(from: string, target: string): string {
  const { username, password } = new URL(from);
  return userUrl(target, decodeURIComponent(username), decodeURIComponent(password));
}

export async function startTestCouch(
  dir: string,
  options: { provisionCloud?: boolean } = {},
): Promise<TestCouch> {
  const couch = await startEmbeddedCouch({ dir: path.join(dir, 'couch') });
  const admin = createCouchClient(couch.adminUrl);
  const provisioner = new Provisioner({
    couch: admin,
    clock: { now: () => Date.now() },
    newPassword: () => randomBytes(16).toString('hex'),
  });
  let cloudUrl = '';
  const provisionCloud = async () => {
    const { password } = await provisioner.cloud();
    if (password) cloudUrl = userUrl(couch.url, 'cloud', password);
  };
  if (options.provisionCloud ?? true) await provisionCloud();
  const hubs = new Map<string, Promise<string>>();
  const hubUrl = (storeId: string) => {
    let url = hubs.get(storeId);
    if (!url) {
      url = provisioner.store(storeId).then(({ user, password }) => {
        if (!password) throw new Error(`${user} existed before this test provisioned it`);
        return userUrl(couch.url, user, password);
      });
      hubs.set(storeId, url);
    }
    return url;
  };
  const hub = async (storeId: string) => createCouchClient(await hubUrl(storeId));
  const cloud = () => createCouchClient(cloudUrl);
  const writerOf = async (db: string) => {
    const storeId = storeIdOfDbName(db);
    return storeId ? hub(storeId) : cloud();
  };
  const writers = (): CouchClient => ({
    ...cloud(),
    ensureDb: async (db) => void (await writerOf(db)),
    put: async (db, doc) => (await writerOf(db)).put(db, doc),
  });
  return {
    couch,
    admin,
    get cloudUrl() {
      return cloudUrl;
    },
    get cloud() {
      return cloud();
    },
    hub,
    hubUrl,
    get writers() {
      return writers();
    },
    provisionCloud,
    close: () => couch.close(),
  };
}
