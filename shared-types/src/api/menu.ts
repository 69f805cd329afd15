// The tea-and-snacks API (C8, O5): the menu the owner keeps (categories, items with photos,
// specs and prices), an order of items with the specs chosen (for a booking's room or on its own),
// its cash payments and refunds, the stock of each item as an append-only ledger, and the sales
// ranking. The screens read these shapes; every rule is worded for the person at the counter.
import { z } from 'zod';
import { OnlinePaymentMethodSchema, type OnlinePaymentMethod } from '../payments/payment-method';
import type { ActorKind } from '../booking/booking-status';
import type { PaymentCodeStatus } from './payments';
import { LocalDateSchema } from '../time/instant';
import type { OrderStatus } from '../menu/order-status';
import { CustomerSchema } from './bookings';

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`);
const fen = z
  .number()
  .int('a price is in whole fen (1 yuan = 100 fen)')
  .min(0, 'a price cannot be below zero')
  .max(1_000_000, 'a price is at most 10000 yuan');
const sort = z.number().int().min(0).max(10_000);
const id = z.string().trim().min(1).max(64);

// ---- the menu --------------------------------------------------------------------------------

export const MenuCategoryInputSchema = z
  .object({ name: text(30, 'a category name'), sort: sort.default(0) })
  .strict();
export type MenuCategoryInput = z.input<typeof MenuCategoryInputSchema>;
export const MenuCategoryPatchSchema = MenuCategoryInputSchema.partial().strict();

/** Which kind of choice a spec is: the cup size, hot or iced, how sweet; `other` for the rest. */
export const SpecKindSchema = z.enum(['size', 'temperature', 'sweetness', 'other']);
export type SpecKind = z.infer<typeof SpecKindSchema>;

export const SpecChoiceSchema = z
  .object({
    name: text(20, 'a choice'),
    /** What this choice adds to the item's price, fen; may be negative (a small cup), never below zero in all. */
    priceDelta: z
      .number()
      .int('a price change is in whole fen')
      .min(-100_000, 'a choice takes at most 1000 yuan off')
      .max(100_000, 'a choice adds at most 1000 yuan')
      .default(0),
  })
  .strict();

/** One spec of an item (杯型, 温度, 甜度): the customer picks exactly one of its choices. */
export const SpecGroupSchema = z
  .object({
    name: text(20, 'a spec name'),
    kind: SpecKindSchema.default('other'),
    choices: z
      .array(SpecChoiceSchema)
      .min(1, 'a spec needs at least one choice')
      .max(12, 'a spec has at most 12 choices'),
    /** The choice taken when the customer says nothing; null: they must choose. */
    defaultChoice: text(20, 'a default choice').nullable().default(null),
  })
  .strict()
  .superRefine((g, ctx) => {
    const names = g.choices.map((c) => c.name);
    if (new Set(names).size !== names.length)
      ctx.addIssue({
        code: 'custom',
        path: ['choices'],
        message: 'two choices have the same name',
      });
    if (g.defaultChoice !== null && !names.includes(g.defaultChoice))
      ctx.addIssue({
        code: 'custom',
        path: ['defaultChoice'],
        message: 'the default must be one of the choices',
      });
  });
export type SpecGroup = z.output<typeof SpecGroupSchema>;

const itemFields = {
  categoryId: id,
  name: text(40, 'an item name'),
  description: z.string().trim().max(500, 'a description is at most 500 characters'),
  /** Photo addresses, the first one shown on the menu. */
  photos: z.array(text(500, 'a photo address')).max(6, 'an item has at most 6 photos'),
  /** The price with the first (or default) choice of each spec, fen. */
  price: fen,
  specs: z
    .array(SpecGroupSchema)
    .max(6, 'an item has at most 6 specs')
    .refine((s) => new Set(s.map((g) => g.name)).size === s.length, 'two specs have the same name'),
  /** Switched on by staff when it has run out for today, whatever the stock says. */
  soldOut: z.boolean(),
  sort,
  /** Whether the store counts this item (packets, bottles); a pot brewed to order is not counted. */
  stockTracked: z.boolean(),
  /** Tell the owner when the stock falls to this many; null: never. */
  lowStockAt: z.number().int().min(0, 'a threshold cannot be below zero').max(100_000).nullable(),
};

export const MenuItemInputSchema = z
  .object({
    ...itemFields,
    description: itemFields.description.default(''),
    photos: itemFields.photos.default([]),
    specs: itemFields.specs.default([]),
    soldOut: itemFields.soldOut.default(false),
    sort: itemFields.sort.default(0),
    stockTracked: itemFields.stockTracked.default(false),
    lowStockAt: itemFields.lowStockAt.default(null),
  })
  .strict();
export type MenuItemInput = z.input<typeof MenuItemInputSchema>;
/** A change to an item: only the fields given change; specs are replaced whole. */
export const MenuItemPatchSchema = z.object(itemFields).partial().strict();
export type MenuItemPatch = z.infer<typeof MenuItemPatchSchema>;
/** What the owner changes of an item from afar: its price, switched off, its threshold, photos. */
export const RemoteMenuItemPatchSchema = MenuItemPatchSchema.pick({
  price: true,
  soldOut: true,
  lowStockAt: true,
  photos: true,
})
  .strict()
  .refine(
    (p) => Object.keys(p).length > 0,
    'change at least one of price, soldOut, lowStockAt, photos',
  );
export type RemoteMenuItemPatch = z.infer<typeof RemoteMenuItemPatchSchema>;

export interface MenuItemView {
  id: string;
  categoryId: string;
  name: string;
  description: string;
  photos: string[];
  price: number;
  specs: SpecGroup[];
  soldOut: boolean;
  sort: number;
  stockTracked: boolean;
  lowStockAt: number | null;
  /** What is on the shelf, for a counted item; null when the store does not count it. */
  stock: number | null;
  /** Whether a customer can order it now: not switched off, and in stock when counted. */
  available: boolean;
}

export interface MenuCategoryView {
  id: string;
  name: string;
  sort: number;
  items: MenuItemView[];
}

export interface MenuView {
  categories: MenuCategoryView[];
}

// ---- orders ----------------------------------------------------------------------------------

export const OrderLineInputSchema = z
  .object({
    itemId: id,
    quantity: z
      .number()
      .int('a quantity is a whole number')
      .min(1, 'order at least one')
      .max(99, 'at most 99 of one item at a time'),
    /** The choice for each spec by the spec's name, e.g. { "杯型": "大杯", "温度": "冰" }. */
    specs: z.record(text(20, 'a spec name'), text(20, 'a choice')).default({}),
  })
  .strict();

export const OrderCreateSchema = z
  .object({
    /** The booking whose room it goes to; null or left out: an order on its own (at the counter). */
    bookingId: id.nullable().default(null),
    /**
     * At the counter, an order on its own for a member known by phone: priced less their level's
     * discount and counted to them. A booking's order is its customer's: leave it out there.
     */
    memberPhone: CustomerSchema.shape.phone.nullable().default(null),
    lines: z
      .array(OrderLineInputSchema)
      .min(1, 'the cart is empty')
      .max(30, 'a cart holds at most 30 lines'),
    note: z.string().trim().max(200, 'a note is at most 200 characters').default(''),
  })
  .strict();
export type OrderCreate = z.input<typeof OrderCreateSchema>;

/** The member an order is for, as the counter sees them: the phone masked, the level by name. */
export interface OrderMemberView {
  /** 138****8000 */
  phone: string;
  /** The member's level, or null for a member with none. */
  level: string | null;
}

/** A cart priced as the order would be, before it is placed: nothing is written. */
export interface OrderQuoteView {
  lines: OrderLineView[];
  discounts: OrderDiscountView[];
  /** The lines less the discounts, fen. */
  total: number;
  member: OrderMemberView | null;
}

/**
 * How an order's money moved: cash at the counter, the member wallet and points (each a tender in
 * the hub, menu/order-tenders.ts), and the online channels, paid by a QR (an order charge).
 */
export const OrderPayMethodSchema = z.enum([
  'cash',
  'wallet',
  'points',
  'wechat',
  'alipay',
  'unionpay',
]);
export type OrderPayMethod = z.infer<typeof OrderPayMethodSchema>;

/** The ways taken at once, at the counter or the kiosk; the online channels go by a charge. */
export const OrderTenderMethodSchema = OrderPayMethodSchema.extract(['cash', 'wallet', 'points'], {
  error:
    'must be cash, wallet or points; to pay by WeChat, Alipay or UnionPay show the QR of a charge',
});

export const OrderPaySchema = z
  .object({
    method: OrderTenderMethodSchema.default('cash'),
    /** Fen; left out: everything still due. */
    amount: z
      .number()
      .int('an amount is in whole fen')
      .min(1, 'an amount must be above zero')
      .optional(),
  })
  .strict();
export type OrderPay = z.input<typeof OrderPaySchema>;

/**
 * Pay an order online: the QR of a charge through the store's channel (the kiosk, a phone), or
 * `payment_code`: the payer's WeChat or Alipay payment code (付款码) scanned at the counter or the
 * kiosk, charged at once.
 */
export const OrderChargeSchema = z
  .object({
    method: z.enum([...OnlinePaymentMethodSchema.options, 'payment_code']).default('wechat'),
    /** For `payment_code`: its digits, as the scanner or the cashier typed them. */
    code: z
      .string()
      .trim()
      .regex(/^\d{16,24}$/, 'must be the 16 to 24 digits under the payment code')
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.method === 'payment_code' && b.code === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'is required' });
    }
  });
export type OrderCharge = z.input<typeof OrderChargeSchema>;

export interface OrderChargeView {
  id: string;
  orderId: string;
  method: OnlinePaymentMethod;
  /** Fen: what was still due on the order when the QR was made. */
  amount: number;
  /**
   * `pending` while the QR can be paid; `paid` once credited to the order; `closed` never paid;
   * `returning`/`returned`: paid when the order could take no more, so it goes straight back.
   */
  status: 'pending' | 'paid' | 'closed' | 'returning' | 'returned';
  payUrl: string | null;
  qrPayload: string | null;
  expiresAt: string;
  paidAt: string | null;
  /** A payment code's charge: what it is doing now, the code's last digits, why it ended unpaid. */
  code?: { status: PaymentCodeStatus; masked: string; reason: string | null };
}

export const OrderRefundSchema = z
  .object({
    /** Fen; left out: everything paid that has not gone back yet. */
    amount: z
      .number()
      .int('an amount is in whole fen')
      .min(1, 'an amount must be above zero')
      .optional(),
    reason: text(200, 'the reason'),
  })
  .strict();
export type OrderRefund = z.input<typeof OrderRefundSchema>;

export const OrderCancelSchema = z.object({ reason: text(200, 'the reason') }).strict();

export const OrderListQuerySchema = z
  .object({
    date: LocalDateSchema.optional(),
    status: z.enum(['placed', 'prepared', 'delivered', 'refunded', 'cancelled']).optional(),
    bookingId: id.optional(),
  })
  .strict();

export interface OrderLineView {
  itemId: string;
  name: string;
  specs: { spec: string; choice: string; priceDelta: number }[];
  /** The item's price with its choices, fen, as the menu said when it was ordered. */
  unitPrice: number;
  quantity: number;
  amount: number;
}

/**
 * A discount on an order, a line of its own under the items: the customer's member level's
 * percentage off items (the level's name, e.g. 金卡). The order's total is the lines' less these.
 */
export interface OrderDiscountView {
  kind: 'member';
  /** What it is named by: the member's level. */
  name: string;
  /** The level's percentage off items, 1-100. */
  percentOff: number;
  /** Fen, negative: what it takes off the lines. */
  amount: number;
}

export interface OrderMoneyEntryView {
  id: number;
  kind: 'payment' | 'refund';
  method: OrderPayMethod;
  /** Fen: positive for a payment, negative for a refund. */
  amount: number;
  reason: string | null;
  actor: { kind: ActorKind; id: string };
  at: string;
}

export interface OrderView {
  id: string;
  /** Read out at the counter: the day's sequence, 001, 002... */
  number: string;
  bookingId: string | null;
  /** The room it is delivered to (its booking's), or null for an order on its own. */
  roomId: string | null;
  status: OrderStatus;
  lines: OrderLineView[];
  /** Discounts under the lines, each its own line; none for most orders. */
  discounts: OrderDiscountView[];
  /** The member it is for (its booking's customer or the one the counter named); null if none. */
  member: OrderMemberView | null;
  note: string;
  /** What the order costs: its lines less its discounts, fen. */
  total: number;
  /** What was paid in, fen (never above the total). */
  paid: number;
  /** What went back, fen (never above what was paid). */
  refunded: number;
  /** Still to pay, fen: 0 once paid, cancelled or refunded. */
  due: number;
  money: OrderMoneyEntryView[];
  history: {
    action: string;
    from: OrderStatus | null;
    to: OrderStatus;
    actor: { kind: ActorKind; id: string };
    reason: string | null;
    at: string;
  }[];
  createdAt: string;
}

// ---- stock -----------------------------------------------------------------------------------

/** Why stock moved: in, sold by an order, back from a cancelled order, thrown away, counted. */
export const StockMoveKindSchema = z.enum(['received', 'sold', 'returned', 'wasted', 'counted']);
export type StockMoveKind = z.infer<typeof StockMoveKindSchema>;

/** A movement staff record: goods in, goods thrown away, or the figure found by counting. */
export const StockMoveInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('received'),
      quantity: z
        .number()
        .int('a quantity is a whole number')
        .min(1, 'receive at least one')
        .max(100_000),
      reason: z.string().trim().max(200).default(''),
    })
    .strict(),
  z
    .object({
      kind: z.literal('wasted'),
      quantity: z
        .number()
        .int('a quantity is a whole number')
        .min(1, 'throw away at least one')
        .max(100_000),
      reason: text(200, 'the reason'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('counted'),
      /** What is on the shelf: the ledger is adjusted to it. */
      quantity: z
        .number()
        .int('a count is a whole number')
        .min(0, 'a count cannot be below zero')
        .max(1_000_000),
      reason: z.string().trim().max(200).default(''),
    })
    .strict(),
]);
export type StockMoveInput = z.input<typeof StockMoveInputSchema>;

export interface StockMoveView {
  id: number;
  itemId: string;
  kind: StockMoveKind;
  /** Signed: what the shelf gained or lost. */
  quantity: number;
  /** The balance after this movement. */
  balance: number;
  orderId: string | null;
  reason: string;
  actor: { kind: ActorKind; id: string };
  at: string;
}

export interface StockLevelView {
  itemId: string;
  name: string;
  /** The ledger's sum. */
  balance: number;
  lowStockAt: number | null;
  low: boolean;
}

export const SalesQuerySchema = z
  .object({
    from: LocalDateSchema,
    to: LocalDateSchema,
    by: z.enum(['quantity', 'revenue']).default('quantity'),
  })
  .strict()
  .refine((q) => q.from <= q.to, {
    path: ['to'],
    message: 'the end date must not be before the start',
  });

export interface SalesRankView {
  itemId: string;
  name: string;
  quantity: number;
  /** Fen charged after the orders' discounts, of orders that stand (cancelled, refunded left out). */
  revenue: number;
}
