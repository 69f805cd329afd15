// The deals on sale in each store, as the cloud reads them: the change follower hands every
// store's `deal:` document here as it changes, and a deal on sale is copied into the cloud's
// `deals` database (`deal:<storeId>:<dealId>`, with `deal-at:<dealId>` naming its store), a deal
// off sale or removed is dropped; the customer pages read these copies by key, never scanning a
// store's database. Only copies what a store's hub published about itself; never writes a store's
// document.
import { z } from 'zod';
import {
  CLOUD_DBS,
  DealDocSchema,
  IdPartSchema,
  type Clock,
  type DealDoc,
} from '@roomhub/shared-types';
import { isConflict, type Change, type CouchClient, type CouchDoc } from '../couch';

export const DealEntrySchema = DealDocSchema.omit({ _id: true }).extend({
  _id: z.string().startsWith('deal:'),
  _rev: z.string().optional(),
  type: z.literal('deal_entry'),
  /** When the cloud copied it, for the owner to see how fresh it is. */
  copiedAt: z.string(),
});
export type DealEntry = z.infer<typeof DealEntrySchema>;

const entryId = (storeId: string, dealId: string) => `deal:${storeId}:${dealId}`;
const whereId = (dealId: string) => `deal-at:${dealId}`;

const DealWhereSchema = z.object({ _id: z.string(), storeId: z.string() });

/** JSON with object keys sorted, so two copies with the same content compare equal. */
function sameContent(a: object, b: object): boolean {
  const canonical = (value: unknown) =>
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([x], [y]) =>
              x < y ? -1 : x > y ? 1 : 0,
            ),
          )
        : v,
    );
  return canonical(a) === canonical(b);
}

export interface DealIndexDeps {
  couch: CouchClient;
  clock: Clock;
  log?: (error: unknown) => void;
}

export class DealIndex {
  constructor(private readonly d: DealIndexDeps) {}

  /**
   * A store's `deal:` document changed: copies it when on sale, drops the copy otherwise. True
   * when the copies changed. A document naming another store is not this store's to publish.
   */
  async published(storeId: string, change: Change): Promise<boolean> {
    const dealId = change.id.slice('deal:'.length);
    if (!IdPartSchema.safeParse(dealId).success) return false;
    const parsed = change.deleted || !change.doc ? undefined : DealDocSchema.safeParse(change.doc);
    const doc: DealDoc | undefined = parsed?.success ? parsed.data : undefined;
    if (doc && (doc.storeId !== storeId || doc.dealId !== dealId)) return false;
    if (!doc || doc.status !== 'on_sale') return this.drop(storeId, dealId);
    return this.keep(storeId, doc);
  }

  /** The store's deals on sale. */
  async list(storeId: string): Promise<DealEntry[]> {
    const docs = await this.d.couch.byPrefix(CLOUD_DBS.deals, `deal:${storeId}:`);
    return docs.flatMap((doc) => {
      const entry = DealEntrySchema.safeParse(doc);
      return entry.success && entry.data.storeId === storeId ? [entry.data] : [];
    });
  }

  /** One deal on sale, by its id alone; undefined when no store has it on sale. */
  async find(dealId: string): Promise<DealEntry | undefined> {
    if (!IdPartSchema.safeParse(dealId).success) return undefined;
    const where = DealWhereSchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.deals, whereId(dealId)),
    );
    if (!where.success) return undefined;
    return this.get(where.data.storeId, dealId);
  }

  async get(storeId: string, dealId: string): Promise<DealEntry | undefined> {
    const entry = DealEntrySchema.safeParse(
      await this.d.couch.get(CLOUD_DBS.deals, entryId(storeId, dealId)),
    );
    return entry.success && entry.data.storeId === storeId ? entry.data : undefined;
  }

  private async keep(storeId: string, doc: DealDoc): Promise<boolean> {
    const { couch } = this.d;
    // The first store to publish a deal id keeps it: another hub cannot take a deal over by
    // publishing the same id.
    const where = await couch.get(CLOUD_DBS.deals, whereId(doc.dealId));
    if (where && where.storeId !== storeId) {
      this.d.log?.(new Error(`store ${storeId} published deal ${doc.dealId} of another store`));
      return false;
    }
    if (!where) await this.putNew({ _id: whereId(doc.dealId), type: 'deal_at', storeId });
    const { _id: _ignored, _rev: _r, ...fields } = doc as DealDoc & { _rev?: string };
    const id = entryId(storeId, doc.dealId);
    const existing = await couch.get(CLOUD_DBS.deals, id);
    const next = { ...fields, _id: id, type: 'deal_entry' };
    if (existing) {
      const { _rev, copiedAt: _c, ...had } = existing;
      if (sameContent(had, next)) return false;
      await this.putOver({ ...next, copiedAt: this.now(), ...(_rev ? { _rev } : {}) });
      return true;
    }
    await this.putOver({ ...next, copiedAt: this.now() });
    return true;
  }

  private async drop(storeId: string, dealId: string): Promise<boolean> {
    const existing = await this.d.couch.get(CLOUD_DBS.deals, entryId(storeId, dealId));
    if (!existing) return false;
    try {
      await this.d.couch.put(CLOUD_DBS.deals, {
        _id: existing._id,
        _rev: existing._rev,
        _deleted: true,
      });
    } catch (error) {
      // Another instance dropped or rewrote it: the next change settles it.
      if (!isConflict(error)) throw error;
    }
    return true;
  }

  private async putNew(doc: CouchDoc): Promise<void> {
    try {
      await this.d.couch.put(CLOUD_DBS.deals, doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  /** Writes a copy; one another instance wrote meanwhile is of the same change, or a later one. */
  private async putOver(doc: CouchDoc): Promise<void> {
    try {
      await this.d.couch.put(CLOUD_DBS.deals, doc);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  private now(): string {
    return new Date(this.d.clock.now()).toISOString();
  }
}
