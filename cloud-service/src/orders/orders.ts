// A customer's orders as the hubs replicated them: the `booking:` documents that carry one of the
// customer's ids (today's, or the one from before ids were keyed); a booking made for one of the
// customer's intents carries it too. The stores to look in come from the customer index (every
// store that published a booking with the customer's id, kiosk bookings included, and every store
// the customer sent a booking request to); in each, the store's view returns only that customer's
// bookings. A table's joiners are not among them (the booking is its starter's): their seats are
// "my tables". Read-only: the hub is the only writer of bookings, ledgers and sessions.
import {
  BookingDocSchema,
  LedgerDocSchema,
  MemberDocSchema,
  SessionDocSchema,
  bookingDocId,
  customerIdForPhone,
  sessionDocId,
  storeDbName,
  IdPartSchema,
  type BookingDoc,
  type MemberDoc,
  type MemberDiscount,
  type LedgerDoc,
  type SessionDoc,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { CustomerIndex } from './customers';
import type { DesignDocs } from '../design-docs';
import { decodeCursor, encodeCursor, newestFirst, pastCursor } from './page-cursor';

export interface CustomerOrderDeps {
  couch: CouchClient;
  views: DesignDocs;
  customers: CustomerIndex;
}

export interface OrderDetail {
  booking: BookingDoc;
  ledger: LedgerDoc[];
  session: SessionDoc | null;
}

/** How many bookings a page of "my orders" holds unless the caller asks for fewer or more. */
export const MY_ORDERS_PAGE = 20;

export class CustomerOrders {
  constructor(private readonly d: CustomerOrderDeps) {}

  /**
   * A page of the customer's bookings across every store that holds one, newest start first: at
   * most `limit`, after the booking `before` names (the `next` of the page before). What a page
   * costs is a page per store, not the customer's history: each store's view gives the bookings
   * with the customer's id by time. A booking the store made for one of the customer's intents
   * carries the intent's customer id (the hub stamps it as it books), so it is among them; the
   * store is in the customer index from the moment the intent was sent.
   */
  async page(
    customerIds: readonly string[],
    { limit = MY_ORDERS_PAGE, before }: { limit?: number | undefined; before?: string | undefined },
  ): Promise<{ bookings: BookingDoc[]; next: string | null }> {
    const { views } = this.d;
    const cursor = before === undefined ? undefined : decodeCursor(before);
    // A page and one more from each source, which tells whether another page follows; the
    // cursor's own row comes back too (ranges are inclusive), so one more again after a cursor.
    // With one too few, the last page of a store read to the full was followed by an empty one.
    const wanted = limit + (cursor ? 2 : 1);
    const perStore = await Promise.all(
      (await this.storesOf(customerIds)).map(async (storeId) => {
        const ranges = await Promise.all(
          customerIds.map((id) =>
            views.store(storeId, 'lookup', {
              startkey: ['booking-customer-at', id, ...(cursor ?? [{}])],
              endkey: ['booking-customer-at', id],
              descending: true,
              includeDocs: true,
              limit: wanted,
            }),
          ),
        );
        const bookings = new Map<string, BookingDoc>();
        for (const row of ranges.flat()) {
          const parsed = BookingDocSchema.safeParse(row.doc);
          if (
            parsed.success &&
            isTheirs(parsed.data, storeId, customerIds) &&
            pastCursor(cursor, parsed.data)
          ) {
            bookings.set(parsed.data.bookingId, parsed.data);
          }
        }
        // A source read to its limit may hold more than it gave, whatever of it was kept.
        const full = ranges.some((rows) => rows.length === wanted);
        return { bookings: [...bookings.values()], full };
      }),
    );
    const all = perStore.flatMap((s) => s.bookings).sort(newestFirst);
    const more = perStore.some((s) => s.full);
    // Each store gave its own bookings up to past the page's end, so the page is the newest
    // `limit` of them all, and another follows when there were more.
    const bookings = all.slice(0, limit);
    const last = bookings.at(-1);
    return {
      bookings,
      next: (all.length > limit || more) && last ? encodeCursor(last.start, last.bookingId) : null,
    };
  }

  /** One of the customer's bookings with its money movements and session, or undefined. */
  async find(customerIds: readonly string[], bookingId: string): Promise<OrderDetail | undefined> {
    if (!IdPartSchema.safeParse(bookingId).success) return undefined;
    const { couch } = this.d;
    for (const storeId of await this.storesOf(customerIds)) {
      const db = storeDbName(storeId);
      const parsed = BookingDocSchema.safeParse(await couch.get(db, bookingDocId(bookingId)));
      if (!parsed.success || !isTheirs(parsed.data, storeId, customerIds)) continue;
      const ledger = (await couch.byPrefix(db, `ledger:${bookingId}:`)).flatMap((d) => {
        const p = LedgerDocSchema.safeParse(d);
        return p.success ? [p.data] : [];
      });
      const session = SessionDocSchema.safeParse(await couch.get(db, sessionDocId(bookingId)));
      return { booking: parsed.data, ledger, session: session.success ? session.data : null };
    }
    return undefined;
  }

  /**
   * The customer's memberships: in each store that holds a booking of theirs, the member document
   * its hub published under one of their ids.
   */
  async memberships(customerIds: readonly string[]): Promise<MemberDoc[]> {
    const keys = customerIds.map((id) => ['member-customer', id]);
    const perStore = await Promise.all(
      (await this.storesOf(customerIds)).map(async (storeId) =>
        (await this.d.views.store(storeId, 'lookup', { keys, includeDocs: true })).flatMap((r) => {
          const p = MemberDocSchema.safeParse(r.doc);
          return p.success && p.data.storeId === storeId ? [p.data] : [];
        }),
      ),
    );
    return perStore.flat().sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  }

  /** The member's level discount at a store, as the store prices with it (none: no level). */
  async discountOf(storeId: string, phone: string | undefined, key: string) {
    return levelDiscount(
      phone ? await this.memberOf(storeId, customerIdForPhone(phone, key)) : undefined,
    );
  }

  /** The member document a store published under this customer id, if any. */
  async memberOf(storeId: string, customerId: string): Promise<MemberDoc | undefined> {
    const rows = await this.d.views.store(storeId, 'lookup', {
      keys: [['member-customer', customerId]],
      includeDocs: true,
    });
    for (const r of rows) {
      const p = MemberDocSchema.safeParse(r.doc);
      if (p.success && p.data.storeId === storeId) return p.data;
    }
    return undefined;
  }

  /** The stores the customer index names for any of the customer's ids. */
  private async storesOf(customerIds: readonly string[]): Promise<string[]> {
    const stores = new Set<string>();
    for (const id of customerIds)
      for (const s of await this.d.customers.storesOf(id)) stores.add(s);
    return [...stores];
  }
}

/** A booking of this store that carries one of the customer's ids. */
function isTheirs(b: BookingDoc, storeId: string, customerIds: readonly string[]): boolean {
  return b.storeId === storeId && b.customerId !== undefined && customerIds.includes(b.customerId);
}

/**
 * A hub document as the API shows it: without CouchDB's own fields, and without a booking's door
 * code, which only its booker's order page shows (OrderService.detail).
 */
export function publicDoc<T extends object>(doc: T): Omit<T, '_id' | '_rev' | 'door'> {
  const {
    _id: _i,
    _rev: _r,
    door: _d,
    ...rest
  } = doc as T & { _id?: string; _rev?: string; door?: unknown };
  return rest as Omit<T, '_id' | '_rev' | 'door'>;
}

/** The discount a member's level gives, as the store that published it prices with it. */
export function levelDiscount(member: MemberDoc | undefined): MemberDiscount | null {
  return member?.level && member.privileges
    ? {
        level: member.level.name,
        roomPercentOff: member.privileges.roomPercentOff,
        itemPercentOff: member.privileges.itemPercentOff,
      }
    : null;
}
