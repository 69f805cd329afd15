// The intents the cloud writes into a store's inbox (what customers, owners and other stores of the
// owner ask), each signed by the cloud, and the check a pulled intent goes through. Only the
// cloud writes them; the hub answers each once with an `answer:` document (documents.ts) and
// never edits one. Split from documents.ts, which re-exports all of it. No I/O.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, intentDocId } from './id-part';
import { intentBase } from './intent-base';
import {
  CalendarRemoveIntentSchema,
  CalendarSetIntentSchema,
  CampaignCreateIntentSchema,
  CouponGiveIntentSchema,
  CampaignStatusIntentSchema,
  DealCreateIntentSchema,
  DealStatusIntentSchema,
  DealPatchIntentSchema,
  CampaignPatchIntentSchema,
  DeviceOverrideIntentSchema,
  DeviceScheduleAddIntentSchema,
  DeviceScheduleChangeIntentSchema,
  DeviceScheduleRemoveIntentSchema,
  InvoiceIssueIntentSchema,
  InvoiceRejectIntentSchema,
  MemberSettingsIntentSchema,
  MenuItemCreateIntentSchema,
  MenuItemPatchIntentSchema,
  OwnerIntentKindSchema,
  RoomPatchIntentSchema,
  StaffPatchIntentSchema,
  StockMoveIntentSchema,
  StorePatchIntentSchema,
} from './owner-intent-documents';
import { BookingCreateSchema, CustomerSchema, RefundRequestSchema } from '../api/bookings';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';
import { OnlinePaymentMethodSchema } from '../payments/payment-method';
import { VoucherPassSchema } from '../vouchers/voucher-pass';
import { InvoiceEmailSchema, InvoiceTitleSchema } from '../api/invoices';
import { OrderLineInputSchema } from '../api/menu';
import { MAX_TABLE_SEATS, MIN_TABLE_SEATS } from '../tables/tables';

const fen = z.number().int();

// ---- cloud-written intents -------------------------------------------------------------------

/** What a customer asks online. */
export const CustomerIntentKindSchema = z.enum([
  'booking_request',
  'booking_payment',
  'door_open',
  'extension',
  'booking_change',
  'refund_request',
  'review',
  'profile_edit',
  'voucher_issued',
  'voucher_refund',
  'wallet_topup',
  'coupon_claim',
  'member_join',
  'referral',
  'customer_erasure',
  'invoice_request',
  'table_start',
  'table_join',
  'tea_order',
]);

/** What a store's hub asks of another store of the same owner, through the cloud. */
export const StoreIntentKindSchema = z.enum(['voucher_move', 'wallet_move']);

export const IntentKindSchema = z.enum([
  ...CustomerIntentKindSchema.options,
  ...OwnerIntentKindSchema.options,
  ...StoreIntentKindSchema.options,
]);
export type IntentKind = z.infer<typeof IntentKindSchema>;

