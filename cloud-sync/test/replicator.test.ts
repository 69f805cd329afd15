// The replicator against the embedded CouchDB-compatible server over real HTTP, directly and
// through a TCP proxy that cuts, black-holes and freezes the connection, as the store's own
// CouchDB user (which may not create databases); intents are written as the cloud's user.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  answerDocId,
  intentDocId,
  intentKeyId,
  intentSigningText,
  storeDbName,
  storeInboxDbName,
  type IntentDoc,
} from '@roomhub/shared-types';
import { startEmbeddedCouch, type EmbeddedCouch } from '../src/embedded-couch';
import { IntentKeys } from '../src/intent-keys';
import {
  createReplicator,
  type OutboxRow,
  type OutboxSource,
  type Replicator,
  type ReplicatorOptions,
} from '../src/replicator';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { grantStore } from './store-access';

const FAST = {
  stallMs: 1_500,
  probeMs: 250,
  requestTimeoutMs: 1_000,
  feedTimeoutMs: 3_000,
  pollMs: 100,
  backoff: { initialMs: 100, maxMs: 400 },
} satisfies Partial<ReplicatorOptions>;

/** The hub's outbox table, in memory: one row per committed change, ascending seq. */
class MemoryOutbox implements OutboxSource {
  rows: OutboxRow[] = [];
  acked = 0;
  private seq = 0;
  add(id: string, doc: object): number {
    this.seq += 1;
    this.rows.push({ seq: this.seq, id, doc });
    return this.seq;
  }
  read(afterSeq: number, limit: number): OutboxRow[] {
    return this.rows.filter((r) => r.seq > afterSeq).slice(0, limit);
  }
  lastSeq(): number {
    return this.seq;
  }
  ack(seq: number): void {
    this.acked = Math.max(this.acked, seq);
  }
  /** Each id's latest content, as the cloud must end up holding it. */
  latest(): Map<string, object> {
    const map = new Map<string, object>();
    for (const row of this.rows) map.set(row.id, row.doc);
    return map;
  }
}

/** The hub's `answer`, counting calls per intent id. */
function answerSpy() {
  const calls = new Map<string, number>();
  /** Intent ids whose next answers throw, as a hub that failed (not decided) would. */
  const failing = new Map<string, number>();
  const answer = async (intent: IntentDoc) => {
    calls.set(intent.intentId, (calls.get(intent.intentId) ?? 0) + 1);
    const left = failing.get(intent.intentId) ?? 0;
    if (left > 0) {
      failing.set(intent.intentId, left - 1);
      throw new Error('the hub could not decide now');
    }
    return intent.kind === 'door_open'
      ? { outcome: 'opened' as const }
      : { outcome: 'confirmed' as const, bookingId: `b-${intent.intentId}` };
  };
  return { calls, failing, answer };
}

function bookingRow(storeId: string, n: number, status: string) {
  return {
    type: 'booking',
    storeId,
    bookingId: `k${n}`,
    roomId: 'r1',
    status,
    start: '2026-11-22T06:00:00.000Z',
    end: '2026-11-22T08:00:00.000Z',
    partySize: 4,
    totals: { amount: 12_000, paid: status === 'paid' ? 12_000 : 0, refunded: 0 },
    lines: [],
    history: [],
    updatedAt: '2026-11-22T05:00:00.000Z',
  };
}

function intent(storeId: string, intentId: string): IntentDoc & { _id: string } {
  return {
    _id: intentDocId(intentId),
    type: 'intent',
    intentId,
    storeId,
    customerId: 'c1',
    createdAt: '2026-11-22T05:00:00.000Z',
    kind: 'booking_request',
    body: {
      booking: {
        roomId: 'r1',
        start: '2026-11-23T06:00:00.000Z',
        end: '2026-11-23T08:00:00.000Z',
        partySize: 2,
        customer: { phone: '13800138000' },
      },
      payment: { paymentId: `p-${intentId}`, method: 'wechat', amount: 8_000 },
    },
  };
}

