// Coupons (C12, O6): the only writer of `coupons`, `coupon_uses` and `referrals`. Issues a
// campaign's coupon (by hand, claimed, exchanged for points, to a new customer, on a birthday by
// the daily job, for a referral to both sides, to a member level) within the campaign's windows
// and limits; a claim or an exchange makes its customer a member, and an exchange takes the points
// through the members domain in the same write as the coupon (C11). Hands the
// coupons a customer names to the bill (`offers`), takes them in the booking's write (`use`) and
// gives them back when the booking is cancelled within the rules (`giveBack`); counts a campaign's
// results from what the coupons and bookings hold. Never prices: the bill is priceBill's.
// Each coupon's document for the cloud ("my coupons") is marked in the write that issues, uses or
// gives it back; a published campaign's, when its last coupon goes.
import {
  couponDocId,
  DomainError,
  formatInstant,
  instantAt,
  localDateOf,
  nextLocalDate,
  notFound,
  type Actor,
  type CampaignCreate,
  type CampaignResults,
  type CampaignView,
  type Clock,
  type CouponExchangeView,
  type CouponOffer,
  type CouponTerms,
  type CouponView,
  type LocalDate,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { Scheduler } from '../scheduler/scheduler';
import type { Outbox } from '../sync/outbox';
import type { BookingRecords } from '../booking/booking-records';
import type { MemberPricing } from '../booking/discount-sources';
import type { MemberRow } from '../members/member-records';
import type { CampaignRow, Campaigns } from './campaigns';

/** The daily job that gives birthday coupons. */
export const BIRTHDAY_JOB = 'coupons.birthday';
const BIRTHDAYS: Actor = { kind: 'system', id: 'birthday-coupons' };
const REFERRALS: Actor = { kind: 'system', id: 'referral-coupons' };
const DAY = 24 * 60 * 60_000;

/** Who has a birthday on a day of the year (MM-DD): the members domain knows, this only asks. */
export interface MemberAudience {
  phonesWithBirthday(monthDay: string): string[];
}
export const noAudience: MemberAudience = { phonesWithBirthday: () => [] };

/** What a claim or an exchange asks of the members domain (`MemberService`), inside its write. */
export interface CouponMembership {
  join(phone: string, name: string | null, by: MemberRow['joined_by'], actor: Actor): MemberRow;
  /** Takes a coupon's price in points from the member; answers the points left. */
  spendOnCoupon(phone: string, points: number, couponId: string, actor: Actor): number;
}

/** Where a claim or an exchange was made: the member joins by it. */
export type ClaimedAt = Extract<MemberRow['joined_by'], 'counter' | 'online'>;

export interface CouponRow {
  id: string;
  campaign_id: string;
  phone: string;
  name: string;
  terms: string;
  source: 'claimed' | 'given';
  reason: string;
  use_from: number;
  use_until: number;
  issued_at: number;
}

/** Uses not given back (SQL): the coupons a standing booking holds. */
const OPEN_USES = `SELECT u.* FROM coupon_uses u WHERE u.kind = 'use' AND NOT EXISTS (
  SELECT 1 FROM coupon_uses r WHERE r.coupon_id = u.coupon_id AND r.round = u.round AND r.kind = 'return')`;

export interface CouponDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  scheduler: Scheduler;
  campaigns: Campaigns;
  outbox: Outbox;
  records: BookingRecords;
  members: () => MemberPricing;
  membership: CouponMembership;
  audience: () => MemberAudience;
  timeZone: () => string;
}

export class Coupons {
  constructor(private readonly d: CouponDeps) {}

  /** The birthday job; referrers rewarded on payment. Call once. */
  register(): void {
    this.d.scheduler.on(BIRTHDAY_JOB, () => this.d.writes.run(() => this.birthdays()));
    this.d.records.onTransition(({ row, action }) => {
      if (action === 'pay') this.referredPaid(row.customer_phone);
    });
  }

  private today(): LocalDate {
    return localDateOf(this.d.clock.now(), this.d.timeZone());
  }

  private nextMidnight(): number {
    return instantAt(nextLocalDate(this.today()), 0, this.d.timeZone());
  }

