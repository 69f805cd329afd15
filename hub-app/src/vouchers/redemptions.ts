// Redeeming vouchers (S2, H1): our own (checked offline by its signature) and Meituan / Douyin's
// (prepared and consumed through the cloud). Prepare shows what a voucher buys; redeem turns it
// into a booking or pays one, within what it buys; undo gives it back, staff only. Owns
// `redemptions` and `voucher_settings`. Exactly once: a voucher has at most one live redemption
// (a unique index), and the screen's request id makes a retry answer the first redemption, so a
// scanner firing twice, two cashiers, or the kiosk and the counter at once redeem it once. A
// platform voucher is reserved here first (`queued`, its booking held), then consumed with the
// request id as the platform's idempotency key, then paid: a crash or a timeout between the two
// leaves a queued row that the consume job settles by asking again with the same key. Money moves
// only through `PaymentService` (a `voucher` payment on the booking's ledger) and `Refunds`.
import { createHash } from 'node:crypto';
import {
  checkUse,
  DomainError,
  formatInstant,
  instantAt,
  localDateOf,
  maskVoucherCode,
  minutesOfTimeOfDay,
  notFound,
  parseInstant,
  isVoucherQr,
  voucherCovers,
  type Actor,
  type BookingDetail,
  type Clock,
  type DealSource,
  type DealView,
  type Entitlement,
  type PlatformConsumption,
  type PlatformVoucherPrepared,
  type RedemptionStatsRow,
  type RedemptionStatus,
  type RedemptionView,
  type VoucherPlatform,
  type VoucherPrepare,
  type VoucherPrepared,
  type VoucherRedeem,
  type VoucherSettings,
  type VoucherUse,
} from '@roomhub/shared-types';
import type { NewId } from '../clock';
import type { Db } from '../db/database';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { BookingService } from '../booking/booking.service';
import type { BookingViews } from '../booking/booking-views';
import { assertCanAct } from '../booking/ownership';
import type { CalendarService } from '../calendar/calendar.service';
import type { Ledger } from '../payments/ledger';
import type { PaymentService } from '../payments/payment.service';
import type { Refunds } from '../payments/refunds';
import type { Scheduler } from '../scheduler/scheduler';
import type { Extensions } from '../sessions/extensions';
import type { SecretKey } from '../security/secret-key';
import type { StoreService } from '../store/store.service';
import type { Deals } from './deals';
import type { OwnVouchers, VoucherRow } from './own-vouchers';

/** A queued platform consumption, asked again until the platform answers. */
export const VOUCHER_CONSUME_JOB = 'voucher.consume';
/** A platform voucher given back after its booking was refunded: reversed at the platform. */
export const VOUCHER_UNDO_JOB = 'voucher.undo';

const SYSTEM: Actor = { kind: 'system', id: 'vouchers' };

/** The cloud's voucher calls for Meituan / Douyin (cloud-sync's `CloudPlatformVouchers`). */
export interface PlatformVoucherClient {
  prepare(req: { platform: VoucherPlatform; code: string }): Promise<PlatformVoucherPrepared>;
  consume(req: {
    platform: VoucherPlatform;
    code: string;
    prepareToken: string;
    requestId: string;
    count?: number;
  }): Promise<PlatformConsumption>;
  undo(req: {
    platform: VoucherPlatform;
    consumptionId: string;
    requestId: string;
  }): Promise<{ undoneAt: string }>;
}

interface Refusal {
  code: string;
  message: string;
  params: Record<string, string | number>;
}

/** A write, audited when the route gives it (`RouteInput.write`). */
type Write = <T>(work: (afterCommit: AfterCommit) => T) => Promise<T>;

