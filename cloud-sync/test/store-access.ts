// What provisioning does for one store, for the tests and benches of packages that may not import
// the cloud service (cloud-sync, hub-app): the store's two databases with the `_security` and
// validate functions of shared-types' access.ts, its hub's user, and the cloud's user (whose
// password is made once per server, so granting a second store keeps the first cloud URL
// working). The cloud's views are the cloud service's provisioning's, not installed here.
import { randomBytes } from 'node:crypto';
import { CLOUD_USER, hubUserName, storeAccess } from '@roomhub/shared-types';

export interface StoreGrant {
  /** The URL the store's hub syncs with: its own user, no admin. */
  hubUrl: string;
  /** The cloud's user, which alone writes intents into the store's inbox. */
  cloudUrl: string;
}

/** The cloud user's password, by the admin URL of the server it was set on. */
const cloudPasswords = new Map<string, string>();

export async function grantStore(adminUrl: string, storeId: string): Promise<StoreGrant> {
  const admin = new URL(adminUrl);
  const authorization = `Basic ${Buffer.from(
    `${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}`,
  ).toString('base64')}`;
  admin.username = '';
  admin.password = '';
  const base = admin.toString().replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown, ok = [200, 201, 202]) => {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!ok.includes(res.status)) throw new Error(`${method} /${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const putUser = async (name: string, password: string) => {
    const id = `org.couchdb.user:${name}`;
    const existing = await call('GET', `_users/${encodeURIComponent(id)}`, undefined, [200, 404]);
    await call('PUT', `_users/${encodeURIComponent(id)}`, {
      ...(typeof existing._rev === 'string' ? { _rev: existing._rev } : {}),
      _id: id,
      type: 'user',
      name,
      roles: [],
      password,
    });
  };
  const userUrl = (name: string, password: string) => {
    const url = new URL(base);
    url.username = name;
    url.password = password;
    return url.toString().replace(/\/+$/, '');
  };

  await call('PUT', '_users', undefined, [201, 202, 412]);
  for (const access of storeAccess(storeId)) {
    await call('PUT', access.db, undefined, [201, 202, 412]);
    await call('PUT', `${access.db}/_security`, access.security);
    const current = await call('GET', `${access.db}/${access.design._id}`, undefined, [200, 404]);
    await call('PUT', `${access.db}/${access.design._id}`, {
      ...access.design,
      ...(typeof current._rev === 'string' ? { _rev: current._rev } : {}),
    });
  }
  const hub = hubUserName(storeId);
  const hubPassword = randomBytes(16).toString('hex');
  await putUser(hub, hubPassword);
  let cloudPassword = cloudPasswords.get(adminUrl);
  if (!cloudPassword) {
    cloudPassword = randomBytes(16).toString('hex');
    await putUser(CLOUD_USER, cloudPassword);
    cloudPasswords.set(adminUrl, cloudPassword);
  }
  return { hubUrl: userUrl(hub, hubPassword), cloudUrl: userUrl(CLOUD_USER, cloudPassword) };
}
