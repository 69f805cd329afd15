// The owner's dashboard calls to the cloud, when the cloud serves it (`/owner/` on the cloud): the
// owner signs in with a code texted to their phone and reads every store they run through the
// cloud's owner API; a change to a store is an owner intent the store's hub answers. Refusals
// come back as the hub client's HubRefusal, so the dashboard words them the same way.
import type {
  CalendarDay,
  DayType,
  DeviceScheduleInput,
  CampaignCreate,
  DealInput,
  MenuItemInput,
  MemberSettingsPut,
  CouponIssue,
  RemoteDealPatch,
  RemoteCampaignPatch,
  RoomPatch,
  OwnerMemberSettings,
  OwnerStaff,
  StockMoveInput,
  CampaignStatus,
  IntentView,
  RemoteMenuItemPatch,
  OwnerBoard,
  OwnerDeviceSchedules,
  OwnerDevices,
  OwnerOrdersPage,
  OwnerSignIn,
  OwnerStatsView,
  OwnerStoreProfile,
  OwnerSync,
  OwnerMembers,
  OwnerAudit,
  OwnerInvoices,
  OwnerProducts,
  OwnerDeals,
  StatsTable,
} from '@roomhub/shared-types';
import type {
  ChatDetail,
  ChatList,
  InboxView,
  MessageKind,
  MessageSettings,
  MessageTemplate,
  MessageTemplateView,
} from '@roomhub/shared-types';
import type {
  DepositView,
  PenaltyView,
  PlatformAuthorisation,
  PlatformAuthoriseStart,
  VoucherPlatform,
} from '@roomhub/shared-types';
import { HubRefusal, UNREACHABLE } from './hub-client';
import {
  saveDownload,
  statsQuery,
  type ChangeAnswer,
  type OwnerCalendarSource,
  type OwnerPlansSource,
  type OwnerSchedulesSource,
  type OwnerStatsSource,
  type OwnerStoreSource,
  type StatsRange,
  type StoreChange,
} from './owner-client';

/** True when the page was served by the cloud (its page server marks the page). */
export function servedByCloud(): boolean {
  return (
    typeof document !== 'undefined' &&
    document.querySelector('meta[name="served-by"]')?.getAttribute('content') === 'cloud'
  );
}

const TOKEN_KEY = 'roomhub.owner.remote';

export interface RemoteSignIn extends OwnerSignIn {
  phone: string;
}

export function remoteSignedIn(): RemoteSignIn | null {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    return raw ? (JSON.parse(raw) as RemoteSignIn) : null;
  } catch {
    return null;
  }
}
export const keepRemoteSignIn = (s: RemoteSignIn) =>
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s));
export const forgetRemoteSignIn = () => sessionStorage.removeItem(TOKEN_KEY);

const signOutListeners = new Set<() => void>();
/** Told when the cloud no longer takes the sign-in (it ran out): the page asks for a new one. */
export function onRemoteSignedOut(fn: () => void): () => void {
  signOutListeners.add(fn);
  return () => signOutListeners.delete(fn);
}

/** How long a change that met a failing cloud waits before it is sent again. */
const RETRY_AFTER_MS = 1_000;

async function send(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const token = remoteSignedIn()?.token;
  const once = () =>
    fetch(path, {
      method,
      headers: {
        ...(body === undefined
          ? {}
          : { 'content-type': body instanceof Blob ? 'application/pdf' : 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      // A file (an invoice's PDF) goes as it is; anything else as JSON.
      body: body === undefined ? null : body instanceof Blob ? body : JSON.stringify(body),
    });
  // A change that met a failing cloud, or no answer, is sent once more with the same key: the
  // cloud then finishes what it started (the same change, never a second one).
  const tries = 'idempotency-key' in headers ? 2 : 1;
  let res: Response | null = null;
  for (let i = 0; i < tries; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, RETRY_AFTER_MS));
    res = await once().catch(() => null);
    if (res && res.status < 500) break;
  }
  if (!res) throw new HubRefusal(0, UNREACHABLE, 'the cloud did not answer');
  if (!res.ok && res.status !== 202) {
    const answer = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; field?: string };
    } | null;
    if (res.status === 401 && token) {
      forgetRemoteSignIn();
      for (const fn of signOutListeners) fn();
    }
    throw new HubRefusal(
      res.status,
      answer?.error?.code ?? 'internal',
      answer?.error?.message ?? '',
      answer?.error?.field,
    );
  }
  return res;
}

