// The platform's figures (P5), kept from the stores' change feeds as the follower reads them:
// each store's day (from the `stats:day` documents its hub already publishes: bookings, money in
// and back), each store's name and region (from its profile), and every customer the first time
// any store names them (a booking, a membership, a coupon), counted per day. The overview reads
// only these small documents of its own, never a store's database. Writes `analytics` only.
import {
  CLOUD_DBS,
  IdPartSchema,
  StatsDayDocSchema,
  StoreProfileDocSchema,
  localDateOf,
  regionOfAddress,
  type Clock,
  type OverviewDay,
  type OverviewQuery,
  type PlatformOverview,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../../couch';
import { provisionedStores } from '../../stores/registry';
import type { PlatformWatch } from '../anomalies/platform-watch';
import { ANOMALIES_DB } from '../anomalies/platform-watch';

export const ANALYTICS_DB = CLOUD_DBS.analytics;
/** The platform's own day: the stores are in China. */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';
const DAY = 24 * 3_600_000;
/** A hub that said it was alive within this is online (it says so every five minutes). */
const ONLINE_MS = 11 * 60_000;
/** Customers remembered as counted before the memory starts again. */
const REMEMBERED = 100_000;

interface DayDoc extends CouchDoc {
  storeId: string;
  date: string;
  orders: number;
  received: number;
  refunded: number;
  net: number;
  updatedAt: string;
}
interface StoreDoc extends CouchDoc {
  storeId: string;
  name: string;
  region: string;
}
interface CountDoc extends CouchDoc {
  count: number;
}

export class PlatformAnalytics {
  private owners: { count: number; at: number } | undefined;
  /** Customers whose first-seen document this process wrote or found; bounded. */
  private readonly known = new Set<string>();
  /** Per counter: the write under way, and the count waiting for the next one. */
  private readonly counters = new Map<
    string,
    { writing: Promise<void>; next?: { count: number; written: Promise<void> } }
  >();

  constructor(private readonly d: { couch: CouchClient; clock: Clock; watch: PlatformWatch }) {}

  /** One change of a store's database, as the follower reads it (its customers come by page). */
  async fromChange(storeId: string, doc: CouchDoc): Promise<void> {
    const id = doc._id;
    if (id.startsWith('stats:day:')) return this.day(storeId, doc);
    if (id === 'profile:store') return this.store(storeId, doc);
  }

  /**
   * The customers a page of a store's changes names (its bookings, members and coupons): those
   * seen for the first time are written in one request and counted once, on the platform's day.
   */
  async fromChanges(storeId: string, docs: readonly CouchDoc[]): Promise<void> {
    const ids = new Set<string>();
    for (const doc of docs) {
      const id = doc._id;
      if (!(id.startsWith('booking:') || id.startsWith('member:') || id.startsWith('coupon:'))) {
        continue;
      }
      const customerId = IdPartSchema.safeParse((doc as { customerId?: unknown }).customerId);
      // Known here already: their document is there, and a write each would be in vain.
      if (customerId.success && !this.known.has(customerId.data)) ids.add(customerId.data);
    }
    if (ids.size === 0) return;
    const now = this.d.clock.now();
    const firstAt = new Date(now).toISOString();
    const results = await this.d.couch.bulkDocs(
      ANALYTICS_DB,
      [...ids].map((customerId) => ({ _id: `user:${customerId}`, storeId, firstAt })),
    );
    let created = 0;
    let failed: unknown;
    for (const r of results) {
      // A conflict: seen before (or by another instance at the same moment), counted there.
      if (!('error' in r)) created += 1;
      else if (!isConflict(r.error)) failed ??= r.error;
    }
    // Those written are counted even when another of the page failed: read again, they are
    // conflicts and would never be.
    if (created > 0) {
      const date = localDateOf(now, PLATFORM_TIME_ZONE);
      await Promise.all([this.bump(`users:${date}`, created), this.bump('users:total', created)]);
    }
    if (failed !== undefined) throw failed;
    for (const customerId of ids) this.remember(customerId);
  }

  private async putOver<T extends CouchDoc>(doc: T, same: (old: T) => boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.d.couch.get<T>(ANALYTICS_DB, doc._id);
      if (old && same(old)) return;
      try {
        await this.d.couch.put(ANALYTICS_DB, { ...doc, ...(old?._rev ? { _rev: old._rev } : {}) });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 8) throw error;
      }
    }
  }

  private async day(storeId: string, doc: CouchDoc): Promise<void> {
    const s = StatsDayDocSchema.safeParse(doc);
    if (!s.success || s.data.storeId !== storeId) return;
    const day = s.data;
    const orders = day.bookings
      .filter((b) => b.status !== 'cancelled')
      .reduce((n, b) => n + b.count, 0);
    await this.putOver<DayDoc>(
      {
        _id: `day:${day.date}:${storeId}`,
        storeId,
        date: day.date,
        orders,
        received: day.received,
        refunded: day.refunded,
        net: day.net,
        updatedAt: day.updatedAt,
      },
      // An older copy read again never replaces a newer one. The hub stamps its day to the
      // second, so two publications in one second tie: the figures read last then stand.
      (old) =>
        Date.parse(old.updatedAt) > Date.parse(day.updatedAt) ||
        (old.orders === orders &&
          old.received === day.received &&
          old.refunded === day.refunded &&
          old.net === day.net),
    );
  }

  private async store(storeId: string, doc: CouchDoc): Promise<void> {
    const p = StoreProfileDocSchema.safeParse(doc);
    if (!p.success || p.data.storeId !== storeId) return;
    const region = regionOfAddress(p.data.address);
    await this.putOver<StoreDoc>(
      { _id: `store:${storeId}`, storeId, name: p.data.name, region },
      (old) => old.name === p.data.name && old.region === region,
    );
  }

  private remember(customerId: string): void {
    if (this.known.size >= REMEMBERED) this.known.clear();
    this.known.add(customerId);
  }

  /**
   * Adds `by` to a counter. The follower applies many stores' pages at once, so a counter is
   * written once at a time here, and what came meanwhile is added together by the next write,
   * rather than every page racing the others for the same document.
   */
  private bump(id: string, by: number): Promise<void> {
    let counter = this.counters.get(id);
    if (!counter) {
      counter = { writing: Promise.resolve() };
      this.counters.set(id, counter);
    }
    if (counter.next) {
      counter.next.count += by;
      return counter.next.written;
    }
    const c = counter;
    const next = { count: by, written: Promise.resolve() };
    next.written = c.writing.then(() => {
      // Under way: what comes from now on waits for the write after this one.
      c.next = undefined;
      return this.add(id, next.count);
    });
    c.next = next;
    c.writing = next.written.catch(() => undefined);
    return next.written;
  }

  private async add(id: string, count: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const doc = (await this.d.couch.get<CountDoc>(ANALYTICS_DB, id)) ?? { _id: id, count: 0 };
      try {
        await this.d.couch.put(ANALYTICS_DB, { ...doc, count: doc.count + count });
        return;
      } catch (error) {
        // Another instance counted first.
        if (!isConflict(error) || attempt >= 20) throw error;
      }
    }
  }

  /** Store names by id, for the anomaly list. */
  async storeNames(): Promise<Map<string, string>> {
    const stores = await this.d.couch.byPrefix<StoreDoc>(ANALYTICS_DB, 'store:');
    return new Map(stores.map((s) => [s.storeId, s.name]));
  }

  private async merchants(): Promise<number> {
    const now = this.d.clock.now();
    if (this.owners && now - this.owners.at < 60_000) return this.owners.count;
    const count = (await this.d.couch.byPrefix(CLOUD_DBS.owners, 'owner:')).length;
    this.owners = { count, at: now };
    return count;
  }

  /** Users, merchants, orders and revenue by day and region over the last `days`, and today's. */
  async overview(query: OverviewQuery): Promise<PlatformOverview> {
    const now = this.d.clock.now();
    const to = localDateOf(now, PLATFORM_TIME_ZONE);
    const dates: string[] = [];
    for (let i = query.days - 1; i >= 0; i--) {
      dates.push(localDateOf(now - i * DAY, PLATFORM_TIME_ZONE));
    }
    const from = dates[0]!;
    const months = [...new Set(dates.map((d) => d.slice(0, 7)))];
    const [dayDocs, storeDocs, aliveDocs, userCounts, total, registered, merchants, anomalies] =
      await Promise.all([
        Promise.all(months.map((m) => this.d.couch.byPrefix<DayDoc>(ANALYTICS_DB, `day:${m}`))),
        this.d.couch.byPrefix<StoreDoc>(ANALYTICS_DB, 'store:'),
        this.d.couch.byPrefix<CouchDoc & { storeId: string; at: string }>(ANOMALIES_DB, 'alive:'),
        this.d.couch.byIds<CountDoc>(
          ANALYTICS_DB,
          dates.map((d) => `users:${d}`),
        ),
        this.d.couch.get<CountDoc>(ANALYTICS_DB, 'users:total'),
        provisionedStores(this.d.couch),
        this.merchants(),
        this.d.watch.counts(query.days),
      ]);
    const stores = new Map(storeDocs.map((s) => [s.storeId, s]));
    const regionOf = (storeId: string) => stores.get(storeId)?.region ?? '其他';
    const inRange = dayDocs
      .flat()
      .filter(
        (d) =>
          d.date >= from && d.date <= to && (!query.region || regionOf(d.storeId) === query.region),
      );
    const newUsers = new Map(userCounts.map((c) => [c._id.slice('users:'.length), c.count]));
    const byDay: OverviewDay[] = dates.map((date) => {
      const rows = inRange.filter((d) => d.date === date);
      const sum = (f: 'orders' | 'received' | 'refunded' | 'net') =>
        rows.reduce((n, r) => n + r[f], 0);
      return {
        date,
        orders: sum('orders'),
        received: sum('received'),
        refunded: sum('refunded'),
        net: sum('net'),
        newUsers: newUsers.get(date) ?? 0,
      };
    });
    const alive = new Map(aliveDocs.map((a) => [a.storeId, a.at]));
    const storeIds = [...new Set([...registered, ...stores.keys()])].filter(
      (id) => !query.region || regionOf(id) === query.region,
    );
    const perStore = storeIds.map((storeId) => {
      const rows = inRange.filter((d) => d.storeId === storeId);
      const lastAliveAt = alive.get(storeId) ?? null;
      return {
        storeId,
        name: stores.get(storeId)?.name ?? storeId,
        region: regionOf(storeId),
        orders: rows.reduce((n, r) => n + r.orders, 0),
        net: rows.reduce((n, r) => n + r.net, 0),
        lastAliveAt,
        online: lastAliveAt !== null && now - Date.parse(lastAliveAt) < ONLINE_MS,
      };
    });
    const regions = new Map<
      string,
      { region: string; stores: number; orders: number; net: number }
    >();
    for (const s of perStore) {
      const r = regions.get(s.region) ?? { region: s.region, stores: 0, orders: 0, net: 0 };
      r.stores += 1;
      r.orders += s.orders;
      r.net += s.net;
      regions.set(s.region, r);
    }
    const totals = byDay.reduce(
      (t, d) => ({
        orders: t.orders + d.orders,
        received: t.received + d.received,
        refunded: t.refunded + d.refunded,
        net: t.net + d.net,
        newUsers: t.newUsers + d.newUsers,
      }),
      { orders: 0, received: 0, refunded: 0, net: 0, newUsers: 0 },
    );
    return {
      at: new Date(now).toISOString(),
      from,
      to,
      totals: {
        users: total?.count ?? 0,
        merchants,
        stores: perStore.length,
        storesOnline: perStore.filter((s) => s.online).length,
        ...totals,
      },
      today: byDay[byDay.length - 1]!,
      byDay,
      byRegion: [...regions.values()].sort((a, b) => b.net - a.net),
      stores: perStore.sort((a, b) => b.net - a.net),
      anomalies,
    };
  }
}
