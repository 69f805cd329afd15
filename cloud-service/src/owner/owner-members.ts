// A store's members and campaigns for the owner's remote view, read from the member, campaign
// and coupon documents its hub replicated (sync/documents.ts names no phone in them: members are
// counted, never listed); and the member levels and points rules it published. Read-only: the
// owner's changes are intents (owner-intents.ts).
import {
  CampaignDocSchema,
  CouponDocSchema,
  MemberDocSchema,
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

export async function membersOf(
  couch: CouchClient,
  storeId: string,
  nowMs: number,
): Promise<OwnerMembers> {
  const db = storeDbName(storeId);
  const [memberDocs, campaignDocs, couponDocs, owed] = await Promise.all([
    couch.byPrefix(db, 'member:'),
    couch.byPrefix(db, 'campaign:'),
    couch.byPrefix(db, 'coupon:'),
    couch.get(db, WALLET_OWED_ID).catch(() => undefined),
  ]);
  const since = nowMs - 30 * DAY_MS;
  const newest: string[] = [];
  const byLevel = new Map<string | null, number>();
  let members = 0;
  let points = 0;
  let joined30Days = 0;
  let visited30Days = 0;
  for (const doc of storeOwn(memberDocs, MemberDocSchema, storeId)) {
    members += 1;
    points += doc.points;
    const level = doc.level?.name ?? null;
    byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
    if (Date.parse(doc.joinedAt) >= since) joined30Days += 1;
    if (doc.lastVisitAt !== null && Date.parse(doc.lastVisitAt) >= since) visited30Days += 1;
    newest.push(doc.updatedAt);
  }
  const coupons = new Map<string, { issued: number; used: number }>();
  for (const coupon of storeOwn(couponDocs, CouponDocSchema, storeId)) {
    const counts = coupons.get(coupon.campaignId) ?? { issued: 0, used: 0 };
    counts.issued += 1;
    if (coupon.bookingId !== null) counts.used += 1;
    coupons.set(coupon.campaignId, counts);
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
    levels: [...byLevel]
      .map(([level, count]) => ({ level, members: count }))
      .sort((a, b) => b.members - a.members),
    joined30Days,
    visited30Days,
    points,
    wallet: wallet
      ? { principal: wallet.principal, bonus: wallet.bonus, wallets: wallet.wallets }
      : null,
    campaigns,
    updatedAt: newest.length === 0 ? null : newest.reduce((a, b) => (a > b ? a : b)),
  };
}