const customerIntentBase = {
  ...intentBase,
  /** The signed-in customer the cloud acted for. */
  customerId: IdPartSchema,
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

/**
 * A paid booking moved to another time (or another room of the store) before it starts, by the
 * store's change rules, as at its counter. A cheaper time's difference, less the change fee, goes
 * back the way refunds go; a dearer time's difference comes held with it (`payment`), recorded on
 * the booking's ledger in the change's own write, or given back by the cloud when the store says no.
 */
export const BookingChangeIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('booking_change'),
  body: z.object({
    bookingId: IdPartSchema,
    roomId: IdPartSchema.optional(),
    start: IsoInstantSchema,
    end: IsoInstantSchema,
    /** The change fee the customer was shown, fen: a fee that moved since refuses (`fee_changed`). */
    expectedFee: z.number().int().nonnegative(),
    /** A dearer time's difference, held by the cloud: exactly what the store finds due. */
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

/**
 * Another store of the same owner asks for up to `amount` fen of a shared wallet this store holds
 * (shared-wallet.ts): the store writes the money out of its own ledger, the bonus first, and
 * answers `done` with the lots it gave up (`lots`), which the asking store writes in; or says why
 * not (`wallet_not_shared`, `wallet_empty_here`). Acted on only before `expiresAt`.
 */
export const WalletMoveIntentSchema = z.object({
  ...storeIntentBase,
  kind: z.literal('wallet_move'),
  expiresAt: IsoInstantSchema,
  body: z.object({
    phone: CustomerSchema.shape.phone,
    amount: fen.min(1).max(10_000_000),
  }),
});

/**
 * A top-up of the customer's wallet at this store, paid online: the cloud holds the money and the
 * store credits it once (`confirmed`, and the cloud takes the money) or says why not (`rejected`,
 * and the cloud gives it back). The store decides the bonus from its own package, whose price
 * must be what the cloud took.
 */
export const WalletTopUpIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('wallet_topup'),
  body: z.object({
    /** The wallet's phone: the customer's, as they signed in with it. */
    phone: CustomerSchema.shape.phone,
    /** The store's package the customer chose; none: a top-up of the amount with no bonus. */
    packageId: IdPartSchema.optional(),
    payment: HeldPaymentSchema,
  }),
});

/**
 * A signed-in customer claims a coupon of one of the store's campaigns from its page: the store
 * issues it once (`done`), within the campaign's claim window and its per-person and total limits,
 * or says why not; the customer becomes a member of the store in the same step. A campaign with a
 * points price is claimed by exchange only: the body names the points, taken with the issue.
 */
export const CouponClaimIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('coupon_claim'),
  body: z.object({
    /** The customer's phone, as they signed in with it: the coupon is theirs by it. */
    phone: CustomerSchema.shape.phone,
    campaignId: IdPartSchema,
    /**
     * An exchange: the points the customer agreed to give for the coupon (the campaign's price as
     * its page showed it). The store takes them in the same write as it issues the coupon.
     */
    points: z.number().int().min(1).optional(),
  }),
});

/**
 * A signed-in customer asks to be a member of the store from its page: the store makes them one
 * (`done`), or finds they already are (`done` too).
 */
export const MemberJoinIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('member_join'),
  body: z.object({
    phone: CustomerSchema.shape.phone,
    name: CustomerSchema.shape.name,
  }),
});

/**
 * A customer came to the store through another customer's share link and bought one of its deals
 * (`deal`, naming the voucher) or joined it (`join`). The store records the referral under each
 * of its referral campaigns running now, the newcomer's coupon at once, and rewards the one who
 * shared when the newcomer first pays: the voucher bought here, else their first paid booking.
 * Refused when no referral campaign runs or the newcomer is not new to the store.
 */
export const ReferralIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('referral'),
  body: z.object({
    /** The phone of the customer who shared the link. */
    referrer: CustomerSchema.shape.phone,
    /** The newcomer's phone, as they signed in with it (the intent's customer). */
    referee: CustomerSchema.shape.phone,
    via: z.enum(['deal', 'join']),
    /** For `deal`: the voucher the newcomer bought (the cloud's purchase id). */
    voucherId: IdPartSchema.optional(),
  }),
});

/**
 * A customer deleted their account with the platform (personal-information law): the store erases
 * the phone and name on its bookings and members of these customer ids (the signed-in id, and the
 * id the same phone had before), keeping every ledger with the person reduced to an anonymous id,
 * and audits it. Carries no phone, so the request itself spells nothing.
 */
export const CustomerErasureIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('customer_erasure'),
  body: z.object({ customerIds: z.array(IdPartSchema).min(1).max(4) }),
});

/**
 * A customer starts a table (C14): the store holds the room for the game as one booking, unpaid
 * until every seat is paid or the deadline passes, and keeps the starter's share (the price split
 * into `seats` shares, the remainder theirs). The table's id is the intent's. Answered `confirmed`
 * with the booking (the share taken) or `rejected` (the share given back).
 */
