// A coupon's uses (C12): the only writer of `coupon_uses`. Hands the coupons a customer names to
// the bill (`offers`), takes them in the booking's write (`use`) and gives them back when the
// booking is cancelled within the rules (`giveBack`); a coupon's state (used, expired...) is read
// from here. Never issues a coupon and never prices: the bill is priceBill's.
import {
  couponDocId,
  DomainError,
  formatInstant,
  notFound,
  type Actor,
  type Clock,
  type CouponOffer,
  type CouponTerms,
  type CouponView,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';

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
export const OPEN_USES = `SELECT u.* FROM coupon_uses u WHERE u.kind = 'use' AND NOT EXISTS (
  SELECT 1 FROM coupon_uses r WHERE r.coupon_id = u.coupon_id AND r.round = u.round AND r.kind = 'return')`;

export interface CouponUseDeps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  timeZone: () => string;
}

export class CouponUses {
  constructor(private readonly d: CouponUseDeps) {}

  /** A coupon and the booking it is used on, for its document in the cloud; else undefined. */
  forCloud(id: string): { row: CouponRow; bookingId: string | null } | undefined {
    const row = this.d.db.prepare('SELECT * FROM coupons WHERE id = ?').get(id) as
      CouponRow | undefined;
    return row ? { row, bookingId: this.openUse(id)?.booking_id ?? null } : undefined;
  }

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

  /** The booking that holds a coupon now, with the round it is used in; else undefined. */
  openUse(couponId: string): { booking_id: string; round: number } | undefined {
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

  /** A coupon as its customer sees it: used, not yet, expired or available now. */
  view(r: CouponRow): CouponView {
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
