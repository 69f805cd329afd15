// What a store's documents say happened, as message events: a booking's history entries (paid,
// cancelled, changed, extended, refunds), a coupon given (a recall when a win-back campaign gave
// it), a tea order placed, a device that stopped
// answering, an item fallen to its low-stock threshold, a room marked under maintenance, a
// customer's booking request the store's hub refused or online top-up it credited (its answer,
// with the intent the cloud recorded, since the answer does not name the customer), a voucher
// redeemed for a booking (the ledger's voucher payment, with the booking); and from the cloud's
// own records, a booking request still waiting for a store offline and an online payment the
// payment channel confirmed. Pure: the
// same document always gives the same events with the same keys, so reading
// a change again (the follower does, on any instance) never makes a second message.
import {
  AnswerDocSchema,
  BookingDocSchema,
  CouponDocSchema,
  DEVICES_HEALTH_ID,
  DevicesHealthDocSchema,
  INVOICE_PREFIX,
  InvoiceDocSchema,
  LedgerDocSchema,
  MAINTENANCE_PREFIX,
  RoomMaintenanceDocSchema,
  STOCK_LOW_ID,
  StockLowDocSchema,
  OrderDocSchema,
  errorSentence,
  formatInstant,
  localDateOf,
  parseInstant,
  type DeviceKind,
  type MessageKind,
  type MessageParams,
} from '@roomhub/shared-types';

/** What the words need to know about the store. */
export interface StoreWords {
  name: string;
  timeZone: string;
  rooms: ReadonlyMap<string, string>;
}

