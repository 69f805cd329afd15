// Recommendations for the home page (C1, C12), from what the cloud holds of the customer: their
// preferences (room styles, usual areas), their bookings (the rooms and stores they used, the hour
// they usually start) and the deals of the stores they use. A small scoring anyone can check:
//   room booked before          +3 each time, up to 9
//   at a store they used        +2
//   a style they like           +2
//   in an area they named       +1
//   within 3 km of them         +1
//   a deal at a store they used +3 (+1 in an area they named)
// A room booked before comes with the hour it is usually booked at. Nothing scoring zero is
// shown. Pure: the caller brings the data.
import type {
  CustomerPreferences,
  OnlineDealView,
  Recommendation,
  RecommendationReason,
  StoreListItem,
} from '@roomhub/shared-types';

export interface PastBooking {
  storeId: string;
  roomId: string;
  /** HH:mm in the store's zone. */
  start: string;
}

export const NEAR_KM = 3;
const ROOMS_SHOWN = 6;
const DEALS_SHOWN = 3;

const mostCommon = (values: string[]): string | undefined => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
};

export function recommend(input: {
  preferences: CustomerPreferences;
  past: PastBooking[];
  stores: StoreListItem[];
  deals: OnlineDealView[];
}): Recommendation[] {
  const { preferences, past, stores } = input;
  const usedStores = new Set(past.map((b) => b.storeId));
  const inArea = (s: StoreListItem) =>
    preferences.areas.some((a) => s.address.includes(a) || s.name.includes(a));
  const rooms: Recommendation[] = [];
  for (const s of stores) {
    for (const r of s.rooms) {
      const mine = past.filter((b) => b.storeId === s.storeId && b.roomId === r.roomId);
      const usual = mostCommon(mine.map((b) => b.start));
      const reasons: RecommendationReason[] = [];
      let score = 0;
      const times = mine.length;
      if (times > 0) {
        score += Math.min(times, 3) * 3;
        reasons.push('booked_before');
      }
      if (usedStores.has(s.storeId)) {
        score += 2;
        reasons.push('usual_store');
      }
      if (preferences.styles.includes(r.style)) {
        score += 2;
        reasons.push('favourite_style');
      }
      if (inArea(s)) {
        score += 1;
        reasons.push('usual_area');
      }
      if (s.distanceKm !== null && s.distanceKm <= NEAR_KM) {
        score += 1;
        reasons.push('near');
      }
      if (score === 0) continue;
      rooms.push({
        kind: 'room',
        storeId: s.storeId,
        storeName: s.name,
        roomId: r.roomId,
        roomName: r.name,
        price: r.fromPricePerHour,
        ...(usual ? { usualStart: usual } : {}),
        score,
        reasons,
      });
    }
  }
  const storeById = new Map(stores.map((s) => [s.storeId, s]));
  const deals: Recommendation[] = [];
  for (const d of input.deals) {
    if (!usedStores.has(d.storeId)) continue;
    const s = storeById.get(d.storeId);
    const reasons: RecommendationReason[] = ['deal_at_usual_store'];
    let score = 3;
    if (s && inArea(s)) {
      score += 1;
      reasons.push('usual_area');
    }
    deals.push({
      kind: 'deal',
      storeId: d.storeId,
      storeName: s?.name ?? d.storeId,
      dealId: d.dealId,
      dealTitle: d.title,
      price: d.price,
      score,
      reasons,
    });
  }
  const best = (a: Recommendation, b: Recommendation) =>
    b.score - a.score || a.price - b.price || a.storeName.localeCompare(b.storeName);
  return [...rooms.sort(best).slice(0, ROOMS_SHOWN), ...deals.sort(best).slice(0, DEALS_SHOWN)];
}
