// Messages (C13): the customer's inbox and the owner's, read and unread; the store's own inbox as
// its hub relays it to the owner and managers signed in there (the hub's own credential, that
// store's inbox alone; its read state is the store's, apart from the owner's); the WeChat subscribe
// templates the mini-program asks for at payment and the authorisations the customer gave there; promotions by SMS on or off; a store's
// message settings and own words per kind (the owner's); and the SMS service's push of customers' replies (R / 退订
// unsubscribes), which proves itself with the push token the cloud was configured with.
import { timingSafeEqual } from 'node:crypto';
import {
  AT_PAYMENT_KINDS,
  DomainError,
  MessageGrantsBodySchema,
  MessageIdParamsSchema,
  MESSAGE_TEMPLATES,
  MessageKindSchema,
  MessageSettingsSchema,
  MessageTemplateBodySchema,
  OwnerStoreParamsSchema,
  PLATFORM_NOTICE_KINDS,
  PROMOTIONAL_KINDS,
  messageAudience,
  templatePlaceholders,
  unknownPlaceholder,
  type MessageKind,
  type MessageTemplateView,
  type StoreMessageTemplates,
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

const TemplateParamsSchema = OwnerStoreParamsSchema.extend({ kind: MessageKindSchema });

/** Each kind's words as the store uses them (its own or the default), for the settings page. */
function templateViews(own: StoreMessageTemplates): MessageTemplateView[] {
  return MessageKindSchema.options
    .filter((k) => !PLATFORM_NOTICE_KINDS.includes(k))
    .map((kind) => templateView(kind, own));
}

function templateView(kind: MessageKind, own: StoreMessageTemplates): MessageTemplateView {
  const words = own[kind] ?? MESSAGE_TEMPLATES[kind];
  return {
    kind,
    audience: messageAudience(kind),
    promotional: PROMOTIONAL_KINDS.includes(kind),
    title: words.title,
    body: words.body,
    own: Boolean(own[kind]),
    default: MESSAGE_TEMPLATES[kind],
    placeholders: templatePlaceholders(kind),
  };
}

/** The platform's notices on a complaint keep the platform's words; any other kind may be the store's. */
function storeKind(kind: MessageKind): MessageKind {
  if (PLATFORM_NOTICE_KINDS.includes(kind)) {
    throw new DomainError(
      'invalid',
      'platform_message_words',
      "kind: the platform's notices on a complaint keep the platform's words",
      'kind',
    );
  }
  return kind;
}

/** Refuses a placeholder the kind's default words do not use, naming the field and the rule. */
function checkPlaceholders(kind: MessageKind, words: { title: string; body: string }) {
  for (const field of ['title', 'body'] as const) {
    const bad = unknownPlaceholder(kind, words[field]);
    if (bad === undefined) continue;
    const allowed = templatePlaceholders(kind)
      .map((p) => `{${p}}`)
      .join(' ');
    throw new DomainError(
      'bad_input',
      'unknown_placeholder',
      `${field}: ${bad} is not a placeholder of this kind; use only ${allowed || 'no placeholders'}`,
      field,
    ).with({
      field: field === 'title' ? '标题' : '正文',
      placeholder: bad,
      allowed: allowed || '无',
    });
  }
}

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
      path: '/api/hub/messages',
      tag: 'messages',
      access: 'hub',
      summary:
        "The store's notices (new bookings and orders, refunds to review, vouchers redeemed, low stock, device faults, the store offline), newest first, with the unread count: one inbox for the store's staff",
      handle: ({ caller }) => messages.inbox(Messages.store(caller.storeId)),
    }),
    route({
      method: 'post',
      path: '/api/hub/messages/:messageId/read',
      tag: 'messages',
      access: 'hub',
      summary: "Mark one of the store's notices read, for the store; the unread count after",
      params: MessageIdParamsSchema,
      errors: { 404: ['message_not_found'] },
      handle: ({ caller, params }) =>
        read(messages.markRead(Messages.store(caller.storeId), params.messageId)),
    }),
    route({
      method: 'post',
      path: '/api/hub/messages/read',
      tag: 'messages',
      access: 'hub',
      summary: "Mark all the store's notices read, for the store",
      handle: ({ caller }) => messages.markRead(Messages.store(caller.storeId)),
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
      method: 'get',
      path: '/api/owner/stores/:storeId/message-templates',
      tag: 'messages',
      access: 'owner',
      summary:
        "Each kind's words for this store: the store's own or the default, with the placeholders it may use",
      params: OwnerStoreParamsSchema,
      handle: async ({ caller, params }) => {
        yours(caller.storeIds, params.storeId);
        return { templates: templateViews(await messages.stores.templates(params.storeId)) };
      },
    }),
    route({
      method: 'put',
      path: '/api/owner/stores/:storeId/message-templates/:kind',
      tag: 'messages',
      access: 'owner',
      summary:
        "The store's own title and body for a kind (only the default's placeholders, body at most 200 characters); the inbox and WeChat use them, SMS keeps its approved template; messages already made are not changed",
      params: TemplateParamsSchema,
      body: MessageTemplateBodySchema,
      handle: async ({ caller, params, body }) => {
        yours(caller.storeIds, params.storeId);
        const kind = storeKind(params.kind);
        checkPlaceholders(kind, body);
        return templateView(kind, await messages.stores.putTemplate(params.storeId, kind, body));
      },
    }),
    route({
      method: 'delete',
      path: '/api/owner/stores/:storeId/message-templates/:kind',
      tag: 'messages',
      access: 'owner',
      summary: 'A kind back to its default words for this store',
      params: TemplateParamsSchema,
      handle: async ({ caller, params }) => {
        yours(caller.storeIds, params.storeId);
        const kind = storeKind(params.kind);
        return templateView(kind, await messages.stores.putTemplate(params.storeId, kind, null));
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
