// The owner's statistics (O10): each table counted, when asked, from what the store recorded as it
// happened: the money ledger (bookings), the order money ledger (tea and snacks), the bookings and
// their history, redemptions, wallet top-ups, members and campaigns. It never keeps a total of its
// own and never writes anything but the audit entry of an export. Each query reads by an index
// over its time column (migration 024), so a month of a busy store stays quick.
import {
  HOUR,
  MINUTE,
  localDateOf,
  localMinuteOfDay,
  offsetMinutes,
  type Actor,
  type BookingStatusRow,
  type CampaignResults,
  type CampaignRow,
  type Clock,
  type DealRow,
  type HeatCell,
  type MemberDayRow,
  type ProductRow,
  type RedemptionStatsRow,
  type RefundsTable,
  type RevenueChannel,
  type RevenueDayRow,
  type RevenueRow,
  type RevenueTable,
  type RoomHoursRow,
  type SlotRow,
  type StatsExportQuery,
  type StatsQuery,
  type StatsTable,
  type StatsView,
  type WalletTable,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import { revenueByItem, type SoldLine } from '../menu/line-revenue';
import { statsCsv, type StatsTableData } from './stats-csv';
import { statsSpan, type StatsSpan } from './stats-range';

export interface StatsDeps {
  db: Db;
  clock: Clock;
  timeZone: () => string;
  audit: AuditLog;
  /** Redemptions per day, source and deal, with face value and settled amount (the vouchers'). */
  redemptionStats: (from: string, to: string) => RedemptionStatsRow[];
  /** The stored value owed now (the wallet's). */
  owed: () => { principal: number; bonus: number; wallets: number };
  /** A campaign's results (the coupons'). */
  campaignResults: (campaignId: string) => CampaignResults;
}

/** The statuses of a booking whose room was taken: paid for, in use or used. */
const TAKEN = `('paid','in_use','completed')`;
/** The longest a booking can be (the booking rules' limit): how far back a slot may start. */
const LONGEST_BOOKING = 7 * 24 * HOUR;

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

const VOUCHER_CHANNEL: Record<string, RevenueChannel> = {
  own: 'own_deal',
  meituan: 'meituan',
  douyin: 'douyin',
};

interface Money {
  kind: 'payment' | 'refund';
  method: string;
  amount: number;
  at: number;
  source: string | null;
}

export class StatsService {
  constructor(private readonly d: StatsDeps) {}

  span(q: StatsQuery): StatsSpan {
    return statsSpan(q, this.d.clock.now(), this.d.timeZone());
  }

  /** Every table for the range: what the dashboard draws. */
  all(q: StatsQuery): StatsView {
    const s = this.span(q);
    const { rooms, heatmap } = this.utilisation(s);
    return {
      range: { range: s.range, from: s.from, to: s.to, days: s.days, timeZone: s.timeZone },
      revenue: this.revenue(s),
      revenueByDay: this.revenueByDay(s),
      bookings: this.bookings(s),
      rooms,
      heatmap,
      slots: this.slots(s),
      products: this.products(s),
      deals: this.deals(s),
      wallet: this.wallet(s),
      members: this.members(s),
      campaigns: this.campaigns(s),
      refunds: this.refunds(s),
    };
  }

  /** One table as a CSV file for a spreadsheet; the export is audited. Run inside a write. */
  exportCsv(q: StatsExportQuery, actor: Actor): { csv: string; filename: string } {
    const { table, ...rangeQuery } = q;
    const s = this.span(rangeQuery);
    const { csv, rows } = statsCsv(this.table(table, s));
    this.d.audit.record({
      actor,
      action: 'stats.export',
      target: table,
      after: { table, from: s.from, to: s.to, rows },
    });
    return { csv, filename: `${table}-${s.from}-${s.to}.csv` };
  }

  private table(table: StatsTable, s: StatsSpan): StatsTableData {
    switch (table) {
      case 'revenue':
        return { table, data: this.revenue(s) };
      case 'revenue_by_day':
        return { table, data: this.revenueByDay(s) };
      case 'bookings':
        return { table, data: this.bookings(s) };
      case 'rooms':
        return { table, data: this.utilisation(s).rooms };
      case 'heatmap':
        return { table, data: this.utilisation(s).heatmap };
      case 'slots':
        return { table, data: this.slots(s) };
      case 'products':
        return { table, data: this.products(s) };
      case 'deals':
        return { table, data: this.deals(s) };
      case 'wallet':
        return { table, data: this.wallet(s) };
      case 'members':
        return { table, data: this.members(s) };
      case 'campaigns':
        return { table, data: this.campaigns(s) };
      case 'refunds':
        return { table, data: this.refunds(s) };
    }
  }

  // ---- money ----------------------------------------------------------------------------------

  /** Money moved for bookings in the range: the money ledger, a voucher named by its source. */
  private bookingMoney(s: StatsSpan): Money[] {
    return this.d.db
      .prepare(
        `SELECT l.kind, l.method, l.amount, l.at,
                CASE WHEN l.method = 'voucher'
                  THEN (SELECT r.source FROM redemptions r WHERE r.payment_id = l.payment_id LIMIT 1)
                END AS source
           FROM ledger l WHERE l.at >= ? AND l.at < ?`,
      )
      .all(s.start, s.end) as Money[];
  }

  /** Money moved for tea and snacks in the range: the order money ledger. */
  private orderMoney(s: StatsSpan): Money[] {
    return this.d.db
      .prepare(
        `SELECT kind, method, amount, at, NULL AS source FROM order_money WHERE at >= ? AND at < ?`,
      )
      .all(s.start, s.end) as Money[];
  }

  revenue(s: StatsSpan): RevenueTable {
    const rows = new Map<RevenueChannel, RevenueRow>();
    const row = (channel: RevenueChannel): RevenueRow => {
      let r = rows.get(channel);
      if (!r) {
        r = {
          channel,
          bookings: 0,
          orders: 0,
          refunded: 0,
          net: 0,
          faceValue: null,
          settled: null,
        };
        rows.set(channel, r);
      }
      return r;
    };
    const add = (m: Money, of: 'bookings' | 'orders') => {
      const channel =
        m.method === 'voucher'
          ? (VOUCHER_CHANNEL[m.source ?? 'own'] ?? 'own_deal')
          : (m.method as RevenueChannel);
      const r = row(channel);
      if (m.kind === 'payment') r[of] += m.amount;
      else r.refunded -= m.amount;
      r.net += m.amount;
    };
    for (const m of this.bookingMoney(s)) add(m, 'bookings');
    for (const m of this.orderMoney(s)) add(m, 'orders');
    // What the vouchers redeemed in the range were worth, and what their platform settles.
    for (const v of this.d.redemptionStats(s.from, s.to)) {
      const r = row(VOUCHER_CHANNEL[v.source] ?? 'own_deal');
      r.faceValue = (r.faceValue ?? 0) + v.faceValue;
      r.settled = (r.settled ?? 0) + v.settleAmount;
    }
    const sorted = CHANNEL_ORDER.flatMap((c) => rows.get(c) ?? []);
    const total = { bookings: 0, orders: 0, refunded: 0, net: 0 };
    for (const r of sorted) {
      total.bookings += r.bookings;
      total.orders += r.orders;
      total.refunded += r.refunded;
      total.net += r.net;
    }
    return { rows: sorted, total };
  }

  revenueByDay(s: StatsSpan): RevenueDayRow[] {
    const tz = s.timeZone;
    const days = new Map<string, RevenueDayRow>(
      s.dates.map((date) => [date, { date, received: 0, refunded: 0, net: 0 }]),
    );
    for (const m of [...this.bookingMoney(s), ...this.orderMoney(s)]) {
      const d = days.get(localDateOf(m.at, tz));
      if (!d) continue;
      if (m.kind === 'payment') d.received += m.amount;
      else d.refunded -= m.amount;
      d.net += m.amount;
    }
    return [...days.values()];
  }

  refunds(s: StatsSpan): RefundsTable {
    const rows = this.d.db
      .prepare(
        `SELECT 'booking' AS "of", r.purpose AS purpose, COUNT(*) AS count, -SUM(l.amount) AS amount
           FROM ledger l JOIN refunds r ON r.id = l.refund_id
          WHERE l.at >= ? AND l.at < ? AND l.kind = 'refund'
          GROUP BY r.purpose
         UNION ALL
         SELECT 'order', 'order', COUNT(*), -SUM(amount)
           FROM order_money WHERE at >= ? AND at < ? AND kind = 'refund'
         HAVING COUNT(*) > 0
         ORDER BY 1, 2`,
      )
      .all(s.start, s.end, s.start, s.end) as RefundsTable['rows'];
    const cancellations = { customer: 0, staff: 0, system: 0 };
    const byWho = this.d.db
      .prepare(
        // The calling off itself (a paid booking goes to refunding first), or a hold run out;
        // not the refund's settling, which closes the same booking again later.
        `SELECT actor_kind AS who, COUNT(*) AS n FROM booking_events
          WHERE to_status IN ('cancelled','refunding') AND at >= ? AND at < ?
            AND action IN ('cancel','expire')
          GROUP BY actor_kind`,
      )
      .all(s.start, s.end) as { who: keyof typeof cancellations; n: number }[];
    for (const r of byWho) cancellations[r.who] = r.n;
    return { rows, cancellations };
  }

  // ---- bookings and rooms ---------------------------------------------------------------------

  bookings(s: StatsSpan): BookingStatusRow[] {
    return this.d.db
      .prepare(
        `SELECT status, COUNT(*) AS count, SUM(total) AS total FROM bookings
          WHERE start_at >= ? AND start_at < ? GROUP BY status ORDER BY count DESC, status`,
      )
      .all(s.start, s.end) as BookingStatusRow[];
  }

  /** Hours taken per room and the share of room-hours taken by weekday and hour. */
  utilisation(s: StatsSpan): { rooms: RoomHoursRow[]; heatmap: HeatCell[] } {
    const tz = s.timeZone;
    const booked = this.d.db
      .prepare(
        `SELECT room_id, start_at, end_at FROM bookings
          WHERE start_at >= ? AND start_at < ? AND end_at > ? AND status IN ${TAKEN}`,
      )
      .all(s.start - LONGEST_BOOKING, s.end, s.start) as {
      room_id: string;
      start_at: number;
      end_at: number;
    }[];
    const perRoom = new Map<string, { bookings: number; minutes: number }>();
    // taken[weekday - 1][hour]: minutes taken in that hour of that weekday, all rooms
    const taken = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const b of booked) {
      const from = Math.max(b.start_at, s.start);
      const to = Math.min(b.end_at, s.end);
      const r = perRoom.get(b.room_id) ?? { bookings: 0, minutes: 0 };
      r.bookings += 1;
      r.minutes += (to - from) / MINUTE;
      perRoom.set(b.room_id, r);
      for (let t = from; t < to;) {
        const local = t + offsetMinutes(t, tz) * MINUTE;
        const hourEnd = t + (Math.floor(local / HOUR) + 1) * HOUR - local;
        const next = Math.min(to, hourEnd);
        const day = new Date(local).getUTCDay();
        taken[(day + 6) % 7]![new Date(local).getUTCHours()]! += (next - t) / MINUTE;
        t = next;
      }
    }
    // The rooms open now, and any retired since that was taken in the range: its hours were real.
    const rooms = (
      this.d.db.prepare(`SELECT id, name, status FROM rooms ORDER BY sort, name`).all() as {
        id: string;
        name: string;
        status: string;
      }[]
    ).filter((r) => r.status === 'active' || perRoom.has(r.id));
    // The room-hours of each weekday in the range: one per room per such day.
    const daysOfWeek = new Array<number>(7).fill(0);
    for (const date of s.dates)
      daysOfWeek[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]! += 1;
    const roomCount = Math.max(rooms.length, 1);
    const heatmap: HeatCell[] = [];
    for (let w = 0; w < 7; w++) {
      for (let hour = 0; hour < 24; hour++) {
        const available = roomCount * daysOfWeek[w]! * 60;
        heatmap.push({
          weekday: w + 1,
          hour,
          share: available ? round(taken[w]![hour]! / available) : 0,
        });
      }
    }
    const rangeMinutes = (s.end - s.start) / MINUTE;
    return {
      rooms: rooms.map((room) => {
        const r = perRoom.get(room.id) ?? { bookings: 0, minutes: 0 };
        return {
          roomId: room.id,
          roomName: room.name,
          bookings: r.bookings,
          hours: round(r.minutes / 60),
          share: round(r.minutes / rangeMinutes),
        };
      }),
      heatmap,
    };
  }

  /** The start hours customers book most, busiest first. */
  slots(s: StatsSpan): SlotRow[] {
    const rows = this.d.db
      .prepare(
        `SELECT start_at, end_at FROM bookings
          WHERE start_at >= ? AND start_at < ? AND status IN ${TAKEN}`,
      )
      .all(s.start, s.end) as { start_at: number; end_at: number }[];
    const by = new Map<number, { bookings: number; minutes: number }>();
    for (const r of rows) {
      const hour = Math.floor(localMinuteOfDay(r.start_at, s.timeZone) / 60);
      const x = by.get(hour) ?? { bookings: 0, minutes: 0 };
      x.bookings += 1;
      x.minutes += (r.end_at - r.start_at) / MINUTE;
      by.set(hour, x);
    }
    return [...by.entries()]
      .sort((a, b) => b[1].bookings - a[1].bookings || a[0] - b[0])
      .map(([hour, x]) => ({
        start: `${String(hour).padStart(2, '0')}:00`,
        bookings: x.bookings,
        hours: round(x.minutes / 60),
      }));
  }

  // ---- tea and snacks, deals, wallet, members, campaigns --------------------------------------

  /** Items sold in the range, each line's revenue what was charged for it after the discounts. */
  products(s: StatsSpan): ProductRow[] {
    const lines = this.d.db
      .prepare(
        `SELECT o.id AS orderId, l.item_id AS itemId, l.name AS name, l.quantity AS quantity,
                l.amount AS amount,
                (SELECT COALESCE(SUM(d.amount), 0) FROM order_discounts d WHERE d.order_id = o.id)
                  AS discount
           FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.created_at >= ? AND o.created_at < ?
            AND o.status IN ('placed','prepared','delivered')
          ORDER BY o.id, l.line`,
      )
      .all(s.start, s.end) as SoldLine[];
    return [...revenueByItem(lines).values()].sort(
      (a, b) =>
        b.quantity - a.quantity ||
        b.revenue - a.revenue ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }

  deals(s: StatsSpan): DealRow[] {
    const by = new Map<string, DealRow>();
    for (const v of this.d.redemptionStats(s.from, s.to)) {
      const k = `${v.source}|${v.dealId ?? v.dealTitle}`;
      const r = by.get(k) ?? {
        source: v.source,
        dealId: v.dealId,
        dealTitle: v.dealTitle,
        redeemed: 0,
        faceValue: 0,
        settled: 0,
      };
      r.redeemed += v.count;
      r.faceValue += v.faceValue;
      r.settled += v.settleAmount;
      by.set(k, r);
    }
    return [...by.values()].sort(
      (a, b) => b.redeemed - a.redeemed || a.dealTitle.localeCompare(b.dealTitle),
    );
  }

  wallet(s: StatsSpan): WalletTable {
    const topUps = this.d.db
      .prepare(
        `SELECT method, COUNT(*) AS count, SUM(principal) AS principal, SUM(bonus) AS bonus
           FROM wallet_topups WHERE at >= ? AND at < ? GROUP BY method ORDER BY principal DESC`,
      )
      .all(s.start, s.end) as WalletTable['topUps'];
    const { principal, bonus, wallets } = this.d.owed();
    return { topUps, owed: { principal, bonus, wallets } };
  }

  members(s: StatsSpan): MemberDayRow[] {
    let total = (
      this.d.db.prepare('SELECT COUNT(*) AS n FROM members WHERE joined_at < ?').get(s.start) as {
        n: number;
      }
    ).n;
    const joined = new Map<string, number>();
    const rows = this.d.db
      .prepare('SELECT joined_at FROM members WHERE joined_at >= ? AND joined_at < ?')
      .pluck()
      .all(s.start, s.end) as number[];
    for (const at of rows) {
      const date = localDateOf(at, s.timeZone);
      joined.set(date, (joined.get(date) ?? 0) + 1);
    }
    return s.dates.map((date) => {
      const n = joined.get(date) ?? 0;
      total += n;
      return { date, joined: n, total };
    });
  }

  /** The campaigns whose claim window meets the range, with their results so far. */
  campaigns(s: StatsSpan): CampaignRow[] {
    const rows = this.d.db
      .prepare(
        `SELECT id, name, kind, status FROM campaigns
          WHERE claim_from <= ? AND claim_to >= ? ORDER BY claim_from, created_at, id`,
      )
      .all(s.to, s.from) as { id: string; name: string; kind: string; status: string }[];
    return rows.map((c) => {
      const { campaignId, ...results } = this.d.campaignResults(c.id);
      return { campaignId, name: c.name, kind: c.kind, status: c.status, ...results };
    });
  }
}

/** A share or a count of hours as the dashboard shows it: four decimal places at most. */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