  /** A new campaign; a birthday campaign starts the daily job from the next store midnight. */
  createCampaign(c: CampaignCreate): CampaignView {
    const view = this.d.campaigns.create(c);
    if (c.kind === 'birthday' && this.d.scheduler.pending(BIRTHDAY_JOB).length === 0)
      this.d.scheduler.schedule(BIRTHDAY_JOB, 'daily', this.nextMidnight());
    return view;
  }

  // ---- issuing --------------------------------------------------------------------------------

  /** Staff give a campaign's coupon to customers by hand (audited as their action). */
  issueByHand(campaignId: string, phones: string[], actor: Actor): CouponView[] {
    const campaign = this.d.campaigns.row(campaignId);
    return phones.map((phone) =>
      this.issue(campaign, phone, `hand:${this.countOf(campaign.id, phone) + 1}`, 'given', actor),
    );
  }

  /**
   * A customer claims a coupon with their phone (a claim, new-customer or level campaign), and is
   * a member of the store from then on.
   */
  claim(campaignId: string, phone: string, actor: Actor, at: ClaimedAt = 'counter'): CouponView {
    const campaign = this.claimable(campaignId, phone);
    if (campaign.points_price !== null) {
      throw new DomainError(
        'conflict',
        'campaign_needs_points',
        `this coupon is exchanged for ${campaign.points_price} points, not claimed free`,
        'campaignId',
      ).with({ points: campaign.points_price });
    }
    const coupon = this.issue(
      campaign,
      phone,
      `claim:${this.countOf(campaign.id, phone) + 1}`,
      'claimed',
      actor,
    );
    this.d.membership.join(phone, null, at, actor);
    return coupon;
  }

  /**
   * A member gives the campaign's points price for its coupon: the coupon is issued within the
   * campaign's window and limits and the points taken in the same write, or neither. `agreed` is
   * the price the customer saw (online), refused if the campaign asks another. `requestId` makes a
   * retry the same exchange. Points given for a coupon never come back, used or not.
   */
  exchange(
    campaignId: string,
    phone: string,
    actor: Actor,
    opts: { at: ClaimedAt; requestId?: string; agreed?: number },
  ): CouponExchangeView {
    const campaign = this.claimable(campaignId, phone);
    const price = campaign.points_price;
    if (price === null) {
      throw new DomainError(
        'conflict',
        'campaign_not_for_points',
        'this coupon is claimed free, not exchanged for points',
        'campaignId',
      );
    }
    if (opts.agreed !== undefined && opts.agreed !== price) {
      throw new DomainError(
        'conflict',
        'points_price_changed',
        `this coupon is exchanged for ${price} points, not ${opts.agreed}`,
        'points',
      ).with({ points: price });
    }
    const reason = `exchange:${opts.requestId ?? this.countOf(campaign.id, phone) + 1}`;
    const coupon = this.issue(campaign, phone, reason, 'claimed', actor);
    this.d.membership.join(phone, null, opts.at, actor);
    const balance = this.d.membership.spendOnCoupon(phone, price, coupon.id, actor);
    return { coupon, points: price, balance };
  }

  /** The campaign, if its coupons may be claimed or exchanged by this phone. */
  private claimable(campaignId: string, phone: string): CampaignRow {
    const campaign = this.d.campaigns.row(campaignId);
    if (!['claim', 'new_user', 'level'].includes(campaign.kind)) {
      throw new DomainError(
        'conflict',
        'campaign_not_claimable',
        'the coupons of this campaign are given, not claimed',
        'campaignId',
      );
    }
    if (campaign.kind === 'new_user') this.assertNewCustomer(phone, 'phone');
    if (campaign.kind === 'level') {
      const level = this.d.members().discountFor(phone)?.level ?? null;
      if (level !== campaign.level) {
        throw new DomainError(
          'conflict',
          'wrong_level',
          `this coupon is for ${campaign.level} members`,
          'phone',
        ).with({ level: campaign.level ?? '' });
      }
    }
    return campaign;
  }

