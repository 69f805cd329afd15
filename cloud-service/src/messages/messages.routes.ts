// Messages (C13): the customer's inbox and the owner's, read and unread; the WeChat subscribe
// templates the mini-program asks for at payment and the authorisations the customer gave there; promotions by SMS on or off; a store's
// message settings (the owner's); and the SMS service's push of customers' replies (R / 退订
// unsubscribes), which proves itself with the push token the cloud was configured with.
import { timingSafeEqual } from 'node:crypto';
import {
  AT_PAYMENT_KINDS,
  DomainError,
  MessageGrantsBodySchema,
  MessageIdParamsSchema,
  MessageSettingsSchema,
  OwnerStoreParamsSchema,
  PromotionsBodySchema,
  UNSUBSCRIBE_REPLIES,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { route, Reply, type RouteDef } from '../http/route';
import { MessageNotFound, Messages } from './messages';

const SmsRepliesSchema = z
  .array(
    z.object({
      phone_number: z.string().max(20),
      content: z.string().max(500),
      sign_name: z.string().max(60).optional(),
      send_time: z.string().max(40).optional(),
    }),
  )
  .max(500);
const PushTokenQuerySchema = z.object({ token: z.string().max(200).default('') });

const notFound = () =>
  new DomainError('not_found', 'message_not_found', 'no such message in this inbox', 'messageId');

async function read<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (error) {
    if (error instanceof MessageNotFound) throw notFound();
    throw error;
  }
}

export function messageRoutes(messages: Messages, smsPushToken: string | undefined): RouteDef[] {
  const yours = (storeIds: string[], storeId: string) => {
    if (!storeIds.includes(storeId)) {
      throw new DomainError('forbidden', 'not_your_store', 'this account does not run that store');
    }
  };
  return [
    route({
      method: 'get',
      path: '/api/me/messages',
      tag: 'messages',
      access: 'customer',
      summary: 'My messages, newest first, with the unread count',
      handle: async ({ caller }) => {
        // Seeing the inbox is also where the cloud learns the phone to text (signed in by SMS).
        if (caller.phone)
          await messages.seen({ customerId: caller.customerId, phone: caller.phone });
        const [inbox, contact] = await Promise.all([
          messages.inbox(Messages.customer(caller.customerId)),
          messages.contacts.get(caller.customerId),
        ]);
        return { ...inbox, offers: Boolean(contact?.promotions && !contact.unsubscribedAt) };
      },
    }),
    route({
      method: 'post',
      path: '/api/me/messages/:messageId/read',
      tag: 'messages',
      access: 'customer',
      summary: 'Mark one of my messages read; the unread count after',
      params: MessageIdParamsSchema,
      handle: ({ caller, params }) =>
        read(messages.markRead(Messages.customer(caller.customerId), params.messageId)),
    }),
    route({
      method: 'post',
      path: '/api/me/messages/read',
      tag: 'messages',
      access: 'customer',
      summary: 'Mark all my messages read',
      handle: ({ caller }) => messages.markRead(Messages.customer(caller.customerId)),
    }),
    route({
      method: 'get',
      path: '/api/me/message-templates',
      tag: 'messages',
      access: 'customer',
      summary:
        "The WeChat subscribe templates the mini-program asks the customer for at payment (到店提醒); channel 'sms' and none when WeChat messages are not set up",
      handle: () => messages.subscribeTemplates(AT_PAYMENT_KINDS),
    }),
    route({
      method: 'post',
      path: '/api/me/message-grants',
      tag: 'messages',
      access: 'customer',
      summary:
        'The WeChat subscribe templates the customer just allowed (one message each); the authorisations left per kind',
      body: MessageGrantsBodySchema,
      handle: async ({ caller, body }) => ({
        grants: await messages.contacts.grant(caller.customerId, body.kinds),
      }),
    }),
    route({
      method: 'put',
      path: '/api/me/promotions',
      tag: 'messages',
      access: 'customer',
      summary: 'Offers by SMS: on (opt in) or off; a reply of R to any offer turns them off too',
      body: PromotionsBodySchema,
      handle: async ({ caller, body }) => {
        if (body.optIn && !caller.phone) {
          throw new DomainError(
            'invalid',
            'phone_required',
            'offers come by SMS: sign in with your phone number first',
            'optIn',
          );
        }
        if (caller.phone)
          await messages.seen({ customerId: caller.customerId, phone: caller.phone });
        return messages.contacts.promotions(caller.customerId, body.optIn);
      },
    }),
    route({
      method: 'get',
      path: '/api/owner/messages',
      tag: 'messages',
      access: 'owner',
      summary:
        "The owner's messages from every store they run, newest first, with the unread count",
      handle: ({ caller }) => messages.inbox(Messages.owner(caller.username)),
    }),
    route({
      method: 'post',
      path: '/api/owner/messages/:messageId/read',
      tag: 'messages',
      access: 'owner',
      summary: 'Mark one message read',
      params: MessageIdParamsSchema,
      handle: ({ caller, params }) =>
        read(messages.markRead(Messages.owner(caller.username), params.messageId)),
    }),
    route({
      method: 'post',
      path: '/api/owner/messages/read',
      tag: 'messages',
      access: 'owner',
      summary: 'Mark all messages read',
      handle: ({ caller }) => messages.markRead(Messages.owner(caller.username)),
    }),
    route({
      method: 'get',
      path: '/api/owner/stores/:storeId/message-settings',
      tag: 'messages',
      access: 'owner',
      summary: "A store's message switches, quiet hours and win-back",
      params: OwnerStoreParamsSchema,
      handle: ({ caller, params }) => {
        yours(caller.storeIds, params.storeId);
        return messages.stores.settings(params.storeId);
      },
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/message-settings',
      tag: 'messages',
      access: 'owner',
      summary: "Set a store's message switches, quiet hours and win-back",
      params: OwnerStoreParamsSchema,
      body: MessageSettingsSchema,
      handle: ({ caller, params, body }) => {
        yours(caller.storeIds, params.storeId);
        return messages.stores.putSettings(params.storeId, body);
      },
    }),
    route({
      method: 'post',
      path: '/api/messages/sms-replies',
      tag: 'messages',
      access: 'anyone',
      summary:
        "The SMS service's push of customers' replies (with the configured push token); R, T, TD or 退订 unsubscribes that phone from offers",
      query: PushTokenQuerySchema,
      body: SmsRepliesSchema,
      handle: async ({ query, body }) => {
        const expected = Buffer.from(smsPushToken ?? '');
        const given = Buffer.from(query.token);
        if (
          expected.length === 0 ||
          expected.length !== given.length ||
          !timingSafeEqual(expected, given)
        ) {
          return new Reply(401, { code: 401, msg: 'wrong push token' });
        }
        let unsubscribed = 0;
        for (const r of body) {
          if (await messages.contacts.replied(r.phone_number, r.content, UNSUBSCRIBE_REPLIES))
            unsubscribed += 1;
        }
        return { code: 0, msg: '成功', unsubscribed };
      },
    }),
  ];
}
