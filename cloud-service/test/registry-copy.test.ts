// What an instance keeps of the registry answers exactly what CouchDB answers: random platform
// decisions (the review gate switched, stores suspended and restored, customers frozen and thawed,
// reviews approved, refused and withdrawn, documents deleted) written into the registry, then
// every question customers' reads ask (review-gate.ts, the freeze) put to the copy and to CouchDB.
// The copy of the instance that wrote (told by catching up after each write) and another
// instance's (which learns only from the feed it follows, deletions included) are both checked,
// against the embedded CouchDB-compatible server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_DB, type ReviewKind } from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../src/couch';
import { frozenId } from '../src/platform/platform-users';
import { RegistryCopy } from '../src/platform/registry-copy';
import {
  SETTINGS_ID,
  couchRegistry,
  limitId,
  reviewId,
  type RegistryReads,
} from '../src/platform/review-gate';
import { startTestCouch, type TestCouch } from './test-couch';

const STORES = ['s0', 's1', 's2'];
const CUSTOMERS = ['c0', 'c1', 'c2'];
const KINDS: ReviewKind[] = ['room', 'deal', 'product'];
const ITEMS = ['i0', 'i1'];
const AT = '2026-12-07T10:00:00.000Z';

let root: string;
let couch: TestCouch;
let admin: CouchClient;
/** The writing instance's copy: it catches up after each of its writes. */
let here: RegistryCopy;
/** Another instance's copy: it hears of the writes only through the feed it follows. */
let elsewhere: RegistryCopy;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'registry-copy-'));
  couch = await startTestCouch(root);
  admin = couch.admin;
  here = new RegistryCopy({ couch: couch.cloud });
  // Never catching up on its own within the test: what it holds comes from the feed alone.
  elsewhere = new RegistryCopy({ couch: couch.cloud, longPollMs: 2_000, checkEveryMs: 600_000 });
  elsewhere.warm();
});

