// The owner's members page at a chain's size: a store's members, levels, points and coupons are
// counted from its `tally` view (sums kept by the index), never by reading every member and coupon
// the store has. Whatever the hub publishes, and however it changes it afterwards (a member moving
// level, points spent, a coupon used, a campaign ended, times written in the store's offset), the
// page answers what counting every document would: members by level (most first), those who
// joined and who came in the last 30 days, the points held, each campaign's coupons issued and
// used, and the newest change. Against the embedded CouchDB-compatible server over HTTP, with the
// cloud service as it runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CampaignDocSchema,
  CouponDocSchema,
  MemberDocSchema,
  campaignDocId,
  couponDocId,
  memberDocId,
  storeDbName,
  type CampaignDoc,
  type CouponDoc,
  type MemberDoc,
} from '@roomhub/shared-types';
import { Tokens } from '../src/auth/tokens';
import { Provisioner } from '../src/provision/provisioner';
import { startSeededCloud, type SeededCloud } from './seeded-cloud';
import { bearer, callApi, seedStoreDocs, type StoreSeed } from './cloud-fixtures';

const JWT_SECRET = 'members-tally-secret-members-tally-secret-01';
/** The store the cloud starts with; each try of the property seeds a store of its own. */
const SEED_STORE = 'mta';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEVELS = [null, '金卡', '银卡', '普通会员'] as const;

let cloud: SeededCloud;
const tokens = new Tokens({ secret: JWT_SECRET, clock: { now: () => Date.now() } });

beforeAll(async () => {
  cloud = await startSeededCloud({
    name: 'members-tally',
    jwtSecret: JWT_SECRET,
    stores: [seedOf(SEED_STORE)],
    seededAt: Date.now() - DAY,
  });
});

afterAll(async () => {
  await cloud?.close();
});

function seedOf(storeId: string): StoreSeed {
  return {
    storeId,
    lat: 31.23,
    lng: 121.47,
    hours: { open: '09:00', close: '23:00' },
    rooms: [{ roomId: `${storeId}-r1`, style: 'tea', capacity: 4, workday: 6000 }],
  };
}