export interface MessageEvent {
  /** Unique per event and kind within the store: the same event read again has the same key. */
  key: string;
  kind: MessageKind;
  storeId: string;
  /** For a customer's kinds: whose. */
  customerId?: string;
  bookingId?: string;
  at: string;
  params: MessageParams;
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const hm = (iso: string, tz: string) => formatInstant(parseInstant(iso), tz).slice(11, 16);

/** `12-05 14:00–16:00`, in the store's time. */
export function spanWords(start: string, end: string, tz: string): string {
  const day = localDateOf(parseInstant(start), tz).slice(5);
  return `${day} ${hm(start, tz)}–${hm(end, tz)}`;
}

/** What the cloud knows of the intent an answer is about (its record and the request it wrote). */
export interface AnsweredIntent {
  kind: string;
  customerId?: string;
  /** The money the cloud held for it, fen, if any. */
  held?: number;
  /** A booking request's room and start. */
  booking?: { roomId: string; start: string };
}

/**
 * What a store's answer tells a customer, one message per intent (keyed by it): a booking request
 * refused, with the store's reason in the store's words (its error code's zh-CN sentence when the
 * answer names one); an online top-up credited to their wallet at the store.
 */
export function answerEvents(
  storeId: string,
  raw: unknown,
  intent: AnsweredIntent | undefined,
  store: StoreWords,
): MessageEvent[] {
  const parsed = AnswerDocSchema.safeParse(raw);
  if (!parsed.success || !intent?.customerId) return [];
  const a = parsed.data;
  if (intent.kind === 'wallet_topup' && a.outcome === 'confirmed' && intent.held) {
    return [
      {
        key: `intent:${a.intentId}:topup_done`,
        kind: 'topup_done',
        storeId,
        customerId: intent.customerId,
        at: a.at,
        params: { store: store.name, amount: yuan(intent.held) },
      },
    ];
  }
  if (intent.kind !== 'booking_request') return [];
  if (a.outcome !== 'rejected' && a.outcome !== 'refused') return [];
  const coded = a.code ? errorSentence('zh-CN', a.code, {}) : null;
  const reason = (coded && !coded.includes('{{') ? coded : a.reason?.trim()) || '门店没有说明原因';
  const b = intent.booking;
  return [
    {
      key: `intent:${a.intentId}:booking_refused`,
      kind: 'booking_refused',
      storeId,
      customerId: intent.customerId,
      ...(a.bookingId ? { bookingId: a.bookingId } : {}),
      at: a.at,
      params: {
        store: store.name,
        booking: requestWords(b, store),
        reason: reason.replace(/[。.]+$/, ''),
        money: intent.held ? `已付的 ${yuan(intent.held)} 会原路退回。` : '',
      },
    },
  ];
}

/** A customer's booking request the store has not answered, as the cloud recorded it. */
export interface WaitingRequest {
  intentId: string;
  customerId: string;
  /** When the store stops taking it and the cloud gives the money back. */
  expiresAt?: string;
  /** The money held for it, fen, if any. */
  held?: number;
  booking?: { roomId: string; start: string };
}

const requestWords = (b: { roomId: string; start: string } | undefined, store: StoreWords) =>
  b
    ? `（${store.rooms.get(b.roomId) ?? ''} ${localDateOf(parseInstant(b.start), store.timeZone).slice(5)} ${hm(b.start, store.timeZone)} 起）`
    : '';

/**
 * A booking request that waited for its store's answer longer than a connected hub takes: the
 * customer hears once (keyed by the request) that the store has it and confirms it once back
 * online, and until when before it is called off with the money going back. `at` is when it
 * became worth telling, so the same request gives the same event.
 */
export function waitingEvents(
  storeId: string,
  w: WaitingRequest,
  at: string,
  store: StoreWords,
): MessageEvent[] {
  const tz = store.timeZone;
  const until = w.expiresAt
    ? `${hm(w.expiresAt, tz)} 前仍未确认的话，请求会取消${w.held ? `，已付的 ${yuan(w.held)} 原路退回` : ''}。`
    : '';
  return [
    {
      key: `intent:${w.intentId}:booking_waiting`,
      kind: 'booking_waiting',
      storeId,
      customerId: w.customerId,
      at,
      params: { store: store.name, booking: requestWords(w.booking, store), until },
    },
  ];
}

/**
 * A booking request the store never answered, which the cloud called off at its expiry (giving
 * back the money it held): the customer hears once, keyed by the request, that it was called off.
 */
export function expiredEvents(
  storeId: string,
  w: WaitingRequest,
  at: string,
  store: StoreWords,
): MessageEvent[] {
  return [
    {
      key: `intent:${w.intentId}:booking_expired`,
      kind: 'booking_expired',
      storeId,
      customerId: w.customerId,
      at,
      params: {
        store: store.name,
        booking: requestWords(w.booking, store),
        money: w.held ? `已付的 ${yuan(w.held)} 会原路退回。` : '',
      },
    },
  ];
}

/** An online payment as the cloud's payment record keeps it, once the channel says it is paid. */
export interface PaidPayment {
  paymentId: string;
  amount: number;
  /** What it pays for, as the payer was shown (`<store> · <what>`). */
  description: string;
  paidAt: string;
}

/**
 * The customer hears once per payment (keyed by it) that their online payment was received, how
 * much and what for. A payment the store then refuses is told in the refusal (money going back).
 */
export function paymentEvents(
  storeId: string,
  p: PaidPayment,
  payer: { customerId: string; bookingId?: string },
  store: StoreWords,
): MessageEvent[] {
  const prefix = `${store.name} · `;
  const what = p.description.startsWith(prefix)
    ? p.description.slice(prefix.length)
    : p.description;
  return [
    {
      key: `payment:${p.paymentId}:payment_result`,
      kind: 'payment_result',
      storeId,
      customerId: payer.customerId,
      ...(payer.bookingId ? { bookingId: payer.bookingId } : {}),
      at: p.paidAt,
      params: { store: store.name, amount: yuan(p.amount), what: what.trim() || '在线支付' },
    },
  ];
}

/**
 * A voucher redeemed for a booking (the ledger's payment by voucher): the booking's customer and
 * the store's owner hear of it once per ledger entry. A voucher given back makes no message.
 */
export function voucherEvents(
  storeId: string,
  rawLedger: unknown,
  rawBooking: unknown,
  store: StoreWords,
): MessageEvent[] {
  const parsed = LedgerDocSchema.safeParse(rawLedger);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const l = parsed.data;
  if (l.method !== 'voucher' || l.kind !== 'payment' || l.amount <= 0) return [];
  const booking = BookingDocSchema.safeParse(rawBooking);
  const b = booking.success && booking.data.bookingId === l.bookingId ? booking.data : undefined;
  const params = {
    store: store.name,
    amount: yuan(l.amount),
    room: b ? (store.rooms.get(b.roomId) ?? '') : '',
    when: b ? spanWords(b.start, b.end, store.timeZone) : '',
  };
  const base = { storeId, bookingId: l.bookingId, at: l.at, params };
  const key = `ledger:${l.bookingId}:${l.entryId}`;
  return [
    ...(b?.customerId
      ? [
          {
            ...base,
            key: `${key}:voucher_redeemed`,
            kind: 'voucher_redeemed' as const,
            customerId: b.customerId,
          },
        ]
      : []),
    { ...base, key: `${key}:store_voucher_redeemed`, kind: 'store_voucher_redeemed' as const },
  ];
}

/** The events of one changed document of `storeId`'s database; [] for anything else. */
export function eventsOf(storeId: string, doc: unknown, store: StoreWords): MessageEvent[] {
  const id = (doc as { _id?: unknown })?._id;
  if (typeof id !== 'string') return [];
  if (id.startsWith('booking:')) return bookingEvents(storeId, doc, store);
  if (id.startsWith('coupon:')) return couponEvents(storeId, doc, store);
  if (id.startsWith('order:')) return orderEvents(storeId, doc, store);
  if (id === DEVICES_HEALTH_ID) return deviceEvents(storeId, doc, store);
  if (id.startsWith(INVOICE_PREFIX)) return invoiceEvents(storeId, doc, store);
  if (id === STOCK_LOW_ID) return lowStockEvents(storeId, doc, store);
  if (id.startsWith(MAINTENANCE_PREFIX)) return maintenanceEvents(storeId, doc, store);
  return [];
}

function bookingEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = BookingDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const b = parsed.data;
  const tz = store.timeZone;
  const room = store.rooms.get(b.roomId) ?? '';
  const base = { store: store.name, room, when: spanWords(b.start, b.end, tz), end: hm(b.end, tz) };
  const out: MessageEvent[] = [];
  const push = (kind: MessageKind, at: string, params: MessageParams, forCustomer: boolean) => {
    if (forCustomer && !b.customerId) return;
    out.push({
      key: `booking:${b.bookingId}:${kind}:${at}`,
      kind,
      storeId,
      ...(forCustomer ? { customerId: b.customerId } : {}),
      bookingId: b.bookingId,
      at,
      params: { ...base, ...params },
    });
  };
  for (const h of b.history) {
    switch (h.action) {
      case 'pay':
        push('booking_confirmed', h.at, {}, true);
        push('new_booking', h.at, { amount: yuan(b.totals.paid) }, false);
        break;
      case 'cancel':
        push(
          'booking_cancelled',
          h.at,
          { money: b.totals.refunded > 0 ? `退回 ${yuan(b.totals.refunded)}。` : '' },
          true,
        );
        break;
      case 'change':
        push('booking_changed', h.at, {}, true);
        break;
      case 'extend':
        push('extended', h.at, {}, true);
        break;
      case 'request_refund':
        push('refund_requested', h.at, {}, true);
        push('refund_review', h.at, {}, false);
        break;
      case 'reject_refund':
        push('refund_rejected', h.at, { reason: h.reason ?? '' }, true);
        break;
      default:
        // Money given back after a refund was approved (or settled by the gateway).
        if (h.to === 'refunded') {
          push('refund_done', h.at, { amount: yuan(b.totals.refunded) }, true);
        }
    }
  }
  return out;
}

