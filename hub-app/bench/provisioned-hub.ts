// For the benches: a hub's data folder whose store exists before the hub first starts (the demo
// store, as that first start would make it) and is provisioned in the cloud's CouchDB as
// `npm start` provisions it, so the hub syncs as its own user (with the cloud service's user too,
// by the provisioning script, when the cloud runs beside it); and fetch for CouchDB URLs that
// carry credentials (fetch refuses them in the URL).
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { grantStore, type StoreGrant } from '@roomhub/cloud-sync/testing';
import { seedDemoStore } from '../src/demo/seed';
import { createHub } from '../src/hub';

const REPO = resolve(import.meta.dirname, '../..');

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

/**
 * The store and the cloud provisioned as `npm start` provisions them (the provisioning script, as
 * the CouchDB admin): the hub's user URL and the cloud's.
 */
export async function provisionWithCloud(
  adminUrl: string,
  dataDir: string,
): Promise<{ storeId: string; hubUrl: string; cloudUrl: string }> {
  mkdirSync(dataDir, { recursive: true });
  const seeding = createHub({ dataDir });
  let storeId: string;
  try {
    await seedDemoStore(seeding);
    storeId = seeding.store.getStore().id;
  } finally {
    seeding.close();
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO, 'cloud-service/src/provision/provision-main.ts'),
      '--cloud',
      '--store',
      storeId,
      '--rotate-password',
      '--json',
    ],
    { cwd: REPO, env: { ...process.env, COUCHDB_URL: adminUrl }, encoding: 'utf8' },
  );
  const { users } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    users: { user: string; couchdbUrl?: string }[];
  };
  const urlOf = (user: string) => {
    const url = users.find((u) => u.user === user)?.couchdbUrl;
    if (!url) throw new Error(`provisioning made no URL for ${user}`);
    return url;
  };
  return { storeId, hubUrl: urlOf(`hub-${storeId}`), cloudUrl: urlOf('cloud') };
}
