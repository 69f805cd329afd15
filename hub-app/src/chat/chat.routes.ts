// Customer-service chat at the store (C13): the store's conversations with customers, kept by the
// cloud and relayed by the hub for its signed-in customer-service staff (and managers, the owner),
// so a staff member's answer goes out under their own name, proved here. Answers are audited as
// every staff action is. Without the cloud the store cannot read them: said in one sentence.
// A conversation about an order carries the order's number from this hub's bookings, as the
// counter reads it out (the cloud knows the order by its id only).
import {
  ChatSayBodySchema,
  DomainError,
  HubChatParamsSchema,
  type ChatDetail,
  type ChatList,
  type ChatView,
} from '@roomhub/shared-types';
import type { Hub } from '../hub';
import type { ChatRelay } from './chat-relay';
import { route, type RouteEntry } from '../http/route';

const noCloud = () =>
  new DomainError(
    'unavailable',
    'cloud_not_configured',
    'this store is not connected to the cloud, where conversations with customers are kept',
  );

export function chatRoutes(hub: Hub, relay: () => ChatRelay | undefined): RouteEntry[] {
  const use = async <T>(fn: (r: ChatRelay) => Promise<T>): Promise<T> => {
    const r = relay();
    if (!r) throw noCloud();
    return fn(r);
  };
  // An order this hub does not hold (not yet synced back, or cleared) keeps its id only.
  const numbered = (c: ChatView): ChatView => {
    const number = c.bookingId ? hub.records.find(c.bookingId)?.number : undefined;
    return number ? { ...c, bookingNumber: number } : c;
  };
  const list = (l: ChatList): ChatList => ({ ...l, chats: l.chats.map(numbered) });
  const detail = (d: ChatDetail): ChatDetail => ({ ...d, chat: numbered(d.chat) });
  return [
    route({
      method: 'get',
      path: '/api/chats',
      tag: 'chat',
      summary: "The store's conversations with customers, newest first, with what is unread",
      handle: () => use(async (r) => list(await r.list())),
    }),
    route({
      method: 'get',
      path: '/api/chats/:chatId',
      tag: 'chat',
      summary: 'A conversation; what the customer wrote is read now',
      params: HubChatParamsSchema,
      handle: ({ params }) => use(async (r) => detail(await r.read(params.chatId))),
    }),
    route({
      method: 'post',
      path: '/api/chats/:chatId/lines',
      tag: 'chat',
      status: 201,
      summary: 'Answer a customer, as the signed-in staff member',
      params: HubChatParamsSchema,
      body: ChatSayBodySchema,
      handle: ({ params, body, actor }) =>
        use((r) => {
          const staff = actor.kind === 'staff' ? hub.staff.find(actor.id) : undefined;
          if (!staff) {
            throw new DomainError('forbidden', 'staff_only', 'sign in with your own PIN to answer');
          }
          return r.say(params.chatId, { id: staff.id, name: staff.name }, body.text).then(detail);
        }),
    }),
  ];
}
