// The owner's dashboard calls to the hub (the owner's or a manager's sign-in, on the hub's own
// machine or a paired counter computer): the counter's calls with the same token and screen
// proof, and the same refusals. The hub's permission table decides; the page only mirrors it.
import type {
  AnomalyView,
  HubReviewStates,
  CleaningReport,
  PairingCodeView,
  ScreenKind,
  ScreenView,
  StaffRole,
  StaffView,
  StatsRangeKind,
  StatsTable,
  StatsView,
  StoreStatsRow,
  EnergyRoomRow,
  MaintenanceCreate,
  MaintenanceView,
  SpeakerSettings,
  DeviceSchedule,
  DeviceScheduleFields,
  DeviceScheduleInput,
  StoreView,
  BackupsView,
  RestoreRequestView,
} from '@roomhub/shared-types';
import { HubRefusal, UNREACHABLE } from './hub-client';
import { call, counter } from './counter-client';
import { counterScreenHeaders } from './counter-screen';
import { signedIn } from './staff-session';
import type {
  BookingRules,
  CalendarDay,
  CampaignCreate,
  CampaignPatch,
  CampaignResults,
  CampaignView,
  DayType,
  DealInput,
  DealPatch,
  DealView,
  ReconciliationView,
  RedemptionStatsRow,
  RedemptionView,
  VoucherSettings,
  MenuCategoryInput,
  MenuCategoryView,
  MenuItemInput,
  MenuItemPatch,
  MenuItemView,
  MenuView,
  MemberListView,
  MemberSettingsPut,
  CouponIssue,
  CouponView,
  MemberSettingsView,
  PricePlan,
  PricePlanInput,
  PromotionInput,
  PromotionView,
  QuoteRequest,
  QuoteView,
  Room,
  RoomInput,
  RoomStatus,
  StockLevelView,
  StockMoveInput,
  StockMoveView,
  StoreWithBackups,
  SyncStatus,
} from '@roomhub/shared-types';
import type { DevicesView } from './counter-client';

export interface StatsRange {
  range: StatsRangeKind;
  from?: string;
  to?: string;
}

export interface AuditEntryView {
  id: number;
  actor: { kind: string; id: string; role: string | null; screenId: string | null };
  action: string;
  target: string | null;
  outcome: string;
  at: string;
}

const rangeQuery = (r: StatsRange) => {
  const p = new URLSearchParams({ range: r.range });
  if (r.range === 'custom' && r.from && r.to) {
    p.set('from', r.from);
    p.set('to', r.to);
  }
  return p;
};

export const owner = {
  store: () => call<StoreView>('GET', '/api/store'),
  stats: (r: StatsRange) => call<StatsView>('GET', `/api/stats?${rangeQuery(r).toString()}`),
  staff: () => call<StaffView[]>('GET', '/api/staff'),
  addStaff: (body: { name: string; role: StaffRole; pin: string }) =>
    call<StaffView>('POST', '/api/staff', body),
  patchStaff: (id: string, body: { role?: StaffRole; status?: 'active' | 'disabled' }) =>
    call<StaffView>('PATCH', `/api/staff/${id}`, body),
  resetPin: (id: string, pin: string) => call<unknown>('POST', `/api/staff/${id}/pin`, { pin }),
  screens: () => call<ScreenView[]>('GET', '/api/screens'),
  pairingCode: (body: { name: string; kind: ScreenKind; roomId?: string }) =>
    call<PairingCodeView>('POST', '/api/screens/pairing-codes', body),
  unpair: (id: string) => call<unknown>('DELETE', `/api/screens/${id}`),
  audit: (before?: number) =>
    call<AuditEntryView[]>('GET', `/api/audit?limit=50${before ? `&before=${before}` : ''}`),
  /** What each cleaner did over the store days from `from` to `to`, both included. */
  /** Where the store's rooms, deals and products stand with the platform's reviewers (P2). */
  reviews: () => call<HubReviewStates>('GET', '/api/reviews'),
  /** What the store flagged by itself over the last 30 days, newest first (B8). */
  anomalies: () => call<{ anomalies: AnomalyView[] }>('GET', '/api/anomalies?days=30&limit=200'),
  cleaningReport: (from: string, to: string) =>
    call<CleaningReport>('GET', `/api/cleaning/report?${new URLSearchParams({ from, to })}`),
};