async function call<T>(method: string, path: string, body?: unknown, headers = {}): Promise<T> {
  return (await (await send(method, path, body, headers)).json()) as T;
}

const newKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const store = (storeId: string) => `/api/owner/stores/${encodeURIComponent(storeId)}`;

export const remoteOwner = {
  sendCode: (phone: string) => call<unknown>('POST', '/api/auth/sms/send', { phone }),
  signIn: (phone: string, code: string) =>
    call<OwnerSignIn>('POST', '/api/owner/login', { phone, code }),
  stats: (storeId: string, r: StatsRange) => {
    const p = statsQuery(r);
    p.set('storeId', storeId);
    return call<OwnerStatsView>('GET', `/api/owner/stats?${p.toString()}`);
  },
  board: (storeId: string, date: string) =>
    call<OwnerBoard>('GET', `${store(storeId)}/board?date=${date}`),
  orders: (storeId: string, date: string) =>
    call<OwnerOrdersPage>('GET', `${store(storeId)}/orders?date=${date}`),
  devices: (storeId: string) => call<OwnerDevices>('GET', `${store(storeId)}/devices`),
  /** Switches a device by hand (on / off) or gives it back (null): an intent the hub answers. */
  override: (storeId: string, deviceId: string, on: boolean | null, reason: string) =>
    call<IntentView>(
      'POST',
      `${store(storeId)}/devices/${encodeURIComponent(deviceId)}/override`,
      { on, reason },
      { 'idempotency-key': newKey() },
    ),
  /** The store's device schedules as its hub last published them (updatedAt null: not yet). */
  schedules: (storeId: string) =>
    call<OwnerDeviceSchedules>('GET', `${store(storeId)}/device-schedules`),
  // A schedule added, changed whole or removed: each an intent the hub answers by its own rules.
  addSchedule: (storeId: string, body: DeviceScheduleInput) =>
    call<IntentView>('POST', `${store(storeId)}/device-schedules`, body, {
      'idempotency-key': newKey(),
    }),
  changeSchedule: (storeId: string, scheduleId: string, body: DeviceScheduleInput) =>
    call<IntentView>(
      'PUT',
      `${store(storeId)}/device-schedules/${encodeURIComponent(scheduleId)}`,
      body,
      { 'idempotency-key': newKey() },
    ),
  removeSchedule: (storeId: string, scheduleId: string) =>
    call<IntentView>(
      'DELETE',
      `${store(storeId)}/device-schedules/${encodeURIComponent(scheduleId)}`,
      undefined,
      { 'idempotency-key': newKey() },
    ),
  /** The store, its rooms with their price plans and its calendar overrides, as last published. */
  profile: (storeId: string) => call<OwnerStoreProfile>('GET', `${store(storeId)}/profile`),
  /** Each day's type from..to: the owner's override as last published, else the official one. */
  calendar: (storeId: string, from: string, to: string) =>
    call<CalendarDay[]>('GET', `${store(storeId)}/calendar?from=${from}&to=${to}`),
  // The store, a room's price plan, a calendar day: each an intent the hub answers by its rules.
  patchStore: (storeId: string, body: StoreChange) =>
    call<IntentView>('PATCH', store(storeId), body, { 'idempotency-key': newKey() }),
  patchRoom: (storeId: string, roomId: string, body: RoomPatch) =>
    call<IntentView>('PATCH', `${store(storeId)}/rooms/${encodeURIComponent(roomId)}`, body, {
      'idempotency-key': newKey(),
    }),
  setDay: (storeId: string, date: string, type: DayType, note?: string) =>
    call<IntentView>(
      'PUT',
      `${store(storeId)}/calendar/${date}`,
      { type, ...(note ? { note } : {}) },
      { 'idempotency-key': newKey() },
    ),
  clearDay: (storeId: string, date: string) =>
    call<IntentView>('DELETE', `${store(storeId)}/calendar/${date}`, undefined, {
      'idempotency-key': newKey(),
    }),
  /** An item repriced, switched off or on, or given another threshold: an intent the hub answers. */
  patchMenuItem: (storeId: string, itemId: string, body: RemoteMenuItemPatch) =>
    call<IntentView>('PATCH', `${store(storeId)}/menu/items/${encodeURIComponent(itemId)}`, body, {
      'idempotency-key': newKey(),
    }),
  /** A campaign paused, resumed or ended: an intent the hub answers. */
  setCampaignStatus: (storeId: string, campaignId: string, status: CampaignStatus) =>
    call<IntentView>(
      'PUT',
      `${store(storeId)}/campaigns/${encodeURIComponent(campaignId)}/status`,
      { status },
      { 'idempotency-key': newKey() },
    ),
  /** A campaign's claim end, total or name changed: an intent the hub answers. */
  patchCampaign: (storeId: string, campaignId: string, patch: RemoteCampaignPatch) =>
    call<IntentView>(
      'PATCH',
      `${store(storeId)}/campaigns/${encodeURIComponent(campaignId)}`,
      patch,
      { 'idempotency-key': newKey() },
    ),
  /** A campaign's coupon given by hand to the phones typed: an intent the hub answers. */
  giveCoupons: (storeId: string, campaignId: string, body: CouponIssue) =>
    call<IntentView>(
      'POST',
      `${store(storeId)}/campaigns/${encodeURIComponent(campaignId)}/coupons`,
      body,
      { 'idempotency-key': newKey() },
    ),
  /** A deal's terms changed: an intent the hub answers. */
  patchDeal: (storeId: string, dealId: string, patch: RemoteDealPatch) =>
    call<IntentView>('PATCH', `${store(storeId)}/deals/${encodeURIComponent(dealId)}`, patch, {
      'idempotency-key': newKey(),
    }),
  /** A deal put on sale or taken off it: an intent the hub answers. */
  setDealStatus: (storeId: string, dealId: string, status: 'on_sale' | 'off_sale') =>
    call<IntentView>(
      'PUT',
      `${store(storeId)}/deals/${encodeURIComponent(dealId)}/status`,
      { status },
      { 'idempotency-key': newKey() },
    ),
  /** A customer's invoice request turned down, saying why: an intent the hub answers. */
  rejectInvoice: (storeId: string, requestId: string, reason: string) =>
    call<IntentView>(
      'POST',
      `${store(storeId)}/invoices/${encodeURIComponent(requestId)}/reject`,
      { reason },
      { 'idempotency-key': newKey() },
    ),
  /** Adds an item to the store's menu, checked there as at its dashboard. */
  createMenuItem: (storeId: string, item: MenuItemInput) =>
    call<IntentView>('POST', `${store(storeId)}/menu/items`, item, {
      'idempotency-key': newKey(),
    }),
  /** Records goods received, thrown away or counted for an item whose stock the store counts. */
  moveStock: (storeId: string, itemId: string, move: StockMoveInput) =>
    call<IntentView>(
      'POST',
      `${store(storeId)}/menu/items/${encodeURIComponent(itemId)}/stock`,
      move,
      { 'idempotency-key': newKey() },
    ),
  /** Makes a deal at the store (or maps a platform's), checked there as at its dashboard. */
  createDeal: (storeId: string, deal: DealInput) =>
    call<IntentView>('POST', `${store(storeId)}/deals`, deal, { 'idempotency-key': newKey() }),
  /** The store's staff as it last published them (never a PIN). */
  staff: (storeId: string) => call<OwnerStaff>('GET', `${store(storeId)}/staff`),
  /** Disables or enables a staff member. */
  patchStaff: (storeId: string, staffId: string, patch: { status: 'active' | 'disabled' }) =>
    call<IntentView>('PATCH', `${store(storeId)}/staff/${encodeURIComponent(staffId)}`, patch, {
      'idempotency-key': newKey(),
    }),
  /** The member levels and points rules as the store last published them. */
  memberSettings: (storeId: string) =>
    call<OwnerMemberSettings>('GET', `${store(storeId)}/member-settings`),
  /** Changes the member levels and the points rules together. */
  putMemberSettings: (storeId: string, body: MemberSettingsPut) =>
    call<IntentView>('PUT', `${store(storeId)}/member-settings`, body, {
      'idempotency-key': newKey(),
    }),
  /** Starts a campaign at the store, checked there as at its dashboard. */
  createCampaign: (storeId: string, campaign: CampaignCreate) =>
    call<IntentView>('POST', `${store(storeId)}/campaigns`, campaign, {
      'idempotency-key': newKey(),
    }),
  /** Issues an invoice with the tax system's PDF (the request's body), its number and date. */
  issueInvoice: (storeId: string, requestId: string, number: string, issuedOn: string, pdf: Blob) =>
    call<IntentView>(
      'POST',
      `${store(storeId)}/invoices/${encodeURIComponent(requestId)}/issue?${new URLSearchParams({ number, issuedOn }).toString()}`,
      pdf,
      { 'idempotency-key': newKey() },
    ),
  /** How one of the owner's changes fared: still waiting for the store, or its answer. */
  intent: (storeId: string, intentId: string) =>
    call<IntentView>('GET', `${store(storeId)}/intents/${encodeURIComponent(intentId)}`),
  sync: (storeId: string) => call<OwnerSync>('GET', `${store(storeId)}/sync`),
  /** The members counted by level, their points and wallets, each campaign's coupons. */
  members: (storeId: string) => call<OwnerMembers>('GET', `${store(storeId)}/members`),
  /** One day of the audit log (today in the store's time when no day is named), newest first. */
  audit: (storeId: string, date?: string) =>
    call<OwnerAudit>('GET', `${store(storeId)}/audit${date ? `?date=${date}` : ''}`),
  /** The invoice requests, newest first, and how many wait. */
  invoices: (storeId: string) => call<OwnerInvoices>('GET', `${store(storeId)}/invoices`),
  /** The menu with what can be ordered now, and what runs low. */
  products: (storeId: string) => call<OwnerProducts>('GET', `${store(storeId)}/products`),
  /** The store's deals, every status, with how many of a limited stock are sold. */
  deals: (storeId: string) => call<OwnerDeals>('GET', `${store(storeId)}/deals`),
  // Messages (C13): the owner's inbox, each store's message settings and its conversations.
  inbox: () => call<InboxView>('GET', '/api/owner/messages'),
  readAll: () => call<{ unread: number }>('POST', '/api/owner/messages/read'),
  messageSettings: (storeId: string) =>
    call<MessageSettings>('GET', `${store(storeId)}/message-settings`),
  saveMessageSettings: (storeId: string, s: MessageSettings) =>
    call<MessageSettings>('PUT', `${store(storeId)}/message-settings`, s),
  /** Each kind's words for the store: its own or the default; a kind saved or reset. */
  messageTemplates: (storeId: string) =>
    call<{ templates: MessageTemplateView[] }>('GET', `${store(storeId)}/message-templates`),
  saveMessageTemplate: (storeId: string, kind: MessageKind, words: MessageTemplate) =>
    call<MessageTemplateView>('PUT', `${store(storeId)}/message-templates/${kind}`, words),
  resetMessageTemplate: (storeId: string, kind: MessageKind) =>
    call<MessageTemplateView>('DELETE', `${store(storeId)}/message-templates/${kind}`),
  chats: (storeId: string) => call<ChatList>('GET', `${store(storeId)}/chats`),
  chat: (storeId: string, chatId: string) =>
    call<ChatDetail>('GET', `${store(storeId)}/chats/${chatId}`),
  answer: (storeId: string, chatId: string, text: string) =>
    call<ChatDetail>('POST', `${store(storeId)}/chats/${chatId}/lines`, { text }),
  // Platform accounts: the store's Meituan and Douyin shops as the cloud holds them (no token).
  platforms: (storeId: string) =>
    call<PlatformAuthorisation[]>('GET', `${store(storeId)}/platforms`),
  /** The platform's page to send the browser to; it comes back to the dashboard's page. */
  authorise: (storeId: string, platform: VoucherPlatform) =>
    call<PlatformAuthoriseStart>('POST', `${store(storeId)}/platforms/${platform}/authorise`),
  unlink: (storeId: string, platform: VoucherPlatform) =>
    call<PlatformAuthorisation[]>('DELETE', `${store(storeId)}/platforms/${platform}`),
  // The platform's penalties on the store, and the deposit of the merchant running it.
  penalties: (storeId: string) => call<PenaltyView[]>('GET', `${store(storeId)}/penalties`),
  deposit: (storeId: string) => call<DepositView | null>('GET', `${store(storeId)}/deposit`),
};

