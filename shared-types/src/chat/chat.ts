// Customer-service chat (C13): a customer opens a conversation with a store (about an order, or
// not), the store's customer-service staff answer from their screen (through their hub) or the
// owner from anywhere; each side sees what the other has not read. A cloud fact: it is kept by the
// cloud, so a customer can write while the store is offline and the store reads it when back.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/id-part';
import type { ComplaintOrderFacts, ComplaintView, PlatformComplaintView } from './complaint';

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
  /** The staff member's name on the store's side, 平台客服 for the platform; none for the customer. */
  name?: string;
  text: string;
  at: string;
  /** A line that files a complaint (its text the reason), or closes one (its text the decision). */
  note?: 'complaint' | 'complaint_closed';
}

export interface ChatView {
  chatId: string;
  storeId: string;
  storeName?: string;
  /** The customer's order it is about, when it is about one (one of theirs at this store). */
  bookingId?: string;
  /**
   * That order's number as the counter reads it out (202611230007); added by the store's hub,
   * which keeps the numbers (the cloud does not), so only the counter's view has it.
   */
  bookingNumber?: string;
  /** Whether it is a complaint (投诉); `complaintCase` says where it stands. */
  complaint: boolean;
  complaintCase?: ComplaintView;
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

/** One complaint for the platform: itself, the whole conversation and the order's facts. */
export interface PlatformComplaintDetail {
  complaint: PlatformComplaintView;
  lines: ChatLineView[];
  /** null when the store's facts of the order have not reached the cloud. */
  order: ComplaintOrderFacts | null;
}