/**
 * One statistics table as the hub's CSV file (owner only): fetched with the sign-in, since a plain
 * link cannot carry it, and handed to the browser as a download under the hub's file name.
 */
export async function downloadStatsCsv(table: StatsTable, r: StatsRange): Promise<string> {
  const p = rangeQuery(r);
  p.set('table', table);
  const headers: Record<string, string> = { ...counterScreenHeaders() };
  const token = signedIn()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`/api/stats/export.csv?${p.toString()}`, { headers });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    throw new HubRefusal(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? '');
  }
  const name =
    /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
      res.headers.get('content-disposition') ?? '',
    )?.[1] ?? `${table}.csv`;
  const file = decodeURIComponent(name);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file;
}

/** Where the dashboard's statistics come from: the hub that serves it, or the cloud (remote). */
export interface OwnerStatsSource {
  /** Part of the query key: figures of one source are never shown for another. */
  key: readonly unknown[];
  stats(r: StatsRange): Promise<StatsView & { stores?: StoreStatsRow[]; energy?: EnergyRoomRow[] }>;
  downloadCsv(table: StatsTable, r: StatsRange): Promise<string>;
}

export const statsQuery = (r: StatsRange) => rangeQuery(r);

/** The statistics of the hub that serves the dashboard. */
export const hubStats: OwnerStatsSource = {
  key: ['hub'],
  stats: (r) => owner.stats(r),
  downloadCsv: downloadStatsCsv,
};

/** Hands a fetched file to the browser as a download under the name its server gave it. */
export async function saveDownload(res: Response, fallbackName: string): Promise<string> {
  const name =
    /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
      res.headers.get('content-disposition') ?? '',
    )?.[1] ?? fallbackName;
  const file = decodeURIComponent(name);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file;
}

// ---- the store's own pages: store, rooms, prices, calendar, products, members, coupons, devices,
// backups and sync (O1-O8, O11, H2, H4) ------------------------------------------------------

/** What the store page may change: the fields PATCH /api/store takes (the hub checks them). */
export interface StoreChange {
  name?: string;
  address?: string;
  phone?: string;
  hours?: { open: string; close: string };
  logoUrl?: string | null;
  theme?: string | null;
  photos?: string[];
  location?: { lat: number; lng: number };
  rules?: Partial<BookingRules>;
}

/** A backup the hub wrote (POST /api/backups). */
export interface BackupMade {
  file: string;
  bytes: number;
  createdAt: string;
  removed: string[];
  copy: { folder: string; file: string } | { folder: string; error: string } | null;
}

/** The member filters the list and the export share. */
export interface MemberFilters {
  levelId?: string;
  phone?: string;
  spendMin?: number;
  spendMax?: number;
  lastVisitFrom?: string;
  lastVisitTo?: string;
}

const memberQuery = (f: MemberFilters, extra: Record<string, string> = {}) => {
  const p = new URLSearchParams(extra);
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
};

