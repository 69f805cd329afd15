// "Stores near" from memory: every store and room entry of the `catalogue` database, loaded once
// from its change feed and kept from it (one long-poll per process), and told at once of what this
// process writes there itself (catalogue.ts), so a search reads no database and costs what its
// answer costs: a great-circle radius search over a kd-tree of the stores' points, then the
// filters on the stores it found (store-list.ts), so the answers are exactly a plain scan's.
//
// Why memory and a kd-tree, not a geohash-keyed CouchDB view: stores near is the read every
// customer makes each time they open the mini-program, and a view read is a round trip to CouchDB
// per search (nine geohash cells, then the rooms of the stores in them) that the embedded server
// and a busy cluster both answer in milliseconds, not microseconds. The catalogue is small (a
// thousand stores with ten rooms each is a few megabytes), changes only when a profile changes and
// has one writer, so every instance can hold all of it. The kd-tree is kdbush with geokdbush's
// great-circle search (kept libraries, used by Mapbox): a radius in kilometres on the sphere,
// across the antimeridian and near the poles, with none of the cell-edge cases of geohash prefixes.
// kdbush is static: a change marks the tree stale and the next search rebuilds it (a thousand
// points take well under a millisecond). Owns nothing but this copy; never writes.
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import {
  CLOUD_DBS,
  CatalogueRoomDocSchema,
  STORE_SEARCH_LIMIT,
  type CatalogueRoomDoc,
  type StoreListItem,
  type StoreSearch,
} from '@roomhub/shared-types';
import type { CouchDoc } from '../couch';
import { FeedCopy, type FeedCopyDeps } from '../feed-copy';
import {
  CatalogueStoreEntrySchema,
  haversineKm,
  listItem,
  orderHits,
  type CatalogueStoreEntry,
} from './store-list';

/** geokdbush measures on a sphere of 6371 km; ours is 6371.0088, so its radius is a little wide. */
const LIBRARY_EARTH_KM = 6371;

export type CatalogueIndexDeps = FeedCopyDeps;

export class CatalogueIndex extends FeedCopy {
  private readonly stores = new Map<string, CatalogueStoreEntry>();
  /** Rooms by document id, and by store (document id -> room) for the list. */
  private readonly rooms = new Map<string, CatalogueRoomDoc>();
  private readonly roomsByStore = new Map<string, Map<string, CatalogueRoomDoc>>();
  private tree: { index: KDBush; storeIds: string[] } | undefined;

  constructor(d: CatalogueIndexDeps) {
    super(CLOUD_DBS.catalogue, d);
  }

  /** A catalogue document as written (a deletion too), as the copy keeps it. */
  protected keep(doc: CouchDoc): void {
    const id = doc._id;
    const gone = doc._deleted === true;
    if (id.startsWith('store:')) {
      const parsed = gone ? undefined : CatalogueStoreEntrySchema.safeParse(doc);
      const before = this.stores.get(id);
      if (parsed?.success) this.stores.set(id, parsed.data);
      else this.stores.delete(id);
      const after = this.stores.get(id);
      if (
        before?.location.lat !== after?.location.lat ||
        before?.location.lng !== after?.location.lng
      ) {
        this.tree = undefined;
      }
    } else if (id.startsWith('room:')) {
      const before = this.rooms.get(id);
      if (before) this.roomsByStore.get(before.storeId)?.delete(id);
      const parsed = gone ? undefined : CatalogueRoomDocSchema.safeParse(doc);
      if (parsed?.success) {
        this.rooms.set(id, parsed.data);
        let ofStore = this.roomsByStore.get(parsed.data.storeId);
        if (!ofStore) this.roomsByStore.set(parsed.data.storeId, (ofStore = new Map()));
        ofStore.set(id, parsed.data);
      } else {
        this.rooms.delete(id);
      }
    }
  }

  /** Stores with at least one room matching the filters, as the plain scan answers them. */
  async search(q: StoreSearch, nowMs: number): Promise<StoreListItem[]> {
    await this.ready();
    const point = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null;
    const limit = q.limit ?? STORE_SEARCH_LIMIT;
    const hits: StoreListItem[] = [];
    // With a point the candidates come nearest first: once `limit` stores are found, one more
    // than a metre farther than the farthest of them cannot be listed (distances are shown to
    // the metre, and one as far, to the metre, may come first by its id).
    let farthest = -Infinity;
    const { stores, nearestFirst } = this.candidates(point, q.maxKm);
    for (const store of stores) {
      if (
        point &&
        nearestFirst &&
        hits.length >= limit &&
        haversineKm(point, store.location) > farthest + 0.001
      )
        break;
      const rooms = this.roomsByStore.get(store.storeId);
      const hit = listItem(store, rooms ? rooms.values() : [], q, point, nowMs);
      if (!hit) continue;
      hits.push(hit);
      if (point) farthest = Math.max(farthest, haversineKm(point, store.location));
    }
    return orderHits(hits).slice(0, limit);
  }

  /**
   * The stores a search may list: those within `maxKm` of the point, nearest first, or every
   * store in no order.
   */
  private candidates(
    point: { lat: number; lng: number } | null,
    maxKm: number | undefined,
  ): { stores: Iterable<CatalogueStoreEntry>; nearestFirst: boolean } {
    // Wide enough for both spheres and rounding; each candidate is then measured as the scan does.
    const wide = maxKm === undefined ? Infinity : maxKm * (1 + 1e-9) + 1e-9;
    // Half the globe or more is every store (and the library reads an infinite radius as none).
    if (!point || !(wide / LIBRARY_EARTH_KM < Math.PI)) {
      return { stores: this.stores.values(), nearestFirst: false };
    }
    const tree = this.kdTree();
    const stores = around(tree.index, point.lng, point.lat, Infinity, wide).flatMap((i) => {
      const store = this.stores.get(`store:${tree.storeIds[i]!}`);
      return store ? [store] : [];
    });
    return { stores, nearestFirst: true };
  }

  private kdTree(): { index: KDBush; storeIds: string[] } {
    if (this.tree) return this.tree;
    const all = [...this.stores.values()];
    const index = new KDBush(Math.max(all.length, 1));
    for (const s of all) index.add(s.location.lng, s.location.lat);
    // An empty tree still needs a point to finish; it is never a store (no id maps to it).
    if (all.length === 0) index.add(0, 0);
    index.finish();
    this.tree = { index, storeIds: all.map((s) => s.storeId) };
    return this.tree;
  }
}