/** The intent signed with `key` as the cloud service signs it. */
function signedWith<T extends Record<string, unknown>>(doc: T, key: KeyObject): T {
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  const sig = sign(null, new Uint8Array(Buffer.from(intentSigningText(doc))), key).toString(
    'base64url',
  );
  return { ...doc, signature: { keyId: intentKeyId(spki), sig } };
}

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** All docs in the cloud's store database, by id, without _rev. */
async function remoteDocs(db: PouchDB.Database): Promise<Map<string, Record<string, unknown>>> {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  const map = new Map<string, Record<string, unknown>>();
  for (const row of all.rows) {
    const { _rev: _r, ...doc } = row.doc as unknown as Record<string, unknown>;
    map.set(row.id, doc);
  }
  return map;
}

function withoutId(doc: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!doc) return undefined;
  const { _id: _i, ...rest } = doc;
  return rest;
}

let couch: EmbeddedCouch;
let root: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cloud-sync-'));
  couch = await startEmbeddedCouch({ dir: path.join(root, 'cloud') });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await couch.close();
  await rm(root, { recursive: true, force: true });
});

async function setup(storeId: string, viaProxy: boolean) {
  const proxy: TcpProxy | undefined = viaProxy
    ? await startTcpProxy(Number(new URL(couch.url).port))
    : undefined;
  if (proxy) cleanups.push(() => proxy.close());
  // The store's databases and users, as provisioning makes them.
  const { hubUrl, cloudUrl } = await grantStore(couch.adminUrl, storeId);
  const remote = new PouchDB(`${couch.adminUrl}/${storeDbName(storeId)}`);
  cleanups.push(() => remote.close());
  // What the cloud addresses to the store: intents go here, answers come back in `remote`.
  const inbox = new PouchDB(`${cloudUrl}/${storeInboxDbName(storeId)}`);
  cleanups.push(() => inbox.close());
  const outbox = new MemoryOutbox();
  const spy = answerSpy();
  const localDir = path.join(root, `hub-${storeId}`);
  const replicators: Replicator[] = [];
  const make = (overrides: Partial<ReplicatorOptions> = {}) => {
    const replicator = createReplicator({
      ...FAST,
      ...overrides,
      localDir,
      remoteUrl: proxy ? withCredentialsOf(hubUrl, proxy.url) : hubUrl,
      storeId,
      outbox,
      answer: spy.answer,
      clock: { now: () => Date.now() },
      ...(process.env.SYNC_LOG
        ? {
            log: (e) =>
              console.log(storeId, Date.now() % 100000, e.event, JSON.stringify(e.detail ?? {})),
          }
        : {}),
    });
    replicators.push(replicator);
    return replicator;
  };
  cleanups.push(async () => {
    for (const r of replicators) await r.stop();
  });
  return { proxy, remote, inbox, outbox, spy, make, hubUrl };
}

/** `target` with the user and password of `from`. */
function withCredentialsOf(from: string, target: string): string {
  const url = new URL(target);
  url.username = new URL(from).username;
  url.password = new URL(from).password;
  return url.toString().replace(/\/+$/, '');
}