export const ownerPages = {
  store: () => call<StoreWithBackups>('GET', '/api/store'),
  patchStore: (body: StoreChange) => call<StoreWithBackups>('PATCH', '/api/store', body),
  rooms: () => call<Room[]>('GET', '/api/rooms?includeRetired=true'),
  addRoom: (body: RoomInput) => call<Room>('POST', '/api/rooms', body),
  patchRoom: (id: string, body: Record<string, unknown>) =>
    call<Room>('PATCH', `/api/rooms/${id}`, body),
  quote: (body: QuoteRequest) => call<QuoteView>('POST', '/api/quotes', body),
  promotions: () => call<PromotionView[]>('GET', '/api/promotions'),
  addPromotion: (body: PromotionInput) => call<PromotionView>('POST', '/api/promotions', body),
  switchPromotion: (id: string, enabled: boolean) =>
    call<PromotionView>('POST', `/api/promotions/${id}/switch`, { enabled }),
  calendar: (from: string, to: string) =>
    call<CalendarDay[]>('GET', `/api/calendar?from=${from}&to=${to}`),
  setDay: (date: string, type: DayType, note?: string) =>
    call<CalendarDay>('PUT', `/api/calendar/${date}`, { type, ...(note ? { note } : {}) }),
  clearDay: (date: string) => call<unknown>('DELETE', `/api/calendar/${date}`),
  menu: () => call<MenuView>('GET', '/api/menu'),
  addCategory: (body: MenuCategoryInput) =>
    call<MenuCategoryView>('POST', '/api/menu/categories', body),
  addItem: (body: MenuItemInput) => call<MenuItemView>('POST', '/api/menu/items', body),
  patchItem: (id: string, body: MenuItemPatch) =>
    call<MenuItemView>('PATCH', `/api/menu/items/${id}`, body),
  stock: () => call<StockLevelView[]>('GET', '/api/stock'),
  moveStock: (id: string, body: StockMoveInput) =>
    call<StockMoveView>('POST', `/api/stock/${id}`, body),
  members: (f: MemberFilters, offset = 0) =>
    call<MemberListView>(
      'GET',
      `/api/members?${memberQuery(f, { limit: '20', offset: String(offset) })}`,
    ),
  memberLevels: () => call<MemberSettingsView>('GET', '/api/member-levels'),
  /** The rules and the levels together; each member is moved once by both. */
  putMemberSettings: (body: MemberSettingsPut) =>
    call<MemberSettingsView>('PUT', '/api/member-settings', body),
  campaigns: () => call<CampaignView[]>('GET', '/api/campaigns'),
  addCampaign: (body: CampaignCreate) => call<CampaignView>('POST', '/api/campaigns', body),
  patchCampaign: (id: string, body: CampaignPatch) =>
    call<CampaignView>('PATCH', `/api/campaigns/${id}`, body),
  campaignResults: (id: string) => call<CampaignResults>('GET', `/api/campaigns/${id}/results`),
  /** A campaign's coupon given by hand to the phones typed: to all of them, or none. */
  giveCoupons: (id: string, body: CouponIssue) =>
    call<CouponView[]>('POST', `/api/campaigns/${id}/coupons`, body),
  devices: () => call<DevicesView>('GET', '/api/devices'),
  override: (id: string, on: boolean | null, reason: string) =>
    call<unknown>('POST', `/api/devices/${id}/override`, { on, reason }),
  speakerSettings: () => call<SpeakerSettings>('GET', '/api/devices/speaker-settings'),
  setSpeakerSettings: (body: SpeakerSettings) =>
    call<SpeakerSettings>('PUT', '/api/devices/speaker-settings', body),
  schedules: () => call<DeviceSchedule[]>('GET', '/api/devices/schedules'),
  addSchedule: (body: DeviceScheduleInput) =>
    call<DeviceSchedule>('POST', '/api/devices/schedules', body),
  changeSchedule: (id: string, body: DeviceScheduleInput) =>
    call<DeviceSchedule>('PUT', `/api/devices/schedules/${id}`, body),
  removeSchedule: (id: string) => call<DeviceSchedule>('DELETE', `/api/devices/schedules/${id}`),
  maintenance: () => call<MaintenanceView[]>('GET', '/api/maintenance'),
  markMaintenance: (roomId: string, body: MaintenanceCreate) =>
    call<MaintenanceView>('POST', `/api/rooms/${roomId}/maintenance`, body),
  liftMaintenance: (id: string) => call<MaintenanceView>('POST', `/api/maintenance/${id}/lift`),
  backup: () => call<BackupMade>('POST', '/api/backups'),
  backups: () => call<BackupsView>('GET', '/api/backups'),
  askRestore: (name: string) => call<RestoreRequestView>('POST', '/api/backups/restore', { name }),
  cancelRestore: () => call<{ cancelled: boolean }>('DELETE', '/api/backups/restore'),
  sync: () => call<SyncStatus | { state: 'off'; outbox: number }>('GET', '/api/sync'),
};

