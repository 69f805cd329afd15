// The owner's remote view of one store, read from what its hub replicated: the day's board,
// orders, revenue from the append-only ledger, device health and sync freshness, the store's
// profile (hours, booking rules, rooms with their price plans) and its calendar, for an owner who
// runs that store. Read-only.
// Day and range reads go through the store's views (design-docs.ts), so a board or a revenue
// range reads that span only, never every booking or ledger entry the store ever had.
import {
  formatInstant,
  instantAt,
  makeDayTypeResolver,
  localDateOf,
  nextLocalDate,
  DomainError,
  notFound,
  AvailabilityDocSchema,
  BookingDocSchema,
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  DEVICE_SCHEDULES_ID,
  DeviceSchedulesDocSchema,
  SessionDocSchema,
  availabilityDocId,
  sessionDocId,
  storeDbName,
  type BookingDoc,
  type CalendarDay,
  type Clock,
  type OwnerBoard,
  type OwnerDevices,
  type OwnerDeviceSchedules,
  type OwnerAudit,
  type OwnerInvoices,
  type OwnerMemberSettings,
  type OwnerStaff,
  type OwnerMembers,
  type OwnerProducts,
  type OwnerOrdersPage,
  type OwnerOrdersQuery,
  type OwnerRevenue,
  type OwnerStoreProfile,
  type OwnerSync,
  type OwnerWalletOwed,
  WALLET_OWED_ID,
  WalletOwedDocSchema,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { DesignDocs } from '../design-docs';
import { publicDoc } from '../orders/orders';
import { decodeCursor, encodeCursor } from '../orders/page-cursor';
import { daySegments } from '../stores/room-day';
import { type StoreProfiles } from '../stores/store-profiles';
import { StoreCache } from '../stores/store-cache';
import type { OwnerIdentity } from '../auth/tokens';
import { auditOf } from './owner-audit';
import { invoicesOf } from './owner-invoices';
import { memberSettingsOf, membersOf, staffOf } from './owner-members';
import { productsOf } from './owner-products';
import { OwnerStats } from './owner-stats';
import { parseAll } from './store-docs';

/** The lookup-view key range of one key family covering local dates `from`..`to`. */
function dayRange(family: string, from: string, to: string, timeZone: string) {
  return {
    startkey: [family, new Date(instantAt(from, 0, timeZone)).toISOString()],
    endkey: [family, new Date(instantAt(nextLocalDate(to), 0, timeZone)).toISOString()],
  };
}

export interface OwnerViewDeps {
  couch: CouchClient;
  views: DesignDocs;
  clock: Clock;
  /** What the stores' databases hold, kept while their feeds are followed (else asked each time). */
  storeCache?: StoreCache;
}

export class OwnerView {
  private statistics: OwnerStats | undefined;

  private readonly cache: StoreCache;

  constructor(private readonly d: OwnerViewDeps) {
    this.cache = d.storeCache ?? new StoreCache({ couch: d.couch, views: d.views });
  }

  /** The statistics the owner's stores published, one store or all of them. */
  get stats(): OwnerStats {
    return (this.statistics ??= new OwnerStats({ ...this.d, storeCache: this.cache }));
  }

  async board(owner: OwnerIdentity, storeId: string, date: string): Promise<OwnerBoard> {
    const profiles = await this.access(owner, storeId);
    const db = storeDbName(storeId);
    const tz = profiles.store.timeZone;
    const active = profiles.rooms.filter((r) => r.status === 'active');
    const today = await this.bookingsOn(storeId, date, tz);
    const [sessions, availability] = await Promise.all([
      this.d.couch
        .byIds(
          db,
          today.map((b) => sessionDocId(b.bookingId)),
        )
        .then((d) => parseAll(d, SessionDocSchema)),
      this.d.couch
        .byIds(
          db,
          active.map((r) => availabilityDocId(r.roomId, date)),
        )
        .then((d) => parseAll(d, AvailabilityDocSchema)),
    ]);
    const synced = await this.cache.lastSync(storeId);
    return {
      storeId,
      date,
      syncedAt: synced === null ? null : formatInstant(synced, tz),
      rooms: active.map((room) => ({
        roomId: room.roomId,
        name: room.name,
        segments: daySegments(
          date,
          tz,
          availability.find((a) => a.roomId === room.roomId && a.date === date)?.segments,
          synced !== null,
        ),
        bookings: today.filter((b) => b.roomId === room.roomId).map((b) => publicDoc(b)),
        session:
          sessions.find(
            (s) =>
              today.some((b) => b.bookingId === s.bookingId && b.roomId === room.roomId) &&
              s.status !== 'ended',
          ) ?? null,
      })),
    };
  }

  /**
   * The store's orders, newest start first. One day (`date`) comes whole; otherwise a page of at
   * most `limit`, all or of one status, starting before `before` (the `next` of the page before),
   * so a store with years of bookings is read a page at a time.
   */
  async orders(
    owner: OwnerIdentity,
    storeId: string,
    filter: OwnerOrdersQuery,
  ): Promise<OwnerOrdersPage> {
    const { timeZone } = (await this.access(owner, storeId)).store;
    if (filter.date !== undefined) {
      const day = (await this.bookingsOn(storeId, filter.date, timeZone))
        .filter((b) => filter.status === undefined || b.status === filter.status)
        .sort((a, b) => b.start.localeCompare(a.start));
      return { orders: day.map((b) => publicDoc(b)), next: null };
    }
    const limit = filter.limit ?? OWNER_ORDERS_PAGE;
    const family =
      filter.status === undefined ? ['booking-start'] : ['booking-status', filter.status];
    // Keys end [start (UTC ISO), bookingId], unique, so a page resumes just after the last one.
    const cursor = filter.before === undefined ? undefined : decodeCursor(filter.before);
    const rows = await this.d.views.store(storeId, 'lookup', {
      startkey: cursor ? [...family, ...cursor] : [...family, {}],
      endkey: family,
      descending: true,
      includeDocs: true,
      // One more than a page tells whether another follows; the cursor's own row comes back too.
      limit: limit + (cursor ? 2 : 1),
    });
    const page = cursor ? rows.filter((r) => !sameKey(r.key, [...family, ...cursor])) : rows;
    const bookings = parseAll<BookingDoc>(
      page.slice(0, limit).map((r) => r.doc),
      BookingDocSchema,
    );
    const last = bookings.at(-1);
    return {
      orders: bookings.map((b) => publicDoc(b)),
      next: page.length > limit && last ? encodeCursor(last.start, last.bookingId) : null,
    };
  }

  /** Sums of the ledger by local day, kind and method; money in fen. */
  async revenue(
    owner: OwnerIdentity,
    storeId: string,
    from: string,
    to: string,
  ): Promise<OwnerRevenue> {
    const { timeZone } = (await this.access(owner, storeId)).store;
    const rows = await this.d.views.store(
      storeId,
      'lookup',
      dayRange('ledger-at', from, to, timeZone),
    );
    const days = new Map<
      string,
      { date: string; payments: number; refunds: number; adjustments: number; net: number }
    >();
    const byMethod: Record<string, number> = {};
    let net = 0;
    for (const row of rows) {
      const entry = LedgerRowSchema.parse(row.value);
      const at = Array.isArray(row.key) ? row.key[1] : undefined;
      if (!entry || typeof at !== 'string') continue;
      const date = localDateOf(Date.parse(at), timeZone);
      if (date < from || date > to) continue;
      const day = days.get(date) ?? { date, payments: 0, refunds: 0, adjustments: 0, net: 0 };
      if (entry.kind === 'payment') day.payments += entry.amount;
      else if (entry.kind === 'refund') day.refunds += entry.amount;
      else day.adjustments += entry.amount;
      day.net += entry.amount;
      days.set(date, day);
      byMethod[entry.method] = (byMethod[entry.method] ?? 0) + entry.amount;
      net += entry.amount;
    }
    return {
      storeId,
      from,
      to,
      net,
      byMethod,
      days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)),
    };
  }

  async devices(owner: OwnerIdentity, storeId: string): Promise<OwnerDevices> {
    await this.access(owner, storeId);
    const parsed = DevicesHealthDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), DEVICES_HEALTH_ID),
    );
    return parsed.success ? publicDoc(parsed.data) : { storeId, devices: [], updatedAt: null };
  }

  /** The store, its rooms and its calendar overrides as the hub last published them. */
  async profile(owner: OwnerIdentity, storeId: string): Promise<OwnerStoreProfile> {
    const { store, rooms } = await this.access(owner, storeId);
    const tz = store.timeZone;
    return {
      storeId,
      today: localDateOf(this.d.clock.now(), tz),
      store: {
        name: store.name,
        address: store.address,
        phone: store.phone,
        timeZone: tz,
        hours: store.hours,
        location: store.location,
        photos: store.photos,
        rules: store.rules,
        logoUrl: store.logo ?? null,
        theme: store.theme ?? null,
      },
      rooms: rooms.map((r) => ({
        roomId: r.roomId,
        name: r.name,
        status: r.status,
        sort: r.sort,
        capacity: r.capacity,
        areaSqm: r.areaSqm,
        style: r.style,
        facilities: r.facilities,
        photos: r.photos,
        video: r.video,
        videoPoster: r.videoPoster,
        pricePlan: r.pricePlan,
        rules: r.rules,
      })),
      calendar: store.calendar,
      updatedAt: formatInstant(Date.parse(store.updatedAt), tz),
    };
  }

  /**
   * The store's days `from`..`to` as its prices count them: the owner's override as the hub last
   * published it, with its note, else the official calendar.
   */
  async calendar(
    owner: OwnerIdentity,
    storeId: string,
    from: string,
    to: string,
  ): Promise<CalendarDay[]> {
    const { calendar, calendarNotes } = (await this.access(owner, storeId)).store;
    const dayType = makeDayTypeResolver(calendar);
    const days: CalendarDay[] = [];
    for (let date = from; date <= to; date = nextLocalDate(date)) {
      days.push({
        date,
        type: dayType(date),
        source: calendar[date] === undefined ? 'official' : 'override',
        note: (calendar[date] !== undefined && calendarNotes[date]) || null,
      });
    }
    return days;
  }

  /** The owner's device schedules as the hub last published them; none until it has. */
  async deviceSchedules(owner: OwnerIdentity, storeId: string): Promise<OwnerDeviceSchedules> {
    await this.access(owner, storeId);
    const parsed = DeviceSchedulesDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), DEVICE_SCHEDULES_ID),
    );
    if (!parsed.success || parsed.data.storeId !== storeId) {
      return { storeId, schedules: [], updatedAt: null };
    }
    return { storeId, schedules: parsed.data.schedules, updatedAt: parsed.data.updatedAt };
  }

  /**
   * The stored value every store of the owner owes its customers, and the total: with wallets
   * shared across the stores, what the owner owes is the sum, wherever the money is kept.
   */
  async walletOwed(owner: OwnerIdentity): Promise<OwnerWalletOwed> {
    const stores = await Promise.all(
      [...owner.storeIds].sort().map(async (storeId) => {
        const doc = WalletOwedDocSchema.safeParse(
          await this.d.couch.get(storeDbName(storeId), WALLET_OWED_ID).catch(() => undefined),
        );
        if (!doc.success || doc.data.storeId !== storeId) {
          return { storeId, principal: 0, bonus: 0, wallets: 0, updatedAt: null };
        }
        const { principal, bonus, wallets, updatedAt } = doc.data;
        return { storeId, principal, bonus, wallets, updatedAt };
      }),
    );
    const total = stores.reduce(
      (t, s) => ({ principal: t.principal + s.principal, bonus: t.bonus + s.bonus }),
      { principal: 0, bonus: 0 },
    );
    return { stores, total };
  }

  /** The store's members counted by level, the points and wallets they hold, its campaigns. */
  async members(owner: OwnerIdentity, storeId: string): Promise<OwnerMembers> {
    await this.access(owner, storeId);
    return membersOf(this.d.couch, this.d.views, storeId, this.d.clock.now());
  }

  /** The store's staff, as its hub last published them. */
  async staff(owner: OwnerIdentity, storeId: string): Promise<OwnerStaff> {
    await this.access(owner, storeId);
    return staffOf(this.d.couch, storeId);
  }

  /** The store's member levels and points rules, as its hub last published them. */
  async memberSettings(owner: OwnerIdentity, storeId: string): Promise<OwnerMemberSettings> {
    await this.access(owner, storeId);
    return memberSettingsOf(this.d.couch, storeId);
  }

  /** The store's menu with what can be ordered now, and what runs low. */
  async products(owner: OwnerIdentity, storeId: string): Promise<OwnerProducts> {
    await this.access(owner, storeId);
    return productsOf(this.d.couch, storeId);
  }

  /** One local day of the store's audit log (today in the store's time when none is named). */
  async audit(owner: OwnerIdentity, storeId: string, date?: string): Promise<OwnerAudit> {
    const { timeZone } = (await this.access(owner, storeId)).store;
    return auditOf(this.d.couch, storeId, date ?? localDateOf(this.d.clock.now(), timeZone));
  }

  /** The store's invoice requests, newest first, and how many wait to be issued. */
  async invoices(owner: OwnerIdentity, storeId: string): Promise<OwnerInvoices> {
    await this.access(owner, storeId);
    return invoicesOf(this.d.couch, storeId);
  }

  /** How fresh the store's replicated data is: the newest time of each kind of hub document. */
  async sync(owner: OwnerIdentity, storeId: string): Promise<OwnerSync> {
    const { timeZone } = (await this.access(owner, storeId)).store;
    const at = (ms: number) => formatInstant(ms, timeZone);
    // Each kind's newest write is one row read from the end of its key range: what it costs does
    // not grow with the store's history.
    const kinds = [
      ['bookings', 'booking:'],
      ['ledger', 'ledger:'],
      ['sessions', 'session:'],
      ['availability', 'availability:'],
      ['devices', 'devices:'],
      ['answers', 'answer:'],
      ['profiles', 'profile:'],
    ] as const;
    const newestOf = await Promise.all(
      kinds.map(async ([, prefix]) => {
        const [row] = await this.d.views.store(storeId, 'lookup', {
          startkey: ['written-kind', prefix, {}],
          endkey: ['written-kind', prefix],
          descending: true,
          limit: 1,
        });
        const written = Array.isArray(row?.key) ? row.key[2] : undefined;
        const ms = typeof written === 'string' ? Date.parse(written) : Number.NaN;
        return Number.isFinite(ms) ? ms : null;
      }),
    );
    const latest: Record<string, string | null> = {};
    let newest: number | null = null;
    kinds.forEach(([kind], i) => {
      const last = newestOf[i] ?? null;
      latest[kind] = last === null ? null : at(last);
      if (last !== null && (newest === null || last > newest)) newest = last;
    });
    // Customers' intents still waiting for this store's answer: a count and the oldest, from the
    // cloud's own records, whatever the store's history holds.
    const range = { startkey: [storeId], endkey: [storeId, {}] };
    const [counted, oldest] = await Promise.all([
      this.d.views.intents('waiting-by-store', { ...range, reduce: true }),
      this.d.views.intents('waiting-by-store', { ...range, reduce: false, limit: 1 }),
    ]);
    const waiting = Number(counted[0]?.value ?? 0);
    const oldestKey = oldest[0]?.key;
    return {
      storeId,
      latest,
      lastHubWriteAt: newest === null ? null : at(newest),
      lagMs: newest === null ? null : Math.max(0, this.d.clock.now() - newest),
      unansweredIntents: waiting,
      oldestUnansweredAt:
        Array.isArray(oldestKey) && typeof oldestKey[1] === 'string' && oldestKey[1]
          ? at(Date.parse(oldestKey[1]))
          : null,
    };
  }

  /** The store, if this owner runs it and its hub has published it. */
  private async access(owner: OwnerIdentity, storeId: string): Promise<StoreProfiles> {
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    const profiles = await this.cache.profiles(storeId);
    if (!profiles) throw notFound('store', storeId, 'storeId');
    return profiles;
  }

  /** The store's bookings that start on local date `date`. */
  private async bookingsOn(storeId: string, date: string, timeZone: string): Promise<BookingDoc[]> {
    const rows = await this.d.views.store(storeId, 'lookup', {
      ...dayRange('booking-start', date, date, timeZone),
      includeDocs: true,
    });
    return parseAll<BookingDoc>(
      rows.map((r) => r.doc),
      BookingDocSchema,
    ).filter((b) => localDateOf(Date.parse(b.start), timeZone) === date);
  }
}

export const OWNER_ORDERS_PAGE = 100;

function sameKey(a: unknown, b: unknown[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const LedgerRowSchema = {
  parse(value: unknown): { kind: string; method: string; amount: number } | undefined {
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [kind, method, amount] = value as unknown[];
    return typeof kind === 'string' && typeof method === 'string' && Number.isInteger(amount)
      ? { kind, method, amount: amount as number }
      : undefined;
  },
};
