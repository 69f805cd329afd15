// What customers' reads ask of the registry on every call, kept in each instance's memory from the
// registry's change feed (feed-copy.ts): the review gate's switch, which stores are suspended,
// what the platform approved of each store (review-gate.ts) and which customers are frozen
// (platform-users.ts). A store page, a room's day or a deal then costs no registry request, and
// a burst of customers no longer queues behind CouchDB for the same few documents. The platform's
// writes through this instance are held here before they answer (platform-store.ts); another
// instance holds them once its feed delivers them, well under a second on a healthy server, the
// same way it learns of a store or a room in the catalogue; should its feed fail or freeze, a read
// catches up first once the feed has handed over nothing for 5 s. Everything else in the registry
// (owners, merchants, staff, penalties, deposits) is not kept. Owns this copy; never writes.
import { REGISTRY_DB, type ReviewKind } from '@roomhub/shared-types';
import type { CouchDoc } from '../couch';
import { FeedCopy, type FeedCopyDeps } from '../feed-copy';
import { FrozenDocSchema } from './platform-users';
import {
  LimitDocSchema,
  ReviewDocSchema,
  SETTINGS_ID,
  type RegistryReads,
  type ReviewDoc,
} from './review-gate';

/**
 * A read catches up first when the feed has handed over nothing for this long, so a feed that
 * fails or freezes leaves a freeze or a suspension unseen for seconds at most (a catch-up is one
 * request for the whole instance, whatever the reads).
 */
const CHECK_EVERY_MS = 5_000;

export class RegistryCopy extends FeedCopy implements RegistryReads {
  private gate = false;
  private readonly suspended = new Set<string>();
  /** Why each frozen customer is frozen, by customer id. */
  private readonly frozen = new Map<string, string>();
  /** Each store's reviews of one kind (`<storeId>\n<kind>`), by item id. */
  private readonly reviews = new Map<string, Map<string, ReviewDoc>>();
  /** Where each review document is kept, so a deleted one (no body left) is forgotten. */
  private readonly reviewAt = new Map<string, { key: string; itemId: string }>();

  constructor(d: FeedCopyDeps) {
    super(REGISTRY_DB, { checkEveryMs: CHECK_EVERY_MS, ...d });
  }

  protected keep(doc: CouchDoc): void {
    const id = doc._id;
    const gone = doc._deleted === true;
    if (id === SETTINGS_ID) {
      this.gate = !gone && doc.reviewBeforeShowing === true;
    } else if (id.startsWith('limit:')) {
      const limit = gone ? undefined : LimitDocSchema.safeParse(doc);
      const storeId = id.slice('limit:'.length);
      if (limit?.success && limit.data.suspended) this.suspended.add(storeId);
      else this.suspended.delete(storeId);
    } else if (id.startsWith('frozen:')) {
      const freeze = gone ? undefined : FrozenDocSchema.safeParse(doc);
      const customerId = id.slice('frozen:'.length);
      if (freeze?.success && freeze.data.frozen) this.frozen.set(customerId, freeze.data.reason);
      else this.frozen.delete(customerId);
    } else if (id.startsWith('review:')) {
      const before = this.reviewAt.get(id);
      if (before) this.reviews.get(before.key)?.delete(before.itemId);
      this.reviewAt.delete(id);
      const review = gone ? undefined : ReviewDocSchema.safeParse(doc);
      // Read as review-gate.ts reads them: under the store and kind its id names.
      if (
        !review?.success ||
        id !== `review:${review.data.storeId}:${review.data.kind}:${review.data.itemId}`
      ) {
        return;
      }
      const key = `${review.data.storeId}\n${review.data.kind}`;
      let ofStore = this.reviews.get(key);
      if (!ofStore) this.reviews.set(key, (ofStore = new Map()));
      ofStore.set(review.data.itemId, review.data);
      this.reviewAt.set(id, { key, itemId: review.data.itemId });
    }
  }

  async gateOn(): Promise<boolean> {
    await this.current();
    return this.gate;
  }

  async storeShown(storeId: string): Promise<boolean> {
    await this.current();
    return !this.suspended.has(storeId);
  }

  async storeReviews(storeId: string, kind: ReviewKind): Promise<Map<string, ReviewDoc>> {
    await this.current();
    return new Map(this.reviews.get(`${storeId}\n${kind}`));
  }

  /** Why the customer is frozen, or undefined: asked on every sign-in and customer call. */
  async frozenReason(customerId: string): Promise<string | undefined> {
    await this.current();
    return this.frozen.get(customerId);
  }
}