export const TableStartIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('table_start'),
  body: z.object({
    booking: BookingCreateSchema,
    seats: z.number().int().min(MIN_TABLE_SEATS).max(MAX_TABLE_SEATS),
    deadline: IsoInstantSchema,
    title: z.string().trim().min(1).max(30),
    /** The starter's name as the other players see it. */
    name: z.string().trim().min(1).max(20),
    payment: HeldPaymentSchema,
  }),
});

/**
 * A customer joins a table with their share paid: the store seats them (`confirmed`, with the
 * table's booking) or says why not (full, released, already seated: `rejected`, money back).
 */
export const TableJoinIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('table_join'),
  body: z.object({
    tableId: IdPartSchema,
    phone: CustomerSchema.shape.phone,
    name: z.string().trim().min(1).max(20),
    payment: HeldPaymentSchema,
  }),
});

/**
 * A customer orders tea and snacks from their phone for a booking of theirs (C8), paid online: the
 * cloud holds the payment, and the store places the order through its own menu and stock
 * (`confirmed`, with `orderId`, and the cloud takes the money) or says why not (`rejected`: sold
 * out, the price moved, the booking is over; the cloud gives the money back).
 */
export const TeaOrderIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('tea_order'),
  body: z.object({
    bookingId: IdPartSchema,
    lines: z.array(OrderLineInputSchema).min(1).max(30),
    note: z.string().trim().max(200).default(''),
    /** Held by the cloud; taken when the store places the order, released when it refuses. */
    payment: HeldPaymentSchema,
  }),
});

/**
 * A customer asks for an electronic invoice (发票) of a paid booking of theirs: the store records
 * the request (`done`) for its owner to issue in the tax system, or says why not (`rejected`: not
 * paid, one already asked for, the amount moved). `amount` is what the customer was shown: paid
 * less refunded, fen; the store refuses it when its own figure differs.
 */
export const InvoiceRequestIntentSchema = z.object({
  ...customerIntentBase,
  kind: z.literal('invoice_request'),
  body: z.object({
    bookingId: IdPartSchema,
    title: InvoiceTitleSchema,
    email: InvoiceEmailSchema.optional(),
    amount: fen.min(1),
  }),
});

export const IntentDocSchema = z
  .discriminatedUnion('kind', [
    BookingRequestIntentSchema,
    DoorOpenIntentSchema,
    ExtensionIntentSchema,
    BookingChangeIntentSchema,
    BookingPaymentIntentSchema,
    RefundRequestIntentSchema,
    ReviewIntentSchema,
    ProfileEditIntentSchema,
    VoucherIssuedIntentSchema,
    VoucherRefundIntentSchema,
    VoucherMoveIntentSchema,
    WalletMoveIntentSchema,
    WalletTopUpIntentSchema,
    CouponClaimIntentSchema,
    MemberJoinIntentSchema,
    ReferralIntentSchema,
    CustomerErasureIntentSchema,
    InvoiceRequestIntentSchema,
    TableStartIntentSchema,
    TableJoinIntentSchema,
    TeaOrderIntentSchema,
    StorePatchIntentSchema,
    RoomPatchIntentSchema,
    CalendarSetIntentSchema,
    CalendarRemoveIntentSchema,
    DeviceOverrideIntentSchema,
    DeviceScheduleAddIntentSchema,
    DeviceScheduleChangeIntentSchema,
    DeviceScheduleRemoveIntentSchema,
    MenuItemPatchIntentSchema,
    CampaignStatusIntentSchema,
    DealStatusIntentSchema,
    InvoiceRejectIntentSchema,
    InvoiceIssueIntentSchema,
    CampaignCreateIntentSchema,
    DealCreateIntentSchema,
    MenuItemCreateIntentSchema,
    StockMoveIntentSchema,
    MemberSettingsIntentSchema,
    StaffPatchIntentSchema,
    CouponGiveIntentSchema,
    DealPatchIntentSchema,
    CampaignPatchIntentSchema,
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
