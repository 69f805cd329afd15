// The kiosk's calls to the hub, typed with the hub's own shapes from shared-types (never written
// again here). Every call carries the screen's token; a call about the booking in front of the
// kiosk also carries that booking's pass. A refusal becomes a HubRefusal with the hub's code, which
// the screens turn into one sentence from the i18n files.
import type {
  ApiErrorBody,
  Board,
  BookingCreate,
  BookingDetail,
  BookingMade,
  BookingPassView,
  DoorCodeView,
  DoorOpened,
  MemberCodePaidView,
  ExtensionView,
  NotificationView,
  Paired,
  PaymentMethodsView,
  PaymentView,
  QuoteRequest,
  QuoteView,
  RedemptionView,
  Room,
  StoreView,
} from '@roomhub/shared-types';
import { forgetScreenToken, screenToken } from './screen-token';

export class HubRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The hub could not be reached at all (it is restarting, or the cable is out). */
export const UNREACHABLE = 'hub_unreachable';

export interface Health {
  status: string;
  /** The hub's clock: the kiosk's "now" is the hub's, not the browser's. */
  time: string;
  store: string | null;
}

async function call<T>(
  method: string,
  path: string,
  opts: { body?: unknown; pass?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  const token = screenToken();
  if (token) headers['x-screen-token'] = token;
  if (opts.pass) headers['x-booking-pass'] = opts.pass;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = (parsed as ApiErrorBody | null)?.error;
    if (e?.code === 'screen_not_paired') forgetScreenToken();
    throw new HubRefusal(res.status, e?.code ?? 'internal', e?.message ?? res.statusText, e?.field);
  }
  return parsed as T;
}

export const hub = {
  health: () => call<Health>('GET', '/api/health'),
  store: () => call<StoreView>('GET', '/api/store'),
  sync: () => call<unknown>('GET', '/api/sync'),
  rooms: () => call<Room[]>('GET', '/api/rooms'),
  board: (date: string) => call<Board>('GET', `/api/board?date=${encodeURIComponent(date)}`),
  quote: (q: QuoteRequest) => call<QuoteView>('POST', '/api/quotes', { body: q }),
  pair: (code: string) => call<Paired>('POST', '/api/screens/pair', { body: { code } }),
  paymentMethods: () => call<PaymentMethodsView>('GET', '/api/payment-methods'),
  book: (b: BookingCreate) => call<BookingMade>('POST', '/api/bookings', { body: b }),
  booking: (id: string, pass: string | null) =>
    call<BookingDetail>('GET', `/api/bookings/${id}`, { pass }),
  pay: (id: string, method: 'wechat' | 'alipay' | 'unionpay', pass: string | null) =>
    call<PaymentView>('POST', `/api/bookings/${id}/payments`, { body: { method }, pass }),
  /** Gives up a booking not yet paid: the room is free again at once. */
  cancel: (id: string, pass: string | null) =>
    call<BookingDetail>('POST', `/api/bookings/${id}/cancel`, {
      body: { reason: 'given up at the kiosk before paying' },
      pass,
    }),
  doorCode: (id: string, pass: string | null) =>
    call<DoorCodeView>('GET', `/api/bookings/${id}/door-code`, { pass }),
  openWithCode: (roomId: string, code: string) =>
    call<DoorOpened>('POST', `/api/rooms/${roomId}/door/code`, { body: { code } }),
  /** The payer's WeChat or Alipay payment code (付款码), read by the kiosk's scanner. */
  payByCode: (id: string, code: string, pass: string | null) =>
    call<PaymentView>('POST', `/api/bookings/${id}/payments`, {
      body: { method: 'payment_code', code },
      pass,
    }),
  /** The member code (会员码) a member shows the kiosk's scanner: paid from their wallet. */
  payByMemberCode: (id: string, memberCode: string, pass: string | null) =>
    call<MemberCodePaidView>('POST', `/api/bookings/${id}/wallet-payments`, {
      body: { memberCode },
      pass,
    }),
  /** A voucher (ours, or a Meituan / Douyin code) scanned to pay the booking in front of it. */
  payByVoucher: (
    id: string,
    text: string,
    requestId: string,
    pass: string | null,
    source?: 'meituan' | 'douyin',
  ) =>
    call<RedemptionView>('POST', '/api/vouchers/redeem', {
      body: { text, requestId, use: { kind: 'pay', bookingId: id }, ...(source ? { source } : {}) },
      pass,
    }),
  /** A booking shown to the kiosk by its door code (typed) or its QR (scanned): its pass. */
  prove: (proof: { number: string; code: string } | { qr: string }) =>
    call<BookingPassView>('POST', '/api/kiosk/prove', { body: proof }),
  extend: (id: string, minutes: number, pass: string | null) =>
    call<ExtensionView>('POST', `/api/bookings/${id}/extend`, { body: { minutes }, pass }),
  /** The end-of-session reminders the hub has sent for a booking, oldest first. */
  notifications: (id: string, pass: string | null) =>
    call<NotificationView[]>('GET', `/api/bookings/${id}/notifications`, { pass }),
  openForBooking: (id: string, pass: string | null) =>
    call<DoorOpened>('POST', `/api/bookings/${id}/door`, { pass }),
};
