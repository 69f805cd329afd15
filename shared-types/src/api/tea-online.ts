// Tea and snacks ordered from the customer's phone (C8): the menu a store published, the cart the
// customer sends for one of their bookings (paid online, held until the store places the order),
// and their orders with the store's status of each. The rules are the hub's (menu.ts, order
// status); these are the shapes the cloud answers with.
import { z } from 'zod';
import { OrderLineInputSchema } from './menu';
import type { IntentState, Published } from './customer';
import type { MenuDoc, OrderDoc } from '../sync/documents';

export const TeaOrderBodySchema = z
  .object({
    /** The booking whose room it is brought to: one of the customer's, current or coming. */
    bookingId: z.string().trim().min(1).max(100),
    lines: z
      .array(OrderLineInputSchema)
      .min(1, 'the cart is empty')
      .max(30, 'a cart holds at most 30 lines'),
    note: z.string().trim().max(200, 'a note is at most 200 characters').default(''),
  })
  .strict();
export type TeaOrderBody = z.input<typeof TeaOrderBodySchema>;

/** A store's menu for the phone; `categories` empty when the store has published none. */
export interface OnlineMenu {
  storeId: string;
  categories: MenuDoc['categories'];
  updatedAt: string | null;
}

/** One tea order I asked for, with the store's order once it placed it. */
export interface MyTeaOrder {
  intentId: string;
  storeId: string;
  bookingId: string;
  /** The intent: waiting for the store, confirmed (placed), rejected (money back), expired. */
  state: IntentState;
  reason?: string;
  /** What was held or taken, fen. */
  amount: number;
  payment?: 'authorised' | 'captured' | 'released';
  createdAt: string;
  /** The store's order once placed: its number, lines and status (placed, prepared, delivered...). */
  order: Omit<Published<OrderDoc>, 'type'> | null;
}

export interface MyTeaOrders {
  orders: MyTeaOrder[];
}
