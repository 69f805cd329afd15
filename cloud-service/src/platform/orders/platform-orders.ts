// Every order across the stores (P4), kept from the stores' change feeds as the follower reads
// them: one compact row per booking in `analytics`, `order:<day placed>:<storeId>:<bookingId>`
// (the platform's day, Asia/Shanghai, so a day's rows are one key range), rewritten when a newer
// copy of the booking arrives (its status, paid and refunded totals follow the ledger), and each
// room's name from its profile. The list reads the key ranges of the days asked, one day at a
// time from the newest, stopping once the page is full: never a store's database. The phone is
// known for an order booked online (from its intent in the store's inbox, read once by id) or when the list is asked
// for a phone; a store's own booking carries only the id the phone gives. Writes `analytics`.
//
// The follower's checkpoint is one per store for all it does, so bookings it read before this
// list existed (or before the rows changed shape) would never reach it: `catchUp()` reads each
// store's database from its beginning once per version of the rows, a page at a time with its
// own checkpoint (`orders-catch-up:<storeId>`), and writes what is missing. A row never goes
// back to an older copy of its booking, so the catch-up and the follower may run side by side.
import {
  BookingDocSchema,
  LedgerDocSchema,
  RoomProfileDocSchema,
  customerIdForPhone,
  formerCustomerIdForPhone,
  intentDocId,
  localDateOf,
  storeDbName,
  storeInboxDbName,
  type BookingDoc,
  type BookingStatus,
  type Clock,
  type PlatformOrderLedgerLine,
  type PlatformOrderPage,
  type PlatformOrderQuery,
  type PlatformOrderRow,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc, type Seq } from '../../couch';
import { provisionedStores } from '../../stores/registry';
import { maskPhone } from '../../account/mask-phone';
import { ANALYTICS_DB, PLATFORM_TIME_ZONE } from '../analytics/platform-analytics';

const DAY = 24 * 3_600_000;
/**
 * The rows' version: a new one (a field added, a change of what a row holds) reads every store
 * from its beginning again at the next sweep.
 */
export const ORDER_ROWS_VERSION = 1;
/** Changes read per request when catching up. */
const CATCH_UP_PAGE = 200;
/** Pages read per sweep, over all stores: the rest waits for the next sweep. */
const CATCH_UP_PAGES_PER_SWEEP = 25;

interface CatchUpDoc extends CouchDoc {
  type: 'platform_orders_catch_up';
  version: number;
  /** Where the read of the store's changes stands; done once it reached the end. */
  since: Seq;
  done: boolean;
}
const catchUpId = (storeId: string) => `orders-catch-up:${storeId}`;

interface OrderDoc extends CouchDoc {
  type: 'platform_order';
  storeId: string;
  bookingId: string;
  roomId: string;
  placedAt: string;
  start: string;
  end: string;
  status: BookingStatus;
  amount: number;
  paid: number;
  refunded: number;
  source: 'online' | 'store';
  customerId: string | null;
  /** Masked already: the full number is never kept here. */
  phone: string | null;
  updatedAt: string;
}
interface RoomDoc extends CouchDoc {
  storeId: string;
  roomId: string;
  name: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const orderId = (date: string, storeId: string, bookingId: string) =>
  `order:${date}:${storeId}:${bookingId}`;
const roomDocId = (storeId: string, roomId: string) => `room:${storeId}:${roomId}`;
/** When a booking was placed: its first step, never changed, so neither is its row's id. */
const placedMsOf = (b: BookingDoc) => Date.parse(b.history[0]?.at ?? b.updatedAt);
const rowIdOf = (storeId: string, b: BookingDoc) =>
  orderId(localDateOf(placedMsOf(b), PLATFORM_TIME_ZONE), storeId, b.bookingId);
/** Newest first: placed later first, then by id. */
const newerFirst = (a: OrderDoc, b: OrderDoc) =>
  a.placedAt === b.placedAt ? (a._id < b._id ? 1 : -1) : a.placedAt < b.placedAt ? 1 : -1;
/** A row's place in the list, as a cursor says it. */
const placeOf = (o: OrderDoc) => `${o.placedAt}|${o._id}`;

export class PlatformOrders {
  constructor(
    private readonly d: {
      couch: CouchClient;
      clock: Clock;
      customerIdKey: string;
      storeNames: () => Promise<Map<string, string>>;
    },
  ) {}

  /**
   * Brings every store's rows up to what its database holds, for each store not yet read from
   * its beginning at this version, reading at most `pages` pages of changes over all stores (the
   * rest at the next call); the number of stores read. Resumes where a stopped run left.
   */
  async catchUp(pages = CATCH_UP_PAGES_PER_SWEEP): Promise<number> {
    const budget = { pages };
    const stores = await provisionedStores(this.d.couch);
    const marks = new Map(
      (await this.d.couch.byIds<CatchUpDoc>(ANALYTICS_DB, stores.map(catchUpId))).map((m) => [
        m._id,
        m,
      ]),
    );
    let read = 0;
    for (const storeId of stores) {
      const mark = marks.get(catchUpId(storeId));
      if (mark?.version === ORDER_ROWS_VERSION && mark.done) continue;
      if (budget.pages <= 0) break;
      await this.catchUpStore(
        budget,
        storeId,
        mark?.version === ORDER_ROWS_VERSION ? mark : undefined,
        mark?._rev,
      );
      read += 1;
    }
    return read;
  }

