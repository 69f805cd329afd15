// The reviewers' side of review before showing (P2) and a store's suspension (P1): what waits for
// review across the provisioned stores (rooms, deals, products), each item's state as its owner
// reads it, the decision with its notes (the approved content stored with the review, so
// customers' reads never recompute it), the gate's switch, and suspending a store. Each decision is audited and the store's catalogue entries derived again at once.
// Owns these writes; the customers' side of the gate is review-gate.ts.
import {
  DomainError,
  REGISTRY_DB,
  type Clock,
  type PendingReview,
  type PlatformAuditEntry,
  type ReviewKind,
  type StoreReviewStates,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import type { Catalogue } from '../stores/catalogue';
import { provisionedStores } from '../stores/registry';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';
import {
  gateOn,
  limitId,
  LimitDocSchema,
  reviewId,
  ReviewDocSchema,
  SETTINGS_ID,
  type ReviewDoc,
} from './review-gate';
import { allStoreReviews, reviewState, storeReviewItems } from './review-items';

export interface PlatformReviewDeps {
  store: PlatformStore;
  audit: PlatformAudit;
  catalogue: Catalogue;
  clock: Clock;
}

export class PlatformReviews {
  constructor(private readonly d: PlatformReviewDeps) {}

  /** Rooms, deals and products new or changed since approved, store by store (one when asked). */
  async pending(storeId?: string): Promise<PendingReview[]> {
    const stores = storeId ? [storeId] : await provisionedStores(this.d.store.read);
    const out: PendingReview[] = [];
    for (const id of stores) {
      const published = await storeReviewItems(this.d.store.read, id);
      if (!published) continue;
      const reviews = await allStoreReviews(this.d.store.read, id);
      for (const item of published.items) {
        const review = reviews.get(`${item.kind}:${item.itemId}`);
        if (review?.approved?.hash === item.hash) continue;
        out.push({
          storeId: id,
          storeName: published.storeName,
          kind: item.kind,
          itemId: item.itemId,
          hash: item.hash,
          current: item.content as PendingReview['current'],
          approved: (review?.approved?.content as PendingReview['approved'] | undefined) ?? null,
          refusedNotes:
            review?.last.decision === 'refused' && review.last.hash === item.hash
              ? review.last.notes
              : null,
          changedAt: item.changedAt,
        });
      }
    }
    return out;
  }

  /** Each room's, deal's and product's review state, as the store's owner reads it. */
  async states(storeId: string): Promise<StoreReviewStates> {
    const on = await gateOn(this.d.store.read);
    const published = await storeReviewItems(this.d.store.read, storeId);
    const reviews = await allStoreReviews(this.d.store.read, storeId);
    return {
      storeId,
      gateOn: on,
      items: (published?.items ?? []).map((item) =>
        reviewState(item, reviews.get(`${item.kind}:${item.itemId}`)),
      ),
    };
  }

  /**
   * Approves or refuses exactly the content the reviewer saw (its hash): a room changed since is
   * a 409, to be looked at again. A refusal needs notes saying what to change.
   */
  async decide(
    caller: PlatformCaller,
    body: {
      storeId: string;
      kind: ReviewKind;
      itemId: string;
      hash: string;
      decision: 'approve' | 'refuse';
      notes: string;
    },
  ): Promise<{ decision: 'approved' | 'refused'; itemId: string; notes: string }> {
    if (body.decision === 'refuse' && body.notes.length < 2) {
      throw new DomainError(
        'bad_input',
        'notes_required',
        'notes: say what the store must change when refusing',
        'notes',
      );
    }
    const writer = platformWriter(this.d.store);
    const found = await this.currentContent(body.storeId, body.kind, body.itemId);
    if (!found) {
      throw new DomainError(
        'not_found',
        `${body.kind}_not_found`,
        `itemId: store ${body.storeId} has no ${body.kind} ${body.itemId}${body.kind === 'deal' ? ' on sale' : body.kind === 'product' ? ' on its menu' : ''}`,
        'itemId',
      );
    }
    const { content, hash } = found;
    if (hash !== body.hash) {
      throw new DomainError(
        'conflict',
        'changed_since',
        `hash: the store changed this ${body.kind} since you looked; review it again`,
        'hash',
      );
    }
    const at = new Date(this.d.clock.now()).toISOString();
    const decision = body.decision === 'approve' ? 'approved' : 'refused';
    const id = reviewId(body.storeId, body.kind, body.itemId);
    for (let race = 0; ; race += 1) {
      const current = ReviewDocSchema.safeParse(await writer.get(REGISTRY_DB, id));
      const next: ReviewDoc = {
        _id: id,
        ...(current.success && current.data._rev ? { _rev: current.data._rev } : {}),
        type: 'platform_review',
        storeId: body.storeId,
        kind: body.kind,
        itemId: body.itemId,
        ...(decision === 'approved'
          ? { approved: { hash, content, at, by: caller.phone } }
          : current.success && current.data.approved
            ? { approved: current.data.approved }
            : {}),
        last: { decision, hash, notes: body.notes, at, by: caller.phone },
      };
      try {
        await writer.put(REGISTRY_DB, next);
        break;
      } catch (error) {
        if (!isConflict(error) || race >= 4) throw error;
      }
    }
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: `review.${body.decision}`,
      target: `${body.kind}:${body.storeId}/${body.itemId}`,
      reason: body.notes || 'approved as published',
      detail: { hash },
    });
    await this.d.catalogue.refreshStore(body.storeId);
    return { decision, itemId: body.itemId, notes: body.notes };
  }

  /** What the store publishes now of a room, a deal on sale or a product, and its hash. */
  private async currentContent(
    storeId: string,
    kind: ReviewKind,
    itemId: string,
  ): Promise<{ content: unknown; hash: string } | undefined> {
    const published = await storeReviewItems(this.d.store.read, storeId);
    return published?.items.find((i) => i.kind === kind && i.itemId === itemId);
  }

  /** The platform owner's switch: rooms, deals and products shown only once approved. */
  async setGate(caller: PlatformCaller, on: boolean, reason: string): Promise<{ on: boolean }> {
    const writer = platformWriter(this.d.store);
    const current = await writer.get(REGISTRY_DB, SETTINGS_ID);
    await writer.put(REGISTRY_DB, {
      ...(current ?? {}),
      _id: SETTINGS_ID,
      type: 'platform_settings',
      reviewBeforeShowing: on,
    });
    await this.audit(writer, caller, on ? 'review_gate.on' : 'review_gate.off', 'settings', reason);
    await this.d.catalogue.refreshAll();
    return { on };
  }

  /** Suspends a store (hidden from customers) or lifts it, with the reason. */
  async limitStore(
    caller: PlatformCaller,
    storeId: string,
    suspended: boolean,
    reason: string,
  ): Promise<{ storeId: string; suspended: boolean }> {
    const writer = platformWriter(this.d.store);
    if (!(await provisionedStores(writer)).includes(storeId)) {
      throw new DomainError(
        'not_found',
        'store_not_found',
        `storeId: no store ${storeId}`,
        'storeId',
      );
    }
    const current = LimitDocSchema.safeParse(await writer.get(REGISTRY_DB, limitId(storeId)));
    await writer.put(REGISTRY_DB, {
      _id: limitId(storeId),
      ...(current.success && current.data._rev ? { _rev: current.data._rev } : {}),
      type: 'platform_limit',
      storeId,
      suspended,
      reason,
      at: new Date(this.d.clock.now()).toISOString(),
      by: caller.phone,
    });
    await this.audit(
      writer,
      caller,
      suspended ? 'store.suspend' : 'store.reinstate',
      `store:${storeId}`,
      reason,
    );
    await this.d.catalogue.refreshStore(storeId);
    return { storeId, suspended };
  }

  private audit(
    writer: CouchClient,
    caller: PlatformCaller,
    action: string,
    target: string,
    reason: string,
  ): Promise<PlatformAuditEntry> {
    return this.d.audit.record(writer, { actor: caller.phone, action, target, reason });
  }
}
