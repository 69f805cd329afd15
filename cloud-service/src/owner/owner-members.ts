// A store's members and campaigns for the owner's remote view, read from the member, campaign
// and coupon documents its hub replicated (sync/documents.ts names no phone in them: members are
// counted, never listed); and the member levels and points rules it published. Read-only: the
// owner's changes are intents (owner-intents.ts).
import {
  CampaignDocSchema,
  WALLET_OWED_ID,
  WalletOwedDocSchema,
  MEMBER_SETTINGS_ID,
  MemberSettingsDocSchema,
  STAFF_LIST_ID,
  StaffListDocSchema,
  storeDbName,
  type OwnerMembers,
  type OwnerMemberSettings,
  type OwnerStaff,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import { storeOne, storeOwn } from './store-docs';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The store's staff as its hub last published them (no PIN); `updatedAt` null: not yet. */
export async function staffOf(couch: CouchClient, storeId: string): Promise<OwnerStaff> {
  const doc = storeOne(
    await couch.get(storeDbName(storeId), STAFF_LIST_ID),
    StaffListDocSchema,
    storeId,
  );
  return doc ? { staff: doc.staff, updatedAt: doc.updatedAt } : { staff: [], updatedAt: null };
}

/** The store's member levels and points rules as its hub last published them; null: not yet. */
export async function memberSettingsOf(
  couch: CouchClient,
  storeId: string,
): Promise<OwnerMemberSettings> {
  const doc = storeOne(
    await couch.get(storeDbName(storeId), MEMBER_SETTINGS_ID),
    MemberSettingsDocSchema,
    storeId,
  );
  return doc
    ? { rules: doc.rules, levels: doc.levels, updatedAt: doc.updatedAt }
    : { rules: null, levels: [], updatedAt: null };
}

/** The sums of one `tally` row: how many, and the points (members) or those used (coupons). */
function sums(value: unknown): [number, number] {
  return Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number'
    ? [value[0], value[1]]
    : [0, 0];
}

/**
 * The store's members counted, never listed, and its campaigns with how their coupons went. The
 * counts come summed from the store's `tally` view (one row per level, per campaign, and one per
 * count over the last 30 days), so a store with years of members and coupons is not read whole;
 * the campaigns (a few) and what the wallets owe (one document) are read as they are.
 */
export async function membersOf(
  couch: CouchClient,
  views: DesignDocs,
  storeId: string,
  nowMs: number,
): Promise<OwnerMembers> {
  const db = storeDbName(storeId);
  const since = new Date(nowMs - 30 * DAY_MS).toISOString();
  const family = (name: string) => ({ startkey: [name, storeId], endkey: [name, storeId, {}] });
  const counted = async (name: string) => {
    const [row] = await views.tally(storeId, 'tally', {
      startkey: [name, storeId, since],
      endkey: [name, storeId, {}],
    });
    return sums(row?.value)[0];
  };
  const [levelRows, couponRows, joined30Days, visited30Days, newestMember, campaignDocs, owed] =
    await Promise.all([
      views.tally(storeId, 'tally', { ...family('member-level'), groupLevel: 3 }),
      views.tally(storeId, 'tally', { ...family('coupon-campaign'), groupLevel: 3 }),
      counted('member-joined'),
      counted('member-visited'),
      views.tally(storeId, 'tally', {
        startkey: ['member-updated', storeId, {}],
        endkey: ['member-updated', storeId],
        descending: true,
        reduce: false,
        limit: 1,
      }),
      couch.byPrefix(db, 'campaign:'),
      couch.get(db, WALLET_OWED_ID).catch(() => undefined),
    ]);
  const newest: string[] = [];
  const memberUpdated = newestMember[0]?.key;
  if (Array.isArray(memberUpdated) && typeof memberUpdated[2] === 'string') {
    newest.push(memberUpdated[2]);
  }
  let members = 0;
  let points = 0;
  const levels: OwnerMembers['levels'] = [];
  for (const row of levelRows) {
    const level = Array.isArray(row.key) ? (row.key[2] as unknown) : undefined;
    const [count, held] = sums(row.value);
    if ((typeof level !== 'string' && level !== null) || count === 0) continue;
    members += count;
    points += held;
    levels.push({ level, members: count });
  }
  const coupons = new Map<string, { issued: number; used: number }>();
  for (const row of couponRows) {
    const campaignId = Array.isArray(row.key) ? (row.key[2] as unknown) : undefined;
    const [issued, used] = sums(row.value);
    if (typeof campaignId === 'string') coupons.set(campaignId, { issued, used });
  }
  const campaigns = storeOwn(campaignDocs, CampaignDocSchema, storeId).map((doc) => {
    newest.push(doc.updatedAt);
    return {
      campaignId: doc.campaignId,
      couponName: doc.couponName,
      status: doc.status,
      claimFrom: doc.claimFrom,
      claimTo: doc.claimTo,
      pointsPrice: doc.pointsPrice,
      soldOut: doc.soldOut,
      ...(coupons.get(doc.campaignId) ?? { issued: 0, used: 0 }),
    };
  });
  // The running ones first, then the newest claim window.
  const order = { active: 0, paused: 1, ended: 2 } as const;
  campaigns.sort(
    (a, b) => order[a.status] - order[b.status] || b.claimFrom.localeCompare(a.claimFrom),
  );
  const wallet = storeOne(owed, WalletOwedDocSchema, storeId);
  if (wallet) newest.push(wallet.updatedAt);
  return {
    storeId,
    members,
    // Most members first.
    levels: levels.sort((a, b) => b.members - a.members),
    joined30Days,
    visited30Days,
    points,
    wallet: wallet
      ? { principal: wallet.principal, bonus: wallet.bonus, wallets: wallet.wallets }
      : null,
    campaigns,
    updatedAt:
      newest.length === 0
        ? null
        : new Date(Math.max(...newest.map((at) => Date.parse(at)))).toISOString(),
  };
}
