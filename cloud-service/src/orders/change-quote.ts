// The price of moving a customer's paid booking, read from what the store published: the new
// time (in its room or another of the store) billed as the store bills a moved booking, with the
// customer's member level, the coupons the booking holds and the points it spent, refused at once when the store's days show someone else there, then the
// change fee and what comes back or is still to pay (booking-changes.ts). The hub still decides.
import {
  customerIdForPhone,
  DomainError,
  type BookingDoc,
  type ChangeQuoteQuerySchema,
  type ChangeQuoteView,
  type CouponOffer,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { CustomerIdentity } from '../auth/tokens';
import type { StoreService } from '../stores/store.service';
import { refuseUnapplied } from '../stores/quotes';
import { assertChangeable, changeView } from './booking-changes';
import { levelDiscount, type CustomerOrders } from './orders';

export interface ChangeQuoteDeps {
  stores: StoreService;
  orders: CustomerOrders;
  /** The key customer ids are made with: the phone names the member the store knows. */
  customerIdKey: string;
  /** The coupons a booking holds, as its store published them (coupons/cloud-coupons.ts). */
  heldCoupons?: (
    storeId: string,
    bookingId: string,
    customerIds: readonly string[],
  ) => Promise<CouponOffer[]>;
}

/**
 * What moving booking `b` to `asked` costs this customer, checked by the store's change rules
 * now; a time the store's published days show taken is refused (`slot_taken`, naming start).
 */
export async function quoteChange(
  d: ChangeQuoteDeps,
  who: CustomerIdentity,
  b: BookingDoc,
  asked: z.output<typeof ChangeQuoteQuerySchema>,
): Promise<ChangeQuoteView> {
  const nowMs = d.stores.now();
  const own = await d.stores.bookableRoom(b.storeId, b.roomId);
  assertChangeable(b, d.stores.rulesOf(own), nowMs);
  const found =
    asked.roomId === undefined || asked.roomId === b.roomId
      ? own
      : await d.stores.bookableRoom(b.storeId, asked.roomId);
  const member = who.phone
    ? await d.orders.memberOf(b.storeId, customerIdForPhone(who.phone, d.customerIdKey))
    : undefined;
  // The store bills a moved booking again with the coupons it holds and the points it spent, at
  // the new time's promotions: the same here, or a dearer time's difference would never match.
  const coupons = await (d.heldCoupons?.(
    b.storeId,
    b.bookingId,
    b.customerId !== undefined ? [b.customerId] : [],
  ) ?? Promise.resolve([]));
  const spent = -b.lines.filter((l) => l.kind === 'points').reduce((s, l) => s + l.amount, 0);
  const perPoint = found.store.fenPerPoint ?? 0;
  const quote = d.stores.priceBooking(
    found,
    { start: asked.start, end: asked.end },
    b.partySize,
    levelDiscount(member),
    member?.privileges?.extraBookingDays ?? 0,
    {
      coupons,
      ...(spent > 0 && perPoint > 0 ? { points: Math.round(spent / perPoint) } : {}),
    },
  );
  // A coupon the new time cannot take (its hours, its room kind) is refused, as the store would.
  refuseUnapplied(quote);
  // Said before asking when the store has published someone else's time there (the booking's
  // own stretch and its cleaning passed over); the store still decides.
  const buffer = d.stores.rulesOf(found).bufferMinutes * 60_000;
  const sameRoom = found.room.roomId === b.roomId;
  if (
    await d.stores.takenWithin(
      b.storeId,
      found.room.roomId,
      quote.start,
      quote.end + buffer,
      sameRoom ? { from: Date.parse(b.start), to: Date.parse(b.end) + buffer } : undefined,
    )
  ) {
    throw new DomainError(
      'conflict',
      'slot_taken',
      'this time is no longer free in this room',
      'start',
    );
  }
  // The fee by the rules the booking was made under, as the hub charges it.
  return changeView(b, d.stores.rulesOf(own), d.stores.quoteViewOf(found, quote), nowMs);
}
