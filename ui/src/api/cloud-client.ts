// The customer's pages' calls to the cloud service (never the hub), typed with the cloud's own
// shapes from shared-types. A signed-in customer's token is kept on the phone and sent with every
// call; a refusal becomes a CloudRefusal with the cloud's code, which the pages turn into one
// sentence from the i18n files. An intent the store refused or let expire is a refusal too, with
// the intent beside it.
import type {
  ApiErrorBody,
  CustomerSignIn,
  DealShareView,
  IntentView,
  MemberCodeView,
  MyCoupons,
  MyMemberships,
  MyOrders,
  MyQuoteAnswer,
  MyVoucherView,
  MyVouchers,
  MyTeaOrders,
  OnlineDealView,
  OnlineMenu,
  OrderDetail,
  PurchaseView,
  QuoteAnswer,
  QuoteView,
  ChangeQuoteView,
  CloudPaymentMethodsView,
  ReviewRatings,
  RoomDay,
  RoomReviews,
  StoreDeals,
  TeaOrderBody,
  SmsSent,
  StoreListItem,
  StorePage,
} from '@roomhub/shared-types';
import type {
  AccountDeletion,
  CustomerAppealView,
  CustomerProfile,
  CustomerProfilePut,
  DeletionCheck,
  MyData,
  WechatLink,
  Recommendations,
} from '@roomhub/shared-types';

/** What "stores near" may be narrowed by; each left out is not asked. */
export interface StoreFilters {
  maxKm?: number | undefined;
  priceMin?: number | undefined;
  priceMax?: number | undefined;
  style?: string | undefined;
  capacity?: number | undefined;
}

export class CloudRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** The intent the store refused or let expire (`rejected`, `refused`, `expired`). */
    readonly intent?: IntentView,
  ) {
    super(message);
  }
}

/** The cloud could not be reached at all (no signal, or the service is restarting). */
export const CLOUD_UNREACHABLE = 'cloud_unreachable';

const TOKEN_KEY = 'roomhub.customer.token';

export const customerToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const keepCustomerToken = (token: string) => localStorage.setItem(TOKEN_KEY, token);
export const forgetCustomerToken = () => localStorage.removeItem(TOKEN_KEY);

