// What room time costs: the room's price plan under the store's calendar (holidays, make-up days,
// the owner's overrides), through the pure quote in shared-types. One place for bookings,
// extensions and overtime alike; it reads, decides nothing and writes nothing.
import {
  DomainError,
  parseInstant,
  PricingError,
  quotePackage,
  quoteSpan,
  type Quote,
} from '@roomhub/shared-types';
import type { CalendarService } from '../calendar/calendar.service';
import type { Room, StoreService } from '../store/store.service';

export interface SpanRequest {
  start: string;
  end?: string | undefined;
  packageId?: string | undefined;
}

export interface RoomPricesDeps {
  store: StoreService;
  calendar: CalendarService;
}

export class RoomPrices {
  constructor(private readonly d: RoomPricesDeps) {}

  private context() {
    return { timeZone: this.d.store.getStore().timeZone, dayType: this.d.calendar.resolver() };
  }

  /** A span or a session package as a customer asked for it; a price it cannot make is a 4xx. */
  quote(room: Room, req: SpanRequest): Quote {
    const start = parseInstant(req.start);
    try {
      if (req.packageId !== undefined)
        return quotePackage(room.pricePlan, req.packageId, start, this.context());
      return quoteSpan(room.pricePlan, { start, end: parseInstant(req.end!) }, this.context());
    } catch (e) {
      if (e instanceof PricingError) {
        // A package the room offers but not at that time conflicts with the calendar; the rest is
        // a request that breaks a rule.
        const kind = e.code === 'package_unavailable' ? 'conflict' : 'invalid';
        throw new DomainError(kind, e.code, e.message, e.field);
      }
      throw e;
    }
  }

  /** Room time between two instants, e.g. an extension or overtime. */
  span(roomId: string, start: number, end: number): Quote {
    return quoteSpan(this.d.store.getRoom(roomId).pricePlan, { start, end }, this.context());
  }
}
