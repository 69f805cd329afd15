// The platform's watch over the stores' ledgers (P4, B8): a payment whose booking never arrived
// within the grace, many of one customer's bookings refunded within a window, a burst of voucher
// redemptions at a store. What it needs is kept in the anomalies database (payments waiting for
// their booking, each customer's refunds, each store's redemptions). Reads a store's database
// only by id; never writes one.
import {
  BookingDocSchema,
  LedgerDocSchema,
  type LedgerDoc,
  bookingDocId,
  storeDbName,
  type Clock,
  type PlatformSettings,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';
import {
  ANOMALIES_DB,
  DAY,
  HOUR,
  anomalyId,
  iso,
  raiseAnomaly,
  updateWorking,
} from './anomaly-store';

interface CustomerRefunds extends CouchDoc {
  /** `<storeId>:<bookingId>` -> when its first refund was made (ms). */
  refunds: Record<string, number>;
}
interface StoreRedemptions extends CouchDoc {
  /** `<bookingId>:<entryId>` -> when (ms). */
  redemptions: Record<string, number>;
}
interface WaitingPayment extends CouchDoc {
  storeId: string;
  bookingId: string;
  entryId: string;
  amount: number;
  method: string;
  at: string;
}

export interface LedgerWatchDeps {
  couch: CouchClient;
  clock: Clock;
  /** The thresholds in force (the platform owner's settings). */
  rules: () => Promise<PlatformSettings['anomalies']>;
}

export class LedgerAnomalies {
  constructor(private readonly d: LedgerWatchDeps) {}

  /**
   * A page of a store's changes: each ledger entry (a payment, a voucher redemption or a refund),
   * the bookings its payments name read in one request.
   */
  async ledgers(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const entries = docs.flatMap((doc) => {
      if (!doc._id.startsWith('ledger:')) return [];
      const parsed = LedgerDocSchema.safeParse(doc);
      return parsed.success && parsed.data.storeId === storeId ? [parsed.data] : [];
    });
    const paid = entries.filter((e) => e.kind === 'payment' && e.amount > 0);
    if (entries.length === 0) return;
    const ids = [...new Set(paid.map((e) => bookingDocId(e.bookingId)))];
    const known = new Set(
      ids.length === 0
        ? []
        : (await this.d.couch.byIds(storeDbName(storeId), ids)).map((b) => b._id),
    );
    for (const e of entries) await this.entry(storeId, e, known.has(bookingDocId(e.bookingId)));
  }

  /** One ledger entry of a store; `booked`: its booking has reached the cloud. */
  private async entry(storeId: string, e: LedgerDoc, booked: boolean): Promise<void> {
    const atMs = Date.parse(e.at);
    if (e.kind === 'payment' && e.amount > 0) {
      if (!booked) {
        await updateWorking<WaitingPayment>(
          this.d.couch,
          `pay:${storeId}:${e.bookingId}`,
          () => ({
            _id: `pay:${storeId}:${e.bookingId}`,
            storeId,
            bookingId: e.bookingId,
            entryId: e.entryId,
            amount: e.amount,
            method: e.method,
            at: iso(atMs),
          }),
          (d) => !d._rev,
        );
      }
      if (e.method === 'voucher')
        await this.redemption(storeId, `${e.bookingId}:${e.entryId}`, atMs);
    }
    if (e.kind === 'refund') await this.refund(storeId, e.bookingId, atMs);
  }

  /** Payments still without their booking after the grace: each is flagged once, then let go. */
  async paymentsWithoutBooking(): Promise<number> {
    const { paymentGraceMinutes } = await this.d.rules();
    const now = this.d.clock.now();
    let raised = 0;
    for (const p of await this.d.couch.byPrefix<WaitingPayment>(ANOMALIES_DB, 'pay:')) {
      const atMs = Date.parse(p.at);
      if (now - atMs < paymentGraceMinutes * 60_000) continue;
      const booking = await this.d.couch.get(storeDbName(p.storeId), bookingDocId(p.bookingId));
      if (
        !booking &&
        (await raiseAnomaly(this.d.couch, {
          _id: anomalyId(atMs, 'payment_without_booking', `${p.storeId}.${p.bookingId}`),
          kind: 'payment_without_booking',
          raisedBy: 'platform',
          storeId: p.storeId,
          at: iso(atMs),
          roomId: null,
          bookingId: p.bookingId,
          customerId: null,
          facts: {
            reason: 'no_booking',
            amount: p.amount,
            method: p.method,
            graceMinutes: paymentGraceMinutes,
          },
        }))
      ) {
        raised += 1;
      }
      await this.d.couch.put(ANOMALIES_DB, { ...p, _deleted: true }).catch((e: unknown) => {
        if (!isConflict(e)) throw e;
      });
    }
    return raised;
  }

  private async refund(storeId: string, bookingId: string, atMs: number): Promise<void> {
    const booking = BookingDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), bookingDocId(bookingId)),
    );
    const customerId = booking.success ? booking.data.customerId : undefined;
    if (!customerId) return;
    const { refundsInWindow, refundWindowDays } = await this.d.rules();
    const windowMs = refundWindowDays * DAY;
    const key = `${storeId}:${bookingId}`;
    const mine = await updateWorking<CustomerRefunds>(
      this.d.couch,
      `cr:${customerId}`,
      () => ({ _id: `cr:${customerId}`, refunds: {} }),
      (d) => {
        for (const [k, at] of Object.entries(d.refunds))
          if (at < atMs - 2 * windowMs) delete d.refunds[k];
        if (d.refunds[key] !== undefined && d.refunds[key]! <= atMs) return false;
        d.refunds[key] = atMs;
        return true;
      },
    );
    // Refunds may arrive in any order: the window ends at the newest one known.
    const newest = Math.max(...Object.values(mine.refunds));
    const inWindow = Object.entries(mine.refunds)
      .filter(([, at]) => at > newest - windowMs)
      .sort((a, b) => a[1] - b[1]);
    if (inWindow.length < refundsInWindow) return;
    const [firstKey, firstAt] = inWindow[0]!;
    await raiseAnomaly(this.d.couch, {
      _id: anomalyId(newest, 'refund_abuse', `${customerId}.${firstKey.replaceAll(':', '.')}`),
      kind: 'refund_abuse',
      raisedBy: 'platform',
      storeId,
      at: iso(newest),
      roomId: null,
      bookingId,
      customerId,
      facts: {
        refunds: inWindow.length,
        stores: new Set(inWindow.map(([k]) => k.split(':')[0])).size,
        windowDays: refundWindowDays,
        threshold: refundsInWindow,
        firstAt: iso(firstAt),
      },
    });
  }

  private async redemption(storeId: string, key: string, atMs: number): Promise<void> {
    const { spikeMinPerHour, spikeTimesAverage } = await this.d.rules();
    const mine = await updateWorking<StoreRedemptions>(
      this.d.couch,
      `vr:${storeId}`,
      () => ({ _id: `vr:${storeId}`, redemptions: {} }),
      (d) => {
        for (const [k, at] of Object.entries(d.redemptions)) {
          if (at < atMs - 8 * DAY) delete d.redemptions[k];
        }
        if (d.redemptions[key] !== undefined) return false;
        d.redemptions[key] = atMs;
        return true;
      },
    );
    const times = Object.values(mine.redemptions);
    const lastHour = times.filter((t) => t > atMs - HOUR && t <= atMs).length;
    const weekBefore = times.filter((t) => t > atMs - HOUR - 7 * DAY && t <= atMs - HOUR).length;
    const averagePerHour = weekBefore / (7 * 24);
    if (lastHour < spikeMinPerHour || lastHour <= spikeTimesAverage * averagePerHour) return;
    const hour = Math.floor(atMs / HOUR) * HOUR;
    await raiseAnomaly(this.d.couch, {
      _id: anomalyId(hour, 'voucher_spike', storeId),
      kind: 'voucher_spike',
      raisedBy: 'platform',
      storeId,
      at: iso(atMs),
      roomId: null,
      bookingId: null,
      customerId: null,
      facts: {
        lastHour,
        averagePerHour: Math.round(averagePerHour * 100) / 100,
        threshold: spikeMinPerHour,
        timesAverage: spikeTimesAverage,
      },
    });
  }
}