/** An invoice the store issued or turned down, told to the customer who asked for it. */
function invoiceEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = InvoiceDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const i = parsed.data;
  if (i.status === 'waiting' || !i.decidedAt) return [];
  const base = {
    key: `invoice:${i.requestId}:${i.status}`,
    storeId,
    customerId: i.customerId,
    bookingId: i.bookingId,
    at: i.decidedAt,
  };
  return [
    i.status === 'issued'
      ? {
          ...base,
          kind: 'invoice_issued',
          params: { store: store.name, amount: yuan(i.amount), number: i.number ?? '' },
        }
      : {
          ...base,
          kind: 'invoice_rejected',
          params: { store: store.name, reason: i.reason ?? '' },
        },
  ];
}

/**
 * A coupon given: one message per coupon (the same key whatever its kind), a recall offering it
 * (`win_back`, promotional) when a win-back campaign gave it, else `coupon_issued`.
 */
function couponEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = CouponDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const c = parsed.data;
  const until = localDateOf(parseInstant(c.useUntil), store.timeZone);
  const base = {
    key: `coupon:${c.couponId}:issued`,
    storeId,
    customerId: c.customerId,
    at: c.issuedAt,
  };
  if (c.winBack) {
    return [
      {
        ...base,
        kind: 'win_back',
        params: { store: store.name, offer: `送你一张优惠券「${c.name}」，${until}前可用` },
      },
    ];
  }
  return [{ ...base, kind: 'coupon_issued', params: { store: store.name, coupon: c.name, until } }];
}

function orderEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = OrderDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const o = parsed.data;
  return [
    {
      key: `order:${o.orderId}:new`,
      kind: 'new_order',
      storeId,
      at: o.createdAt,
      params: {
        store: store.name,
        room: o.roomId ? (store.rooms.get(o.roomId) ?? '') : `${o.number}号`,
        amount: yuan(o.totals.amount),
      },
    },
  ];
}

/** A device that stopped answering: one message per outage (keyed by when it last answered). */
function deviceEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = DevicesHealthDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  const h = parsed.data;
  return h.devices
    .filter((d) => !d.ok)
    .map((d) => ({
      key: `device:${d.deviceId}:down:${d.lastOkAt ?? 'never'}`,
      kind: 'device_fault' as const,
      storeId,
      at: h.updatedAt,
      params: {
        store: store.name,
        device: `${d.rooms.map((r) => store.rooms.get(r) ?? r).join('、')}的${DEVICE_WORDS[d.kind]}`,
        detail: d.lastError ?? '没有回应',
      },
    }));
}

/** An item that fell to its threshold: one message per fall (keyed by when it fell). */
function lowStockEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = StockLowDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId) return [];
  return parsed.data.items.map((i) => ({
    key: `stock:${i.itemId}:low:${i.since}`,
    kind: 'low_stock' as const,
    storeId,
    at: i.since,
    params: {
      store: store.name,
      item: i.name,
      balance: String(i.balance),
      threshold: String(i.lowStockAt),
    },
  }));
}

/** A room marked under maintenance: each customer with a booking in the period hears once. */
function maintenanceEvents(storeId: string, raw: unknown, store: StoreWords): MessageEvent[] {
  const parsed = RoomMaintenanceDocSchema.safeParse(raw);
  if (!parsed.success || parsed.data.storeId !== storeId || parsed.data.lifted) return [];
  const m = parsed.data;
  return m.bookings.flatMap((b) =>
    b.customerId
      ? [
          {
            key: `maintenance:${m.maintenanceId}:${b.bookingId}`,
            kind: 'maintenance_notice' as const,
            storeId,
            customerId: b.customerId,
            bookingId: b.bookingId,
            at: m.updatedAt,
            params: {
              store: store.name,
              room: store.rooms.get(m.roomId) ?? '',
              when: spanWords(m.start, m.end, store.timeZone),
              booking: spanWords(b.start, b.end, store.timeZone),
            },
          },
        ]
      : [],
  );
}

const DEVICE_WORDS: Record<DeviceKind, string> = {
  lock: '门锁',
  light: '灯',
  socket: '插座',
  fresh_air: '新风',
  ac: '空调',
  energy_meter: '电表',
  speaker: '音箱',
};

/** The reminders a booking in use gets before its end: 15 and 5 minutes, each once per end. */
export function reminderEvents(
  storeId: string,
  raw: unknown,
  store: StoreWords,
  nowMs: number,
): MessageEvent[] {
  const parsed = BookingDocSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.customerId) return [];
  const b = parsed.data;
  if (b.status !== 'in_use' && b.status !== 'paid') return [];
  const endMs = parseInstant(b.end);
  const out: MessageEvent[] = [];
  for (const [kind, minutes] of [
    ['reminder_15', 15],
    ['reminder_5', 5],
  ] as const) {
    const dueMs = endMs - minutes * 60_000;
    // Due, and not yet so late that the reminder means nothing (past the end).
    if (nowMs < dueMs || nowMs >= endMs) continue;
    out.push({
      key: `booking:${b.bookingId}:${kind}:${b.end}`,
      kind,
      storeId,
      customerId: b.customerId,
      bookingId: b.bookingId,
      at: new Date(dueMs).toISOString(),
      params: {
        store: store.name,
        room: store.rooms.get(b.roomId) ?? '',
        end: hm(b.end, store.timeZone),
      },
    });
  }
  return out;
}