  private async catchUpStore(
    budget: { pages: number },
    storeId: string,
    from: CatchUpDoc | undefined,
    rev: string | undefined,
  ): Promise<void> {
    let since: Seq = from?.since ?? 0;
    for (;;) {
      const page = await this.d.couch.changes(storeDbName(storeId), {
        since,
        limit: CATCH_UP_PAGE,
        includeDocs: true,
      });
      if (!page) return;
      await this.fromChanges(
        storeId,
        page.results.flatMap((c) => (!c.deleted && c.doc ? [c.doc] : [])),
      );
      since = page.lastSeq;
      const done = page.results.length < CATCH_UP_PAGE;
      const mark: CatchUpDoc = {
        _id: catchUpId(storeId),
        ...(rev ? { _rev: rev } : {}),
        type: 'platform_orders_catch_up',
        version: ORDER_ROWS_VERSION,
        since,
        done,
      };
      try {
        rev = await this.d.couch.put(ANALYTICS_DB, mark);
      } catch (error) {
        // Another instance caught up at the same time: its mark stands, and ours goes on.
        if (!isConflict(error)) throw error;
        rev = (await this.d.couch.get<CatchUpDoc>(ANALYTICS_DB, mark._id))?._rev;
      }
      budget.pages -= 1;
      if (done || budget.pages <= 0) return;
    }
  }

  /** One change of a store's database, as the follower reads it. */
  async fromChange(storeId: string, doc: CouchDoc): Promise<void> {
    const b = this.bookingOf(storeId, doc);
    if (b) return this.booking(storeId, b);
    if (doc._id.startsWith('profile:room:')) return this.room(storeId, doc);
  }

  /**
   * A page of a store's changes, as the follower reads it: its bookings' rows read in one request
   * and written in another (a booking appears once in a page), a row another writer changed
   * meanwhile again on its own.
   */
  async fromChanges(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const bookings = new Map<string, BookingDoc>();
    for (const doc of docs) {
      if (doc._id.startsWith('profile:room:')) await this.room(storeId, doc);
      const b = this.bookingOf(storeId, doc);
      if (b) bookings.set(rowIdOf(storeId, b), b);
    }
    if (bookings.size === 0) return;
    const rows = await this.d.couch.byIds<OrderDoc>(ANALYTICS_DB, [...bookings.keys()]);
    const old = new Map(rows.map((row) => [row._id, row]));
    const writes: OrderDoc[] = [];
    for (const [id, b] of bookings) {
      const row = await this.rowOf(storeId, b, old.get(id));
      if (row) writes.push(row);
    }
    for (const result of await this.d.couch.bulkDocs(ANALYTICS_DB, writes)) {
      if (!('error' in result)) continue;
      if (!isConflict(result.error)) throw result.error;
      await this.booking(storeId, bookings.get(result.id)!);
    }
  }

  private bookingOf(storeId: string, doc: CouchDoc): BookingDoc | undefined {
    if (!doc._id.startsWith('booking:')) return undefined;
    const parsed = BookingDocSchema.safeParse(doc);
    return parsed.success && parsed.data.storeId === storeId ? parsed.data : undefined;
  }

  private async booking(storeId: string, b: BookingDoc): Promise<void> {
    const id = rowIdOf(storeId, b);
    for (let attempt = 0; ; attempt++) {
      const row = await this.rowOf(storeId, b, await this.d.couch.get<OrderDoc>(ANALYTICS_DB, id));
      if (!row) return;
      try {
        await this.d.couch.put(ANALYTICS_DB, row);
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 8) throw error;
      }
    }
  }

  /** The booking's row to write over `old` (with its revision); undefined when `old` stands. */
  private async rowOf(
    storeId: string,
    b: BookingDoc,
    old: OrderDoc | undefined,
  ): Promise<OrderDoc | undefined> {
    if (old && Date.parse(old.updatedAt) > Date.parse(b.updatedAt)) return undefined;
    const phone = old?.phone ?? (b.intentId ? await this.phoneOf(storeId, b.intentId) : null);
    const placedMs = placedMsOf(b);
    const row: OrderDoc = {
      _id: rowIdOf(storeId, b),
      type: 'platform_order',
      storeId,
      bookingId: b.bookingId,
      roomId: b.roomId,
      placedAt: iso(placedMs),
      start: iso(Date.parse(b.start)),
      end: iso(Date.parse(b.end)),
      status: b.status,
      amount: b.totals.amount,
      paid: b.totals.paid,
      refunded: b.totals.refunded,
      source: b.intentId ? 'online' : 'store',
      customerId: b.customerId ?? null,
      phone,
      updatedAt: iso(Date.parse(b.updatedAt)),
    };
    if (old && sameRow(old, row)) return undefined;
    return { ...row, ...(old?._rev ? { _rev: old._rev } : {}) };
  }

