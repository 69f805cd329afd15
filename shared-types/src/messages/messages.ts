// Messages to customers and to owners (C13): what each kind is, who hears it, whether it is
// promotional (sent by SMS only, to customers who opted in, with a working unsubscribe), and the
// words it is sent in. The cloud makes a message once per event, keeps it in the inbox and sends
// it on a channel; the words are the registered templates' (an SMS template is approved text, so
// the words live here, not in a page's language files).
import { z } from 'zod';

export const CUSTOMER_MESSAGE_KINDS = [
  'booking_confirmed',
  'booking_refused',
  'booking_cancelled',
  'booking_changed',
  'extended',
  'refund_requested',
  'refund_done',
  'refund_rejected',
  'reminder_15',
  'reminder_5',
  'coupon_issued',
  'win_back',
  'invoice_issued',
  'invoice_rejected',
  'maintenance_notice',
  'complaint_joined',
  'complaint_closed',
  'voucher_redeemed',
  'topup_done',
  'booking_waiting',
  'payment_result',
  'booking_expired',
] as const;

export const OWNER_MESSAGE_KINDS = [
  'new_booking',
  'refund_review',
  'new_order',
  'device_fault',
  'store_offline',
  'low_stock',
  'store_complaint_joined',
  'store_complaint_closed',
  'store_voucher_redeemed',
  'platform_penalty',
  'platform_penalty_lifted',
] as const;

export const MessageKindSchema = z.enum([...CUSTOMER_MESSAGE_KINDS, ...OWNER_MESSAGE_KINDS]);
export type MessageKind = z.infer<typeof MessageKindSchema>;
export type CustomerMessageKind = (typeof CUSTOMER_MESSAGE_KINDS)[number];

/** Who a kind is for. */
export const messageAudience = (kind: MessageKind): 'customer' | 'owner' =>
  (OWNER_MESSAGE_KINDS as readonly string[]).includes(kind) ? 'owner' : 'customer';

/** Promotional kinds: by SMS only, to customers who opted in, each with the unsubscribe words. */
export const PROMOTIONAL_KINDS: readonly MessageKind[] = ['win_back'];

/**
 * The platform's notices on a complaint and on a penalty given to a merchant: a store's switches
 * do not silence them and its own words do not replace them (the platform speaks, not the store).
 */
export const PLATFORM_NOTICE_KINDS: readonly MessageKind[] = [
  'complaint_joined',
  'complaint_closed',
  'store_complaint_joined',
  'store_complaint_closed',
  'platform_penalty',
  'platform_penalty_lifted',
];

/**
 * Kinds sent at once even in the store's quiet hours: the person must act now (a request waiting
 * for a store offline is cancelled within minutes, so its notice cannot wait for the morning).
 */
export const URGENT_KINDS: readonly MessageKind[] = [
  'reminder_15',
  'reminder_5',
  'booking_refused',
  'booking_waiting',
  'booking_expired',
  'device_fault',
  'store_offline',
];

/** What a message's words are filled with; every value is short plain text. */
export type MessageParams = Record<string, string>;

const fill = (template: string, p: MessageParams) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => p[k] ?? '');

