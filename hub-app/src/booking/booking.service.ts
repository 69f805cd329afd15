// Bookings (C4, C9): quotes, holds with the no-double-booking check, the hold's expiry,
// cancellation and change by the booking rules. Records every change through BookingRecords and
// moves money only through payments and refunds. Never talks to a device or a gateway; refund
// review, availability and views are their own modules beside this one.
import {
  blockOf,
  cancellationFee,
  checkSpan,
  changeTerms,
  DomainError,
  formatInstant,
  MINUTE,
  parseInstant,
  priceBill,
  type Bill,
  type CouponOffer,
  type Actor,
  type BookingChange,
  type BookingCreate,
  type BookingDetail,
  type BookingMade,
  type BookingRules,
  type Clock,
  type FeeLine,
  type Quote,
  type QuoteView,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { Ledger } from '../payments/ledger';
import type { PaymentService } from '../payments/payment.service';
import type { Refunds } from '../payments/refunds';
import type { Scheduler } from '../scheduler/scheduler';
import type { Room, StoreService } from '../store/store.service';
import type { BookingPasses } from './booking-passes';
import type { BookingRecords, BookingRow } from './booking-records';
import type { BookingViews } from './booking-views';
import type { CouponBook, MemberPricing, PromotionBook } from './discount-sources';
import { assertCanAct } from './ownership';
import type { RoomPrices, SpanRequest } from './room-prices';

/** The job that lets an unpaid hold go. */
export const HOLD_EXPIRY_JOB = 'booking.expire';

const HOLD_EXPIRY: Actor = { kind: 'system', id: 'hold-expiry' };

export interface BookingDeps {
  clock: Clock;
  writes: WriteQueue;
  newId: NewId;
  records: BookingRecords;
  store: StoreService;
  prices: RoomPrices;
  payments: PaymentService;
  refunds: Refunds;
  ledger: Ledger;
  scheduler: Scheduler;
  views: BookingViews;
  passes: BookingPasses;
  /** Members' level discounts, booking windows and points (the members domain). */
  members: MemberPricing;
  coupons: CouponBook;
  promotions: PromotionBook;
}

/** What a customer puts on a bill beside its price. */
interface DiscountAsk {
  phone?: string | undefined;
  /** Paid by a group-buy voucher: only offers that go with a voucher. */
  byVoucher?: boolean | undefined;
  couponIds?: readonly string[] | undefined;
  points?: number | undefined;
}

/** A booking's points are given back by this reference. */
export const pointsRef = (bookingId: string) => `booking:${bookingId}`;

export class BookingService {
  constructor(private readonly d: BookingDeps) {}

  /** The hold's expiry: run when due, dropped once the booking is paid. Call once. */
  register(): void {
    this.d.scheduler.on(HOLD_EXPIRY_JOB, (job) =>
      this.d.writes.run((afterCommit) => this.expire(job.ref, afterCommit)),
    );
    this.d.records.onTransition(({ row, action }) => {
      if (action === 'pay') this.d.scheduler.done(HOLD_EXPIRY_JOB, row.id);
    });
  }

  /** The members seam the hub was built with. */
  memberPricing(): MemberPricing {
    return this.d.members;
  }

  /**
   * The bill of a quote with the customer's member level, the coupons and points they put on it
   * and the promotions in force (shared-types priceBill). `strict`: what cannot go on the bill is
   * refused (a booking); otherwise it is named in `refused` (a quote).
   */
  private bill(
    room: Room,
    q: Quote,
    ask: DiscountAsk,
    strict: boolean,
    held?: CouponOffer[],
  ): Bill {
    const phone = ask.phone;
    const couponIds = ask.couponIds ?? [];
    if (phone === undefined && (couponIds.length > 0 || ask.points !== undefined)) {
      throw new DomainError(
        'invalid',
        'phone_required',
        'give the customer phone number to use coupons or points',
        'phone',
      );
    }
    const members = this.d.members;
    if (phone !== undefined && ask.points !== undefined && strict) {
      const has = members.pointsOf(phone);
      if (has < ask.points) {
        throw new DomainError(
          'conflict',
          'not_enough_points',
          `this customer has ${has} points, not ${ask.points}`,
          'points',
        ).with({ points: has });
      }
    }
    const bill = priceBill(
      q,
      {
        promotions: this.d.promotions
          .enabled()
          .filter((p) => !ask.byVoucher || p.stacking.withVoucher),
        member: phone === undefined ? null : members.discountFor(phone),
        coupons: held ?? (phone === undefined ? [] : this.d.coupons.offers(phone, couponIds)),
        points:
          ask.points === undefined
            ? null
            : { points: ask.points, fenPerPoint: members.fenPerPoint() },
      },
      { roomId: room.id, roomStyle: room.style, timeZone: this.tz() },
    );
    const refused = bill.refused[0];
    if (strict && refused) {
      throw new DomainError(
        'conflict',
        refused.code,
        refused.message,
        refused.kind === 'coupon' ? 'couponIds' : 'points',
      ).with({ couponId: refused.id });
    }
    return bill;
  }

  /**
   * A voucher may pay a booking only if the coupons and the promotion on its bill go with a
   * voucher (their stacking rules); otherwise the customer would have both.
   */
  assertVoucherMayPay(row: BookingRow): void {
    const coupon = this.d.coupons.heldBy(row.id).find((c) => !c.terms.stacking.withVoucher);
    if (coupon) {
      throw new DomainError(
        'conflict',
        'voucher_not_with_coupon',
        `this booking used the coupon “${coupon.name}”, which cannot be combined with a group-buy voucher: pay it another way`,
        'use.bookingId',
      ).with({ coupon: coupon.name });
    }
    const promotionId = this.d.records
      .lines(row)
      .find((l) => l.kind === 'promotion' && l.ref !== undefined)?.ref;
    const promotion = this.d.promotions.enabled().find((p) => p.id === promotionId);
    if (promotion && !promotion.stacking.withVoucher) {
      throw new DomainError(
        'conflict',
        'voucher_not_with_promotion',
        `this booking has the promotion “${promotion.name}”, which cannot be combined with a group-buy voucher: pay it another way`,
        'use.bookingId',
      ).with({ promotion: promotion.name });
    }
  }

  /** Rules with the member's longer booking window, if their level gives one. */
  private rulesForPhone(rules: BookingRules, phone: string | undefined): BookingRules {
    const extra = phone === undefined ? 0 : this.d.members.bookingWindowDays(phone);
    return extra > 0 ? { ...rules, advanceDays: rules.advanceDays + extra } : rules;
  }

  /** A cancelled booking gives back the coupons and points it took. Inside its write. */
  private giveBackDiscounts(bookingId: string, actor: Actor): void {
    this.d.coupons.giveBack(bookingId, actor);
    this.d.members.returnPoints(pointsRef(bookingId), actor);
  }

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  /**
   * Prices a span after the booking rules allow it; a package's own span is checked after. A
   * walk-in (a start now, or in the slot under way) is booked from now and billed from the next
   * step of the grid.
   */
  private priced(room: Room, rules: BookingRules, req: SpanRequest, partySize?: number): Quote {
    const party =
      partySize === undefined
        ? undefined
        : { size: partySize, capacity: room.capacity, roomName: room.name };
    const check = (start: number, end: number, isPackage: boolean) =>
      checkSpan({
        rules,
        timeZone: this.tz(),
        now: this.d.clock.now(),
        start,
        end,
        isPackage,
        ...(party ? { party } : {}),
      });
    if (req.end !== undefined && req.packageId === undefined) {
      // The cheap checks first, so that no request can make the hub price a span of years.
      const placed = check(parseInstant(req.start), parseInstant(req.end), false);
      const q = this.d.prices.quote(room, {
        start: formatInstant(placed.billFrom, this.tz()),
        end: req.end,
      });
      return { ...q, start: placed.start };
    }
    if (req.end !== undefined) check(parseInstant(req.start), parseInstant(req.end), false);
    const q = this.d.prices.quote(room, req);
    check(q.start, q.end, true);
    return q;
  }

  quote(req: SpanRequest & DiscountAsk & { roomId: string }): QuoteView {
    const room = this.d.store.bookableRoom(req.roomId);
    const q = this.priced(room, this.rulesForPhone(this.d.store.rulesFor(room), req.phone), req);
    const bill = this.bill(room, q, req, false);
    return {
      ...this.d.views.quote(room.id, req.packageId ?? null, bill),
      subtotal: bill.subtotal,
      pointsUsed: bill.pointsUsed,
      refused: bill.refused,
    };
  }

  /**
   * Creates a held booking; the caller runs it inside a write. The check and insert share one
   * transaction. Made at a kiosk, it comes with the kiosk's pass to pay or cancel it.
   */
  create(
    input: BookingCreate,
    actor: Actor,
    afterCommit: AfterCommit,
    /** `holdUntil`: a hold that waits longer than the store's hold time (a table filling up). */
    opts: { byVoucher?: boolean; holdUntil?: number } = {},
  ): BookingMade {
    const room = this.d.store.bookableRoom(input.roomId);
    const rules = this.d.store.rulesFor(room);
    const phone = input.customer.phone;
    const q = this.priced(room, this.rulesForPhone(rules, phone), input, input.partySize);
    const block = blockOf(q, rules.bufferMinutes);
    this.d.records.assertFree(room.id, block, null);
    this.assertHoldsLeft(phone, actor, rules);
    const bill = this.bill(room, q, { ...input, phone, byVoucher: opts.byVoucher }, true);
    const holdExpiresAt = opts.holdUntil ?? this.d.clock.now() + rules.holdMinutes * MINUTE;
    const row = this.d.records.create(
      this.d.newId(),
      {
        roomId: room.id,
        start: q.start,
        end: q.end,
        block,
        partySize: input.partySize,
        customer: { phone: input.customer.phone, name: input.customer.name ?? null },
        packageId: input.packageId ?? null,
        total: bill.total,
        lines: bill.lines,
        holdExpiresAt,
      },
      actor,
      afterCommit,
    );
    // The coupons and points leave the customer in the booking's own write.
    this.d.coupons.use(row.id, bill.coupons, actor);
    if (bill.pointsUsed > 0)
      this.d.members.spendPoints(phone, bill.pointsUsed, pointsRef(row.id), actor);
    this.d.scheduler.schedule(HOLD_EXPIRY_JOB, row.id, holdExpiresAt);
    afterCommit(() => this.d.scheduler.poke());
    // Discounts that cover it all leave nothing to pay, so nothing to hold for (the pay drops
    // the expiry job).
    const made =
      bill.total === 0
        ? this.d.records.transition(row, 'pay', actor, 'paid', afterCommit, {
            reason: 'nothing to pay: the discounts cover it',
            set: { hold_expires_at: null },
          })
        : row;
    // Nothing is paid on a booking made this instant: no need to read the ledger.
    const view = this.d.views.view(made, { paid: 0, refunding: 0 });
    if (actor.screen?.kind !== 'kiosk') return view;
    // Good while the booking is held, and a little after: paid at the counter at the hold's last
    // minute, the kiosk still shows its door code.
    const { pass, expiresAt } = this.d.passes.issue(
      row.id,
      actor.screen.id,
      holdExpiresAt + 2 * MINUTE,
    );
    return { ...view, pass: { pass, expiresAt: formatInstant(expiresAt, this.tz()) } };
  }

  /** Job: a hold that was not paid in time lets its slot go. */
  private expire(bookingId: string, afterCommit: AfterCommit): void {
    const row = this.d.records.find(bookingId);
    this.d.scheduler.done(HOLD_EXPIRY_JOB, bookingId);
    if (!row || row.status !== 'pending_payment') return;
    this.d.payments.closePending(bookingId);
    this.d.records.transition(row, 'expire', HOLD_EXPIRY, 'cancelled', afterCommit, {
      reason: 'not paid within the hold time',
    });
    this.returnHeld(row, 'the hold expired before it was paid in full', HOLD_EXPIRY, afterCommit);
    this.giveBackDiscounts(row.id, HOLD_EXPIRY);
  }

  cancel(
    id: string,
    actor: Actor,
    reason: string | null,
    afterCommit: AfterCommit,
    expectedFee?: number,
  ): BookingDetail {
    const row = this.d.records.get(id);
    assertCanAct(row, actor);
    if (row.status === 'pending_payment') {
      this.d.payments.closePending(id);
      this.d.scheduler.done(HOLD_EXPIRY_JOB, id);
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit, { reason });
      this.returnHeld(row, 'cancelled before it was paid in full', actor, afterCommit);
      this.giveBackDiscounts(id, actor);
      return this.d.views.detail(id);
    }
    if (row.status !== 'paid') {
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit); // throws the 409
    }
    // What a change cost stays with the store; the fee and the refund are of what paid the time.
    // A voucher that paid comes back whole: the fee is of the money only.
    const vouchers = this.d.ledger.voucherPaid(row.id);
    const money = Math.max(
      0,
      this.d.ledger.balanceOf(row).refundable - vouchers - this.d.records.feesKept(row).total,
    );
    const fee = cancellationFee(this.rulesOf(row), money, this.d.clock.now(), row.start_at);
    const refundable = money + vouchers;
    if (fee === null) {
      throw new DomainError(
        'conflict',
        'already_started',
        'the booking has started; ask for a refund instead',
      );
    }
    assertFeeAsShown(fee, expectedFee, 'cancelling');
    // Cancelled within the rules: the coupons and points come back whole, whatever the fee.
    this.giveBackDiscounts(id, actor);
    const refund = refundable - fee;
    if (refund > 0) {
      const refunding = this.d.records.transition(row, 'cancel', actor, 'refunding', afterCommit, {
        reason,
        data: { fee, refund },
      });
      this.d.refunds.refund(refunding, refund, 'cancel', reason ?? 'cancelled', actor, afterCommit);
    } else {
      this.d.records.transition(row, 'cancel', actor, 'cancelled', afterCommit, {
        reason,
        data: { fee, refund: 0 },
      });
    }
    return this.d.views.detail(id);
  }

  /**
   * Reschedule or change room within the rules; re-priced, the difference paid or refunded. A
   * paid booking's dearer difference is taken in cash by staff (`collect`), or by `payDue` in this
   * same write (the difference the cloud holds for a customer's change online).
   */
  change(
    id: string,
    input: BookingChange,
    actor: Actor,
    afterCommit: AfterCommit,
    payDue?: (amount: number) => void,
  ): BookingDetail {
    const row = this.d.records.get(id);
    assertCanAct(row, actor);
    if (row.status !== 'pending_payment' && row.status !== 'paid') {
      this.d.records.transition(row, 'change', actor, row.status, afterCommit); // throws the 409
    }
    this.assertChangeable(row);
    const room = this.d.store.bookableRoom(input.roomId ?? row.room_id);
    const rules = this.d.store.rulesFor(room);
    const phone = row.customer_phone;
    const priced = this.priced(room, this.rulesForPhone(rules, phone), input, row.party_size);
    // Re-priced with the coupons it holds and the points it spent, at the new time's promotions.
    const spent = this.d.records
      .lines(row)
      .filter((l) => l.kind === 'points')
      .reduce((sum, l) => sum - l.amount, 0);
    const perPoint = this.d.members.fenPerPoint();
    const q = this.bill(
      room,
      priced,
      { phone, ...(spent > 0 && perPoint > 0 ? { points: Math.round(spent / perPoint) } : {}) },
      false,
      this.d.coupons.heldBy(row.id),
    );
    const refusedNow = q.refused.find((r) => r.kind === 'coupon');
    if (refusedNow) {
      throw new DomainError('conflict', refusedNow.code, refusedNow.message, 'couponIds').with({
        couponId: refusedNow.id,
      });
    }
    const block = blockOf(q, rules.bufferMinutes);
    this.d.records.assertFree(room.id, block, id);
    const paidBefore = this.d.ledger.balanceOf(row).refundable;
    // The store's change fee by notice (O4), on what paid for the time (earlier change fees stay
    // on the bill, kept), shown beforehand as ifNow.change.
    const now = this.d.clock.now();
    const kept = this.d.records.feesKept(row);
    // The same terms the cloud quotes the customer.
    const terms = changeTerms({
      fees: this.rulesOf(row).change.fees,
      paid: paidBefore,
      kept: kept.total,
      newPrice: q.total,
      now,
      start: row.start_at,
    });
    const { fee, feePercent } = terms;
    assertFeeAsShown(fee, input.expectedFee, 'changing');
    const feeLines: FeeLine[] =
      fee > 0
        ? [
            {
              kind: 'change_fee',
              label: `change fee ${feePercent}%`,
              date: formatInstant(now, this.tz()).slice(0, 10),
              dayType: q.lines[0]?.dayType ?? 'workday',
              band: null,
              start: now,
              end: now,
              minutes: 0,
              rate: 0,
              amount: fee,
            },
          ]
        : [];
    this.d.records.reschedule(
      row,
      { roomId: room.id, start: q.start, end: q.end, block, packageId: input.packageId ?? null },
      { lines: [...q.lines, ...kept.lines, ...feeLines], total: q.total + kept.total + fee },
    );
    const tz = this.tz();
    const at = (ms: number) => formatInstant(ms, tz);
    const updated = this.d.records.transition(row, 'change', actor, row.status, afterCommit, {
      reason: input.reason ?? null,
      data: {
        before: {
          roomId: row.room_id,
          start: at(row.start_at),
          end: at(row.end_at),
          total: row.total,
        },
        after: {
          roomId: room.id,
          start: at(q.start),
          end: at(q.end),
          total: q.total + kept.total + fee,
        },
        ...(fee > 0 ? { fee } : {}),
      },
    });
    // Both the old and the new place on the board changed.
    this.d.records.announce(row, afterCommit);
    this.d.records.announce(updated, afterCommit);
    // A hold paid in part before the change (an old QR) may be paid in full at the new price.
    if (row.status === 'pending_payment') {
      this.d.payments.applyAfterRepricing(updated, actor, afterCommit);
    }
    if (row.status === 'paid') {
      if (terms.refund > 0)
        this.d.refunds.refund(
          updated,
          terms.refund,
          'change',
          'the changed booking costs less',
          actor,
          afterCommit,
        );
      if (terms.due > 0) {
        // A paid booking never holds time it has not paid for: the difference is taken now or the
        // change is refused, and this whole write rolls back.
        if (payDue) payDue(terms.due);
        else if (input.collect === 'cash') this.d.payments.payCash(id, actor, afterCommit);
        else {
          throw new DomainError(
            'conflict',
            'difference_due',
            `the new time costs ${terms.due} fen more; staff can take it in cash (collect: "cash"), or cancel and book again`,
            'collect',
          ).with({ amount: terms.due });
        }
      }
    }
    return this.d.views.detail(id);
  }

  /** Unpaid holds are limited per phone and per kiosk (O4): holds keep rooms from everyone. */
  private assertHoldsLeft(phone: string, actor: Actor, rules: BookingRules): void {
    if (this.d.records.holdsOf({ phone }) >= rules.holds.perPhone) {
      throw new DomainError(
        'conflict',
        'too_many_holds',
        `this phone number already has ${rules.holds.perPhone} unpaid booking(s); pay or cancel one first`,
        'customer.phone',
      ).with({ n: rules.holds.perPhone });
    }
    if (
      actor.screen?.kind === 'kiosk' &&
      this.d.records.holdsOf({ actorId: actor.id }) >= rules.holds.perKiosk
    ) {
      throw new DomainError(
        'conflict',
        'too_many_holds',
        `this kiosk already holds ${rules.holds.perKiosk} unpaid bookings; pay or cancel one first`,
      ).with({ n: rules.holds.perKiosk });
    }
  }

  /** The store's change rules: allowed at all, how often, how late. */
  private assertChangeable(row: BookingRow): void {
    const rules = this.rulesOf(row).change;
    if (!rules.allowed)
      throw new DomainError('conflict', 'changes_not_allowed', 'this store does not allow changes');
    if (row.changes >= rules.maxChanges) {
      throw new DomainError(
        'conflict',
        'too_many_changes',
        `a booking may be changed at most ${rules.maxChanges} times`,
      ).with({ n: rules.maxChanges });
    }
    if (this.d.clock.now() > row.start_at - rules.minNoticeMinutes * MINUTE) {
      throw new DomainError(
        'conflict',
        'change_too_late',
        `changes close ${rules.minNoticeMinutes} minutes before the start`,
      ).with({ minutes: rules.minNoticeMinutes });
    }
  }

  /** A hold that ends unpaid gives back any part of it that was paid (an old QR paid after a change). */
  private returnHeld(
    row: BookingRow,
    reason: string,
    actor: Actor,
    afterCommit: AfterCommit,
  ): void {
    const current = this.d.records.get(row.id);
    const { refundable } = this.d.ledger.balanceOf(current);
    if (refundable > 0)
      this.d.refunds.refund(current, refundable, 'cancel', reason, actor, afterCommit);
  }

  private rulesOf(row: BookingRow): BookingRules {
    return this.d.store.rulesFor(this.d.store.getRoom(row.room_id));
  }
}

/** A fee that moved since the customer was shown it refuses the step, naming the new fee. */
function assertFeeAsShown(fee: number, shown: number | undefined, doing: string): void {
  if (shown !== undefined && shown !== fee) {
    throw new DomainError(
      'conflict',
      'fee_changed',
      `the fee for ${doing} is now ${fee} fen, not the ${shown} fen shown; confirm again`,
      'expectedFee',
    ).with({ fee, shown });
  }
}
