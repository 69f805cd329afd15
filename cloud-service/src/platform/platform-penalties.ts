// Penalties and limits on a merchant (P1), other than suspending a store (platform-reviews.ts):
// a warning (警告), hidden from search and recommendations (限制曝光) and no new bookings online
// (暂停线上接单), on all of a merchant's stores or one of them, each with its reason and period
// (from, until; or until lifted), set by the merchant admins and the platform owner, audited, and
// lifted early with a reason. Kept as `penalty:<id>` in `registry`, written through the platform's
// credential; the customers' side is penalty-gate.ts, the rating counts the warnings
// (platform-merchants.ts), and a store's owner reads those on their stores. A fine (罚款) is not
// a penalty document: it is an entry of the merchant's deposit ledger (platform-deposits.ts),
// taken from the deposit and refunded there when lifted on appeal. Owns these writes.
import {
  DomainError,
  REGISTRY_DB,
  penaltyState,
  type Clock,
  type PenaltyBody,
  type PenaltyView,
} from '@roomhub/shared-types';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { penaltyDocId, readPenalties, type PenaltyDoc, type PenaltyGate } from './penalty-gate';
import { platformWriter, type PlatformStore } from './platform-store';

const notFound = (id: string) =>
  new DomainError('not_found', 'penalty_not_found', `penaltyId: no penalty ${id}`, 'penaltyId');

export class PlatformPenalties {
  /** Tells the merchant's owners of a penalty set or lifted (their inbox); set by cloud.ts. */
  tell: ((p: PenaltyDoc, event: 'set' | 'lifted') => Promise<unknown>) | undefined;

  constructor(
    private readonly d: {
      store: PlatformStore;
      audit: PlatformAudit;
      gate: PenaltyGate;
      clock: Clock;
      newId: () => string;
    },
  ) {}

  private view = (p: PenaltyDoc): PenaltyView => ({
    penaltyId: p.penaltyId,
    merchantPhone: p.merchantPhone,
    kind: p.kind,
    storeIds: p.storeIds,
    storeId: p.storeId,
    reason: p.reason,
    from: p.from,
    until: p.until,
    by: p.by,
    at: p.at,
    lifted: p.lifted,
    state: penaltyState(p, this.d.clock.now()),
  });

  private async merchantStores(phone: string): Promise<string[]> {
    const m = await this.d.store.read.get(REGISTRY_DB, `merchant:${phone}`);
    if (!m) {
      throw new DomainError(
        'not_found',
        'merchant_not_found',
        `phone: no approved merchant ${phone}`,
        'phone',
      );
    }
    return Array.isArray(m.storeIds) ? (m.storeIds as string[]) : [];
  }

  /**
   * Tells again the penalties set or lifted within `withinMs`: one whose telling failed when it
   * was written (the store's words unread, CouchDB busy) is told at the next sweep. Telling is
   * keyed by the penalty and the event, so one told already makes nothing new.
   */
  async retell(withinMs: number): Promise<void> {
    if (!this.tell) return;
    const since = this.d.clock.now() - withinMs;
    for (const p of await readPenalties(this.d.store.read)) {
      if (Date.parse(p.at) >= since) await this.tell(p, 'set');
      if (p.lifted && Date.parse(p.lifted.at) >= since) await this.tell(p, 'lifted');
    }
  }

  /** The merchant's penalties, newest first, each with where it stands now. */
  async list(phone: string): Promise<PenaltyView[]> {
    await this.merchantStores(phone);
    return (await readPenalties(this.d.store.read))
      .filter((p) => p.merchantPhone === phone)
      .sort((a, b) => b.at.localeCompare(a.at))
      .map(this.view);
  }

  /** The penalties on one store, newest first: what its owner reads. */
  async ofStore(storeId: string): Promise<PenaltyView[]> {
    return (await readPenalties(this.d.store.read))
      .filter((p) => p.storeIds.includes(storeId))
      .sort((a, b) => b.at.localeCompare(a.at))
      .map(this.view);
  }

  async add(caller: PlatformCaller, phone: string, body: PenaltyBody): Promise<PenaltyView> {
    const writer = platformWriter(this.d.store);
    const stores = await this.merchantStores(phone);
    if (body.storeId !== undefined && !stores.includes(body.storeId)) {
      throw new DomainError(
        'invalid',
        'store_not_merchants',
        `storeId: ${body.storeId} is not one of this merchant's stores (${stores.join(', ')})`,
        'storeId',
      );
    }
    const now = new Date(this.d.clock.now()).toISOString();
    const from = body.from ? new Date(body.from).toISOString() : now;
    const until = body.until ? new Date(body.until).toISOString() : null;
    if (until !== null && until <= now) {
      throw new DomainError(
        'invalid',
        'penalty_over',
        'until: the period would be over already; give an end in the future',
        'until',
      );
    }
    const id = this.d.newId().replaceAll('-', '').toLowerCase().slice(0, 32);
    const doc: PenaltyDoc = {
      _id: penaltyDocId(id),
      type: 'platform_penalty',
      penaltyId: id,
      merchantPhone: phone,
      kind: body.kind,
      storeIds: body.storeId !== undefined ? [body.storeId] : stores,
      storeId: body.storeId ?? null,
      reason: body.reason,
      from,
      until,
      by: caller.phone,
      at: now,
      lifted: null,
    };
    await writer.put(REGISTRY_DB, doc);
    this.d.gate.forget();
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: `penalty.${body.kind}`,
      target: body.storeId !== undefined ? `store:${body.storeId}` : `merchant:${phone}`,
      reason: body.reason,
      detail: { penaltyId: id, storeIds: doc.storeIds, from, until },
    });
    await this.tell?.(doc, 'set');
    return this.view(doc);
  }

  /** Lifts a penalty before its end, with the reason; one already lifted or over is refused. */
  async lift(
    caller: PlatformCaller,
    phone: string,
    penaltyId: string,
    reason: string,
  ): Promise<PenaltyView> {
    const writer = platformWriter(this.d.store);
    const found = (await readPenalties(writer)).find(
      (p) => p.penaltyId === penaltyId && p.merchantPhone === phone,
    );
    if (!found) throw notFound(penaltyId);
    const state = penaltyState(found, this.d.clock.now());
    if (state === 'lifted' || state === 'ended') {
      throw new DomainError(
        'conflict',
        'penalty_not_in_force',
        `penaltyId: the penalty is ${state} already`,
        'penaltyId',
      );
    }
    const next: PenaltyDoc = {
      ...found,
      lifted: { at: new Date(this.d.clock.now()).toISOString(), by: caller.phone, reason },
    };
    await writer.put(REGISTRY_DB, next);
    this.d.gate.forget();
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: 'penalty.lift',
      target: found.storeId !== null ? `store:${found.storeId}` : `merchant:${phone}`,
      reason,
      detail: { penaltyId, kind: found.kind },
    });
    await this.tell?.(next, 'lifted');
    return this.view(next);
  }
}
