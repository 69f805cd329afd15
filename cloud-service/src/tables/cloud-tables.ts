// Finding players online (C14): the open tables of a store with seats left, one table for anyone
// with its link, a signed-in customer's own tables (their share, the door code once filled), and
// the two intents a customer sends: start a table (the starter's share held) and join one (a
// share held). The cloud checks what it can first (the owner's hours and switch, the deadline,
// the price split as the store will split it, a seat left, no second seat) so a refusal costs
// nothing; the store still decides each intent once, and holds the room. Reads the tables the
// hub publishes; never writes a store's document and never moves money itself.
import type { z } from 'zod';
import {
  bookingDocId,
  BookingDocSchema,
  checkTableTimes,
  customerIdForPhone,
  DEFAULT_TABLE_SETTINGS,
  DomainError,
  notFound,
  splitShares,
  storeDbName,
  TABLE_SETTINGS_ID,
  tableDocId,
  TableDocSchema,
  TableSettingsDocSchema,
  type IntentView,
  type MyTable,
  type StoreTables,
  type TableDoc,
  type TableJoinBodySchema,
  type TableSettings,
  type TableStartBodySchema,
  type TableView,
} from '@roomhub/shared-types';
import { phoneNotLinked } from '../auth/phone-links';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import { intentView, type IntentService } from '../intents/intents';
import { levelDiscount, type CustomerOrders } from '../orders/orders';
import { refuseUnapplied } from '../stores/quotes';
import type { StoreService } from '../stores/store.service';
import type { StoreZones } from '../stores/store-zones';

export interface CloudTablesDeps {
  couch: CouchClient;
  views: DesignDocs;
  intents: IntentService;
  stores: StoreService;
  orders: CustomerOrders;
  zones: StoreZones;
  clock: { now(): number };
  customerIdKey: string;
  /**
   * How long a payment is held for the store's answer before the request expires and the money
   * goes back: the platform's setting unless the deployment fixed it; read at each request.
   */
  confirmTimeoutMs: () => Promise<number>;
  /** How long the customer's call waits for the store's answer before it is told to wait. */
  answerWaitMs: number;
}

/** A start or a join as the customer is told of it, with the table it is about. */
export type TableIntentView = IntentView & { tableId: string };

export class CloudTables {
  constructor(private readonly d: CloudTablesDeps) {}

  /** The owner's rules for tables at a store, as its hub published them. */
  async settings(storeId: string): Promise<TableSettings> {
    const raw = await this.d.couch.get(storeDbName(storeId), TABLE_SETTINGS_ID);
    const p = TableSettingsDocSchema.safeParse(raw);
    if (!p.success) return DEFAULT_TABLE_SETTINGS;
    const { enabled, ageNotice, hours } = p.data;
    return { enabled, ageNotice, hours };
  }

  /** The store's open tables with seats left before their deadline, soonest game first. */
  async list(storeId: string): Promise<StoreTables> {
    await this.d.stores.page(storeId);
    const now = this.d.clock.now();
    // Only the tables still open, by their deadline from now on: not every table the store had.
    const docs = await this.tablesIn(storeId, {
      startkey: ['table-open', new Date(now).toISOString()],
      endkey: ['table-open', {}],
    });
    const open = docs.filter(
      (t) => t.status === 'open' && t.players.length < t.seats && Date.parse(t.deadline) > now,
    );
    open.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    return {
      settings: await this.settings(storeId),
      tables: await Promise.all(open.map((t) => this.view(t))),
    };
  }

  /** One table, for anyone with its link. */
  async one(storeId: string, tableId: string): Promise<TableView> {
    return this.view(await this.table(storeId, tableId));
  }

