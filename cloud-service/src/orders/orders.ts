// A customer's orders as the hubs replicated them: the `booking:` documents that carry one of the
// customer's ids (today's, or the one from before ids were keyed), or that answered one of the
// customer's intents. The stores to look in come from
// the customer index (every store that published a booking with the customer's id, kiosk bookings
// included) and from the customer's own intents; in each, the store's view returns only that
// customer's bookings. Read-only: the hub is the only writer of bookings, ledgers and sessions.
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
import type { IntentRecord } from '../intents/intents';

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

export class CustomerOrders {
  constructor(private readonly d: CustomerOrderDeps) {}

  /** The customer's bookings across every store that holds one, newest start first. */
  async list(customerIds: readonly string[], intents: IntentRecord[]): Promise<BookingDoc[]> {
    const { couch, views } = this.d;
    const stores = await this.storesOf(customerIds, intents);
    const perStore = await Promise.all(
      stores.map(async ({ storeId, intentIds, answered, owns }) => {
        const keys = [
          ...customerIds.map((id) => ['booking-customer', id]),
          ...[...intentIds].map((id) => ['booking-intent', id]),
        ];
        const rows = await views.store(storeId, 'lookup', { keys, includeDocs: true });
        const found = rows.map((r) => r.doc);
        const seen = new Set(found.map((d) => d?._id));
        const missing = [...answered].map(bookingDocId).filter((id) => !seen.has(id));
        found.push(...(await couch.byIds(storeDbName(storeId), missing)));
        const bookings = new Map<string, BookingDoc>();
        for (const raw of found) {
          const parsed = BookingDocSchema.safeParse(raw);
          if (parsed.success && owns(parsed.data)) bookings.set(parsed.data.bookingId, parsed.data);
        }
        return [...bookings.values()];
      }),
    );
    return perStore.flat().sort((a, b) => b.start.localeCompare(a.start));
  }

  /** One of the customer's bookings with its money movements and session, or undefined. */
  async find(
    customerIds: readonly string[],
    intents: IntentRecord[],
    bookingId: string,
  ): Promise<OrderDetail | undefined> {
    if (!IdPartSchema.safeParse(bookingId).success) return undefined;
    const { couch } = this.d;
    for (const { storeId, owns } of await this.storesOf(customerIds, intents)) {
      const db = storeDbName(storeId);
      const parsed = BookingDocSchema.safeParse(await couch.get(db, bookingDocId(bookingId)));
      if (!parsed.success || !owns(parsed.data)) continue;
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
    const stores = new Set<string>();
    for (const id of customerIds)
      for (const s of await this.d.customers.storesOf(id)) stores.add(s);
    const keys = customerIds.map((id) => ['member-customer', id]);
    const perStore = await Promise.all(
      [...stores].map(async (storeId) =>
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

  /** The customer's intents by store, and whether a booking of that store is theirs. */
  private async storesOf(customerIds: readonly string[], intents: IntentRecord[]) {
    const byStore = new Map<string, IntentRecord[]>();
    for (const r of intents) byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r]);
    for (const id of customerIds) {
      for (const storeId of await this.d.customers.storesOf(id)) {
        if (!byStore.has(storeId)) byStore.set(storeId, []);
      }
    }
    return [...byStore].map(([storeId, mine]) => {
      const intentIds = new Set(mine.map((r) => r.intentId));
      const answered = new Set(
        mine.flatMap((r) => (r.answer?.bookingId ? [r.answer.bookingId] : [])),
      );
      const owns = (b: BookingDoc) =>
        b.storeId === storeId &&
        ((b.customerId !== undefined && customerIds.includes(b.customerId)) ||
          answered.has(b.bookingId) ||
          (b.intentId !== undefined && intentIds.has(b.intentId)));
      return { storeId, intentIds, answered, owns };
    });
  }
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