  /**
   * One customer brings another: the new one gets the coupon now, the one who brought them gets
   * it when the new one pays a first booking.
   */
  refer(campaignId: string, referrer: string, referee: string, actor: Actor): CouponView {
    const campaign = this.d.campaigns.row(campaignId);
    if (campaign.kind !== 'referral') {
      throw new DomainError(
        'conflict',
        'campaign_not_referral',
        'this campaign is not a referral campaign',
        'campaignId',
      );
    }
    this.assertNewCustomer(referee, 'referee');
    const known = this.d.db
      .prepare('SELECT referrer FROM referrals WHERE campaign_id = ? AND referee = ?')
      .get(campaign.id, referee);
    if (known) {
      throw new DomainError(
        'conflict',
        'already_referred',
        'this customer was already brought by someone in this campaign',
        'referee',
      );
    }
    const coupon = this.issue(campaign, referee, `referred-by:${referrer}`, 'given', actor);
    this.d.db
      .prepare('INSERT INTO referrals (campaign_id, referrer, referee, at) VALUES (?, ?, ?, ?)')
      .run(campaign.id, referrer, referee, this.d.clock.now());
    return coupon;
  }

  /**
   * One customer brought another through a share link (online): the referral under each referral
   * campaign running now, the new one's coupon at once. Refused, naming why, when none runs or
   * none takes it (the new one booked here before, a campaign out of coupons).
   */
  referOnline(referrer: string, referee: string, actor: Actor): CouponView[] {
    const campaigns = this.d.campaigns.active('referral');
    if (campaigns.length === 0) {
      throw new DomainError(
        'conflict',
        'no_referral_campaign',
        'the store runs no referral campaign now',
        'campaignId',
      );
    }
    if (referrer === referee) {
      throw new DomainError(
        'conflict',
        'self_referral',
        'a customer cannot bring themselves',
        'referee',
      );
    }
    const given: CouponView[] = [];
    let first: DomainError | undefined;
    for (const campaign of campaigns) {
      try {
        given.push(this.refer(campaign.id, referrer, referee, actor));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        first ??= e;
      }
    }
    if (given.length === 0 && first) throw first;
    return given;
  }

  /**
   * A referred customer's first payment (a booking paid, a voucher bought online) rewards whoever
   * brought them, once per campaign: the coupon's reason names the new customer.
   */
  referredPaid(phone: string): void {
    const referrals = this.d.db
      .prepare(
        `SELECT r.campaign_id, r.referrer FROM referrals r JOIN campaigns c ON c.id = r.campaign_id
         WHERE r.referee = ? AND c.status = 'active'`,
      )
      .all(phone) as { campaign_id: string; referrer: string }[];
    for (const r of referrals) {
      try {
        this.issue(
          this.d.campaigns.row(r.campaign_id),
          r.referrer,
          `referral:${phone}`,
          'given',
          REFERRALS,
        );
      } catch (e) {
        // A campaign out of coupons or closed gives nothing; the payment stands.
        if (!(e instanceof DomainError)) throw e;
      }
    }
  }

  /** Job: birthday coupons for today's birthdays, then again at the next midnight. */
  private birthdays(): void {
    const today = this.today();
    const phones = this.d.audience().phonesWithBirthday(today.slice(5));
    for (const campaign of this.d.campaigns.active('birthday')) {
      for (const phone of phones) {
        try {
          this.issue(campaign, phone, `birthday:${today.slice(0, 4)}`, 'given', BIRTHDAYS);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
        }
      }
    }
    // Daily while a birthday campaign may still give; an ended one never does.
    const open = this.d.db
      .prepare(`SELECT 1 FROM campaigns WHERE kind = 'birthday' AND status <> 'ended' LIMIT 1`)
      .get();
    if (open) this.d.scheduler.schedule(BIRTHDAY_JOB, 'daily', this.nextMidnight());
    else this.d.scheduler.done(BIRTHDAY_JOB, 'daily');
  }

