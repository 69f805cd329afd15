// The platform's watch over the stores' bookings (P4, B8): each customer's recent bookings kept
// in the anomalies database, one customer's bookings that overlap (in one store or two), and a
// cancelled booking whose money the store kept. Reads only the bookings it is handed; never a
// store's database.
import { BookingDocSchema, type BookingDoc } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';
import { ANOMALIES_DB, DAY, anomalyId, iso, raiseAnomaly, updateWorking } from './anomaly-store';

/** Bookings ending longer ago than this leave a customer's recent list. */
const KEEP_BOOKINGS_MS = DAY;
const ACTIVE = new Set(['pending_payment', 'paid', 'in_use']);

interface CustomerBookings extends CouchDoc {
  bookings: Record<
    string,
    {
      storeId: string;
      bookingId: string;
      roomId: string;
      start: string;
      end: string;
      status: string;
    }
  >;
}

/** A store's booking as its hub published it, when the document is one of that store's. */
function bookingOf(storeId: string, doc: CouchDoc): BookingDoc | undefined {
  if (!doc._id.startsWith('booking:')) return undefined;
  const parsed = BookingDocSchema.safeParse(doc);
  return parsed.success && parsed.data.storeId === storeId ? parsed.data : undefined;
}

/**
 * Puts `b` into the customer's bookings (those ended a day before it dropped); whether it was
 * not there as it is (the ones dropped alone are not worth a write).
 */
function keepBooking(d: CustomerBookings, storeId: string, b: BookingDoc): boolean {
  const key = `${storeId}:${b.bookingId}`;
  const end = iso(Date.parse(b.end));
  const before = d.bookings[key];
  const oldest = Date.parse(end) - KEEP_BOOKINGS_MS;
  for (const [k, v] of Object.entries(d.bookings)) {
    if (Date.parse(v.end) < oldest) delete d.bookings[k];
  }
  const next = {
    storeId,
    bookingId: b.bookingId,
    roomId: b.roomId,
    start: iso(Date.parse(b.start)),
    end,
    status: b.status,
  };
  if (before && JSON.stringify(before) === JSON.stringify(next)) return false;
  d.bookings[key] = next;
  return true;
}

export class BookingAnomalies {
  constructor(private readonly couch: CouchClient) {}

  /**
   * A page of a store's changes: each customer's bookings kept in one read and one write for the
   * page (a customer booked several times in a burst), the anomalies raised as for one change. A
   * customer's document another writer changed meanwhile is kept booking by booking instead.
   */
  async bookings(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const byCustomer = new Map<string, BookingDoc[]>();
    for (const doc of docs) {
      const b = bookingOf(storeId, doc);
      if (!b) continue;
      if (!b.customerId) {
        await this.keptMoney(storeId, b);
        continue;
      }
      byCustomer.set(b.customerId, [...(byCustomer.get(b.customerId) ?? []), b]);
    }
    if (byCustomer.size === 0) return;
    const ids = [...byCustomer.keys()].map((c) => `cb:${c}`);
    const found = new Map(
      (await this.couch.byIds<CustomerBookings>(ANOMALIES_DB, ids)).map((d) => [d._id, d]),
    );
    const kept = new Map<string, CustomerBookings>();
    for (const [customerId, list] of byCustomer) {
      const id = `cb:${customerId}`;
      const mine = found.get(id) ?? { _id: id, bookings: {} };
      const changed = list.map((b) => keepBooking(mine, storeId, b)).some(Boolean);
      kept.set(id, mine);
      if (!changed) found.delete(id);
      else found.set(id, mine);
    }
    const written = await this.couch.bulkDocs(ANOMALIES_DB, [...found.values()]);
    const lost = new Set<string>();
    for (const result of written) {
      if (!('error' in result)) continue;
      if (!isConflict(result.error)) throw result.error;
      lost.add(result.id);
    }
    for (const [customerId, list] of byCustomer) {
      const id = `cb:${customerId}`;
      for (const b of list) {
        if (lost.has(id)) await this.booking(storeId, b);
        else await this.afterKept(storeId, b, kept.get(id)!);
      }
    }
  }

  /** One booking change of a store, kept on its own in the customer's bookings. */
  async booking(storeId: string, doc: CouchDoc | BookingDoc): Promise<void> {
    const b = 'bookingId' in doc ? (doc as BookingDoc) : bookingOf(storeId, doc);
    if (!b) return;
    const customerId = b.customerId;
    if (!customerId) return this.keptMoney(storeId, b);
    const mine = await updateWorking<CustomerBookings>(
      this.couch,
      `cb:${customerId}`,
      () => ({ _id: `cb:${customerId}`, bookings: {} }),
      (d) => keepBooking(d, storeId, b),
    );
    await this.afterKept(storeId, b, mine);
  }

  /** A cancelled booking whose money the store kept. */
  private async keptMoney(storeId: string, b: BookingDoc): Promise<void> {
    if (b.status === 'cancelled' && b.totals.paid - b.totals.refunded > 0) {
      await raiseAnomaly(this.couch, {
        _id: anomalyId(
          Date.parse(b.updatedAt),
          'payment_without_booking',
          `${storeId}.${b.bookingId}`,
        ),
        kind: 'payment_without_booking',
        raisedBy: 'platform',
        storeId,
        at: iso(Date.parse(b.updatedAt)),
        roomId: b.roomId,
        bookingId: b.bookingId,
        customerId: b.customerId ?? null,
        facts: { reason: 'cancelled_kept', kept: b.totals.paid - b.totals.refunded },
      });
    }
  }

  /** Once the customer's bookings hold `b`: money kept, and another booking at the same time. */
  private async afterKept(storeId: string, b: BookingDoc, mine: CustomerBookings): Promise<void> {
    await this.keptMoney(storeId, b);
    const customerId = b.customerId;
    if (!customerId || !ACTIVE.has(b.status)) return;
    const key = `${storeId}:${b.bookingId}`;
    const start = iso(Date.parse(b.start));
    const end = iso(Date.parse(b.end));
    for (const [k, other] of Object.entries(mine.bookings)) {
      if (k === key || !ACTIVE.has(other.status)) continue;
      if (!(
        Date.parse(other.start) < Date.parse(end) && Date.parse(start) < Date.parse(other.end)
      )) {
        continue;
      }
      const [first, second] = [key, k].sort();
      const firstOf = first === key ? { storeId, bookingId: b.bookingId, start } : other;
      const secondOf = first === key ? other : { storeId, bookingId: b.bookingId, start };
      await raiseAnomaly(this.couch, {
        _id: anomalyId(
          Math.max(Date.parse(start), Date.parse(other.start)),
          'duplicate_booking',
          `${first}.${second}`.replaceAll(':', '.'),
        ),
        kind: 'duplicate_booking',
        raisedBy: 'platform',
        storeId: firstOf.storeId,
        at: iso(Math.max(Date.parse(start), Date.parse(other.start))),
        roomId: null,
        bookingId: firstOf.bookingId,
        customerId,
        facts: {
          otherStoreId: secondOf.storeId,
          otherBookingId: secondOf.bookingId,
          start: firstOf.start,
          otherStart: secondOf.start,
        },
      });
    }
  }
}