describe('replicator over HTTP', () => {
  it('pushes outbox rows with their latest content and answers each intent once', async () => {
    const storeId = 's-direct';
    const { remote, inbox, outbox, spy, make } = await setup(storeId, false);
    const replicator = make();
    await replicator.start();

    outbox.add('booking:k1', bookingRow(storeId, 1, 'pending_payment'));
    outbox.add('booking:k2', bookingRow(storeId, 2, 'paid'));
    outbox.add('booking:k1', bookingRow(storeId, 1, 'paid'));
    await replicator.syncNow();
    await inbox.put(intent(storeId, 'i1'));

    await waitFor(
      'outbox docs and the answer in the cloud',
      async () => {
        const docs = await remoteDocs(remote);
        return docs.get('booking:k1')?.status === 'paid' && docs.has(answerDocId('i1'));
      },
      10_000,
    );
    const docs = await remoteDocs(remote);
    expect(withoutId(docs.get('booking:k2'))).toEqual(bookingRow(storeId, 2, 'paid'));
    expect(docs.get(answerDocId('i1'))).toMatchObject({
      type: 'answer',
      intentId: 'i1',
      outcome: 'confirmed',
      bookingId: 'b-i1',
    });
    expect(spy.calls.get('i1')).toBe(1);
    const settled = await waitFor(
      'status to settle',
      () => {
        const s = replicator.status();
        return s.pendingOut === 0 && s.pendingIn === 0 && s.state === 'online' && s;
      },
      5_000,
    );
    expect(settled.lastSyncAt).not.toBeNull();
    expect(settled.lagMs).toBe(0);
    expect(outbox.acked).toBe(3);
  });

  it('answers an intent that reached the local inbox without a replication event', async () => {
    // A pull cancelled by a restart can write an intent and never report it; the next pull finds
    // it already there and reports nothing either. The local inbox's own feed must catch it.
    const storeId = 's-silent';
    const { remote, spy, make } = await setup(storeId, false);
    const replicator = make();
    await replicator.start();
    const localInbox = new PouchDB(path.join(root, `hub-${storeId}`, storeInboxDbName(storeId)));
    await localInbox.put(intent(storeId, 'quiet1'));
    await waitFor(
      'the answer in the cloud',
      async () => (await remoteDocs(remote)).has(answerDocId('quiet1')),
      10_000,
    );
    expect(spy.calls.get('quiet1')).toBe(1);
  });

  it('tries an intent the hub failed to decide again, alone, and shows it pending meanwhile', async () => {
    const storeId = 's-retry';
    const { remote, inbox, spy, make } = await setup(storeId, false);
    const replicator = make();
    await replicator.start();
    spy.failing.set('hard1', 2);
    await inbox.put(intent(storeId, 'hard1'));
    await inbox.put(intent(storeId, 'easy1'));
    await waitFor(
      'the easy one answered while the hard one waits',
      async () =>
        (await remoteDocs(remote)).has(answerDocId('easy1')) && replicator.status().pendingIn >= 1,
      10_000,
    );
    await waitFor(
      'the hard one answered after its retries',
      async () => (await remoteDocs(remote)).has(answerDocId('hard1')),
      10_000,
    );
    expect(spy.calls.get('hard1')).toBe(3);
    expect(spy.calls.get('easy1')).toBe(1);
    await waitFor('nothing pending', () => replicator.status().pendingIn === 0, 5_000);
  });

  it('answers a bad intent "rejected" without asking the hub, and keeps going', async () => {
    const storeId = 's-invalid';
    const { remote, inbox, spy, make } = await setup(storeId, false);
    const replicator = make();
    await replicator.start();
    await inbox.put({ _id: intentDocId('bad1'), type: 'intent', kind: 'booking_request' });
    await inbox.put({ ...intent(storeId, 'late'), expiresAt: '2020-01-01T00:00:00.000Z' });
    await inbox.put(intent(storeId, 'good'));
    const docs = await waitFor(
      'three answers',
      async () => {
        const d = await remoteDocs(remote);
        return ['bad1', 'late', 'good'].every((id) => d.has(answerDocId(id))) && d;
      },
      10_000,
    );
    expect(docs.get(answerDocId('bad1'))).toMatchObject({ outcome: 'rejected' });
    expect(docs.get(answerDocId('late'))).toMatchObject({ outcome: 'rejected' });
    expect(docs.get(answerDocId('good'))).toMatchObject({ outcome: 'confirmed' });
    expect([...spy.calls.keys()]).toEqual(['good']);
    expect(replicator.status().invalidIntents).toBe(1);
  });

  it('hands the hub only intents that verify, and answers the others "invalid signature"', async () => {
    const storeId = 's-verify';
    const { remote, inbox, spy, make } = await setup(storeId, false);
    const cloudKey = generateKeyPairSync('ed25519');
    const keys = new IntentKeys([cloudKey.publicKey]);
    const verified: string[] = [];
    const replicator = make({
      verify: (parsed, doc) => {
        verified.push(parsed.intentId);
        return keys.check(doc);
      },
    });
    await replicator.start();
    const signed = signedWith(intent(storeId, 'signed'), cloudKey.privateKey);
    const unsigned = intent(storeId, 'unsigned');
    const otherKey = signedWith(
      intent(storeId, 'other-key'),
      generateKeyPairSync('ed25519').privateKey,
    );
    // Signed, then made to name someone else.
    const altered = {
      ...signedWith(intent(storeId, 'altered'), cloudKey.privateKey),
      customerId: 'c-someone-else',
    };
    for (const doc of [signed, unsigned, otherKey, altered]) await inbox.put(doc);
    const docs = await waitFor(
      'four answers',
      async () => {
        const d = await remoteDocs(remote);
        return (
          ['signed', 'unsigned', 'other-key', 'altered'].every((id) => d.has(answerDocId(id))) && d
        );
      },
      10_000,
    );
    expect(docs.get(answerDocId('signed'))).toMatchObject({ outcome: 'confirmed' });
    for (const id of ['unsigned', 'other-key', 'altered']) {
      expect(docs.get(answerDocId(id))).toMatchObject({
        outcome: 'rejected',
        reason: 'invalid signature',
      });
    }
    expect([...spy.calls.keys()]).toEqual(['signed']);
    expect(verified.sort()).toEqual(['altered', 'other-key', 'signed', 'unsigned']);
    expect(replicator.status().invalidIntents).toBe(3);
  });

  it('after a partition heals: every hub fact in the cloud once, every intent answered once, across a restart', async () => {
    const storeId = 's-partition';
    const { proxy, remote, inbox, outbox, spy, make } = await setup(storeId, true);
    const first = make();
    await first.start();
    outbox.add('booking:k0', bookingRow(storeId, 0, 'paid'));
    await waitFor('online', () => first.status().state === 'online', 5_000);

    proxy!.cut();
    // Bookings happen at the kiosk; requests arrive in the cloud.
    for (let n = 1; n <= 30; n += 1)
      outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'pending_payment'));
    for (let n = 1; n <= 30; n += 3) outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'paid'));
    for (let n = 1; n <= 8; n += 1) await inbox.put(intent(storeId, `i${n}`));
    await first.syncNow();
    const offline = await waitFor(
      'offline',
      () => first.status().state === 'offline' && first.status(),
      5_000,
    );
    expect(offline.pendingOut).toBeGreaterThan(0);

    proxy!.heal();
    const all = () => [...outbox.latest().keys()];
    await waitFor(
      'catch-up after the heal',
      async () => {
        const d = await remoteDocs(remote);
        return (
          all().every((id) => d.has(id)) &&
          [1, 2, 3, 4, 5, 6, 7, 8].every((n) => d.has(answerDocId(`i${n}`)))
        );
      },
      15_000,
    );

    // Re-delivered intent: the cloud writes it again (a new revision, same id).
    const again = await inbox.get(intentDocId('i3'));
    await inbox.put({ ...again, createdAt: '2026-11-22T05:00:01.000Z' });
    const answerBefore = await remote.get(answerDocId('i3'));
    await new Promise((r) => setTimeout(r, 800));
    await first.stop();

    // While the hub is down, more of both.
    for (let n = 31; n <= 35; n += 1) outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'paid'));
    for (let n = 9; n <= 10; n += 1) await inbox.put(intent(storeId, `i${n}`));
    // And the cloud re-delivers an old one once more.
    const again2 = await inbox.get(intentDocId('i5'));
    await inbox.put({ ...again2, createdAt: '2026-11-22T05:00:02.000Z' });

    const second = make();
    await second.start();
    await waitFor(
      'catch-up after the restart',
      async () => {
        const d = await remoteDocs(remote);
        return (
          all().every((id) => d.has(id)) &&
          [9, 10].every((n) => d.has(answerDocId(`i${n}`))) &&
          second.status().pendingOut === 0
        );
      },
      15_000,
    );

    const docs = await remoteDocs(remote);
    const latest = outbox.latest();
    for (const [id, doc] of latest) expect(withoutId(docs.get(id)), id).toEqual(doc);
    const hubIds = [...docs.keys()].filter((id) => id.startsWith('booking:'));
    expect(hubIds.sort()).toEqual([...latest.keys()].sort());
    for (const [id, doc] of docs) expect(doc._conflicts, id).toBeUndefined();
    // Intents stay in the inbox: the hub never pushes them into its own database.
    expect([...docs.keys()].filter((id) => id.startsWith('intent:'))).toEqual([]);
    const intents = (await inbox.allDocs()).rows
      .map((r) => r.id)
      .filter((id) => id.startsWith('intent:'));
    const answers = [...docs.keys()].filter((id) => id.startsWith('answer:'));
    expect(answers.length).toBe(intents.length);
    expect(intents.length).toBe(10);
    expect([...spy.calls.values()].every((count) => count === 1)).toBe(true);
    expect(spy.calls.size).toBe(10);
    expect((await remote.get(answerDocId('i3')))._rev).toBe(answerBefore._rev);
    expect(outbox.acked).toBe(outbox.lastSeq());
  });

  it('notices a black-holed connection and recovers when it heals', async () => {
    const storeId = 's-blackhole';
    const { proxy, remote, outbox, make } = await setup(storeId, true);
    const replicator = make();
    await replicator.start();
    await waitFor('online', () => replicator.status().state === 'online', 5_000);

    proxy!.blackhole();
    for (let n = 1; n <= 5; n += 1) outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'paid'));
    await replicator.syncNow();
    await waitFor('offline', () => replicator.status().state !== 'online', 5_000);

    const healedAt = Date.now();
    proxy!.heal();
    await waitFor(
      'the docs in the cloud',
      async () => {
        const d = await remoteDocs(remote);
        return [1, 2, 3, 4, 5].every((n) => d.has(`booking:k${n}`));
      },
      10_000,
    );
    const recoveryMs = Date.now() - healedAt;
    expect(recoveryMs).toBeLessThan(FAST.stallMs * 3);
    await waitFor('online again', () => replicator.status().state === 'online', 5_000);
  });

  it('rides out a clean outage without churn and uses the healed line within about a second', async () => {
    const storeId = 's-outage';
    const { proxy, remote, outbox, make } = await setup(storeId, true);
    // Production-like pacing: the watchdog runs every 10 s; only the offline probe is quick.
    const replicator = make({ stallMs: 30_000, probeMs: 10_000, backoff: FAST.backoff });
    await replicator.start();
    outbox.add('booking:k0', bookingRow(storeId, 0, 'paid'));
    await waitFor(
      'online and idle',
      () => replicator.status().pendingOut === 0 && replicator.status().state === 'online',
      5_000,
    );

    proxy!.cut();
    // Kiosk bookings keep coming while the line is down; each one asks for a sync.
    for (let n = 1; n <= 30; n += 1) {
      outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'paid'));
      await replicator.syncNow();
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor('offline', () => replicator.status().state === 'offline', 5_000);
    const restartsDuringOutage = replicator.status().restarts;
    expect(restartsDuringOutage).toBeLessThanOrEqual(2);

    const healedAt = Date.now();
    proxy!.heal();
    await waitFor(
      'the outage bookings in the cloud',
      async () => {
        const d = await remoteDocs(remote);
        return Array.from({ length: 30 }, (_, i) => `booking:k${i + 1}`).every((id) => d.has(id));
      },
      15_000,
    );
    // Far sooner than the 10 s watchdog: the offline probe noticed the line was back.
    expect(Date.now() - healedAt).toBeLessThan(5_000);
    expect(replicator.status().restarts - restartsDuringOutage).toBeLessThanOrEqual(1);
  });

  it('restarts a feed whose connections died silently while the network stayed up', async () => {
    const storeId = 's-frozen';
    const { proxy, remote, inbox, outbox, spy, make } = await setup(storeId, true);
    const replicator = make();
    await replicator.start();
    outbox.add('booking:k0', bookingRow(storeId, 0, 'paid'));
    await waitFor(
      'online and idle',
      () => {
        const s = replicator.status();
        return s.state === 'online' && s.pendingOut === 0;
      },
      5_000,
    );
    await new Promise((r) => setTimeout(r, 300)); // let the pull settle into its long-poll

    // Every open socket (the pull's long-poll, idle keep-alive sockets) goes silent; new
    // connections work, so a probe alone would never notice.
    const frozenAt = Date.now();
    proxy!.freeze();
    for (let n = 1; n <= 5; n += 1) outbox.add(`booking:k${n}`, bookingRow(storeId, n, 'paid'));
    await inbox.put(intent(storeId, 'f1'));

    await waitFor(
      'docs out and the intent answered',
      async () => {
        const d = await remoteDocs(remote);
        return [1, 2, 3, 4, 5].every((n) => d.has(`booking:k${n}`)) && d.has(answerDocId('f1'));
      },
      FAST.feedTimeoutMs + 5_000,
    );
    const recoveryMs = Date.now() - frozenAt;
    // The feed's heartbeat stops: both flows start again on fresh connections.
    expect(recoveryMs).toBeLessThan(FAST.feedTimeoutMs + 2_000);
    expect(spy.calls.get('f1')).toBe(1);
  });
});

