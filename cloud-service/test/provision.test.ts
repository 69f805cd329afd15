// Provisioning and the roles it sets up, over real HTTP against the embedded CouchDB-compatible
// server: what a hub's credentials, the cloud's and nobody's can do, the provisioning command
// itself, and that running it again changes nothing but a password asked for.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOUD_DBS,
  REGISTRY_DB,
  bookingDocId,
  intentDocId,
  storeDbName,
  storeInboxDbName,
} from '@roomhub/shared-types';
import { createCouchClient } from '../src/couch';
import { CLOUD_DESIGNS } from '../src/design-docs';
import { IntentSigner } from '../src/intents/intent-signer';
import { Provisioner } from '../src/provision/provisioner';
import { CLOUD_KEYS, bookingFact } from './cloud-fixtures';
import { authorizationOf, startTestCouch, userUrl, type TestCouch } from './test-couch';

let root: string;
let couch: TestCouch;
let hubA: string;
let hubB: string;
/** Every answer's body, to look for the server's folders in at the end. */
const bodies: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-provision-'));
  couch = await startTestCouch(root);
  hubA = await couch.hubUrl('pa');
  hubB = await couch.hubUrl('pb');
});

afterAll(async () => {
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** One request as the user `as` carries (a URL with credentials), or anonymously. */
async function call(as: string | undefined, method: string, url: string, body?: unknown) {
  const res = await fetch(couch.couch.url + url, {
    method,
    headers: {
      ...(as ? { authorization: authorizationOf(as) } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  bodies.push(text);
  return res.status;
}

const fact = (storeId: string, bookingId: string) =>
  bookingFact({
    storeId,
    bookingId,
    roomId: 'r1',
    start: '2026-11-24T14:00:00+08:00',
    end: '2026-11-24T15:00:00+08:00',
    amount: 5000,
    at: '2026-11-23T10:00:00+08:00',
  });

const intent = (storeId: string, intentId: string) => ({
  type: 'intent',
  intentId,
  storeId,
  customerId: 'c1',
  createdAt: '2026-11-23T10:00:00.000Z',
  kind: 'door_open',
  body: { bookingId: 'b1' },
});

const loopingView = { views: { v: { map: 'function (doc) { while (true) {} }' } } };

describe('roles', () => {
  it('refuses anonymous requests everywhere', async () => {
    for (const [method, url] of [
      ['GET', '/'],
      ['GET', `/${storeDbName('pa')}/_all_docs`],
      ['PUT', `/${CLOUD_DBS.owners}/owner:mallory`],
      ['PUT', '/somedb'],
      ['GET', '/_all_dbs'],
    ]) {
      const body = method === 'GET' ? undefined : {};
      expect(await call(undefined, method!, url!, body), `${method} ${url}`).toBe(401);
    }
  });

  it("lets a hub write its own store's facts and read its inbox, nothing more", async () => {
    const mine = fact('pa', 'b1');
    expect(await call(hubA, 'PUT', `/${storeDbName('pa')}/${mine._id}`, mine)).toBe(201);
    expect(await call(hubA, 'GET', `/${storeInboxDbName('pa')}/_all_docs`)).toBe(200);
    // Another store's databases: neither read nor written.
    const theirs = fact('pb', 'b1');
    expect(await call(hubA, 'GET', `/${storeDbName('pb')}/_all_docs`)).toBe(403);
    expect(await call(hubA, 'PUT', `/${storeDbName('pb')}/${theirs._id}`, theirs)).toBe(403);
    expect(await call(hubA, 'GET', `/${storeInboxDbName('pb')}/_changes`)).toBe(403);
    // Its own database, but another store's fact or a document a hub does not own.
    expect(await call(hubA, 'PUT', `/${storeDbName('pa')}/booking:b2`, fact('pb', 'b2'))).toBe(403);
    expect(
      await call(hubA, 'PUT', `/${storeDbName('pa')}/${intentDocId('i1')}`, intent('pa', 'i1')),
    ).toBe(403);
    // Its own inbox: it cannot forge an intent.
    const forged = intent('pa', 'forged');
    expect(
      await call(hubA, 'PUT', `/${storeInboxDbName('pa')}/${intentDocId('forged')}`, forged),
    ).toBe(403);
    expect(
      await call(hubA, 'POST', `/${storeInboxDbName('pa')}/_bulk_docs`, {
        docs: [{ _id: intentDocId('forged2'), ...intent('pa', 'forged2') }],
      }),
    ).toBe(201);
    expect(await couch.admin.get(storeInboxDbName('pa'), intentDocId('forged2'))).toBeUndefined();
    // No database, no design document, no list of databases, no cloud database.
    expect(await call(hubA, 'PUT', '/store-pz')).toBe(401);
    expect(await call(hubA, 'PUT', `/${storeDbName('pa')}/_design/mine`, loopingView)).toBe(401);
    expect(await call(hubA, 'GET', '/_all_dbs')).toBe(401);
    expect(await call(hubA, 'GET', `/${CLOUD_DBS.owners}/_all_docs`)).toBe(403);
    expect(await call(hubA, 'GET', `/${REGISTRY_DB}/_all_docs`)).toBe(403);
    expect(await call(hubA, 'PUT', `/${storeDbName('pa')}/_security`, {})).toBe(401);
    expect(await call(hubA, 'GET', `/_users/org.couchdb.user:hub-pb`)).toBe(401);
  });

  it("lets the cloud write intents and its own databases, never a hub's facts", async () => {
    const cloud = couch.cloudUrl;
    const door = intent('pa', 'i-cloud');
    expect(
      await call(cloud, 'PUT', `/${storeInboxDbName('pa')}/${intentDocId('i-cloud')}`, door),
    ).toBe(201);
    expect(await call(cloud, 'GET', `/${storeDbName('pa')}/_all_docs`)).toBe(200);
    const fake = fact('pa', 'b-cloud');
    expect(await call(cloud, 'PUT', `/${storeDbName('pa')}/${fake._id}`, fake)).toBe(403);
    expect(
      await call(cloud, 'PUT', `/${storeDbName('pa')}/answer:i-cloud`, {
        type: 'answer',
        intentId: 'i-cloud',
        outcome: 'opened',
      }),
    ).toBe(403);
    // Its views are the admin's to install: not even the cloud writes a design document.
    expect(await call(cloud, 'PUT', `/${storeDbName('pa')}/_design/cloud`, loopingView)).toBe(401);
    expect(await call(cloud, 'PUT', `/${CLOUD_DBS.intents}/_design/more`, loopingView)).toBe(401);
    expect(await call(cloud, 'PUT', '/newdb')).toBe(401);
    expect(await call(cloud, 'GET', `/${REGISTRY_DB}/_all_docs`)).toBe(200);
    expect(await call(cloud, 'PUT', `/${REGISTRY_DB}/store:ghost`, { storeId: 'ghost' })).toBe(403);
  });

  it("lets the cloud write what its signed intents, owners' changes, refunds and limits need", async () => {
    const cloud = createCouchClient(couch.cloudUrl);
    const signer = new IntentSigner(CLOUD_KEYS.privateKey);
    // A signed customer intent and a signed owner intent (ownerId, no customerId) in an inbox.
    const door = signer.sign({ _id: intentDocId('i-signed'), ...intent('pa', 'i-signed') });
    await cloud.put(storeInboxDbName('pa'), door);
    const { customerId: _c, ...noCustomer } = intent('pa', 'o-signed');
    const change = signer.sign({
      _id: intentDocId('o-signed'),
      ...noCustomer,
      ownerId: 'boss',
      kind: 'store_patch',
      body: { name: 'Renamed' },
    });
    await cloud.put(storeInboxDbName('pa'), change);
    expect(await couch.admin.get(storeInboxDbName('pa'), intentDocId('o-signed'))).toMatchObject({
      ownerId: 'boss',
      signature: { keyId: signer.keyId },
    });
    // ...which no hub may write, signed or not.
    const copied = { ...change, _id: intentDocId('o-copied'), intentId: 'o-copied' };
    expect(
      await call(hubA, 'PUT', `/${storeInboxDbName('pa')}/${intentDocId('o-copied')}`, copied),
    ).toBe(403);
    // The cloud's own records: an owner's intent record, a payment's running refund total, a
    // refused refund, a sender's recent sends.
    await cloud.put(CLOUD_DBS.intents, {
      _id: 'intent:owner:boss:o-signed',
      type: 'intent_record',
      intentId: 'o-signed',
      storeId: 'pa',
      ownerId: 'boss',
      state: 'waiting',
    });
    await cloud.put(CLOUD_DBS.intents, { _id: 'refunded:pay-1', type: 'refunded', entries: {} });
    await cloud.put(CLOUD_DBS.intents, { _id: 'refund-refused:pa:e1', type: 'refund_refused' });
    await cloud.put(CLOUD_DBS.auth, { _id: 'sender:k1', sends: [] });
    for (const [db, id] of [
      [CLOUD_DBS.intents, 'refunded:pay-1'],
      [CLOUD_DBS.auth, 'sender:k1'],
    ] as const) {
      expect(await call(hubA, 'PUT', `/${db}/${id}x`, { type: 'x' }), `${db}/${id}`).toBe(403);
    }
    // The intents views the cloud reads, at the version it needs, installed by provisioning.
    const views = await couch.admin.get(CLOUD_DBS.intents, '_design/cloud');
    expect(views).toMatchObject({ version: CLOUD_DESIGNS.intents.version });
    expect(Object.keys((views as unknown as { views: object }).views)).toEqual(
      expect.arrayContaining(['by-payment', 'refunds-by-payment', 'owner-waiting-by-store']),
    );
    expect(
      await cloud.view(CLOUD_DBS.intents, 'cloud', 'owner-waiting-by-store', {
        startkey: ['pa'],
        endkey: ['pa', {}],
      }),
    ).toEqual([expect.objectContaining({ id: 'intent:owner:boss:o-signed' })]);
  });

  it('lets nobody but the cloud write owners, auth or intents, nor delete what it wrote', async () => {
    const cloud = createCouchClient(couch.cloudUrl);
    const limit = await cloud.put(CLOUD_DBS.auth, { _id: 'phone:k1', sends: ['2026-11-23'] });
    for (const db of [CLOUD_DBS.owners, CLOUD_DBS.auth, CLOUD_DBS.intents]) {
      const owner = { type: 'owner', username: 'mallory', passwordHash: 'x', storeIds: ['pa'] };
      for (const as of [hubA, couch.couch.adminUrl]) {
        expect(await call(as, 'PUT', `/${db}/owner:mallory`, owner), `${db}`).toBe(403);
      }
      expect(await call(couch.cloudUrl, 'PUT', `/${db}/owner:cloud-${db}`, owner)).toBe(201);
    }
    expect(await call(hubA, 'DELETE', `/${CLOUD_DBS.auth}/phone:k1?rev=${limit}`)).toBe(403);
    expect(await cloud.get(CLOUD_DBS.auth, 'phone:k1')).toMatchObject({ _rev: limit });
  });

  it('installs the views and validate functions as the admin, and a looping view by no one else', async () => {
    const views = await couch.admin.get(storeDbName('pa'), '_design/cloud');
    expect(views).toMatchObject({ version: expect.any(Number) });
    expect(await couch.admin.get(storeDbName('pa'), '_design/access')).toMatchObject({
      validate_doc_update: expect.stringContaining('hub-pa'),
    });
    // Members are refused as not admins (401), others as not members (403).
    for (const as of [hubA, hubB, couch.cloudUrl]) {
      for (const url of [
        `/${storeDbName('pa')}/_design/loop`,
        `/${storeDbName('pa')}/_design%2Floop`,
      ]) {
        expect([401, 403]).toContain(await call(as, 'PUT', url, loopingView));
      }
      const temp = await call(as, 'POST', `/${storeDbName('pa')}/_temp_view`, loopingView.views.v);
      expect([401, 403]).toContain(temp);
    }
    expect(await couch.admin.get(storeDbName('pa'), '_design/loop')).toBeUndefined();
  });

  it('lets no answer carry a folder of the server', () => {
    expect(bodies.length).toBeGreaterThan(30);
    const code = path.resolve(import.meta.dirname, '..', '..');
    for (const body of bodies) {
      expect(body).not.toContain(root);
      expect(body).not.toContain(code);
    }
  });
});

describe('provisioning', () => {
  const provisioner = () =>
    new Provisioner({
      couch: couch.admin,
      clock: { now: () => Date.now() },
      newPassword: () => `pw-${Math.random().toString(16).slice(2)}-0123456789`,
    });

  it('changes nothing when run again, and a password only when asked', async () => {
    expect(await provisioner().cloud()).toEqual({ user: 'cloud', changed: [] });
    expect(await provisioner().store('pa')).toEqual({ user: 'hub-pa', changed: [] });
    expect(await call(hubA, 'GET', `/${storeDbName('pa')}`)).toBe(200);
    const rotated = await provisioner().store('pa', { rotatePassword: true });
    expect(rotated.password).toBeDefined();
    expect(rotated.changed).toEqual(['hub-pa: new password']);
    expect(await call(hubA, 'GET', `/${storeDbName('pa')}`)).toBe(401);
    hubA = userUrl(couch.couch.url, 'hub-pa', rotated.password!);
    expect(await call(hubA, 'GET', `/${storeDbName('pa')}`)).toBe(200);
  });

  it('puts back what someone changed: _security, the validate function', async () => {
    await couch.admin.putSecurity(storeDbName('pb'), { members: { names: ['anyone'] } });
    const access = await couch.admin.get(storeDbName('pb'), '_design/access');
    await couch.admin.put(storeDbName('pb'), { ...access!, validate_doc_update: 'function(){}' });
    const again = await provisioner().store('pb');
    expect(again.changed).toEqual([
      `${storeDbName('pb')}: _security set`,
      `${storeDbName('pb')}: validate function set`,
    ]);
    expect(await call(hubB, 'PUT', `/${storeDbName('pb')}/booking:x`, { type: 'nonsense' })).toBe(
      403,
    );
  });

  it('is a command: prints the new user URL once, and provisions existing stores', async () => {
    const run = async (...args: string[]) =>
      (
        await promisify(execFile)(
          process.execPath,
          [
            '--import',
            'tsx',
            path.resolve(import.meta.dirname, '../src/provision/provision-main.ts'),
            ...args,
          ],
          { env: { ...process.env, COUCHDB_URL: couch.couch.adminUrl }, encoding: 'utf8' },
        )
      ).stdout;
    // A store database made before users existed (an upgrade): found and provisioned.
    await couch.admin.ensureDb(storeDbName('legacy'));
    const out = JSON.parse(await run('--store', 'pn', '--existing-stores', '--json')) as {
      users: { user: string; couchdbUrl?: string }[];
    };
    const byUser = new Map(out.users.map((u) => [u.user, u.couchdbUrl]));
    expect(byUser.get('hub-pa')).toBeUndefined(); // in place already: no password to show
    expect(byUser.get('hub-pn')).toMatch(/^http:\/\/hub-pn:[0-9a-f]{32}@127\.0\.0\.1:\d+$/);
    expect(byUser.has('hub-legacy')).toBe(true);
    expect(await call(byUser.get('hub-legacy'), 'GET', `/${storeDbName('legacy')}`)).toBe(200);
    const registry = await createCouchClient(couch.cloudUrl).byPrefix(REGISTRY_DB, 'store:');
    expect(registry.map((d) => d.storeId)).toEqual(
      expect.arrayContaining(['pa', 'pb', 'pn', 'legacy']),
    );
    const text = await run('--store', 'pn');
    expect(text).toContain('in place already');
    expect(text).not.toMatch(/[0-9a-f]{32}/);
    // A bad call says how to call it.
    await expect(run('--nonsense')).rejects.toThrow(/usage/);
  });

  it("a hub's URL from provisioning syncs facts up and reads its inbox", async () => {
    const hub = createCouchClient(hubA);
    const b = fact('pa', 'b-sync');
    await hub.put(storeDbName('pa'), b);
    expect(await couch.admin.get(storeDbName('pa'), bookingDocId('b-sync'))).toMatchObject({
      type: 'booking',
    });
    expect(await hub.get(storeInboxDbName('pa'), intentDocId('i-cloud'))).toMatchObject({
      type: 'intent',
    });
  });
});
