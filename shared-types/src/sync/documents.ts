// The sync documents: their deterministic ids and zod schemas, the contract between the hub (which
// writes the store's facts and answers) and the cloud service (which writes intents and the
// catalogue). Where each lives is in databases.ts. Each document id has exactly one writer
// (ARCHITECTURE.md), so the hub never edits an intent and the cloud never edits a hub fact.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { BookingCreateSchema, CustomerSchema, RefundRequestSchema } from '../api/bookings';
import { CalendarPutSchema } from '../api/calendar';
import { DeviceOverrideSchema } from '../api/devices';
import { RoomPatchSchema, StorePatchSchema } from '../api/store';
import { IntentSignatureSchema } from './intent-signature';
import { BookingRulesOverrideSchema, BookingRulesSchema } from '../booking/booking-rules';
import { ActorKindSchema, BookingStatusSchema } from '../booking/booking-status';
import { DayTypeSchema } from '../calendar/day-type';
import { PricePlanSchema } from '../pricing/price-plan';
import { RoomStatusSchema } from '../store/store';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { BusKindSchema, DeviceKindSchema } from '../devices/device-kinds';
import { OnlinePaymentMethodSchema, PaymentMethodSchema } from '../payments/payment-method';
import { FeeLineKindSchema } from '../pricing/quote';
import { SegmentStateSchema } from '../booking/segments';
import { DealSourceSchema, EntitlementSchema } from '../vouchers/deal-rules';
import { VoucherPassSchema } from '../vouchers/voucher-pass';

/** One id segment: no ':' (the separator) and never starting with '_' (CouchDB reserves it). */
export const IdPartSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ".", "_" or "-"');

function part(value: string): string {
  return IdPartSchema.parse(value);
}

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
export const intentDocId = (intentId: string) => `intent:${part(intentId)}`;
export const answerDocId = (intentId: string) => `answer:${part(intentId)}`;
export const catalogueStoreDocId = (storeId: string) => `store:${StoreIdSchema.parse(storeId)}`;
export const catalogueRoomDocId = (roomId: string) => `room:${part(roomId)}`;

export const INTENT_PREFIX = 'intent:';
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
  rules: BookingRulesSchema,
  /** The owner's overrides of the official calendar: date -> day type. */
  calendar: z.record(LocalDateSchema, DayTypeSchema),
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
  pricePlan: PricePlanSchema,
  /** The room's own booking rules over the store's (a longer buffer, a shorter window...). */
  rules: BookingRulesOverrideSchema.nullable().default(null),
  status: RoomStatusSchema,
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

// ---- cloud-written intents -------------------------------------------------------------------

/** What a customer asks online. */
export const CustomerIntentKindSchema = z.enum([
  'booking_request',
  'booking_payment',
  'door_open',
  'extension',
  'refund_request',
  'review',
  'profile_edit',
  'voucher_issued',
  'voucher_refund',
]);

/**
 * What a store's owner changes from the remote view; each is the hub's own change of the same
 * name (`store.patch`...), made by the hub for the owner.
 */
export const OwnerIntentKindSchema = z.enum([
  'store_patch',
  'room_patch',
  'calendar_set',
  'calendar_remove',
  'device_override',
]);
export type OwnerIntentKind = z.infer<typeof OwnerIntentKindSchema>;

/** What a store's hub asks of another store of the same owner, through the cloud. */
export const StoreIntentKindSchema = z.enum(['voucher_move']);

export const IntentKindSchema = z.enum([
  ...CustomerIntentKindSchema.options,
  ...OwnerIntentKindSchema.options,
  ...StoreIntentKindSchema.options,
]);
export type IntentKind = z.infer<typeof IntentKindSchema>;