/** The words of each kind: a title for the inbox, a body for the inbox and the SMS. */
export const MESSAGE_TEMPLATES: Record<MessageKind, { title: string; body: string }> = {
  booking_confirmed: {
    title: '预订成功',
    body: '{store}{room}已为你预留 {when}，开始前 15 分钟起可以开门进房。',
  },
  booking_refused: {
    title: '预订未成功',
    body: '{store}没有接下你的预订{booking}：{reason}。{money}',
  },
  booking_cancelled: { title: '预订已取消', body: '{store}{room} {when} 的预订已取消。{money}' },
  booking_changed: { title: '预订已改期', body: '你在{store}的预订已改为 {room} {when}。' },
  extended: { title: '已续时', body: '{store}{room}已续到 {end}。' },
  refund_requested: {
    title: '退款申请已提交',
    body: '{store}已收到你的退款申请，门店审核后会告诉你结果。',
  },
  refund_done: {
    title: '已退款',
    body: '{store}已退款 {amount}，原路退回，到账时间以支付渠道为准。',
  },
  refund_rejected: { title: '退款未通过', body: '{store}没有通过这次退款申请。{reason}' },
  reminder_15: {
    title: '还有 15 分钟',
    body: '{store}{room}的使用时间还有 15 分钟（{end} 结束），需要可以续时。',
  },
  reminder_5: {
    title: '还有 5 分钟',
    body: '{store}{room}还有 5 分钟结束（{end}），请带好随身物品。',
  },
  coupon_issued: { title: '收到优惠券', body: '{store}送你一张优惠券：{coupon}，{until}前可用。' },
  win_back: { title: '好久不见', body: '{store}想你了：{offer}' },
  invoice_issued: {
    title: '发票已开具',
    body: '{store}已为你的订单开具电子发票（{amount}，发票号码 {number}），可在订单页下载。',
  },
  invoice_rejected: {
    title: '发票未开具',
    body: '{store}没有开具这张发票：{reason}。可修改抬头后重新申请。',
  },
  maintenance_notice: {
    title: '包间维护通知',
    body: '{store}{room}在 {when} 维护，你在这段时间的预订（{booking}）需要改期或退款，请联系门店或在订单页操作。',
  },
  complaint_joined: {
    title: '平台已介入投诉',
    body: '你对{store}的投诉（{order}）已由平台客服介入处理，可在客服对话中查看和回复。',
  },
  complaint_closed: {
    title: '投诉已处理',
    body: '你对{store}的投诉（{order}）已处理：{outcome}。{words}',
  },
  store_complaint_joined: {
    title: '平台介入投诉',
    body: '顾客对{store}的投诉（{order}）已由平台客服介入，请在客服对话中配合处理。',
  },
  store_complaint_closed: {
    title: '投诉处理结果',
    body: '顾客对{store}的投诉（{order}）已处理：{outcome}。{words}',
  },
  new_booking: { title: '新预订', body: '{store}{room} {when}，{amount}。' },
  refund_review: { title: '退款待审核', body: '{store}有一笔退款申请等你审核：{room} {when}。' },
  new_order: { title: '新的茶点单', body: '{store}{room}下了茶点单，{amount}。' },
  device_fault: { title: '设备故障', body: '{store}{device}没有回应：{detail}。' },
  low_stock: {
    title: '库存不足',
    body: '{store}{item}只剩 {balance} 份（提醒线 {threshold}），请及时补货。',
  },
  store_offline: {
    title: '门店离线',
    body: '{store}已有 {minutes} 分钟没有连上云端，请检查门店的网络和主机。',
  },
  // Added after the rest, so the simulated SMS template codes of the kinds above stay the same.
  voucher_redeemed: {
    title: '券已核销',
    body: '你的团购券已在{store}核销，抵扣 {amount}（{room} {when}）。',
  },
  topup_done: {
    title: '充值到账',
    body: '你在{store}的充值 {amount} 已到账，可在本店预订和点单时使用。',
  },
  store_voucher_redeemed: {
    title: '核销提醒',
    body: '{store}{room} {when} 的预订核销了一张团购券，抵扣 {amount}。',
  },
  booking_waiting: {
    title: '预订等待门店确认',
    body: '{store}暂时离线，你的预订请求{booking}已交给门店，门店恢复联网后会为你确认。{until}',
  },
  payment_result: { title: '付款成功', body: '已收到你在{store}的付款 {amount}（{what}）。' },
  booking_expired: {
    title: '预订请求已取消',
    body: '{store}一直没有确认你的预订请求{booking}，请求已取消。{money}',
  },
  platform_penalty: {
    title: '平台处罚通知',
    body: '平台对你的门店{stores}作出处罚：{penalty}。原因：{reason}。期限：{period}。{meaning}如有疑问请联系平台客服。',
  },
  platform_penalty_lifted: {
    title: '平台处罚已解除',
    body: '平台已提前解除对你的门店{stores}的处罚：{penalty}（原期限：{period}）。解除原因：{reason}。{meaning}',
  },
};

/** The unsubscribe words every promotional SMS carries. */
export const UNSUBSCRIBE_WORDS = '拒收请回复R';
/** Replies that unsubscribe (what Chinese operators and customers send). */
export const UNSUBSCRIBE_REPLIES = ['R', 'T', 'TD', 'N', '退订', '拒收'];

/** A store's own words for a kind (the owner's), used instead of the default when set. */
export interface MessageTemplate {
  title: string;
  body: string;
}
export type StoreMessageTemplates = Partial<Record<MessageKind, MessageTemplate>>;

