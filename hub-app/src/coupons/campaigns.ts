// Campaigns (O6): the only writer of `campaigns`. A campaign holds the coupon it issues (terms,
// name), its claim window, how long a coupon may be used, its per-person and total limits, and
// its status (active, paused, ended: an ended campaign never issues again), its points price when
// its coupons are exchanged for points and a win-back campaign's days away (each set once, at the
// start). Issuing is coupons.ts.
// A campaign customers claim from a page is published to the cloud (its `campaign:` document),
// marked in the write that changes it.
import {
  campaignDocId,
  DomainError,
  formatInstant,
  notFound,
  type CampaignCreate,
  type CampaignKind,
  type CampaignPatch,
  type CampaignStatus,
  type CampaignView,
  type Clock,
  type CouponTerms,
  type LocalDate,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

export interface CampaignRow {
  id: string;
  name: string;
  kind: CampaignKind;
  status: CampaignStatus;
  coupon_name: string;
  terms: string;
  claim_from: LocalDate;
  claim_to: LocalDate;
  use_days: number;
  use_until: LocalDate | null;
  per_person: number;
  total_limit: number | null;
  level: string | null;
  /** Points a member gives for its coupon; null: claimed free. */
  points_price: number | null;
  /** A win-back campaign's days away before a member is recalled; null for every other kind. */
  absent_days: number | null;
  created_at: number;
  updated_at: number;
}

export class Campaigns {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly newId: NewId,
    private readonly timeZone: () => string,
    private readonly outbox: Outbox,
  ) {}

  /** Whether customers claim this campaign's coupons from the store's page (online too). */
  static published(row: Pick<CampaignRow, 'kind'>): boolean {
    return row.kind === 'claim';
  }

  /** Marks the campaign's document when customers see it online. Inside the change's write. */
  markPublished(row: Pick<CampaignRow, 'id' | 'kind'>): void {
    if (Campaigns.published(row)) this.outbox.mark(campaignDocId(row.id));
  }

  /** A published campaign and whether all its coupons are out, for its document; else undefined. */
  forCloud(id: string): { row: CampaignRow; soldOut: boolean } | undefined {
    const row = this.db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as
      CampaignRow | undefined;
    if (!row || !Campaigns.published(row)) return undefined;
    const { n } = this.db
      .prepare('SELECT COUNT(*) AS n FROM coupons WHERE campaign_id = ?')
      .get(id) as { n: number };
    return { row, soldOut: row.total_limit !== null && n >= row.total_limit };
  }

  row(id: string): CampaignRow {
    const row = this.db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as
      CampaignRow | undefined;
    if (!row) throw notFound('campaign', id, 'campaignId');
    return row;
  }

  /** Active campaigns of a kind. */
  active(kind: CampaignKind): CampaignRow[] {
    return this.db
      .prepare(
        `SELECT * FROM campaigns WHERE kind = ? AND status = 'active' ORDER BY created_at, id`,
      )
      .all(kind) as CampaignRow[];
  }

  list(): CampaignView[] {
    const rows = this.db
      .prepare('SELECT * FROM campaigns ORDER BY created_at DESC, id')
      .all() as CampaignRow[];
    return rows.map((r) => this.view(r));
  }

  get(id: string): CampaignView {
    return this.view(this.row(id));
  }

  create(c: CampaignCreate): CampaignView {
    const id = this.newId();
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO campaigns (id, name, kind, status, coupon_name, terms, claim_from, claim_to, use_days,
           use_until, per_person, total_limit, level, points_price, absent_days, created_at, updated_at)
         VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        c.name,
        c.kind,
        c.couponName,
        JSON.stringify(c.coupon),
        c.claimFrom,
        c.claimTo,
        c.useDays,
        c.useUntil,
        c.perPerson,
        c.totalLimit,
        c.level,
        c.pointsPrice,
        c.absentDays,
        now,
        now,
      );
    this.markPublished({ id, kind: c.kind });
    return this.get(id);
  }

  /** Pause, resume, end; rename; move the claim end; change the total limit. */
  patch(id: string, p: CampaignPatch): CampaignView {
    const row = this.row(id);
    if (row.status === 'ended' && p.status !== undefined && p.status !== 'ended') {
      throw new DomainError(
        'conflict',
        'campaign_ended',
        'this campaign has ended; start a new one instead',
        'status',
      );
    }
    if (row.status === 'ended' && (p.claimTo !== undefined || p.totalLimit !== undefined)) {
      throw new DomainError(
        'conflict',
        'campaign_ended',
        'this campaign has ended; start a new one instead',
        p.claimTo !== undefined ? 'claimTo' : 'totalLimit',
      );
    }
    const claimTo = p.claimTo ?? row.claim_to;
    if (claimTo < row.claim_from) {
      throw new DomainError(
        'invalid',
        'claim_window',
        `the claim window cannot end before it starts (${row.claim_from})`,
        'claimTo',
      );
    }
    if (p.totalLimit !== undefined && p.totalLimit !== null) {
      const { n } = this.db
        .prepare('SELECT COUNT(*) AS n FROM coupons WHERE campaign_id = ?')
        .get(id) as { n: number };
      if (p.totalLimit < n) {
        throw new DomainError(
          'conflict',
          'campaign_limit_below_issued',
          `${n} of its coupons are given out already: the total cannot be fewer`,
          'totalLimit',
        ).with({ n });
      }
    }
    this.db
      .prepare(
        `UPDATE campaigns SET name = ?, status = ?, claim_to = ?, total_limit = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        p.name ?? row.name,
        p.status ?? row.status,
        claimTo,
        p.totalLimit === undefined ? row.total_limit : p.totalLimit,
        this.clock.now(),
        id,
      );
    this.markPublished(row);
    return this.get(id);
  }

  view(r: CampaignRow): CampaignView {
    const tz = this.timeZone();
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      couponName: r.coupon_name,
      coupon: JSON.parse(r.terms) as CouponTerms,
      claimFrom: r.claim_from,
      claimTo: r.claim_to,
      useDays: r.use_days,
      useUntil: r.use_until,
      perPerson: r.per_person,
      totalLimit: r.total_limit,
      level: r.level,
      pointsPrice: r.points_price,
      absentDays: r.absent_days,
      createdAt: formatInstant(r.created_at, tz),
      updatedAt: formatInstant(r.updated_at, tz),
    };
  }
}