const intentBase = {
  _id: z.string().startsWith(INTENT_PREFIX),
  type: z.literal('intent'),
  intentId: IdPartSchema,
  storeId: StoreIdSchema,
  createdAt: IsoInstantSchema,
  /** After this the cloud stops waiting and releases any payment; the hub must not act on it. */
  expiresAt: IsoInstantSchema.optional(),
  /**
   * The cloud's signature over the document (intent-signature.ts). Optional here so that an
   * unsigned intent still parses and is answered `rejected` by the hub's check, not dropped.
   */
  signature: IntentSignatureSchema.optional(),
};

const customerIntentBase = {
  ...intentBase,
  /** The signed-in customer the cloud acted for. */
  customerId: IdPartSchema,
};

const ownerIntentBase = {
  ...intentBase,
  /** The signed-in owner of the store the cloud acted for: their username. */
  ownerId: IdPartSchema,
};

const storeIntentBase = {
  ...intentBase,
  /** The store whose hub asked, as the cloud proved it (its CouchDB user); never the same store. */
  fromStoreId: StoreIdSchema,
};

const rating = z.number().int().min(1).max(5);

/**
 * The payment the cloud holds for an intent. A cloud instance older than the one-word rename still
 * writes `channel` (and `simulated` for WeChat Pay) while a rolling deploy passes: read it too.
 */
const HeldPaymentSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'object' || v === null || 'method' in v || !('channel' in v)) return v;
    const { channel, ...rest } = v as { channel: unknown };
    return { ...rest, method: channel === 'simulated' ? 'wechat' : channel };
  },
  z.object({
    paymentId: IdPartSchema,
    method: OnlinePaymentMethodSchema,
    amount: fen.min(0),
  }),
);

export const BookingRequestIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('booking_request'),
  body: z.object({
    booking: BookingCreateSchema,
    /**
     * The payment the cloud holds for it; released if the hub rejects or the intent expires.
     * Without one the store holds the slot unpaid (`held`, as at its own counter) until a
     * `booking_payment` pays it or the hold expires.
     */
    payment: HeldPaymentSchema.optional(),
  }),
});

/** The payment of a booking the store holds for the customer (answered `held` before). */
export const BookingPaymentIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('booking_payment'),
  body: z.object({
    bookingId: IdPartSchema,
    /** Held by the cloud; taken when the store confirms, released when it refuses. */
    payment: HeldPaymentSchema,
  }),
});

export const DoorOpenIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('door_open'),
  body: z.object({ bookingId: IdPartSchema }),
});

export const ExtensionIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('extension'),
  body: z.object({
    bookingId: IdPartSchema,
    end: IsoInstantSchema,
    payment: HeldPaymentSchema.optional(),
  }),
});

export const RefundRequestIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('refund_request'),
  body: RefundRequestSchema.extend({
    bookingId: IdPartSchema,
    /**
     * The cancellation fee the customer was shown, fen: the store refuses (`fee_changed`) when its
     * fee now differs. Absent in intents written before, which cancel at the store's fee.
     */
    expectedFee: z.number().int().nonnegative().optional(),
  }),
});

export const ReviewIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('review'),
  body: z.object({
    bookingId: IdPartSchema,
    ratings: z.object({
      environment: rating,
      facilities: rating,
      teaSnacks: rating,
      service: rating,
    }),
    text: z.string().trim().max(1000),
  }),
});

export const ProfileEditIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('profile_edit'),
  body: z
    .object({
      name: z.string().trim().min(1).max(20).optional(),
      birthday: LocalDateSchema.optional(),
    })
    .refine((b) => Object.keys(b).length > 0, 'change at least one field'),
});

/**
 * A voucher the cloud sold for this store (an own deal bought online), sent down so the store
 * knows it, and whose it is, before it is first scanned. The hub keeps it; nothing is decided.
 */
export const VoucherIssuedIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('voucher_issued'),
  body: z.object({
    pass: VoucherPassSchema,
    /** The buyer's phone, for the booking the voucher makes; null when they gave none. */
    phone: CustomerSchema.shape.phone.nullable(),
  }),
});

/**
 * The cloud asks to refund a voucher it sold: the customer's 随时退, or 过期退 when it expired
 * unused. The store, which alone knows whether it was used, marks it refunded (`done`, and it can
 * never be redeemed) or says why not; only after `done` does the cloud pay the money back.
 */
