// Redeeming vouchers (S2, H1): our own (checked offline by its signature) and Meituan / Douyin's
// (prepared and consumed through the cloud, platform-redemptions.ts). Prepare shows what a
// voucher buys; redeem turns it into a booking, pays one or adds hours to one going on, within
// what it buys (voucher-uses.ts); undo gives it back, staff only. Exactly once: a voucher has at
// most one live redemption, and the screen's request id makes a retry answer the first one, so a
// scanner firing twice, two cashiers, or the kiosk and the counter at once redeem it once. Money
// moves only through `PaymentService` (a `voucher` payment on the booking's ledger) and `Refunds`
// (a voucher comes back whole); the record is `RedemptionRecords`'.
import {
  DomainError,
  formatInstant,
  isVoucherQr,
  readVoucherQr,
  maskVoucherCode,
  voucherCovers,
  type Actor,
  type BookingDetail,
  type Clock,
  type LocalDate,
  type ReconciliationView,
  type RedemptionStatsRow,
  type RedemptionStatus,
  type RedemptionView,
  type VoucherPrepare,
  type VoucherPrepared,
  type VoucherRedeem,
  type VoucherSettings,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { BookingService } from '../booking/booking.service';
import type { BookingViews } from '../booking/booking-views';
import type { BookingPasses } from '../booking/booking-passes';
import type { Ledger } from '../payments/ledger';
import type { PaymentService } from '../payments/payment.service';
import type { Refunds } from '../payments/refunds';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretKey } from '../security/secret-key';
import type { Deals } from './deals';
import { movedAway, type OwnVouchers, type VoucherRow } from './own-vouchers';
import { PlatformRedemptions, VOUCHER_CONSUME_JOB } from './platform-redemptions';
import type { Found, RedemptionRecords, RedemptionRow, Write } from './redemption-records';
import type { VoucherMoves } from './voucher-moves';
import type { VoucherUses } from './voucher-uses';

export interface RedemptionDeps {
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  records: BookingRecords;
  bookings: BookingService;
  views: BookingViews;
  payments: PaymentService;
  refunds: Refunds;
  ledger: Ledger;
  scheduler: Scheduler;
  events: EventBus;
  deals: Deals;
  own: OwnVouchers;
  key: SecretKey;
  rows: RedemptionRecords;
  uses: VoucherUses;
  platform: PlatformRedemptions;
  /** Another store's voucher of the owner, asked for before it is used here. */
  moves: VoucherMoves;
  passes: BookingPasses;
  timeZone: () => string;
}

export class Redemptions {
  constructor(private readonly d: RedemptionDeps) {}

  register(): void {
    this.d.platform.register();
    this.d.refunds.onVoucherReturned((paymentId, actor, afterCommit) =>
      this.givenBack(paymentId, actor, afterCommit),
    );
  }

  /** What runs by itself from the start: the morning check against the platforms' lists. */
  async start(): Promise<void> {
    await this.d.platform.scheduleReconciliation();
  }

  /** Puts a redemption's share on its booking's ledger. Runs inside a write. */
  readonly payFor = (id: string, actor: Actor, afterCommit: AfterCommit) =>
    this.pay(id, actor, afterCommit);

  settings(): VoucherSettings {
    return this.d.rows.settings();
  }

  setSettings(s: VoucherSettings): VoucherSettings {
    return this.d.rows.setSettings(s);
  }

  /** What a voucher buys and whether it would be taken now; nothing is consumed. */
  async prepare(input: VoucherPrepare): Promise<VoucherPrepared> {
    const found = await this.find(input);
    const refusal = this.d.uses.refusalNow(found);
    return {
      source: found.source,
      maskedCode: found.masked,
      deal: found.deal
        ? { id: found.deal.id, title: found.deal.title, entitlement: found.entitlement }
        : null,
      faceValue: found.faceValue,
      settleAmount: found.settleAmount,
      validUntil:
        found.validUntil === null ? null : formatInstant(found.validUntil, this.d.timeZone()),
      usable: refusal ? { ok: false, code: refusal.code, message: refusal.message } : { ok: true },
      provisional: found.platform !== undefined && found.platform.prepared === null,
    };
  }

