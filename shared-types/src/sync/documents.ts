// The sync documents: their deterministic ids and zod schemas, the contract between the hub (which
// writes the store's facts and answers) and the cloud service (which writes intents, in
// intent-documents.ts and re-exported here, and the catalogue). Where each lives is in databases.ts;
// the members' and the tea-and-snacks documents are in member-documents.ts and order-documents.ts,
// re-exported here. Each document id has exactly one writer
// (ARCHITECTURE.md), so the hub never edits an intent and the cloud never edits a hub fact.
import { z } from 'zod';
import { IdPartSchema, INTENT_PREFIX, part } from './id-part';
import { IntentDocSchema } from './intent-documents';
import { StoreIdSchema } from './databases';
import { BookingRulesOverrideSchema, BookingRulesSchema } from '../booking/booking-rules';
import { ActorKindSchema, BookingStatusSchema } from '../booking/booking-status';
import { DayTypeSchema } from '../calendar/day-type';
import { PricePlanSchema } from '../pricing/price-plan';
import { PromotionSchema } from '../pricing/discounts';
import { RoomStatusSchema, RoomVideoPosterSchema, RoomVideoSchema } from '../store/store';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { BusKindSchema, DeviceKindSchema } from '../devices/device-kinds';
import { PaymentMethodSchema } from '../payments/payment-method';
import { FeeLineKindSchema } from '../pricing/quote';
import { SegmentStateSchema } from '../booking/segments';
import { DealSourceSchema, EntitlementSchema } from '../vouchers/deal-rules';
import { MovedLotSchema } from '../wallet/shared-wallet';
import { StatsDayDocSchema } from './stats-documents';
import { INVOICE_PREFIX, InvoiceDocSchema } from './invoice-documents';
import {
  CampaignDocSchema,
  CouponDocSchema,
  MemberDocSchema,
  WALLET_OWED_ID,
  MEMBER_SETTINGS_ID,
  MemberSettingsDocSchema,
  STAFF_LIST_ID,
  StaffListDocSchema,
  WalletOwedDocSchema,
} from './member-documents';
import { MENU_DOC_ID, MenuDocSchema, OrderDocSchema } from './order-documents';
import { DEVICE_SCHEDULES_ID, DeviceSchedulesDocSchema } from './device-schedule-documents';
import {
  MAINTENANCE_PREFIX,
  RoomMaintenanceDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
} from './notice-documents';
import { ANOMALY_PREFIX, AnomalyDocSchema } from '../platform/anomalies';
import { AUDIT_PREFIX, AuditHourDocSchema } from './audit-documents';
import { TableSettingsSchema, TableStatusSchema } from '../tables/tables';

export const DEVICES_HEALTH_ID = 'devices:health';
export const STORE_PROFILE_ID = 'profile:store';
export const roomProfileDocId = (roomId: string) => `profile:room:${part(roomId)}`;
export const bookingDocId = (bookingId: string) => `booking:${part(bookingId)}`;
export const ledgerDocId = (bookingId: string, entryId: string) =>
  `ledger:${part(bookingId)}:${part(entryId)}`;
export const sessionDocId = (bookingId: string) => `session:${part(bookingId)}`;
export const availabilityDocId = (roomId: string, date: string) =>
  `availability:${part(roomId)}:${LocalDateSchema.parse(date)}`;
export const dealDocId = (dealId: string) => `deal:${part(dealId)}`;
export const answerDocId = (intentId: string) => `answer:${part(intentId)}`;
/** The hub says it is alive (every few minutes while linked): the cloud tells the owner when it stops. */
export const HUB_ALIVE_ID = 'hub:alive';
export const tableDocId = (tableId: string) => `table:${part(tableId)}`;
export const TABLE_SETTINGS_ID = 'tables:settings';
export const catalogueStoreDocId = (storeId: string) => `store:${StoreIdSchema.parse(storeId)}`;
export const catalogueRoomDocId = (roomId: string) => `room:${part(roomId)}`;

export const ANSWER_PREFIX = 'answer:';

/** The intent id inside `intent:<id>`, or undefined for any other document id. */
export function intentIdOf(docId: string): string | undefined {
  if (!docId.startsWith(INTENT_PREFIX)) return undefined;
  const id = docId.slice(INTENT_PREFIX.length);
  return IdPartSchema.safeParse(id).success ? id : undefined;
}

const fen = z.number().int();
const text = (max: number) => z.string().trim().min(1).max(max);

// ---- hub-written facts ----------------------------------------------------------------------

