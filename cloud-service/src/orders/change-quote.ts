// The price of moving a customer's paid booking, read from what the store published: the new
// time (in its room or another of the store) priced as a new booking would be for this customer,
// member level included, refused at once when the store's days show someone else there, then the
// change fee and what comes back or is still to pay (booking-changes.ts). The hub still decides.
import {
  customerIdForPhone,
  DomainError,
  type BookingDoc,
  type ChangeQuoteQuerySchema,
  type ChangeQuoteView,
} from '@roomhub/shared-types';
import type { z } from 'zod';
import type { CustomerIdentity } from '../auth/tokens';
import type { StoreService } from '../stores/store.service';
import { assertChangeable, changeView } from './booking-changes';
import type { CustomerOrders } from './orders';

export interface ChangeQuoteDeps {
  stores: StoreService;
  orders: CustomerOrders;
  /** The key customer ids are made with: the phone names the member the store knows. */
  customerIdKey: string;
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
  const quote = d.stores.priceBooking(
    found,
    { start: asked.start, end: asked.end },
    b.partySize,
    member?.level && member.privileges
      ? {
          level: member.level.name,
          roomPercentOff: member.privileges.roomPercentOff,
          itemPercentOff: member.privileges.itemPercentOff,
        }
      : null,
    member?.privileges?.extraBookingDays ?? 0,
  );
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