  /**
   * Redeems a voucher for a booking it makes or pays. The same request id again answers the
   * first redemption (and, if that one is still queued, asks the platform again).
   */
  async redeem(
    input: VoucherRedeem,
    actor: Actor,
    write: Write = (w) => this.d.writes.run(w),
  ): Promise<RedemptionView & { booking: BookingDetail }> {
    const again = async (first: RedemptionRow) => {
      this.assertSameRequest(first, input, actor);
      return this.answer(await this.d.platform.settleIfQueued(first, write), actor);
    };
    const earlier = this.d.rows.byRequest(input.requestId);
    if (earlier) return again(earlier);
    const found = await this.find(input);
    let row: RedemptionRow;
    try {
      row = await write((afterCommit) => this.reserve(input, found, actor, afterCommit));
    } catch (e) {
      // The same request raced in from a second screen or a retry: answer the first.
      const first = this.d.rows.byRequest(input.requestId);
      if (first) return again(first);
      throw e;
    }
    if (row.status === 'queued') row = await this.d.platform.consume(row, found, write);
    return this.answer(row, actor);
  }

  /**
   * A request id answers only the redemption it made: the same voucher, from the same screen
   * (or staff). Anything else is a screen's mistake, or someone fishing for another booking.
   */
  private assertSameRequest(first: RedemptionRow, input: VoucherRedeem, actor: Actor): void {
    const text = input.text.trim();
    const platform = !isVoucherQr(text) && input.source && input.source !== 'own';
    const sameVoucher = platform
      ? // keyed by the platform's own code when it named one: the text shown may be its QR
        PlatformRedemptions.keyOf(input.source!, text) === first.voucher_key ||
        (first.sealed_code !== null && this.d.key.open(first.sealed_code) === text)
      : (isVoucherQr(text) ? readVoucherQr(text)?.id : this.d.own.idOfCode(text)) ===
        first.voucher_key;
    const sameScreen = actor.kind === 'staff' || (actor.screen?.id ?? null) === first.screen_id;
    if (!sameVoucher || !sameScreen) {
      throw new DomainError(
        'conflict',
        'request_id_reused',
        'this request id was used for another redemption: scan the voucher again',
        'requestId',
      );
    }
  }

  /** Staff give a redemption back: its booking, not yet started, is cancelled or left to pay. */
  undo(id: string, reason: string, actor: Actor, afterCommit: AfterCommit): RedemptionView {
    const r = this.d.rows.row(id);
    if (r.status !== 'done' && r.status !== 'queued') {
      throw new DomainError(
        'conflict',
        'redemption_not_undoable',
        `this redemption is ${r.status} and cannot be undone`,
      ).with({ status: r.status });
    }
    const booking = this.d.records.get(r.booking_id);
    if (!['pending_payment', 'paid'].includes(booking.status)) {
      throw new DomainError(
        'conflict',
        'voucher_booking_started',
        'the booking this voucher paid has started or ended: it can no longer be undone',
      ).with({ status: booking.status });
    }
    if (r.undo_until !== null && this.d.clock.now() > r.undo_until) {
      throw new DomainError(
        'conflict',
        'undo_window_passed',
        `the platform allows undoing until ${formatInstant(r.undo_until, this.d.timeZone())}; the customer now refunds through the platform`,
      ).with({ until: formatInstant(r.undo_until, this.d.timeZone()) });
    }
    this.d.rows.setUndoReason(id, reason);
    if (r.status === 'queued') {
      // Not consumed yet: nothing to reverse at the platform.
      this.d.scheduler.done(VOUCHER_CONSUME_JOB, r.id);
      this.d.rows.markUndone(r.id, actor);
    }
    if (r.use_kind === 'book') {
      // The booking was the voucher's: it goes, and the voucher comes back whole.
      this.d.bookings.cancel(booking.id, actor, reason, afterCommit);
    } else if (r.payment_id) {
      this.d.refunds.refund(
        booking,
        r.covered,
        'approved',
        reason,
        actor,
        afterCommit,
        r.payment_id,
      );
    }
    return this.d.rows.view(this.d.rows.row(id));
  }