afterAll(async () => {
  await here?.stop();
  await elsewhere?.stop();
  await couch?.close();
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

type Decision =
  | { kind: 'gate'; on: boolean }
  | { kind: 'limit'; storeId: string; suspended: boolean }
  | { kind: 'freeze'; customerId: string; frozen: boolean; reason: string }
  | {
      kind: 'review';
      storeId: string;
      reviewKind: ReviewKind;
      itemId: string;
      approvedHash: string | null;
    }
  | { kind: 'delete'; id: string };

const decision: fc.Arbitrary<Decision> = fc.oneof(
  fc.record({ kind: fc.constant('gate' as const), on: fc.boolean() }),
  fc.record({
    kind: fc.constant('limit' as const),
    storeId: fc.constantFrom(...STORES),
    suspended: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('freeze' as const),
    customerId: fc.constantFrom(...CUSTOMERS),
    frozen: fc.boolean(),
    reason: fc.constantFrom('多次恶意退款', '疑似盗号'),
  }),
  fc.record({
    kind: fc.constant('review' as const),
    storeId: fc.constantFrom(...STORES),
    reviewKind: fc.constantFrom(...KINDS),
    itemId: fc.constantFrom(...ITEMS),
    approvedHash: fc.option(fc.constantFrom('h1', 'h2'), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    id: fc.constantFrom(
      SETTINGS_ID,
      ...STORES.map(limitId),
      ...CUSTOMERS.map(frozenId),
      ...STORES.flatMap((s) => KINDS.flatMap((k) => ITEMS.map((i) => reviewId(s, k, i)))),
    ),
  }),
);

function documentOf(d: Exclude<Decision, { kind: 'delete' }>): CouchDoc {
  switch (d.kind) {
    case 'gate':
      return { _id: SETTINGS_ID, type: 'platform_settings', reviewBeforeShowing: d.on };
    case 'limit':
      return {
        _id: limitId(d.storeId),
        type: 'platform_limit',
        storeId: d.storeId,
        suspended: d.suspended,
        reason: '资质过期',
        at: AT,
        by: 'p1',
      };
    case 'freeze':
      return {
        _id: frozenId(d.customerId),
        type: 'platform_freeze',
        customerId: d.customerId,
        phone: null,
        frozen: d.frozen,
        reason: d.reason,
        at: AT,
        by: 'p1',
      };
    case 'review':
      return {
        _id: reviewId(d.storeId, d.reviewKind, d.itemId),
        type: 'platform_review',
        storeId: d.storeId,
        kind: d.reviewKind,
        itemId: d.itemId,
        ...(d.approvedHash
          ? { approved: { hash: d.approvedHash, content: { n: 1 }, at: AT, by: 'p1' } }
          : {}),
        last: {
          decision: d.approvedHash ? 'approved' : 'refused',
          hash: d.approvedHash ?? 'h0',
          notes: '',
          at: AT,
          by: 'p1',
        },
      };
  }
}

/** Writes one decision as the platform does: over what is there, or deleting it. */
async function write(d: Decision): Promise<void> {
  const id = d.kind === 'delete' ? d.id : documentOf(d)._id;
  const existing = await admin.get(REGISTRY_DB, id);
  if (d.kind === 'delete') {
    if (existing) await admin.put(REGISTRY_DB, { _id: id, _rev: existing._rev, _deleted: true });
    return;
  }
  await admin.put(REGISTRY_DB, { ...documentOf(d), ...(existing ? { _rev: existing._rev } : {}) });
}

/** Every answer customers' reads may ask, as one value to compare. */
async function answers(reads: RegistryReads & { frozenReason(c: string): Promise<unknown> }) {
  const out: unknown[] = [await reads.gateOn()];
  for (const storeId of STORES) {
    out.push(await reads.storeShown(storeId));
    for (const kind of KINDS) {
      const reviews = await reads.storeReviews(storeId, kind);
      out.push([...reviews.entries()].sort().map(([itemId, r]) => [itemId, r.approved?.hash]));
    }
  }
  for (const customerId of CUSTOMERS) out.push(await reads.frozenReason(customerId));
  return out;
}

/** CouchDB's own answers, read afresh. */
function truth() {
  const registry = couchRegistry(couch.cloud);
  return answers({
    ...registry,
    async frozenReason(customerId: string) {
      const doc = await couch.cloud.get(REGISTRY_DB, frozenId(customerId));
      return doc && doc.frozen === true ? doc.reason : undefined;
    },
  });
}

describe('the registry as an instance keeps it', () => {
  it('answers what CouchDB answers after any run of platform decisions, here and elsewhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(decision, { minLength: 1, maxLength: 12 }), async (decisions) => {
        for (const d of decisions) {
          await write(d);
          await here.catchUp();
        }
        const expected = await truth();
        expect(await answers(here)).toEqual(expected);
        // The other instance gets there from the feed alone, without being told.
        const until = Date.now() + 5_000;
        let seen = await answers(elsewhere);
        while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 20));
          seen = await answers(elsewhere);
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('asks CouchDB before it answers once its feed has handed over nothing for a while', async () => {
    // A link that froze: each long-poll hangs until the copy stops; a plain read still answers.
    const frozenLink: CouchClient = {
      ...couch.cloud,
      changes: (db, o) =>
        o.longpoll
          ? new Promise((resolve) =>
              o.signal?.addEventListener('abort', () =>
                resolve({ results: [], lastSeq: o.since ?? 0 }),
              ),
            )
          : couch.cloud.changes(db, o),
    };
    const stuck = new RegistryCopy({ couch: frozenLink, checkEveryMs: 300 });
    try {
      expect(await stuck.frozenReason('c8')).toBeUndefined();
      await write({ kind: 'freeze', customerId: 'c8', frozen: true, reason: '多次恶意退款' });
      await new Promise((r) => setTimeout(r, 400));
      // The feed told nothing of the freeze; the copy asked before it answered.
      expect(await stuck.frozenReason('c8')).toBe('多次恶意退款');
    } finally {
      await stuck.stop();
    }
  });

  it('waits for its first load rather than answer from nothing', async () => {
    await write({ kind: 'freeze', customerId: 'c9', frozen: true, reason: '疑似盗号' });
    const fresh = new RegistryCopy({ couch: couch.cloud });
    try {
      // Never warmed nor caught up: the first question loads the registry first.
      expect(await fresh.frozenReason('c9')).toBe('疑似盗号');
    } finally {
      await fresh.stop();
    }
  });
});