  /** The tables I sit at in every store where I started or joined one, newest game first. */
  async mine(who: CustomerIdentity): Promise<MyTable[]> {
    const ids = customerIds(who);
    const stores = await this.d.intents.customer.tableStores(ids);
    // In each of those stores only the tables I sit at (under any of my ids), not all of its.
    const found = await Promise.all(
      stores.flatMap((storeId) =>
        ids.map((id) =>
          this.tablesIn(storeId, {
            startkey: ['table-player', id],
            endkey: ['table-player', id, {}],
          }),
        ),
      ),
    );
    const seen = new Set<string>();
    const tables = found.flat().filter((t) => {
      const key = `${t.storeId}/${t.tableId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const out = await Promise.all(
      tables.flatMap((t) => {
        const me = t.players.find((p) => ids.includes(p.customerId));
        return me ? [this.asMine(t, me)] : [];
      }),
    );
    return out.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  }

  /** Starts a table: the starter's share held, the store asked to hold the room until the deadline. */
  async start(
    who: CustomerIdentity,
    storeId: string,
    body: z.output<typeof TableStartBodySchema>,
    idempotencyKey?: string,
  ): Promise<TableIntentView> {
    const phone = this.phoneOf(who);
    const found = await this.d.stores.bookableRoom(storeId, body.roomId);
    // A table is a booking made online: not while the store takes none (暂停线上接单).
    await this.d.stores.mustTakeOnlineBookings(storeId);
    const { store, room } = found;
    const now = this.d.clock.now();
    const deadline = Date.parse(body.deadline);
    checkTableTimes({
      settings: await this.settings(storeId),
      start: Date.parse(body.start),
      end: Date.parse(body.end),
      deadline,
      now,
      timeZone: store.timeZone,
    });
    // Priced as the store will price the booking: with the level its phone has there.
    const member = await this.d.orders.memberOf(
      storeId,
      customerIdForPhone(phone, this.d.customerIdKey),
    );
    const quote = this.d.stores.priceBooking(
      found,
      { start: body.start, end: body.end },
      body.seats,
      levelDiscount(member),
      member?.privileges?.extraBookingDays ?? 0,
    );
    refuseUnapplied(quote);
    const { starterShare } = splitShares(quote.total, body.seats);
    const doc = await this.d.intents.submit({
      storeId,
      by: { customerId: who.customerId },
      kind: 'table_start',
      body: {
        booking: {
          roomId: room.roomId,
          start: body.start,
          end: body.end,
          partySize: body.seats,
          customer: { phone },
        },
        seats: body.seats,
        deadline: body.deadline,
        title: body.title,
        name: body.name,
      },
      charge: { amount: starterShare, description: `${store.name} · ${room.name} · 拼桌` },
      expiresInMs: Math.min(await this.d.confirmTimeoutMs(), deadline - now),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.answerWaitMs);
    return {
      ...intentView(answered, await this.d.zones.formatFor(storeId)),
      tableId: doc.intentId,
    };
  }

  /** Joins a table with a share held; the store seats the player once, or the share goes back. */
  async join(
    who: CustomerIdentity,
    storeId: string,
    tableId: string,
    body: z.output<typeof TableJoinBodySchema>,
    idempotencyKey?: string,
  ): Promise<TableIntentView> {
    const phone = this.phoneOf(who);
    const t = await this.table(storeId, tableId);
    const now = this.d.clock.now();
    if (t.players.some((p) => customerIds(who).includes(p.customerId))) {
      throw new DomainError(
        'conflict',
        'already_at_table',
        'you already have a seat at this table',
      );
    }
    if (t.status === 'filled' || t.players.length >= t.seats) {
      throw new DomainError('conflict', 'table_full', 'this table is full');
    }
    if (t.status !== 'open' || Date.parse(t.deadline) <= now) {
      throw new DomainError(
        'conflict',
        'table_closed',
        'this table did not fill in time and was released',
      );
    }
    const { store, room } = await this.d.stores.bookableRoom(storeId, t.roomId);
    const doc = await this.d.intents.submit({
      storeId,
      by: { customerId: who.customerId },
      kind: 'table_join',
      body: { tableId, phone, name: body.name },
      charge: { amount: t.share, description: `${store.name} · ${room.name} · 拼桌` },
      expiresInMs: Math.min(await this.d.confirmTimeoutMs(), Date.parse(t.deadline) - now),
      ...(idempotencyKey ? { idempotencyKey: `${tableId}:${idempotencyKey}` } : {}),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.answerWaitMs);
    return { ...intentView(answered, await this.d.zones.formatFor(storeId)), tableId };
  }

  private phoneOf(who: CustomerIdentity): string {
    if (!who.phone) {
      throw phoneNotLinked('play at a table');
    }
    return who.phone;
  }

  /** A table as one of its players sees it: their seat and share, the door once it is filled. */
  private async asMine(t: TableDoc, me: TableDoc['players'][number]): Promise<MyTable> {
    return {
      ...(await this.view(t)),
      bookingId: t.bookingId,
      mySeat: me.seat,
      myShare: me.share,
      refunded: me.refunded,
      door: t.status === 'filled' ? await this.doorOf(t) : null,
    };
  }

  /** The store's tables in one range of its lookup view (open ones, or one player's). */
  private async tablesIn(
    storeId: string,
    range: { startkey: unknown[]; endkey: unknown[] },
  ): Promise<TableDoc[]> {
    const rows = await this.d.views.store(storeId, 'lookup', { ...range, includeDocs: true });
    return rows.flatMap((row) => {
      const p = TableDocSchema.safeParse(row.doc);
      return p.success && p.data.storeId === storeId ? [p.data] : [];
    });
  }

  private async table(storeId: string, tableId: string): Promise<TableDoc> {
    const raw = await this.d.couch.get(storeDbName(storeId), tableDocId(tableId));
    const p = TableDocSchema.safeParse(raw);
    if (!p.success || p.data.storeId !== storeId) throw notFound('table', tableId, 'tableId');
    return p.data;
  }

  private async view(t: TableDoc): Promise<TableView> {
    let roomName = t.roomId;
    try {
      roomName = (await this.d.stores.bookableRoom(t.storeId, t.roomId)).room.name;
    } catch {
      // A room retired since: its id stands for it.
    }
    return {
      tableId: t.tableId,
      storeId: t.storeId,
      roomId: t.roomId,
      roomName,
      title: t.title,
      start: t.start,
      end: t.end,
      deadline: t.deadline,
      seats: t.seats,
      seatsLeft: Math.max(0, t.seats - t.players.length),
      share: t.share,
      starterShare: t.starterShare,
      total: t.total,
      status: t.status,
      players: t.players.map((p) => ({ seat: p.seat, name: p.name })),
    };
  }

  /** The filled table's way in: its booking's entry code, shown to every player. */
  private async doorOf(t: TableDoc): Promise<MyTable['door']> {
    const raw = await this.d.couch.get(storeDbName(t.storeId), bookingDocId(t.bookingId));
    const p = BookingDocSchema.safeParse(raw);
    if (!p.success || !p.data.door) return null;
    if (p.data.status !== 'paid' && p.data.status !== 'in_use') return null;
    return p.data.door;
  }
}
