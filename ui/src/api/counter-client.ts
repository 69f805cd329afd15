// The counter's calls to the hub (the cashier screen): typed with the hub's own shapes from
// shared-types, each carrying the signed-in staff member's token. The hub decides who may do what
// (its permission table); a refusal becomes a HubRefusal with the hub's code, and a sign-in the
// hub no longer knows sends the page back to the PIN.
import type {
  ApiErrorBody,
  BookingChange,
  BookingDetail,
  BookingStatus,
  BookingView,
  BusHealth,
  DeviceHealth,
  DeviceState,
  DoorOpened,
  ExtensionView,
  MenuView,
  OrderCreate,
  OrderQuoteView,
  OrderStatus,
  OrderView,
  OwedRefundView,
  MemberCodePaidView,
  Paired,
  PaymentMethodsView,
  PaymentView,
  RedemptionView,
  RefundView,
  Room,
  SessionView,
  SignedIn,
  StaffRole,
  StoreView,
  VoucherPrepare,
  VoucherPrepared,
  VoucherRedeem,
} from '@roomhub/shared-types';
import { HubRefusal, UNREACHABLE } from './hub-client';
import { counterScreenHeaders, forgetCounterScreenToken } from './counter-screen';
import { forgetSignIn, signedIn } from './staff-session';

/** Sign-ins that end the page's sign-in when the hub answers them. */
const SIGNED_OUT = new Set(['sign_in_expired', 'sign_in_required']);

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    'accept-language': 'zh-CN',
    ...counterScreenHeaders(),
  };
  const token = signedIn()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = (parsed as ApiErrorBody | null)?.error;
    if (e?.code === 'screen_not_paired') forgetCounterScreenToken();
    if (e && SIGNED_OUT.has(e.code) && token) forgetSignIn();
    throw new HubRefusal(res.status, e?.code ?? 'internal', e?.message ?? res.statusText, e?.field);
  }
  return parsed as T;
}

const query = (q: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface BookingFilters {
  status?: BookingStatus;
  date?: string;
  roomId?: string;
  phone?: string;
}

export interface DevicesView {
  devices: DeviceState[];
  health: { buses: BusHealth[]; devices: DeviceHealth[] };
}

export const counter = {
  signIn: (pin: string) => call<SignedIn>('POST', '/api/auth/sign-in', { pin }),
  /** Pairs this counter computer with a manager's one-time code. */
  pair: (code: string) => call<Paired>('POST', '/api/screens/pair', { code }),
  signOut: () => call<unknown>('POST', '/api/auth/sign-out'),
  me: () => call<{ staff: { id: string; name: string; role: StaffRole } }>('GET', '/api/auth/me'),
  health: () => call<{ time: string }>('GET', '/api/health'),
  store: () => call<StoreView>('GET', '/api/store'),
  /** The ways to pay the counter takes now: those the owner switched off are not among them. */
  paymentMethods: () => call<PaymentMethodsView>('GET', '/api/payment-methods'),
  sync: () => call<{ state: string }>('GET', '/api/sync'),
  rooms: () => call<Room[]>('GET', '/api/rooms'),

  bookings: (f: BookingFilters) => call<BookingView[]>('GET', `/api/bookings${query({ ...f })}`),
  booking: (id: string) => call<BookingDetail>('GET', `/api/bookings/${id}`),
  takeCash: (id: string) =>
    call<PaymentView>('POST', `/api/bookings/${id}/payments`, { method: 'cash' }),
  /** The payer's WeChat or Alipay payment code (付款码), read by the scanner, charged at once. */
  payByCode: (id: string, code: string) =>
    call<PaymentView>('POST', `/api/bookings/${id}/payments`, { method: 'payment_code', code }),
  /** The member code (会员码) a member shows the counter's scanner: paid from their wallet. */
  payByMemberCode: (id: string, memberCode: string) =>
    call<MemberCodePaidView>('POST', `/api/bookings/${id}/wallet-payments`, { memberCode }),
  approveRefund: (id: string, body: { amount?: number; note?: string }) =>
    call<BookingDetail>('POST', `/api/bookings/${id}/refund/approve`, body),
  rejectRefund: (id: string, reason: string) =>
    call<BookingDetail>('POST', `/api/bookings/${id}/refund/reject`, { reason }),
  refundByHand: (id: string, amount: number, reason: string) =>
    call<RefundView[]>('POST', `/api/bookings/${id}/refunds`, { amount, reason }),
  change: (id: string, body: BookingChange) =>
    call<BookingDetail>('POST', `/api/bookings/${id}/change`, body),
  extend: (id: string, minutes: number) =>
    call<ExtensionView>('POST', `/api/bookings/${id}/extend`, { minutes }),
  finish: (id: string) => call<unknown>('POST', `/api/bookings/${id}/finish`),
  owedRefunds: () => call<{ total: number; refunds: OwedRefundView[] }>('GET', '/api/refunds/owed'),
  payOut: (refundId: string) => call<RefundView>('POST', `/api/refunds/${refundId}/pay-out`, {}),
  sessions: () => call<SessionView[]>('GET', '/api/sessions'),

  prepareVoucher: (v: VoucherPrepare) => call<VoucherPrepared>('POST', '/api/vouchers/prepare', v),
  redeemVoucher: (v: VoucherRedeem) => call<RedemptionView>('POST', '/api/vouchers/redeem', v),
  redemptions: (date: string) =>
    call<RedemptionView[]>('GET', `/api/vouchers/redemptions${query({ date })}`),
  undoRedemption: (id: string, reason: string) =>
    call<RedemptionView>('POST', `/api/vouchers/redemptions/${id}/undo`, { reason }),

  orders: (f: { date?: string; status?: OrderStatus }) =>
    call<OrderView[]>('GET', `/api/orders${query({ ...f })}`),
  prepareOrder: (id: string) => call<OrderView>('POST', `/api/orders/${id}/prepare`),
  deliverOrder: (id: string) => call<OrderView>('POST', `/api/orders/${id}/deliver`),
  /** Takes what an order still owes in cash, or from its member's wallet or points. */
  payOrder: (id: string, method: 'cash' | 'wallet' | 'points') =>
    call<OrderView>('POST', `/api/orders/${id}/payments`, { method }),
  /** Money back on an order, each part the way it came (all that is left unless an amount). */
  refundOrder: (id: string, body: { amount?: number; reason: string }) =>
    call<OrderView>('POST', `/api/orders/${id}/refund`, body),
  menu: () => call<MenuView>('GET', '/api/menu'),
  /** What a counter order would cost, a member's price included; nothing is written. */
  quoteOrder: (body: OrderCreate) => call<OrderQuoteView>('POST', '/api/orders/quote', body),
  placeOrder: (body: OrderCreate) => call<OrderView>('POST', '/api/orders', body),

  devices: () => call<DevicesView>('GET', '/api/devices'),
  override: (id: string, on: boolean | null, reason: string) =>
    call<DeviceState | undefined>('POST', `/api/devices/${id}/override`, { on, reason }),
  openDoor: (roomId: string, reason: string) =>
    call<DoorOpened>('POST', `/api/rooms/${roomId}/door/open`, { reason }),
};