interface RedemptionRow {
  id: string;
  request_id: string;
  source: DealSource;
  voucher_key: string;
  masked_code: string;
  deal_id: string | null;
  deal_title: string;
  booking_id: string;
  use_kind: 'book' | 'pay' | 'extend';
  payment_id: string | null;
  face_value: number;
  settle_amount: number;
  covered: number;
  status: RedemptionStatus;
  sealed_code: string | null;
  prepare_token: string | null;
  consumption_id: string | null;
  undo_until: number | null;
  actor_kind: Actor['kind'];
  actor_id: string;
  screen_id: string | null;
  at: number;
  undone_at: number | null;
  undone_by: string | null;
  undo_reason: string | null;
  last_error: string | null;
  attempts: number;
}

/** A voucher found and understood, before anything is reserved. */
interface Found {
  source: DealSource;
  key: string;
  masked: string;
  deal: DealView | null;
  title: string;
  entitlement: Entitlement;
  faceValue: number;
  settleAmount: number;
  validFrom: number | null;
  validUntil: number | null;
  own?: VoucherRow;
  platform?: { code: string; prepared: PlatformVoucherPrepared | null };
}

export interface RedemptionDeps {
  db: Db;
  clock: Clock;
  newId: NewId;
  writes: WriteQueue;
  store: StoreService;
  calendar: CalendarService;
  records: BookingRecords;
  bookings: BookingService;
  views: BookingViews;
  payments: PaymentService;
  refunds: Refunds;
  ledger: Ledger;
  scheduler: Scheduler;
  events: EventBus;
  extensions: Extensions;
  deals: Deals;
  own: OwnVouchers;
  key: SecretKey;
  platforms: () => PlatformVoucherClient | undefined;
  timeZone: () => string;
}

export class Redemptions {
  constructor(private readonly d: RedemptionDeps) {}

  register(): void {
    this.d.scheduler.on(VOUCHER_CONSUME_JOB, (job) => this.settleQueued(job.ref));
    this.d.scheduler.on(VOUCHER_UNDO_JOB, (job) => this.undoAtPlatform(job.ref));
    this.d.refunds.onVoucherReturned((paymentId, actor, afterCommit) =>
      this.givenBack(paymentId, actor, afterCommit),
    );
  }

  settings(): VoucherSettings {
    const r = this.d.db
      .prepare('SELECT provisional_offline FROM voucher_settings WHERE id = 1')
      .get() as { provisional_offline: number };
    return { provisionalOffline: r.provisional_offline === 1 };
  }

  setSettings(s: VoucherSettings): VoucherSettings {
    this.d.db
      .prepare('UPDATE voucher_settings SET provisional_offline = ? WHERE id = 1')
      .run(s.provisionalOffline ? 1 : 0);
    return this.settings();
  }

  /** What a voucher buys and whether it would be taken now; nothing is consumed. */
  async prepare(input: VoucherPrepare): Promise<VoucherPrepared> {
    const found = await this.find(input);
    const refusal = this.refusalNow(found);
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
    const earlier = this.byRequest(input.requestId);
    if (earlier) return this.answer(await this.settleIfQueued(earlier, write));
    const found = await this.find(input);
    let row: RedemptionRow;
    try {
      row = await write((afterCommit) => this.reserve(input, found, actor, afterCommit));
    } catch (e) {
      // The same request raced in from a second screen or a retry: answer the first.
      const first = this.byRequest(input.requestId);
      if (first) return this.answer(await this.settleIfQueued(first, write));
      throw e;
    }
    if (row.status === 'queued') row = await this.consume(row, found, write);
    return this.answer(row);
  }

