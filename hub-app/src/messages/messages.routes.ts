// The store's messages at the hub (C13): the notices the cloud keeps in the store's own inbox (new
// bookings and orders, refunds to review, vouchers redeemed, low stock, device faults, the store
// offline), relayed with the hub's own cloud credential for the owner and managers signed in here.
// One inbox per store: a notice marked read is read for all the store's staff, never in the
// owner's own remote inbox. Marking read is audited as every staff action is. Without the cloud
// they cannot be read: said in one sentence. A notice about an order carries the order's number
// from this hub's bookings, as the counter reads it out.
import { DomainError, MessageIdParamsSchema, type InboxView } from '@roomhub/shared-types';
import { z } from 'zod';
import type { Hub } from '../hub';
import type { StoreInbox } from './store-inbox';
import { route, type RouteEntry } from '../http/route';

/** `:id`, the message's id in the store's inbox (the audit log names it). */
const MessageParams = z.object({ id: MessageIdParamsSchema.shape.messageId });

const noCloud = () =>
  new DomainError(
    'unavailable',
    'cloud_not_configured',
    "this store is not connected to the cloud, where the store's messages are kept",
  ).with({}, 'store_messages_not_connected');

export function messageRoutes(hub: Hub, inbox: () => StoreInbox | undefined): RouteEntry[] {
  const use = async <T>(fn: (i: StoreInbox) => Promise<T>): Promise<T> => {
    const i = inbox();
    if (!i) throw noCloud();
    return fn(i);
  };
  // An order this hub does not hold (not yet synced back, or cleared) keeps its id only.
  const numbered = (v: InboxView): InboxView => ({
    ...v,
    messages: v.messages.map((m) => {
      const number = m.bookingId ? hub.records.find(m.bookingId)?.number : undefined;
      return number ? { ...m, bookingNumber: number } : m;
    }),
  });
  return [
    route({
      method: 'get',
      path: '/api/messages',
      tag: 'messages',
      summary:
        "The store's notices (new bookings and orders, refunds to review, vouchers redeemed, low stock, device faults, the store offline), newest first, with the unread count",
      handle: () => use(async (i) => numbered(await i.list())),
    }),
    route({
      method: 'post',
      path: '/api/messages/:id/read',
      tag: 'messages',
      summary:
        "Mark one of the store's notices read, for the store's staff; the unread count after",
      params: MessageParams,
      handle: ({ params }) => use((i) => i.read(params.id)),
    }),
    route({
      method: 'post',
      path: '/api/messages/read',
      tag: 'messages',
      summary: "Mark all the store's notices read, for the store's staff",
      handle: () => use((i) => i.readAll()),
    }),
  ];
}