/** A key for one thing the customer asked for, so a retried tap never asks twice. */
export const newRequestKey = (): string =>
  `h5-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export async function call<T>(
  method: string,
  path: string,
  opts: { body?: unknown; key?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  const token = customerToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.key) headers['idempotency-key'] = opts.key;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  } catch {
    throw new CloudRefusal(0, CLOUD_UNREACHABLE, 'the cloud did not answer');
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new CloudRefusal(res.status, CLOUD_UNREACHABLE, res.statusText);
  }
  if (!res.ok) {
    const body = parsed as (ApiErrorBody & Partial<IntentView>) | null;
    const e = body?.error;
    if (res.status === 401) forgetCustomerToken();
    const intent = body && 'intentId' in body ? (body as IntentView) : undefined;
    throw new CloudRefusal(
      res.status,
      e?.code ?? 'internal',
      e?.message ?? res.statusText,
      e?.field,
      intent,
    );
  }
  return parsed as T;
}

/** A booking as asked: a span to an `end`, or a session package (`packageId`) from its start. */
export interface BookingAsk {
  storeId: string;
  roomId: string;
  start: string;
  end?: string;
  packageId?: string;
  partySize: number;
  couponIds?: string[];
  /** The way chosen to pay, among those offered where the customer is (`surface`). */
  method?: string;
  surface?: CloudPaymentMethodsView['surface'];
  /** The phone to book with, for a customer signed in with WeChat who has not given one. */
  phone?: string;
}

/** What is priced: the booking without who comes or how they pay. */
export type QuoteAsk = Omit<BookingAsk, 'partySize' | 'method' | 'surface' | 'phone'>;

export const cloud = {
  sendCode: (phone: string, purpose?: 'link_wechat') =>
    call<SmsSent>('POST', '/api/auth/sms/send', {
      body: { phone, ...(purpose ? { purpose } : {}) },
    }),
  verifyCode: (phone: string, code: string) =>
    call<CustomerSignIn>('POST', '/api/auth/sms/verify', { body: { phone, code } }),
  /** Inside the mini-program: the login code its wx.login() gave, traded for a customer token. */
  wechatSignIn: (code: string) =>
    call<CustomerSignIn>('POST', '/api/auth/wechat', { body: { code } }),
  /** Signed in with WeChat: the texted code proves a phone, and a new token is that phone's. */
  linkPhone: (phone: string, code: string) =>
    call<CustomerSignIn>('POST', '/api/auth/phone-link', { body: { phone, code } }),
  // ---- a frozen customer's appeal (P3): proved by a texted code, since they cannot sign in ----
  appeal: (phone: string, code: string, text: string) =>
    call<CustomerAppealView>('POST', '/api/appeals', { body: { phone, code, text } }),
  myAppeals: (phone: string, code: string) =>
    call<CustomerAppealView[]>('POST', '/api/appeals/mine', { body: { phone, code } }),
  // ---- my account (C1): profile, my data, deleting the account -----------------------------
  profile: () => call<CustomerProfile>('GET', '/api/me/profile'),
  saveProfile: (profile: CustomerProfilePut) =>
    call<CustomerProfile>('PUT', '/api/me/profile', { body: profile }),
  myData: () => call<MyData>('GET', '/api/me/data'),
  /** Removes a WeChat account's link to my phone; the links left. */
  unlinkWechat: (wechatId: string) =>
    call<WechatLink[]>('DELETE', `/api/me/wechat-links/${encodeURIComponent(wechatId)}`),
  deletionCheck: () => call<DeletionCheck>('GET', '/api/me/deletion'),
  /** Deletes the account; `confirm` is the word the customer typed (注销). */
  deleteAccount: (confirm: string) =>
    call<AccountDeletion>('POST', '/api/me/deletion', { body: { confirm } }),
  /** Rooms, times and deals for me, each with why; near where the phone is when it says. */
  recommendations: (near?: { lat: number; lng: number }) =>
    call<Recommendations>(
      'GET',
      `/api/me/recommendations${near ? `?lat=${near.lat}&lng=${near.lng}` : ''}`,
    ),
  /** Stores near a point with the filters the customer chose (prices in fen per hour). */
  searchStores: (near: { lat: number; lng: number }, f: StoreFilters) => {
    const q = new URLSearchParams({ lat: String(near.lat), lng: String(near.lng) });
    for (const [k, v] of Object.entries(f)) if (v !== undefined) q.set(k, String(v));
    return call<{ stores: StoreListItem[] }>('GET', `/api/stores?${q.toString()}`);
  },
  stores: (near: { lat: number; lng: number }) =>
    call<{ stores: StoreListItem[] }>('GET', `/api/stores?lat=${near.lat}&lng=${near.lng}`),
  store: (storeId: string) => call<StorePage>('GET', `/api/stores/${encodeURIComponent(storeId)}`),
  roomDay: (storeId: string, roomId: string, date: string) =>
    call<RoomDay>(
      'GET',
      `/api/stores/${encodeURIComponent(storeId)}/rooms/${encodeURIComponent(roomId)}/availability?date=${date}`,
    ),
  quote: (ask: QuoteAsk) => call<QuoteAnswer>('POST', '/api/quotes', { body: ask }),
  myQuote: (ask: QuoteAsk) => call<MyQuoteAnswer>('POST', '/api/me/quotes', { body: ask }),
  /** The ways to pay offered where the customer is, as the platform allows them now. */
  paymentMethods: (surface: CloudPaymentMethodsView['surface']) =>
    call<CloudPaymentMethodsView>('GET', `/api/payment-methods?surface=${surface}`),
  /** Books and pays at once: the payment is held until the store confirms, released if it refuses. */
  book: (ask: BookingAsk, key: string) =>
    call<IntentView>('POST', '/api/bookings', { body: ask, key }),
  intent: (intentId: string) =>
    call<IntentView>('GET', `/api/intents/${encodeURIComponent(intentId)}`),
  /** A page of my orders, newest first: the first, or the one after `before` (a page's `next`). */
  orders: (before?: string) =>
    call<MyOrders>(
      'GET',
      before === undefined ? '/api/orders' : `/api/orders?before=${encodeURIComponent(before)}`,
    ),
  order: (bookingId: string) =>
    call<OrderDetail>('GET', `/api/orders/${encodeURIComponent(bookingId)}`),
  cancel: (bookingId: string, expectedFee: number, key: string) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/cancel`, {
      body: { expectedFee },
      key,
    }),
  openDoor: (bookingId: string, key: string) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/door`, { key }),
  coupons: () => call<MyCoupons>('GET', '/api/me/coupons'),
  /** Become a member of a store (asking again gives the first answer). */
  joinStore: (storeId: string, share?: string) =>
    call<IntentView>('POST', `/api/stores/${encodeURIComponent(storeId)}/membership`, {
      body: share ? { share } : {},
    }),
  memberships: () => call<MyMemberships>('GET', '/api/me/memberships'),
  /** A fresh member code (会员码) to show a store's scanner: good for a minute, once. */
  memberCode: (storeId: string) =>
    call<MemberCodeView>('POST', '/api/me/member-code', { body: { storeId } }),

  // ---- after booking: extend, refund, review (C7, C9, C10) ---------------------------------
  /** What extending one of my bookings to `end` costs, before paying. */
  extendQuote: (bookingId: string, end: string) =>
    call<QuoteView>(
      'GET',
      `/api/orders/${encodeURIComponent(bookingId)}/extend/quote?end=${encodeURIComponent(end)}`,
    ),
  /** Pays the added time, held until the store moves the end. */
  extend: (bookingId: string, end: string, key: string) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/extend`, {
      body: { end },
      key,
    }),
  /** What moving one of my paid bookings to another time costs: price, fee, refund or due. */
  changeQuote: (bookingId: string, span: { start: string; end: string }) =>
    call<ChangeQuoteView>(
      'GET',
      `/api/orders/${encodeURIComponent(bookingId)}/change/quote?start=${encodeURIComponent(span.start)}&end=${encodeURIComponent(span.end)}`,
    ),
  /**
   * Asks the store to move the booking at the change fee shown (改期); a dearer time's difference
   * as shown (`expectedDue`) is paid with it, held until the store answers.
   */
  change: (
    bookingId: string,
    body: { start: string; end: string; expectedFee: number; expectedDue?: number },
    key: string,
  ) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/change`, {
      body,
      key,
    }),
  /** After the start: a refund the store reviews. */
  askRefund: (bookingId: string, reason: string, key: string) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/refund`, {
      body: { reason },
      key,
    }),
  review: (bookingId: string, ratings: ReviewRatings, text: string) =>
    call<IntentView>('POST', `/api/orders/${encodeURIComponent(bookingId)}/review`, {
      body: { ratings, text },
    }),
  roomReviews: (storeId: string, roomId: string) =>
    call<RoomReviews>(
      'GET',
      `/api/stores/${encodeURIComponent(storeId)}/rooms/${encodeURIComponent(roomId)}/reviews`,
    ),

  // ---- deals and vouchers (C12) -------------------------------------------------------------
  storeDeals: (storeId: string) =>
    call<StoreDeals>('GET', `/api/stores/${encodeURIComponent(storeId)}/deals`),
  deal: (dealId: string) => call<OnlineDealView>('GET', `/api/deals/${encodeURIComponent(dealId)}`),
  /** Buys one voucher, paid now (a retried tap with the same key buys it once). */
  buyDeal: (dealId: string, key: string, share?: string) =>
    call<PurchaseView>('POST', `/api/deals/${encodeURIComponent(dealId)}/purchases`, {
      body: share ? { share } : {},
      key,
    }),
  /** My share link of a deal on sale: the same each time (a friend buying through it credits me). */
  shareDeal: (dealId: string) =>
    call<DealShareView>('POST', `/api/deals/${encodeURIComponent(dealId)}/shares`),
  vouchers: () => call<MyVouchers>('GET', '/api/me/vouchers'),
  refundVoucher: (voucherId: string) =>
    call<MyVoucherView>('POST', `/api/me/vouchers/${encodeURIComponent(voucherId)}/refund`, {
      body: {},
    }),

  // ---- tea and snacks (C8) ------------------------------------------------------------------
  /** A store's menu: categories, items with specs and prices, what is sold out. */
  menu: (storeId: string) =>
    call<OnlineMenu>('GET', `/api/stores/${encodeURIComponent(storeId)}/menu`),
  /** Orders a cart to my booking, paid now; held until the store places it. */
  orderTea: (storeId: string, body: TeaOrderBody, key: string) =>
    call<IntentView>('POST', `/api/stores/${encodeURIComponent(storeId)}/tea-orders`, {
      body,
      key,
    }),
  /** My tea orders of one booking, newest first, with the store's status of each. */
  teaOrders: (bookingId: string) =>
    call<MyTeaOrders>('GET', `/api/me/tea-orders?bookingId=${encodeURIComponent(bookingId)}`),

  // ---- wallet (C11) ---------------------------------------------------------------------------
  /** Tops up my wallet at a store, paid now; the store adds its package's bonus. */
  topUp: (storeId: string, top: { amount: number; packageId?: string }, key: string) =>
    call<IntentView>('POST', `/api/stores/${encodeURIComponent(storeId)}/wallet/top-ups`, {
      body: top,
      key,
    }),
};
