// A customer's orders as the hubs replicated them: the `booking:` documents that carry the
// customer's id, or that answered one of the customer's booking requests. Read-only: the hub is
// the only writer of bookings, ledgers and sessions.
import {
  BookingDocSchema,
  LedgerDocSchema,
  SessionDocSchema,
  bookingDocId,
  sessionDocId,
  storeDbName,
  IdPartSchema,
  type BookingDoc,
  type LedgerDoc,
  type SessionDoc,
} from '../documents';
import type { CouchClient } from './couch';
import type { RequestDoc } from './requests';

/** The customer's bookings across the stores they made requests at, newest start first. */
export async function listOrders(
  couch: CouchClient,
  customerId: string,
  requests: RequestDoc[],
): Promise<BookingDoc[]> {
  const stores = new Set(requests.map((r) => r.storeId));
  const mine = new Set(requests.map((r) => r.intentId));
  const answered = new Set(
    requests.flatMap((r) => (r.answer?.bookingId ? [r.answer.bookingId] : [])),
  );
  const out: BookingDoc[] = [];
  for (const storeId of stores) {
    for (const raw of await couch.byPrefix(storeDbName(storeId), 'booking:')) {
      const parsed = BookingDocSchema.safeParse(raw);
      if (!parsed.success) continue;
      const b = parsed.data;
      if (
        b.customerId === customerId ||
        answered.has(b.bookingId) ||
        (b.intentId !== undefined && mine.has(b.intentId))
      ) {
        out.push(b);
      }
    }
  }
  return out.sort((a, b) => b.start.localeCompare(a.start));
}

export interface OrderDetail {
  booking: BookingDoc;
  ledger: LedgerDoc[];
  session: SessionDoc | null;
}

/** One of the customer's bookings with its money movements and session, or undefined. */
export async function findOrder(
  couch: CouchClient,
  customerId: string,
  requests: RequestDoc[],
  bookingId: string,
): Promise<OrderDetail | undefined> {
  if (!IdPartSchema.safeParse(bookingId).success) return undefined;
  const mine = new Set(requests.map((r) => r.intentId));
  for (const storeId of new Set(requests.map((r) => r.storeId))) {
    const db = storeDbName(storeId);
    const parsed = BookingDocSchema.safeParse(await couch.get(db, bookingDocId(bookingId)));
    if (!parsed.success) continue;
    const b = parsed.data;
    const answered = requests.some(
      (r) => r.storeId === storeId && r.answer?.bookingId === bookingId,
    );
    if (b.customerId !== customerId && !answered && !(b.intentId && mine.has(b.intentId))) continue;
    const ledger = (await couch.byPrefix(db, `ledger:${bookingId}:`)).flatMap((d) => {
      const p = LedgerDocSchema.safeParse(d);
      return p.success ? [p.data] : [];
    });
    const session = SessionDocSchema.safeParse(await couch.get(db, sessionDocId(bookingId)));
    return { booking: b, ledger, session: session.success ? session.data : null };
  }
  return undefined;
}

/** A hub document as the API shows it: without CouchDB's own fields. */
export function publicDoc<T extends object>(doc: T): Omit<T, '_id' | '_rev'> {
  const { _id: _i, _rev: _r, ...rest } = doc as T & { _id?: string; _rev?: string };
  return rest as Omit<T, '_id' | '_rev'>;
}