/** The statistics of one of the owner's stores (or `all`), read through the cloud. */
export function remoteStats(storeId: string): OwnerStatsSource {
  return {
    key: ['remote', storeId],
    stats: (r) => remoteOwner.stats(storeId, r),
    async downloadCsv(table: StatsTable, r: StatsRange) {
      const p = statsQuery(r);
      p.set('storeId', storeId);
      p.set('table', table);
      const res = await send('GET', `/api/owner/stats/export.csv?${p.toString()}`);
      return saveDownload(res, `${table}.csv`);
    },
  };
}

/** How often a change the offline store has not answered yet is asked after. */
const FOLLOW_MS = 3_000;

/**
 * Follows a change sent while the store was offline until the store answers: made, or refused in
 * its words (409), or expired unanswered (410), as the change's own reply would have said. The
 * cloud not answering for a moment is waited out.
 */
async function madeOnceAnswered(storeId: string, intentId: string): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, FOLLOW_MS));
    let v: IntentView;
    try {
      v = await remoteOwner.intent(storeId, intentId);
    } catch (e) {
      if (e instanceof HubRefusal && e.status === 0) continue;
      throw e;
    }
    if (v.state === 'waiting') continue;
    if (v.state === 'expired') throw new HubRefusal(410, 'expired', v.message ?? '');
    if (v.state === 'rejected' || v.state === 'refused') {
      throw new HubRefusal(409, v.state, v.reason ?? '');
    }
    return;
  }
}