  list(q: { date?: string; status?: RedemptionStatus }): RedemptionView[] {
    return this.d.rows.list(q);
  }

  get(id: string): RedemptionView {
    return this.d.rows.view(this.d.rows.row(id));
  }

  stats(from: string, to: string): RedemptionStatsRow[] {
    return this.d.rows.stats(from, to);
  }

  /** Each platform's list of the day against the store's redemptions. */
  async reconcile(date: LocalDate): Promise<ReconciliationView[]> {
    const out: ReconciliationView[] = [];
    for (const platform of ['meituan', 'douyin'] as const) {
      const mapped = this.d.deals.list({ source: platform }).length > 0;
      if (mapped || this.d.rows.ofDay(platform, date).length > 0) {
        out.push(await this.d.platform.reconcile(platform, date));
      }
    }
    return out;
  }

  // ---- finding a voucher ----

  private async find(input: VoucherPrepare): Promise<Found> {
    const text = input.text.trim();
    const ownQr = isVoucherQr(text);
    if (ownQr || input.source === 'own' || (!input.source && /^\d{12}$/.test(text))) {
      // Outside any write: the home store is asked through the cloud first.
      if (ownQr) await this.d.moves.bringHere(text);
      try {
        return this.ownFound(this.d.own.resolve(text));
      } catch (e) {
        // A 12-digit code we do not know may be a platform's: only when the screen said so.
        if (ownQr || input.source === 'own' || !(e instanceof DomainError)) throw e;
        if (e.code !== 'voucher_not_found') throw e;
        throw new DomainError(
          'not_found',
          'voucher_not_found',
          'no voucher of this store has this code; if it is a Meituan or Douyin voucher, choose the platform',
          'source',
        ).with({}, 'voucher_not_found_here');
      }
    }
    if (!input.source) {
      throw new DomainError(
        'bad_input',
        'voucher_source_needed',
        'say which platform this voucher is from (Meituan / Dianping or Douyin)',
        'source',
      );
    }
    return this.d.platform.find(input.source, text, input.dealId);
  }

  private ownFound(v: VoucherRow): Found {
    const bought = this.d.own.bought(v);
    const status = this.d.own.status(v);
    if (status === 'refunded') {
      throw new DomainError('conflict', 'voucher_refunded', 'this voucher was refunded', 'text');
    }
    if (status === 'moved') throw movedAway();
    return {
      source: 'own',
      key: v.id,
      masked: maskVoucherCode(v.code),
      deal: this.d.deals.find(v.deal_id) ?? null,
      title: bought.title,
      entitlement: bought.entitlement,
      faceValue: v.price,
      settleAmount: v.price,
      validFrom: v.valid_from,
      validUntil: v.valid_until,
      own: v,
    };
  }

  // ---- reserving, paying, giving back ----

