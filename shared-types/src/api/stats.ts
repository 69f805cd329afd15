// The owner's statistics (O10): the range the figures cover, which table to export, and the shape
// of each table. Every figure is counted from the ledgers and bookings when asked, never from a
// stored total. Money is fen; the CSV export turns it into yuan.
import { z } from 'zod';
import { LocalDateSchema, localDateOf, nextLocalDate, type LocalDate } from '../time/instant';

/** The ranges the dashboard offers; `custom` names its own first and last store day. */
export const StatsRangeKindSchema = z.enum(['today', 'yesterday', '7d', '30d', 'custom']);
export type StatsRangeKind = z.infer<typeof StatsRangeKindSchema>;

/** The longest custom range: a year and a day, so a whole leap year fits. */
export const STATS_MAX_DAYS = 366;

const rangeFields = {
  range: StatsRangeKindSchema.default('today'),
  /** First store day of a custom range, inclusive. */
  from: LocalDateSchema.optional(),
  /** Last store day of a custom range, inclusive. */
  to: LocalDateSchema.optional(),
};

type RangeFields = { range: StatsRangeKind; from?: string | undefined; to?: string | undefined };

/** Days between two local dates, counted by the calendar (no time zone enters). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function checkRange(q: RangeFields, ctx: z.RefinementCtx): void {
  if (q.range !== 'custom') {
    for (const f of ['from', 'to'] as const) {
      if (q[f] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [f],
          message: 'a date is given only with range=custom',
        });
        return;
      }
    }
    return;
  }
  for (const f of ['from', 'to'] as const) {
    if (q[f] === undefined) {
      ctx.addIssue({ code: 'custom', path: [f], message: 'a custom range needs from and to' });
      return;
    }
  }
  if (q.to! < q.from!) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  } else if (daysBetween(q.from!, q.to!) + 1 > STATS_MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'a range is at most 366 days' });
  }
}

export const StatsQuerySchema = z.object(rangeFields).strict().superRefine(checkRange);
export type StatsQuery = z.output<typeof StatsQuerySchema>;

/** The local date `n` days before `date` (calendar arithmetic, no zone). */
function daysBefore(date: LocalDate, n: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The store days a range covers, in a store's zone, as the hub counts them (today, yesterday, the
 * last 7 or 30 days with today, or the owner's own); the query is one the schema has checked.
 */
export function statsRangeDays(
  q: { range: StatsRangeKind; from?: LocalDate | undefined; to?: LocalDate | undefined },
  now: number,
  timeZone: string,
): StatsRangeView & { dates: LocalDate[] } {
  const today = localDateOf(now, timeZone);
  const [from, to] =
    q.range === 'today'
      ? [today, today]
      : q.range === 'yesterday'
        ? [daysBefore(today, 1), daysBefore(today, 1)]
        : q.range === '7d'
          ? [daysBefore(today, 6), today]
          : q.range === '30d'
            ? [daysBefore(today, 29), today]
            : [q.from!, q.to!];
  const dates: LocalDate[] = [];
  for (let d = from; d <= to; d = nextLocalDate(d)) dates.push(d);
  return { range: q.range, from, to, days: dates.length, timeZone, dates };
}

/** The tables of the statistics page, each one exportable as CSV. */
export const StatsTableSchema = z.enum([
  'revenue',
  'revenue_by_day',
  'bookings',
  'rooms',
  'heatmap',
  'slots',
  'products',
  'deals',
  'wallet',
  'members',
  'campaigns',
  'refunds',
]);
export type StatsTable = z.infer<typeof StatsTableSchema>;

export const StatsExportQuerySchema = z
  .object({ ...rangeFields, table: StatsTableSchema })
  .strict()
  .superRefine(checkRange);
export type StatsExportQuery = z.output<typeof StatsExportQuerySchema>;

/**
 * The ways money reached the store, as the owner reads them: the payment channels, the stored
 * value and points members spent, and the deals vouchers were redeemed from (Meituan, Douyin, our
 * own); `cloud` is money taken online by the cloud service for a booking request.
 */
export const RevenueChannelSchema = z.enum([
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
]);
export type RevenueChannel = z.infer<typeof RevenueChannelSchema>;

export interface StatsRangeView {
  range: StatsRangeKind;
  /** First and last store day, inclusive. */
  from: LocalDate;
  to: LocalDate;
  days: number;
  timeZone: string;
}

export interface RevenueRow {
  channel: RevenueChannel;
  /** Paid in for bookings (the money ledger), fen. */
  bookings: number;
  /** Paid in for tea and snacks (the order money ledger), fen. */
  orders: number;
  /** Given back in the range, as a positive number, bookings and orders together. */
  refunded: number;
  /** In less back. */
  net: number;
  /** Platform and own vouchers: what the vouchers redeemed in the range were worth to customers. */
  faceValue: number | null;
  /** Platform and own vouchers: what the platform settles to the store for them. */
  settled: number | null;
}

export interface RevenueTable {
  rows: RevenueRow[];
  total: { bookings: number; orders: number; refunded: number; net: number };
}

export interface RevenueDayRow {
  date: LocalDate;
  received: number;
  refunded: number;
  net: number;
}

export interface BookingStatusRow {
  status: string;
  /** Bookings whose slot starts in the range. */
  count: number;
  /** Their bills, fen. */
  total: number;
}

export interface RoomHoursRow {
  roomId: string;
  roomName: string;
  bookings: number;
  /** Hours of slots in the range, paid or used (a slot over midnight counts on each side). */
  hours: number;
  /** Share of the room's hours in the range taken, 0 to 1. */
  share: number;
}

export interface HeatCell {
  /** 1 Monday ... 7 Sunday, in the store's zone. */
  weekday: number;
  /** 0 ... 23, the store's wall clock. */
  hour: number;
  /** Share of the room-hours of this weekday and hour in the range that were taken, 0 to 1. */
  share: number;
}

export interface SlotRow {
  /** The start hour of day, `HH:00`. */
  start: string;
  bookings: number;
  hours: number;
}

export interface ProductRow {
  itemId: string;
  name: string;
  quantity: number;
  /**
   * What the lines were charged, fen: their price less their share of the order's discounts (a
   * member's, split across its lines in proportion); orders refunded or cancelled do not count.
   */
  revenue: number;
}

export interface DealRow {
  source: 'own' | 'meituan' | 'douyin';
  dealId: string | null;
  dealTitle: string;
  redeemed: number;
  faceValue: number;
  settled: number;
}

export interface TopUpRow {
  /** How the money came: cash, wechat, alipay, unionpay, cloud, moved (from another store). */
  method: string;
  count: number;
  principal: number;
  bonus: number;
}

export interface WalletTable {
  topUps: TopUpRow[];
  /** What the store owes its customers in stored value now, whatever the range. */
  owed: { principal: number; bonus: number; wallets: number };
}

export interface MemberDayRow {
  date: LocalDate;
  joined: number;
  /** Members at the end of the day. */
  total: number;
}

export interface CampaignRow {
  campaignId: string;
  name: string;
  kind: string;
  status: string;
  issued: number;
  claimed: number;
  exchanged: number;
  points: number;
  used: number;
  revenue: number;
  newMembers: number;
  cost: number;
}

export interface RefundRow {
  /** What the money came back from: a booking or a tea-and-snacks order. */
  of: 'booking' | 'order';
  /** Why: cancel, approved, change, no_show, early_end, staff...; `order` for an order. */
  purpose: string;
  count: number;
  amount: number;
}

export interface RefundsTable {
  rows: RefundRow[];
  /** Bookings called off in the range, by who called them off. */
  cancellations: { customer: number; staff: number; system: number };
}

/** Every table for one range: what the dashboard draws. */
export interface StatsView {
  range: StatsRangeView;
  revenue: RevenueTable;
  revenueByDay: RevenueDayRow[];
  bookings: BookingStatusRow[];
  rooms: RoomHoursRow[];
  heatmap: HeatCell[];
  slots: SlotRow[];
  products: ProductRow[];
  deals: DealRow[];
  wallet: WalletTable;
  members: MemberDayRow[];
  campaigns: CampaignRow[];
  refunds: RefundsTable;
}

// ---- the owner's statistics on the cloud: one store or every store the owner runs ------------

/** `all`: every store the signed-in owner runs, added up; otherwise one of them. */
export const StatsStoreSchema = z.union([
  z.literal('all'),
  z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a store id or all'),
]);

export const OwnerStatsQuerySchema = z
  .object({ storeId: StatsStoreSchema.default('all'), ...rangeFields })
  .strict()
  .superRefine(checkRange);
export type OwnerStatsQuery = z.output<typeof OwnerStatsQuerySchema>;

export const OwnerStatsExportQuerySchema = z
  .object({ storeId: StatsStoreSchema.default('all'), ...rangeFields, table: StatsTableSchema })
  .strict()
  .superRefine(checkRange);
export type OwnerStatsExportQuery = z.output<typeof OwnerStatsExportQuerySchema>;

/** One store's line beside the total: its main figures for the range and how fresh they are. */
export interface StoreStatsRow {
  storeId: string;
  name: string;
  received: number;
  refunded: number;
  net: number;
  bookings: number;
  /** Room-hours taken in the range. */
  hours: number;
  /** Share of the store's room-hours taken, 0 to 1. */
  share: number;
  membersJoined: number;
  /** Store days of the range its hub has published. */
  daysPublished: number;
  /** When its hub last wrote a day of the range; null when it wrote none. */
  updatedAt: string | null;
}

export interface EnergyRoomRow {
  storeId: string;
  roomId: string;
  roomName: string;
  kwh: number;
  costFen: number | null;
}

/**
 * The owner's statistics read through the cloud: the tables the hub's dashboard draws, for one
 * store or added up over all of the owner's stores, with a line per store and energy per room.
 */
export interface OwnerStatsView extends StatsView {
  storeId: string;
  stores: StoreStatsRow[];
  energy: EnergyRoomRow[];
}
