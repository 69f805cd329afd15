// What a store's hub publishes of its tea and snacks (C8, O5): each order with its lines, status
// history and money, for the owner's remote view and statistics, and the menu as a customer
// ordering from their phone sees it. The hub is their only writer.
import { z } from 'zod';
import { StoreIdSchema } from './databases';
import { IdPartSchema, part } from './id-part';
import { ActorKindSchema } from '../booking/booking-status';
import { OrderStatusSchema } from '../menu/order-status';
import { OrderPayMethodSchema } from '../api/menu';
import { IsoInstantSchema, LocalDateSchema } from '../time/instant';

export const orderDocId = (orderId: string) => `order:${part(orderId)}`;
/** The store's tea-and-snacks menu as customers see it (C8). */
export const MENU_DOC_ID = 'menu:store';

const fen = z.number().int();
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A tea-and-snacks order as its hub recorded it (C8, O5): what was ordered, its status and history,
 * and every movement of its money, so the owner's remote view and statistics read orders as they
 * read bookings. No customer's phone: an order names its booking, whose document says whose it is.
 */
export const OrderDocSchema = z.object({
  _id: z.string().startsWith('order:'),
  type: z.literal('order'),
  storeId: StoreIdSchema,
  orderId: IdPartSchema,
  /** The day's sequence read out at the counter, with the store-local day it belongs to. */
  number: text(10),
  day: LocalDateSchema,
  bookingId: IdPartSchema.nullable(),
  roomId: IdPartSchema.nullable(),
  status: OrderStatusSchema,
  lines: z.array(
    z.object({
      itemId: IdPartSchema,
      name: text(60),
      /** The chosen specs, e.g. `大杯 · 少糖`. */
      specs: z.string().max(200),
      unitPrice: fen,
      quantity: z.number().int().min(1),
      amount: fen,
    }),
  ),
  /** Discounts under the lines (a member level's off items); `totals.amount` is net of them. */
  discounts: z
    .array(
      z.object({
        kind: z.literal('member'),
        name: text(40),
        percentOff: z.number().int().min(1).max(100),
        /** Fen, negative. */
        amount: z.number().int().max(0),
      }),
    )
    .optional(),
  totals: z.object({ amount: fen, paid: fen, refunded: fen }),
  money: z.array(
    z.object({
      kind: z.enum(['payment', 'refund']),
      method: OrderPayMethodSchema,
      amount: fen,
      at: IsoInstantSchema,
      /** The entry in the store's order ledger: a refund is paid back once by its id. */
      entryId: IdPartSchema.optional(),
      /**
       * For money the cloud took (an order placed from the phone): the cloud's payment id. A
       * refund entry with one is paid back by the cloud, as a ledger refund of method `cloud` is.
       */
      paymentRef: IdPartSchema.optional(),
    }),
  ),
  history: z.array(
    z.object({
      at: IsoInstantSchema,
      action: text(40),
      from: OrderStatusSchema.nullable(),
      to: OrderStatusSchema,
      actor: z.object({ kind: ActorKindSchema, id: text(64) }),
      reason: z.string().max(200).optional(),
    }),
  ),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type OrderDoc = z.infer<typeof OrderDocSchema>;

/**
 * The store's menu of tea and snacks as a customer ordering from their phone sees it (C8):
 * categories in the owner's order, each item with its photos, specs and price, and whether it can
 * be ordered now (switched off, or none left on the shelf: sold out). The hub prices an order
 * again when it places it; this is what the cloud shows and checks a cart against first.
 */
export const MenuDocSchema = z.object({
  _id: z.literal(MENU_DOC_ID),
  type: z.literal('menu'),
  storeId: StoreIdSchema,
  categories: z
    .array(
      z.object({
        categoryId: IdPartSchema,
        name: text(30),
        items: z
          .array(
            z.object({
              itemId: IdPartSchema,
              name: text(40),
              description: z.string().max(500),
              photos: z.array(z.string().max(500)).max(6),
              /** Fen, with the first (or default) choice of each spec. */
              price: fen.min(0),
              specs: z
                .array(
                  z.object({
                    name: text(20),
                    choices: z
                      .array(z.object({ name: text(20), priceDelta: fen }))
                      .min(1)
                      .max(12),
                    defaultChoice: z.string().max(20).nullable(),
                  }),
                )
                .max(6),
              /** False when switched off for today or none is left on the shelf. */
              available: z.boolean(),
              /**
               * For the owner away from the store, never shown to customers: switched off by
               * staff, what is on the shelf (null: not counted) and the low-stock threshold.
               * Absent from a menu published before they were.
               */
              soldOut: z.boolean().optional(),
              stock: z.number().int().nullable().optional(),
              lowStockAt: z.number().int().min(0).nullable().optional(),
            }),
          )
          .max(300),
      }),
    )
    .max(50),
  updatedAt: IsoInstantSchema,
});
export type MenuDoc = z.infer<typeof MenuDocSchema>;