export const VoucherRefundIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('voucher_refund'),
  body: z.object({
    pass: VoucherPassSchema,
    why: z.enum(['asked', 'expired']),
  }),
});

/**
 * Another store of the same owner asks for one of this store's vouchers (its pass names this
 * store): the store, which alone knows whether it was used, marks it moved (`done`: never
 * redeemable here again) and the cloud signs it anew for `fromStoreId`; or says why not, with
 * the code (`voucher_used`, `voucher_refunded`...). Acted on only before `expiresAt`: the asking
 * hub has stopped waiting by then.
 */
export const VoucherMoveIntentSchema = z.object({
  ...storeIntentBase,
  kind: z.literal('voucher_move'),
  expiresAt: IsoInstantSchema,
  body: z.object({ pass: VoucherPassSchema }),
});

export const StorePatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('store_patch'),
  body: StorePatchSchema,
});

export const RoomPatchIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('room_patch'),
  body: z.object({ roomId: IdPartSchema, patch: RoomPatchSchema }),
});

export const CalendarSetIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('calendar_set'),
  body: CalendarPutSchema.extend({ date: LocalDateSchema }),
});

export const CalendarRemoveIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('calendar_remove'),
  body: z.object({ date: LocalDateSchema }),
});

export const DeviceOverrideIntentSchema = z.object({
  ...ownerIntentBase,
  kind: z.literal('device_override'),
  body: DeviceOverrideSchema.extend({ deviceId: IdPartSchema }),
});

export const IntentDocSchema = z
  .discriminatedUnion('kind', [
    BookingRequestIntentSchema,
    DoorOpenIntentSchema,
    ExtensionIntentSchema,
    BookingPaymentIntentSchema,
    RefundRequestIntentSchema,
    ReviewIntentSchema,
    ProfileEditIntentSchema,
    VoucherIssuedIntentSchema,
    VoucherRefundIntentSchema,
    VoucherMoveIntentSchema,
    StorePatchIntentSchema,
    RoomPatchIntentSchema,
    CalendarSetIntentSchema,
    CalendarRemoveIntentSchema,
    DeviceOverrideIntentSchema,
  ])
  .refine((doc) => doc._id === intentDocId(doc.intentId), {
    message: 'the document id must be intent:<intentId>',
    path: ['_id'],
  });
export type IntentDoc = z.infer<typeof IntentDocSchema>;
export type CustomerIntentDoc = Extract<IntentDoc, { customerId: string }>;
export type OwnerIntentDoc = Extract<IntentDoc, { ownerId: string }>;
export type StoreIntentDoc = Extract<IntentDoc, { fromStoreId: string }>;

/** True for what an owner asked; the rest a customer asked. */
export function isOwnerIntent(intent: IntentDoc): intent is OwnerIntentDoc {
  return 'ownerId' in intent;
}

/** True for what another store's hub asked (through the cloud). */
export function isStoreIntent(intent: IntentDoc): intent is StoreIntentDoc {
  return 'fromStoreId' in intent;
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
    case 'availability:':
      return AvailabilityDocSchema;
    case 'devices:':
      return DevicesHealthDocSchema;
    case 'profile:':
      return docId === STORE_PROFILE_ID ? StoreProfileDocSchema : RoomProfileDocSchema;
    case ANSWER_PREFIX:
      return AnswerDocSchema;
    case INTENT_PREFIX:
      return IntentDocSchema;
    default:
      return undefined;
  }
}

/** Checks a pulled intent; the reason is a short message for logs and the rejection answer. */
export function parseIntent(
  doc: unknown,
): { ok: true; intent: IntentDoc } | { ok: false; reason: string } {
  const result = IntentDocSchema.safeParse(doc);
  if (result.success) return { ok: true, intent: result.data };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return { ok: false, reason: `${where}${first?.message ?? 'invalid intent'}` };
}
