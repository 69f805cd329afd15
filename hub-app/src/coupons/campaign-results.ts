// A campaign's results (O6): counted from its coupons, the points given for them and the bookings
// they are on, as the bills say now. Reads only; writes nothing.
import type { CampaignResults } from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Campaigns } from './campaigns';
import { OPEN_USES } from './coupon-uses';

/** A campaign's results, counted from its coupons and the bookings they are on. */
export function campaignResults(db: Db, campaigns: Campaigns, campaignId: string): CampaignResults {
  campaigns.row(campaignId);
  const q = <T>(sql: string) => db.prepare(sql).get(campaignId) as T;
  const counts = q<{ issued: number; claimed: number; exchanged: number }>(
    `SELECT COUNT(*) AS issued, COALESCE(SUM(source = 'claimed'), 0) AS claimed,
            COALESCE(SUM(reason LIKE 'exchange:%'), 0) AS exchanged FROM coupons WHERE campaign_id = ?`,
  );
  // What members gave for the exchanged ones, from the points ledger (a read of the members').
  const points = q<{ n: number }>(
    `SELECT COALESCE(-SUM(p.points), 0) AS n FROM member_points p
     WHERE p.ref IN (SELECT 'coupon:' || id FROM coupons WHERE campaign_id = ?)`,
  ).n;
  const uses = `(SELECT u.* FROM (${OPEN_USES}) u JOIN coupons c ON c.id = u.coupon_id WHERE c.campaign_id = ?)`;
  const used = q<{ n: number }>(`SELECT COUNT(*) AS n FROM ${uses}`).n;
  // What the coupon lines of those bookings took off, as the bills say now (a change re-prices).
  const money = db
    .prepare(
      `SELECT COALESCE(-SUM(json_extract(j.value, '$.amount')), 0) AS cost
       FROM ${uses} u JOIN bookings b ON b.id = u.booking_id, json_each(b.lines) j
       WHERE b.status IN ('paid','in_use','completed')
         AND json_extract(j.value, '$.kind') = 'coupon' AND json_extract(j.value, '$.ref') = u.coupon_id`,
    )
    .get(campaignId) as { cost: number };
  const revenue = db
    .prepare(
      `SELECT COALESCE(SUM(b.total), 0) AS revenue FROM bookings b
       WHERE b.status IN ('paid','in_use','completed') AND b.id IN (SELECT booking_id FROM ${uses})`,
    )
    .get(campaignId) as { revenue: number };
  const newMembers = db
    .prepare(
      `SELECT COUNT(DISTINCT c.phone) AS n FROM ${uses} u JOIN coupons c ON c.id = u.coupon_id
       WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.customer_phone = c.phone AND b.created_at < c.issued_at)`,
    )
    .get(campaignId) as { n: number };
  return {
    campaignId,
    issued: counts.issued,
    claimed: counts.claimed,
    exchanged: counts.exchanged,
    points,
    used,
    revenue: revenue.revenue,
    newMembers: newMembers.n,
    cost: money.cost,
  };
}