/** An instant in UTC, or in Shanghai's offset (+08:00) when `local`: the same instant. */
function timeOf(ms: number, local: boolean): string {
  if (!local) return new Date(ms).toISOString();
  return `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
}

type Write =
  | {
      kind: 'member';
      n: number;
      level: (typeof LEVELS)[number];
      points: number;
      /** Days before now. */
      joinedDaysAgo: number;
      visitedDaysAgo: number | null;
      local: boolean;
    }
  | { kind: 'coupon'; n: number; campaign: number; used: boolean }
  | {
      kind: 'campaign';
      n: number;
      status: CampaignDoc['status'];
      claimFrom: number;
    };

// Hours before now, on the half hour and never within an hour of the 30-day line (the clock moves
// between the write and the read); near it on both sides often, where a time in the store's
// offset read as text would fall on the wrong side.
const daysAgo = fc
  .oneof(
    fc.integer({ min: 0, max: 400 * 24 }),
    fc.integer({ min: 30 * 24 - 12, max: 30 * 24 + 12 }),
  )
  .map((h) => (h + 0.5) / 24)
  .filter((d) => Math.abs(d - 30) * 24 >= 1);

const writeArb: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    kind: fc.constant('member' as const),
    n: fc.integer({ min: 0, max: 7 }),
    level: fc.constantFrom(...LEVELS),
    points: fc.integer({ min: 0, max: 5_000 }),
    joinedDaysAgo: daysAgo,
    visitedDaysAgo: fc.option(daysAgo, { nil: null }),
    local: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('coupon' as const),
    n: fc.integer({ min: 0, max: 9 }),
    campaign: fc.integer({ min: 0, max: 3 }),
    used: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('campaign' as const),
    n: fc.integer({ min: 0, max: 2 }),
    status: fc.constantFrom('active' as const, 'paused' as const, 'ended' as const),
    claimFrom: fc.integer({ min: 1, max: 28 }),
  }),
);

type StoreDoc = (MemberDoc | CouponDoc | CampaignDoc) & { _rev?: string };

/** What counting every document the store holds answers: the page as it was before the view. */
function counted(store: string, docs: StoreDoc[], nowMs: number) {
  const since = nowMs - 30 * DAY;
  const members = docs.filter((d): d is MemberDoc => d.type === 'member');
  const coupons = docs.filter((d): d is CouponDoc => d.type === 'coupon');
  const campaigns = docs.filter((d): d is CampaignDoc => d.type === 'campaign');
  const byLevel = new Map<string | null, number>();
  for (const m of members)
    byLevel.set(m.level?.name ?? null, (byLevel.get(m.level?.name ?? null) ?? 0) + 1);
  const times = [...members, ...campaigns].map((d) => Date.parse(d.updatedAt));
  return {
    storeId: store,
    members: members.length,
    levels: [...byLevel].map(([level, count]) => ({ level, members: count })),
    joined30Days: members.filter((m) => Date.parse(m.joinedAt) >= since).length,
    visited30Days: members.filter(
      (m) => m.lastVisitAt !== null && Date.parse(m.lastVisitAt) >= since,
    ).length,
    points: members.reduce((sum, m) => sum + m.points, 0),
    wallet: null,
    campaigns: campaigns.map((c) => ({
      campaignId: c.campaignId,
      status: c.status,
      claimFrom: c.claimFrom,
      issued: coupons.filter((k) => k.campaignId === c.campaignId).length,
      used: coupons.filter((k) => k.campaignId === c.campaignId && k.bookingId !== null).length,
    })),
    updatedAt: times.length === 0 ? null : new Date(Math.max(...times)).toISOString(),
  };
}

describe("the owner's members page, counted from the store's tally view", () => {
  it('answers what counting every member, coupon and campaign would, as the hub writes and rewrites them', async () => {
    // A store of its own for each try, so a second try starts from nothing, as the first did.
    const STORE = `mt-${Date.now().toString(36)}`;
    await seedStoreDocs(cloud.couch.writers, seedOf(STORE), Date.now() - DAY);
    const token = await tokens.owner({ username: 'members-tally-owner', storeIds: [STORE] });
    const hub = await cloud.couch.hub(STORE);
    const db = storeDbName(STORE);
    // What the store holds, across the runs: each run writes over some of what the ones before
    // wrote, so the sums follow changes, not only additions.
    const held = new Map<string, StoreDoc>();
    let tick = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(writeArb, { minLength: 1, maxLength: 12 }), async (writes) => {
        const now = Date.now();
        const batch = new Map<string, StoreDoc>();
        for (const w of writes) {
          tick += 1;
          // Each write a moment apart, so the newest change is one document's.
          const updatedAt = new Date(now - 60_000 + tick * 7).toISOString();
          let doc: StoreDoc;
          if (w.kind === 'member') {
            doc = MemberDocSchema.parse({
              _id: memberDocId(`m${w.n}`),
              type: 'member',
              storeId: STORE,
              memberId: `m${w.n}`,
              customerId: `cust-m${w.n}`,
              level:
                w.level === null ? null : { id: `lv-${LEVELS.indexOf(w.level)}`, name: w.level },
              privileges: null,
              points: w.points,
              totalSpend: w.points * 10,
              visits: w.visitedDaysAgo === null ? 0 : 3,
              lastVisitAt:
                w.visitedDaysAgo === null ? null : timeOf(now - w.visitedDaysAgo * DAY, w.local),
              joinedAt: timeOf(now - w.joinedDaysAgo * DAY, w.local),
              updatedAt,
            });
          } else if (w.kind === 'coupon') {
            doc = CouponDocSchema.parse({
              _id: couponDocId(`k${w.n}`),
              type: 'coupon',
              storeId: STORE,
              couponId: `k${w.n}`,
              campaignId: `c${w.campaign}`,
              customerId: `cust-k${w.n}`,
              name: '立减10元',
              terms: { rule: { kind: 'amount', amountOff: 1000 } },
              useFrom: new Date(now - DAY).toISOString(),
              useUntil: new Date(now + 30 * DAY).toISOString(),
              issuedAt: new Date(now - DAY).toISOString(),
              bookingId: w.used ? `bk-${w.n}` : null,
              updatedAt,
            });
          } else {
            doc = CampaignDocSchema.parse({
              _id: campaignDocId(`c${w.n}`),
              type: 'campaign',
              storeId: STORE,
              campaignId: `c${w.n}`,
              couponName: `券 ${w.n}`,
              terms: { rule: { kind: 'amount', amountOff: 1000 } },
              claimFrom: `2026-11-${String(w.claimFrom).padStart(2, '0')}`,
              claimTo: '2026-12-31',
              useDays: 30,
              useUntil: null,
              perPerson: 1,
              pointsPrice: null,
              status: w.status,
              soldOut: false,
              updatedAt,
            });
          }
          batch.set(doc._id, doc);
        }
        const docs = [...batch.values()].map((d) => {
          const before = held.get(d._id);
          return before?._rev ? { ...d, _rev: before._rev } : d;
        });
        for (const result of await hub.bulkDocs(db, docs)) {
          if (!('rev' in result)) throw result.error;
          held.set(result.id, { ...batch.get(result.id)!, _rev: result.rev });
        }

        const res = await callApi(
          cloud.service.url,
          'GET',
          `/api/owner/stores/${STORE}/members`,
          undefined,
          bearer(token),
        );
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        const expected = counted(STORE, [...held.values()], Date.now());
        const { levels, campaigns, ...totals } = res.json as ReturnType<typeof counted>;
        const {
          levels: expectedLevels,
          campaigns: expectedCampaigns,
          ...expectedTotals
        } = expected;
        expect(totals).toEqual(expectedTotals);
        // Most members first; levels as many apart are in any order among themselves.
        expect(new Set(levels.map((l) => JSON.stringify(l)))).toEqual(
          new Set(expectedLevels.map((l) => JSON.stringify(l))),
        );
        const sizes = levels.map((l) => l.members);
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
        // Each campaign with its coupons; running ones first, then the newest claim window.
        expect(
          campaigns.map(({ campaignId, status, claimFrom, issued, used }) => ({
            campaignId,
            status,
            claimFrom,
            issued,
            used,
          })),
        ).toEqual(expect.arrayContaining(expectedCampaigns.map((c) => expect.objectContaining(c))));
        expect(campaigns).toHaveLength(expectedCampaigns.length);
        const rank = { active: 0, paused: 1, ended: 2 };
        for (let i = 1; i < campaigns.length; i++) {
          const [a, b] = [campaigns[i - 1]!, campaigns[i]!];
          expect(
            rank[a.status] < rank[b.status] ||
              (rank[a.status] === rank[b.status] && a.claimFrom >= b.claimFrom),
          ).toBe(true);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('answers 503 for a store provisioned before the tally, holding none of its other reads, until it is provisioned again', async () => {
    const store = `mu-${Date.now().toString(36)}`;
    await seedStoreDocs(cloud.couch.writers, seedOf(store), Date.now() - DAY);
    const token = await tokens.owner({ username: 'members-tally-owner', storeIds: [store] });
    const db = storeDbName(store);
    // The store as provisioned before `_design/cloud-tally` existed.
    const tally = await cloud.couch.admin.get(db, '_design/cloud-tally');
    expect(tally).toMatchObject({ version: 1 });
    await cloud.couch.admin.put(db, {
      _id: '_design/cloud-tally',
      _rev: tally!._rev,
      _deleted: true,
    });
    const ask = (path: string) =>
      callApi(
        cloud.service.url,
        'GET',
        `/api/owner/stores/${store}/${path}`,
        undefined,
        bearer(token),
      );
    const members = await ask('members');
    expect(members.status).toBe(503);
    // Busy to the owner, who asks again later; the cloud's log says to provision the store.
    expect(members.json.error.code).toBe('cloud_busy');
    // Its lookup view is untouched: the board and the orders answer.
    expect((await ask(`board?date=${new Date().toISOString().slice(0, 10)}`)).status).toBe(200);
    expect((await ask('orders')).status).toBe(200);
    // Provisioned again, as the upgrade says: the page answers.
    const provisioner = new Provisioner({
      couch: cloud.couch.admin,
      clock: { now: () => Date.now() },
      newPassword: () => 'unused-password',
    });
    await provisioner.store(store);
    const after = await ask('members');
    expect(after.status, JSON.stringify(after.json)).toBe(200);
    expect(after.json).toMatchObject({ storeId: store, members: 0, campaigns: [] });
  });
});