  /** The phone an online booking's intent gave, masked; null when the intent says none. */
  private async phoneOf(storeId: string, intentId: string): Promise<string | null> {
    const intent = await this.d.couch.get(storeInboxDbName(storeId), intentDocId(intentId));
    const body = intent?.body as { booking?: { customer?: { phone?: unknown } } } | undefined;
    const phone = body?.booking?.customer?.phone;
    return typeof phone === 'string' ? maskPhone(phone) : null;
  }

  private async room(storeId: string, doc: CouchDoc): Promise<void> {
    const parsed = RoomProfileDocSchema.safeParse(doc);
    if (!parsed.success || parsed.data.storeId !== storeId) return;
    const { roomId, name } = parsed.data;
    const id = roomDocId(storeId, roomId);
    for (let attempt = 0; ; attempt++) {
      const old = await this.d.couch.get<RoomDoc>(ANALYTICS_DB, id);
      if (old?.name === name) return;
      try {
        await this.d.couch.put(ANALYTICS_DB, {
          _id: id,
          ...(old?._rev ? { _rev: old._rev } : {}),
          storeId,
          roomId,
          name,
        });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 8) throw error;
      }
    }
  }

  /** A page of orders, newest first: the days asked are read one key range at a time. */
  async list(query: PlatformOrderQuery): Promise<PlatformOrderPage> {
    const today = localDateOf(this.d.clock.now(), PLATFORM_TIME_ZONE);
    const to = query.to ?? (query.from && query.from > today ? query.from : today);
    const from = query.from ?? (to < today ? to : today);
    const customerIds = query.phone
      ? new Set([
          customerIdForPhone(query.phone, this.d.customerIdKey),
          formerCustomerIdForPhone(query.phone),
        ])
      : undefined;
    const after = query.cursor;
    const cursorDay = after ? /\|order:(\d{4}-\d{2}-\d{2}):/.exec(after)?.[1] : undefined;
    const rows: OrderDoc[] = [];
    let more = false;
    for (
      let dayMs = Date.parse(`${cursorDay && cursorDay < to ? cursorDay : to}T00:00:00Z`);
      dayMs >= Date.parse(`${from}T00:00:00Z`) && !more;
      dayMs -= DAY
    ) {
      const date = iso(dayMs).slice(0, 10);
      const prefix = query.storeId ? `order:${date}:${query.storeId}:` : `order:${date}:`;
      const day = (await this.d.couch.byPrefix<OrderDoc>(ANALYTICS_DB, prefix))
        .filter(
          (o) =>
            o.type === 'platform_order' &&
            (!query.status || o.status === query.status) &&
            (!customerIds || (o.customerId !== null && customerIds.has(o.customerId))) &&
            (!after || placeOf(o) < after),
        )
        .sort(newerFirst);
      for (const o of day) {
        if (rows.length === query.limit) {
          more = true;
          break;
        }
        rows.push(o);
      }
    }
    const [names, rooms] = await Promise.all([
      this.d.storeNames(),
      this.d.couch.byIds<RoomDoc>(ANALYTICS_DB, [
        ...new Set(rows.map((o) => roomDocId(o.storeId, o.roomId))),
      ]),
    ]);
    const roomNames = new Map(rooms.map((r) => [r._id, r.name]));
    const asked = query.phone ? maskPhone(query.phone) : null;
    return {
      from,
      to,
      orders: rows.map((o): PlatformOrderRow => ({
        storeId: o.storeId,
        storeName: names.get(o.storeId) ?? null,
        bookingId: o.bookingId,
        roomId: o.roomId,
        roomName: roomNames.get(roomDocId(o.storeId, o.roomId)) ?? null,
        placedAt: o.placedAt,
        start: o.start,
        end: o.end,
        status: o.status,
        amount: o.amount,
        paid: o.paid,
        refunded: o.refunded,
        source: o.source,
        phone: o.phone ?? asked,
      })),
      next: more && rows.length > 0 ? placeOf(rows[rows.length - 1]!) : null,
    };
  }

  /** An order's money movements, oldest first: one key range of its store's ledger. */
  async ledger(storeId: string, bookingId: string): Promise<PlatformOrderLedgerLine[]> {
    const docs = await this.d.couch.byPrefix(storeDbName(storeId), `ledger:${bookingId}:`);
    return docs
      .flatMap((doc) => {
        const e = LedgerDocSchema.safeParse(doc);
        return e.success && e.data.storeId === storeId && e.data.bookingId === bookingId
          ? [e.data]
          : [];
      })
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .map((e) => ({
        entryId: e.entryId,
        kind: e.kind,
        method: e.method,
        amount: e.amount,
        at: iso(Date.parse(e.at)),
        note: e.note ?? null,
      }));
  }
}

function sameRow(a: OrderDoc, b: OrderDoc): boolean {
  const { _rev: _a, ...x } = a;
  const { _rev: _b, ...y } = b;
  void _a;
  void _b;
  return JSON.stringify(x) === JSON.stringify(y);
}