export const BookingLineSchema = z.object({
  kind: FeeLineKindSchema,
  label: text(80),
  quantity: z.number().int().min(1),
  /** Fen per unit; negative for discounts. */
  unitPrice: fen,
  amount: fen,
});

export const BookingHistoryEntrySchema = z.object({
  at: IsoInstantSchema,
  action: text(40),
  from: BookingStatusSchema.nullable(),
  to: BookingStatusSchema,
  actor: z.object({ kind: ActorKindSchema, id: text(64) }),
  reason: z.string().max(200).optional(),
});

export const BookingDocSchema = z.object({
  _id: z.string().startsWith('booking:'),
  type: z.literal('booking'),
  storeId: StoreIdSchema,
  bookingId: IdPartSchema,
  roomId: IdPartSchema,
  status: BookingStatusSchema,
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  partySize: z.number().int().min(1),
  /** The intent that asked for it, when it was booked online. */
  intentId: IdPartSchema.optional(),
  /**
   * Whose booking it is: the signed-in customer for an online booking, the id derived from the
   * phone (`customerIdForPhone`) for a kiosk or counter booking.
   */
  customerId: IdPartSchema.optional(),
  totals: z.object({ amount: fen, paid: fen, refunded: fen }),
  lines: z.array(BookingLineSchema),
  history: z.array(BookingHistoryEntrySchema),
  /**
   * An online booking's way in with no network (C6), while it is paid or in use: its fixed entry
   * code and the QR the door scanner reads. The cloud shows it to the booker alone.
   */
  door: z.object({ entryCode: z.string().regex(/^\d{6}$/), qr: z.string().max(40) }).optional(),
  updatedAt: IsoInstantSchema,
});
export type BookingDoc = z.infer<typeof BookingDocSchema>;

/**
 * The store as its hub describes it, with everything the cloud needs to quote the same price the
 * hub will charge (booking rules, the owner's day-type overrides). The cloud's catalogue is
 * derived from these; the hub is their only writer.
 */