/** A schedule as listed: the hub stamps a change as epoch ms, the cloud as an instant. */
export type ListedSchedule = DeviceScheduleFields & { id: string };

/**
 * What became of an owner's change (a schedule, the store, a room's prices, a calendar day): made,
 * or waiting for the store (offline) to make it; `made` then settles once the store has answered,
 * failing with its refusal (or the change's expiry).
 */
export type ChangeAnswer = { state: 'done' } | { state: 'waiting'; made: Promise<void> };

const DONE: ChangeAnswer = { state: 'done' };

/**
 * Where the owner's device schedules are read and changed: the hub that serves the dashboard, or
 * the cloud (remote), whose changes are owner intents the store's hub answers.
 */
export interface OwnerSchedulesSource {
  /** The list's query key: one source's schedules are never shown for another. */
  key: readonly unknown[];
  /** The store's rooms a schedule may name, with the names the page shows them by. */
  rooms: { id: string; name: string }[];
  list(): Promise<ListedSchedule[]>;
  add(body: DeviceScheduleInput): Promise<ChangeAnswer>;
  change(id: string, body: DeviceScheduleInput): Promise<ChangeAnswer>;
  remove(id: string): Promise<ChangeAnswer>;
  /** Read again this often (ms) where no live event tells of a change. */
  refetchInterval?: number;
}

/** The schedules of the hub that serves the dashboard: each change made at once. */
export const hubSchedules = (rooms: OwnerSchedulesSource['rooms']): OwnerSchedulesSource => ({
  key: ['owner-schedules'],
  rooms,
  list: () => ownerPages.schedules(),
  add: async (body) => (await ownerPages.addSchedule(body), DONE),
  change: async (id, body) => (await ownerPages.changeSchedule(id, body), DONE),
  remove: async (id) => (await ownerPages.removeSchedule(id), DONE),
});

/**
 * Where the store's details and booking rules are read and changed: the hub that serves the
 * dashboard, or the cloud (remote), which reads what the store's hub last published and sends each
 * change as an owner intent the hub answers.
 */
export interface OwnerStoreSource {
  /** The store's query key: one source's store is never shown for another. */
  key: readonly unknown[];
  store(): Promise<StoreView>;
  change(body: StoreChange): Promise<ChangeAnswer>;
  /** Other reads a change makes stale (the quote preview at the store). */
  touches: (readonly unknown[])[];
  /** Read again this often (ms) where no live event tells of a change. */
  refetchInterval?: number;
}

export const hubStore: OwnerStoreSource = {
  key: ['owner-store'],
  store: () => ownerPages.store(),
  change: async (body) => (await ownerPages.patchStore(body), DONE),
  touches: [['store'], ['owner-quote']],
};

/**
 * A form's name from its source's key: the page may show one form per store, and the fields'
 * ids (which their labels point at) must not repeat.
 */
export const formName = (what: string, source: { key: readonly unknown[] }) =>
  [what, ...source.key].join('-');

/** A room as the price plan card needs it; the hub's rooms also carry their number. */
export interface PricedRoom {
  id: string;
  number?: string;
  name: string;
  status: RoomStatus;
  pricePlan: PricePlan;
}

/** Where the rooms' price plans are read and changed, at the store or from afar. */
export interface OwnerPlansSource {
  key: readonly unknown[];
  /** Every room, retired ones too, in the store's order. */
  rooms(): Promise<PricedRoom[]>;
  changePlan(roomId: string, plan: PricePlanInput): Promise<ChangeAnswer>;
  touches: (readonly unknown[])[];
  refetchInterval?: number;
}