  /** Staff give a redemption back: its booking, not yet started, is cancelled or left to pay. */
  undo(id: string, reason: string, actor: Actor, afterCommit: AfterCommit): RedemptionView {
    const r = this.row(id);
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
    this.d.db.prepare('UPDATE redemptions SET undo_reason = ? WHERE id = ?').run(reason, id);
    if (r.status === 'queued') {
      // Not consumed yet: let it go, and the hold it made with it.
      this.d.scheduler.done(VOUCHER_CONSUME_JOB, r.id);
      this.markUndone(r.id, actor);
      if (r.payment_id) {
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
      if (r.use_kind === 'book' && booking.status === 'pending_payment') {
        this.d.bookings.cancel(booking.id, actor, reason, afterCommit);
      }
      return this.view(this.row(id));
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
    return this.view(this.row(id));
  }

  list(q: { date?: string; status?: RedemptionStatus }): RedemptionView[] {
    const tz = this.d.timeZone();
    const range = q.date
      ? [instantAt(q.date, 0, tz), instantAt(q.date, 24 * 60, tz)]
      : [0, Number.MAX_SAFE_INTEGER];
    const rows = this.d.db
      .prepare(
        `SELECT * FROM redemptions WHERE at >= ? AND at < ? AND (? IS NULL OR status = ?) ORDER BY at DESC LIMIT 500`,
      )
      .all(range[0], range[1], q.status ?? null, q.status ?? null) as RedemptionRow[];
    return rows.map((r) => this.view(r));
  }

  get(id: string): RedemptionView {
    return this.view(this.row(id));
  }

  /** Redemptions that counted, per day, source and deal, with face value and settled amount. */
  stats(from: string, to: string): RedemptionStatsRow[] {
    const tz = this.d.timeZone();
    const rows = this.d.db
      .prepare(
        `SELECT at, source, deal_id, deal_title, face_value, settle_amount FROM redemptions
         WHERE at >= ? AND at < ? AND status IN ('done','queued','refund_via_platform') ORDER BY at`,
      )
      .all(instantAt(from, 0, tz), instantAt(to, 24 * 60, tz)) as Pick<
      RedemptionRow,
      'at' | 'source' | 'deal_id' | 'deal_title' | 'face_value' | 'settle_amount'
    >[];
    const by = new Map<string, RedemptionStatsRow>();
    for (const r of rows) {
      const date = localDateOf(r.at, tz);
      const k = `${date}|${r.source}|${r.deal_id ?? ''}`;
      const s = by.get(k) ?? {
        date,
        source: r.source,
        dealId: r.deal_id,
        dealTitle: r.deal_title,
        count: 0,
        faceValue: 0,
        settleAmount: 0,
      };
      s.count += 1;
      s.faceValue += r.face_value;
      s.settleAmount += r.settle_amount;
      by.set(k, s);
    }
    return [...by.values()];
  }

  // ---- finding a voucher ----

  private async find(input: VoucherPrepare): Promise<Found> {
    const text = input.text.trim();
    const ownQr = isVoucherQr(text);
    if (ownQr || input.source === 'own' || (!input.source && /^\d{12}$/.test(text))) {
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
    return this.platformFound(input.source, text, input.dealId);
  }

  private ownFound(v: VoucherRow): Found {
    const bought = this.d.own.bought(v);
    const status = this.d.own.status(v);
    if (status === 'refunded') {
      throw new DomainError('conflict', 'voucher_refunded', 'this voucher was refunded', 'text');
    }
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

  private async platformFound(
    source: Exclude<DealSource, 'own'>,
    code: string,
    dealId: string | undefined,
  ): Promise<Found> {
    const key = `${source}:${createHash('sha256').update(code).digest('hex').slice(0, 32)}`;
    const client = this.d.platforms();
    let prepared: PlatformVoucherPrepared | null = null;
    try {
      if (!client) {
        throw new DomainError(
          'unavailable',
          'platform_unavailable',
          'this hub has no link to the cloud for platform vouchers',
        );
      }
      prepared = await client.prepare({ platform: source, code });
    } catch (e) {
      const offline = e instanceof DomainError && e.code === 'platform_unavailable';
      if (!offline || !this.settings().provisionalOffline || !dealId) throw e;
    }
    const deal = prepared
      ? this.d.deals.byPlatformDeal(source, prepared.platformDealId)
      : this.d.deals.find(dealId!);
    if (!deal || deal.source !== source) {
      throw new DomainError(
        'conflict',
        'voucher_deal_not_mapped',
        prepared
          ? `the ${source} deal “${prepared.title}” (${prepared.platformDealId}) is not set up in this store: map it to what it buys first`
          : `choose one of this store's ${source} deals`,
        prepared ? 'text' : 'dealId',
      ).with({ title: prepared?.title ?? '', platformDealId: prepared?.platformDealId ?? '' });
    }
    return {
      source,
      key,
      masked: prepared?.maskedCode ?? maskVoucherCode(code),
      deal,
      title: prepared?.title ?? deal.title,
      entitlement: deal.entitlement,
      faceValue: prepared?.faceValue ?? deal.price,
      settleAmount: prepared?.settleAmount ?? deal.price,
      validFrom: null,
      validUntil: prepared?.validUntil ? parseInstant(prepared.validUntil) : null,
      platform: { code, prepared },
    };
  }

  // ---- the checks ----

  /** Why the voucher cannot be used now at all (validity, window), before any booking is named. */
  private refusalNow(found: Found): Refusal | null {
    const now = this.d.clock.now();
    const tz = this.d.timeZone();
    if (found.own) {
      const status = this.d.own.status(found.own, now);
      if (status === 'used') {
        const used = this.d.db
          .prepare(
            `SELECT at FROM redemptions WHERE voucher_key = ? AND status IN ('done','queued','refund_via_platform')`,
          )
          .get(found.key) as { at: number };
        const at = formatInstant(used.at, tz);
        return { code: 'voucher_used', message: `this voucher was used at ${at}`, params: { at } };
      }
    }
    if (found.validFrom !== null && now < found.validFrom) {
      const from = formatInstant(found.validFrom, tz);
      return {
        code: 'voucher_not_valid_yet',
        message: `this voucher is good from ${from}`,
        params: { from },
      };
    }
    if (found.validUntil !== null && now >= found.validUntil) {
      const until = formatInstant(found.validUntil, tz);
      return {
        code: 'voucher_expired',
        message: `this voucher expired at ${until}`,
        params: { until },
      };
    }
    const e = this.withPackageBand(found.entitlement, null);
    if (e.bands.length === 0 && e.dayTypes.length === 0) return null;
    return checkUse(
      { ...e, roomIds: [], roomStyles: [], maxPartySize: null, kind: 'hours' },
      {
        start: now,
        end: now + 60_000,
        timeZone: tz,
        dayTypeOf: this.d.calendar.resolver(),
        room: { id: '', style: '' },
        partySize: 1,
        packageId: null,
      },
    );
  }

  /** A session voucher with no bands of its own is good from its package's start to its end. */
  private withPackageBand(e: Entitlement, roomId: string | null): Entitlement {
    if (e.kind !== 'session' || e.bands.length > 0) return e;
    const rooms = roomId ? [this.d.store.getRoom(roomId)] : this.d.store.listRooms();
    const pkg = rooms.flatMap((r) => r.pricePlan.packages).find((p) => p.id === e.packageId);
    if (!pkg) return e;
    const end = (minutesOfTimeOfDay(pkg.start) + pkg.minutes) % (24 * 60);
    const hhmm = `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
    return { ...e, bands: [{ from: pkg.start, to: hhmm === pkg.start ? '24:00' : hhmm }] };
  }

  private assertUsableNow(found: Found): void {
    const r = this.refusalNow(found);
    if (r) throw new DomainError('conflict', r.code, r.message, 'text').with(r.params);
  }

  // ---- reserving, consuming, paying ----

  /** The first write: the voucher reserved, its booking made or found, paid when nothing is left to ask. */
  private reserve(
    input: VoucherRedeem,
    found: Found,
    actor: Actor,
    afterCommit: AfterCommit,
  ): RedemptionRow {
    const again = this.byRequest(input.requestId);
    if (again) return again;
    this.assertUsableNow(found);
    const live = this.d.db
      .prepare(
        `SELECT at FROM redemptions WHERE voucher_key = ? AND status IN ('done','queued','refund_via_platform')`,
      )
      .get(found.key) as { at: number } | undefined;
    if (live) {
      throw new DomainError(
        'conflict',
        'voucher_used',
        `this voucher was redeemed at ${formatInstant(live.at, this.d.timeZone())}`,
        'text',
      ).with({ at: formatInstant(live.at, this.d.timeZone()) });
    }
    let booking: BookingRow;
    let share: number;
    if (input.use.kind === 'extend') {
      ({ booking, share } = this.extendFor(input.use.bookingId, found, actor, afterCommit));
    } else {
      booking = this.bookingFor(input.use, found, actor, afterCommit);
      this.assertFits(found, booking);
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
    this.d.db
      .prepare(
        `INSERT INTO redemptions (id, request_id, source, voucher_key, masked_code, deal_id, deal_title, booking_id, use_kind,
           face_value, settle_amount, covered, status, sealed_code, prepare_token, actor_kind, actor_id, screen_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.requestId,
        found.source,
        found.key,
        found.masked,
        found.deal?.id ?? null,
        found.title,
        booking.id,
        input.use.kind,
        found.faceValue,
        found.settleAmount,
        covered,
        platform ? 'queued' : 'done',
        platform ? this.d.key.seal(platform.code) : null,
        platform?.prepared?.prepareToken ?? null,
        actor.kind,
        actor.id,
        actor.screen?.id ?? null,
        now,
      );
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
    return this.row(id);
  }

  private bookingFor(
    use: Exclude<VoucherUse, { kind: 'extend' }>,
    found: Found,
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingRow {
    if (use.kind === 'pay') {
      const row = this.d.records.get(use.bookingId);
      assertCanAct(row, actor);
      return row;
    }
    const phone = use.customer?.phone ?? found.own?.customer_phone;
    if (!phone) {
      throw new DomainError(
        'bad_input',
        'voucher_phone_needed',
        "the customer's phone number is needed for the booking",
        'use.customer.phone',
      );
    }
    const e = found.entitlement;
    const tz = this.d.timeZone();
    const now = this.d.clock.now();
    let start = use.start;
    let packageId: string | undefined;
    if (e.kind === 'session') {
      packageId = e.packageId ?? undefined;
      if (!start) {
        const room = this.d.store.getRoom(use.roomId, 'use.roomId');
        const pkg = room.pricePlan.packages.find((p) => p.id === e.packageId);
        if (!pkg) {
          throw new DomainError(
            'conflict',
            'voucher_wrong_room',
            `this room has no session package ${e.packageId}`,
            'use.roomId',
          ).with({ styles: e.roomStyles.join('、') });
        }
        const today = localDateOf(now, tz);
        let at = instantAt(today, minutesOfTimeOfDay(pkg.start), tz);
        // After midnight, tonight's overnight session is the one that began yesterday evening.
        if (at > now && at - now > 12 * 60 * 60_000) at -= 24 * 60 * 60_000;
        start = formatInstant(at, tz);
      }
    }
    const made = this.d.bookings.create(
      {
        roomId: use.roomId,
        start: start ?? formatInstant(now, tz),
        ...(packageId
          ? { packageId }
          : { end: formatInstant((start ? parseInstant(start) : now) + e.minutes * 60_000, tz) }),
        partySize: use.partySize,
        customer: { phone, ...(use.customer?.name ? { name: use.customer.name } : {}) },
      },
      actor,
      afterCommit,
    );
    return this.d.records.get(made.id);
  }

  /** The voucher's hours added to a booking going on; its share is what they cost. */
  private extendFor(
    bookingId: string,
    found: Found,
    actor: Actor,
    afterCommit: AfterCommit,
  ): { booking: BookingRow; share: number } {
    const e = found.entitlement;
    if (e.kind !== 'hours') {
      throw new DomainError(
        'conflict',
        'voucher_wrong_package',
        'a session voucher makes its own booking; it cannot add time to another',
        'use',
      ).with({ packageId: e.packageId ?? '' });
    }
    const before = this.d.records.get(bookingId);
    const room = this.d.store.getRoom(before.room_id);
    const refusal = checkUse(e, {
      start: Math.max(before.end_at, this.d.clock.now()),
      end: before.end_at + e.minutes * 60_000,
      timeZone: this.d.timeZone(),
      dayTypeOf: this.d.calendar.resolver(),
      room: { id: room.id, style: room.style },
      partySize: before.party_size,
      packageId: null,
    });
    if (refusal) {
      throw new DomainError('conflict', refusal.code, refusal.message, 'use').with(refusal.params);
    }
    const ext = this.d.extensions.extend(bookingId, e.minutes, actor, afterCommit);
    return { booking: this.d.records.get(bookingId), share: ext.amount };
  }

  private assertFits(found: Found, booking: BookingRow): void {
    const room = this.d.store.getRoom(booking.room_id);
    const refusal = checkUse(this.withPackageBand(found.entitlement, room.id), {
      start: booking.start_at,
      end: booking.end_at,
      timeZone: this.d.timeZone(),
      dayTypeOf: this.d.calendar.resolver(),
      room: { id: room.id, style: room.style },
      partySize: booking.party_size,
      packageId: booking.package_id,
    });
    if (refusal) {
      throw new DomainError('conflict', refusal.code, refusal.message, 'use').with(refusal.params);
    }
  }

  /** The voucher's part of the booking goes on the ledger. Runs inside a write. */
  private pay(id: string, actor: Actor, afterCommit: AfterCommit): void {
    const r = this.row(id);
    if (r.payment_id) return;
    const paymentId = this.d.payments.recordVoucherPayment(
      r.booking_id,
      r.id,
      r.covered,
      actor,
      afterCommit,
    );
    this.d.db.prepare('UPDATE redemptions SET payment_id = ? WHERE id = ?').run(paymentId, id);
  }

  /** Consumes a reserved platform voucher now, answering what became of it. */
  private async consume(
    row: RedemptionRow,
    found: Found | null,
    write: Write,
  ): Promise<RedemptionRow> {
    const client = this.d.platforms();
    const platform = row.source as VoucherPlatform;
    let consumed: PlatformConsumption;
    try {
      if (!client) throw new DomainError('unavailable', 'platform_unavailable', 'no cloud link');
      let token = row.prepare_token;
      const code = found?.platform?.code ?? this.d.key.open(row.sealed_code!);
      if (!token) {
        // Taken offline: prepared now that the line is back.
        const prepared = await client.prepare({ platform, code });
        token = prepared.prepareToken;
        await write(() => {
          this.d.db
            .prepare(
              'UPDATE redemptions SET prepare_token = ?, face_value = ?, settle_amount = ? WHERE id = ?',
            )
            .run(token, prepared.faceValue, prepared.settleAmount, row.id);
        });
      }
      consumed = await client.consume({
        platform,
        code,
        prepareToken: token,
        requestId: row.request_id,
      });
    } catch (e) {
      if (e instanceof DomainError && e.code !== 'platform_unavailable') {
        const after = await write((afterCommit) => this.refused(row.id, e, afterCommit));
        if (after.payment_id === null) throw e;
        return after;
      }
      // Unknown: consumed or not, the job asks again with the same request id.
      await write(() => {
        this.d.db
          .prepare('UPDATE redemptions SET last_error = ?, attempts = attempts + 1 WHERE id = ?')
          .run((e as Error).message.slice(0, 300), row.id);
      });
      if (row.payment_id === null && this.row(row.id).payment_id === null) {
        throw new DomainError(
          'unavailable',
          'platform_unavailable',
          'the voucher platform did not answer; the hub keeps asking and the booking is held meanwhile',
          'text',
          15,
        ).with({ redemptionId: row.id });
      }
      return this.row(row.id);
    }
    return write((afterCommit) => this.consumed(row.id, consumed, afterCommit));
  }

  private consumed(id: string, c: PlatformConsumption, afterCommit: AfterCommit): RedemptionRow {
    const r = this.row(id);
    if (r.status !== 'queued' && r.status !== 'failed') return r;
    this.d.db
      .prepare(
        `UPDATE redemptions SET status = 'done', consumption_id = ?, undo_until = ?, face_value = ?, settle_amount = ?, last_error = NULL WHERE id = ?`,
      )
      .run(
        c.consumptionId,
        c.undoUntil ? parseInstant(c.undoUntil) : null,
        c.faceValue,
        c.settleAmount,
        id,
      );
    this.pay(id, { kind: r.actor_kind, id: r.actor_id }, afterCommit);
    this.d.scheduler.done(VOUCHER_CONSUME_JOB, id);
    return this.row(id);
  }

  /** The platform said no: a hold made for it goes; a provisional one is flagged to staff. */
  private refused(id: string, e: DomainError, afterCommit: AfterCommit): RedemptionRow {
    const r = this.row(id);
    this.d.scheduler.done(VOUCHER_CONSUME_JOB, id);
    if (r.status !== 'queued') return r;
    this.d.db
      .prepare(`UPDATE redemptions SET status = 'failed', last_error = ? WHERE id = ?`)
      .run(`${e.code}: ${e.message}`.slice(0, 300), id);
    const booking = this.d.records.get(r.booking_id);
    if (r.payment_id === null) {
      // Nothing was paid: the hold made for it goes, and the cashier reads the platform's refusal.
      if (r.use_kind === 'book' && booking.status === 'pending_payment') {
        this.d.bookings.cancel(
          booking.id,
          SYSTEM,
          'the voucher was refused by the platform',
          afterCommit,
        );
      }
      return this.row(id);
    }
    afterCommit(() =>
      this.d.events.emit({
        type: 'voucher.failed',
        redemptionId: id,
        bookingId: r.booking_id,
        reason: e.message,
        at: this.d.clock.now(),
      }),
    );
    return this.row(id);
  }

  /** Job: a queued platform voucher asked again. */
  private async settleQueued(id: string): Promise<void> {
    const r = this.d.db.prepare('SELECT * FROM redemptions WHERE id = ?').get(id) as
      RedemptionRow | undefined;
    if (!r || r.status !== 'queued') {
      await this.d.writes.run(() => this.d.scheduler.done(VOUCHER_CONSUME_JOB, id));
      return;
    }
    try {
      const after = await this.consume(r, null, (w) => this.d.writes.run(w));
      if (after.status === 'queued')
        throw new Error(after.last_error ?? 'the platform did not answer');
    } catch (e) {
      if (e instanceof DomainError && e.code !== 'platform_unavailable') return;
      throw e;
    }
  }

  private async settleIfQueued(r: RedemptionRow, write: Write): Promise<RedemptionRow> {
    if (r.status !== 'queued') return r;
    try {
      return await this.consume(r, null, write);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'platform_unavailable') return this.row(r.id);
      throw e;
    }
  }

  // ---- giving back ----

  /** A refund took a voucher payment back (a cancellation, an undo): the voucher is given back. */
  private givenBack(paymentId: string, actor: Actor, afterCommit: AfterCommit): void {
    const r = this.d.db.prepare('SELECT * FROM redemptions WHERE payment_id = ?').get(paymentId) as
      RedemptionRow | undefined;
    if (!r || (r.status !== 'done' && r.status !== 'queued')) return;
    if (r.source === 'own' || r.status === 'queued' || !r.consumption_id) {
      this.d.scheduler.done(VOUCHER_CONSUME_JOB, r.id);
      this.markUndone(r.id, actor);
      return;
    }
    if (r.undo_until !== null && this.d.clock.now() <= r.undo_until) {
      this.d.scheduler.schedule(VOUCHER_UNDO_JOB, r.id, this.d.clock.now());
      afterCommit(() => this.d.scheduler.poke());
      this.d.db.prepare('UPDATE redemptions SET undone_by = ? WHERE id = ?').run(actor.id, r.id);
      return;
    }
    this.d.db
      .prepare(
        `UPDATE redemptions SET status = 'refund_via_platform', undone_at = ?, undone_by = ? WHERE id = ?`,
      )
      .run(this.d.clock.now(), actor.id, r.id);
  }

  /** Job: a platform voucher reversed at the platform, inside its window. */
  private async undoAtPlatform(id: string): Promise<void> {
    const r = this.row(id);
    const client = this.d.platforms();
    if (r.status !== 'done' || !r.consumption_id || !client) {
      await this.d.writes.run(() => this.d.scheduler.done(VOUCHER_UNDO_JOB, id));
      return;
    }
    try {
      await client.undo({
        platform: r.source as VoucherPlatform,
        consumptionId: r.consumption_id,
        requestId: `undo-${r.request_id}`.slice(0, 64),
      });
      await this.d.writes.run(() => {
        this.markUndone(id, { kind: 'system', id: r.undone_by ?? 'vouchers' });
        this.d.scheduler.done(VOUCHER_UNDO_JOB, id);
      });
    } catch (e) {
      if (e instanceof DomainError && e.code !== 'platform_unavailable') {
        await this.d.writes.run(() => {
          this.d.db
            .prepare(
              `UPDATE redemptions SET status = 'refund_via_platform', undone_at = ?, last_error = ? WHERE id = ?`,
            )
            .run(this.d.clock.now(), `${e.code}: ${e.message}`.slice(0, 300), id);
          this.d.scheduler.done(VOUCHER_UNDO_JOB, id);
        });
        return;
      }
      throw e;
    }
  }

  private markUndone(id: string, actor: Actor): void {
    this.d.db
      .prepare(
        `UPDATE redemptions SET status = 'undone', undone_at = ?, undone_by = COALESCE(undone_by, ?) WHERE id = ?`,
      )
      .run(this.d.clock.now(), actor.id, id);
  }

  // ---- reading ----

  private byRequest(requestId: string): RedemptionRow | undefined {
    return this.d.db.prepare('SELECT * FROM redemptions WHERE request_id = ?').get(requestId) as
      RedemptionRow | undefined;
  }

  private row(id: string): RedemptionRow {
    const r = this.d.db.prepare('SELECT * FROM redemptions WHERE id = ?').get(id) as
      RedemptionRow | undefined;
    if (!r) throw notFound('redemption', id);
    return r;
  }

  private answer(r: RedemptionRow): RedemptionView & { booking: BookingDetail } {
    return { ...this.view(r), booking: this.d.views.detail(r.booking_id) };
  }

  view(r: RedemptionRow): RedemptionView {
    const tz = this.d.timeZone();
    const number = (
      this.d.db.prepare('SELECT number FROM bookings WHERE id = ?').get(r.booking_id) as {
        number: string;
      }
    ).number;
    return {
      id: r.id,
      source: r.source,
      maskedCode: r.masked_code,
      dealId: r.deal_id,
      dealTitle: r.deal_title,
      bookingId: r.booking_id,
      bookingNumber: number,
      faceValue: r.face_value,
      settleAmount: r.settle_amount,
      covered: r.covered,
      status: r.status,
      actor: { kind: r.actor_kind, id: r.actor_id },
      screenId: r.screen_id,
      at: formatInstant(r.at, tz),
      undoneAt: r.undone_at === null ? null : formatInstant(r.undone_at, tz),
      undoUntil: r.undo_until === null ? null : formatInstant(r.undo_until, tz),
      lastError: r.last_error,
    };
  }
}
