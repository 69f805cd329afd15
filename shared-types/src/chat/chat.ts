// Customer-service chat (C13): a customer opens a conversation with a store (about an order, or
// not), the store's customer-service staff answer from their screen (through their hub) or the
// owner from anywhere; each side sees what the other has not read. A cloud fact: it is kept by the
// cloud, so a customer can write while the store is offline and the store reads it when back.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/id-part';

const words = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters');

export const ChatOpenBodySchema = z.object({
  storeId: StoreIdSchema,
  /** The order it is about, when it is about one. */
  bookingId: IdPartSchema.optional(),
  text: words,
  /** A complaint: the platform is told and may step in. */
  complaint: z.boolean().default(false),
});

export const ChatSayBodySchema = z.object({ text: words });

/** A staff member's line, relayed by their hub, which proved them. */
export const HubChatSayBodySchema = z.object({
  text: words,
  staff: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(40) }),
});

export const ChatParamsSchema = z.object({ storeId: StoreIdSchema, chatId: IdPartSchema });
export const HubChatParamsSchema = z.object({ chatId: IdPartSchema });

export type ChatSide = 'customer' | 'store' | 'platform';

export interface ChatLineView {
  id: string;
  from: ChatSide;
  /** The staff member's name on the store's side; none for the customer. */
  name?: string;
  text: string;
  at: string;
}

export interface ChatView {
  chatId: string;
  storeId: string;
  storeName?: string;
  bookingId?: string;
  complaint: boolean;
  /** For the store's side: the customer, as the store may show them (masked phone, or 顾客). */
  customer?: string;
  lastText: string;
  lastAt: string;
  /** Lines the viewer has not read. */
  unread: number;
}

export interface ChatDetail {
  chat: ChatView;
  lines: ChatLineView[];
}

export interface ChatList {
  chats: ChatView[];
  unread: number;
}
