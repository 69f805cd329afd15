// For the benches: a hub's data folder whose store exists before the hub first starts (the demo
// store, as that first start would make it) and is provisioned in the cloud's CouchDB as
// `npm start` provisions it, so the hub syncs as its own user; and fetch for CouchDB URLs that
// carry credentials (fetch refuses them in the URL).
import { mkdirSync } from 'node:fs';
import { grantStore, type StoreGrant } from '@roomhub/cloud-sync/testing';
import { seedDemoStore } from '../src/demo/seed';
import { createHub } from '../src/hub';

export async function provisionedHub(
  dataDir: string,
  adminUrl: string,
): Promise<StoreGrant & { storeId: string }> {
  mkdirSync(dataDir, { recursive: true });
  const hub = createHub({ dataDir });
  let storeId: string;
  try {
    await seedDemoStore(hub);
    storeId = hub.store.getStore().id;
  } finally {
    hub.close();
  }
  return { storeId, ...(await grantStore(adminUrl, storeId)) };
}

/** `target`'s host and port with the user and password of `from`. */
export function withCredentialsOf(from: string, target: string): string {
  const url = new URL(target);
  url.username = new URL(from).username;
  url.password = new URL(from).password;
  return url.toString().replace(/\/+$/, '');
}

/** fetch, with the URL's credentials sent as a Basic Authorization header. */
export function couchFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(url);
  if (!u.username) return fetch(url, init);
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return fetch(u, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
    },
  });
}
