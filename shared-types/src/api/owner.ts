// The cloud's owner API, as the owner's remote view calls it: sign-in, the view of a store (day
// board, orders, revenue, devices, sync freshness) and the changes an owner makes remotely (owner
// intents: the bodies are the hub's own, api/store.ts, calendar.ts, devices.ts; the answer is an
// IntentView). The cloud validates with these schemas and the screens import them and the response
// types. Pure: schemas and types only.
import { z } from 'zod';
import { BookingStatusSchema } from '../booking/booking-status';
import { StoreIdSchema } from '../sync/databases';
import { pageQuery } from './paging';
import {
  IdPartSchema,
  RoomProfileDocSchema,
  StoreProfileDocSchema,
  type BookingDoc,
  type AuditEntryDoc,
  type DealDoc,
  type DeviceSchedulesDoc,
  type DevicesHealthDoc,
  type SessionDoc,
} from '../sync/documents';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { SmsVerifyBodySchema, type Published, type RoomDaySegment } from './customer';
import type { MemberLevelView, MemberRules } from './members';
import type { StaffRole } from '../staff/roles';

/** An owner signs in with the code texted to their phone (`/api/auth/sms/send`), or a password. */
export const OwnerSignInBodySchema = z.union([
  SmsVerifyBodySchema,
  z.object({
    username: z.string().min(1).max(40),
    password: z.string().min(1).max(200),
  }),
]);

export interface OwnerSignIn {
  /** A bearer token for the owner routes. */
  token: string;
  /** The stores this owner may see. */
  storeIds: string[];
}

export const OwnerStoreParamsSchema = z.object({ storeId: StoreIdSchema });
export const OwnerRoomParamsSchema = z.object({ storeId: StoreIdSchema, roomId: IdPartSchema });
export const OwnerCampaignParamsSchema = z.object({
  storeId: StoreIdSchema,
  campaignId: IdPartSchema,
});
export const OwnerDealParamsSchema = z.object({ storeId: StoreIdSchema, dealId: IdPartSchema });
export const OwnerInvoiceParamsSchema = z.object({
  storeId: StoreIdSchema,
  requestId: IdPartSchema,
});
/** Where the owner sends an invoice's PDF from afar: its body is the file, not JSON. */
export const OWNER_INVOICE_ISSUE_PATH = '/api/owner/stores/:storeId/invoices/:requestId/issue';
export const OwnerStaffParamsSchema = z.object({ storeId: StoreIdSchema, staffId: IdPartSchema });
export const OwnerItemParamsSchema = z.object({ storeId: StoreIdSchema, itemId: IdPartSchema });
export const OwnerDateParamsSchema = z.object({ storeId: StoreIdSchema, date: LocalDateSchema });
export const OwnerDeviceParamsSchema = z.object({ storeId: StoreIdSchema, deviceId: IdPartSchema });
export const OwnerScheduleParamsSchema = z.object({
  storeId: StoreIdSchema,
  scheduleId: IdPartSchema,
});
export const OwnerIntentParamsSchema = z.object({ storeId: StoreIdSchema, intentId: IdPartSchema });

export const OwnerOrdersQuerySchema = z.object({
  status: BookingStatusSchema.optional(),
  /** One local day, whole; without it the orders come a page at a time. */
  date: LocalDateSchema.optional(),
  ...pageQuery(500),
});
export type OwnerOrdersQuery = z.output<typeof OwnerOrdersQuerySchema>;

export const RevenueQuerySchema = z
  .object({ from: LocalDateSchema, to: LocalDateSchema })
  .refine((v) => v.from <= v.to, { message: 'to must not be before from', path: ['to'] });

export interface OwnerBoard {
  storeId: string;
  date: string;
  /** The newest thing the store's hub published (its last sync); null when it never synced. */
  syncedAt: string | null;
  rooms: {
    roomId: string;
    name: string;
    /** The whole local day, free stretches included; [] only while the store never synced. */
    segments: RoomDaySegment[];
    bookings: Published<BookingDoc>[];
    /** The session under way in the room, if any. */
    session: SessionDoc | null;
  }[];
}

export interface OwnerOrdersPage {
  orders: Published<BookingDoc>[];
  /** Pass as `before` for the next page; null on the last one (and for a whole day). */
  next: string | null;
}

/** Sums of the store's ledger, fen: payments positive, refunds negative. */
export interface OwnerRevenue {
  storeId: string;
  from: string;
  to: string;
  net: number;
  byMethod: Record<string, number>;
  days: { date: string; payments: number; refunds: number; adjustments: number; net: number }[];
}

/**
 * What the store's hub last published about itself, as the owner's remote pages show and edit it
 * (the changes go as owner intents): the store with its hours and booking rules, every room with
 * its details as customers see them and its price plan (retired ones too), and the owner's
 * day-type overrides of the official calendar.
 */
export const OwnerStoreProfileSchema = z.object({
  storeId: StoreIdSchema,
  /** The store's date now, in its own zone: the calendar opens on its month. */
  today: LocalDateSchema,
  store: StoreProfileDocSchema.pick({
    name: true,
    address: true,
    phone: true,
    timeZone: true,
    hours: true,
    location: true,
    photos: true,
    rules: true,
  }).extend({
    /** As the hub's own store answers them: null for none. */
    logoUrl: z.string().max(500).nullable(),
    theme: z.string().nullable(),
  }),
  rooms: z.array(
    RoomProfileDocSchema.pick({
      roomId: true,
      name: true,
      status: true,
      sort: true,
      capacity: true,
      areaSqm: true,
      style: true,
      facilities: true,
      photos: true,
      video: true,
      videoPoster: true,
      pricePlan: true,
      rules: true,
    }),
  ),
  calendar: StoreProfileDocSchema.shape.calendar,
  /** When the hub published the store last, in the store's zone. */
  updatedAt: IsoInstantSchema,
});
export type OwnerStoreProfile = z.output<typeof OwnerStoreProfileSchema>;