/** The placeholders a kind's words may use: those of its default words, e.g. store, room. */
export function templatePlaceholders(kind: MessageKind): string[] {
  const t = MESSAGE_TEMPLATES[kind];
  return [...new Set([...`${t.title}${t.body}`.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/** The first placeholder in `text` that is not one of the kind's, if any (`{coupon}`). */
export function unknownPlaceholder(kind: MessageKind, text: string): string | undefined {
  const known = templatePlaceholders(kind);
  return [...text.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[0])
    .find((p) => !known.includes(p.slice(1, -1)));
}

/** The owner's words for one kind: a title and a body, checked at the edge. */
export const MessageTemplateBodySchema = z.object({
  title: z.string().trim().min(1).max(20),
  body: z.string().trim().min(1).max(200),
});

/** Values to preview a kind's words with, the way a customer or owner would read them. */
export const SAMPLE_MESSAGE_PARAMS: MessageParams = {
  store: '茶隐',
  room: '竹韵',
  when: '11-23 14:00-16:00',
  end: '16:00',
  booking: '（竹韵 11-23 14:00 起）',
  reason: '该时段已被预订',
  money: '已付的 ¥96.00 会原路退回。',
  amount: '¥96.00',
  coupon: '满100减20',
  until: '12-31',
  offer: '回来喝杯茶吧',
  number: '24310000000012345678',
  order: '订单 17',
  outcome: '已退款',
  words: '',
  device: '竹韵的门锁',
  detail: '没有回应',
  item: '龙井',
  balance: '2',
  threshold: '5',
  minutes: '30',
  what: '茶点',
  stores: '（茶隐、茶隐二店）',
  penalty: '暂停线上接单',
  period: '2026-12-01 10:00 至 2026-12-03 10:00',
  meaning: '期间顾客不能在线预订这些门店，已有的预订照常进行。',
};

/**
 * A kind's words filled in: the store's own when it has them, else the default. A promotional
 * kind always ends with the unsubscribe words, whatever the store wrote.
 */
export function messageWords(kind: MessageKind, params: MessageParams, own?: MessageTemplate) {
  const t = own ?? MESSAGE_TEMPLATES[kind];
  const body = fill(t.body, params).replace(/\s+/g, ' ').trim();
  return {
    title: fill(t.title, params).trim(),
    body:
      PROMOTIONAL_KINDS.includes(kind) && !body.endsWith(UNSUBSCRIBE_WORDS)
        ? `${body} ${UNSUBSCRIBE_WORDS}`
        : body,
  };
}

/** One kind's words as the owner's settings page shows them. */
export interface MessageTemplateView {
  kind: MessageKind;
  audience: 'customer' | 'owner';
  promotional: boolean;
  /** The words in use: the store's own, or the default. */
  title: string;
  body: string;
  /** Whether they are the store's own (a reset goes back to the default). */
  own: boolean;
  default: MessageTemplate;
  placeholders: string[];
}

export const MessageViewSchema = z.object({
  id: z.string(),
  kind: MessageKindSchema,
  storeId: z.string(),
  title: z.string(),
  body: z.string(),
  at: z.string(),
  read: z.boolean(),
  /** The order it is about, for a link to the order page. */
  bookingId: z.string().optional(),
  /** That order's number as the counter reads it out, where the store's hub added it. */
  bookingNumber: z.string().optional(),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

export interface InboxView {
  messages: MessageView[];
  unread: number;
  /** A customer's inbox: whether offers come to them by SMS. */
  offers?: boolean;
}

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 22:00');

/** A store's message settings, the owner's: switches per kind, quiet hours, win-back. */
export const MessageSettingsSchema = z.object({
  /** Kinds switched off for this store (every kind is on unless listed). */
  off: z.array(MessageKindSchema).max(40).default([]),
  /** No SMS or WeChat message between these times (urgent kinds excepted); the inbox still gets it. */
  quietHours: z.object({ from: hhmm, to: hhmm }).nullable().default({ from: '22:00', to: '08:00' }),
  /** Members not seen for this many days get one recall message; null: off. */
  winBackDays: z.number().int().min(7, 'must be at least 7 days').max(365).nullable().default(null),
  /** What the recall message offers, in the owner's words. */
  winBackOffer: z.string().trim().max(60, 'must be at most 60 characters').default('回来喝杯茶吧'),
  /** Tell the owner when the store has not been heard from this long; null: never. */
  offlineAlertMinutes: z
    .number()
    .int()
    .min(10, 'must be at least 10 minutes (the hub says it is alive every 5)')
    .max(1440)
    .nullable()
    .default(30),
});
export type MessageSettings = z.infer<typeof MessageSettingsSchema>;

/**
 * The authorisations the customer pages ask for when the customer pays (到店提醒): the reminders
 * before the end and a maintenance notice. WeChat asks for at most 3 templates at a time.
 */
export const AT_PAYMENT_KINDS = ['reminder_15', 'reminder_5', 'maintenance_notice'] as const;

/** The subscribe templates to ask for; none when the cloud sends no WeChat messages (SMS then). */
export interface MessageTemplatesView {
  channel: 'wechat' | 'sms';
  templates: { kind: CustomerMessageKind; templateId: string }[];
}

/** The WeChat subscribe-message authorisations the customer just accepted, one use each. */
export const MessageGrantsBodySchema = z.object({
  kinds: z
    .array(z.enum(CUSTOMER_MESSAGE_KINDS))
    .min(1, 'must name at least one kind')
    .max(3, 'WeChat asks for at most 3 templates at a time'),
});

export const PromotionsBodySchema = z.object({ optIn: z.boolean() });

export const MessageIdParamsSchema = z.object({ messageId: z.string().min(1).max(300) });