describe('a link that freezes (a dropped NAT entry)', () => {
  // Production pacing: the watchdog every 10 s, requests given 30 s, a long-poll 60 s. Only the
  // change feed's heartbeat can tell a frozen connection from a quiet one this soon.
  const PRODUCTION = {
    stallMs: 30_000,
    probeMs: 10_000,
    requestTimeoutMs: 30_000,
    feedTimeoutMs: 60_000,
    backoff: { initialMs: 1_000, maxMs: 60_000 },
  } satisfies Partial<ReplicatorOptions>;

  /** A replicator through the proxy, online and idle for `idleMs` as a quiet store is. */
  async function idleHub(storeId: string, idleMs: number) {
    const s = await setup(storeId, true);
    const replicator = s.make(PRODUCTION);
    await replicator.start();
    s.outbox.add('booking:k0', bookingRow(storeId, 0, 'paid'));
    await waitFor(
      'online and idle',
      () => replicator.status().state === 'online' && replicator.status().pendingOut === 0,
      5_000,
    );
    await new Promise((r) => setTimeout(r, idleMs));
    return { ...s, replicator };
  }

  /**
   * Resolves with how long after `since` the replicator first told its listeners it is not
   * online (a stall it recovers from at once is told, then gone before a poll would see it).
   */
  function noticed(replicator: Replicator, since: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('still online after 10 s'));
      }, 10_000);
      const off = replicator.onStatus((s) => {
        if (s.state === 'online') return;
        clearTimeout(timer);
        off();
        resolve(Date.now() - since);
      });
    });
  }

  it('says so within 5 s and answers a request that waited within 2 s of the heal', async () => {
    const storeId = 's-nat-pull';
    const { proxy, remote, inbox, spy, replicator } = await idleHub(storeId, 5_000);
    const syncedBefore = replicator.status().lastSyncAt;

    // Open connections go silent and new ones hang, for a second; then new ones work again,
    // while the silenced ones stay dead, as after a NAT entry is dropped.
    const frozenAt = Date.now();
    proxy!.blackhole();
    const seen = noticed(replicator, frozenAt);
    await new Promise((r) => setTimeout(r, 1_000));
    proxy!.heal();
    const healedAt = Date.now();
    await inbox.put(intent(storeId, 'waited'));

    const noticedMs = await seen;
    await waitFor(
      'the answer in the cloud',
      async () => (await remoteDocs(remote)).has(answerDocId('waited')),
      60_000,
    );
    const answeredMs = Date.now() - healedAt;
    if (process.env.SYNC_FIGURES) console.log({ noticedMs, answeredMs });
    expect(noticedMs).toBeLessThan(5_000);
    expect(answeredMs).toBeLessThan(2_000);
    expect(spy.calls.get('waited')).toBe(1);
    await waitFor('online again', () => replicator.status().state === 'online', 5_000);
    expect(replicator.status().lastSyncAt).toBeGreaterThan(syncedBefore!);
  }, 90_000);

  it('says so within 5 s when a push is caught on a frozen connection, and sends it on a fresh one', async () => {
    const storeId = 's-nat-push';
    const { proxy, remote, outbox, replicator } = await idleHub(storeId, 1_000);

    // Open connections die silently; new ones work at once, so a probe alone sees nothing wrong.
    // A kiosk booking is pushed right then, on one of the dead ones.
    const frozenAt = Date.now();
    proxy!.freeze();
    outbox.add('booking:k1', bookingRow(storeId, 1, 'paid'));
    await replicator.syncNow();
    const noticedMs = await noticed(replicator, frozenAt);
    await waitFor(
      'the booking in the cloud',
      async () => (await remoteDocs(remote)).has('booking:k1'),
      60_000,
    );
    const pushedMs = Date.now() - frozenAt;
    if (process.env.SYNC_FIGURES) console.log({ noticedMs, pushedMs });
    expect(noticedMs).toBeLessThan(5_000);
    // Noticed, then sent at once on a fresh connection; not after the 30 s request deadline.
    expect(pushedMs - noticedMs).toBeLessThan(2_000);
    await waitFor('online again', () => replicator.status().state === 'online', 5_000);
  }, 90_000);

  it('keeps saying online, with no restart, on a quiet healthy line', async () => {
    const storeId = 's-nat-quiet';
    const { replicator } = await idleHub(storeId, 0);
    const before = replicator.status().restarts;
    // Several silence limits with nothing to sync: only heartbeats cross the line.
    for (let i = 0; i < 12; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      expect(replicator.status().state).toBe('online');
    }
    expect(replicator.status().restarts).toBe(before);
  }, 30_000);
});

