// Quotes in the cloud with the hub's own pure pricing (shared-types), from the store's published
// price plan, time zone and day-type overrides, so the customer is shown what the hub will charge.
import {
  DomainError,
  makeDayTypeResolver,
  PricingError,
  quotePackage,
  quoteSpan,
  type Quote,
  type QuoteView,
} from '@roomhub/shared-types';
import type { RoomProfileDoc, StoreProfileDoc } from '@roomhub/shared-types';

export interface SpanInput {
  start: string;
  end?: string | undefined;
  packageId?: string | undefined;
}

export function quoteRoom(store: StoreProfileDoc, room: RoomProfileDoc, span: SpanInput): Quote {
  const ctx = { timeZone: store.timeZone, dayType: makeDayTypeResolver(store.calendar) };
  const start = Date.parse(span.start);
  try {
    if (span.packageId !== undefined)
      return quotePackage(room.pricePlan, span.packageId, start, ctx);
    return quoteSpan(room.pricePlan, { start, end: Date.parse(span.end ?? '') }, ctx);
  } catch (error) {
    // Mapped as the hub maps them, so a screen reads the same status from either server.
    if (error instanceof PricingError) {
      const kind = error.code === 'package_unavailable' ? 'conflict' : 'invalid';
      throw new DomainError(kind, error.code, error.message, error.field);
    }
    if (error instanceof RangeError) {
      throw new DomainError('invalid', 'invalid_span', error.message, 'start');
    }
    throw error;
  }
}

/** The quote as the API shows it: instants as ISO strings. */
export function quoteView(q: Quote): QuoteView {
  return {
    start: new Date(q.start).toISOString(),
    end: new Date(q.end).toISOString(),
    minutes: q.minutes,
    total: q.total,
    lines: q.lines.map((l) => ({
      ...l,
      start: new Date(l.start).toISOString(),
      end: new Date(l.end).toISOString(),
    })),
  };
}
