// Meituan / Dianping and Douyin vouchers at the store (S2): asked of the platforms through the
// cloud service (the hub holds no platform secrets), reserved here before they are consumed, so a
// crash or a timeout between the two leaves a queued redemption that the consume job settles by
// asking again with the same request id (the platform's idempotency key: one consumption however
// often it is asked); one the platform confirms after its hold let the slot go is given back.
// Taken while the store is offline only where the owner allows it, and then paid at once and
// consumed when the line is back, once the platform confirms the deal the cashier named; a
// platform's later refusal is flagged to staff with the booking it paid. Given back by reversing
// it at the platform inside its undo window. Writes redemptions only through `RedemptionRecords`.
import {
  DomainError,
  formatInstant,
  instantAt,
  localDateOf,
  nextLocalDate,
  maskVoucherCode,
  parseInstant,
  voucherHashOf,
  type Actor,
  type BookingStatus,
  type Clock,
  type DealSource,
  type LocalDate,
  type PlatformConsumption,
  type PlatformConsumptionListItem,
  type ReconciliationView,
  type PlatformVoucherPrepared,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import type { AfterCommit, WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { BookingRecords } from '../booking/booking-records';
import type { BookingService } from '../booking/booking.service';
import type { Scheduler } from '../scheduler/scheduler';
import type { SecretKey } from '../security/secret-key';
import type { Deals } from './deals';
import type { Found, RedemptionRecords, RedemptionRow, Write } from './redemption-records';

/** A queued platform consumption, asked again until the platform answers. */
export const VOUCHER_CONSUME_JOB = 'voucher.consume';
/** A platform voucher given back after its booking was refunded: reversed at the platform. */
export const VOUCHER_UNDO_JOB = 'voucher.undo';
/** Each morning, yesterday's redemptions against each platform's list. */
export const VOUCHER_RECONCILE_JOB = 'voucher.reconcile';
const RECONCILE_REF = 'daily';
/** When the morning check runs: 06:00 in the store, once the platforms' day is closed. */
const RECONCILE_MINUTE = 6 * 60;

const PLATFORMS: VoucherPlatform[] = ['meituan', 'douyin'];

const SYSTEM: Actor = { kind: 'system', id: 'vouchers' };
/** The statuses a booking can still be paid in. */
const PAYABLE: BookingStatus[] = ['pending_payment', 'paid', 'in_use'];

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
  /** The platform's consumptions of the store's day, for reconciliation. */
  consumptions(platform: VoucherPlatform, date: LocalDate): Promise<PlatformConsumptionListItem[]>;
}

export interface PlatformRedemptionDeps {
  clock: Clock;
  writes: WriteQueue;
  scheduler: Scheduler;
  events: EventBus;
  deals: Deals;
  key: SecretKey;
  records: RedemptionRecords;
  bookingRecords: BookingRecords;
  bookings: BookingService;
  platforms: () => PlatformVoucherClient | undefined;
  timeZone: () => string;
  /** Puts a redemption's share on its booking's ledger (redemptions.ts). */
  pay: (id: string, actor: Actor, afterCommit: AfterCommit) => void;
}

export class PlatformRedemptions {
  constructor(private readonly d: PlatformRedemptionDeps) {}

  register(): void {
    this.d.scheduler.on(VOUCHER_CONSUME_JOB, (job) => this.settleQueued(job.ref));
    this.d.scheduler.on(VOUCHER_UNDO_JOB, (job) => this.undoAtPlatform(job.ref));
    this.d.scheduler.on(VOUCHER_RECONCILE_JOB, () => this.reconcileYesterday());
  }

  /** Puts the morning check on the calendar if it is not there yet. Call once at start. */
  async scheduleReconciliation(): Promise<void> {
    if (this.d.scheduler.pending(VOUCHER_RECONCILE_JOB).length > 0) return;
    await this.d.writes.run(() =>
      this.d.scheduler.schedule(VOUCHER_RECONCILE_JOB, RECONCILE_REF, this.nextMorning()),
    );
  }

  private nextMorning(): number {
    const tz = this.d.timeZone();
    const now = this.d.clock.now();
    let at = instantAt(localDateOf(now, tz), RECONCILE_MINUTE, tz);
    while (at <= now) at = instantAt(nextLocalDate(localDateOf(at, tz)), RECONCILE_MINUTE, tz);
    return at;
  }

  /** Job: yesterday against each platform that took vouchers here; differences told to staff. */
  private async reconcileYesterday(): Promise<void> {
    const tz = this.d.timeZone();
    const yesterday = localDateOf(this.d.clock.now() - 24 * 60 * 60_000, tz);
    for (const platform of PLATFORMS) {
      if (this.d.records.ofDay(platform, yesterday).length === 0) continue;
      const r = await this.reconcile(platform, yesterday);
      const differences = r.onlyAtPlatform.length + r.onlyHere.length + r.amountsDiffer.length;
      if (differences > 0) {
        this.d.events.emit({
          type: 'voucher.reconciled',
          platform,
          date: yesterday,
          differences,
          at: this.d.clock.now(),
        });
      }
    }
    await this.d.writes.run(() =>
      this.d.scheduler.schedule(VOUCHER_RECONCILE_JOB, RECONCILE_REF, this.nextMorning()),
    );
  }

  /** The store's day of one platform against the platform's list: what differs, and how. */
  async reconcile(platform: VoucherPlatform, date: LocalDate): Promise<ReconciliationView> {
    const client = this.d.platforms();
    if (!client) {
      throw new DomainError(
        'unavailable',
        'platform_unavailable',
        'this hub has no link to the cloud for platform vouchers',
      );
    }
    const theirs = await client.consumptions(platform, date);
    const ours = this.d.records.ofDay(platform, date);
    const tz = this.d.timeZone();
    const byConsumption = new Map(
      ours.filter((r) => r.consumption_id).map((r) => [r.consumption_id!, r]),
    );
    const counted = (r: RedemptionRow) => r.status === 'done' || r.status === 'refund_via_platform';
    const view: ReconciliationView = {
      date,
      platform,
      checkedAt: formatInstant(this.d.clock.now(), tz),
      matched: 0,
      onlyAtPlatform: [],
      onlyHere: [],
      amountsDiffer: [],
      waiting: ours.filter((r) => r.status === 'queued').length,
    };
    const seen = new Set<string>();
    for (const c of theirs) {
      const r = byConsumption.get(c.consumptionId);
      if (r) seen.add(r.id);
      const liveThere = !c.undone;
      const liveHere = r !== undefined && counted(r);
      if (liveThere && !liveHere) {
        view.onlyAtPlatform.push({
          consumptionId: c.consumptionId,
          maskedCode: c.maskedCode,
          title: c.title,
          faceValue: c.faceValue,
          settleAmount: c.settleAmount,
          consumedAt: c.consumedAt,
        });
      } else if (!liveThere && liveHere) {
        view.onlyHere.push(this.ourSide(r));
      } else if (liveThere && liveHere) {
        if (r.face_value !== c.faceValue || r.settle_amount !== c.settleAmount) {
          view.amountsDiffer.push({
            redemptionId: r.id,
            consumptionId: c.consumptionId,
            here: { faceValue: r.face_value, settleAmount: r.settle_amount },
            platform: { faceValue: c.faceValue, settleAmount: c.settleAmount },
          });
        } else view.matched += 1;
      }
    }
    for (const r of ours) {
      if (!seen.has(r.id) && counted(r)) view.onlyHere.push(this.ourSide(r));
    }
    return view;
  }

  private ourSide(r: RedemptionRow): ReconciliationView['onlyHere'][number] {
    const v = this.d.records.view(r);
    return {
      redemptionId: r.id,
      maskedCode: r.masked_code,
      bookingNumber: v.bookingNumber,
      status: r.status,
      at: v.at,
    };
  }

  /**
   * The hub's key for a platform's voucher: the platform and a hash of its code, or of the code the
   * platform says is its own (a Meituan QR and its typed digits are one voucher).
   */
  static keyOf(source: DealSource, code: string, voucherHash: string | null = null): string {
    return `${source}:${(voucherHash ?? voucherHashOf(code)).slice(0, 32)}`;
  }

  /** A platform's voucher as its platform describes it, mapped to the store's deal. */
  async find(
    source: Exclude<DealSource, 'own'>,
    code: string,
    dealId: string | undefined,
  ): Promise<Found> {
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
      if (!offline || !this.d.records.settings().provisionalOffline || !dealId) throw e;
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
      key: PlatformRedemptions.keyOf(source, code, prepared?.voucherHash ?? null),
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

  /** Consumes a reserved platform voucher now, answering what became of it. */
  async consume(row: RedemptionRow, found: Found | null, write: Write): Promise<RedemptionRow> {
    const client = this.d.platforms();
    const platform = row.source as VoucherPlatform;
    let consumed: PlatformConsumption;
    try {
      if (!client) throw new DomainError('unavailable', 'platform_unavailable', 'no cloud link');
      let token = row.prepare_token;
      const code = found?.platform?.code ?? this.d.key.open(row.sealed_code!);
      if (!token) {
        // Taken offline: prepared now that the line is back, for the deal the cashier named only.
        const prepared = await client.prepare({ platform, code });
        if (this.d.deals.byPlatformDeal(platform, prepared.platformDealId)?.id !== row.deal_id) {
          throw new DomainError(
            'conflict',
            'voucher_deal_mismatch',
            `this voucher is for the ${platform} deal “${prepared.title}”, not the deal “${row.deal_title}” chosen when it was taken offline`,
            'dealId',
          ).with({ title: prepared.title, chosen: row.deal_title });
        }
        token = prepared.prepareToken;
        await write(() => this.d.records.setPrepared(row.id, prepared));
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
      await write(() => this.d.records.noteTry(row.id, (e as Error).message));
      if (this.d.records.row(row.id).payment_id === null) {
        throw new DomainError(
          'unavailable',
          'platform_unavailable',
          'the voucher platform did not answer; the hub keeps asking and the booking is held meanwhile',
          'text',
          15,
        ).with({ redemptionId: row.id });
      }
      return this.d.records.row(row.id);
    }
    return write((afterCommit) => this.consumed(row.id, consumed, afterCommit));
  }

  private consumed(id: string, c: PlatformConsumption, afterCommit: AfterCommit): RedemptionRow {
    const r = this.d.records.row(id);
    if (r.status !== 'queued' && r.status !== 'failed') return r;
    this.d.records.setConsumed(id, c);
    this.d.scheduler.done(VOUCHER_CONSUME_JOB, id);
    if (
      r.payment_id === null &&
      !PAYABLE.includes(this.d.bookingRecords.get(r.booking_id).status)
    ) {
      // Its hold let the slot go while the platform's answer was on its way: given back.
      this.givenBack(this.d.records.row(id), SYSTEM, afterCommit);
      return this.d.records.row(id);
    }
    this.d.pay(id, { kind: r.actor_kind, id: r.actor_id }, afterCommit);
    return this.d.records.row(id);
  }

  /** The platform said no: a hold made for it goes; a provisional one is flagged to staff. */
  private refused(id: string, e: DomainError, afterCommit: AfterCommit): RedemptionRow {
    const r = this.d.records.row(id);
    this.d.scheduler.done(VOUCHER_CONSUME_JOB, id);
    if (r.status !== 'queued') return r;
    this.d.records.setFailed(id, `${e.code}: ${e.message}`);
    const booking = this.d.bookingRecords.get(r.booking_id);
    if (r.payment_id === null) {
      // Nothing was paid: the hold made for it goes, and the cashier reads the platform's refusal.
      // Cancelled in the name of whoever redeemed it (made it): the system may only expire holds.
      if (r.use_kind === 'book' && booking.status === 'pending_payment') {
        this.d.bookings.cancel(
          booking.id,
          { kind: r.actor_kind, id: r.actor_id, proven: booking.id },
          'the voucher was refused by the platform',
          afterCommit,
        );
      }
      return this.d.records.row(id);
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
    return this.d.records.row(id);
  }

  /** Job: a queued platform voucher asked again. */
  async settleQueued(id: string): Promise<void> {
    const r = this.d.records.find(id);
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

  async settleIfQueued(r: RedemptionRow, write: Write): Promise<RedemptionRow> {
    if (r.status !== 'queued') return r;
    try {
      return await this.consume(r, null, write);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'platform_unavailable')
        return this.d.records.row(r.id);
      throw e;
    }
  }

  /** A platform voucher given back by a refund: reversed inside its window, else via the platform. */
  givenBack(r: RedemptionRow, actor: Actor, afterCommit: AfterCommit): void {
    if (r.undo_until !== null && this.d.clock.now() <= r.undo_until) {
      this.d.scheduler.schedule(VOUCHER_UNDO_JOB, r.id, this.d.clock.now());
      afterCommit(() => this.d.scheduler.poke());
      this.d.records.setUndoneBy(r.id, actor.id);
      return;
    }
    this.d.records.markRefundViaPlatform(r.id, actor.id, null);
  }

  /** Job: a platform voucher reversed at the platform, inside its window. */
  async undoAtPlatform(id: string): Promise<void> {
    const r = this.d.records.row(id);
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
        this.d.records.markUndone(id, { kind: 'system', id: r.undone_by ?? 'vouchers' });
        this.d.scheduler.done(VOUCHER_UNDO_JOB, id);
      });
    } catch (e) {
      if (e instanceof DomainError && e.code !== 'platform_unavailable') {
        await this.d.writes.run(() => {
          this.d.records.markRefundViaPlatform(id, null, `${e.code}: ${e.message}`);
          this.d.scheduler.done(VOUCHER_UNDO_JOB, id);
        });
        return;
      }
      throw e;
    }
  }
}
