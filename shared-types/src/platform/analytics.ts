// The platform's analytics and system settings (P5): users, merchants, orders and revenue by
// region and by day, as the live overview shows them; the settings the platform owner edits
// (payment, SMS, upload limits, the anomaly rules' thresholds). Pure.
import { z } from 'zod';
import { ANOMALY_RULES, type AnomalyCounts, type AnomalyView } from './anomalies';
import { MERCHANT_DOCUMENT_CAP_MB } from './platform-merchants';

export const OverviewQuerySchema = z.object({
  /** Days back from today (the platform's day, Asia/Shanghai), 1 ... 92; 14 unless said. */
  days: z.coerce.number().int().min(1).max(92).default(14),
  /** Only the stores of one region (as the overview names it). */
  region: z.string().trim().min(1).max(40).optional(),
});
export type OverviewQuery = z.output<typeof OverviewQuerySchema>;

export interface OverviewDay {
  date: string;
  /** Bookings whose slot starts that day, cancelled ones left out. */
  orders: number;
  /** Fen taken, given back, and the difference. */
  received: number;
  refunded: number;
  net: number;
  /** Customers seen for the first time that day. */
  newUsers: number;
}

export interface OverviewRegion {
  /** The province or city the store's address starts with; `其他` when it names none. */
  region: string;
  stores: number;
  orders: number;
  net: number;
}

export interface OverviewStore {
  storeId: string;
  name: string;
  region: string;
  orders: number;
  net: number;
  /** When its hub last said it was alive; null if never. */
  lastAliveAt: string | null;
  online: boolean;
}

export interface PlatformOverview {
  /** When the figures were read. */
  at: string;
  from: string;
  to: string;
  totals: {
    /** Customers the platform has seen (a booking, a membership or a coupon at any store). */
    users: number;
    newUsers: number;
    /** Owner accounts. */
    merchants: number;
    stores: number;
    storesOnline: number;
    orders: number;
    received: number;
    refunded: number;
    net: number;
  };
  /** Today's figures so far, what the live screen puts first. */
  today: OverviewDay;
  byDay: OverviewDay[];
  byRegion: OverviewRegion[];
  stores: OverviewStore[];
  anomalies: { open: number; byKind: AnomalyCounts; latest: AnomalyView[] };
}

const yes = z.boolean();
const UPLOAD_CAP_MB = MERCHANT_DOCUMENT_CAP_MB;
const UPLOAD_CAP_RULE = `at most ${UPLOAD_CAP_MB} MB`;

export const PlatformSettingsSchema = z.object({
  payment: z.object({
    /** The online channels offered to customers. */
    wechat: yes,
    alipay: yes,
    unionpay: yes,
    /** How long an online booking's payment is held waiting for the store's answer, minutes. */
    holdMinutes: z.number().int().min(1, 'must be at least 1 minute').max(60, 'at most 60 minutes'),
  }),
  // The signature texts go out under is the SMS provider's (approved with the account, set with
  // its credentials in CLOUD_SMS), not a setting here: a name the provider never approved would
  // stop every text.
  sms: z.object({
    /** Sign-in codes one phone may be sent in an hour. */
    perPhonePerHour: z.number().int().min(1).max(20, 'at most 20 an hour'),
    /** Whether marketing texts (win-back offers) may be sent at all. */
    marketing: yes,
  }),
  uploads: z.object({
    /** Largest picture a merchant uploads (a photo of a licence or permit), MB. */
    maxImageMb: z.number().int().min(1).max(UPLOAD_CAP_MB, UPLOAD_CAP_RULE),
    /** Largest PDF a merchant uploads (a licence or permit), MB. */
    maxDocumentMb: z.number().int().min(1).max(UPLOAD_CAP_MB, UPLOAD_CAP_RULE),
    /** The kinds of file a merchant may upload. */
    types: z
      .array(z.enum(['jpg', 'png', 'webp', 'pdf']))
      .min(1, 'allow at least one file type')
      .max(4),
  }),
  anomalies: z.object({
    paymentGraceMinutes: z.number().int().min(1).max(1440),
    refundsInWindow: z.number().int().min(2).max(100),
    refundWindowDays: z.number().int().min(1).max(90),
    spikeMinPerHour: z.number().int().min(2).max(10_000),
    spikeTimesAverage: z.number().min(1).max(100),
    offlineMinutes: z
      .number()
      .int()
      .min(5, 'at least 5 minutes (the hub says it is alive every 5)'),
  }),
});
export type PlatformSettings = z.infer<typeof PlatformSettingsSchema>;

export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  payment: { wechat: true, alipay: true, unionpay: true, holdMinutes: 2 },
  sms: { perPhonePerHour: 5, marketing: true },
  uploads: { maxImageMb: 5, maxDocumentMb: 5, types: ['jpg', 'png', 'webp', 'pdf'] },
  anomalies: {
    paymentGraceMinutes: ANOMALY_RULES.paymentGraceMinutes,
    refundsInWindow: ANOMALY_RULES.refundsInWindow,
    refundWindowDays: ANOMALY_RULES.refundWindowDays,
    spikeMinPerHour: ANOMALY_RULES.spikeMinPerHour,
    spikeTimesAverage: ANOMALY_RULES.spikeTimesAverage,
    offlineMinutes: ANOMALY_RULES.offlineMinutes,
  },
};

export const PlatformSettingsBodySchema = z.object({
  settings: PlatformSettingsSchema,
  reason: z.string().trim().min(2, 'say why the settings change').max(500),
});

export interface PlatformSettingsView {
  settings: PlatformSettings;
  /** When and by whom they were last changed; null while the defaults hold. */
  updatedAt: string | null;
  updatedBy: string | null;
}

/** One value a change of the settings moved, e.g. `uploads` `maxImageMb` 5 -> 8. */
export interface SettingsChangeLine {
  section: keyof PlatformSettings;
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * One change of the system settings, newest first in the history: who, when, why and each value
 * it moved; or the review-before-showing switch turned on or off (kept in the same document).
 */
export interface SettingsHistoryEntry {
  at: string;
  by: string;
  action: 'settings.change' | 'review_gate.on' | 'review_gate.off';
  reason: string;
  lines: SettingsChangeLine[];
}

export const SettingsHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The region a store's address names first: its province, autonomous region or city. */
export function regionOfAddress(address: string): string {
  const m = /^\s*(.{2,8}?(?:自治区|特别行政区|省|市))/.exec(address);
  return m ? m[1]! : '其他';
}