export const hubPlans: OwnerPlansSource = {
  key: ['owner-rooms'],
  rooms: () => ownerPages.rooms(),
  changePlan: async (roomId, pricePlan) => (
    await ownerPages.patchRoom(roomId, { pricePlan }),
    DONE
  ),
  touches: [['owner-quote']],
};

/** Where the store's calendar is read and its days set, at the store or from afar. */
export interface OwnerCalendarSource {
  key: readonly unknown[];
  /** The store's month now, `YYYY-MM`, where the page opens. */
  thisMonth(): Promise<string>;
  days(from: string, to: string): Promise<CalendarDay[]>;
  set(date: string, type: DayType, note?: string): Promise<ChangeAnswer>;
  clear(date: string): Promise<ChangeAnswer>;
  touches: (readonly unknown[])[];
  refetchInterval?: number;
}

export const hubCalendar: OwnerCalendarSource = {
  key: ['owner-calendar'],
  thisMonth: async () => (await counter.health()).time.slice(0, 7),
  days: (from, to) => ownerPages.calendar(from, to),
  set: async (date, type, note) => (await ownerPages.setDay(date, type, note), DONE),
  clear: async (date) => (await ownerPages.clearDay(date), DONE),
  touches: [['owner-quote']],
};

/**
 * The member list as the hub's CSV file (owner only), masked unless `full`; every export is
 * audited by the hub. Fetched with the sign-in and handed to the browser as a download.
 */
export async function downloadMembersCsv(f: MemberFilters, full: boolean): Promise<string> {
  return downloadFile(
    `/api/members/export.csv?${memberQuery(f, { full: full ? '1' : '0' })}`,
    'members.csv',
  );
}

async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const headers: Record<string, string> = { ...counterScreenHeaders() };
  const token = signedIn()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch {
    throw new HubRefusal(0, UNREACHABLE, 'the hub did not answer');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; field?: string };
    } | null;
    throw new HubRefusal(
      res.status,
      body?.error?.code ?? 'internal',
      body?.error?.message ?? '',
      body?.error?.field,
    );
  }
  const name =
    /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
      res.headers.get('content-disposition') ?? '',
    )?.[1] ?? fallbackName;
  const file = decodeURIComponent(name);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file;
}

/** A way to pay as the owner's settings show it (`GET /api/payment-channels`): never a credential. */
export interface PaymentChannelView {
  choice: string;
  kind: 'simulator' | 'gateway' | 'store' | 'not_set_up';
  host: string | null;
  reachable: boolean | null;
  kiosk: 'on' | 'off' | 'not_offered';
  counter: 'on' | 'off' | 'not_offered';
}

/** The owner's deals, platform vouchers and ways to pay (O7, O11). */
export const ownerDeals = {
  deals: () => call<DealView[]>('GET', '/api/deals'),
  addDeal: (body: DealInput) => call<DealView>('POST', '/api/deals', body),
  patchDeal: (id: string, body: DealPatch) => call<DealView>('PATCH', `/api/deals/${id}`, body),
  redemptions: (date?: string) =>
    call<RedemptionView[]>('GET', `/api/vouchers/redemptions${date ? `?date=${date}` : ''}`),
  redemptionStats: (from: string, to: string) =>
    call<RedemptionStatsRow[]>('GET', `/api/vouchers/stats?from=${from}&to=${to}`),
  reconciliation: (date: string) =>
    call<ReconciliationView[]>('GET', `/api/vouchers/reconciliation?date=${date}`),
  voucherSettings: () => call<VoucherSettings>('GET', '/api/vouchers/settings'),
  setVoucherSettings: (body: VoucherSettings) =>
    call<VoucherSettings>('PUT', '/api/vouchers/settings', body),
  paymentChannels: () => call<PaymentChannelView[]>('GET', '/api/payment-channels'),
  switchChannel: (surface: 'kiosk' | 'counter', choice: string, on: boolean) =>
    call<unknown>('PUT', `/api/payment-channels/${surface}/${choice}`, { on }),
};