export const StoreProfileDocSchema = z.object({
  _id: z.literal(STORE_PROFILE_ID),
  type: z.literal('store_profile'),
  storeId: StoreIdSchema,
  name: text(60),
  address: text(200),
  phone: text(30),
  timeZone: text(60),
  hours: z.object({ open: z.string(), close: z.string() }),
  location: z
    .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
    .nullable(),
  photos: z.array(z.string().max(500)),
  /** The owner's colour (#rrggbb) and logo for the store's customer pages; absent: the platform's. */
  theme: z
    .string()
    .regex(/^#[0-9a-f]{6}$/)
    .optional(),
  logo: z.string().max(500).optional(),
  rules: BookingRulesSchema,
  /** The owner's overrides of the official calendar: date -> day type. */
  calendar: z.record(LocalDateSchema, DayTypeSchema),
  /** The notes the owner wrote on those overrides (调休, 店庆...), for the owner's remote view. */
  calendarNotes: z.record(LocalDateSchema, z.string().max(100)).default({}),
  /** The owner's promotions switched on, so the cloud's quote takes off what the hub will. */
  promotions: z.array(PromotionSchema).max(200).default([]),
  /** What one point takes off a bill, fen, so the cloud prices points as the hub will (0: none). */
  fenPerPoint: z.number().int().min(0).default(0),
  /** The wallet's top-up packages on sale (C11), so a customer tops up online with the bonus. */
  walletPackages: z
    .array(
      z.object({
        packageId: z.string().min(1).max(64),
        name: text(30),
        pay: fen.min(1),
        bonus: fen.min(0),
        bonusValidDays: z.number().int().min(1).nullable(),
      }),
    )
    .max(50)
    .default([]),
  updatedAt: IsoInstantSchema,
});
export type StoreProfileDoc = z.infer<typeof StoreProfileDocSchema>;

/**
 * A deal of the store as the owner set it (O7): our own deals are sold from it by the cloud, a
 * platform deal's mapping tells the customer pages what the platform's voucher buys here.
 */
export const DealDocSchema = z.object({
  _id: z.string(),
  type: z.literal('deal'),
  storeId: StoreIdSchema,
  dealId: z.string(),
  source: DealSourceSchema,
  platformDealId: z.string().nullable(),
  title: z.string().max(60),
  description: z.string().max(2000),
  photos: z.array(z.string().max(500)),
  entitlement: EntitlementSchema,
  /** The version of its rules: a voucher sold now names it (`entitlementRev`). */
  rev: z.string(),
  price: z.number().int().nonnegative(),
  originalPrice: z.number().int().nonnegative().nullable(),
  groupSize: z.number().int().min(1),
  groupHours: z.number().int().min(1),
  validDays: z.number().int().min(1),
  perCustomerLimit: z.number().int().min(1).nullable(),
  stock: z.number().int().nonnegative().nullable(),
  refundAnyTime: z.boolean(),
  refundOnExpiry: z.boolean(),
  status: z.enum(['draft', 'on_sale', 'off_sale']),
  updatedAt: IsoInstantSchema,
});
export type DealDoc = z.infer<typeof DealDocSchema>;

export const RoomProfileDocSchema = z.object({
  _id: z.string().startsWith('profile:room:'),
  type: z.literal('room_profile'),
  storeId: StoreIdSchema,
  roomId: IdPartSchema,
  name: text(40),
  capacity: z.number().int().min(1),
  areaSqm: z.number().positive(),
  style: text(30),
  facilities: z.array(z.string().max(40)),
  photos: z.array(z.string().max(500)),
  /** Its video, shown under the photos; null from hubs published before rooms had one. */
  video: RoomVideoSchema.nullable().default(null),
  videoPoster: RoomVideoPosterSchema.nullable().default(null),
  pricePlan: PricePlanSchema,
  /** The room's own booking rules over the store's (a longer buffer, a shorter window...). */
  rules: BookingRulesOverrideSchema.nullable().default(null),
  status: RoomStatusSchema,
  /** Where the owner placed the room among the store's rooms; pages list rooms in this order. */
  sort: z.number().int().default(0),
  updatedAt: IsoInstantSchema,
});
export type RoomProfileDoc = z.infer<typeof RoomProfileDocSchema>;

/** One money movement; append-only: a correction is a new entry, never an edit. */
export const LedgerDocSchema = z.object({
  _id: z.string().startsWith('ledger:'),
  type: z.literal('ledger'),
  storeId: StoreIdSchema,
  bookingId: IdPartSchema,
  entryId: IdPartSchema,
  /** For money the cloud took (method `cloud`): the cloud's payment id, which a refund pays back. */
  paymentRef: IdPartSchema.optional(),
  /**
   * For a payment by one of our own vouchers and its giving back (method `voucher`): the voucher,
   * so the cloud knows whether a voucher it sold has been used (a payment not given back).
   */
  voucherId: IdPartSchema.optional(),
  kind: z.enum(['payment', 'refund', 'adjustment']),
  method: PaymentMethodSchema,
  /** Fen; positive money in, negative money out. */
  amount: fen,
  at: IsoInstantSchema,
  note: z.string().max(200).optional(),
});
export type LedgerDoc = z.infer<typeof LedgerDocSchema>;

export const SessionDocSchema = z.object({
  _id: z.string().startsWith('session:'),
  type: z.literal('session'),
  storeId: StoreIdSchema,
  bookingId: IdPartSchema,
  roomId: IdPartSchema,
  status: z.enum(['waiting', 'active', 'overtime', 'ended']),
  /** The booking's time. */
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  /** When the session actually started (the first door open) and ended. */
  startedAt: IsoInstantSchema.nullable(),
  endedAt: IsoInstantSchema.nullable(),
  /** Who opened the door, by kind only: a customer's phone stays in the store. */
  doorOpens: z.array(
    z.object({ at: IsoInstantSchema, actor: z.object({ kind: ActorKindSchema }) }),
  ),
  updatedAt: IsoInstantSchema,
});
export type SessionDoc = z.infer<typeof SessionDocSchema>;

/** A room's day as the cloud shows it: the taken segments, not the bookings behind them. */
export const AvailabilityDocSchema = z.object({
  _id: z.string().startsWith('availability:'),
  type: z.literal('availability'),
  storeId: StoreIdSchema,
  roomId: IdPartSchema,
  date: LocalDateSchema,
  segments: z.array(
    z.object({
      start: IsoInstantSchema,
      end: IsoInstantSchema,
      // Held slots show as booked: a customer online sees only that the time is taken.
      state: SegmentStateSchema.extract(['booked', 'in_use', 'cleaning', 'closed']),
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type AvailabilityDoc = z.infer<typeof AvailabilityDocSchema>;

export const DevicesHealthDocSchema = z.object({
  _id: z.literal(DEVICES_HEALTH_ID),
  type: z.literal('devices_health'),
  storeId: StoreIdSchema,
  buses: z.array(
    z.object({
      busId: IdPartSchema,
      kind: BusKindSchema,
      ok: z.boolean(),
      /** The last time it answered. */
      lastOkAt: IsoInstantSchema.nullable(),
      lastError: z.string().max(200).optional(),
    }),
  ),
  devices: z.array(
    z.object({
      deviceId: IdPartSchema,
      kind: DeviceKindSchema,
      rooms: z.array(IdPartSchema),
      ok: z.boolean(),
      lastOkAt: IsoInstantSchema.nullable(),
      lastError: z.string().max(200).optional(),
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type DevicesHealthDoc = z.infer<typeof DevicesHealthDocSchema>;

export const HubAliveDocSchema = z.object({
  _id: z.literal(HUB_ALIVE_ID),
  type: z.literal('hub_alive'),
  storeId: StoreIdSchema,
  /** When the hub sent it. */
  at: IsoInstantSchema,
});
export type HubAliveDoc = z.infer<typeof HubAliveDocSchema>;

/**
 * A table of players (C14) as its hub keeps it: the room and time its booking holds, the seats
 * and shares, who sits where (by customer id and the name they gave; never a phone), and whether
 * it is open, filled or released. The cloud lists open ones and shows each player theirs.
 */
export const TableDocSchema = z.object({
  _id: z.string().startsWith('table:'),
  type: z.literal('table'),
  storeId: StoreIdSchema,
  tableId: IdPartSchema,
  bookingId: IdPartSchema,
  roomId: IdPartSchema,
  title: text(30),
  start: IsoInstantSchema,
  end: IsoInstantSchema,
  deadline: IsoInstantSchema,
  seats: z.number().int().min(2),
  total: fen.min(0),
  share: fen.min(0),
  starterShare: fen.min(0),
  status: TableStatusSchema,
  players: z.array(
    z.object({
      seat: z.number().int().min(1),
      customerId: IdPartSchema,
      name: text(20),
      share: fen.min(0),
      /** The share was given back (the table was released). */
      refunded: z.boolean(),
    }),
  ),
  updatedAt: IsoInstantSchema,
});
export type TableDoc = z.infer<typeof TableDocSchema>;

/** The owner's rules for tables (the age notice, the game hours), for the cloud's pages. */
export const TableSettingsDocSchema = TableSettingsSchema.extend({
  _id: z.literal(TABLE_SETTINGS_ID),
  type: z.literal('table_settings'),
  storeId: StoreIdSchema,
  updatedAt: IsoInstantSchema,
});
export type TableSettingsDoc = z.infer<typeof TableSettingsDocSchema>;

/** `held`: a booking request without payment; the slot is the customer's until `holdUntil`. */
export const AnswerOutcomeSchema = z.enum([
  'confirmed',
  'held',
  'rejected',
  'opened',
  'refused',
  'done',
]);
export type AnswerOutcome = z.infer<typeof AnswerOutcomeSchema>;

/** What the hub's `answer(intent)` returns; the replicator adds the id, intent id and time. */
export const AnswerBodySchema = z.object({
  outcome: AnswerOutcomeSchema,
  /** Why it was rejected or refused, in words the customer can read. */
  reason: z.string().max(200).optional(),
  bookingId: IdPartSchema.optional(),
  /** A tea-and-snacks order placed for the intent (`tea_order`). */
  orderId: IdPartSchema.optional(),
  /** A refund request answered by cancelling: the fee the store kept and the refund, fen. */
  fee: z.number().int().nonnegative().optional(),
  refund: z.number().int().nonnegative().optional(),
  /** A refund request after the start: it waits for the store's review; nothing is paid yet. */
  underReview: z.boolean().optional(),
  /** A held booking: when the store lets the slot go unless it is paid (`booking_payment`). */
  holdUntil: IsoInstantSchema.optional(),
  /**
   * Why it was rejected, as the store's error code (`voucher_used`...), where the cloud answers
   * someone other than a customer with it: a voucher move's asking hub.
   */
  code: z
    .string()
    .regex(/^[a-z_]{1,60}$/)
    .optional(),
  /** A wallet move done: the money this store gave up, lot by lot (shared-wallet.ts). */
  lots: z.array(MovedLotSchema).max(200).optional(),
});
export type AnswerBody = z.infer<typeof AnswerBodySchema>;

export const AnswerDocSchema = AnswerBodySchema.extend({
  _id: z.string().startsWith(ANSWER_PREFIX),
  type: z.literal('answer'),
  intentId: IdPartSchema,
  at: IsoInstantSchema,
});
export type AnswerDoc = z.infer<typeof AnswerDocSchema>;

export function answerDoc(intentId: string, body: AnswerBody, atMs: number): AnswerDoc {
  const parsed = AnswerBodySchema.parse(body);
  return {
    _id: answerDocId(intentId),
    type: 'answer',
    intentId,
    ...parsed,
    at: new Date(atMs).toISOString(),
  };
}

// ---- the shared catalogue --------------------------------------------------------------------

export const CatalogueStoreDocSchema = z.object({
  _id: z.string().startsWith('store:'),
  type: z.literal('store'),
  storeId: StoreIdSchema,
  name: text(60),
  address: text(200),
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }),
  timeZone: text(60),
  phone: text(30).optional(),
  updatedAt: IsoInstantSchema,
});
export type CatalogueStoreDoc = z.infer<typeof CatalogueStoreDocSchema>;

export const CatalogueRoomDocSchema = z.object({
  _id: z.string().startsWith('room:'),
  type: z.literal('room'),
  storeId: StoreIdSchema,
  roomId: IdPartSchema,
  name: text(40),
  style: text(30),
  capacity: z.number().int().min(1),
  /** Fen per hour on a weekday, for list filters; the hub's price plan is the truth. */
  fromPricePerHour: fen.min(0),
  photos: z.array(z.string().max(500)),
  video: RoomVideoSchema.nullable().default(null),
  videoPoster: RoomVideoPosterSchema.nullable().default(null),
  /** The store's own order of its rooms. */
  sort: z.number().int().default(0),
  updatedAt: IsoInstantSchema,
});
export type CatalogueRoomDoc = z.infer<typeof CatalogueRoomDocSchema>;

/** The schema for a store-database document by its id prefix, so either side can check a doc. */
export function storeDocSchemaFor(docId: string): z.ZodType | undefined {
  const prefix = docId.slice(0, docId.indexOf(':') + 1);
  switch (prefix) {
    case 'booking:':
      return BookingDocSchema;
    case 'ledger:':
      return LedgerDocSchema;
    case 'session:':
      return SessionDocSchema;
    case 'deal:':
      return DealDocSchema;
    case 'order:':
      return OrderDocSchema;
    case 'member:':
      return MemberDocSchema;
    case 'campaign:':
      return CampaignDocSchema;
    case 'coupon:':
      return CouponDocSchema;
    case 'wallet:':
      return docId === WALLET_OWED_ID ? WalletOwedDocSchema : undefined;
    case 'levels:':
      return docId === MEMBER_SETTINGS_ID ? MemberSettingsDocSchema : undefined;
    case 'staff:':
      return docId === STAFF_LIST_ID ? StaffListDocSchema : undefined;
    case 'hub:':
      return docId === HUB_ALIVE_ID ? HubAliveDocSchema : undefined;
    case 'menu:':
      return docId === MENU_DOC_ID ? MenuDocSchema : undefined;
    case 'table:':
      return TableDocSchema;
    case 'tables:':
      return docId === TABLE_SETTINGS_ID ? TableSettingsDocSchema : undefined;
    case 'availability:':
      return AvailabilityDocSchema;
    case 'devices:':
      return docId === DEVICE_SCHEDULES_ID ? DeviceSchedulesDocSchema : DevicesHealthDocSchema;
    case 'stock:':
      return docId === STOCK_LOW_ID ? StockLowDocSchema : undefined;
    case MAINTENANCE_PREFIX:
      return RoomMaintenanceDocSchema;
    case 'profile:':
      return docId === STORE_PROFILE_ID ? StoreProfileDocSchema : RoomProfileDocSchema;
    case 'stats:':
      return StatsDayDocSchema;
    case INVOICE_PREFIX:
      return InvoiceDocSchema;
    case ANOMALY_PREFIX:
      return AnomalyDocSchema;
    case AUDIT_PREFIX:
      return AuditHourDocSchema;
    case ANSWER_PREFIX:
      return AnswerDocSchema;
    case INTENT_PREFIX:
      return IntentDocSchema;
    default:
      return undefined;
  }
}

export { IdPartSchema, INTENT_PREFIX, intentDocId } from './id-part';
export * from './intent-documents';
export * from './owner-intent-documents';
export * from './stats-documents';
export * from './invoice-documents';
export * from './audit-documents';
export * from './member-documents';
export * from './order-documents';
export * from './device-schedule-documents';
