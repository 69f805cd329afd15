// The discovery catalogue: derived from each store's published profiles into the `catalogue`
// database (`store:<id>`, `room:<id>`), and searched by distance and filters. The cloud is the
// only writer of the catalogue and only ever derives it; it never writes a store's profile.
import { z } from 'zod';
import {
  CLOUD_DBS,
  localMinuteOfDay,
  minutesOfTimeOfDay,
  CatalogueRoomDocSchema,
  CatalogueStoreDocSchema,
  catalogueRoomDocId,
  catalogueStoreDocId,
  type CatalogueRoomDoc,
  type Clock,
  type StoreListItem,
  type StoreSearch,
} from '@roomhub/shared-types';
import type { CouchClient, CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import { shownRooms, storeShown } from '../platform/review-gate';
import { provisionedStores } from './registry';
import { byRoomOrder, loadStoreProfiles } from './store-profiles';

/** The catalogue's store entry: the shared shape plus opening hours, for the "open now" filter. */
export const CatalogueStoreEntrySchema = CatalogueStoreDocSchema.extend({
  hours: z.object({ open: z.string(), close: z.string() }),
});
export type CatalogueStoreEntry = z.infer<typeof CatalogueStoreEntrySchema>;

/** JSON with object keys sorted, so two documents with the same content compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

export interface CatalogueDeps {
  couch: CouchClient;
  views: DesignDocs;
  clock: Clock;
}

export class Catalogue {
  constructor(private readonly d: CatalogueDeps) {}

  /** Re-derives one store's entries; returns false when the store has no usable profile. */
  async refreshStore(storeId: string): Promise<boolean> {
    const { couch, views } = this.d;
    const profiles = await loadStoreProfiles(couch, storeId);
    if (!profiles) return false;
    const { store } = profiles;
    // Only what the platform approved, of a store it has not suspended (review-gate.ts).
    const shown = await storeShown(couch, storeId);
    const rooms = shown ? await shownRooms(couch, storeId, profiles.rooms) : [];
    const listed = new Set<string>();
    if (!shown) {
      const entry = await couch.get(CLOUD_DBS.catalogue, catalogueStoreDocId(store.storeId));
      if (entry) await couch.put(CLOUD_DBS.catalogue, { ...entry, _deleted: true });
    }
    if (store.location && shown) {
      await this.upsert(
        CatalogueStoreEntrySchema.parse({
          _id: catalogueStoreDocId(store.storeId),
          type: 'store',
          storeId: store.storeId,
          name: store.name,
          address: store.address,
          location: store.location,
          timeZone: store.timeZone,
          phone: store.phone,
          hours: store.hours,
          updatedAt: store.updatedAt,
        }),
      );
      for (const room of rooms.filter((r) => r.status === 'active')) {
        const doc: CatalogueRoomDoc = CatalogueRoomDocSchema.parse({
          _id: catalogueRoomDocId(room.roomId),
          type: 'room',
          storeId: store.storeId,
          roomId: room.roomId,
          name: room.name,
          style: room.style,
          capacity: room.capacity,
          fromPricePerHour: room.pricePlan.rates.workday,
          photos: room.photos,
          sort: room.sort,
          updatedAt: room.updatedAt,
        });
        await this.upsert(doc);
        listed.add(doc._id);
      }
    }
    // Retired rooms (and every room of a store without a location) leave the catalogue.
    const rows = await views.catalogue('rooms-by-store', {
      key: store.storeId,
      includeDocs: true,
    });
    const stale = rows.flatMap((r) => (r.doc && !listed.has(r.doc._id) ? [r.doc] : []));
    for (const doc of stale) await couch.put(CLOUD_DBS.catalogue, { ...doc, _deleted: true });
    return true;
  }

  /**
   * Re-derives every provisioned store (the change follower re-derives one store when its
   * profile changes; this is for a first fill or a repair).
   */
  async refreshAll(): Promise<number> {
    let n = 0;
    for (const storeId of await provisionedStores(this.d.couch)) {
      if (await this.refreshStore(storeId)) n += 1;
    }
    return n;
  }

  /** Stores with at least one room matching the filters, nearest first (by name without a point). */
  async search(q: StoreSearch): Promise<StoreListItem[]> {
    const { couch, clock } = this.d;
    const nowMs = clock.now();
    const [storeDocs, roomDocs] = await Promise.all([
      couch.byPrefix(CLOUD_DBS.catalogue, 'store:'),
      couch.byPrefix(CLOUD_DBS.catalogue, 'room:'),
    ]);
    const roomsByStore = new Map<string, CatalogueRoomDoc[]>();
    for (const doc of roomDocs) {
      const room = CatalogueRoomDocSchema.safeParse(doc);
      if (!room.success) continue;
      const list = roomsByStore.get(room.data.storeId) ?? [];
      list.push(room.data);
      roomsByStore.set(room.data.storeId, list);
    }
    const point = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
    const hits: StoreListItem[] = [];
    for (const doc of storeDocs) {
      const parsed = CatalogueStoreEntrySchema.safeParse(doc);
      if (!parsed.success) continue;
      const store = parsed.data;
      const distanceKm = point ? haversineKm(point, store.location) : null;
      if (distanceKm !== null && q.maxKm !== undefined && distanceKm > q.maxKm) continue;
      let openNow: boolean;
      try {
        openNow = isOpenAt(store.hours, store.timeZone, nowMs);
      } catch {
        openNow = false;
      }
      if (q.openNow && !openNow) continue;
      const rooms = (roomsByStore.get(store.storeId) ?? []).filter(
        (r) =>
          (q.priceMin === undefined || r.fromPricePerHour >= q.priceMin) &&
          (q.priceMax === undefined || r.fromPricePerHour <= q.priceMax) &&
          (q.style === undefined || r.style === q.style) &&
          (q.capacity === undefined || r.capacity >= q.capacity),
      );
      if (rooms.length === 0) continue;
      rooms.sort(byRoomOrder);
      hits.push({
        storeId: store.storeId,
        name: store.name,
        address: store.address,
        location: store.location,
        distanceKm: distanceKm === null ? null : Math.round(distanceKm * 1000) / 1000,
        openNow,
        hours: store.hours,
        fromPricePerHour: Math.min(...rooms.map((r) => r.fromPricePerHour)),
        rooms: rooms.map((r) => ({
          roomId: r.roomId,
          name: r.name,
          style: r.style,
          capacity: r.capacity,
          fromPricePerHour: r.fromPricePerHour,
        })),
      });
    }
    return hits.sort((a, b) =>
      a.distanceKm !== null && b.distanceKm !== null
        ? a.distanceKm - b.distanceKm
        : a.name.localeCompare(b.name),
    );
  }

  private async upsert(doc: CouchDoc): Promise<void> {
    const { couch } = this.d;
    const existing = await couch.get(CLOUD_DBS.catalogue, doc._id);
    if (existing) {
      const { _rev, ...rest } = existing;
      // Unchanged entries are not rewritten, so refreshing often costs no revisions.
      // CouchDB hands fields back in its own order, so compare by content, not by text.
      if (canonical(rest) === canonical(doc)) return;
      await couch.put(CLOUD_DBS.catalogue, { ...doc, ...(_rev ? { _rev } : {}) });
      return;
    }
    await couch.put(CLOUD_DBS.catalogue, doc);
  }
}

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