/** The owner's device schedules as the store's hub last published them (none until it has). */
export interface OwnerDeviceSchedules {
  storeId: string;
  schedules: DeviceSchedulesDoc['schedules'];
  updatedAt: string | null;
}

export type OwnerDevices =
  Published<DevicesHealthDoc> | { storeId: string; devices: []; updatedAt: null };

/**
 * The stored value the owner's stores owe their customers (the prepaid-card rules): each store as
 * its hub last published it (null: not published yet), and the total, principal and bonus apart.
 */
export interface OwnerWalletOwed {
  stores: {
    storeId: string;
    principal: number;
    bonus: number;
    wallets: number;
    updatedAt: string | null;
  }[];
  total: { principal: number; bonus: number };
}

/**
 * A store's tea and snacks as its hub published them, for the owner away from the store: each
 * category's items with their price and whether they can be ordered now, and the items at or
 * below their low-stock threshold with what is left. Changed at the store only.
 */
export interface OwnerProducts {
  storeId: string;
  categories: {
    categoryId: string;
    name: string;
    items: {
      itemId: string;
      name: string;
      /** Its photos' addresses, as the customer's menu shows them. */
      photos: string[];
      /** Fen, with the first (or default) choice of each spec. */
      price: number;
      /** False when switched off for today or none is left. */
      available: boolean;
      /** Switched off by staff; null: the hub published a menu before it said so. */
      soldOut: boolean | null;
      /** On the shelf; null when not counted (or published before stock was). */
      stock: number | null;
      lowStockAt: number | null;
      /** Null unless the item is at or below its threshold. */
      low: { balance: number; lowStockAt: number; since: string } | null;
    }[];
  }[];
  /** Every item at or below its threshold, the longest low first. */
  low: { itemId: string; name: string; balance: number; lowStockAt: number; since: string }[];
  /** The newest of the menu and the low-stock list; null: neither published yet. */
  updatedAt: string | null;
}

/**
 * A store's invoice requests as its hub published them, newest first, for the owner away from
 * the store: who asked, for which booking, how much, and whether it is issued or refused (the
 * PDF is issued at the store).
 */
export interface OwnerInvoices {
  storeId: string;
  /** Requests not issued or refused yet. */
  waiting: number;
  invoices: {
    requestId: string;
    bookingId: string;
    status: 'waiting' | 'issued' | 'rejected';
    title: { kind: 'personal'; name: string } | { kind: 'company'; name: string; taxId: string };
    amount: number;
    requestedAt: string;
    number: string | null;
    issuedOn: string | null;
    reason: string | null;
  }[];
}

/**
 * One local day of a store's audit log as its hub published it, newest first, for the owner away
 * from the store: who did what, to what, and whether the hub let them (what an action changed is
 * read at the store).
 */
/** GET /api/owner/stores/:storeId/audit: one local day of the store's; today when absent. */
export const OwnerAuditQuerySchema = z.object({ date: LocalDateSchema.optional() });

export interface OwnerAudit {
  storeId: string;
  date: string;
  entries: AuditEntryDoc[];
  /** Entries of that day not carried (an hour of more than the hub publishes). */
  more: number;
  /** When the newest hour was published; null: nothing published for the day. */
  updatedAt: string | null;
}

/** A store's deals as its hub published them, every status, with how many of a limited stock sold. */
export interface OwnerDeals {
  deals: (Published<DealDoc> & { sold: number | null })[];
}

/**
 * A store's member levels (each with how many hold it) and points rules as its hub last published
 * them, for the owner's remote view to show and change; `rules` null: not published yet.
 */
export interface OwnerMemberSettings {
  rules: MemberRules | null;
  levels: MemberLevelView[];
  updatedAt: string | null;
}

/** A store's staff as its hub last published them (never a PIN); `updatedAt` null: not yet. */
export interface OwnerStaff {
  staff: { id: string; name: string; role: StaffRole; status: 'active' | 'disabled' }[];
  updatedAt: string | null;
}

/**
 * A store's members and campaigns as its hub last published them, for the owner away from the
 * store: how many members at each level, the points they hold, what the wallets owe, how each
 * campaign's coupons went. Changed at the store only.
 */
export interface OwnerMembers {
  storeId: string;
  members: number;
  /** Members at each level, most first; `level` null: members without one. */
  levels: { level: string | null; members: number }[];
  /** Members who joined, and who came, in the 30 days to now. */
  joined30Days: number;
  visited30Days: number;
  /** The points the members hold, not yet spent or expired. */
  points: number;
  /** What the store's wallets owe, fen; null: not published yet. */
  wallet: { principal: number; bonus: number; wallets: number } | null;
  campaigns: {
    campaignId: string;
    couponName: string;
    status: 'active' | 'paused' | 'ended';
    claimFrom: string;
    claimTo: string;
    pointsPrice: number | null;
    soldOut: boolean;
    /** Its coupons given out, and those used on a booking. */
    issued: number;
    used: number;
  }[];
  /** The newest of what it read; null when the store published none of it yet. */
  updatedAt: string | null;
}

/** How fresh the store's replicated data is, and the customers' intents it has not answered. */
export interface OwnerSync {
  storeId: string;
  /** The newest time of each kind of hub document, or null when none came yet. */
  latest: Record<string, string | null>;
  lastHubWriteAt: string | null;
  lagMs: number | null;
  unansweredIntents: number;
  oldestUnansweredAt: string | null;
}
