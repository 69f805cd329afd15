// Anomalies (P4, B8): what the platform and each store's hub flag as out of the ordinary, with the
// facts that explain each one and the rule that raised it. A store's hub raises what only it can
// see (a door opened, power drawn, a room held and never used) and publishes each as an
// `anomaly:<id>` document; the cloud raises what needs many stores or customers (a payment with
// no booking, duplicate bookings, refund abuse, a redemption spike, a store gone silent). Pure.
import { z } from 'zod';
import { StoreIdSchema } from '../sync/databases';
import { IdPartSchema } from '../sync/id-part';
import { IsoInstantSchema } from '../time/instant';

export const AnomalyKindSchema = z.enum([
  'payment_without_booking',
  'duplicate_booking',
  'refund_abuse',
  'voucher_spike',
  'door_without_session',
  'power_without_session',
  'store_offline',
  'room_held_unused',
]);
export type AnomalyKind = z.infer<typeof AnomalyKindSchema>;
export const ANOMALY_KINDS = AnomalyKindSchema.options;

/** The kinds a store's hub raises itself (B8); the cloud raises the others. */
export const STORE_ANOMALY_KINDS = [
  'door_without_session',
  'power_without_session',
  'room_held_unused',
] as const satisfies readonly AnomalyKind[];
export type StoreAnomalyKind = (typeof STORE_ANOMALY_KINDS)[number];

/**
 * The thresholds the rules use, each named in the explanation of what it raised. The platform
 * owner may change the cloud's in the system settings; a hub uses these.
 */
export const ANOMALY_RULES = {
  /** A payment with no booking document this long after it is a payment without a booking. */
  paymentGraceMinutes: 10,
  /** Refunds of this many of one customer's bookings within the window is abuse. */
  refundsInWindow: 3,
  refundWindowDays: 7,
  /** Redemptions at one store within an hour: at least this many ... */
  spikeMinPerHour: 10,
  /** ... and this many times the store's average hour over the week before. */
  spikeTimesAverage: 3,
  /** A store whose hub has not said it is alive for this long is offline too long. */
  offlineMinutes: 30,
  /**
   * Power drawn in a room with no session at or above this is flagged: a room at rest draws its
   * standby (about 15 W); one light left on is 60 W more.
   */
  idlePowerW: 50,
  /** A door opened within this of an open the hub made itself (staff, a session) is explained. */
  doorOpenGraceSeconds: 120,
  /** After a session ends, power may still be drawn this long (the switch-off delay). */
  powerAfterSessionMinutes: 15,
} as const;

/** The facts that explain one anomaly: plain values the screens put into a sentence. */
export const AnomalyFactsSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(200), z.number()]),
);
export type AnomalyFacts = z.infer<typeof AnomalyFactsSchema>;

export const ANOMALY_PREFIX = 'anomaly:';
export const anomalyDocId = (anomalyId: string) =>
  `${ANOMALY_PREFIX}${IdPartSchema.parse(anomalyId)}`;

/** An anomaly a store's hub raised, as it publishes it; the hub is the only writer. */
export const AnomalyDocSchema = z.object({
  _id: z.string().startsWith(ANOMALY_PREFIX),
  type: z.literal('anomaly'),
  storeId: StoreIdSchema,
  anomalyId: IdPartSchema,
  kind: z.enum(STORE_ANOMALY_KINDS),
  /** When what it flags happened. */
  at: IsoInstantSchema,
  roomId: IdPartSchema.nullable(),
  bookingId: IdPartSchema.nullable(),
  facts: AnomalyFactsSchema,
  updatedAt: IsoInstantSchema,
});
export type AnomalyDoc = z.infer<typeof AnomalyDocSchema>;

/** One anomaly as the owner and the platform see it. */
export interface AnomalyView {
  id: string;
  kind: AnomalyKind;
  /** Who raised it: the store's own hub, or the platform. */
  raisedBy: 'store' | 'platform';
  storeId: string | null;
  storeName: string | null;
  at: string;
  roomId: string | null;
  bookingId: string | null;
  /** The customer it concerns (refund abuse, duplicates), by id only. */
  customerId: string | null;
  facts: AnomalyFacts;
  /** Marked handled by platform staff, with their reason. */
  handled: { at: string; by: string; reason: string } | null;
}

export const AnomalyQuerySchema = z.object({
  kind: AnomalyKindSchema.optional(),
  storeId: StoreIdSchema.optional(),
  /** Only those not yet handled. */
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** How many days back, 1 ... 92; 30 unless said. */
  days: z.coerce.number().int().min(1).max(92).default(30),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type AnomalyQuery = z.output<typeof AnomalyQuerySchema>;

export const AnomalyHandleBodySchema = z.object({
  reason: z.string().trim().min(2, 'say what was done about it').max(500),
});
export const AnomalyParamsSchema = z.object({ id: z.string().min(1).max(300) });

/** Counts by kind, for the overview. */
export type AnomalyCounts = Record<AnomalyKind, number>;
