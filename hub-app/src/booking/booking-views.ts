// How bookings and quotes look to the API (shapes in shared-types/api/bookings.ts): instants in
// the store's time zone, the balance from the ledger, the history, payments and refunds of one
// booking, and lists filtered by who is asking. Reads only.
import {
  bookingTerms,
  cancellationFee,
  formatInstant,
  instantAt,
  MINUTE,
  nextLocalDate,
  type Actor,
  type BookingDetail,
  type BookingStatus,
  type BookingView,
  type Clock,
  type FeeLine,
  type FeeLineView,
  type LocalDate,
  type Quote,
  type QuoteView,
  tierFee,
} from '@roomhub/shared-types';
import { earlyEndRefund } from './ending-early';
import type { RoomPrices } from './room-prices';
import { balance, type Ledger } from '../payments/ledger';
import type { PaymentService } from '../payments/payment.service';
import type { Refunds } from '../payments/refunds';
import type { StoreService } from '../store/store.service';
import type { BookingRecords, BookingRow } from './booking-records';
import { assertCanAct } from './ownership';

/** A completed booking can still owe its overtime; a cancelled or refunded one owes nothing. */
const OWING: readonly BookingStatus[] = ['pending_payment', 'paid', 'in_use', 'completed'];

export interface BookingViewDeps {
  records: BookingRecords;
  store: StoreService;
  ledger: Ledger;
  payments: PaymentService;
  refunds: Refunds;
  prices: RoomPrices;
  clock: Clock;
}

export class BookingViews {
  constructor(private readonly d: BookingViewDeps) {}

  private tz(): string {
    return this.d.store.getStore().timeZone;
  }

  /** A booking for `actor`, who must be allowed to see it. */
  get(id: string, actor: Actor): BookingDetail {
    assertCanAct(this.d.records.get(id), actor);
    return this.detail(id);
  }

  detail(id: string): BookingDetail {
    const row = this.d.records.get(id);
    const tz = this.tz();
    return {
      ...this.view(row),
      ...this.terms(row),
      history: this.d.records.history(id, tz),
      payments: this.d.payments.paymentsOf(id),
      refunds: this.d.refunds.refundsOf(id),
      ledger: this.d.ledger.entriesOf(id, tz),
    };
  }

  /** The booking's rules, and what cancelling, changing or ending it now would cost or give back. */
  private terms(row: BookingRow): Pick<BookingDetail, 'terms' | 'ifNow'> {
    const room = this.d.store.getRoom(row.room_id);
    const rules = this.d.store.rulesFor(room);
    const now = this.d.clock.now();
    // Change fees already paid stay with the store: fees and refunds are of what paid the time.
    // A voucher that paid comes back whole on cancelling: the fee is of the money only.
    const vouchers = this.d.ledger.voucherPaid(row.id);
    const money = Math.max(
      0,
      this.d.ledger.balanceOf(row).refundable - vouchers - this.d.records.feesKept(row).total,
    );
    const refundable = money + vouchers;
    let cancel: BookingDetail['ifNow']['cancel'] = null;
    if (row.status === 'pending_payment') cancel = { fee: 0, refund: refundable, feePercent: 0 };
    if (row.status === 'paid' && now < row.start_at) {
      const fee = cancellationFee(rules, money, now, row.start_at)!;
      const { feePercent } = tierFee(rules.cancellation, money, now, row.start_at);
      cancel = { fee, refund: refundable - fee, feePercent };
    }
    const c = rules.change;
    const changeable =
      (row.status === 'pending_payment' || row.status === 'paid') &&
      c.allowed &&
      row.changes < c.maxChanges &&
      now <= row.start_at - c.minNoticeMinutes * MINUTE;
    return {
      terms: bookingTerms(rules),
      ifNow: {
        cancel,
        change: changeable ? tierFee(c.fees, refundable, now, row.start_at) : null,
        endRefund:
          row.status === 'in_use'
            ? earlyEndRefund({
                rule: rules.earlyEnd,
                start: row.start_at,
                end: row.end_at,
                billedFrom: this.d.records.lines(row)[0]?.start ?? row.start_at,
                now,
                refundable,
                billingStepMinutes: room.pricePlan.stepMinutes,
                priceOf: (from, to) => this.d.prices.span(room.id, from, to).total,
              })
            : null,
      },
    };
  }

  /** Bookings with their customers' phones: for the store's staff only (the route says so). */
  list(q: {
    status?: BookingStatus | undefined;
    date?: LocalDate | undefined;
    roomId?: string | undefined;
    phone?: string | undefined;
    limit: number;
  }): BookingView[] {
    const tz = this.tz();
    const day = q.date
      ? { from: instantAt(q.date, 0, tz), to: instantAt(nextLocalDate(q.date), 0, tz) }
      : {};
    const rows = this.d.records.list({ ...q, ...day });
    return rows.map((r) => this.view(r));
  }

  /** `money` may be passed when known, e.g. for a booking created this instant. */
  view(row: BookingRow, money?: { paid: number; refunding: number }): BookingView {
    const tz = this.tz();
    const room = this.d.store.getRoom(row.room_id);
    const { paid, due } = money
      ? balance(row.total, money.paid, money.refunding)
      : this.d.ledger.balanceOf(row);
    return {
      id: row.id,
      number: row.number,
      status: row.status,
      room: { id: room.id, name: room.name },
      start: formatInstant(row.start_at, tz),
      end: formatInstant(row.end_at, tz),
      minutes: Math.round((row.end_at - row.start_at) / MINUTE),
      partySize: row.party_size,
      customer: { phone: row.customer_phone, name: row.customer_name },
      packageId: row.package_id,
      lines: this.d.records.lines(row).map((l) => lineView(l, tz)),
      total: row.total,
      paid,
      due: Math.max(0, OWING.includes(row.status) ? due : 0),
      holdExpiresAt: row.hold_expires_at === null ? null : formatInstant(row.hold_expires_at, tz),
      changes: row.changes,
      createdAt: formatInstant(row.created_at, tz),
      updatedAt: formatInstant(row.updated_at, tz),
    };
  }

  quote(roomId: string, packageId: string | null, q: Quote): QuoteView {
    const tz = this.tz();
    return {
      terms: bookingTerms(this.d.store.rulesFor(this.d.store.getRoom(roomId))),
      roomId,
      packageId,
      start: formatInstant(q.start, tz),
      end: formatInstant(q.end, tz),
      minutes: q.minutes,
      lines: q.lines.map((l) => lineView(l, tz)),
      total: q.total,
    };
  }
}

function lineView(l: FeeLine, tz: string): FeeLineView {
  return { ...l, start: formatInstant(l.start, tz), end: formatInstant(l.end, tz) };
}
