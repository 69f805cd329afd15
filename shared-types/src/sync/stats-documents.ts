// The statistics of one store day as its hub publishes them (O10, O12): the same figures the hub's
// statistics count from its ledgers and bookings for that day, kept in a form the cloud can add up
// over a range and over stores (minutes rather than shares, members joined with the day's total).
// The hub is the only writer; it writes the day again whenever something in it changes (a late
// refund), under the same id, so a day is never counted twice. No I/O.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { RevenueChannelSchema } from '../api/stats';

export const STATS_DAY_PREFIX = 'stats:day:';
export const statsDayDocId = (date: string) => `${STATS_DAY_PREFIX}${LocalDateSchema.parse(date)}`;

const fen = z.number().int();
const count = z.number().int().min(0);
/** Minutes or hours, to four decimal places. */
const amount = z.number().min(0);
const name = z.string().max(120);

export const StatsDayDocSchema = z.object({
  _id: z.string().startsWith(STATS_DAY_PREFIX),
  type: z.literal('stats_day'),
  storeId: StoreIdSchema,
  date: LocalDateSchema,
  timeZone: z.string().min(1).max(60),
  /** Money in and back that day by channel: the revenue table of the day. */
  revenue: z
    .array(
      z.object({
        channel: RevenueChannelSchema,
        bookings: fen,
        orders: fen,
        refunded: fen,
        net: fen,
        faceValue: fen.nullable(),
        settled: fen.nullable(),
      }),
    )
    .max(20),
  /** The day's row of revenue by day. */
  received: fen,
  refunded: fen,
  net: fen,
  /** Bookings whose slot starts that day, by status, with their bills. */
  bookings: z.array(z.object({ status: z.string().max(40), count, total: fen })).max(40),
  /** The rooms open that day (or taken on it): what a share of room-hours is a share of. */
  roomCount: count,
  /** Per room: bookings under way that day and the hours of them inside it. */
  rooms: z
    .array(z.object({ roomId: z.string().max(64), roomName: name, bookings: count, hours: amount }))
    .max(500),
  /** Minutes taken in each hour of the store's wall clock that day, all rooms together (24). */
  hourMinutes: z.array(amount).length(24),
  /** Bookings by the hour they start at, 0 ... 23. */
  slots: z
    .array(z.object({ hour: z.number().int().min(0).max(23), bookings: count, hours: amount }))
    .max(24),
  products: z
    .array(z.object({ itemId: z.string().max(64), name, quantity: count, revenue: fen }))
    .max(1000),
  deals: z
    .array(
      z.object({
        source: z.enum(['own', 'meituan', 'douyin']),
        dealId: z.string().max(64).nullable(),
        dealTitle: name,
        redeemed: count,
        faceValue: fen,
        settled: fen,
      }),
    )
    .max(500),
  topUps: z
    .array(z.object({ method: z.string().max(40), count, principal: fen, bonus: fen }))
    .max(20),
  /** Members who joined that day, and all members at its end. */
  members: z.object({ joined: count, total: count }),
  /** The campaigns running that day, with their results as of `updatedAt`. */
  campaigns: z
    .array(
      z.object({
        campaignId: z.string().max(64),
        name,
        kind: z.string().max(40),
        status: z.string().max(40),
        issued: count,
        claimed: count,
        exchanged: count,
        points: count,
        used: count,
        revenue: fen,
        newMembers: count,
        cost: fen,
      }),
    )
    .max(200),
  refunds: z
    .array(
      z.object({
        of: z.enum(['booking', 'order']),
        purpose: z.string().max(40),
        count,
        amount: fen,
      }),
    )
    .max(40),
  cancellations: z.object({ customer: count, staff: count, system: count }),
  /** kWh and cost per room with an energy meter; cost null while no price per kWh is set. */
  energy: z
    .array(
      z.object({
        roomId: z.string().max(64),
        roomName: name,
        kwh: amount,
        costFen: fen.nullable(),
      }),
    )
    .max(500),
  updatedAt: IsoInstantSchema,
});
export type StatsDayDoc = z.infer<typeof StatsDayDocSchema>;
