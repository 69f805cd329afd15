// The reviewers' side of review before showing (P2) and a store's suspension (P1): what waits for
// review across the provisioned stores, the decision with its notes (the approved content stored
// with the review, so customers' reads never recompute it), the gate's switch, and suspending a
// store. Each decision is audited and the store's catalogue entries derived again at once.
// Owns these writes; the customers' side of the gate is review-gate.ts.
import {
  DomainError,
  REGISTRY_DB,
  type Clock,
  DealDocSchema,
  storeDbName,
  type DealContentView,
  type DealDoc,
  type PendingReview,
  type RoomContentView,
  type PlatformAuditEntry,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import type { Catalogue } from '../stores/catalogue';
import { provisionedStores } from '../stores/registry';
import { loadStoreProfiles } from '../stores/store-profiles';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';
import {
  contentHash,
  dealContent,
  dealHash,
  limitId,
  LimitDocSchema,
  reviewId,
  ReviewDocSchema,
  roomContent,
  SETTINGS_ID,
  storeReviews,
  type ReviewDoc,
} from './review-gate';

export interface PlatformReviewDeps {
  store: PlatformStore;
  audit: PlatformAudit;
  catalogue: Catalogue;
  clock: Clock;
}

export class PlatformReviews {
  constructor(private readonly d: PlatformReviewDeps) {}

  /** Rooms and deals new or changed since approved, store by store (one store when asked). */
  async pending(storeId?: string): Promise<PendingReview[]> {
    const stores = storeId ? [storeId] : await provisionedStores(this.d.store.read);
    const out: PendingReview[] = [];
    for (const id of stores) {
      const profiles = await loadStoreProfiles(this.d.store.read, id);
      if (!profiles) continue;
      const reviews = await storeReviews(this.d.store.read, id);
      for (const room of profiles.rooms.filter((r) => r.status === 'active')) {
        const content = roomContent(room);
        const hash = contentHash(content);
        const review = reviews.get(room.roomId);
        if (review?.approved?.hash === hash) continue;
        out.push({
          storeId: id,
          storeName: profiles.store.name,
          kind: 'room',
          itemId: room.roomId,
          hash,
          current: content,
          approved: (review?.approved?.content as RoomContentView | undefined) ?? null,
          refusedNotes:
            review?.last.decision === 'refused' && review.last.hash === hash
              ? review.last.notes
              : null,
          changedAt: room.updatedAt,
        });
      }
      const dealReviews = await storeReviews(this.d.store.read, id, 'deal');
      for (const deal of await onSaleDeals(this.d.store.read, id)) {
        const content = dealContent(deal);
        const hash = dealHash(content);
        const review = dealReviews.get(deal.dealId);
        if (review?.approved?.hash === hash) continue;
        out.push({
          storeId: id,
          storeName: profiles.store.name,
          kind: 'deal',
          itemId: deal.dealId,
          hash,
          current: content,
          approved: (review?.approved?.content as DealContentView | undefined) ?? null,
          refusedNotes:
            review?.last.decision === 'refused' && review.last.hash === hash
              ? review.last.notes
              : null,
          changedAt: deal.updatedAt,
        });
      }
    }
    return out;
  }

  /**
   * Approves or refuses exactly the content the reviewer saw (its hash): a room changed since is
   * a 409, to be looked at again. A refusal needs notes saying what to change.
   */
  async decide(
    caller: PlatformCaller,
    body: {
      storeId: string;
      kind: 'room' | 'deal';
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
        `itemId: store ${body.storeId} has no ${body.kind} ${body.itemId}${body.kind === 'deal' ? ' on sale' : ''}`,
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

  /** What the store publishes now of a room or a deal on sale, and its hash. */
  private async currentContent(
    storeId: string,
    kind: 'room' | 'deal',
    itemId: string,
  ): Promise<{ content: unknown; hash: string } | undefined> {
    if (kind === 'room') {
      const profiles = await loadStoreProfiles(this.d.store.read, storeId);
      const room = profiles?.rooms.find((r) => r.roomId === itemId);
      if (!room) return undefined;
      const content = roomContent(room);
      return { content, hash: contentHash(content) };
    }
    const deal = (await onSaleDeals(this.d.store.read, storeId)).find((d) => d.dealId === itemId);
    if (!deal) return undefined;
    const content = dealContent(deal);
    return { content, hash: dealHash(content) };
  }

  /** The platform owner's switch: rooms and deals shown only once approved. */
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

/** The store's deals on sale, as its hub published them. */
async function onSaleDeals(couch: CouchClient, storeId: string): Promise<DealDoc[]> {
  return (await couch.byPrefix(storeDbName(storeId), 'deal:')).flatMap((raw) => {
    const d = DealDocSchema.safeParse(raw);
    return d.success && d.data.storeId === storeId && d.data.status === 'on_sale' ? [d.data] : [];
  });
}