/** A change's answer: made, or waiting for the offline store and followed until it answers. */
const answeredBy =
  (storeId: string) =>
  (v: IntentView): ChangeAnswer =>
    v.state === 'waiting'
      ? { state: 'waiting', made: madeOnceAnswered(storeId, v.intentId) }
      : { state: 'done' };

/**
 * A change sent to the store (an item of the menu, a campaign, a deal): made, or waiting for the
 * offline store and followed until it answers.
 */
export async function remoteChange(
  storeId: string,
  sent: Promise<IntentView>,
): Promise<ChangeAnswer> {
  return answeredBy(storeId)(await sent);
}

/**
 * One store's device schedules through the cloud: the list as its hub last published it, read
 * again every 10 s as the devices are (nothing else tells the page that the store has published),
 * and each change an owner intent, followed while the store is offline until it answers.
 */
export function remoteSchedules(
  storeId: string,
  rooms: OwnerSchedulesSource['rooms'],
): OwnerSchedulesSource {
  const answered = answeredBy(storeId);
  return {
    key: ['remote', storeId, 'schedules'],
    rooms,
    list: async () => (await remoteOwner.schedules(storeId)).schedules,
    add: async (body) => answered(await remoteOwner.addSchedule(storeId, body)),
    change: async (id, body) => answered(await remoteOwner.changeSchedule(storeId, id, body)),
    remove: async (id) => answered(await remoteOwner.removeSchedule(storeId, id)),
    refetchInterval: 10_000,
  };
}

