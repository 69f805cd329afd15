// What a voucher may be used for, and the booking it makes (S2): its validity and window now, a
// booking inside its rooms, days, bands and party size, the walk-in booking it makes (now, or its
// session package's start), the hours it adds to a session going on. Checks and creates through
// the booking services; writes nothing of its own.
import {
  checkUse,
  DomainError,
  formatInstant,
  instantAt,
  localDateOf,
  minutesOfTimeOfDay,
  parseInstant,
  type Actor,
  type Clock,
  type Entitlement,
  type VoucherUse,
} from '@roomhub/shared-types';
import type { AfterCommit } from '../db/write-queue';
import type { BookingRecords, BookingRow } from '../booking/booking-records';
import type { BookingService } from '../booking/booking.service';
import { assertCanAct } from '../booking/ownership';
import type { CalendarService } from '../calendar/calendar.service';
import type { Extensions } from '../sessions/extensions';
import type { StoreService } from '../store/store.service';
import { movedAway, type OwnVouchers } from './own-vouchers';
import type { Found, RedemptionRecords, Refusal } from './redemption-records';

export interface VoucherUseDeps {
  clock: Clock;
  store: StoreService;
  calendar: CalendarService;
  records: BookingRecords;
  bookings: BookingService;
  extensions: Extensions;
  own: OwnVouchers;
  redemptions: RedemptionRecords;
  timeZone: () => string;
}

export class VoucherUses {
  constructor(private readonly d: VoucherUseDeps) {}

  /** Why the voucher cannot be used now at all (validity, window), before any booking is named. */
  refusalNow(found: Found): Refusal | null {
    const now = this.d.clock.now();
    const tz = this.d.timeZone();
    if (found.own) {
      // Read again: inside the redemption's write, a move or refund since the scan counts.
      const status = this.d.own.status(this.d.own.find(found.own.id) ?? found.own, now);
      if (status === 'refunded') {
        return { code: 'voucher_refunded', message: 'this voucher was refunded', params: {} };
      }
      if (status === 'moved')
        return { code: 'voucher_moved', message: movedAway().message, params: {} };
      if (status === 'used') {
        const at = formatInstant(this.d.redemptions.liveAt(found.key) ?? now, tz);
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
  withPackageBand(e: Entitlement, roomId: string | null): Entitlement {
    if (e.kind !== 'session' || e.bands.length > 0) return e;
    const rooms = roomId ? [this.d.store.getRoom(roomId)] : this.d.store.listRooms();
    const pkg = rooms.flatMap((r) => r.pricePlan.packages).find((p) => p.id === e.packageId);
    if (!pkg) return e;
    const end = (minutesOfTimeOfDay(pkg.start) + pkg.minutes) % (24 * 60);
    const hhmm = `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
    return { ...e, bands: [{ from: pkg.start, to: hhmm === pkg.start ? '24:00' : hhmm }] };
  }

  /** Throws why the voucher cannot be used now. */
  assertUsableNow(found: Found): void {
    const r = this.refusalNow(found);
    if (!r) return;
    // An expired voucher is gone for good (410), as the platforms say of theirs.
    const kind = r.code === 'voucher_expired' ? 'gone' : 'conflict';
    throw new DomainError(kind, r.code, r.message, 'text').with(r.params);
  }

  /** The booking a voucher makes, or the one it pays (whose it is checked). */
  bookingFor(
    use: Exclude<VoucherUse, { kind: 'extend' }>,
    found: Found,
    actor: Actor,
    afterCommit: AfterCommit,
  ): BookingRow {
    if (use.kind === 'pay') {
      const row = this.d.records.get(use.bookingId);
      assertCanAct(row, actor);
      this.d.bookings.assertVoucherMayPay(row);
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
      { byVoucher: true },
    );
    return this.d.records.get(made.id);
  }

  /** The voucher's hours added to a booking going on; its share is what they cost. */
  extendFor(
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

  /** Refuses a booking outside what the voucher buys. */
  assertFits(found: Found, booking: BookingRow): void {
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
}
