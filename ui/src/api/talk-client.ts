// The customer's messages and conversations with stores (C13), through the cloud with the
// customer's token (cloud-client's `call`): the inbox and what is unread, offers by SMS on or off,
// and customer-service chat.
import type { ChatDetail, ChatList, InboxView } from '@roomhub/shared-types';
import { call } from './cloud-client';

export const talk = {
  inbox: () => call<InboxView>('GET', '/api/me/messages'),
  read: (messageId: string) =>
    call<{ unread: number }>('POST', `/api/me/messages/${encodeURIComponent(messageId)}/read`),
  readAll: () => call<{ unread: number }>('POST', '/api/me/messages/read'),
  offers: (optIn: boolean) =>
    call<{ optIn: boolean }>('PUT', '/api/me/promotions', { body: { optIn } }),
  chats: () => call<ChatList>('GET', '/api/me/chats'),
  chat: (storeId: string, chatId: string) =>
    call<ChatDetail>('GET', `/api/me/chats/${storeId}/${chatId}`),
  open: (storeId: string, text: string, bookingId?: string) =>
    call<ChatDetail>('POST', '/api/me/chats', {
      body: { storeId, text, ...(bookingId ? { bookingId } : {}) },
    }),
  say: (storeId: string, chatId: string, text: string) =>
    call<ChatDetail>('POST', `/api/me/chats/${storeId}/${chatId}/lines`, { body: { text } }),
  complain: (storeId: string, chatId: string, reason: string) =>
    call<ChatDetail>('POST', `/api/me/chats/${storeId}/${chatId}/complaint`, {
      body: { reason },
    }),
};