/**
 * What the store's hub last published is read again this often: nothing tells the page that the
 * store has published, and a change the store made shows once it has.
 */
const PROFILE_MS = 5_000;

/** The reads one store's settings pages make from the cloud; a change makes them all stale. */
export const profileKey = (storeId: string) => ['remote', storeId, 'profile'] as const;

/** One store's details and booking rules through the cloud, each change an owner intent. */
export function remoteStore(storeId: string): OwnerStoreSource {
  return {
    key: [...profileKey(storeId), 'store'],
    async store() {
      const { store: s } = await remoteOwner.profile(storeId);
      return { id: storeId, ...s };
    },
    change: async (body) => answeredBy(storeId)(await remoteOwner.patchStore(storeId, body)),
    touches: [profileKey(storeId)],
    refetchInterval: PROFILE_MS,
  };
}

/** One store's rooms and their price plans through the cloud, each change an owner intent. */
export function remotePlans(storeId: string): OwnerPlansSource {
  return {
    key: [...profileKey(storeId), 'rooms'],
    async rooms() {
      const { rooms } = await remoteOwner.profile(storeId);
      return rooms.map((r) => ({
        id: r.roomId,
        name: r.name,
        status: r.status,
        pricePlan: r.pricePlan,
      }));
    },
    changePlan: async (roomId, pricePlan) =>
      answeredBy(storeId)(await remoteOwner.patchRoom(storeId, roomId, { pricePlan })),
    touches: [profileKey(storeId)],
    refetchInterval: PROFILE_MS,
  };
}

/**
 * One store's calendar through the cloud: the official calendar with the owner's overrides and
 * their notes as the store last published them, each day set or given back as an owner intent.
 */
export function remoteCalendar(storeId: string): OwnerCalendarSource {
  const answered = answeredBy(storeId);
  return {
    key: ['remote', storeId, 'calendar'],
    thisMonth: async () => (await remoteOwner.profile(storeId)).today.slice(0, 7),
    days: (from, to) => remoteOwner.calendar(storeId, from, to),
    set: async (date, type, note) => answered(await remoteOwner.setDay(storeId, date, type, note)),
    clear: async (date) => answered(await remoteOwner.clearDay(storeId, date)),
    touches: [profileKey(storeId)],
    refetchInterval: PROFILE_MS,
  };
}