  private assertNewCustomer(phone: string, field: string): void {
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

  private countOf(campaignId: string, phone: string): number {
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
  private issue(
    campaign: CampaignRow,
    phone: string,
    reason: string,
    source: 'claimed' | 'given',
    actor: Actor,
  ): CouponView {
    const existing = this.d.db
      .prepare('SELECT * FROM coupons WHERE campaign_id = ? AND phone = ? AND reason = ?')
      .get(campaign.id, phone, reason) as CouponRow | undefined;
    if (existing) return this.view(existing);
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
    return this.view(row);
  }

  /** A coupon and the booking it is used on, for its document in the cloud; else undefined. */
  forCloud(id: string): { row: CouponRow; bookingId: string | null } | undefined {
    const row = this.d.db.prepare('SELECT * FROM coupons WHERE id = ?').get(id) as
      CouponRow | undefined;
    return row ? { row, bookingId: this.openUse(id)?.booking_id ?? null } : undefined;
  }

  // ---- using ----------------------------------------------------------------------------------

  /** A phone's coupons, newest first. */
  forPhone(phone: string): CouponView[] {
    const rows = this.d.db
      .prepare('SELECT * FROM coupons WHERE phone = ? ORDER BY issued_at DESC, id')
      .all(phone) as CouponRow[];
    return rows.map((r) => this.view(r));
  }

  /** The coupons `phone` names for a bill: theirs, not in use, inside their use window now. */
  offers(phone: string, ids: readonly string[]): CouponOffer[] {
    const now = this.d.clock.now();
    return ids.map((id) => {
      const row = this.d.db.prepare('SELECT * FROM coupons WHERE id = ?').get(id) as
        CouponRow | undefined;
      if (!row || row.phone !== phone) {
        // Another's coupon reads as none: its id says nothing about whose it is.
        throw notFound('coupon', id, 'couponIds');
      }
      if (this.openUse(id)) {
        throw new DomainError(
          'conflict',
          'coupon_used',
          `coupon "${row.name}" is already used`,
          'couponIds',
        );
      }
      if (now < row.use_from || now >= row.use_until) {
        const tz = this.d.timeZone();
        throw new DomainError(
          'conflict',
          'coupon_expired',
          `coupon "${row.name}" can be used until ${formatInstant(row.use_until, tz)}`,
          'couponIds',
        ).with({ until: formatInstant(row.use_until, tz) });
      }
      return { id, name: row.name, terms: JSON.parse(row.terms) as CouponTerms };
    });
  }

  /** The coupons a booking holds, as offers again (a change re-prices with them). */
  heldBy(bookingId: string): CouponOffer[] {
    const rows = this.d.db
      .prepare(
        `SELECT c.* FROM (${OPEN_USES}) u JOIN coupons c ON c.id = u.coupon_id WHERE u.booking_id = ? ORDER BY u.id`,
      )
      .all(bookingId) as CouponRow[];
    return rows.map((r) => ({ id: r.id, name: r.name, terms: JSON.parse(r.terms) as CouponTerms }));
  }

  private openUse(couponId: string): { booking_id: string; round: number } | undefined {
    return this.d.db
      .prepare(`SELECT booking_id, round FROM (${OPEN_USES}) WHERE coupon_id = ?`)
      .get(couponId) as { booking_id: string; round: number } | undefined;
  }

  /**
   * Takes the coupons the bill applied, inside the booking's write. The database refuses a second
   * use of a round (`coupon_uses_once`), whatever raced to it.
   */
  use(bookingId: string, applied: readonly { id: string; amount: number }[], actor: Actor): void {
    for (const a of applied) {
      const round = (
        this.d.db
          .prepare(`SELECT COUNT(*) AS n FROM coupon_uses WHERE coupon_id = ? AND kind = 'return'`)
          .get(a.id) as { n: number }
      ).n;
      this.append(a.id, round, 'use', bookingId, a.amount, actor);
    }
  }

  /** Gives back every coupon a booking holds; nothing when it holds none. Inside its write. */
  giveBack(bookingId: string, actor: Actor): void {
    const open = this.d.db
      .prepare(`SELECT coupon_id, round, amount FROM (${OPEN_USES}) WHERE booking_id = ?`)
      .all(bookingId) as { coupon_id: string; round: number; amount: number }[];
    for (const u of open) this.append(u.coupon_id, u.round, 'return', bookingId, u.amount, actor);
  }

  private append(
    couponId: string,
    round: number,
    kind: 'use' | 'return',
    bookingId: string,
    amount: number,
    actor: Actor,
  ): void {
    try {
      this.d.db
        .prepare(
          `INSERT INTO coupon_uses (coupon_id, round, kind, booking_id, amount, actor_kind, actor_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(couponId, round, kind, bookingId, amount, actor.kind, actor.id, this.d.clock.now());
      this.d.outbox.mark(couponDocId(couponId));
    } catch (e) {
      if (
        e instanceof Error &&
        (e.message.includes('coupon_used') || e.message.includes('UNIQUE constraint failed'))
      ) {
        throw new DomainError(
          'conflict',
          'coupon_used',
          'this coupon is already used',
          'couponIds',
        );
      }
      throw e;
    }
  }

  // ---- results --------------------------------------------------------------------------------

  /** A campaign's results, counted from its coupons and the bookings they are on. */
  results(campaignId: string): CampaignResults {
    this.d.campaigns.row(campaignId);
    const q = <T>(sql: string) => this.d.db.prepare(sql).get(campaignId) as T;
    const counts = q<{ issued: number; claimed: number; exchanged: number }>(
      `SELECT COUNT(*) AS issued, COALESCE(SUM(source = 'claimed'), 0) AS claimed,
              COALESCE(SUM(reason LIKE 'exchange:%'), 0) AS exchanged FROM coupons WHERE campaign_id = ?`,
    );
    // What members gave for the exchanged ones, from the points ledger (a read of the members').
    const points = q<{ n: number }>(
      `SELECT COALESCE(-SUM(p.points), 0) AS n FROM member_points p
       WHERE p.ref IN (SELECT 'coupon:' || id FROM coupons WHERE campaign_id = ?)`,
    ).n;
    const uses = `(SELECT u.* FROM (${OPEN_USES}) u JOIN coupons c ON c.id = u.coupon_id WHERE c.campaign_id = ?)`;
    const used = q<{ n: number }>(`SELECT COUNT(*) AS n FROM ${uses}`).n;
    // What the coupon lines of those bookings took off, as the bills say now (a change re-prices).
    const money = this.d.db
      .prepare(
        `SELECT COALESCE(-SUM(json_extract(j.value, '$.amount')), 0) AS cost
         FROM ${uses} u JOIN bookings b ON b.id = u.booking_id, json_each(b.lines) j
         WHERE b.status IN ('paid','in_use','completed')
           AND json_extract(j.value, '$.kind') = 'coupon' AND json_extract(j.value, '$.ref') = u.coupon_id`,
      )
      .get(campaignId) as { cost: number };
    const revenue = this.d.db
      .prepare(
        `SELECT COALESCE(SUM(b.total), 0) AS revenue FROM bookings b
         WHERE b.status IN ('paid','in_use','completed') AND b.id IN (SELECT booking_id FROM ${uses})`,
      )
      .get(campaignId) as { revenue: number };
    const newMembers = this.d.db
      .prepare(
        `SELECT COUNT(DISTINCT c.phone) AS n FROM ${uses} u JOIN coupons c ON c.id = u.coupon_id
         WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.customer_phone = c.phone AND b.created_at < c.issued_at)`,
      )
      .get(campaignId) as { n: number };
    return {
      campaignId,
      issued: counts.issued,
      claimed: counts.claimed,
      exchanged: counts.exchanged,
      points,
      used,
      revenue: revenue.revenue,
      newMembers: newMembers.n,
      cost: money.cost,
    };
  }

  private view(r: CouponRow): CouponView {
    const tz = this.d.timeZone();
    const now = this.d.clock.now();
    const open = this.openUse(r.id);
    return {
      id: r.id,
      campaignId: r.campaign_id,
      name: r.name,
      phone: r.phone,
      terms: JSON.parse(r.terms) as CouponTerms,
      status: open
        ? 'used'
        : now < r.use_from
          ? 'not_yet'
          : now >= r.use_until
            ? 'expired'
            : 'available',
      useFrom: formatInstant(r.use_from, tz),
      useUntil: formatInstant(r.use_until, tz),
      issuedAt: formatInstant(r.issued_at, tz),
      bookingId: open?.booking_id ?? null,
    };
  }
}
