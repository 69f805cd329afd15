// The discovery catalogue: derived from each store's published profiles into the `catalogue`
// database (`store:<id>`, `room:<id>`), and searched by distance and filters from the copy each
// process keeps in memory (catalogue-index.ts). The cloud is the only writer of the catalogue and
// only ever derives it; it never writes a store's profile.
import {
  CLOUD_DBS,
  CatalogueRoomDocSchema,
  catalogueRoomDocId,
  catalogueStoreDocId,
  type CatalogueRoomDoc,
  type Clock,
  type StoreListItem,
  type StoreSearch,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { DesignDocs } from '../design-docs';
import { PenaltyGate } from '../platform/penalty-gate';
import { RegistryCopy } from '../platform/registry-copy';
import { couchRegistry, shownRooms } from '../platform/review-gate';
import { CatalogueIndex } from './catalogue-index';
import { provisionedStores } from './registry';
import { CatalogueStoreEntrySchema } from './store-list';
import { loadStoreProfiles } from './store-profiles';

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
  log?: (error: unknown) => void;
}

export class Catalogue {
  private readonly index: CatalogueIndex;
  /** The platform's penalties as customers' reads see them (限制曝光, 暂停线上接单). */
  readonly penalties: PenaltyGate;
  /**
   * What the platform decided that customers' reads ask on every call (the review gate, stores
   * suspended, frozen customers), as this process keeps it (registry-copy.ts).
   */
  readonly registry: RegistryCopy;

  constructor(private readonly d: CatalogueDeps) {
    const log = d.log ? { log: d.log } : {};
    this.index = new CatalogueIndex({ couch: d.couch, ...log });
    this.registry = new RegistryCopy({ couch: d.couch, ...log });
    this.penalties = new PenaltyGate({ couch: d.couch, clock: d.clock });
  }

  /** Re-derives one store's entries; returns false when the store has no usable profile. */
  async refreshStore(storeId: string): Promise<boolean> {
    const { couch, views } = this.d;
    const profiles = await loadStoreProfiles(couch, storeId);
    if (!profiles) return false;
    const { store } = profiles;
    // Only what the platform approved, of a store it has not suspended (review-gate.ts), as
    // CouchDB holds it now: a review or a suspension refreshes the store right after its write.
    const registry = couchRegistry(couch);
    const shown = await registry.storeShown(storeId);
    const rooms = shown ? await shownRooms(registry, storeId, profiles.rooms) : [];
    const listed = new Set<string>();
    if (!shown) {
      const entry = await couch.get(CLOUD_DBS.catalogue, catalogueStoreDocId(store.storeId));
      if (entry) await this.write({ ...entry, _deleted: true });
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
          video: room.video,
          videoPoster: room.videoPoster,
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
    for (const doc of stale) await this.write({ ...doc, _deleted: true });
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

  /**
   * Stores with at least one room matching the filters, nearest first (by name without a point),
   * from the catalogue as this process holds it (catalogue-index.ts): no database read. A store
   * the platform hides for now (限制曝光, penalty-gate.ts) is left out.
   */
  async search(q: StoreSearch): Promise<StoreListItem[]> {
    const [found, hidden] = await Promise.all([
      this.index.search(q, this.d.clock.now()),
      this.penalties.storesUnder('hidden'),
    ]);
    return hidden.size === 0 ? found : found.filter((s) => !hidden.has(s.storeId));
  }

  /** Loads the catalogue and the registry's copy now rather than at the first read. */
  warm(): void {
    this.index.warm();
    this.registry.warm();
  }

  /** Stops following the catalogue's and the registry's feeds. */
  async close(): Promise<void> {
    await Promise.all([this.index.stop(), this.registry.stop()]);
  }

  /** Writes a catalogue document and tells the index at once, before the feed does. */
  private async write(doc: CouchDoc): Promise<void> {
    const rev = await this.d.couch.put(CLOUD_DBS.catalogue, doc);
    this.index.written({ ...doc, _rev: rev });
  }

  private async upsert(doc: CouchDoc): Promise<void> {
    const { couch } = this.d;
    // A store is refreshed by the follower's pass, a penalty or a review at the same moment (on
    // this instance or another): the one that loses the race reads the entry again and retries.
    for (let attempt = 0; ; attempt++) {
      const existing = await couch.get(CLOUD_DBS.catalogue, doc._id);
      const { _rev, ...rest } = existing ?? {};
      // Unchanged entries are not rewritten, so refreshing often costs no revisions.
      // CouchDB hands fields back in its own order, so compare by content, not by text.
      if (existing && canonical(rest) === canonical(doc)) return;
      try {
        await this.write({ ...doc, ...(_rev ? { _rev } : {}) });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 5) throw error;
      }
    }
  }
}