  /** The first write: the voucher reserved, its booking made or found, paid when nothing is left to ask. */
  private reserve(
    input: VoucherRedeem,
    found: Found,
    actor: Actor,
    afterCommit: AfterCommit,
  ): RedemptionRow {
    const again = this.d.rows.byRequest(input.requestId);
    if (again) return again;
    this.d.uses.assertUsableNow(found);
    const live = this.d.rows.liveAt(found.key);
    if (live !== undefined) {
      throw new DomainError(
        'conflict',
        'voucher_used',
        `this voucher was redeemed at ${formatInstant(live, this.d.timeZone())}`,
        'text',
      ).with({ at: formatInstant(live, this.d.timeZone()) });
    }
    let booking: BookingRow;
    let share: number;
    if (input.use.kind === 'extend') {
      ({ booking, share } = this.d.uses.extendFor(input.use.bookingId, found, actor, afterCommit));
    } else {
      booking = this.d.uses.bookingFor(input.use, found, actor, afterCommit);
      this.d.uses.assertFits(found, booking);
      share = voucherCovers(found.entitlement, {
        total: booking.total,
        start: booking.start_at,
        end: booking.end_at,
      });
    }
    const { due } = this.d.ledger.balanceOf({ id: booking.id, total: booking.total });
    const covered = Math.min(share, due);
    if (covered <= 0) {
      throw new DomainError('conflict', 'nothing_due', 'this booking has nothing left to pay');
    }
    const id = this.d.newId();
    const now = this.d.clock.now();
    const platform = found.platform;
    const provisional = platform !== undefined && platform.prepared === null;
    this.d.rows.insert({
      id,
      requestId: input.requestId,
      found,
      bookingId: booking.id,
      useKind: input.use.kind,
      covered,
      status: platform ? 'queued' : 'done',
      sealedCode: platform ? this.d.key.seal(platform.code) : null,
      actor,
    });
    // Our own voucher is ours to consume: paid at once. A provisional one pays at once too (the
    // customer goes in); a platform's is paid when the platform has consumed it.
    if (!platform || provisional) this.pay(id, actor, afterCommit);
    if (platform) {
      // Should this process stop before the platform answers, the job asks again.
      this.d.scheduler.schedule(VOUCHER_CONSUME_JOB, id, now + (provisional ? 0 : 30_000));
      if (provisional) afterCommit(() => this.d.scheduler.poke());
    }
    afterCommit(() =>
      this.d.events.emit({
        type: 'voucher.redeemed',
        redemptionId: id,
        bookingId: booking.id,
        at: now,
      }),
    );
    return this.d.rows.row(id);
  }

  /** The voucher's part of the booking goes on the ledger. Runs inside a write. */
  private pay(id: string, actor: Actor, afterCommit: AfterCommit): void {
    const r = this.d.rows.row(id);
    if (r.payment_id) return;
    const paymentId = this.d.payments.recordVoucherPayment(
      r.booking_id,
      r.id,
      r.covered,
      actor,
      afterCommit,
    );
    this.d.rows.setPayment(id, paymentId);
  }

  /** A refund took a voucher payment back (a cancellation, an undo): the voucher is given back. */
  private givenBack(paymentId: string, actor: Actor, afterCommit: AfterCommit): void {
    const r = this.d.rows.byPayment(paymentId);
    if (!r || (r.status !== 'done' && r.status !== 'queued')) return;
    if (r.source === 'own' || r.status === 'queued' || !r.consumption_id) {
      this.d.scheduler.done(VOUCHER_CONSUME_JOB, r.id);
      this.d.rows.markUndone(r.id, actor);
      return;
    }
    this.d.platform.givenBack(r, actor, afterCommit);
  }

  /**
   * The redemption with its booking; a kiosk that made the booking with it also gets the
   * booking's pass, to show its door code and QR.
   */
  private answer(
    r: RedemptionRow,
    actor: Actor,
  ): RedemptionView & { booking: BookingDetail; pass?: { pass: string; expiresAt: string } } {
    const view = { ...this.d.rows.view(r), booking: this.d.views.detail(r.booking_id) };
    const screen = actor.screen;
    if (screen?.kind !== 'kiosk' || screen.id !== r.screen_id) return view;
    const { pass, expiresAt } = this.d.passes.issue(r.booking_id, screen.id);
    return { ...view, pass: { pass, expiresAt: formatInstant(expiresAt, this.d.timeZone()) } };
  }
}