describe('when the cloud refuses the hub', () => {
  /** A replicator for `storeId` with `remoteUrl`, its log kept. */
  async function refusedSetup(storeId: string, remoteUrl: string) {
    const logged: string[] = [];
    const replicator = createReplicator({
      ...FAST,
      localDir: path.join(root, `refused-${storeId}`),
      remoteUrl,
      storeId,
      outbox: new MemoryOutbox(),
      answer: answerSpy().answer,
      clock: { now: () => Date.now() },
      log: (e) => logged.push(`${e.level} ${e.event} ${JSON.stringify(e.detail ?? {})}`),
    });
    cleanups.push(() => replicator.stop());
    await replicator.start();
    return { replicator, logged };
  }

  it('says so, in its status and its log, when its password is wrong (401)', async () => {
    const { hubUrl } = await grantStore(couch.adminUrl, 's-badpass');
    const wrong = new URL(hubUrl);
    wrong.password = 'not-the-password';
    const { replicator, logged } = await refusedSetup('s-badpass', wrong.toString());
    const status = await waitFor(
      'the refusal',
      () => replicator.status().state === 'refused' && replicator.status(),
      5_000,
    );
    expect(status.refusal).toMatchObject({ status: 401 });
    expect(logged.filter((l) => l.startsWith('error the cloud refuses this hub'))).toHaveLength(1);
  });

  it("says so when it syncs with another store's credentials (403)", async () => {
    const { hubUrl: otherHub } = await grantStore(couch.adminUrl, 's-other');
    await grantStore(couch.adminUrl, 's-mine');
    const { replicator } = await refusedSetup('s-mine', otherHub);
    const status = await waitFor(
      'the refusal',
      () => replicator.status().state === 'refused' && replicator.status(),
      5_000,
    );
    expect(status.refusal).toMatchObject({
      status: 403,
      reason: 'You are not allowed to access this db.',
    });
  });

  it('creates no database for a store that was not provisioned, and says why it waits', async () => {
    // The hub's user exists (its store's were provisioned under another id) but may create none.
    const { hubUrl } = await grantStore(couch.adminUrl, 's-unknown');
    const { replicator } = await refusedSetup('s-unknown', hubUrl);
    await waitFor('online', () => replicator.status().state === 'online', 5_000);
    await replicator.stop();
    const { replicator: other } = await refusedSetup('s-never', couch.adminUrl);
    const status = await waitFor(
      'the refusal',
      () => other.status().state === 'refused' && other.status(),
      5_000,
    );
    expect(status.refusal).toMatchObject({ status: 404 });
    expect(status.refusal!.reason).toContain('not provisioned');
    const dbs = (await (
      await fetch(`${couch.url}/_all_dbs`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${couch.admin.name}:${couch.admin.password}`).toString('base64')}`,
        },
      })
    ).json()) as string[];
    expect(dbs).not.toContain(storeDbName('s-never'));
    expect(dbs).not.toContain(storeInboxDbName('s-never'));
  });
});
