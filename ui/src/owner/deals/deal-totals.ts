// The deals page's figures from the hub's redemption statistics (`GET /api/vouchers/stats`): per
// deal and per source (our own, Meituan, Douyin), how many were redeemed, their face value and
// what the platform settles. Pure: the rows in, the sums out.
import type { DealSource, RedemptionStatsRow } from '@roomhub/shared-types';

export interface Totals {
  count: number;
  faceValue: number;
  settleAmount: number;
}

const zero = (): Totals => ({ count: 0, faceValue: 0, settleAmount: 0 });

export function dealTotals(rows: readonly RedemptionStatsRow[]): {
  byDeal: Map<string, Totals>;
  bySource: Record<DealSource, Totals>;
} {
  const byDeal = new Map<string, Totals>();
  const bySource: Record<DealSource, Totals> = { own: zero(), meituan: zero(), douyin: zero() };
  for (const r of rows) {
    const add = (x: Totals) => {
      x.count += r.count;
      x.faceValue += r.faceValue;
      x.settleAmount += r.settleAmount;
    };
    add(bySource[r.source]);
    if (r.dealId) {
      const d = byDeal.get(r.dealId) ?? zero();
      add(d);
      byDeal.set(r.dealId, d);
    }
  }
  return { byDeal, bySource };
}

/** The calendar date `days` before `date` (YYYY-MM-DD). */
export function dayBefore(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
