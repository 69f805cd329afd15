// Customer-service chat (C13): the customer's conversations (open one with a store, read, write);
// the store's side as its hub relays it for a signed-in staff member (the hub checked the role and
// names the staff member); and as the store's owner from anywhere. Reading a conversation marks
// what the other side wrote as read.
import {
  ChatOpenBodySchema,
  ChatParamsSchema,
  ChatSayBodySchema,
  HubChatParamsSchema,
  HubChatSayBodySchema,
  OwnerStoreParamsSchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { Chats } from './chats';

export function chatRoutes(chats: Chats): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/me/chats',
      tag: 'chat',
      access: 'customer',
      summary: 'My conversations with stores, newest first, with what I have not read',
      handle: ({ caller }) => chats.customerList(caller),
    }),
    route({
      method: 'post',
      path: '/api/me/chats',
      tag: 'chat',
      access: 'customer',
      status: 201,
      summary:
        'Open a conversation with a store (about one of my orders there, or not) with its first line',
      body: ChatOpenBodySchema,
      errors: { 404: ['store_not_found'], 422: ['chat_order_unknown'] },
      handle: ({ caller, body }) => chats.open(caller, body),
    }),
    route({
      method: 'get',
      path: '/api/me/chats/:storeId/:chatId',
      tag: 'chat',
      access: 'customer',
      summary: "A conversation's lines; what the store wrote is read now",
      params: ChatParamsSchema,
      handle: ({ caller, params }) => chats.customerRead(caller, params.storeId, params.chatId),
    }),
    route({
      method: 'post',
      path: '/api/me/chats/:storeId/:chatId/lines',
      tag: 'chat',
      access: 'customer',
      status: 201,
      summary: 'Write in a conversation',
      params: ChatParamsSchema,
      body: ChatSayBodySchema,
      handle: ({ caller, params, body }) =>
        chats.customerSay(caller, params.storeId, params.chatId, body.text),
    }),
    route({
      method: 'get',
      path: '/api/hub/chats',
      tag: 'chat',
      access: 'hub',
      summary: "The store's conversations, newest first, with what the store has not read",
      handle: ({ caller }) => chats.storeList(caller.storeId),
    }),
    route({
      method: 'get',
      path: '/api/hub/chats/:chatId',
      tag: 'chat',
      access: 'hub',
      summary: "A conversation of the store's; what the customer wrote is read now",
      params: HubChatParamsSchema,
      handle: ({ caller, params }) => chats.storeRead(caller.storeId, params.chatId),
    }),
    route({
      method: 'post',
      path: '/api/hub/chats/:chatId/lines',
      tag: 'chat',
      access: 'hub',
      status: 201,
      summary: 'A staff member of the store answers (the hub proved who)',
      params: HubChatParamsSchema,
      body: HubChatSayBodySchema,
      handle: ({ caller, params, body }) =>
        chats.storeSay(caller.storeId, params.chatId, body.staff, body.text),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/chats',
      tag: 'chat',
      access: 'owner',
      summary: "A store's conversations, for its owner",
      params: OwnerStoreParamsSchema,
      handle: ({ caller, params }) => chats.storeList(chats.ownerStore(caller, params.storeId)),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/chats/:chatId',
      tag: 'chat',
      access: 'owner',
      summary: "A conversation of the owner's store",
      params: ChatParamsSchema,
      handle: ({ caller, params }) =>
        chats.storeRead(chats.ownerStore(caller, params.storeId), params.chatId),
    }),
    route({
      method: 'post',
      path: '/api/owner/stores/:storeId/chats/:chatId/lines',
      tag: 'chat',
      access: 'owner',
      status: 201,
      summary: 'The owner answers in a conversation of their store',
      params: ChatParamsSchema,
      body: ChatSayBodySchema,
      handle: ({ caller, params, body }) =>
        chats.storeSay(
          chats.ownerStore(caller, params.storeId),
          params.chatId,
          { id: `owner:${caller.username}`, name: '店主' },
          body.text,
        ),
    }),
  ];
}
