// Issuing coupons (C12): the only writer of `coupons`. One coupon for a campaign, a phone and a
// reason, within the campaign's status, claim window and limits, its use window cut to the
// campaign's last day; its document for the cloud is marked in the same write, and a limited
// campaign's when its last coupon goes. Never decides who may have one (claims, referrals and
// birthdays are `Coupons`') and never touches a coupon's uses.
import {
  couponDocId,
  DomainError,
  instantAt,
  localDateOf,
  nextLocalDate,
  type Actor,
  type Clock,
  type CouponView,
  type LocalDate,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';
import type { CampaignRow, Campaigns } from './campaigns';
import type { CouponRow, CouponUses } from './coupon-uses';

const DAY = 24 * 60 * 60_000;

export interface CouponIssueDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  campaigns: Campaigns;
  outbox: Outbox;
  timeZone: () => string;
}

export class CouponIssuer {
  constructor(
    private readonly d: CouponIssueDeps,
    private readonly uses: CouponUses,
  ) {}

  /** The store's date now. */
  today(): LocalDate {
    return localDateOf(this.d.clock.now(), this.d.timeZone());
  }

  /** The next store midnight. */
  nextMidnight(): number {
    return instantAt(nextLocalDate(this.today()), 0, this.d.timeZone());
  }

  /** Refuses a phone that has booked here before (`field` names it). */
  assertNewCustomer(phone: string, field: string): void {
    const booked = this.d.db
      .prepare('SELECT 1 FROM bookings WHERE customer_phone = ? LIMIT 1')
      .get(phone);
    if (booked) {
      throw new DomainError(
        'conflict',
        'not_a_new_customer',
        'this phone number has booked here before; the coupon is for new customers',
        field,
      );
    }
  }

  /** How many of a campaign's coupons a phone holds. */
  countOf(campaignId: string, phone: string): number {
    return (
      this.d.db
        .prepare('SELECT COUNT(*) AS n FROM coupons WHERE campaign_id = ? AND phone = ?')
        .get(campaignId, phone) as { n: number }
    ).n;
  }

  /**
   * Issues one coupon within the campaign's status, claim window and limits; the same campaign,
   * phone and reason again is the coupon already issued.
   */
  issue(
    campaign: CampaignRow,
    phone: string,
    reason: string,
    source: 'claimed' | 'given',
    actor: Actor,
  ): CouponView {
    const existing = this.d.db
      .prepare('SELECT * FROM coupons WHERE campaign_id = ? AND phone = ? AND reason = ?')
      .get(campaign.id, phone, reason) as CouponRow | undefined;
    if (existing) return this.uses.view(existing);
    if (campaign.status !== 'active') {
      throw new DomainError(
        'conflict',
        campaign.status === 'paused' ? 'campaign_paused' : 'campaign_ended',
        campaign.status === 'paused' ? 'this campaign is paused' : 'this campaign has ended',
        'campaignId',
      );
    }
    const today = this.today();
    if (today < campaign.claim_from || today > campaign.claim_to) {
      throw new DomainError(
        'conflict',
        'campaign_not_open',
        `this campaign's coupons can be had from ${campaign.claim_from} to ${campaign.claim_to}`,
        'campaignId',
      ).with({ from: campaign.claim_from, to: campaign.claim_to });
    }
    if (this.countOf(campaign.id, phone) >= campaign.per_person) {
      throw new DomainError(
        'conflict',
        'coupon_limit_person',
        `one customer may have at most ${campaign.per_person} of this coupon`,
        'phone',
      ).with({ n: campaign.per_person });
    }
    const issued = (
      this.d.db
        .prepare('SELECT COUNT(*) AS n FROM coupons WHERE campaign_id = ?')
        .get(campaign.id) as { n: number }
    ).n;
    if (campaign.total_limit !== null && issued >= campaign.total_limit) {
      throw new DomainError(
        'conflict',
        'coupon_limit_total',
        'all the coupons of this campaign have been given out',
        'campaignId',
      );
    }
    const now = this.d.clock.now();
    const tz = this.d.timeZone();
    const lastDay =
      campaign.use_until === null ? Infinity : instantAt(nextLocalDate(campaign.use_until), 0, tz);
    const row: CouponRow = {
      id: this.d.newId(),
      campaign_id: campaign.id,
      phone,
      name: campaign.coupon_name,
      terms: campaign.terms,
      source,
      reason,
      use_from: now,
      use_until: Math.min(now + campaign.use_days * DAY, lastDay),
      issued_at: now,
    };
    if (row.use_until <= row.use_from) {
      throw new DomainError(
        'conflict',
        'campaign_not_open',
        `this campaign's coupons can no longer be used`,
        'campaignId',
      ).with({ from: campaign.claim_from, to: campaign.claim_to });
    }
    this.d.db
      .prepare(
        `INSERT INTO coupons (id, campaign_id, phone, name, terms, source, reason, use_from, use_until,
           actor_kind, actor_id, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        row.campaign_id,
        phone,
        row.name,
        row.terms,
        source,
        reason,
        row.use_from,
        row.use_until,
        actor.kind,
        actor.id,
        now,
      );
    this.d.outbox.mark(couponDocId(row.id));
    // The last coupon of a limited campaign: its page says there are none left.
    if (campaign.total_limit !== null && issued + 1 >= campaign.total_limit)
      this.d.campaigns.markPublished(campaign);
    return this.uses.view(row);
  }
}
