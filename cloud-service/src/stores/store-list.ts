// What a customer's store search lists of one catalogue store and in which order: the store
// entry's shape, its distance from the point, whether it is open now, the rooms the filters keep
// (in the store's own order) and the order of the stores. Pure; the catalogue index
// (catalogue-index.ts) finds the stores, this says what each one answers.
import { z } from 'zod';
import {
  localMinuteOfDay,
  minutesOfTimeOfDay,
  CatalogueStoreDocSchema,
  type CatalogueRoomDoc,
  type StoreListItem,
  type StoreSearch,
} from '@roomhub/shared-types';
import { byRoomOrder } from './store-profiles';

/** The catalogue's store entry: the shared shape plus opening hours, for the "open now" filter. */
export const CatalogueStoreEntrySchema = CatalogueStoreDocSchema.extend({
  hours: z.object({ open: z.string(), close: z.string() }),
});
export type CatalogueStoreEntry = z.infer<typeof CatalogueStoreEntrySchema>;

const EARTH_KM = 6371.0088;

/** Great-circle distance in km. */
export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether the store is open at `atMs`; close at or before open runs past midnight. */
export function isOpenAt(
  hours: { open: string; close: string },
  timeZone: string,
  atMs: number,
): boolean {
  const re = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
  if (!re.test(hours.open) || !re.test(hours.close)) return false;
  const open = minutesOfTimeOfDay(hours.open);
  const close = minutesOfTimeOfDay(hours.close);
  const minute = localMinuteOfDay(atMs, timeZone);
  if (open === close || (open === 0 && close === 1440)) return true;
  return open < close ? minute >= open && minute < close : minute >= open || minute < close;
}

/**
 * The store as the search lists it, or undefined when the search leaves it out: farther than
 * `maxKm`, closed while `openNow` is asked, or no room left by the filters. `rooms` are the
 * store's catalogue rooms, in any order.
 */
export function listItem(
  store: CatalogueStoreEntry,
  rooms: Iterable<CatalogueRoomDoc>,
  q: StoreSearch,
  point: { lat: number; lng: number } | null,
  nowMs: number,
): StoreListItem | undefined {
  const distanceKm = point ? haversineKm(point, store.location) : null;
  if (distanceKm !== null && q.maxKm !== undefined && distanceKm > q.maxKm) return undefined;
  let openNow: boolean;
  try {
    openNow = isOpenAt(store.hours, store.timeZone, nowMs);
  } catch {
    openNow = false;
  }
  if (q.openNow && !openNow) return undefined;
  const kept: CatalogueRoomDoc[] = [];
  for (const r of rooms) {
    if (
      (q.priceMin === undefined || r.fromPricePerHour >= q.priceMin) &&
      (q.priceMax === undefined || r.fromPricePerHour <= q.priceMax) &&
      (q.style === undefined || r.style === q.style) &&
      (q.capacity === undefined || r.capacity >= q.capacity)
    ) {
      kept.push(r);
    }
  }
  if (kept.length === 0) return undefined;
  // Rooms the store placed alike keep the catalogue's order of their ids.
  kept.sort((a, b) => byRoomOrder(a, b) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  return {
    storeId: store.storeId,
    name: store.name,
    address: store.address,
    location: store.location,
    distanceKm: distanceKm === null ? null : Math.round(distanceKm * 1000) / 1000,
    openNow,
    hours: store.hours,
    fromPricePerHour: Math.min(...kept.map((r) => r.fromPricePerHour)),
    rooms: kept.map((r) => ({
      roomId: r.roomId,
      name: r.name,
      style: r.style,
      capacity: r.capacity,
      fromPricePerHour: r.fromPricePerHour,
    })),
  };
}

/**
 * Nearest first (by the distance as shown, to the metre), by name without a point; stores that
 * tie keep the catalogue's order of their ids.
 */
export function orderHits(hits: StoreListItem[]): StoreListItem[] {
  const byId = (a: StoreListItem, b: StoreListItem) =>
    a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0;
  return hits.sort(
    (a, b) =>
      (a.distanceKm !== null && b.distanceKm !== null
        ? a.distanceKm - b.distanceKm
        : a.name.localeCompare(b.name)) || byId(a, b),
  );
}
