// Coupons (C12, O6): who may have a campaign's coupon, and the one door to the coupons domain.
// Gives a campaign's coupon by hand, claimed, exchanged for points, to a new customer, on a
// birthday by the daily job, for a referral to both sides, to a member level, to a member away
// longer than a win-back campaign's days by its daily job (once per absence); a claim or an
// exchange makes its customer a member, and an exchange takes the points through the members
// domain in the same write as the coupon (C11). The only writer of `referrals`. The coupon itself
// is issued by `coupon-issuing.ts` (the only writer of `coupons`), taken and given back by
// `coupon-uses.ts` (of `coupon_uses`), and a campaign's results counted by `campaign-results.ts`.
// Never prices: the bill is priceBill's.
import {
  DomainError,
  type Actor,
  type CampaignCreate,
  type CampaignPatch,
  type CampaignResults,
  type CampaignView,
  type Clock,
  type CouponExchangeView,
  type CouponOffer,
  type CouponView,
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
import { campaignResults } from './campaign-results';
import { CouponIssuer } from './coupon-issuing';
import { CouponUses, type CouponRow } from './coupon-uses';

/** The daily job that gives birthday coupons. */
export const BIRTHDAY_JOB = 'coupons.birthday';
/** The daily job that gives win-back coupons to members away too long. */
export const WIN_BACK_JOB = 'coupons.win_back';
const BIRTHDAYS: Actor = { kind: 'system', id: 'birthday-coupons' };
const REFERRALS: Actor = { kind: 'system', id: 'referral-coupons' };
const WIN_BACKS: Actor = { kind: 'system', id: 'win-back-coupons' };
const DAY = 24 * 60 * 60_000;

/** A member and their last visit (an instant): who a win-back campaign recalls. */
export interface Absence {
  phone: string;
  lastVisitAt: number;
}

/**
 * Who has a birthday on a day of the year (MM-DD), who has not come since an instant: the members
 * domain knows, this only asks.
 */
export interface MemberAudience {
  phonesWithBirthday(monthDay: string): string[];
  /** Members whose last visit was before `before`; members who never came are not among them. */
  absentSince(before: number): Absence[];
}
export const noAudience: MemberAudience = {
  phonesWithBirthday: () => [],
  absentSince: () => [],
};

/** What a claim or an exchange asks of the members domain (`MemberService`), inside its write. */
export interface CouponMembership {
  join(phone: string, name: string | null, by: MemberRow['joined_by'], actor: Actor): MemberRow;
  /** Takes a coupon's price in points from the member; answers the points left. */
  spendOnCoupon(phone: string, points: number, couponId: string, actor: Actor): number;
}

/** Where a claim or an exchange was made: the member joins by it. */
export type ClaimedAt = Extract<MemberRow['joined_by'], 'counter' | 'online'>;

export type { CouponRow };

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
  private readonly uses: CouponUses;
  private readonly issuer: CouponIssuer;

  constructor(private readonly d: CouponDeps) {
    this.uses = new CouponUses(d);
    this.issuer = new CouponIssuer(d, this.uses);
  }

  /** The birthday and win-back jobs; referrers rewarded on payment. Call once. */
  register(): void {
    this.d.scheduler.on(BIRTHDAY_JOB, () => this.d.writes.run(() => this.birthdays()));
    this.d.scheduler.on(WIN_BACK_JOB, () => this.d.writes.run(() => this.winBacks()));
    this.d.records.onTransition(({ row, action }) => {
      if (action === 'pay') this.referredPaid(row.customer_phone);
    });
  }

  /**
   * A new campaign; a birthday or win-back campaign starts its daily job from the next store
   * midnight.
   */
  createCampaign(c: CampaignCreate): CampaignView {
    const view = this.d.campaigns.create(c);
    if (c.kind === 'birthday' && this.d.scheduler.pending(BIRTHDAY_JOB).length === 0)
      this.d.scheduler.schedule(BIRTHDAY_JOB, 'daily', this.issuer.nextMidnight());
    if (c.kind === 'win_back') this.keepWinBackJob();
    return view;
  }

  /** Pause, resume, end, rename, move the claim end: a win-back campaign's job follows. */
  patchCampaign(id: string, p: CampaignPatch): CampaignView {
    const view = this.d.campaigns.patch(id, p);
    if (view.kind === 'win_back') this.keepWinBackJob();
    return view;
  }

  // ---- issuing --------------------------------------------------------------------------------

  /**
   * Staff give a campaign's coupon to customers by hand (audited as their action): one to each
   * phone listed (a phone listed twice gets two) or, one refused, to none (runs inside a write). A
   * phone that would have more than one customer may is named, so the giver can take it off.
   */
  issueByHand(campaignId: string, phones: string[], actor: Actor): CouponView[] {
    const campaign = this.d.campaigns.row(campaignId);
    return phones.map((phone, i) => {
      try {
        return this.issuer.issue(
          campaign,
          phone,
          `hand:${this.issuer.countOf(campaign.id, phone) + 1}`,
          'given',
          actor,
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.code !== 'coupon_limit_person') throw e;
        throw new DomainError(
          'conflict',
          'phone_has_coupon',
          `${phone} would have more than ${campaign.per_person} of this coupon, the most one customer may have: take it off the list`,
          `phones.${i}`,
        ).with({ n: campaign.per_person, phone });
      }
    });
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
    const coupon = this.issuer.issue(
      campaign,
      phone,
      `claim:${this.issuer.countOf(campaign.id, phone) + 1}`,
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
    const reason = `exchange:${opts.requestId ?? this.issuer.countOf(campaign.id, phone) + 1}`;
    const coupon = this.issuer.issue(campaign, phone, reason, 'claimed', actor);
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
    if (campaign.kind === 'new_user') this.issuer.assertNewCustomer(phone, 'phone');
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
    this.issuer.assertNewCustomer(referee, 'referee');
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
    const coupon = this.issuer.issue(campaign, referee, `referred-by:${referrer}`, 'given', actor);
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
        this.issuer.issue(
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
    const today = this.issuer.today();
    const phones = this.d.audience().phonesWithBirthday(today.slice(5));
    for (const campaign of this.d.campaigns.active('birthday')) {
      // A campaign for one level gives only to members who hold it on the day.
      const theirs =
        campaign.level === null
          ? phones
          : phones.filter((p) => this.d.members().discountFor(p)?.level === campaign.level);
      for (const phone of theirs) {
        try {
          this.issuer.issue(campaign, phone, `birthday:${today.slice(0, 4)}`, 'given', BIRTHDAYS);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
        }
      }
    }
    // Daily while a birthday campaign may still give; an ended one never does.
    const open = this.d.db
      .prepare(`SELECT 1 FROM campaigns WHERE kind = 'birthday' AND status <> 'ended' LIMIT 1`)
      .get();
    if (open) this.d.scheduler.schedule(BIRTHDAY_JOB, 'daily', this.issuer.nextMidnight());
    else this.d.scheduler.done(BIRTHDAY_JOB, 'daily');
  }

  /**
   * Job: each win-back campaign open today gives its coupon to every member whose last visit is
   * older than its days away, once per absence (the reason names the last visit, so a member who
   * comes back and stays away again is recalled again), within its limits; again the next midnight.
   */
  private winBacks(): void {
    const today = this.issuer.today();
    const now = this.d.clock.now();
    for (const campaign of this.d.campaigns.active('win_back')) {
      if (campaign.absent_days === null) continue;
      if (today < campaign.claim_from || today > campaign.claim_to) continue;
      for (const a of this.d.audience().absentSince(now - campaign.absent_days * DAY)) {
        try {
          const since = new Date(a.lastVisitAt).toISOString();
          this.issuer.issue(campaign, a.phone, `win-back:${since}`, 'given', WIN_BACKS);
        } catch (e) {
          // Out of coupons, or this member holds as many as the campaign allows: nothing given.
          if (!(e instanceof DomainError)) throw e;
        }
      }
    }
    this.keepWinBackJob(true);
  }

  /**
   * The win-back job while a win-back campaign may still give (not ended, its claim window not
   * over; a paused one may resume): at the next store midnight after a run, else left where it
   * is; none when no campaign may.
   */
  private keepWinBackJob(ran = false): void {
    const open = this.d.db
      .prepare(
        `SELECT 1 FROM campaigns WHERE kind = 'win_back' AND status <> 'ended' AND claim_to >= ? LIMIT 1`,
      )
      .get(this.issuer.today());
    if (!open) this.d.scheduler.done(WIN_BACK_JOB, 'daily');
    else if (ran || this.d.scheduler.pending(WIN_BACK_JOB).length === 0)
      this.d.scheduler.schedule(WIN_BACK_JOB, 'daily', this.issuer.nextMidnight());
  }

  /**
   * A coupon and the booking it is used on, for its document in the cloud, with whether a
   * win-back campaign gave it (the customer hears of it as a recall); else undefined.
   */
  forCloud(id: string): { row: CouponRow; bookingId: string | null; winBack: boolean } | undefined {
    const c = this.uses.forCloud(id);
    if (!c) return undefined;
    return { ...c, winBack: this.d.campaigns.row(c.row.campaign_id).kind === 'win_back' };
  }

  // ---- using: coupon-uses.ts -------------------------------------------------------------------

  /** A phone's coupons, newest first. */
  forPhone(phone: string): CouponView[] {
    return this.uses.forPhone(phone);
  }

  /** The coupons `phone` names for a bill: theirs, not in use, inside their use window now. */
  offers(phone: string, ids: readonly string[]): CouponOffer[] {
    return this.uses.offers(phone, ids);
  }

  /** The coupons a booking holds, as offers again (a change re-prices with them). */
  heldBy(bookingId: string): CouponOffer[] {
    return this.uses.heldBy(bookingId);
  }

  /** Takes the coupons the bill applied, inside the booking's write. */
  use(bookingId: string, applied: readonly { id: string; amount: number }[], actor: Actor): void {
    this.uses.use(bookingId, applied, actor);
  }

  /** Gives back every coupon a booking holds; nothing when it holds none. Inside its write. */
  giveBack(bookingId: string, actor: Actor): void {
    this.uses.giveBack(bookingId, actor);
  }

  // ---- results: campaign-results.ts ------------------------------------------------------------

  /** A campaign's results, counted from its coupons and the bookings they are on. */
  results(campaignId: string): CampaignResults {
    return campaignResults(this.d.db, this.d.campaigns, campaignId);
  }
}
