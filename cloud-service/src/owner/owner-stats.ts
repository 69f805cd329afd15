// The owner's statistics read through the cloud (O10, O12): the per-day documents each store's hub
// publishes, added up over a range, for one store or every store the signed-in owner runs, in the
// shape the hub's own statistics answer, with a line per store. Read-only; a store the owner does
// not run is refused by the same words whether it exists or not.
import {
  DomainError,
  notFound,
  statsCsv,
  statsDayDocId,
  statsRangeDays,
  StatsDayDocSchema,
  storeDbName,
  WALLET_OWED_ID,
  WalletOwedDocSchema,
  type BookingStatusRow,
  type CampaignRow,
  type DealRow,
  type EnergyRoomRow,
  type HeatCell,
  type LocalDate,
  type OwnerStatsExportQuery,
  type OwnerStatsQuery,
  type OwnerStatsView,
  type ProductRow,
  type RefundRow,
  type RevenueChannel,
  type RevenueRow,
  type RoomHoursRow,
  type SlotRow,
  type StatsDayDoc,
  type StatsTableData,
  type StoreStatsRow,
  type TopUpRow,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import type { OwnerIdentity } from '../auth/tokens';
import type { StoreCache } from '../stores/store-cache';
import type { Clock } from '@roomhub/shared-types';

const CHANNEL_ORDER: readonly RevenueChannel[] = [
  'wechat',
  'alipay',
  'unionpay',
  'cash',
  'wallet',
  'points',
  'meituan',
  'douyin',
  'own_deal',
  'cloud',
];

/** What one store published for the range. */
export interface StoreDays {
  storeId: string;
  name: string;
  days: Map<LocalDate, StatsDayDoc>;
  owed: { principal: number; bonus: number; wallets: number };
}

export interface OwnerStatsDeps {
  couch: CouchClient;
  clock: Clock;
  storeCache: StoreCache;
}

export class OwnerStats {
  constructor(private readonly d: OwnerStatsDeps) {}

  async view(owner: OwnerIdentity, q: OwnerStatsQuery): Promise<OwnerStatsView> {
    const storeIds = this.storesAsked(owner, q.storeId);
    const profiles = await Promise.all(
      storeIds.map(async (id) => ({ id, p: await this.d.storeCache.profiles(id) })),
    );
    const known = profiles.flatMap(({ id, p }) => (p ? [{ id, p }] : []));
    if (q.storeId !== 'all' && known.length === 0) throw notFound('store', q.storeId, 'storeId');
    // Every store of a chain keeps one zone; the range is counted in the first store's.
    const timeZone = known[0]?.p.store.timeZone ?? 'Asia/Shanghai';
    const range = statsRangeDays(q, this.d.clock.now(), timeZone);
    const stores = await Promise.all(
      known.map(async ({ id, p }): Promise<StoreDays> => {
        const db = storeDbName(id);
        const [docs, owedDoc] = await Promise.all([
          this.d.couch.byIds(
            db,
            range.dates.map((d) => statsDayDocId(d)),
          ),
          this.d.couch.get(db, WALLET_OWED_ID).catch(() => undefined),
        ]);
        const days = new Map<LocalDate, StatsDayDoc>();
        for (const doc of docs) {
          const parsed = StatsDayDocSchema.safeParse(doc);
          if (parsed.success && parsed.data.storeId === id) days.set(parsed.data.date, parsed.data);
        }
        const owed = WalletOwedDocSchema.safeParse(owedDoc);
        return {
          storeId: id,
          name: p.store.name,
          days,
          owed: owed.success
            ? { principal: owed.data.principal, bonus: owed.data.bonus, wallets: owed.data.wallets }
            : { principal: 0, bonus: 0, wallets: 0 },
        };
      }),
    );
    return combineStats(q.storeId, range, stores);
  }

  /** One table as the CSV file the hub writes, for the store or the stores asked. */
  async exportCsv(
    owner: OwnerIdentity,
    q: OwnerStatsExportQuery,
  ): Promise<{ csv: string; filename: string }> {
    const { table, ...rest } = q;
    const v = await this.view(owner, rest);
    const { csv } = statsCsv(tableOf(table, v));
    return { csv, filename: `${table}-${q.storeId}-${v.range.from}-${v.range.to}.csv` };
  }

  private storesAsked(owner: OwnerIdentity, storeId: string): string[] {
    if (storeId === 'all') return [...owner.storeIds].sort();
    if (!owner.storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
    return [storeId];
  }
}

function tableOf(table: OwnerStatsExportQuery['table'], v: OwnerStatsView): StatsTableData {
  switch (table) {
    case 'revenue':
      return { table, data: v.revenue };
    case 'revenue_by_day':
      return { table, data: v.revenueByDay };
    case 'bookings':
      return { table, data: v.bookings };
    case 'rooms':
      return { table, data: v.rooms };
    case 'heatmap':
      return { table, data: v.heatmap };
    case 'slots':
      return { table, data: v.slots };
    case 'products':
      return { table, data: v.products };
    case 'deals':
      return { table, data: v.deals };
    case 'wallet':
      return { table, data: v.wallet };
    case 'members':
      return { table, data: v.members };
    case 'campaigns':
      return { table, data: v.campaigns };
    case 'refunds':
      return { table, data: v.refunds };
  }
}

/** Adds `add` into the row of `key`, made by `make` the first time. */
function into<K, R>(map: Map<K, R>, key: K, make: () => R, add: (r: R) => void): void {
  let r = map.get(key);
  if (!r) {
    r = make();
    map.set(key, r);
  }
  add(r);
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The range's tables from what the stores published: sums of the days, shares counted again
 * from the minutes and room-hours. Pure. A day a store has not published counts as nothing.
 */
export function combineStats(
  storeId: string,
  range: ReturnType<typeof statsRangeDays>,
  stores: StoreDays[],
): OwnerStatsView {
  const many = stores.length > 1 || storeId === 'all';
  const docsOf = (s: StoreDays) => range.dates.flatMap((d) => s.days.get(d) ?? []);
  const all = stores.flatMap((s) => docsOf(s).map((doc) => ({ s, doc })));

  const revenue = new Map<RevenueChannel, RevenueRow>();
  const bookings = new Map<string, BookingStatusRow>();
  const rooms = new Map<string, RoomHoursRow & { minutes: number }>();
  const slots = new Map<number, { bookings: number; hours: number }>();
  const products = new Map<string, ProductRow>();
  const deals = new Map<string, DealRow>();
  const topUps = new Map<string, TopUpRow>();
  const refunds = new Map<string, RefundRow>();
  const energy = new Map<string, EnergyRoomRow>();
  const campaigns = new Map<string, { date: string; row: CampaignRow }>();
  const cancellations = { customer: 0, staff: 0, system: 0 };
  const taken = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const available = new Array<number>(7).fill(0);

  for (const { s, doc } of all) {
    for (const r of doc.revenue) {
      into(
        revenue,
        r.channel,
        () => ({
          ...r,
          bookings: 0,
          orders: 0,
          refunded: 0,
          net: 0,
          faceValue: null,
          settled: null,
        }),
        (t) => {
          t.bookings += r.bookings;
          t.orders += r.orders;
          t.refunded += r.refunded;
          t.net += r.net;
          if (r.faceValue !== null) t.faceValue = (t.faceValue ?? 0) + r.faceValue;
          if (r.settled !== null) t.settled = (t.settled ?? 0) + r.settled;
        },
      );
    }
    for (const b of doc.bookings) {
      into(
        bookings,
        b.status,
        () => ({ status: b.status, count: 0, total: 0 }),
        (t) => {
          t.count += b.count;
          t.total += b.total;
        },
      );
    }
    for (const r of doc.rooms) {
      into(
        rooms,
        `${s.storeId}|${r.roomId}`,
        () => ({
          roomId: r.roomId,
          roomName: many ? `${s.name} · ${r.roomName}` : r.roomName,
          bookings: 0,
          hours: 0,
          share: 0,
          minutes: 0,
        }),
        (t) => {
          t.bookings += r.bookings;
          t.minutes += r.hours * 60;
        },
      );
    }
    const weekday = (new Date(`${doc.date}T00:00:00Z`).getUTCDay() + 6) % 7;
    available[weekday]! += Math.max(doc.roomCount, 1) * 60;
    doc.hourMinutes.forEach((m, hour) => (taken[weekday]![hour]! += m));
    for (const x of doc.slots) {
      into(
        slots,
        x.hour,
        () => ({ bookings: 0, hours: 0 }),
        (t) => {
          t.bookings += x.bookings;
          t.hours += x.hours;
        },
      );
    }
    for (const p of doc.products) {
      into(
        products,
        `${s.storeId}|${p.itemId}`,
        () => ({ itemId: p.itemId, name: p.name, quantity: 0, revenue: 0 }),
        (t) => {
          t.quantity += p.quantity;
          t.revenue += p.revenue;
        },
      );
    }
    for (const x of doc.deals) {
      into(
        deals,
        `${x.source}|${x.dealId ?? x.dealTitle}`,
        () => ({ ...x, redeemed: 0, faceValue: 0, settled: 0 }),
        (t) => {
          t.redeemed += x.redeemed;
          t.faceValue += x.faceValue;
          t.settled += x.settled;
        },
      );
    }
    for (const x of doc.topUps) {
      into(
        topUps,
        x.method,
        () => ({ method: x.method, count: 0, principal: 0, bonus: 0 }),
        (t) => {
          t.count += x.count;
          t.principal += x.principal;
          t.bonus += x.bonus;
        },
      );
    }
    for (const x of doc.refunds) {
      into(
        refunds,
        `${x.of}|${x.purpose}`,
        () => ({ of: x.of, purpose: x.purpose, count: 0, amount: 0 }),
        (t) => {
          t.count += x.count;
          t.amount += x.amount;
        },
      );
    }
    cancellations.customer += doc.cancellations.customer;
    cancellations.staff += doc.cancellations.staff;
    cancellations.system += doc.cancellations.system;
    for (const e of doc.energy) {
      into(
        energy,
        `${s.storeId}|${e.roomId}`,
        () => ({
          storeId: s.storeId,
          roomId: e.roomId,
          roomName: e.roomName,
          kwh: 0,
          costFen: e.costFen === null ? null : 0,
        }),
        (t) => {
          t.kwh = Math.round((t.kwh + e.kwh) * 1000) / 1000;
          if (t.costFen !== null && e.costFen !== null) t.costFen += e.costFen;
        },
      );
    }
    // A campaign's results are as of the latest day that carries them.
    for (const c of doc.campaigns) {
      const k = `${s.storeId}|${c.campaignId}`;
      const had = campaigns.get(k);
      if (!had || had.date < doc.date) campaigns.set(k, { date: doc.date, row: c });
    }
  }

  const rangeHours = range.days * 24;
  const revenueRows = CHANNEL_ORDER.flatMap((c) => revenue.get(c) ?? []);
  const total = { bookings: 0, orders: 0, refunded: 0, net: 0 };
  for (const r of revenueRows) {
    total.bookings += r.bookings;
    total.orders += r.orders;
    total.refunded += r.refunded;
    total.net += r.net;
  }
  const heatmap: HeatCell[] = [];
  for (let w = 0; w < 7; w++) {
    for (let hour = 0; hour < 24; hour++) {
      heatmap.push({
        weekday: w + 1,
        hour,
        share: available[w] ? round(taken[w]![hour]! / available[w]!) : 0,
      });
    }
  }
  // Members at each day's end: every store's own total, the last it published carried on.
  const lastTotal = new Map<string, number>();
  const members = range.dates.map((date) => {
    let joined = 0;
    for (const s of stores) {
      const doc = s.days.get(date);
      if (doc) {
        joined += doc.members.joined;
        lastTotal.set(s.storeId, doc.members.total);
      }
    }
    return { date, joined, total: [...lastTotal.values()].reduce((a, b) => a + b, 0) };
  });
  const owed = stores.reduce(
    (t, s) => ({
      principal: t.principal + s.owed.principal,
      bonus: t.bonus + s.owed.bonus,
      wallets: t.wallets + s.owed.wallets,
    }),
    { principal: 0, bonus: 0, wallets: 0 },
  );

  return {
    storeId,
    range: {
      range: range.range,
      from: range.from,
      to: range.to,
      days: range.days,
      timeZone: range.timeZone,
    },
    revenue: { rows: revenueRows, total },
    revenueByDay: range.dates.map((date) => {
      const d = { date, received: 0, refunded: 0, net: 0 };
      for (const s of stores) {
        const doc = s.days.get(date);
        if (!doc) continue;
        d.received += doc.received;
        d.refunded += doc.refunded;
        d.net += doc.net;
      }
      return d;
    }),
    bookings: [...bookings.values()].sort(
      (a, b) => b.count - a.count || a.status.localeCompare(b.status),
    ),
    rooms: [...rooms.values()].map(({ minutes, ...r }) => ({
      ...r,
      hours: round(minutes / 60),
      share: round(minutes / 60 / rangeHours),
    })),
    heatmap,
    slots: [...slots.entries()]
      .sort((a, b) => b[1].bookings - a[1].bookings || a[0] - b[0])
      .map(([hour, x]) => ({
        start: `${String(hour).padStart(2, '0')}:00`,
        bookings: x.bookings,
        hours: round(x.hours),
      })) satisfies SlotRow[],
    products: [...products.values()].sort(
      (a, b) => b.quantity - a.quantity || b.revenue - a.revenue || a.name.localeCompare(b.name),
    ),
    deals: [...deals.values()].sort(
      (a, b) => b.redeemed - a.redeemed || a.dealTitle.localeCompare(b.dealTitle),
    ),
    wallet: {
      topUps: [...topUps.values()].sort((a, b) => b.principal - a.principal),
      owed,
    },
    members,
    campaigns: [...campaigns.values()].map((c) => c.row),
    refunds: {
      rows: [...refunds.values()].sort(
        (a, b) => a.of.localeCompare(b.of) || a.purpose.localeCompare(b.purpose),
      ),
      cancellations,
    },
    energy: [...energy.values()],
    stores: stores.map((s): StoreStatsRow => {
      const docs = docsOf(s);
      const hours = docs.reduce((h, d) => h + d.rooms.reduce((x, r) => x + r.hours, 0), 0);
      const roomHours = docs.reduce((h, d) => h + Math.max(d.roomCount, 1) * 24, 0);
      return {
        storeId: s.storeId,
        name: s.name,
        received: docs.reduce((x, d) => x + d.received, 0),
        refunded: docs.reduce((x, d) => x + d.refunded, 0),
        net: docs.reduce((x, d) => x + d.net, 0),
        bookings: docs.reduce((x, d) => x + d.bookings.reduce((y, b) => y + b.count, 0), 0),
        hours: round(hours),
        share: roomHours ? round(hours / roomHours) : 0,
        membersJoined: docs.reduce((x, d) => x + d.members.joined, 0),
        daysPublished: docs.length,
        updatedAt: docs.reduce<string | null>(
          (x, d) => (x === null || d.updatedAt > x ? d.updatedAt : x),
          null,
        ),
      };
    }),
  };
}
