// The owner's group-buy deals (O7): our own deals the cloud and the kiosk sell, and the Meituan /
// Douyin deals the store sells on those platforms, each mapped to what it buys here (hours or a
// session package, days, bands, rooms, party size). Owns `deals`; writes them itself. Each change
// is published to the cloud (the deal's document, same transaction). Never touches vouchers or
// redemptions: a voucher carries its own copy of what it buys, so an edit changes no voucher sold.
import {
  DealInputSchema,
  DomainError,
  formatInstant,
  notFound,
  parseInput,
  type Clock,
  type DealPatch,
  type DealSource,
  type DealStatus,
  type DealView,
  type Entitlement,
  entitlementRev,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

interface DealRow {
  id: string;
  source: DealSource;
  platform_deal_id: string | null;
  title: string;
  status: DealStatus;
  body: string;
  created_at: number;
  updated_at: number;
}

type DealData = z.output<typeof DealInputSchema>;

export interface DealDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  outbox: Outbox;
  timeZone: () => string;
}

export class Deals {
  constructor(private readonly d: DealDeps) {}

  create(input: DealData): DealView {
    this.assertPlatformDealFree(input.source, input.platformDealId, null);
    const id = this.d.newId();
    const now = this.d.clock.now();
    this.d.db
      .prepare(
        `INSERT INTO deals (id, source, platform_deal_id, title, status, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.source,
        input.platformDealId,
        input.title,
        input.status,
        JSON.stringify(input),
        now,
        now,
      );
    this.keepRevision(id, input.title, input.entitlement);
    this.d.outbox.markDeal(id);
    return this.get(id);
  }

  patch(id: string, patch: DealPatch): DealView {
    const row = this.row(id);
    const before = JSON.parse(row.body) as DealData;
    // The entitlement is replaced whole when given; the other fields one by one.
    const next = parseInput(DealInputSchema, { ...before, ...patch }, 'body');
    this.assertPlatformDealFree(next.source, next.platformDealId, id);
    this.d.db
      .prepare(
        `UPDATE deals SET platform_deal_id = ?, title = ?, status = ?, body = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        next.platformDealId,
        next.title,
        next.status,
        JSON.stringify(next),
        this.d.clock.now(),
        id,
      );
    // A voucher sold from now on names the rules as they now are: they are kept beside the
    // earlier ones, which the vouchers sold before still name.
    this.keepRevision(id, next.title, next.entitlement);
    this.d.outbox.markDeal(id);
    return this.get(id);
  }

  list(filter: { source?: DealSource; status?: DealStatus } = {}): DealView[] {
    const rows = this.d.db
      .prepare(
        `SELECT * FROM deals WHERE (? IS NULL OR source = ?) AND (? IS NULL OR status = ?) ORDER BY created_at`,
      )
      .all(
        filter.source ?? null,
        filter.source ?? null,
        filter.status ?? null,
        filter.status ?? null,
      ) as DealRow[];
    return rows.map((r) => this.view(r));
  }

  get(id: string): DealView {
    return this.view(this.row(id));
  }

  find(id: string): DealView | undefined {
    const r = this.d.db.prepare('SELECT * FROM deals WHERE id = ?').get(id) as DealRow | undefined;
    return r ? this.view(r) : undefined;
  }

  /** What a voucher of `dealId` bought at version `rev`: the rules and the title then. */
  revision(dealId: string, rev: string): { title: string; entitlement: Entitlement } | undefined {
    const r = this.d.db
      .prepare('SELECT title, entitlement FROM deal_revisions WHERE deal_id = ? AND rev = ?')
      .get(dealId, rev) as { title: string; entitlement: string } | undefined;
    return r
      ? { title: r.title, entitlement: JSON.parse(r.entitlement) as Entitlement }
      : undefined;
  }

  /**
   * Keeps every deal's rules as they now are among its versions. Run at start: a hub before this
   * one did not keep them when a deal was edited, so a voucher sold since names rules it cannot
   * find. Runs inside a write; a version already kept is left as it is.
   */
  keepCurrentRevisions(): void {
    const rows = this.d.db.prepare('SELECT id, title, body FROM deals').all() as {
      id: string;
      title: string;
      body: string;
    }[];
    for (const r of rows) {
      const body = JSON.parse(r.body) as DealData;
      this.keepRevision(r.id, r.title, body.entitlement);
    }
  }

  private keepRevision(dealId: string, title: string, entitlement: Entitlement): void {
    this.d.db
      .prepare(
        `INSERT INTO deal_revisions (deal_id, rev, title, entitlement, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (deal_id, rev) DO UPDATE SET title = excluded.title`,
      )
      .run(
        dealId,
        entitlementRev(entitlement),
        title,
        JSON.stringify(entitlement),
        this.d.clock.now(),
      );
  }

  /** The store's mapping of a platform deal, or undefined when the owner has not mapped it. */
  byPlatformDeal(source: DealSource, platformDealId: string): DealView | undefined {
    const r = this.d.db
      .prepare('SELECT * FROM deals WHERE source = ? AND platform_deal_id = ?')
      .get(source, platformDealId) as DealRow | undefined;
    return r ? this.view(r) : undefined;
  }

  private assertPlatformDealFree(
    source: DealSource,
    platformDealId: string | null,
    self: string | null,
  ): void {
    if (!platformDealId) return;
    const other = this.byPlatformDeal(source, platformDealId);
    if (other && other.id !== self) {
      throw new DomainError(
        'conflict',
        'platform_deal_mapped',
        `the ${source} deal ${platformDealId} is already mapped to “${other.title}”`,
        'platformDealId',
      ).with({ title: other.title });
    }
  }

  private row(id: string): DealRow {
    const r = this.d.db.prepare('SELECT * FROM deals WHERE id = ?').get(id) as DealRow | undefined;
    if (!r) throw notFound('deal', id, 'dealId');
    return r;
  }

  private sold(id: string, source: DealSource): number {
    const sql =
      source === 'own'
        ? `SELECT COUNT(*) AS n FROM vouchers WHERE deal_id = ?`
        : `SELECT COUNT(*) AS n FROM redemptions WHERE deal_id = ? AND status IN ('done','queued','refund_via_platform')`;
    return (this.d.db.prepare(sql).get(id) as { n: number }).n;
  }

  private view(r: DealRow): DealView {
    const b = JSON.parse(r.body) as DealData;
    const tz = this.d.timeZone();
    return {
      id: r.id,
      source: r.source,
      platformDealId: r.platform_deal_id,
      title: r.title,
      description: b.description,
      photos: b.photos,
      entitlement: b.entitlement,
      rev: entitlementRev(b.entitlement),
      price: b.price,
      originalPrice: b.originalPrice,
      groupSize: b.groupSize,
      groupHours: b.groupHours,
      validDays: b.validDays,
      perCustomerLimit: b.perCustomerLimit,
      stock: b.stock,
      sold: this.sold(r.id, r.source),
      refundAnyTime: b.refundAnyTime,
      refundOnExpiry: b.refundOnExpiry,
      status: r.status,
      createdAt: formatInstant(r.created_at, tz),
      updatedAt: formatInstant(r.updated_at, tz),
    };
  }
}
